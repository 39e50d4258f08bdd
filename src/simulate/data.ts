// The simulator's input data: directed annual trade between members (data/brics_trade.csv, with
// two-way totals split by data/trade-direction-splits.csv), the members' calendars
// (data/country-calendars.csv), the USD reference rates and the baseline parameters. Every file
// names a source per row; the report's assumptions repeat them.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

const dataFile = (name: string): URL => new URL(`../../data/${name}`, import.meta.url);

function readCsv(name: string): Record<string, string>[] {
  return parse(readFileSync(dataFile(name), 'utf8'), {
    columns: true,
    skip_empty_lines: true,
  }) as Record<string, string>[];
}

/** One direction of trade: the importer pays the exporter, in USD billions a year. */
export interface DirectedTrade {
  readonly exporter: string;
  readonly importer: string;
  readonly year: number;
  readonly usdBillion: number;
  readonly source: string;
  /** How a two-way total was split, when it was. */
  readonly split?: {
    readonly share: number;
    readonly source: string;
    readonly assumption: boolean;
  };
}

export interface TradeSplit {
  readonly a: string;
  readonly b: string;
  readonly aToBShare: number;
  readonly source: string;
  readonly assumption: boolean;
}

export interface CountryCalendar {
  readonly country: string;
  readonly currency: string;
  readonly timeZone: string;
  /** Fixed offset from UTC, minutes (daylight saving time is not modelled). */
  readonly utcOffsetMinutes: number;
  /** Weekend days, 0 = Sunday … 6 = Saturday (local). */
  readonly weekend: readonly number[];
  /** Local minutes after midnight. */
  readonly open: number;
  readonly cutoff: number;
  readonly close: number;
  readonly source: string;
  readonly assumption: boolean;
}

export interface SourcedValue<T> {
  readonly value: T;
  readonly unit: string;
  readonly source: string;
  readonly assumption: boolean;
}

export interface BaselineParameters {
  readonly usd_correspondent: {
    readonly fx_spread_bps_per_conversion: SourcedValue<number>;
    readonly fee_per_hop_usd: SourcedValue<number>;
    readonly sender_fee_usd: SourcedValue<number>;
    readonly intermediaries: SourcedValue<number>;
    readonly processing_median_minutes: SourcedValue<number>;
    readonly processing_sigma: SourcedValue<number>;
    readonly nostro_prefunding: SourcedValue<string>;
  };
  readonly bilateral_local: {
    readonly fx_spread_bps: SourcedValue<number>;
    readonly fee_usd: SourcedValue<number>;
    readonly processing_median_minutes: SourcedValue<number>;
    readonly processing_sigma: SourcedValue<number>;
    readonly settlement_currency_rule: SourcedValue<string>;
  };
  readonly targets: {
    readonly g20_cost_retail_bps: SourcedValue<number>;
    readonly g20_speed_within_1h_share: SourcedValue<number>;
  };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function minutesOf(text: string): number {
  const [hours = '0', minutes = '0'] = text.split(':');
  return Number(hours) * 60 + Number(minutes);
}

export function loadCalendars(): CountryCalendar[] {
  return readCsv('country-calendars.csv').map((row) => ({
    country: row.country ?? '',
    currency: row.currency ?? '',
    timeZone: row.time_zone ?? '',
    utcOffsetMinutes: Number(row.utc_offset_minutes),
    weekend: (row.weekend ?? '').split(' ').map((day) => DAYS.indexOf(day)),
    open: minutesOf(row.open_local ?? ''),
    cutoff: minutesOf(row.cutoff_local ?? ''),
    close: minutesOf(row.close_local ?? ''),
    source: row.source ?? '',
    assumption: row.assumption === 'true',
  }));
}

export function loadSplits(): TradeSplit[] {
  return readCsv('trade-direction-splits.csv').map((row) => ({
    a: row.a_iso2 ?? '',
    b: row.b_iso2 ?? '',
    aToBShare: Number(row.a_to_b_share),
    source: row.source ?? '',
    assumption: row.assumption === 'true',
  }));
}

/** USD reference rates: units of each currency per USD, as numbers (for sizing, not settlement). */
export function loadUsdRates(): Map<string, { perUsd: string; minorUnits: number }> {
  return new Map(
    readCsv('fx_reference_rates.csv').map((row) => [
      row.currency ?? '',
      { perUsd: row.units_per_usd ?? '', minorUnits: Number(row.minor_units) },
    ]),
  );
}

export function loadBaselineParameters(): BaselineParameters {
  return JSON.parse(
    readFileSync(dataFile('baseline-parameters.json'), 'utf8'),
  ) as BaselineParameters;
}

/**
 * Directed trade from data/brics_trade.csv: a row with a note starting "total turnover,
 * direction unknown" is split by its recorded split; a directional row is taken as it is.
 * A two-way total without a recorded split is an error: never split silently 50/50.
 */
export function loadDirectedTrade(splits: readonly TradeSplit[] = loadSplits()): DirectedTrade[] {
  const flows: DirectedTrade[] = [];
  for (const row of readCsv('brics_trade.csv')) {
    const exporter = row.exporter_iso2 ?? '';
    const importer = row.importer_iso2 ?? '';
    const year = Number(row.year);
    const usdBillion = Number(row.usd_billion);
    const source = row.source ?? '';
    if (!(row.note ?? '').startsWith('total turnover, direction unknown')) {
      flows.push({ exporter, importer, year, usdBillion, source });
      continue;
    }
    const split = splits.find(
      (item) =>
        (item.a === exporter && item.b === importer) ||
        (item.a === importer && item.b === exporter),
    );
    if (split === undefined) {
      throw new Error(
        `simulate: ${exporter}-${importer} is a two-way total with no recorded split`,
      );
    }
    const aToB = usdBillion * split.aToBShare;
    const meta = { share: split.aToBShare, source: split.source, assumption: split.assumption };
    flows.push({
      exporter: split.a,
      importer: split.b,
      year,
      usdBillion: aToB,
      source,
      split: meta,
    });
    flows.push({
      exporter: split.b,
      importer: split.a,
      year,
      usdBillion: usdBillion - aToB,
      source,
      split: { ...meta, share: 1 - split.aToBShare },
    });
  }
  return flows;
}
