// Corridor with liquidity saving (regime 4): the real NetworkEngine, as corridor_gross drives
// it, with the settlement queue and gridlock resolution on (src/engine/liquidity), third-currency
// routes available to quoting, and every participant funded with LESS than gross settlement
// needs, so that payments wait and the queue does its work.
// - Funding: each account opens every UTC day at its own lower bound (largest end-of-day net
//   debit) plus a share (`lsmFundingShare`) of the gap to its own upper bound (largest daily
//   drawdown with every payment gross at arrival), as bounds.ts takes the flows, plus 1% for
//   spreads and fees (the bounds are at mid). A provider is funded so for the whole FX side
//   of each currency, since the cheapest provider of a pair serves all of it.
// - Each UTC midnight, through engine commands only (not payments):
//   1. swap-line repayments: a provider that owes on a swap line repays it with interest once
//      its surplus over its level in that currency covers what it owes, or at the line's tenor
//      (its currency's central bank issuing what it lacks then, reported); the holding central
//      bank then repays the line;
//   2. a bank's account is restored to its level by its own central bank (issue or redeem:
//      domestic liquidity, reported);
//   3. a provider short of a foreign currency X is lent X by its home central bank, which draws
//      X on its swap line with X's issuer (`draw_swap_line` + `lend_swap_funds`) up to the
//      line's room; what the line cannot cover (room used up, or X is the provider's home
//      currency, or it has no home central bank in the network) is issued by X's central bank
//      and reported as restoration. A provider's surplus is redeemed, except in a currency it
//      owes on a line: it keeps that to repay.
//   Each line's limit is `swapLineShare` of the expected daily gross flow in its currency.
// - Time: simulated. Arrivals are batched as in corridor_gross; between arrivals the engine is
//   applied with no commands at each resolution cycle (`cycleMs`) while anything waits. A pass
//   that changed nothing is not repeated until something can change (a deadline, an arrival,
//   a midnight): it would change nothing again.
// - A payment may wait until its quote expires (`lsmMaxWaitSeconds`); the engine then rejects it
//   (AB01), counted failed.
import type { NetworkCommand, NetworkResult } from '../engine/commands.js';
import type { NetworkConfigFile } from '../service/config-schema.js';
import type { NetworkEngine } from '../engine/engine.js';
import { settlementAccountId } from '../engine/model.js';
import {
  drawn,
  overdue,
  swapInterest,
  swapLineKey,
  total,
  type SwapLine,
} from '../engine/swap-lines.js';
import type { Payment } from '../engine/payments/model.js';
import { FX_SIDE } from './bounds.js';
import { corridorNetworkConfig, EngineRun, type CorridorOptions } from './corridor.js';
import type { Flows } from './flows.js';
import { LiquidityTracker, round2 } from './liquidity.js';
import {
  PAYMENT_FAILED,
  PAYMENT_QUEUED,
  type LiquidityBounds,
  type Regime,
  type RegimeContext,
  type RegimeRun,
} from './regime.js';

const DAY_MS = 86_400_000;
/** The pooled trackers count integer US cents: exact sums, whatever the order of the legs. */
const CENTS = 100;
/** Funding is sized at mid (the bounds); senders also pay spreads and fees: 1% on top. */
const COST_MARGIN = 1.01;

export interface AccountNeed {
  /** Largest daily drawdown with every payment settled gross at arrival, USD (its UB). */
  upperUsd: number;
  /** Largest end-of-day net debit, USD (its LB). */
  lowerUsd: number;
}

/**
 * Each account's own bounds, as bounds.ts takes the flows (gross at arrival, at mid, the FX
 * side pooled): key `participant|currency`, the FX side named FX_SIDE.
 */
