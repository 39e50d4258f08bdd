// The settlement queue: payments that passed every check but cannot be funded now wait here,
// in the engine's state (journaled through the commands that fill and drain it, so replay and a
// standby rebuild it in the same order). At the end of every batch (or every `cycleMs` of
// engine time) the queue is resolved: deadlines first, then each sender's head alone (FIFO,
// urgent first), then bilateral offsetting, then multilateral partial netting (resolve.ts).
// A resolved set settles in one ledger applySet: every payment keeps its own gross legs.
import { availableOf } from '../../ledger/engine.js';
import { createLegs } from '../payments/legs.js';
import type { Payment, PaymentLeg } from '../payments/model.js';
import { addOutflow, changeStatus } from '../payments/status.js';
import type { NetworkResult } from '../commands.js';
import { refuse, type BatchContext, type NetworkState } from '../state.js';
import { recordQueued, recordSettled, recordSubmitted, type LiquidityFigures } from './figures.js';
import {
  addNets, fifo, FlatQueueBuilder, netsOf, Positions, resolveMembers, subtractNets,
  type FlatQueue,
} from './resolve.js';

export type QueuePriority = 'urgent' | 'normal';

/** The queue's network setting (NetworkSettings.queue); absent: no queue, as before it existed. */
export interface QueueSettings {
  readonly enabled: boolean;
  /** Most payments the queue holds; a payment that would wait beyond it is refused queue_full. */
  readonly capacity: number;
  /** Engine time between two gridlock-resolution passes, in ms; 0: at the end of every batch. */
  readonly cycleMs: number;
  /** How long a domestic payment may wait when its sender names no latest time, in ms. */
  readonly waitMsDefault: number;
}

export const QUEUE_DEFAULTS: QueueSettings = {
  enabled: true,
  capacity: 100_000,
  cycleMs: 0,
  waitMsDefault: 60 * 60 * 1000,
};

/** Bounds of the queue settings (config schema and the set_queue_settings command). */
export const QUEUE_LIMITS = {
  capacityMax: 1_000_000,
  cycleMsMax: 60_000,
  waitMsMax: 7 * 24 * 60 * 60 * 1000,
} as const;

export interface QueueEntry {
  readonly paymentId: string;
  readonly debtorAgent: string;
  readonly sourceCurrency: string;
  priority: QueuePriority;
  /** Order among entries of the same priority: lower first. Reordering swaps ranks. */
  rank: number;
  readonly latestAt: number;
  readonly queuedAt: number;
}

export interface SettlementQueue {
  /** Key: payment id. */
  readonly entries: Map<string, QueueEntry>;
  nextRank: number;
  /** When the last gridlock-resolution pass ran (engine time). */
  lastRunAt: number;
  /** No deadline falls before this: the deadline scan is skipped until then. */
  earliestDeadline: number;
  /** sender|currency → payments it has waiting, per priority: FIFO needs them. */
  readonly waiting: Map<string, { urgent: number; normal: number }>;
}

export function newQueue(): SettlementQueue {
  return {
    entries: new Map(), nextRank: 1, lastRunAt: 0, earliestDeadline: Infinity,
    waiting: new Map(),
  };
}

/** The queue applies to this batch: enabled by the network, and not an entry from before ids. */
export function queueOn(state: NetworkState, context: BatchContext): boolean {
  return state.settings.queue?.enabled === true && context.ids === 'scoped';
}

export function compareEntries(left: QueueEntry, right: QueueEntry): number {
  if (left.priority !== right.priority) return left.priority === 'urgent' ? -1 : 1;
  return left.rank - right.rank;
}

/** The queue in settlement order: urgent first, then by rank. */
export function queueOrder(queue: SettlementQueue): QueueEntry[] {
  return [...queue.entries.values()].sort(compareEntries);
}

function senderKey(entry: { debtorAgent: string; sourceCurrency: string }): string {
  return `${entry.debtorAgent}|${entry.sourceCurrency}`;
}

