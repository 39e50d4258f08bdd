// Live figures for the dashboard, kept incrementally from the network's committed batches:
// payments per second per corridor, value settled today per currency pair, time to credit
// (from the request's arrival), the share credited within an hour (held, queued and pending
// payments counted), cost (FX spread against the mid rate plus fees), commit latency, queue
// depth and the journal's tail, plus a short history for the charts. The service figures'
// definitions are src/engine/payments/figures.ts's, shared with /metrics.
// Everything is counted per scope (the whole network, and each participant that is a party),
// so a frame for a caller shows only what that caller may see (src/api/context.ts rules).
import type { Caller } from '../api/context.js';
import {
  canSeeAccount, issuedCurrencies, viewerOf as domainViewerOf, type Viewer as DomainViewer,
} from '../service/domain.js';
import { formatAmount } from '../money/amount.js';
import { feeAccountId } from '../service/domain.js';
import type { CommittedBatch, Network } from '../service/service.js';
import type { ChangeCursor } from '../service/reads.js';
import {
  costBps,
  CreditTracker,
  feeBps,
  isCrossBorder,
  midValuesOf,
  timeToCreditMs,
} from '../service/domain.js';
import type { Payment } from '../service/domain.js';
import type { BatchStats } from '../pipeline/commit-pipeline.js';
import type {
  AccountWire,
  CorridorStats,
  HistoryPoint,
  LiquidityHistory,
  LiquidityWire,
  MoneyWire,
  Percentiles,
  StatsMessage,
} from './protocol.js';

export const STATS_LIMITS = {
  /** Seconds over which per-second rates are averaged. */
  windowSeconds: 10,
  /** Seconds of per-second history sent to a new stream. */
  historySeconds: 600,
  /** Recent settled payments kept for time-to-credit percentiles. */
  samplesMax: 4_096,
  /** Recent batches kept for commit-latency percentiles. */
  commitsMax: 1_024,
  /** Balances are sampled for the charts every this many seconds… */
  liquidityEverySeconds: 10,
  /** …keeping this many samples (30 minutes)… */
  liquiditySamplesMax: 180,
  /** …while the network has no more accounts than this (beyond, charts show only live data). */
  liquidityAccountsMax: 2_000,
} as const;

const ALL = '*';
export const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** scope (ALL or a participant id) → pair ("BRL>INR") → count. */
type Counts = Map<string, Map<string, number>>;

interface Second {
  readonly t: number;
  readonly accepted: Counts;
  readonly settled: Counts;
  commands: number;
  queueDepth: number;
}

/** The day's payments of one pair credited today: amounts, and values at the mid rate. */
interface PairDay {
  count: number;
  sent: bigint;
  credited: bigint;
  fees: bigint;
  /** Sums of src/engine/payments/figures.ts MidValues (millionths of source minor units). */
  debitedAtMid: bigint;
  creditedAtMid: bigint;
}

/** The credit tracker's group for a scope's pair. */
function creditGroup(scope: string, pair: string): string {
  return `${scope}\n${pair}`;
}

interface Sample {
  readonly source: string;
  readonly target: string;
  readonly parties: readonly string[];
  readonly ms: number;
  readonly crossBorder: boolean;
}

interface LiquiditySample {
  readonly t: number;
  readonly posted: Map<string, bigint>;
  readonly supply: Map<string, bigint>;
}

interface VisibleAccount {
  readonly participantId: string;
  readonly currency: string;
  readonly role: AccountWire['role'];
  /** Set for accounts network.balance() does not name (the operator's fee accounts). */
  readonly accountId?: string;
}

/** "participant|currency|role": how the charts name an account. */
export function accountKey(account: {
  participantId: string;
  currency: string;
  role: string;
}): string {
  return `${account.participantId}|${account.currency}|${account.role}`;
}

/** Who a frame is for: the caller, the scope its figures come from, and (central banks) the
 * currencies whose pairs it sees. */
