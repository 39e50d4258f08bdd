// `corridor simulate` as a library function: flows from the trade data, the same payments
// through every regime, and the report (report.json's schema) with every figure's unit and
// definition and every assumption with its source.
import { bilateralImbalances, liquidityBounds, multilateralBalances } from './bounds.js';
import { corridorGrossRegime, type FxProviderSpec } from './corridor.js';
import { corridorLsmRegime, type SwapLineUsage } from './corridor-lsm.js';
import {
  loadBaselineParameters,
  loadCalendars,
  loadDirectedTrade,
  loadSplits,
  loadUsdRates,
  type BaselineParameters,
} from './data.js';
import { buildFlows, type Flows } from './flows.js';
import { round2, type LiquidityResult } from './liquidity.js';
import { bilateralRegime, usdCorrespondentRegime } from './models.js';
import {
  type RegimeContext,
  PAYMENT_FAILED,
  PAYMENT_QUEUED,
  PAYMENT_SETTLED,
  type LiquidityBounds,
  type Regime,
  type RegimeName,
  type RegimeRun,
} from './regime.js';

export const REGIME_NAMES: readonly RegimeName[] = [
  'usd_correspondent',
  'bilateral_local',
  'corridor_gross',
  'corridor_lsm',
];
/** Regimes this build can run: all four (corridor_lsm on the engine's settlement queue). */
export const AVAILABLE_REGIMES: readonly RegimeName[] = REGIME_NAMES;

export interface SimulationOptions {
  year: number;
  scale: number;
  seed: number;
  days: number;
  regimes: readonly RegimeName[];
  invoiceMedianUsd: number;
  invoiceSigma: number;
  invoiceMaxUsd: number;
  arrivalPattern: readonly number[];
  providers: readonly FxProviderSpec[];
  schemeFeeUsd: number;
  batchWindowMs: number;
  batchMax: number;
  prefundUsd: number;
  checkInvariants: boolean;
  /** corridor_lsm: share of each account's gross upper bound it is funded with each day. */
  lsmFundingShare: number;
  /** corridor_lsm: the engine's gridlock-resolution cycle, ms of simulated time. */
  lsmCycleMs: number;
  /** corridor_lsm: how long a payment may wait in the queue (its quote's validity), s. */
  lsmMaxWaitSeconds: number;
  /** corridor_lsm: each swap line's limit, as a share of its currency's daily gross flow. */
  swapLineShare: number;
  /** corridor_lsm: the swap lines' yearly rate, basis points (simple, actual/360). */
  swapRateBps: number;
  /** corridor_lsm: the tenor of each swap-line draw, days. */
  swapTenorDays: number;
  /** Progress: regime name and share done (0–1). May return a promise to yield. */
  onProgress?: (regime: string, done: number) => Promise<void> | void;
  /** The run date written in the report (the only field that differs between equal runs). */
  now?: () => Date;
}

export const DEFAULT_OPTIONS: Omit<SimulationOptions, 'onProgress' | 'now'> = {
  year: 2024,
  scale: 1,
  seed: 1,
  days: 366,
  regimes: AVAILABLE_REGIMES,
  invoiceMedianUsd: 150_000,
  invoiceSigma: 2,
  invoiceMaxUsd: 250_000_000,
  arrivalPattern: [6, 10, 13, 13, 9, 8, 11, 12, 10, 8],
  providers: [
    { id: 'fx-gulf', country: 'AE', spreadBps: 20 },
    { id: 'fx-kazan', country: 'RU', spreadBps: 25 },
    { id: 'fx-silk', country: 'CN', spreadBps: 30 },
    { id: 'fx-cape', country: 'ZA', spreadBps: 35 },
  ],
  schemeFeeUsd: 1,
  batchWindowMs: 1_000,
  batchMax: 1_000,
  prefundUsd: 300_000_000_000,
  checkInvariants: true,
  lsmFundingShare: 0.5,
  lsmCycleMs: 60_000,
  lsmMaxWaitSeconds: 3_600,
  swapLineShare: 0.25,
  swapRateBps: 500,
  swapTenorDays: 90,
};

export class SimulationError extends Error {
  constructor(
    readonly code: 'regime_unknown' | 'invalid_option',
    message: string,
  ) {
    super(message);
  }
}

export interface Assumption {
  readonly name: string;
  readonly value: unknown;
  readonly source: string;
  readonly assumption: boolean;
}