function count(queue: SettlementQueue, entry: QueueEntry, sign: 1 | -1): void {
  const key = senderKey(entry);
  const counts = queue.waiting.get(key) ?? { urgent: 0, normal: 0 };
  counts[entry.priority] += sign;
  if (counts.urgent === 0 && counts.normal === 0) queue.waiting.delete(key);
  else queue.waiting.set(key, counts);
}

/** The ledger's available liquidity of each account (issuers: unbounded). */
export function ledgerAvailable(state: NetworkState): (accountId: string) => bigint {
  return (accountId) => {
    const account = state.ledger.account(accountId);
    return account === undefined ? 0n : availableOf(account);
  };
}

/**
 * Whether a new payment must wait: FIFO per sender and currency (a normal payment waits behind
 * anything its sender has queued, an urgent one only behind urgent ones), or, when the queue is
 * full, it cannot be funded now (checked net over its own legs, as the ledger's applySet will).
 */
export function mustWait(
  state: NetworkState,
  payment: { debtorAgent: string; sourceCurrency: string },
  priority: QueuePriority,
  legs: () => readonly PaymentLeg[],
): boolean {
  const counts = state.queue.waiting.get(senderKey(payment));
  if (counts !== undefined && (counts.urgent > 0 || (priority === 'normal' && counts.normal > 0)))
    return true;
  // Whether it can be funded now matters before it is created only when the queue is full (it
  // would be refused): otherwise the ledger's own check, when it is settled, decides.
  return queueFull(state) && !new Positions(ledgerAvailable(state)).fits({ nets: netsOf(legs()) });
}

export function queueFull(state: NetworkState): boolean {
  const capacity = state.settings.queue?.capacity ?? 0;
  return state.queue.entries.size >= capacity;
}

/** Puts a payment (ACTC, nothing posted) on the queue: ACSP with the reason it waits. */
export function enqueue(
  state: NetworkState,
  context: BatchContext,
  payment: Payment,
  latestAt: number,
): void {
  const queue = state.queue;
  const entry: QueueEntry = {
    paymentId: payment.id,
    debtorAgent: payment.debtorAgent,
    sourceCurrency: payment.sourceCurrency,
    priority: payment.priority ?? 'normal',
    rank: queue.nextRank++,
    latestAt,
    queuedAt: context.now,
  };
  queue.entries.set(payment.id, entry);
  count(queue, entry, 1);
  if (latestAt < queue.earliestDeadline) queue.earliestDeadline = latestAt;
  addOutflow(state, payment, context.now, 1n);
  recordQueued(state.liquidity, payment, context.now);
  const provider = !new Positions(ledgerAvailable(state)).fits({
    nets: netsOf(payment.legs.filter((leg) => leg.role !== 'provider_to_creditor')),
  })
    ? 'insufficient_funds'
    : 'fx_provider_insufficient_liquidity';
  changeStatus(state, context, payment, {
    status: 'ACSP', reason: 'AM04', detail: `queued_${provider}`,
  });
}

/** Takes an entry off the queue (settled, rejected or cancelled). */
export function dequeue(state: NetworkState, entry: QueueEntry): void {
  state.queue.entries.delete(entry.paymentId);
  count(state.queue, entry, -1);
}

/** A queued payment leaves rejected: nothing of it moved; its outflow is released. */
export function rejectQueued(
  state: NetworkState,
  context: BatchContext,
  entry: QueueEntry,
  change: { reason: 'AB01' | 'DS02'; detail: string },
): Payment | undefined {
  const payment = state.payments.get(entry.paymentId);
  dequeue(state, entry);
  if (payment === undefined) return undefined;
  addOutflow(state, payment, context.now, -1n);
  recordSettled(state.liquidity, payment, context.now, undefined, 'rejected');
  changeStatus(state, context, payment, { status: 'RJCT', ...change });
  return payment;
}