export function accountNeeds(flows: Flows): Map<string, AccountNeed> {
  const needs = new Map<string, AccountNeed & { balance: number; open: number; low: number }>();
  let day = Number.NaN;
  const close = (): void => {
    for (const need of needs.values()) {
      need.upperUsd = Math.max(need.upperUsd, need.open - need.low);
      need.lowerUsd = Math.max(need.lowerUsd, need.open - need.balance);
      need.open = need.balance;
      need.low = need.balance;
    }
  };
  const move = (key: string, usd: number): void => {
    let need = needs.get(key);
    if (need === undefined) {
      need = { upperUsd: 0, lowerUsd: 0, balance: 0, open: 0, low: 0 };
      needs.set(key, need);
    }
    need.balance += usd;
    if (need.balance < need.low) need.low = need.balance;
  };
  for (let index = 0; index < flows.count; index += 1) {
    const at = flows.arrival[index] ?? 0;
    const today = Math.floor(at / DAY_MS);
    if (today !== day) {
      close();
      day = today;
    }
    const value = flows.valueUsd[index] ?? 0;
    const from = flows.importer[index] ?? 0;
    const to = flows.exporter[index] ?? 0;
    const source = flows.currencies[from] ?? '';
    const target = flows.currencies[to] ?? '';
    move(`bank-${(flows.countries[from] ?? '').toLowerCase()}|${source}`, -value);
    move(`${FX_SIDE}|${source}`, value);
    move(`${FX_SIDE}|${target}`, -value);
    move(`bank-${(flows.countries[to] ?? '').toLowerCase()}|${target}`, value);
  }
  close();
  return new Map(
    [...needs.entries()].map(([key, need]) => [
      key,
      { upperUsd: need.upperUsd, lowerUsd: need.lowerUsd },
    ]),
  );
}

export interface LsmOptions extends CorridorOptions {
  /** Share of each account's gross upper bound it is funded with every day (0 < share ≤ 1). */
  readonly lsmFundingShare: number;
  /** The engine's gridlock-resolution cycle, ms of simulated time (0–60,000). */
  readonly lsmCycleMs: number;
  /** How long a payment may wait in the queue: the quote's validity, seconds (1–3,600). */
  readonly lsmMaxWaitSeconds: number;
  /** Each swap line's limit: this share of the expected daily gross flow in its currency. */
  readonly swapLineShare: number;
  /** The swap lines' yearly rate, basis points (simple, actual/360). */
  readonly swapRateBps: number;
  /** Each draw's tenor, days. */
  readonly swapTenorDays: number;
}

/** One swap line's use over the run, as report.json gives it (USD at reference rates). */
export interface SwapLineUsage {
  /** The central bank that drew (the holder) and its country. */
  readonly holder: string;
  readonly holder_country: string;
  /** The currency drawn and its issuing central bank. */
  readonly currency: string;
  readonly issuer: string;
  readonly limit_usd: number;
  readonly rate_bps: number;
  readonly tenor_days: number;
  /** Draws made (each lent on to a provider the same moment). */
  readonly draws: number;
  /** Largest amount drawn and outstanding at once. */
  readonly peak_drawn_usd: number;
  /** UTC days that began with something drawn. */
  readonly drawn_days: number;
  /** Drawn amount averaged over the calendar days of the flows. */
  readonly average_outstanding_usd: number;
  /** Times the holder repaid the line in full. */
  readonly repayments: number;
  /** Of them, repayments forced by the tenor. */
  readonly repaid_at_tenor: number;
  /** Interest the holder paid the issuer, and received from its providers. */
  readonly interest_paid_usd: number;
  readonly interest_received_usd: number;
  /** Nothing drawn at the end of the run. */
  readonly repaid: boolean;
  readonly outstanding_end_usd: number;
  readonly overdue_end_usd: number;
}

/**
 * Expected daily gross flow per currency, USD: what is paid and received in it over the
 * flows, divided by the calendar days they cover.
 */
export function dailyGrossFlowUsd(flows: Flows): Map<string, number> {
  const gross = new Map<string, number>();
  for (let index = 0; index < flows.count; index += 1) {
    const value = flows.valueUsd[index] ?? 0;
    for (const side of [flows.importer[index] ?? 0, flows.exporter[index] ?? 0]) {
      const currency = flows.currencies[side] ?? '';
      gross.set(currency, (gross.get(currency) ?? 0) + value);
    }
  }
  const days = Math.max(1, Math.round((flows.end - flows.start) / DAY_MS));
  return new Map([...gross].map(([currency, usd]) => [currency, usd / days]));
}

function decimal(value: number, places: number): string {
  return value.toFixed(places).replace(/\.?0+$/, '');
}


export function corridorLsmRegime(options: LsmOptions): Regime {
  return {
    name: 'corridor_lsm',
    run: (flows, context) => new LsmRun(flows, context, options).run(),
  };
}

