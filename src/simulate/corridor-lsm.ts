// Corridor with liquidity saving (regime 4): the real NetworkEngine, as corridor_gross drives
// it, with the settlement queue and gridlock resolution on (src/engine/liquidity), third-currency
// routes available to quoting, and every participant funded with LESS than gross settlement
// needs, so that payments wait and the queue does its work.
// - Funding: each account opens every UTC day at its own lower bound (largest end-of-day net
//   debit) plus a share (`lsmFundingShare`) of the gap to its own upper bound (largest daily
//   drawdown with every payment gross at arrival), as bounds.ts takes the flows, plus 1% for
//   spreads and fees (the bounds are at mid). A provider is funded so for the whole FX side
//   of each currency, since the cheapest provider of a pair serves all of it. At each UTC
//   midnight the central bank restores every account to that level (issue or redeem, not a
//   payment): what it injects or withdraws is each currency's residual net position, which in
//   reality swap lines, investment or an FX market would have to absorb.
// - Time: simulated. Arrivals are batched as in corridor_gross; between arrivals the engine is
//   applied with no commands at each resolution cycle (`cycleMs`) while anything waits. A pass
//   that changed nothing is not repeated until something can change (a deadline, an arrival,
//   a midnight): it would change nothing again.
// - A payment may wait until its quote expires (`lsmMaxWaitSeconds`); the engine then rejects it
//   (AB01), counted failed.
import type { NetworkCommand, NetworkResult } from '../engine/commands.js';
import { configToCommands } from '../service/config.js';
import type { NetworkConfigFile } from '../service/config-schema.js';
import { NetworkEngine } from '../engine/engine.js';
import { settlementAccountId } from '../engine/model.js';
import type { Payment } from '../engine/payments/model.js';
import { FX_SIDE } from './bounds.js';
import { corridorNetworkConfig, quoteAndPay, type CorridorOptions } from './corridor.js';
import type { Flows } from './flows.js';
import { LiquidityTracker, round2 } from './liquidity.js';
import {
  emptyRecords,
  PAYMENT_FAILED,
  PAYMENT_QUEUED,
  PAYMENT_SETTLED,
  type Regime,
  type RegimeContext,
  type RegimeRun,
} from './regime.js';

const DAY_MS = 86_400_000;
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
  /** Tracked account of the per-account tracker, and of the pooled (bounds-comparable) one. */
  readonly own: number;
  readonly pooled: number;
  /** Issued and redeemed by the central bank's daily restorations, minor units. */
  issued: bigint;
  redeemed: bigint;
}

/** One run of the engine with its queue on, over the flows. */
class LsmRun {
  private readonly engine = new NetworkEngine();
  private readonly config: NetworkConfigFile;
  private readonly records;
  /** Providers pooled per currency, as the bounds take them: the headline figure. */
  private readonly pooled = new LiquidityTracker();
  /** Every account on its own, as corridor_gross measures it. */
  private readonly own = new LiquidityTracker();
  private readonly perUsd = new Map<string, number>();
  private readonly scale = new Map<string, number>();
  private readonly accounts = new Map<string, Account>();
  private readonly issuerOf: Map<string, string>;
  private readonly banks: string[];
  private readonly providers: Set<string>;
  /** Payments waiting in the queue: id → flow index. */
  private readonly waiting = new Map<string, number>();
  private readonly refusals = new Map<string, number>();
  /** Why payments waited (the engine's pending reason), and why they failed. */
  private readonly waitReasons = new Map<string, number>();
  private readonly failReasons = new Map<string, number>();
  private batches = 0;
  private ticks = 0;
  private invariantChecks = 0;
  private queuedEver = 0;
  private peakQueue = 0;
  private resets = 0;
  private day = 0;
  private lastAt = -Infinity;

