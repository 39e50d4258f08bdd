// Liquidity figures of the engine's UTC day, per participant and currency (summed per currency):
// peak liquidity used, queue times, value settled through offsetting, and the day's theoretical
// bounds (Bank of Finland BoF-PSS terms). Kept in engine state and updated by batches only, so a
// replay or a standby computes the same figures. Definitions: docs/liquidity.md.
import type { BatchContext, NetworkState } from '../state.js';
import type { Payment } from '../payments/model.js';
import { netsOf } from './resolve.js';

/** Upper edges of the queue-time histogram buckets, in ms (the last bucket is open). */
export const QUEUE_TIME_BUCKETS_MS = [
  0, 10, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000, 900_000,
  1_800_000, 3_600_000, 7_200_000, 14_400_000, 43_200_000, 86_400_000,
] as const;

const HOUR_MS = 3_600_000;

/** One settlement account's figures of the day. */
export interface AccountFigures {
  readonly participant: string;
  readonly currency: string;
  day: number;
  /** Posted balance when the day's first batch touched it. */
  start: bigint;
  /**
   * Net of today's postings that are not payment legs: issuance, redemption, facility and
   * swap-line lending and repayment. Absent from figures a snapshot taken before it existed
   * holds (read as 0n).
   */
  external?: bigint;
  /**
   * Lowest of posted balance − `external` seen at a batch's end: where payments alone would
   * have taken the balance, so that a central bank funding the account during the day neither
   * hides nor adds to the liquidity its payments used.
   */
  low: bigint;
  /** Net of this account's payments still queued. */
  queuedNet: bigint;
  /** Net of every payment submitted today (settled, queued or later rejected). */
  submittedNet: bigint;
  /**
   * Lowest that running net reached today: the drawdown had every payment settled gross at
   * submission (the upper bound). Payments only: issuance and redemption during the day (a
   * central bank funding the account) neither hide nor add to it.
   */
  submittedLow: bigint;
  /** Value (send amount) of its payments settled through offsetting. */
  offsetValue: bigint;
  /** Queue times of its settled payments (0 when they settled at once), bucketed. */
  readonly queueTimes: number[];
  settledWithinHour: number;
  settledCount: number;
}

export interface LiquidityFigures {
  /** Key: participant|currency. */
  readonly accounts: Map<string, AccountFigures>;
  /** Accounts whose balance a batch may have moved: updated at its end. */
  readonly dirty: Set<string>;
  /**
   * What the current batch submitted, queued and settled, applied at its end (updateFigures),
   * where the posted balance the day starts from is at hand; emptied at every batch's end.
   */
  readonly submitted: Map<string, bigint>;
  readonly queued: Map<string, bigint>;
  readonly settled: { payment: Payment; queuedAt: number | undefined;
    how: 'gross' | 'offset' | 'rejected' }[];
}

export function newFigures(): LiquidityFigures {
  return {
    accounts: new Map(), dirty: new Set(), submitted: new Map(), queued: new Map(), settled: [],
  };
}

function dayOf(now: number): number {
  return Math.floor(now / 86_400_000);
}

/** Settlement accounts seen, split once (account ids are few and never change meaning). */
const splits = new Map<string, { participant: string; currency: string } | null>();

/** participant:currency settlement accounts only (not issuance nor fee accounts). */
function split(accountId: string): { participant: string; currency: string } | undefined {
  let parts = splits.get(accountId);
  if (parts === undefined) {
    const pieces = accountId.split(':');
    parts = pieces.length === 2
      ? { participant: pieces[0] as string, currency: pieces[1] as string } : null;
    if (splits.size < 1_000_000) splits.set(accountId, parts);
  }
  return parts ?? undefined;
}