export interface CorridorFigures {
  readonly from: string;
  readonly to: string;
  readonly payments: number;
  readonly value_usd: number;
  readonly cost_bps: number | null;
  readonly within_1h_share: number | null;
  readonly time_to_credit_p50_s: number | null;
}

export interface RegimeReport {
  readonly name: RegimeName;
  readonly payments: number;
  readonly value_usd: number;
  readonly cost_bps: number | null;
  readonly time_to_credit_p50_s: number | null;
  readonly time_to_credit_p95_s: number | null;
  readonly within_1h_share: number | null;
  readonly peak_liquidity_usd: number;
  readonly stranded_usd: number;
  readonly residual_usd: number;
  readonly settled: number;
  readonly queued: number;
  readonly failed: number;
  readonly time_to_credit_histogram: readonly {
    readonly le_s: number | null;
    readonly payments: number;
  }[];
  readonly liquidity: LiquidityResult;
  /**
   * corridor_lsm: the BoF-PSS bounds of what it settled, with the amounts it moved; its peak
   * lies between them (report.bounds are the flows', every payment at mid).
   */
  readonly bounds?: LiquidityBounds;
  readonly corridors: readonly CorridorFigures[];
  readonly details: Readonly<Record<string, unknown>>;
}

export interface SimulationReport {
  readonly year: number;
  readonly seed: number;
  readonly scale: number;
  readonly days: number;
  readonly payments: number;
  readonly value_usd: number;
  readonly generated_at: string;
  readonly regimes: readonly RegimeReport[];
  readonly not_run: readonly { readonly name: RegimeName; readonly reason: string }[];
  readonly bounds: LiquidityBounds;
  readonly balances: {
    readonly multilateral: ReturnType<typeof multilateralBalances>;
    readonly bilateral: ReturnType<typeof bilateralImbalances>;
  };
  readonly flow_matrix: {
    readonly countries: readonly string[];
    readonly value_usd: readonly (readonly number[])[];
  };
  readonly targets: { readonly cost_bps_retail: number; readonly within_1h_share: number };
  readonly figures: readonly {
    readonly name: string;
    readonly unit: string;
    readonly definition: string;
  }[];
  readonly assumptions: readonly Assumption[];
  /** corridor_lsm: each central-bank swap line drawn, with its use (empty without it). */
  readonly swap_lines: readonly SwapLineUsage[];
}

export const FIGURES = [
  {
    name: 'cost_bps',
    unit: 'basis points of value',
    definition:
      'Σ (value debited to the importer − value credited to the exporter), both at the reference mid rate, over Σ value debited, × 10,000: the FX spread against mid plus every fee, value-weighted. The G20 2027 target of 1% (100 bps) applies to retail payments only; these are trade (business) payments, shown against it for scale.',
  },
  {
    name: 'time_to_credit_p50_s / time_to_credit_p95_s',
    unit: 'seconds',
    definition:
      "From the payment's arrival at the importer's bank to the exporter's bank credited; median and 95th percentile over settled payments.",
  },
  {
    name: 'within_1h_share',
    unit: 'share (0–1)',
    definition:
      'Payments credited within one hour of arrival over all payments (unsettled ones count against). G20 target: 75%.',
  },
  {
    name: 'peak_liquidity_usd',
    unit: 'USD at reference rates',
    definition:
      "Per currency, the largest day's sum over accounts of (opening balance − lowest balance of the day); summed over currencies. What must be pre-funded for every payment to settle as the regime settles it.",
  },
  {
    name: 'bounds.upper_usd / bounds.lower_usd',
    unit: 'USD at reference rates',
    definition:
      "BoF-PSS bounds of the flows (Leinonen & Soramäki), every payment settled at arrival at mid between the importer's bank and the FX side pooled: upper, gross settlement with no delay (the largest day's sum of drawdowns); lower, the largest day's sum of end-of-day net debits (multilateral net), per currency and summed. A regime that fails payments settles less than the flows, and can lie below this lower bound: see regimes[].bounds.",
  },
  {
    name: 'regimes[].bounds.upper_usd / .lower_usd (corridor_lsm)',
    unit: 'USD at reference rates',
    definition:
      "BoF-PSS bounds of what the regime must settle: the payments it settled (failed ones excluded), with the amounts its legs moved (spreads and fees included), the FX side pooled as for its peak. Lower: the largest day's multilateral net of the payments settled that day (a payment belongs to the UTC day it settled in); its peak is never below it. Upper: each settled payment gross at its arrival, with no delay (a payment carried past midnight UTC at the opening of the day it settled in). Waiting can put its peak above the upper bound by scheme fees (a payment paid before the receipt that would have funded it).",
  },
  {
    name: 'stranded_usd',
    unit: 'USD at mid',
    definition:
      "bilateral_local: Σ over pairs of what the surplus country accumulates in its partner's currency and cannot spend bilaterally. corridor_*: the FX providers' net accumulation of currencies (positive inventory drift), the multilateral residual. usd_correspondent: 0 (USD is spendable anywhere).",
  },
  {
    name: 'residual_usd',
    unit: 'USD at mid',
    definition:
      'Σ over countries of max(0, imports − exports) inside the network: the multilateral imbalance only swap lines, investment or an FX market can absorb.',
  },
  {
    name: 'settled / queued / failed',
    unit: 'payments',
    definition:
      'Payments credited, still waiting at the end of the period, and refused or rejected.',
  },
];