interface Account {
  readonly participant: string;
  readonly currency: string;
  /** Funding level in minor units: the balance each day opens at. */
  readonly level: bigint;
  /**
   * Tracked account of the per-account tracker, of the pooled (bounds-comparable) one, and of
   * the tracker of what was settled replayed at arrival (its bounds).
   */
  readonly own: number;
  readonly pooled: number;
  readonly bound: number;
  /** Issued and redeemed by the central bank's daily restorations, minor units. */
  issued: bigint;
  redeemed: bigint;
  /** Of `issued`: given at a swap line's tenor so that the provider could repay it. */
  tenorIssued: bigint;
  /** Lent to the account's provider from swap lines, and repaid with interest. */
  swapLent: bigint;
  swapRepaid: bigint;
}

interface CurrencyTotals {
  issued: number;
  redeemed: number;
  funding: number;
  /** Of `issued`: to FX providers (what swap lines did not cover). */
  providers: number;
  /** Of `issued`: at a line's tenor. */
  tenor: number;
  lent: number;
  repaid: number;
}

/** Usage of one swap line, accumulated at each midnight. */
interface LineUse {
  draws: number;
  peak: bigint;
  drawnDays: number;
  /** Σ over UTC days of the drawn amount at the day's start. */
  outstandingDays: bigint;
  repayments: number;
  atTenor: number;
}

/** One run of the engine with its queue on, over the flows. */
class LsmRun extends EngineRun<LsmOptions> {
  private readonly config: NetworkConfigFile;
  /** Providers pooled per currency, as the bounds take them: the headline figure. */
  private readonly pooled = new LiquidityTracker(CENTS);
  /** Every account on its own, as corridor_gross measures it. */
  private readonly own = new LiquidityTracker();
  /**
   * The bounds of what the regime settled: each settled payment's legs (the amounts the engine
   * moved, cents) replayed gross at its arrival, or at the opening of the UTC day it settled
   * in when that is later (a payment carried past midnight belongs to that day's business).
   * Upper bound: the largest day's drawdowns; lower bound: the largest day's net debits, which
   * are exactly the pooled tracker's (the same legs in the same days).
   */
  private readonly settledBounds = new LiquidityTracker(CENTS);
  /** Flow indices settled or failed (1), and settled legs waiting for their turn to replay. */
  private readonly finalised: Uint8Array;
  private unreplayed: { at: number; index: number; legs: [number, number][] }[] = [];
  private replayCursor = 0;
  private readonly accounts = new Map<string, Account>();
  private readonly issuerOf: Map<string, string>;
  private readonly providers: Set<string>;
  /** Provider → its home central bank (absent when its country is not a member). */
  private readonly homeBank = new Map<string, string>();
  private readonly lineUse = new Map<string, LineUse>();
  /** Payments waiting in the queue: id → flow index. */
  private readonly waiting = new Map<string, number>();
  /** Why payments waited (the engine's pending reason), and why they failed. */
  private readonly waitReasons = new Map<string, number>();
  private readonly failReasons = new Map<string, number>();
  private ticks = 0;
  private queuedEver = 0;
  private peakQueue = 0;
  private resets = 0;
  private restoreSequence = 0;
  /** Issued to holding central banks at a line's repayment (interest they lacked). */
  private readonly holderIssued = new Map<string, bigint>();
  private day = 0;
  private lastAt = -Infinity;

  constructor(flows: Flows, context: RegimeContext, options: LsmOptions) {
    super(flows, context, options);
    this.finalised = new Uint8Array(flows.count);
    this.providers = new Set(options.providers.map((provider) => provider.id));
    for (const provider of options.providers) {
      if (flows.countries.includes(provider.country)) {
        this.homeBank.set(provider.id, `cb-${provider.country.toLowerCase()}`);
      }
    }
    this.config = this.networkConfig();
    this.issuerOf = new Map(
      this.config.currencies.map((currency) => [currency.code, currency.issuer]),
    );
  }