function figuresOf(
  figures: LiquidityFigures,
  participant: string,
  currency: string,
  now: number,
  posted: bigint,
): AccountFigures {
  const key = `${participant}|${currency}`;
  let account = figures.accounts.get(key);
  const day = dayOf(now);
  if (account === undefined) {
    account = {
      participant, currency, day, start: posted, external: 0n, low: posted, queuedNet: 0n,
      submittedNet: 0n, submittedLow: 0n, offsetValue: 0n,
      queueTimes: new Array<number>(QUEUE_TIME_BUCKETS_MS.length + 1).fill(0),
      settledWithinHour: 0, settledCount: 0,
    };
    figures.accounts.set(key, account);
  } else if (account.day !== day) {
    account.day = day;
    account.start = posted;
    account.external = 0n;
    account.low = posted;
    account.submittedNet = 0n;
    account.submittedLow = 0n;
    account.offsetValue = 0n;
    account.queueTimes.fill(0);
    account.settledWithinHour = 0;
    account.settledCount = 0;
  }
  return account;
}

function postedOf(state: NetworkState, accountId: string): bigint {
  return state.ledger.balance(accountId)?.posted ?? 0n;
}

function eachSettlementAccount(
  payment: Payment,
  visit: (participant: string, currency: string, accountId: string, net: bigint) => void,
): void {
  for (const [accountId, net] of netsOf(payment.legs)) {
    const parts = split(accountId);
    if (parts !== undefined) visit(parts.participant, parts.currency, accountId, net);
  }
}

/** A payment was submitted (settled at once or queued): it counts towards the day's bounds. */
export function recordSubmitted(figures: LiquidityFigures, payment: Payment, now: number): void {
  void now;
  const submitted = figures.submitted;
  for (const leg of payment.legs) {
    const { debitAccountId: debit, creditAccountId: credit, amount } = leg;
    if (split(debit) !== undefined) submitted.set(debit, (submitted.get(debit) ?? 0n) - amount);
    if (split(credit) !== undefined) submitted.set(credit, (submitted.get(credit) ?? 0n) + amount);
  }
}

export function recordQueued(figures: LiquidityFigures, payment: Payment, now: number): void {
  void now;
  for (const [accountId, net] of netsOf(payment.legs)) {
    if (split(accountId) === undefined) continue;
    figures.dirty.add(accountId);
    figures.queued.set(accountId, (figures.queued.get(accountId) ?? 0n) + net);
  }
}

export function recordSettled(
  figures: LiquidityFigures,
  payment: Payment,
  now: number,
  queuedAt: number | undefined,
  how: 'gross' | 'offset' | 'rejected',
): void {
  void now;
  figures.settled.push({ payment, queuedAt, how });
}

function bucketOf(ms: number): number {
  for (let index = 0; index < QUEUE_TIME_BUCKETS_MS.length; index++) {
    if (ms <= (QUEUE_TIME_BUCKETS_MS[index] as number)) return index;
  }
  return QUEUE_TIME_BUCKETS_MS.length;
}