function percentile(sorted: Float64Array, share: number): number | null {
  if (sorted.length === 0) return null;
  const position = Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1);
  const value = sorted[Math.max(0, position)];
  return value === undefined ? null : Math.round(value * 1000) / 1000;
}

const HISTOGRAM_EDGES = [60, 600, 3_600, 4 * 3_600, 24 * 3_600, 3 * 86_400];

interface PairTally {
  payments: number;
  value: number;
  cost: number;
  debited: number;
  within: number;
  times: number[];
}

/** Totals of a regime's records over the payments, overall and per directed pair. */
function tally(flows: Flows, run: RegimeRun) {
  let debited = 0;
  let cost = 0;
  let value = 0;
  let within = 0;
  const counts = [0, 0, 0];
  const times: number[] = [];
  const histogram = new Array<number>(HISTOGRAM_EDGES.length + 1).fill(0);
  const pairs = flows.pairs.map((): PairTally => ({
    payments: 0,
    value: 0,
    cost: 0,
    debited: 0,
    within: 0,
    times: [] as number[],
  }));
  for (let index = 0; index < flows.count; index += 1) {
    const status = run.status[index] ?? PAYMENT_FAILED;
    counts[status] = (counts[status] ?? 0) + 1;
    const paymentValue = flows.valueUsd[index] ?? 0;
    value += paymentValue;
    const pair = pairs[flows.pair[index] ?? 0];
    if (pair === undefined) continue;
    pair.payments += 1;
    pair.value += paymentValue;
    if (status !== PAYMENT_SETTLED) continue;
    const paymentCost = run.costUsd[index] ?? 0;
    cost += paymentCost;
    debited += paymentValue + paymentCost;
    pair.cost += paymentCost;
    pair.debited += paymentValue + paymentCost;
    const seconds = ((run.creditedAt[index] ?? 0) - (flows.arrival[index] ?? 0)) / 1000;
    times.push(seconds);
    pair.times.push(seconds);
    const bucket = HISTOGRAM_EDGES.findIndex((edge) => seconds <= edge);
    histogram[bucket === -1 ? HISTOGRAM_EDGES.length : bucket] =
      (histogram[bucket === -1 ? HISTOGRAM_EDGES.length : bucket] ?? 0) + 1;
    if (seconds <= 3_600) {
      within += 1;
      pair.within += 1;
    }
  }
  return { debited, cost, value, within, counts, times, histogram, pairs };
}

function strandedOf(run: RegimeRun): number {
  if (run.name === 'usd_correspondent') return 0;
  if (run.name === 'bilateral_local') {
    const stranded = (run.details.stranded as { usd: number }[] | undefined) ?? [];
    return stranded.reduce((sum, item) => sum + item.usd, 0);
  }
  const drift = (run.details.provider_inventory_drift_usd as { usd: number }[] | undefined) ?? [];
  return drift.reduce((sum, item) => sum + Math.max(0, item.usd), 0);
}