  /** corridor_gross's network, with the queue on, the wait bound and the reduced funding. */
  private networkConfig(): NetworkConfigFile {
    const base = corridorNetworkConfig(this.flows, this.context, this.options);
    const needs = accountNeeds(this.flows);
    const issuance: NonNullable<NetworkConfigFile['issuance']> = [];
    for (const participant of base.participants) {
      if (participant.kind === 'central_bank') continue;
      for (const currency of participant.currencies) {
        const side = this.providers.has(participant.id) ? FX_SIDE : participant.id;
        const need = needs.get(`${side}|${currency}`) ?? { upperUsd: 0, lowerUsd: 0 };
        const share = this.options.lsmFundingShare;
        const usd = (need.lowerUsd + (need.upperUsd - need.lowerUsd) * share) * COST_MARGIN;
        const places = this.scale.get(currency) ?? 2;
        const level = BigInt(Math.round(usd * (this.perUsd.get(currency) ?? 1) * 10 ** places));
        this.accounts.set(settlementAccountId(participant.id, currency), {
          participant: participant.id,
          currency,
          level,
          own: this.own.account(participant.id, currency),
          pooled: this.pooled.account(side, currency),
          bound: this.settledBounds.account(side, currency),
          issued: 0n,
          redeemed: 0n,
          tenorIssued: 0n,
          swapLent: 0n,
          swapRepaid: 0n,
        });
        if (level > 0n) {
          issuance.push({
            currency,
            participant: participant.id,
            amount: decimal(Number(level) / 10 ** places, places),
          });
        }
      }
    }
    return {
      ...base,
      name: 'Corridor simulation network (liquidity saving)',
      settings: {
        ...base.settings,
        quoteTtlSeconds: this.options.lsmMaxWaitSeconds,
        queue: { enabled: true, capacity: 1_000_000, cycleMs: this.options.lsmCycleMs },
      },
      issuance,
      swapLines: this.swapLineConfig(base),
    };
  }

  /**
   * A swap line between every two member central banks, each way: the holder may draw the
   * issuer's currency up to `swapLineShare` of that currency's expected daily gross flow.
   */
  private swapLineConfig(base: NetworkConfigFile): NonNullable<NetworkConfigFile['swapLines']> {
    const daily = dailyGrossFlowUsd(this.flows);
    const lines: NonNullable<NetworkConfigFile['swapLines']> = [];
    for (const currency of base.currencies) {
      const usd = (daily.get(currency.code) ?? 0) * this.options.swapLineShare;
      const places = this.scale.get(currency.code) ?? 2;
      const limit = Math.round(usd * (this.perUsd.get(currency.code) ?? 1) * 10 ** places);
      if (limit <= 0) continue;
      for (const holder of base.participants) {
        if (holder.kind !== 'central_bank' || holder.id === currency.issuer) continue;
        lines.push({
          currency: currency.code,
          holder: holder.id,
          limit: decimal(limit / 10 ** places, places),
          rateBps: this.options.swapRateBps,
          tenorDays: this.options.swapTenorDays,
        });
      }
    }
    return lines;
  }

  async run(): Promise<RegimeRun> {
    const flows = this.flows;
    this.day = Math.floor(this.setUp(this.config) / DAY_MS);
    const queue = this.engine.state.queue;
    const cycle = this.options.lsmCycleMs;
    let index = 0;
    let idle = false;
    for (;;) {
      const nextArrival = index < flows.count ? (flows.arrival[index] ?? 0) : Infinity;
      let nextTick = Infinity;
      if (queue.entries.size > 0) {
        // Never before the last batch: engine time only moves forward.
        nextTick = Math.max(queue.lastRunAt + cycle, this.lastAt);
        if (idle) nextTick = Math.max(nextTick, queue.earliestDeadline);
      }
      const midnight = (this.day + 1) * DAY_MS;
      const next = Math.min(nextArrival, nextTick, midnight);
      if (nextArrival === Infinity && nextTick === Infinity) break;
      if (midnight <= next) {
        this.midnight(midnight);
        idle = false;
      } else if (nextTick < nextArrival) {
        const before = queue.entries.size;
        this.apply([], nextTick);
        this.ticks += 1;
        idle = queue.entries.size === before;
      } else {
        const { commands, members, last } = this.nextBatch(index, (this.day + 1) * DAY_MS);
        index += members.length;
        const batch = this.apply(commands, last);
        members.forEach((paymentIndex, position) =>
          this.recordNew(
            paymentIndex,
            batch.results[position * 2],
            batch.results[position * 2 + 1],
            batch.now,
          ),
        );
        idle = false;
        if (this.batches % 200 === 0) await this.context.progress(index / flows.count);
      }
      if (queue.entries.size > this.peakQueue) this.peakQueue = queue.entries.size;
      this.replay(false);
    }
    this.replay(true);
    this.engine.checkAllInvariants();
    return this.result();
  }

