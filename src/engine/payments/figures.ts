// Service figures of a payment, defined once for every place that shows them (the dashboard's
// service view, /metrics, the payment view): time to credit from the request's arrival, whether
// it was credited within the hour, and its cost, the FX spread against the mid rate plus fees.
import { convertBack, parseRate } from '../fx/rate.js';
import { findCurrency } from '../../money/currency.js';
import type { Payment } from './model.js';

/** The G20 speed target's window: credited within one hour of arrival. */
export const CREDIT_WINDOW_MS = 3_600_000;

/** Values at mid are kept in millionths of a source minor unit: exact enough, and bigint. */
export const MID_VALUE_SCALE = 1_000_000n;

/** Cost in basis points is given to this many decimals (floored). */
const BPS_DECIMALS = 6;

/**
 * The arrival time a command carries, as the engine records it. Commands journaled before
 * arrival was recorded (or a malformed time) arrive when their batch is applied; a time after
 * the batch (a clock that stepped back) is the batch's time: nothing is credited before it
 * arrived.
 */
export function arrivalTime(receivedAt: unknown, now: number): number {
  return typeof receivedAt === 'number' && Number.isSafeInteger(receivedAt) && receivedAt >= 0
    ? Math.min(receivedAt, now)
    : now;
}

/** When the creditor agent was credited (ACCC), if it was. */
export function creditedAt(payment: Payment): number | undefined {
  return payment.events.find((event) => event.status === 'ACCC')?.at;
}

/** Time to credit: from the request's arrival to the creditor agent credited (ACCC). */
export function timeToCreditMs(payment: Payment): number | undefined {
  const credited = creditedAt(payment);
  return credited === undefined ? undefined : Math.max(0, credited - payment.receivedAt);
}

export function isCrossBorder(payment: Payment): boolean {
  return payment.sourceCurrency !== payment.targetCurrency;
}

/**
 * A payment's cost at the mid rate, in millionths of source minor units: what was debited (the
 * amount sent plus every fee) and what was credited, converted to the source currency at the
 * quote's mid rate. Their difference is the FX spread plus fees. Undefined when the mid rate
 * is unknown (a cross-currency payment without one).
 */
export interface MidValues {
  readonly debitedAtMid: bigint;
  readonly creditedAtMid: bigint;
}

export function midValuesOf(payment: Payment): MidValues | undefined {
  const debitedAtMid = payment.debitAmount * MID_VALUE_SCALE;
  if (!isCrossBorder(payment)) {
    return { debitedAtMid, creditedAtMid: payment.creditAmount * MID_VALUE_SCALE };
  }
  const source = findCurrency(payment.sourceCurrency);
  const target = findCurrency(payment.targetCurrency);
  const mid = payment.midRate === undefined ? undefined : parseRate(payment.midRate);
  if (source === undefined || target === undefined || mid === undefined || !mid.ok) {
    return undefined;
  }
  // Floor: the credited value is never overstated, so the cost is never understated.
  const creditedAtMid = convertBack(
    payment.creditAmount * MID_VALUE_SCALE,
    mid.rate,
    { source: source.exponent, target: target.exponent },
    'floor',
  );
  return { debitedAtMid, creditedAtMid };
}

/**
 * cost_bps = (value at mid debited − value at mid credited) / value at mid debited × 10,000,
 * i.e. the FX spread plus fees, in basis points of the value sent. Summed values give the
 * value-weighted cost of many payments. Null when nothing was debited.
 */
export function costBps(values: MidValues): number | null {
  if (values.debitedAtMid <= 0n) return null;
  const scale = 10n ** BigInt(BPS_DECIMALS);
  const scaled =
    ((values.debitedAtMid - values.creditedAtMid) * 10_000n * scale) / values.debitedAtMid;
  return Number(scaled) / Number(scale);
}

/** Fees alone, in basis points of the value debited (the rest of costBps is the spread). */
export function feeBps(fees: bigint, debitedAtMid: bigint): number | null {
  if (debitedAtMid <= 0n) return null;
  const scale = 10n ** BigInt(BPS_DECIMALS);
  return Number((fees * MID_VALUE_SCALE * 10_000n * scale) / debitedAtMid) / Number(scale);
}

/**
 * How payments fare against the one-hour target. Every payment that arrived is in `received`
 * and, at any time, in exactly one of the other counts:
 * - withinHour: credited within an hour of arrival;
 * - creditedLate: credited, but more than an hour after arrival;
 * - rejected: rejected (by the creditor agent, a reviewer, a deadline, a control);
 * - openOverHour: still open (held for review, queued, waiting for the creditor agent) more
 *   than an hour after arrival;
 * - openUnderHour: still open and within its hour: the only ones not yet decided.
 * "Credited within 1 h" is withinHour / (received − openUnderHour): over every payment whose
 * hour is up or that has finished, with late, rejected and overdue ones counted against it.
 */
