// The two models Corridor is compared with. Neither is the engine: each turns a payment into a
// credit time, a cost and balance movements by the parameters of data/baseline-parameters.json.
import { workDone } from './calendar.js';
import type { CountryCalendar } from './data.js';
import type { Flows } from './flows.js';
import { LiquidityTracker, round2 } from './liquidity.js';
import { Random } from './random.js';
import {
  emptyRecords,
  PAYMENT_SETTLED,
  type Regime,
  type RegimeContext,
  type RegimeRun,
} from './regime.js';

const MINUTE_MS = 60_000;
const PROGRESS_EVERY = 5_000;

function calendarOf(context: RegimeContext, country: string): CountryCalendar {
  const calendar = context.calendars.get(country);
  if (calendar === undefined) throw new Error(`simulate: no calendar for ${country}`);
  return calendar;
}

/** Balance movements sorted by time (stable), then fed to a tracker. */
class Movements {
  private at: number[] = [];
  private account: number[] = [];
  private delta: number[] = [];

  add(at: number, account: number, delta: number): void {
    this.at.push(at);
    this.account.push(account);
    this.delta.push(delta);
  }

  replay(tracker: LiquidityTracker): void {
    const order = Array.from(this.at.keys());
    order.sort((a, b) => (this.at[a] ?? 0) - (this.at[b] ?? 0) || a - b);
    for (const index of order) {
      tracker.move(this.at[index] ?? 0, this.account[index] ?? 0, this.delta[index] ?? 0);
    }
  }
}

/**
 * USD correspondent banking: the importer's bank converts local currency to USD (one spread),
 * the USD goes through `intermediaries` correspondents (a fee each) and the exporter's bank
 * converts USD to its currency (another spread). Each bank on the chain works only while it
 * is open; the importer's bank honours its cross-border cut-off, the USD leg the Fedwire
 * cut-off. Each bank's USD nostro is debited when it sends and credited when it receives.
 */
export function usdCorrespondentRegime(): Regime {
  return {
    name: 'usd_correspondent',
    async run(flows: Flows, context: RegimeContext): Promise<RegimeRun> {
      const parameters = context.baseline.usd_correspondent;
      const spread = parameters.fx_spread_bps_per_conversion.value / 10_000;
      const fees =
        parameters.sender_fee_usd.value +
        parameters.fee_per_hop_usd.value * parameters.intermediaries.value;
      const median = parameters.processing_median_minutes.value * MINUTE_MS;
      const sigma = parameters.processing_sigma.value;
      const usd = calendarOf(context, 'US');
      const random = new Random(context.seed ^ 0x05d0);
      const records = emptyRecords(flows.count);
      const tracker = new LiquidityTracker();
      const nostro = flows.countries.map((country) =>
        tracker.account(`bank-${country.toLowerCase()}`, 'USD'),
      );
      const calendars = flows.countries.map((country) => calendarOf(context, country));
      const movements = new Movements();
      for (let index = 0; index < flows.count; index += 1) {
        if (index % PROGRESS_EVERY === 0) await context.progress(index / flows.count);
        const value = flows.valueUsd[index] ?? 0;
        const importer = flows.importer[index] ?? 0;
        const exporter = flows.exporter[index] ?? 0;
        const sender = calendars[importer];
        const receiver = calendars[exporter];
        if (sender === undefined || receiver === undefined) continue;
        // The exporter receives the invoice value; the importer pays it grossed up by two
        // spreads and the fees.
        const paid = value / (1 - spread) / (1 - spread) + fees;
        const sent = workDone(
          sender,
          flows.arrival[index] ?? 0,
          random.logNormal(median, sigma),
          true,
        );
        let at = sent;
        for (let hop = 0; hop < parameters.intermediaries.value; hop += 1) {
          at = workDone(usd, at, random.logNormal(median, sigma), hop === 0);
        }
        const credited = workDone(receiver, at, random.logNormal(median, sigma));
        records.creditedAt[index] = credited;
        records.costUsd[index] = paid - value;
        records.status[index] = PAYMENT_SETTLED;
        movements.add(sent, nostro[importer] ?? 0, -value / (1 - spread));
        movements.add(at, nostro[exporter] ?? 0, value / (1 - spread));
      }
      movements.replay(tracker);
      return {
        name: 'usd_correspondent',
        ...records,
        liquidity: tracker.result(),
        details: {},
      };
    },
  };
}