  /** Applies a batch, records what the queue settled or rejected in it, checks invariants. */
  private apply(commands: NetworkCommand[], now: number): ReturnType<NetworkEngine['apply']> {
    const batch = this.engine.apply(commands, now);
    this.lastAt = now;
    this.batches += 1;
    for (const payment of batch.context.changes.payments.values()) {
      const paymentIndex = this.waiting.get(payment.id);
      if (paymentIndex === undefined) continue;
      if (payment.status !== 'ACCC' && payment.status !== 'RJCT') continue;
      this.waiting.delete(payment.id);
      this.final(paymentIndex, payment, now);
    }
    if (this.options.checkInvariants) {
      this.engine.checkAllInvariants();
      this.invariantChecks += 1;
    }
    return batch;
  }

  private balance(participant: string, currency: string): bigint {
    return this.engine.ledger.balance(settlementAccountId(participant, currency))?.posted ?? 0n;
  }

  private levelOf(participant: string, currency: string): bigint {
    return this.accounts.get(settlementAccountId(participant, currency))?.level ?? 0n;
  }

  private lines(): Map<string, SwapLine> {
    return this.engine.state.swapLines ?? new Map<string, SwapLine>();
  }

  private use(key: string): LineUse {
    let use = this.lineUse.get(key);
    if (use === undefined) {
      use = { draws: 0, peak: 0n, drawnDays: 0, outstandingDays: 0n, repayments: 0, atTenor: 0 };
      this.lineUse.set(key, use);
    }
    return use;
  }

  /** Applies a midnight batch; every command must be accepted. */
  private applyAll(commands: NetworkCommand[], now: number, what: string): void {
    if (commands.length === 0) return;
    const batch = this.apply(commands, now);
    const refused = batch.results.find((result) => result.code !== 'ok');
    if (refused !== undefined) {
      throw new Error(`simulate: ${what} was refused: ${refused.code} ${refused.message ?? ''}`);
    }
  }

  /**
   * Midnight UTC, in three batches of engine commands (none is a payment: the trackers follow
   * payment legs only): swap-line repayments, then restoration of the banks and the
   * providers' shortfalls (swap lines first), then the day's line usage is recorded.
   */
  private midnight(at: number): void {
    this.day += 1;
    this.applyAll(this.repayments(at), at, 'a swap-line repayment');
    this.applyAll(this.restorations(), at, 'a daily restoration');
    for (const [key, line] of this.lines()) {
      const amount = drawn(line);
      if (amount === 0n) continue;
      const use = this.use(key);
      use.drawnDays += 1;
      use.outstandingDays += amount;
    }
    this.resets += 1;
  }

  /**
   * Each line whose providers can all repay from their surplus over their level, or whose
   * oldest draw has reached its tenor: every provider repays (at the tenor, its currency's
   * central bank first issues what it lacks), then the holder repays the line.
   */
  private repayments(at: number): NetworkCommand[] {
    const commands: NetworkCommand[] = [];
    for (const [key, line] of this.lines()) {
      if (line.draws.length === 0) continue;
      const due = overdue(line, at) > 0n;
      const owing = [...line.onLent].filter(([, loans]) => loans.length > 0);
      const owed = owing.map(([provider, loans]) => ({
        provider,
        amount: total(loans) + swapInterest(loans, line.rateBps, at),
        balance: this.balance(provider, line.currency),
        level: this.levelOf(provider, line.currency),
      }));
      if (!due && !owed.every((item) => item.balance - item.level >= item.amount)) continue;
      let received = this.balance(line.holder, line.currency);
      for (const item of owed) {
        if (item.balance < item.amount) {
          const lack = item.amount - item.balance;
          this.issueTo(commands, item.provider, line.currency, lack, true);
        }
        commands.push({
          type: 'repay_swap_funds',
          actor: item.provider,
          holder: line.holder,
          currency: line.currency,
        });
        received += item.amount;
        const account = this.accounts.get(settlementAccountId(item.provider, line.currency));
        if (account !== undefined) account.swapRepaid += item.amount;
      }
      const repay = drawn(line) + swapInterest(line.draws, line.rateBps, at);
      // Providers that repaid at different times leave the holder short of the interest of
      // the days in between: the issuer's restoration covers it, reported as such.
      if (received < repay) {
        this.issueTo(commands, line.holder, line.currency, repay - received, true);
      }
      commands.push({ type: 'repay_swap_line', actor: line.holder, currency: line.currency });
      const use = this.use(key);
      use.repayments += 1;
      if (due) use.atTenor += 1;
    }
    return commands;
  }