function summarise(flows: Flows, run: RegimeRun, residualUsd: number): RegimeReport {
  const { debited, cost, value, within, counts, times, histogram, pairs } = tally(flows, run);
  const sorted = Float64Array.from(times).sort();
  const bps = (c: number, d: number): number | null =>
    d > 0 ? Math.round((c / d) * 10_000 * 1000) / 1000 : null;
  const share = (w: number, n: number): number | null =>
    n > 0 ? Math.round((w / n) * 1e6) / 1e6 : null;
  const stranded = strandedOf(run);
  return {
    name: run.name,
    payments: flows.count,
    value_usd: round2(value),
    cost_bps: bps(cost, debited),
    time_to_credit_p50_s: percentile(sorted, 0.5),
    time_to_credit_p95_s: percentile(sorted, 0.95),
    within_1h_share: share(within, flows.count),
    peak_liquidity_usd: run.liquidity.peakUsedUsd,
    stranded_usd: round2(stranded),
    residual_usd: run.name === 'usd_correspondent' ? 0 : round2(residualUsd),
    settled: counts[PAYMENT_SETTLED] ?? 0,
    queued: counts[PAYMENT_QUEUED] ?? 0,
    failed: counts[PAYMENT_FAILED] ?? 0,
    time_to_credit_histogram: histogram.map((payments, bucket) => ({
      le_s: HISTOGRAM_EDGES[bucket] ?? null,
      payments,
    })),
    liquidity: run.liquidity,
    ...(run.bounds === undefined ? {} : { bounds: run.bounds }),
    corridors: flows.pairs
      .map((row, index) => {
        const pair = pairs[index];
        const pairTimes = Float64Array.from(pair?.times ?? []).sort();
        return {
          from: row.importer,
          to: row.exporter,
          payments: pair?.payments ?? 0,
          value_usd: round2(pair?.value ?? 0),
          cost_bps: bps(pair?.cost ?? 0, pair?.debited ?? 0),
          within_1h_share: share(pair?.within ?? 0, pair?.payments ?? 0),
          time_to_credit_p50_s: percentile(pairTimes, 0.5),
        };
      })
      .filter((pair) => pair.payments > 0),
    details: run.details,
  };
}

function optionAssumptions(options: SimulationOptions): Assumption[] {
  return [
    {
      name: 'year',
      value: options.year,
      source:
        'Option --year: the calendar simulated. Trade rows of other years (2022, 2023, FY2023-24) are used as they are, without growth adjustment.',
      assumption: true,
    },
    {
      name: 'scale',
      value: options.scale,
      source: "Option --scale: share of each directed pair's annual value simulated.",
      assumption: false,
    },
    {
      name: 'days',
      value: options.days,
      source:
        "Option --days: calendar days from 1 January; each pair's value is pro rata to the importer's business days simulated.",
      assumption: false,
    },
    {
      name: 'seed',
      value: options.seed,
      source: 'Option --seed of the pseudo-random generator.',
      assumption: false,
    },
    {
      name: 'trade_flows',
      value: 'data/brics_trade.csv',
      source:
        "Rows cite their sources (China GAC, India Commerce Ministry, Egypt CAPMAS, Brazil MDIC, UN Comtrade…); see the file's source column and data/SOURCES.md.",
      assumption: false,
    },
    {
      name: 'reference_rates',
      value: 'data/fx_reference_rates.csv (2024-06-15)',
      source:
        'currencyapi.com-format snapshot, see data/SOURCES.md; one rate for the whole period (no FX movement).',
      assumption: true,
    },
    {
      name: 'invoice_size_distribution',
      value: {
        kind: 'log-normal',
        median_usd: options.invoiceMedianUsd,
        sigma: options.invoiceSigma,
        max_usd: options.invoiceMaxUsd,
      },
      source:
        "Assumption: trade transaction values are heavy-tailed; log-normal with median USD 150k and sigma 2 (mean about USD 1.1m) gives about 1.1 million payments for a year at scale 1. Draws are capped at the maximum, then scaled so each pair's total equals its trade value.",
      assumption: true,
    },
    {
      name: 'arrival_pattern',
      value: options.arrivalPattern,
      source:
        "Assumption: relative weights of ten equal segments of each importer's business day from opening to cross-border cut-off (morning and afternoon peaks, lunch dip).",
      assumption: true,
    },
  ];
}

