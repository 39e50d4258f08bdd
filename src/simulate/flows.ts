// Payments from annual trade: each directed pair's value (scaled, and pro rata to the
// simulated business days) is cut into invoices drawn from a log-normal distribution, each
// placed on a business day of the importer and at a time drawn from the intraday arrival
// pattern within the importer's business hours before its cut-off. The importer's bank pays
// the exporter's bank. Deterministic for a seed.
import { isBusinessDay, localMidnight } from './calendar.js';
import type { CountryCalendar, DirectedTrade } from './data.js';
import { Random } from './random.js';

export interface FlowOptions {
  readonly year: number;
  /** Calendar days simulated from 1 January. */
  readonly days: number;
  /** Fraction of the annual trade value simulated (value and count scale together). */
  readonly scale: number;
  readonly seed: number;
  /** Median invoice, USD (log-normal). */
  readonly invoiceMedianUsd: number;
  /** Log-normal sigma of the invoice size. */
  readonly invoiceSigma: number;
  /** Largest invoice, USD: larger draws are capped before the values are normalised. */
  readonly invoiceMaxUsd: number;
  /** Relative arrival weights over ten equal segments of [open, cut-off) in local time. */
  readonly arrivalPattern: readonly number[];
}

/** The payments, as parallel arrays sorted by arrival (then by generation order). */
export interface Flows {
  readonly count: number;
  readonly countries: readonly string[];
  readonly currencies: readonly string[];
  /** Directed pairs (exporter, importer) with their source rows. */
  readonly pairs: readonly DirectedTrade[];
  readonly pair: Uint16Array;
  readonly exporter: Uint8Array;
  readonly importer: Uint8Array;
  readonly valueUsd: Float64Array;
  /** Arrival at the importer's bank, UTC ms. */
  readonly arrival: Float64Array;
  /** Simulated window, UTC ms: [start, end). */
  readonly start: number;
  readonly end: number;
}

const DAY_MS = 86_400_000;

function daysInYear(year: number): number {
  return (Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / DAY_MS;
}

function businessDays(calendar: CountryCalendar, firstDay: number, days: number): number[] {
  const result: number[] = [];
  for (let day = firstDay; day < firstDay + days; day += 1) {
    if (isBusinessDay(calendar, day)) result.push(day);
  }
  return result;
}

interface Row {
  readonly pair: number;
  readonly value: number;
  readonly arrival: number;
}

/** A pair's invoices: log-normal sizes scaled to the pair's value, placed in business hours. */
function invoices(
  pair: number,
  target: number,
  calendar: CountryCalendar,
  days: readonly number[],
  options: FlowOptions,
  random: Random,
  rows: Row[],
): void {
  const meanInvoice = options.invoiceMedianUsd * Math.exp(options.invoiceSigma ** 2 / 2);
  const count = Math.round(target / meanInvoice);
  if (count === 0) return;
  const sizes = new Float64Array(count);
  let sum = 0;
  for (let index = 0; index < count; index += 1) {
    const size = Math.min(
      options.invoiceMaxUsd,
      random.logNormal(options.invoiceMedianUsd, options.invoiceSigma),
    );
    sizes[index] = size;
    sum += size;
  }
  const factor = target / sum;
  const window = (calendar.cutoff - calendar.open) * 60_000;
  const patternTotal = options.arrivalPattern.reduce((total, weight) => total + weight, 0);
  for (let index = 0; index < count; index += 1) {
    const day = days[Math.floor(random.next() * days.length)] ?? days[0] ?? 0;
    const segment = random.weighted(options.arrivalPattern, patternTotal);
    const offset =
      ((segment + random.next()) / options.arrivalPattern.length) * window + calendar.open * 60_000;
    rows.push({
      pair,
      value: Math.round((sizes[index] ?? 0) * factor * 100) / 100,
      arrival: Math.floor(localMidnight(calendar, day) + offset),
    });
  }
}

export function buildFlows(
  trade: readonly DirectedTrade[],
  calendars: readonly CountryCalendar[],
  options: FlowOptions,
): Flows {
  const calendarOf = new Map(calendars.map((calendar) => [calendar.country, calendar]));
  const countries = [...new Set(trade.flatMap((row) => [row.exporter, row.importer]))].sort();
  const indexOf = new Map(countries.map((country, index) => [country, index]));
  const currencies = countries.map((country) => {
    const calendar = calendarOf.get(country);
    if (calendar === undefined) throw new Error(`simulate: no calendar for ${country}`);
    return calendar.currency;
  });
  const firstDay = Date.UTC(options.year, 0, 1) / DAY_MS;
  const yearDays = daysInYear(options.year);
  const random = new Random(options.seed);
  const pairs = [...trade].sort((a, b) =>
    a.exporter === b.exporter
      ? a.importer.localeCompare(b.importer)
      : a.exporter.localeCompare(b.exporter),
  );
  const rows: Row[] = [];
  pairs.forEach((row, pairIndex) => {
    const calendar = calendarOf.get(row.importer);
    if (calendar === undefined) throw new Error(`simulate: no calendar for ${row.importer}`);
    const inYear = businessDays(calendar, firstDay, yearDays).length;
    const simulated = businessDays(calendar, firstDay, Math.min(options.days, yearDays));
    if (simulated.length === 0 || inYear === 0) return;
    const target = row.usdBillion * 1e9 * options.scale * (simulated.length / inYear);
    invoices(pairIndex, target, calendar, simulated, options, random, rows);
  });
  const order = rows.map((_, index) => index);
  order.sort((a, b) => (rows[a]?.arrival ?? 0) - (rows[b]?.arrival ?? 0) || a - b);
  const count = rows.length;
  const flows = {
    count,
    countries,
    currencies,
    pairs,
    pair: new Uint16Array(count),
    exporter: new Uint8Array(count),
    importer: new Uint8Array(count),
    valueUsd: new Float64Array(count),
    arrival: new Float64Array(count),
    start: Date.UTC(options.year, 0, 1),
    end: Date.UTC(options.year, 0, 1) + Math.min(options.days, yearDays) * DAY_MS,
  };
  order.forEach((rowIndex, index) => {
    const row = rows[rowIndex];
    if (row === undefined) return;
    const trade = pairs[row.pair];
    flows.pair[index] = row.pair;
    flows.exporter[index] = indexOf.get(trade?.exporter ?? '') ?? 0;
    flows.importer[index] = indexOf.get(trade?.importer ?? '') ?? 0;
    flows.valueUsd[index] = row.value;
    flows.arrival[index] = row.arrival;
  });
  return flows;
}