  /** Restoration: the currency's central bank issues `amount` to a participant (reported). */
  private issueTo(
    commands: NetworkCommand[],
    participant: string,
    currency: string,
    amount: bigint,
    forTenor: boolean,
  ): void {
    const account = this.accounts.get(settlementAccountId(participant, currency));
    if (account !== undefined) {
      account.issued += amount;
      if (forTenor) account.tenorIssued += amount;
    } else {
      this.holderIssued.set(currency, (this.holderIssued.get(currency) ?? 0n) + amount);
    }
    commands.push({
      type: 'issue',
      actor: this.issuerOf.get(currency) ?? '',
      id: `restore-${this.day}-${this.restoreSequence++}`,
      participantId: participant,
      currency,
      amount,
    });
  }

  /**
   * Every account back to its level: a bank by its own central bank (issue or redeem); a
   * provider short of a foreign currency from its home central bank's swap line as far as the
   * line's room goes, the rest issued by the currency's central bank; a provider's surplus
   * redeemed unless it owes on a line in that currency.
   */
  private restorations(): NetworkCommand[] {
    const commands: NetworkCommand[] = [];
    const room = new Map<string, bigint>();
    for (const [id, account] of this.accounts) {
      const balance = this.engine.ledger.balance(id)?.posted ?? 0n;
      const gap = account.level - balance;
      if (gap === 0n) continue;
      const provider = this.providers.has(account.participant);
      const home = provider ? this.homeBank.get(account.participant) : undefined;
      const key = home === undefined ? undefined : swapLineKey(home, account.currency);
      const line = key === undefined ? undefined : this.lines().get(key);
      if (gap < 0n) {
        if ((line?.onLent.get(account.participant)?.length ?? 0) > 0) continue;
        account.redeemed -= gap;
        commands.push({
          type: 'redeem',
          actor: this.issuerOf.get(account.currency) ?? '',
          id: `restore-${this.day}-${this.restoreSequence++}`,
          participantId: account.participant,
          currency: account.currency,
          amount: -gap,
        });
        continue;
      }
      let covered = 0n;
      if (line !== undefined && key !== undefined && home !== undefined) {
        const left = room.get(key) ?? line.limit - drawn(line);
        covered = gap < left ? gap : left;
        if (covered > 0n) {
          room.set(key, left - covered);
          commands.push(
            { type: 'draw_swap_line', actor: home, currency: account.currency, amount: covered },
            {
              type: 'lend_swap_funds',
              actor: home,
              providerId: account.participant,
              currency: account.currency,
              amount: covered,
            },
          );
          account.swapLent += covered;
          const use = this.use(key);
          use.draws += 1;
          // Drawn once this draw is made: the limit less the room left after it.
          const after = line.limit - (left - covered);
          if (after > use.peak) use.peak = after;
        }
      }
      if (gap > covered) {
        this.issueTo(commands, account.participant, account.currency, gap - covered, false);
      }
    }
    return commands;
  }

  /** A new payment's outcome in its arrival batch: settled, waiting, or refused. */
  private recordNew(
    index: number,
    quoted: NetworkResult | undefined,
    result: NetworkResult | undefined,
    now: number,
  ): void {
    const payment: Payment | undefined = result?.payment;
    if (quoted?.code !== 'ok' || result?.code !== 'ok' || payment === undefined) {
      this.refused(index, quoted, result);
      this.finalised[index] = 1;
      return;
    }
    // The batch's queue pass may already have settled it: read its status now.
    const current = this.engine.state.payments.get(payment.id) ?? payment;
    if (this.engine.state.queue.entries.has(current.id)) {
      this.records.status[index] = PAYMENT_QUEUED;
      this.waiting.set(current.id, index);
      this.queuedEver += 1;
      return;
    }
    if (current.events.some((event) => event.status === 'ACSP' && event.reason === 'AM04')) {
      this.queuedEver += 1;
    }
    this.final(index, current, now);
  }