export interface Viewer {
  readonly caller: Caller;
  /** The caller as the domain's visibility rules see it. */
  readonly domain: DomainViewer;
  readonly scope: string;
  readonly currencies?: ReadonlySet<string>;
}

export function viewerOf(network: Network, caller: Caller): Viewer {
  const { participant } = caller;
  const domain = domainViewerOf(participant, network.currencies());
  if (participant.kind === 'operator') return { caller, domain, scope: ALL };
  if (participant.kind === 'central_bank') {
    return { caller, domain, scope: ALL, currencies: new Set(domain.issued) };
  }
  return { caller, domain, scope: participant.id };
}

function seesPair(viewer: Viewer, source: string, target: string): boolean {
  return (
    viewer.currencies === undefined ||
    viewer.currencies.has(source) ||
    viewer.currencies.has(target)
  );
}

function seesSample(viewer: Viewer, sample: Sample): boolean {
  if (viewer.caller.participant.kind === 'operator') return true;
  if (viewer.currencies !== undefined) return seesPair(viewer, sample.source, sample.target);
  return sample.parties.includes(viewer.scope);
}

function pairOf(key: string): [string, string] {
  const [source = '', target = ''] = key.split('>');
  return [source, target];
}

function partiesOf(payment: Payment): string[] {
  const parties = [payment.debtorAgent, payment.creditorAgent];
  if (payment.fxProvider !== undefined && !parties.includes(payment.fxProvider)) {
    parties.push(payment.fxProvider);
  }
  return parties;
}

function bump(counts: Counts, scopes: readonly string[], pair: string): void {
  for (const scope of scopes) {
    let pairs = counts.get(scope);
    if (pairs === undefined) counts.set(scope, (pairs = new Map()));
    pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
  }
}

export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { count: 0, p50: null, p90: null, p99: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank, rounded to a microsecond: enough for latencies, and short on the wire.
  const at = (q: number): number =>
    Math.round((sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? 0) * 1_000) / 1_000;
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}

function money(amount: bigint, currency: string): MoneyWire {
  return { amount: formatAmount(amount, currency), currency };
}