/** A payment settled now (queued or not): ACSC then ACCC, and the figures. */
export function settled(
  state: NetworkState,
  context: BatchContext,
  payment: Payment,
  queuedAt: number | undefined,
  how: 'gross' | 'offset',
): void {
  recordSettled(state.liquidity, payment, context.now, queuedAt, how);
  changeStatus(state, context, payment, { status: 'ACSC' });
  changeStatus(state, context, payment, { status: 'ACCC' });
}

/** Records a payment's submission for the day's bounds (whether it settles now or waits). */
export function submitted(figures: LiquidityFigures, payment: Payment, now: number): void {
  recordSubmitted(figures, payment, now);
}

function expireDeadlines(state: NetworkState, context: BatchContext): void {
  const queue = state.queue;
  if (context.now < queue.earliestDeadline) return;
  const due: QueueEntry[] = [];
  let earliest = Infinity;
  for (const entry of queue.entries.values()) {
    if (entry.latestAt <= context.now) due.push(entry);
    else if (entry.latestAt < earliest) earliest = entry.latestAt;
  }
  queue.earliestDeadline = earliest;
  due.sort((left, right) => left.latestAt - right.latestAt || left.rank - right.rank);
  for (const entry of due) {
    rejectQueued(state, context, entry, {
      reason: 'AB01', detail: 'latest_settlement_time_reached',
    });
  }
}

/** A payment the pass settles, and how: alone (FIFO head) or through offsetting. */
export interface Resolved {
  readonly entry: QueueEntry;
  readonly payment: Payment;
  readonly how: 'gross' | 'offset';
}

/** Settles `chosen` (in queue order) as one ledger set; asserts the ledger agrees. */
function settleSet(state: NetworkState, context: BatchContext, chosen: readonly Resolved[]): void {
  if (chosen.length === 0) return;
  const commands = chosen.flatMap(({ payment }) => createLegs(payment.id, payment.legs, 'posted', 0));
  const results = context.applyLedgerSet(commands);
  const failed = results.find((result) => result.code !== 'ok');
  if (failed !== undefined) {
    // The set was computed from the ledger's own balances: a refusal is a programmer error.
    throw new Error(`invariant: a resolved settlement set was refused (${failed.code})`);
  }
  for (const { entry, payment, how } of chosen) {
    dequeue(state, entry);
    settled(state, context, payment, entry.queuedAt, how);
  }
}

/**
 * The queue in settlement order as a FlatQueue (resolve.ts), with what the bilateral step
 * needs: each payment's agents as numbers and its unordered pair of agents as a number.
 */
interface Ordered {
  readonly entries: QueueEntry[];
  readonly payments: Payment[];
  readonly queue: FlatQueue;
  readonly debtors: Int32Array;
  /** The unordered pair of agents: lower agent number · 2^26 + higher. */
  readonly pairs: Float64Array;
}

/** A number per distinct string, in order of first appearance. */
function numberer(): (key: string) => number {
  const numbers = new Map<string, number>();
  return (key) => {
    let number = numbers.get(key);
    if (number === undefined) {
      number = numbers.size;
      numbers.set(key, number);
    }
    return number;
  };
}