  /** A payment that has left the engine's hands: settled (its legs tracked) or rejected. */
  private final(index: number, payment: Payment, now: number): void {
    const queued = payment.events.find(
      (event) => event.status === 'ACSP' && event.reason === 'AM04',
    );
    if (queued !== undefined) {
      const why = queued.detail ?? 'queued';
      this.waitReasons.set(why, (this.waitReasons.get(why) ?? 0) + 1);
      if (payment.status !== 'ACCC') {
        this.failReasons.set(why, (this.failReasons.get(why) ?? 0) + 1);
      }
    }
    this.finalised[index] = 1;
    if (payment.status === 'ACCC') {
      const credited = this.settled(index, payment, now);
      const legs: [number, number][] = [];
      for (const leg of payment.legs) {
        const usd = this.toUsd(leg.amount, leg.currency);
        const cents = Math.round(usd * CENTS);
        const debit = this.accounts.get(leg.debitAccountId);
        const credit = this.accounts.get(leg.creditAccountId);
        if (debit !== undefined) {
          this.own.move(credited, debit.own, -usd);
          this.pooled.move(credited, debit.pooled, -cents);
          legs.push([debit.bound, -cents]);
        }
        if (credit !== undefined) {
          this.own.move(credited, credit.own, usd);
          this.pooled.move(credited, credit.pooled, cents);
          legs.push([credit.bound, cents]);
        }
      }
      const arrival = this.flows.arrival[index] ?? credited;
      const opening = Math.floor(credited / DAY_MS) * DAY_MS;
      this.unreplayed.push({ at: Math.max(arrival, opening), index, legs });
    } else {
      this.records.status[index] = PAYMENT_FAILED;
      const reason = payment.events.at(-1)?.reason ?? payment.status;
      this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1);
    }
    this.forget(payment);
  }

  /**
   * Replays settled payments into the bounds tracker in time order: those placed before the
   * arrival of the first payment not yet settled or failed (nothing later can come before it),
   * or all of them at the end.
   */
  private replay(all: boolean): void {
    const flows = this.flows;
    while (this.replayCursor < flows.count && this.finalised[this.replayCursor] === 1) {
      this.replayCursor += 1;
    }
    if (this.unreplayed.length === 0) return;
    const horizon =
      all || this.replayCursor >= flows.count ? Infinity : (flows.arrival[this.replayCursor] ?? 0);
    this.unreplayed.sort((a, b) => a.at - b.at || a.index - b.index);
    let ready = 0;
    while (ready < this.unreplayed.length && (this.unreplayed[ready]?.at ?? Infinity) < horizon) {
      const item = this.unreplayed[ready];
      for (const [account, cents] of item?.legs ?? []) {
        this.settledBounds.move(item?.at ?? 0, account, cents);
      }
      ready += 1;
    }
    if (ready > 0) this.unreplayed = this.unreplayed.slice(ready);
  }

  /** The bounds of what was settled, per currency and summed (the pooled tracker's currencies). */
  private bounds(): LiquidityBounds {
    const result = this.settledBounds.result();
    return {
      currencies: result.currencies.map((item) => ({
        currency: item.currency,
        upper_usd: item.peakUsedUsd,
        lower_usd: item.peakNetDebitUsd,
      })),
      upper_usd: result.peakUsedUsd,
      lower_usd: result.peakNetDebitUsd,
    };
  }

  /** Per currency, USD: funding, restorations and swap-line lending over the run. */
  private currencyTotals(): Map<string, CurrencyTotals> {
    const byCurrency = new Map<string, CurrencyTotals>();
    for (const account of this.accounts.values()) {
      const item = byCurrency.get(account.currency) ?? {
        issued: 0,
        redeemed: 0,
        funding: 0,
        providers: 0,
        tenor: 0,
        lent: 0,
        repaid: 0,
      };
      const usd = (amount: bigint): number => this.toUsd(amount, account.currency);
      item.issued += usd(account.issued);
      item.redeemed += usd(account.redeemed);
      item.funding += usd(account.level);
      item.tenor += usd(account.tenorIssued);
      if (this.providers.has(account.participant)) item.providers += usd(account.issued);
      item.lent += usd(account.swapLent);
      item.repaid += usd(account.swapRepaid);
      byCurrency.set(account.currency, item);
    }
    for (const [currency, amount] of this.holderIssued) {
      const item = byCurrency.get(currency);
      if (item === undefined) continue;
      item.issued += this.toUsd(amount, currency);
      item.tenor += this.toUsd(amount, currency);
    }
    return byCurrency;
  }

  private result(): RegimeRun {
    const liquidity = this.pooled.result();
    const own = this.own.result();
    const drift = new Map<string, number>();
    for (const account of own.accounts) {
      if (!this.providers.has(account.participant)) continue;
      drift.set(account.currency, (drift.get(account.currency) ?? 0) + account.driftUsd);
    }
    const byCurrency = this.currencyTotals();
    const driftOf = new Map(
      liquidity.accounts.map((account) => [`${account.participant}|${account.currency}`, account]),
    );
    const currencies = [...byCurrency.keys()].sort();
    return {
      name: 'corridor_lsm',
      ...this.records,
      liquidity,
      bounds: this.bounds(),
      swapLines: this.swapLineUsage(),
      details: {
        batches: this.batches,
        invariant_checks: this.invariantChecks,
        resolution_ticks: this.ticks,
        daily_restorations: this.resets,
        swap_lines_configured: this.lines().size,
        swap_line_share: this.options.swapLineShare,
        queued_on_arrival: this.queuedEver,
        peak_queue_depth: this.peakQueue,
        funding_share: this.options.lsmFundingShare,
        cycle_ms: this.options.lsmCycleMs,
        max_wait_s: this.options.lsmMaxWaitSeconds,
        refusals: Object.fromEntries([...this.refusals.entries()].sort()),
        waited_because: Object.fromEntries([...this.waitReasons.entries()].sort()),
        failed_after_waiting_because: Object.fromEntries([...this.failReasons.entries()].sort()),
        funding_usd: currencies.map((currency) => ({
          currency,
          usd: round2(byCurrency.get(currency)?.funding ?? 0),
        })),
        peak_liquidity_per_account_usd: own.peakUsedUsd,
        residual_positions_usd: currencies.map((currency) => {
          const index = this.flows.currencies.indexOf(currency);
          const bank = this.banks[index] ?? '';
          return {
            currency,
            country: this.flows.countries[index] ?? '',
            bank_usd: driftOf.get(`${bank}|${currency}`)?.driftUsd ?? 0,
            fx_providers_usd: driftOf.get(`${FX_SIDE}|${currency}`)?.driftUsd ?? 0,
            central_bank_issued_usd: round2(byCurrency.get(currency)?.issued ?? 0),
            central_bank_redeemed_usd: round2(byCurrency.get(currency)?.redeemed ?? 0),
            providers_restored_usd: round2(byCurrency.get(currency)?.providers ?? 0),
            tenor_restoration_usd: round2(byCurrency.get(currency)?.tenor ?? 0),
            swap_lent_usd: round2(byCurrency.get(currency)?.lent ?? 0),
            swap_repaid_usd: round2(byCurrency.get(currency)?.repaid ?? 0),
          };
        }),
        provider_inventory_drift_usd: [...drift.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([currency, usd]) => ({ currency, usd: round2(usd) })),
      },
    };
  }

  /** Every line drawn at least once, in the engine's order (holder, then currency). */
  private swapLineUsage(): SwapLineUsage[] {
    const days = Math.max(1, Math.round((this.flows.end - this.flows.start) / DAY_MS));
    const end = this.lastAt;
    const usage: SwapLineUsage[] = [];
    for (const [key, line] of this.lines()) {
      const use = this.lineUse.get(key);
      if (use === undefined || use.draws === 0) continue;
      const usd = (amount: bigint): number => round2(this.toUsd(amount, line.currency));
      const outstanding = drawn(line);
      usage.push({
        holder: line.holder,
        holder_country: line.holder.slice(3).toUpperCase(),
        currency: line.currency,
        issuer: line.issuer,
        limit_usd: usd(line.limit),
        rate_bps: line.rateBps,
        tenor_days: line.tenorDays,
        draws: use.draws,
        peak_drawn_usd: usd(use.peak),
        drawn_days: use.drawnDays,
        average_outstanding_usd: round2(this.toUsd(use.outstandingDays, line.currency) / days),
        repayments: use.repayments,
        repaid_at_tenor: use.atTenor,
        interest_paid_usd: usd(line.interestPaid),
        interest_received_usd: usd(line.interestReceived),
        repaid: outstanding === 0n,
        outstanding_end_usd: usd(outstanding),
        overdue_end_usd: usd(overdue(line, end)),
      });
    }
    return usage;
  }
}