export interface CreditCounts {
  received: number;
  withinHour: number;
  creditedLate: number;
  rejected: number;
  openOverHour: number;
  openUnderHour: number;
}

export function emptyCreditCounts(): CreditCounts {
  return {
    received: 0,
    withinHour: 0,
    creditedLate: 0,
    rejected: 0,
    openOverHour: 0,
    openUnderHour: 0,
  };
}

/** The payments whose one-hour verdict is known. */
export function creditDue(counts: CreditCounts): number {
  return counts.received - counts.openUnderHour;
}

interface OpenPayment {
  readonly receivedAt: number;
  readonly groups: readonly string[];
  overHour: boolean;
}

export const CREDIT_TRACKER_LIMITS = {
  /**
   * Open payments followed one by one. Beyond this, a newly open payment is counted at once
   * as open over the hour and stays so: the figure may then understate, never flatter.
   */
  openMax: 2_000_000,
} as const;

/**
 * Keeps CreditCounts per group (a corridor, a participant's corridor …) from the status changes
 * of payments: arrival (ACTC), crediting (ACCC), rejection (RJCT), and the passing of time.
 */
export class CreditTracker {
  private readonly counts = new Map<string, CreditCounts>();
  private readonly open = new Map<string, OpenPayment>();
  /** Open payments in order of arrival (roughly: batches interleave by milliseconds). */
  private dueQueue: string[] = [];
  private dueHead = 0;

  constructor(private readonly openMax: number = CREDIT_TRACKER_LIMITS.openMax) {}

  countsOf(group: string): CreditCounts {
    return this.counts.get(group) ?? emptyCreditCounts();
  }

  groups(): IterableIterator<string> {
    return this.counts.keys();
  }

  clear(): void {
    this.counts.clear();
    this.open.clear();
    this.dueQueue = [];
    this.dueHead = 0;
  }

  private each(groups: readonly string[], change: (counts: CreditCounts) => void): void {
    for (const group of groups) {
      let counts = this.counts.get(group);
      if (counts === undefined) this.counts.set(group, (counts = emptyCreditCounts()));
      change(counts);
    }
  }

  /** A payment arrived (its ACTC), at `now`. */
  arrived(paymentId: string, receivedAt: number, groups: readonly string[], now: number): void {
    if (this.open.has(paymentId)) return;
    const overHour = now - receivedAt > CREDIT_WINDOW_MS || this.open.size >= this.openMax;
    this.each(groups, (counts) => {
      counts.received += 1;
      if (overHour) counts.openOverHour += 1;
      else counts.openUnderHour += 1;
    });
    // Beyond the limit the payment is not followed: it stays counted as open over the hour.
    if (this.open.size >= this.openMax) return;
    this.open.set(paymentId, { receivedAt, groups, overHour });
    if (!overHour) this.dueQueue.push(paymentId);
  }

  /** A payment followed since its arrival finished: credited at `at`, or rejected. */
  finished(paymentId: string, outcome: { credited: boolean; at: number }): void {
    const entry = this.open.get(paymentId);
    if (entry === undefined) return;
    this.open.delete(paymentId);
    const within = outcome.credited && outcome.at - entry.receivedAt <= CREDIT_WINDOW_MS;
    this.each(entry.groups, (counts) => {
      if (entry.overHour) counts.openOverHour -= 1;
      else counts.openUnderHour -= 1;
      if (!outcome.credited) counts.rejected += 1;
      else if (within) counts.withinHour += 1;
      else counts.creditedLate += 1;
    });
    this.compact();
  }

  /** Open payments whose hour is up at `now` count as open over the hour from now on. */
  advance(now: number): void {
    while (this.dueHead < this.dueQueue.length) {
      const id = this.dueQueue[this.dueHead] ?? '';
      const entry = this.open.get(id);
      if (entry !== undefined) {
        if (now - entry.receivedAt <= CREDIT_WINDOW_MS) break;
        entry.overHour = true;
        this.each(entry.groups, (counts) => {
          counts.openUnderHour -= 1;
          counts.openOverHour += 1;
        });
      }
      this.dueHead += 1;
    }
    this.compact();
  }

  /** Drops finished payments from the queue once they outnumber the open ones. */
  private compact(): void {
    const queued = this.dueQueue.length - this.dueHead;
    if (queued <= 1_024 || queued <= 2 * this.open.size) return;
    this.dueQueue = this.dueQueue
      .slice(this.dueHead)
      .filter((id) => this.open.get(id)?.overHour === false);
    this.dueHead = 0;
  }
}