function ordered(state: NetworkState): Ordered {
  const entries: QueueEntry[] = [];
  const payments: Payment[] = [];
  let nets = 0;
  for (const entry of queueOrder(state.queue)) {
    const payment = state.payments.get(entry.paymentId);
    if (payment === undefined) continue;
    entries.push(entry);
    payments.push(payment);
    nets += 2 * payment.legs.length;
  }
  const builder = new FlatQueueBuilder(payments.length, nets);
  const agent = numberer();
  // Sender: debtor agent and source currency (senderKey), without building the key.
  const senderOf = new Map<string, (currency: string) => number>();
  let senderCount = 0;
  const debtors = new Int32Array(payments.length);
  const pairs = new Float64Array(payments.length);
  payments.forEach((payment, index) => {
    for (const leg of payment.legs) {
      builder.net(builder.account(leg.debitAccountId), -leg.amount);
      builder.net(builder.account(leg.creditAccountId), leg.amount);
    }
    const entry = entries[index] as QueueEntry;
    let currencies = senderOf.get(entry.debtorAgent);
    if (currencies === undefined) {
      const numbers = new Map<string, number>();
      currencies = (currency) => {
        let number = numbers.get(currency);
        if (number === undefined) {
          number = senderCount++;
          numbers.set(currency, number);
        }
        return number;
      };
      senderOf.set(entry.debtorAgent, currencies);
    }
    builder.endPayment(currencies(entry.sourceCurrency));
    const debtor = agent(payment.debtorAgent);
    const creditor = agent(payment.creditorAgent);
    debtors[index] = debtor;
    // Agents number below 2^26 (two per payment at most): the pair's number is exact.
    pairs[index] = Math.min(debtor, creditor) * 2 ** 26 + Math.max(debtor, creditor);
  });
  return { entries, payments, queue: builder.build(senderCount), debtors, pairs };
}

const WAITS = 0;
const GROSS = 1;
const OFFSET = 2;

/**
 * Bilateral offsetting: the `rest`'s payments between two agents in both directions, all
 * together when their net effect fits; pairs in the order their second direction appears.
 * Marks those it settles OFFSET in `how`; `position` is left updated with them.
 */
function offsetPairs(
  { queue, debtors, pairs }: Ordered,
  rest: readonly number[],
  state: { position: bigint[]; how: Uint8Array },
): void {
  const { position, how } = state;
  const pairNumbers = new Map<number, number>();
  const firstDebtor: number[] = [];
  const twoWay: number[] = [];
  const isTwoWay: boolean[] = [];
  const pairOf = new Int32Array(rest.length);
  rest.forEach((index, local) => {
    const key = pairs[index] as number;
    let pair = pairNumbers.get(key);
    if (pair === undefined) {
      pair = firstDebtor.length;
      pairNumbers.set(key, pair);
      firstDebtor.push(debtors[index] as number);
    } else if (firstDebtor[pair] !== debtors[index] && isTwoWay[pair] !== true) {
      isTwoWay[pair] = true;
      twoWay.push(pair);
    }
    pairOf[local] = pair;
  });
  if (twoWay.length === 0) return;
  // Each two-way pair's payments, in queue order.
  const lists = new Map<number, number[]>(twoWay.map((pair) => [pair, []]));
  rest.forEach((index, local) => lists.get(pairOf[local] as number)?.push(index));
  // Both directions together, whole or not at all: what a pair cannot settle between
  // themselves is left to the multilateral pass, which sees every account at once.
  for (const pair of twoWay) {
    const list = lists.get(pair) as number[];
    for (const index of list) addNets(queue, position, index);
    const fits = list.every((index) => {
      for (let leg = queue.starts[index] as number; leg < (queue.starts[index + 1] as number);
        leg++) {
        if ((queue.legNets[leg] as bigint) < 0n
          && (position[queue.legAccounts[leg] as number] as bigint) < 0n) return false;
      }
      return true;
    });
    if (fits) for (const index of list) how[index] = OFFSET;
    else for (const index of list) subtractNets(queue, position, index);
  }
}

/**
 * Which queued payments settle now, in queue order; decides only (the ledger is not touched).
 * Steps, each on the positions the previous left:
 * 1. FIFO: each sender's head (urgent first), alone, in queue order;
 * 2. bilateral offsetting: the queued payments between two agents, in both directions, all
 *    together when their net effect fits (else they are left to step 3);
 * 3. multilateral partial netting over what is left.
 * On flat arrays (resolve.ts): accounts, senders and agents are numbered once per pass.
 */