  constructor(
    private readonly flows: Flows,
    private readonly context: RegimeContext,
    private readonly options: LsmOptions,
  ) {
    for (const code of flows.currencies) {
      const rate = context.usdPerUnit.get(code);
      this.perUsd.set(code, rate?.perUsd ?? 1);
      this.scale.set(code, rate?.minorUnits ?? 2);
    }
    this.providers = new Set(options.providers.map((provider) => provider.id));
    this.banks = flows.countries.map((country) => `bank-${country.toLowerCase()}`);
    this.config = this.networkConfig();
    this.records = emptyRecords(flows.count);
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
          issued: 0n,
          redeemed: 0n,
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
    };
  }

  private toUsd(amount: bigint, currency: string): number {
    return (
      Number(amount) / 10 ** (this.scale.get(currency) ?? 2) / (this.perUsd.get(currency) ?? 1)
    );
  }

  async run(): Promise<RegimeRun> {
    const flows = this.flows;
    const first = flows.count > 0 ? (flows.arrival[0] ?? flows.start) : flows.start;
    const start = Math.min(flows.start, first) - 60_000;
    this.day = Math.floor(start / DAY_MS);
    const setup = this.engine.apply(configToCommands(this.config, start), start);
    const refused = setup.results.find((result) => result.code !== 'ok');
    if (refused !== undefined) {
      throw new Error(
        `simulate: the network setup was refused: ${refused.code} ${refused.message ?? ''}`,
      );
    }
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
        this.restore(midnight);
        idle = false;
      } else if (nextTick < nextArrival) {
        const before = queue.entries.size;
        this.apply([], nextTick);
        this.ticks += 1;
        idle = queue.entries.size === before;
      } else {
        const { commands, members, last } = this.nextBatch(index);
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
    }
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

  /**
   * Midnight UTC: the central bank restores every account to its funding level (issue the
   * shortfall, redeem the surplus). Not a payment: the trackers follow payment legs only.
   */
  private restore(midnight: number): void {
    this.day += 1;
    const commands: NetworkCommand[] = [];
    for (const [id, account] of this.accounts) {
      const balance = this.engine.ledger.balance(id)?.posted ?? 0n;
      const gap = account.level - balance;
      if (gap === 0n) continue;
      if (gap > 0n) account.issued += gap;
      else account.redeemed -= gap;
      commands.push({
        type: gap > 0n ? 'issue' : 'redeem',
        actor: this.issuerOf.get(account.currency) ?? '',
        id: `restore-${this.day}-${commands.length}`,
        participantId: account.participant,
        currency: account.currency,
        amount: gap > 0n ? gap : -gap,
      });
    }
    const batch = this.apply(commands, midnight);
    const refused = batch.results.find((result) => result.code !== 'ok');
    if (refused !== undefined) {
      throw new Error(`simulate: a daily restoration was refused: ${refused.code}`);
    }
    this.resets += 1;
  }

  /** Payments arriving within the batch window (at most batchMax) from `index` on. */
  private nextBatch(index: number): {
    commands: NetworkCommand[];
    members: number[];
    last: number;
  } {
    const flows = this.flows;
    const first = flows.arrival[index] ?? 0;
    const midnight = (this.day + 1) * DAY_MS;
    const commands: NetworkCommand[] = [];
    const members: number[] = [];
    let last = first;
    let next = index;
    while (
      next < flows.count &&
      members.length < this.options.batchMax &&
      (flows.arrival[next] ?? 0) - first < this.options.batchWindowMs &&
      (flows.arrival[next] ?? 0) < midnight
    ) {
      last = flows.arrival[next] ?? 0;
      commands.push(...this.commandsFor(next, last));
      members.push(next);
      next += 1;
    }
    return { commands, members, last };
  }

  /** A quote for the invoice value in the exporter's currency, and the payment at it. */
  private commandsFor(index: number, receivedAt: number): NetworkCommand[] {
    const { flows, banks, perUsd, scale } = this;
    return quoteAndPay({ flows, banks, perUsd, scale }, index, receivedAt);
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
      const code =
        quoted?.code !== 'ok' ? (quoted?.code ?? 'missing') : (result?.code ?? 'missing');
      this.refusals.set(code, (this.refusals.get(code) ?? 0) + 1);
      this.records.status[index] = PAYMENT_FAILED;
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
    if (payment.status === 'ACCC') {
      const credited = payment.events.find((event) => event.status === 'ACCC')?.at ?? now;
      this.records.creditedAt[index] = credited;
      this.records.status[index] = PAYMENT_SETTLED;
      this.records.costUsd[index] =
        this.toUsd(payment.debitAmount, payment.sourceCurrency) -
        this.toUsd(payment.creditAmount, payment.targetCurrency);
      for (const leg of payment.legs) {
        const usd = this.toUsd(leg.amount, leg.currency);
        const debit = this.accounts.get(leg.debitAccountId);
        const credit = this.accounts.get(leg.creditAccountId);
        if (debit !== undefined) {
          this.own.move(credited, debit.own, -usd);
          this.pooled.move(credited, debit.pooled, -usd);
        }
        if (credit !== undefined) {
          this.own.move(credited, credit.own, usd);
          this.pooled.move(credited, credit.pooled, usd);
        }
      }
    } else {
      this.records.status[index] = PAYMENT_FAILED;
      const reason = payment.events.at(-1)?.reason ?? payment.status;
      this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1);
    }
    // Finished payments are not needed again: keep the engine's memory flat over a year.
    this.engine.state.payments.delete(payment.id);
    this.engine.state.paymentRequests.delete(payment.id);
    this.engine.state.endToEndIds.delete(`${payment.debtorAgent}|${payment.endToEndId}`);
  }

  private result(): RegimeRun {
    const liquidity = this.pooled.result();
    const own = this.own.result();
    const drift = new Map<string, number>();
    for (const account of own.accounts) {
      if (!this.providers.has(account.participant)) continue;
      drift.set(account.currency, (drift.get(account.currency) ?? 0) + account.driftUsd);
    }
    const byCurrency = new Map<string, { issued: number; redeemed: number; funding: number }>();
    for (const account of this.accounts.values()) {
      const item = byCurrency.get(account.currency) ?? { issued: 0, redeemed: 0, funding: 0 };
      item.issued += this.toUsd(account.issued, account.currency);
      item.redeemed += this.toUsd(account.redeemed, account.currency);
      item.funding += this.toUsd(account.level, account.currency);
      byCurrency.set(account.currency, item);
    }
    const driftOf = new Map(
      liquidity.accounts.map((account) => [`${account.participant}|${account.currency}`, account]),
    );
    const currencies = [...byCurrency.keys()].sort();
    return {
      name: 'corridor_lsm',
      ...this.records,
      liquidity,
      details: {
        batches: this.batches,
        invariant_checks: this.invariantChecks,
        resolution_ticks: this.ticks,
        daily_restorations: this.resets,
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
          };
        }),
        provider_inventory_drift_usd: [...drift.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([currency, usd]) => ({ currency, usd: round2(usd) })),
      },
    };
  }
}