/**
 * Bilateral local-currency settlement: each pair settles in one currency (the pair's net
 * importer's, as rupee-rouble trade does). The settlement currency's country pays from its own
 * RTGS account into the partner's vostro; the partner pays out of that vostro. The exporter's
 * bank converts what it receives into its own currency (one spread) when it is not its own.
 * What the surplus country accumulates in the partner's currency is stranded: it can spend it
 * only on imports from that partner.
 */
export function bilateralRegime(): Regime {
  return {
    name: 'bilateral_local',
    async run(flows: Flows, context: RegimeContext): Promise<RegimeRun> {
      const parameters = context.baseline.bilateral_local;
      const spread = parameters.fx_spread_bps.value / 10_000;
      const fee = parameters.fee_usd.value;
      const median = parameters.processing_median_minutes.value * MINUTE_MS;
      const sigma = parameters.processing_sigma.value;
      const n = flows.countries.length;
      const random = new Random(context.seed ^ 0xb11a);
      const records = emptyRecords(flows.count);
      const tracker = new LiquidityTracker();
      const calendars = flows.countries.map((country) => calendarOf(context, country));
      const settlesIn = settlementCurrencies(flows);
      // One account per country per currency it holds (own RTGS, or vostro in a partner's).
      const account = (country: number, currency: number): number =>
        tracker.account(
          `bank-${(flows.countries[country] ?? '').toLowerCase()}`,
          flows.currencies[currency] ?? '',
        );
      const movements = new Movements();
      const held = new Float64Array(n * n);
      for (let index = 0; index < flows.count; index += 1) {
        if (index % PROGRESS_EVERY === 0) await context.progress(index / flows.count);
        const value = flows.valueUsd[index] ?? 0;
        const importer = flows.importer[index] ?? 0;
        const exporter = flows.exporter[index] ?? 0;
        const sender = calendars[importer];
        const receiver = calendars[exporter];
        if (sender === undefined || receiver === undefined) continue;
        const currency = settlesIn(importer, exporter);
        const converted = currency !== exporter;
        const paid = (converted ? value / (1 - spread) : value) + fee;
        const sent = workDone(
          sender,
          flows.arrival[index] ?? 0,
          random.logNormal(median, sigma),
          true,
        );
        const credited = workDone(receiver, sent, random.logNormal(median, sigma));
        records.creditedAt[index] = credited;
        records.costUsd[index] = paid - value;
        records.status[index] = PAYMENT_SETTLED;
        // Balances move at the mid value: the spread is the exporter's bank's margin.
        const amount = value;
        movements.add(sent, account(importer, currency), -amount);
        movements.add(sent, account(exporter, currency), amount);
        if (currency === importer)
          held[exporter * n + importer] = (held[exporter * n + importer] ?? 0) + amount;
        else held[importer * n + exporter] = (held[importer * n + exporter] ?? 0) - amount;
      }
      movements.replay(tracker);
      const stranded = strandedList(flows, held);
      return {
        name: 'bilateral_local',
        ...records,
        liquidity: tracker.result(),
        details: { stranded },
      };
    },
  };
}

/** The settlement currency (as a country index) of each pair: its net importer's. */
function settlementCurrencies(flows: Flows): (a: number, b: number) => number {
  const n = flows.countries.length;
  const matrix = new Float64Array(n * n);
  for (let index = 0; index < flows.count; index += 1) {
    const cell = (flows.exporter[index] ?? 0) * n + (flows.importer[index] ?? 0);
    matrix[cell] = (matrix[cell] ?? 0) + (flows.valueUsd[index] ?? 0);
  }
  return (a, b) => ((matrix[a * n + b] ?? 0) >= (matrix[b * n + a] ?? 0) ? b : a);
}

/** What each country holds in each partner's currency at the end (positive holdings only). */
function strandedList(
  flows: Flows,
  held: Float64Array,
): { holder: string; currency: string; usd: number }[] {
  const n = flows.countries.length;
  const stranded: { holder: string; currency: string; usd: number }[] = [];
  for (let holder = 0; holder < n; holder += 1) {
    for (let partner = 0; partner < n; partner += 1) {
      const usd = held[holder * n + partner] ?? 0;
      if (usd > 0.005) {
        stranded.push({
          holder: flows.countries[holder] ?? '',
          currency: flows.currencies[partner] ?? '',
          usd: round2(usd),
        });
      }
    }
  }
  return stranded;
}