export function planResolution(state: NetworkState): Resolved[] {
  const order = ordered(state);
  const { entries, payments, queue } = order;
  const position = queue.accountIds.map(ledgerAvailable(state));
  const how = new Uint8Array(entries.length);
  // 1. FIFO heads: a sender's later payment is tried only once every earlier one has settled.
  const all = entries.map((_, index) => index);
  for (const index of fifo(queue, all, position)) how[index] = GROSS;
  let rest = all.filter((index) => how[index] === WAITS);
  // 2. Bilateral: payments between two agents (both directions), resolved as a set.
  offsetPairs(order, rest, { position, how });
  rest = rest.filter((index) => how[index] === WAITS);
  // 3. Multilateral partial netting over the rest.
  for (const index of resolveMembers(queue, rest, position)) how[index] = OFFSET;
  const resolved: Resolved[] = [];
  how.forEach((way, index) => {
    if (way === WAITS) return;
    resolved.push({ entry: entries[index] as QueueEntry, payment: payments[index] as Payment,
      how: way === GROSS ? 'gross' : 'offset' });
  });
  return resolved;
}

/** One resolution pass: decide, then settle the resolved set in one ledger applySet. */
export function resolveQueue(state: NetworkState, context: BatchContext): void {
  settleSet(state, context, planResolution(state));
}

/** The end of every batch: deadlines, then a resolution pass if one is due. */
export function runQueue(state: NetworkState, context: BatchContext): void {
  // Runs while anything waits, even once the queue is switched off: what waits still settles
  // or reaches its deadline; switching off only stops new payments from waiting.
  const settings = state.settings.queue;
  if (settings === undefined || context.ids !== 'scoped') return;
  const queue = state.queue;
  if (queue.entries.size === 0) return;
  expireDeadlines(state, context);
  if (queue.entries.size === 0) return;
  if (settings.cycleMs > 0 && context.now - queue.lastRunAt < settings.cycleMs) return;
  queue.lastRunAt = context.now;
  // A pass changes state (lastRunAt) even when it settles nothing: the batch is journaled.
  context.queueRan = true;
  resolveQueue(state, context);
}

/** What a new payment asked of the queue, checked. */
export interface WaitTerms {
  readonly priority: QueuePriority;
  readonly latestAt: number;
  /** It must wait (FIFO behind its sender's queued payments, or not fundable now). */
  waits: boolean;
}

/**
 * The priority and latest settlement time of a new payment: the time defaults to its quote's
 * expiry (cross-currency) or to the queue's default wait (domestic), and may not be later.
 */
export function waitTerms(
  state: NetworkState,
  request: { priority?: unknown; latestSettlementAt?: unknown },
  quoteExpiresAt: number | undefined,
  now: number,
): WaitTerms | NetworkResult {
  const priority = request.priority ?? 'normal';
  if (priority !== 'urgent' && priority !== 'normal') {
    return refuse('invalid_field', 'The priority is urgent or normal.', 'priority');
  }
  const waitMs = state.settings.queue?.waitMsDefault ?? QUEUE_DEFAULTS.waitMsDefault;
  const cap = quoteExpiresAt ?? now + QUEUE_LIMITS.waitMsMax;
  const asked = request.latestSettlementAt;
  if (asked === undefined) {
    return { priority, latestAt: quoteExpiresAt ?? now + waitMs, waits: false };
  }
  if (typeof asked !== 'number' || !Number.isSafeInteger(asked) || asked <= now) {
    return refuse('invalid_field', 'The latest settlement time must be a time in the future.',
      'latestSettlementAt');
  }
  if (asked > cap) {
    return refuse('invalid_field', quoteExpiresAt === undefined
      ? 'The latest settlement time is more than 7 days away.'
      : 'The latest settlement time may not be after the quote expires.', 'latestSettlementAt');
  }
  return { priority, latestAt: asked, waits: false };
}