export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export class StatsCollector {
  private readonly seconds: Second[] = [];
  private readonly samples: Sample[] = [];
  private sampleNext = 0;
  private readonly commits: number[] = [];
  private commitNext = 0;
  private day: number;
  private readonly today = new Map<string, Map<string, PairDay>>();
  /** Payments received today, against the one-hour target, per scope and pair. */
  private readonly credit = new CreditTracker();
  private readonly liquidity: LiquiditySample[] = [];
  private lastCommitAt: number | undefined;
  private readonly tickListeners = new Set<() => void>();
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private readonly unwatch: () => void;

  private readonly startedSecond: number;

  constructor(
    private readonly network: Network,
    private readonly clock: () => number = network.clock,
  ) {
    this.day = Math.floor(clock() / DAY_MS);
    this.startedSecond = Math.floor(clock() / 1_000);
    // Batches committed while the seed reads storage wait, then count if the seed missed them.
    this.unsubscribe = network.subscribe((committed) => {
      if (this.waiting === undefined) this.onCommitted(committed);
      else this.waiting.push(committed);
    });
    this.ready = this.seed().catch(() => undefined).finally(() => {
      const waiting = this.waiting ?? [];
      this.waiting = undefined;
      for (const committed of waiting) this.onCommitted(committed, this.seededThrough);
    });
    this.unwatch = network.onBatchStats((stats) => this.onBatch(stats));
    this.sampleLiquidity();
    this.timer = setInterval(() => this.tick(), 1_000);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
    this.unsubscribe();
    this.unwatch();
    this.tickListeners.clear();
  }

  /** Called once a second, after the collector has sampled: when streams send their frames. */
  onTick(listener: () => void): () => void {
    this.tickListeners.add(listener);
    return () => this.tickListeners.delete(listener);
  }

  /** Resolves once the collector has counted what storage holds (see seed()). */
  readonly ready: Promise<void>;
  private waiting: CommittedBatch[] | undefined = [];
  /** The event-feed sequence the seed is known to include. */
  private seededThrough = 0;

  /**
   * A restart: the day's totals and samples from the payments storage holds that changed on
   * the day of the latest change (the figures are of one day).
   */
  private async seed(): Promise<void> {
    const reads = this.network.reads;
    this.seededThrough = await reads.lastEventSequence();
    const latest = await reads.lastPaymentChange();
    if (latest === undefined) return;
    this.day = Math.max(this.day, Math.floor(latest / DAY_MS));
    let after: ChangeCursor | undefined;
    do {
      const page = await reads.paymentsChangedSince(this.day * DAY_MS,
        { limit: 500, ...(after === undefined ? {} : { after }) });
      for (const payment of page.payments) {
        if (payment.kind !== 'payment') continue;
        for (const event of payment.events) this.onPaymentEvent(payment, event.status, event.at);
      }
      after = page.next;
    } while (after !== undefined);
  }

  private second(): Second {
    const t = Math.floor(this.clock() / 1_000);
    const last = this.seconds[this.seconds.length - 1];
    if (last !== undefined && last.t === t) return last;
    const fresh: Second = {
      t,
      accepted: new Map(),
      settled: new Map(),
      commands: 0,
      queueDepth: this.network.queueDepth,
    };
    this.seconds.push(fresh);
    while ((this.seconds[0]?.t ?? t) <= t - STATS_LIMITS.historySeconds) this.seconds.shift();
    return fresh;
  }

  private onCommitted({ events, payments }: CommittedBatch, seeded = 0): void {
    this.lastCommitAt = this.clock();
    for (const { sequence, event } of events) {
      if (sequence <= seeded) continue;
      if (event.status !== 'ACTC' && event.status !== 'ACCC' && event.status !== 'RJCT') continue;
      const payment = payments.get(event.paymentId);
      if (payment === undefined || payment.kind !== 'payment') continue;
      const pair = `${payment.sourceCurrency}>${payment.targetCurrency}`;
      const scopes = [ALL, ...partiesOf(payment)];
      if (event.status === 'ACTC') bump(this.second().accepted, scopes, pair);
      else if (event.status === 'ACCC') bump(this.second().settled, scopes, pair);
      this.onPaymentEvent(payment, event.status, event.at);
    }
  }

  /** Arrival, crediting and rejection: the day's totals and the one-hour counts. */
  private onPaymentEvent(payment: Payment, status: string, at: number): void {
    if (status !== 'ACTC' && status !== 'ACCC' && status !== 'RJCT') return;
    this.rollDay(Math.floor(at / DAY_MS));
    if (status === 'ACCC') this.settled(payment, at);
    if (status !== 'ACTC') {
      this.credit.finished(payment.id, { credited: status === 'ACCC', at });
      return;
    }
    // The one-hour counts are of the payments received today.
    if (Math.floor(payment.receivedAt / DAY_MS) < this.day) return;
    const pair = `${payment.sourceCurrency}>${payment.targetCurrency}`;
    const groups = [ALL, ...partiesOf(payment)].map((scope) => creditGroup(scope, pair));
    this.credit.arrived(payment.id, payment.receivedAt, groups, at);
  }

  private settled(payment: Payment, at: number): void {
    const ms = timeToCreditMs(payment) ?? 0;
    const sample: Sample = {
      source: payment.sourceCurrency,
      target: payment.targetCurrency,
      parties: partiesOf(payment),
      ms,
      crossBorder: isCrossBorder(payment),
    };
    if (this.samples.length < STATS_LIMITS.samplesMax) this.samples.push(sample);
    else this.samples[this.sampleNext] = sample;
    this.sampleNext = (this.sampleNext + 1) % STATS_LIMITS.samplesMax;
    const day = Math.floor(at / DAY_MS);
    if (day < this.day) return;
    this.rollDay(day);
    const pair = `${payment.sourceCurrency}>${payment.targetCurrency}`;
    const fees = payment.fees.reduce((sum, fee) => sum + fee.amount, 0n);
    const values = midValuesOf(payment);
    for (const scope of [ALL, ...partiesOf(payment)]) {
      let pairs = this.today.get(scope);
      if (pairs === undefined) this.today.set(scope, (pairs = new Map()));
      let totals = pairs.get(pair);
      if (totals === undefined) {
        totals = {
          count: 0,
          sent: 0n,
          credited: 0n,
          fees: 0n,
          debitedAtMid: 0n,
          creditedAtMid: 0n,
        };
        pairs.set(pair, totals);
      }
      totals.count += 1;
      totals.sent += payment.sendAmount;
      totals.credited += payment.creditAmount;
      totals.fees += fees;
      // A payment without a mid rate (none journaled before it was recorded) adds no cost.
      if (values !== undefined) {
        totals.debitedAtMid += values.debitedAtMid;
        totals.creditedAtMid += values.creditedAtMid;
      }
    }
  }

  /** "Today" is a UTC day of the network's clock: at midnight the day's totals start afresh. */
  private rollDay(day: number): void {
    if (day <= this.day) return;
    this.day = day;
    this.today.clear();
    this.credit.clear();
  }

  private onBatch(stats: BatchStats): void {
    this.second().commands += stats.commands;
    if (this.commits.length < STATS_LIMITS.commitsMax) this.commits.push(stats.commitMs);
    else this.commits[this.commitNext] = stats.commitMs;
    this.commitNext = (this.commitNext + 1) % STATS_LIMITS.commitsMax;
  }

  private tick(): void {
    const second = this.second();
    second.queueDepth = Math.max(second.queueDepth, this.network.queueDepth);
    if (second.t % STATS_LIMITS.liquidityEverySeconds === 0) this.sampleLiquidity();
    for (const listener of this.tickListeners) listener();
  }

  private windowSeconds(): Second[] {
    const now = Math.floor(this.clock() / 1_000);
    return this.seconds.filter((second) => second.t > now - STATS_LIMITS.windowSeconds);
  }

  /** The figures the viewer may see, now (without liquidity: see liquidityFor). */
  frame(viewer: Viewer): Omit<StatsMessage, 'liquidity'> {
    this.rollDay(Math.floor(this.clock() / DAY_MS));
    this.credit.advance(this.clock());
    const window = this.windowSeconds();
    const count = (pick: (second: Second) => Counts): number =>
      window.reduce((sum, second) => {
        let total = 0;
        for (const [pair, n] of pick(second).get(viewer.scope) ?? []) {
          if (seesPair(viewer, ...pairOf(pair))) total += n;
        }
        return sum + total;
      }, 0);
    const per = (n: number): number => Math.round((n / STATS_LIMITS.windowSeconds) * 10) / 10;
    const tail = this.network.journalTail;
    const samples = this.samples.filter((sample) => seesSample(viewer, sample));
    return {
      at: new Date(this.clock()).toISOString(),
      day: isoDay(this.day),
      sequence: this.network.lastEventSequence,
      corridors: this.corridors(viewer, window),
      acceptedPerSecond: per(count((second) => second.accepted)),
      settledPerSecond: per(count((second) => second.settled)),
      commandsPerSecond: per(window.reduce((sum, second) => sum + second.commands, 0)),
      timeToCredit: percentiles(samples.map((sample) => sample.ms)),
      timeToCreditCrossBorder: percentiles(samples.filter((s) => s.crossBorder).map((s) => s.ms)),
      point: this.history(viewer, 1)[0] ?? {
        t: 0,
        accepted: 0,
        settled: 0,
        commands: 0,
        queueDepth: 0,
      },
      commitLatency: percentiles(this.commits),
      queueDepth: this.network.queueDepth,
      journal: {
        sequence: tail?.sequence ?? 0,
        hash: tail?.hash ?? null,
        lastCommitAt:
          this.lastCommitAt === undefined ? null : new Date(this.lastCommitAt).toISOString(),
      },
    };
  }

  private corridors(viewer: Viewer, window: readonly Second[]): CorridorStats[] {
    const rates = new Map<string, number>();
    for (const second of window) {
      for (const [pair, n] of second.settled.get(viewer.scope) ?? []) {
        rates.set(pair, (rates.get(pair) ?? 0) + n);
      }
    }
    const totals = this.today.get(viewer.scope) ?? new Map<string, PairDay>();
    const pairs = new Set([...rates.keys(), ...totals.keys()]);
    const prefix = creditGroup(viewer.scope, '');
    for (const group of this.credit.groups()) {
      if (group.startsWith(prefix)) pairs.add(group.slice(prefix.length));
    }
    const corridors: CorridorStats[] = [];
    for (const pair of [...pairs].sort()) {
      const [source, target] = pairOf(pair);
      if (!seesPair(viewer, source, target)) continue;
      const day = totals.get(pair);
      const credit = this.credit.countsOf(creditGroup(viewer.scope, pair));
      const debitedAtMid = day?.debitedAtMid ?? 0n;
      corridors.push({
        source,
        target,
        perSecond: Math.round(((rates.get(pair) ?? 0) / STATS_LIMITS.windowSeconds) * 10) / 10,
        settledToday: day?.count ?? 0,
        sentToday: money(day?.sent ?? 0n, source),
        creditedToday: money(day?.credited ?? 0n, target),
        feesToday: money(day?.fees ?? 0n, source),
        costBps: costBps({ debitedAtMid, creditedAtMid: day?.creditedAtMid ?? 0n }),
        feeBps: feeBps(day?.fees ?? 0n, debitedAtMid),
        receivedToday: credit.received,
        withinHourToday: credit.withinHour,
        creditedLateToday: credit.creditedLate,
        rejectedToday: credit.rejected,
        openOverHourToday: credit.openOverHour,
        openUnderHourToday: credit.openUnderHour,
      });
    }
    return corridors;
  }

  /** The last complete seconds for the charts, filled with zeros where nothing happened. */
  history(viewer: Viewer, seconds: number = STATS_LIMITS.historySeconds): HistoryPoint[] {
    const now = Math.floor(this.clock() / 1_000) - 1;
    const byTime = new Map(this.seconds.map((second) => [second.t, second]));
    const total = (counts: Counts | undefined): number => {
      let sum = 0;
      for (const [pair, n] of counts?.get(viewer.scope) ?? []) {
        if (seesPair(viewer, ...pairOf(pair))) sum += n;
      }
      return sum;
    };
    const points: HistoryPoint[] = [];
    // Nothing was counted before this collector started: no zeros for that time.
    for (let t = Math.max(now - seconds + 1, this.startedSecond); t <= now; t++) {
      const second = byTime.get(t);
      points.push({
        t,
        accepted: total(second?.accepted),
        settled: total(second?.settled),
        commands: second?.commands ?? 0,
        queueDepth: second?.queueDepth ?? 0,
      });
    }
    return points;
  }

  /** The accounts (and supply) a viewer may see: its own, its currency's, or all (operator). */
  private visibleAccounts(viewer: Viewer): VisibleAccount[] {
    const { participant } = viewer.caller;
    const state = this.network.engine.state;
    const candidates =
      participant.kind === 'operator' || participant.kind === 'central_bank'
        ? this.network.participants()
        : [participant];
    const accounts: VisibleAccount[] = [];
    for (const holder of candidates) {
      if (holder.kind === 'operator') {
        if (participant.kind !== 'operator') continue;
        for (const currency of state.currencies.keys()) {
          accounts.push({
            participantId: holder.id,
            currency,
            role: 'fees',
            accountId: feeAccountId(holder.id, currency),
          });
        }
        continue;
      }
      const issuer = holder.kind === 'central_bank';
      const currencies = issuer ? issuedCurrencies(this.network.currencies(), holder.id)
        : holder.currencies;
      for (const currency of currencies) {
        if (!canSeeAccount(viewer.domain, holder.id, currency)) continue;
        accounts.push({
          participantId: holder.id,
          currency,
          role: issuer ? 'issuance' : 'settlement',
        });
      }
    }
    return accounts;
  }

  private visibleCurrencies(viewer: Viewer): string[] {
    const { participant } = viewer.caller;
    if (participant.kind === 'operator') return [...this.network.engine.state.currencies.keys()];
    if (viewer.currencies !== undefined) return [...viewer.currencies];
    return [...participant.currencies];
  }

  private balanceOf(account: VisibleAccount) {
    return account.accountId === undefined
      ? this.network.balance(account.participantId, account.currency)
      : this.network.engine.ledger.balance(account.accountId);
  }

  liquidityFor(viewer: Viewer): LiquidityWire {
    const accounts: AccountWire[] = [];
    for (const account of this.visibleAccounts(viewer)) {
      const balance = this.balanceOf(account);
      if (balance === undefined) continue;
      const format = (value: bigint): string => formatAmount(value, account.currency);
      accounts.push({
        participantId: account.participantId,
        currency: account.currency,
        role: account.role,
        posted: format(balance.posted),
        reserved: format(balance.pendingDebits),
        incoming: format(balance.pendingCredits),
        available: account.role === 'issuance' ? '' : format(balance.available),
        creditLimit: format(balance.creditLimit),
      });
    }
    const supply = this.visibleCurrencies(viewer).flatMap((currency) => {
      const value = this.network.supply(currency);
      return value === undefined ? [] : [money(value, currency)];
    });
    return { accounts, supply };
  }

  private sampleLiquidity(): void {
    const state = this.network.engine.state;
    if (state.ledger.stats().accounts > STATS_LIMITS.liquidityAccountsMax) return;
    const operator = this.network.participant(state.settings.operatorId);
    if (operator === undefined) return;
    const posted = new Map<string, bigint>();
    for (const account of this.visibleAccounts({
      caller: { participant: operator, keyId: '' },
      domain: domainViewerOf(operator, []),
      scope: ALL,
    })) {
      const balance = this.balanceOf(account);
      if (balance !== undefined) posted.set(accountKey(account), balance.posted);
    }
    const supply = new Map<string, bigint>();
    for (const currency of state.currencies.keys()) {
      const value = this.network.supply(currency);
      if (value !== undefined) supply.set(currency, value);
    }
    this.liquidity.push({ t: Math.floor(this.clock() / 1_000), posted, supply });
    if (this.liquidity.length > STATS_LIMITS.liquiditySamplesMax) this.liquidity.shift();
  }

  /** The sampled balances and supply the viewer may see, for the charts. */
  liquidityHistory(viewer: Viewer): LiquidityHistory {
    const series = (pick: (sample: LiquiditySample) => bigint | undefined, currency: string) =>
      this.liquidity.map((sample) => {
        const value = pick(sample);
        return value === undefined ? null : formatAmount(value, currency);
      });
    const posted: Record<string, (string | null)[]> = {};
    for (const account of this.visibleAccounts(viewer)) {
      const key = accountKey(account);
      posted[key] = series((sample) => sample.posted.get(key), account.currency);
    }
    const supply: Record<string, (string | null)[]> = {};
    for (const currency of this.visibleCurrencies(viewer)) {
      supply[currency] = series((sample) => sample.supply.get(currency), currency);
    }
    return { times: this.liquidity.map((sample) => sample.t), posted, supply };
  }
}