function modelAssumptions(options: SimulationOptions): Assumption[] {
  return [
    {
      name: 'fx_providers',
      value: options.providers,
      source:
        "Assumption: the demo network's four providers and spreads (src/service/demo.ts), quoting every pair at the reference cross rate with a deterministic per-pair skew of −5 to +5 bps on the spread; the cheapest offer wins each quote.",
      assumption: true,
    },
    {
      name: 'scheme_fee_usd',
      value: options.schemeFeeUsd,
      source: "Assumption: the demo network's scheme fee, USD 1 equivalent per payment.",
      assumption: true,
    },
    {
      name: 'batch_window_ms',
      value: options.batchWindowMs,
      source:
        "Engine batching in simulated time: payments arriving within this window share an engine batch, applied at the last arrival; it bounds Corridor's simulated time to credit.",
      assumption: true,
    },
    {
      name: 'batch_max',
      value: options.batchMax,
      source: 'Most payments per engine batch.',
      assumption: true,
    },
    {
      name: 'prefund_usd',
      value: options.prefundUsd,
      source:
        'Balance each bank and provider starts with per currency (topped up when below half). Large on purpose: liquidity is measured, not constrained.',
      assumption: true,
    },
    {
      name: 'liquidity_day',
      value: 'UTC day',
      source:
        'Liquidity is measured per UTC day: each day opens with the previous close; end-of-day imbalances carry over (USD positions are assumed rebalanced outside the model).',
      assumption: true,
    },
    {
      name: 'holidays',
      value: 'none',
      source: 'Public holidays are not modelled; weekends per data/country-calendars.csv.',
      assumption: true,
    },
  ];
}

function lsmAssumptions(options: SimulationOptions): Assumption[] {
  return [
    {
      name: 'lsm_funding_share',
      value: options.lsmFundingShare,
      source:
        "corridor_lsm: each bank opens every UTC day at its own lower bound plus this share of the gap to its own upper bound (bounds.ts), and each FX provider so for the whole FX side in each currency, plus 1% for spreads and fees. At midnight UTC a bank is restored to that level by its own central bank (issue or redeem, not a payment); a provider short of a foreign currency is lent it from a swap line, the rest issued (reported as restoration). An assumption chosen so that the queue does work.",
      assumption: true,
    },
    {
      name: 'lsm_cycle_ms',
      value: options.lsmCycleMs,
      source:
        "corridor_lsm: the engine's gridlock-resolution cycle (network setting queue.cycleMs), run in simulated time between arrivals while payments wait.",
      assumption: true,
    },
    {
      name: 'lsm_max_wait_s',
      value: options.lsmMaxWaitSeconds,
      source:
        "corridor_lsm: the quote's validity, hence the latest settlement time of a queued payment; a payment still queued then is rejected by the engine (AB01) and counted failed.",
      assumption: true,
    },
    {
      name: 'swap_line_share',
      value: options.swapLineShare,
      source:
        "corridor_lsm: a swap line between every two member central banks, each way; each line's limit is this share of the expected daily gross flow in its currency (what is paid and received in it over the run, divided by its calendar days), at the reference rates. A provider short of a foreign currency at midnight UTC is lent it by its home central bank, which draws it on the line; what the line cannot cover is issued by the currency's central bank and reported as restoration. An assumption: real bilateral lines (e.g. the PBoC's) are agreed in fixed amounts unrelated to a day's flow.",
      assumption: true,
    },
    {
      name: 'swap_rate_bps',
      value: options.swapRateBps,
      source:
        "corridor_lsm: the swap lines' yearly rate, simple interest actual/360, paid by the providers to their central bank and by it to the issuer (src/engine/swap-lines.ts). An assumption: no intra-BRICS line publishes its price.",
      assumption: true,
    },
    {
      name: 'swap_tenor_days',
      value: options.swapTenorDays,
      source:
        "corridor_lsm: each draw's tenor; at the tenor the line is repaid (the provider is issued what it lacks to repay, reported) and drawn again the same midnight if it is still needed. An assumption of about a quarter, as the Federal Reserve's 84-day swap operations of 2020.",
      assumption: true,
    },
  ];
}