/** At the end of a batch: balances, lows and the queue-time samples of what it did. */
export function updateFigures(state: NetworkState, context: BatchContext): void {
  const figures = state.liquidity;
  const now = context.now;
  for (const outcome of context.ledgerOutcomes) {
    for (const transfer of outcome.transfers) {
      if (split(transfer.debitAccountId) !== undefined) figures.dirty.add(transfer.debitAccountId);
      const credit = transfer.creditAccountId;
      if (split(credit) !== undefined) figures.dirty.add(credit);
    }
  }
  // The balance before this batch: posted now minus what the batch posted to it; and what of
  // that was not a payment's leg (a leg's reference is its payment's key in state.payments).
  const batchNet = new Map<string, bigint>();
  const batchExternal = new Map<string, bigint>();
  for (const outcome of context.ledgerOutcomes) {
    for (const transfer of outcome.transfers) {
      if (transfer.kind !== 'posted' && transfer.kind !== 'post_pending') continue;
      const { debitAccountId: debit, creditAccountId: credit, amount } = transfer;
      batchNet.set(debit, (batchNet.get(debit) ?? 0n) - amount);
      batchNet.set(credit, (batchNet.get(credit) ?? 0n) + amount);
      if (state.payments.has(transfer.reference)) continue;
      batchExternal.set(debit, (batchExternal.get(debit) ?? 0n) - amount);
      batchExternal.set(credit, (batchExternal.get(credit) ?? 0n) + amount);
    }
  }
  for (const settledPayment of figures.settled) {
    const { payment, queuedAt, how } = settledPayment;
    const wasQueued = queuedAt !== undefined;
    // Only a payment that waited changes what is queued (a settled one's accounts are dirty).
    if (wasQueued) {
      eachSettlementAccount(payment, (participant, currency, accountId, net) => {
        const account = figuresOf(figures, participant, currency, now,
          postedOf(state, accountId) - (batchNet.get(accountId) ?? 0n));
        account.queuedNet -= net;
        figures.dirty.add(accountId);
      });
    }
    if (how === 'rejected') continue;
    const debtorAccount = `${payment.debtorAgent}:${payment.sourceCurrency}`;
    const account = figuresOf(figures, payment.debtorAgent, payment.sourceCurrency, now,
      postedOf(state, debtorAccount) - (batchNet.get(debtorAccount) ?? 0n));
    const waited = wasQueued ? now - queuedAt : 0;
    const bucket = bucketOf(waited);
    account.queueTimes[bucket] = (account.queueTimes[bucket] as number) + 1;
    account.settledCount += 1;
    if (waited <= HOUR_MS) account.settledWithinHour += 1;
    if (how === 'offset') account.offsetValue += payment.sendAmount;
  }
  for (const accountId of figures.submitted.keys()) figures.dirty.add(accountId);
  for (const accountId of figures.dirty) {
    const parts = split(accountId);
    if (parts === undefined) continue;
    const posted = postedOf(state, accountId);
    const before = posted - (batchNet.get(accountId) ?? 0n);
    const account = figuresOf(figures, parts.participant, parts.currency, now, before);
    account.queuedNet += figures.queued.get(accountId) ?? 0n;
    account.submittedNet += figures.submitted.get(accountId) ?? 0n;
    if (account.submittedNet < account.submittedLow) account.submittedLow = account.submittedNet;
    account.external = (account.external ?? 0n) + (batchExternal.get(accountId) ?? 0n);
    const byPayments = posted - account.external;
    if (byPayments < account.low) account.low = byPayments;
  }
  figures.dirty.clear();
  figures.submitted.clear();
  figures.queued.clear();
  figures.settled.length = 0;
}

/** What GET /v1/liquidity reports for one participant in one currency, or a currency's sum. */
export interface LiquidityFigure {
  readonly currency: string;
  /** Absent on a currency's total. */
  readonly participant?: string;
  readonly peakLiquidityUsed: bigint;
  readonly upperBound: bigint;
  readonly lowerBound: bigint;
  readonly offsetValue: bigint;
  readonly queuedCount: number;
  readonly queuedValue: bigint;
  readonly settledCount: number;
  /** Upper edge of the histogram bucket holding the median (p50) and p99 queue time, in ms. */
  readonly queueTimeP50Ms: number;
  readonly queueTimeP99Ms: number;
  /** Share (0–1) of the day's settled payments that settled within one hour of submission. */
  readonly settledWithinHourShare: number;
}

function quantile(buckets: readonly number[], total: number, share: number): number {
  if (total === 0) return 0;
  const target = Math.ceil(total * share);
  let seen = 0;
  for (let index = 0; index < buckets.length; index++) {
    seen += buckets[index] as number;
    if (seen >= target) {
      return index < QUEUE_TIME_BUCKETS_MS.length
        ? (QUEUE_TIME_BUCKETS_MS[index] as number)
        : (QUEUE_TIME_BUCKETS_MS[QUEUE_TIME_BUCKETS_MS.length - 1] as number);
    }
  }
  return 0;
}