function assumptionsOf(
  options: SimulationOptions,
  baseline: BaselineParameters,
  flows: Flows,
): Assumption[] {
  const list: Assumption[] = [
    ...optionAssumptions(options),
    ...modelAssumptions(options),
    ...(options.regimes.includes('corridor_lsm') ? lsmAssumptions(options) : []),
  ];
  for (const [group, values] of Object.entries(baseline)) {
    if (typeof values !== 'object' || values === null) continue;
    for (const [name, entry] of Object.entries(
      values as Record<
        string,
        { value: unknown; unit: string; source: string; assumption: boolean }
      >,
    )) {
      list.push({
        name: `${group}.${name}`,
        value: entry.value,
        source: `${entry.unit}. ${entry.source} (data/baseline-parameters.json)`,
        assumption: entry.assumption,
      });
    }
  }
  for (const split of loadSplits()) {
    list.push({
      name: `direction_split.${split.a}-${split.b}`,
      value: split.aToBShare,
      source: `Share of the ${split.a}-${split.b} two-way total exported by ${split.a}. ${split.source} (data/trade-direction-splits.csv)`,
      assumption: split.assumption,
    });
  }
  for (const calendar of loadCalendars()) {
    if (!flows.countries.includes(calendar.country) && calendar.country !== 'US') continue;
    const time = (minutes: number): string =>
      `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    list.push({
      name: `calendar.${calendar.country}`,
      value: {
        time_zone: calendar.timeZone,
        utc_offset_minutes: calendar.utcOffsetMinutes,
        weekend: calendar.weekend,
        open: time(calendar.open),
        cutoff: time(calendar.cutoff),
        close: time(calendar.close),
      },
      source: `${calendar.source} (data/country-calendars.csv)`,
      assumption: calendar.assumption,
    });
  }
  return list;
}

function checkOptions(options: SimulationOptions): void {
  const bad = (message: string): never => {
    throw new SimulationError('invalid_option', message);
  };
  if (!Number.isInteger(options.year) || options.year < 2000 || options.year > 2100)
    bad('The year must be an integer from 2000 to 2100.');
  if (!Number.isFinite(options.scale) || options.scale <= 0 || options.scale > 10)
    bad('The scale must be greater than 0 and at most 10.');
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > 366)
    bad('The days must be an integer from 1 to 366.');
  if (!Number.isSafeInteger(options.seed)) bad('The seed must be an integer.');
  if (
    !(options.invoiceMedianUsd > 0) ||
    !(options.invoiceSigma >= 0) ||
    !(options.invoiceMaxUsd >= options.invoiceMedianUsd)
  )
    bad(
      'The invoice distribution needs a positive median, a sigma ≥ 0 and a maximum ≥ the median.',
    );
  if (options.regimes.length === 0) bad('Name at least one regime.');
  for (const name of options.regimes) {
    if (!REGIME_NAMES.includes(name))
      throw new SimulationError(
        'regime_unknown',
        `Unknown regime "${String(name)}"; known: ${REGIME_NAMES.join(', ')}.`,
      );
  }
  if (!(options.lsmFundingShare > 0) || options.lsmFundingShare > 1)
    bad('The corridor_lsm funding share must be greater than 0 and at most 1.');
  const cycle = options.lsmCycleMs;
  if (!Number.isInteger(cycle) || cycle < 0 || cycle > 60_000)
    bad('The corridor_lsm cycle must be an integer from 0 to 60,000 ms.');
  if (
    !Number.isInteger(options.lsmMaxWaitSeconds) ||
    options.lsmMaxWaitSeconds < 1 ||
    options.lsmMaxWaitSeconds > 3_600
  )
    bad('The corridor_lsm wait must be an integer from 1 to 3,600 seconds.');
  if (!(options.swapLineShare >= 0) || options.swapLineShare > 10)
    bad('The corridor_lsm swap-line share must be from 0 to 10.');
  const rate = options.swapRateBps;
  if (!Number.isInteger(rate) || rate < 0 || rate > 10_000)
    bad('The corridor_lsm swap-line rate must be an integer from 0 to 10,000 basis points.');
  const tenor = options.swapTenorDays;
  if (!Number.isInteger(tenor) || tenor < 1 || tenor > 366)
    bad('The corridor_lsm swap-line tenor must be an integer from 1 to 366 days.');
}

async function runRegimes(
  flows: Flows,
  options: SimulationOptions,
  data: Pick<RegimeContext, 'calendars' | 'usdPerUnit' | 'baseline'>,
): Promise<RegimeRun[]> {
  const regimes: Regime[] = [];
  for (const name of options.regimes) {
    if (name === 'usd_correspondent') regimes.push(usdCorrespondentRegime());
    else if (name === 'bilateral_local') regimes.push(bilateralRegime());
    else if (name === 'corridor_gross') regimes.push(corridorGrossRegime(options));
    else regimes.push(corridorLsmRegime(options));
  }
  const runs: RegimeRun[] = [];
  for (const regime of regimes) {
    const run = await regime.run(flows, {
      ...data,
      seed: options.seed,
      progress: (done) => options.onProgress?.(regime.name, done),
    });
    await options.onProgress?.(regime.name, 1);
    runs.push(run);
  }
  return runs;
}

/** Value per exporter (rows) and importer (columns), and the total. */
function flowMatrix(flows: Flows): { matrix: number[][]; value: number } {
  const n = flows.countries.length;
  const matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  let value = 0;
  for (let index = 0; index < flows.count; index += 1) {
    const row = matrix[flows.exporter[index] ?? 0];
    const amount = flows.valueUsd[index] ?? 0;
    value += amount;
    if (row !== undefined) {
      row[flows.importer[index] ?? 0] = (row[flows.importer[index] ?? 0] ?? 0) + amount;
    }
  }
  return { matrix, value };
}

/** Builds the payments of a simulation (exposed for tests: every regime sees these). */
export function simulationFlows(options: SimulationOptions): Flows {
  return buildFlows(loadDirectedTrade(), loadCalendars(), {
    year: options.year,
    days: options.days,
    scale: options.scale,
    seed: options.seed,
    invoiceMedianUsd: options.invoiceMedianUsd,
    invoiceSigma: options.invoiceSigma,
    invoiceMaxUsd: options.invoiceMaxUsd,
    arrivalPattern: options.arrivalPattern,
  });
}

export interface SimulationRun {
  readonly report: SimulationReport;
  readonly flows: Flows;
  readonly runs: readonly RegimeRun[];
}

/** Runs the simulation and returns the report with the payments and raw regime records. */
export async function runSimulationDetailed(
  input: Partial<SimulationOptions> = {},
): Promise<SimulationRun> {
  const options: SimulationOptions = { ...DEFAULT_OPTIONS, ...input };
  checkOptions(options);
  const baseline = loadBaselineParameters();
  const calendars = new Map(loadCalendars().map((calendar) => [calendar.country, calendar]));
  const usdPerUnit = new Map(
    [...loadUsdRates()].map(([code, rate]) => [
      code,
      { perUsd: Number(rate.perUsd), minorUnits: rate.minorUnits },
    ]),
  );
  const flows = simulationFlows(options);
  const multilateral = multilateralBalances(flows);
  const residual = multilateral.reduce((sum, item) => sum + Math.max(0, -item.balanceUsd), 0);
  const runs = await runRegimes(flows, options, { calendars, usdPerUnit, baseline });
  const bounds = liquidityBounds(flows);
  const { matrix, value } = flowMatrix(flows);
  const report: SimulationReport = {
    year: options.year,
    seed: options.seed,
    scale: options.scale,
    days: options.days,
    payments: flows.count,
    value_usd: round2(value),
    generated_at: (options.now?.() ?? new Date()).toISOString(),
    regimes: runs.map((run) => summarise(flows, run, residual)),
    not_run: REGIME_NAMES.filter((name) => !AVAILABLE_REGIMES.includes(name)).map((name) => ({
      name,
      reason: 'Not available in this build; not faked.',
    })),
    bounds: {
      currencies: bounds.currencies.map((item) => ({
        currency: item.currency,
        upper_usd: item.peakUsedUsd,
        lower_usd: item.peakNetDebitUsd,
      })),
      upper_usd: bounds.peakUsedUsd,
      lower_usd: bounds.peakNetDebitUsd,
    },
    balances: { multilateral, bilateral: bilateralImbalances(flows) },
    flow_matrix: { countries: flows.countries, value_usd: matrix.map((row) => row.map(round2)) },
    targets: {
      cost_bps_retail: baseline.targets.g20_cost_retail_bps.value,
      within_1h_share: baseline.targets.g20_speed_within_1h_share.value,
    },
    figures: FIGURES,
    assumptions: assumptionsOf(options, baseline, flows),
    swap_lines: runs.flatMap((run) => run.swapLines ?? []),
  };
  return { report, flows, runs };
}

/** `corridor simulate` as a function: the report (report.json). */
export async function runSimulation(
  input: Partial<SimulationOptions> = {},
): Promise<SimulationReport> {
  return (await runSimulationDetailed(input)).report;
}