interface Totals {
  peak: bigint; upper: bigint; lower: bigint; offset: bigint; queuedCount: number;
  queuedValue: bigint; settled: number; withinHour: number; buckets: number[];
}

function emptyTotals(): Totals {
  return {
    peak: 0n, upper: 0n, lower: 0n, offset: 0n, queuedCount: 0, queuedValue: 0n, settled: 0,
    withinHour: 0, buckets: new Array<number>(QUEUE_TIME_BUCKETS_MS.length + 1).fill(0),
  };
}

function figureOf(
  currency: string,
  participant: string | undefined,
  totals: Totals,
): LiquidityFigure {
  return {
    currency,
    ...(participant === undefined ? {} : { participant }),
    peakLiquidityUsed: totals.peak,
    upperBound: totals.upper,
    lowerBound: totals.lower,
    offsetValue: totals.offset,
    queuedCount: totals.queuedCount,
    queuedValue: totals.queuedValue,
    settledCount: totals.settled,
    queueTimeP50Ms: quantile(totals.buckets, totals.settled, 0.5),
    queueTimeP99Ms: quantile(totals.buckets, totals.settled, 0.99),
    settledWithinHourShare: totals.settled === 0 ? 1 : totals.withinHour / totals.settled,
  };
}

/**
 * The day's figures: one per participant and currency, and one total per currency (the sum of
 * its participants' figures, as BoF-PSS sums system liquidity). `now` picks the day.
 */
export function liquidityReport(
  state: NetworkState,
  now: number,
): { participants: LiquidityFigure[]; currencies: LiquidityFigure[] } {
  const day = dayOf(now);
  const queued = new Map<string, { count: number; value: bigint }>();
  for (const entry of state.queue.entries.values()) {
    const payment = state.payments.get(entry.paymentId);
    const key = `${entry.debtorAgent}|${entry.sourceCurrency}`;
    const current = queued.get(key) ?? { count: 0, value: 0n };
    current.count += 1;
    current.value += payment?.debitAmount ?? 0n;
    queued.set(key, current);
  }
  const participants: LiquidityFigure[] = [];
  const currencies = new Map<string, Totals>();
  const keys = new Set([...state.liquidity.accounts.keys(), ...queued.keys()]);
  for (const key of [...keys].sort()) {
    const [participant = '', currency = ''] = key.split('|');
    const account = state.liquidity.accounts.get(key);
    const today = account !== undefined && account.day === day;
    const waiting = queued.get(key) ?? { count: 0, value: 0n };
    const totals = emptyTotals();
    if (today) {
      totals.peak = max0(account.start - account.low);
      totals.upper = max0(-account.submittedLow);
      totals.lower = max0(-account.submittedNet);
      totals.offset = account.offsetValue;
      totals.settled = account.settledCount;
      totals.withinHour = account.settledWithinHour;
      totals.buckets = [...account.queueTimes];
    }
    totals.queuedCount = waiting.count;
    totals.queuedValue = waiting.value;
    participants.push(figureOf(currency, participant, totals));
    const sum = currencies.get(currency) ?? emptyTotals();
    sum.peak += totals.peak;
    sum.upper += totals.upper;
    sum.lower += totals.lower;
    sum.offset += totals.offset;
    sum.queuedCount += totals.queuedCount;
    sum.queuedValue += totals.queuedValue;
    sum.settled += totals.settled;
    sum.withinHour += totals.withinHour;
    totals.buckets.forEach((value, index) => {
      sum.buckets[index] = (sum.buckets[index] as number) + value;
    });
    currencies.set(currency, sum);
  }
  return {
    participants,
    currencies: [...currencies.entries()].map(([currency, totals]) =>
      figureOf(currency, undefined, totals)),
  };
}

function max0(value: bigint): bigint {
  return value > 0n ? value : 0n;
}
