// Test-only: the gridlock resolution as it was before the flat-array rewrite (resolve.ts and
// queue.ts planResolution), kept verbatim as the reference the differential property test
// compares the fast implementation with: replay depends on both giving the same settled set.
// Not built into dist (src/**/_test*.ts).
import type { Payment } from '../payments/model.js';
import type { NetworkState } from '../state.js';
import { ledgerAvailable, queueOrder, type QueueEntry, type Resolved } from './queue.js';

/** One queued payment: its net effect on each account it touches (negative: a debit). */
export interface Candidate {
  readonly nets: ReadonlyMap<string, bigint>;
  /**
   * Whose queue it is in (sender and currency): FIFO takes a payment only while no earlier
   * payment of its sender is left out. Absent: no such order.
   */
  readonly sender?: string;
}

/** What an account can still pay out now: balance + credit limit − reserved. */
type Available = (accountId: string) => bigint;

/** The net effect of a set of legs on each account. */
function netsOf(
  legs: readonly { debitAccountId: string; creditAccountId: string; amount: bigint }[],
): Map<string, bigint> {
  const nets = new Map<string, bigint>();
  for (const leg of legs) {
    nets.set(leg.debitAccountId, (nets.get(leg.debitAccountId) ?? 0n) - leg.amount);
    nets.set(leg.creditAccountId, (nets.get(leg.creditAccountId) ?? 0n) + leg.amount);
  }
  return nets;
}

/**
 * Positions: each account's available liquidity plus what a set of payments does to it.
 * Reads `available` once per account, lazily.
 */
export class Positions {
  private readonly values = new Map<string, bigint>();
  constructor(private readonly available: Available) {}

  get(accountId: string): bigint {
    let value = this.values.get(accountId);
    if (value === undefined) {
      value = this.available(accountId);
      this.values.set(accountId, value);
    }
    return value;
  }

  /**
   * A copy to try a set on, leaving these positions as they are: it reads through to these
   * for the accounts it has not changed, so a copy costs nothing until it is used.
   */
  copy(): Positions {
    return new Positions((account) => this.get(account));
  }

  /** Takes over the positions of `other` (a copy of these that a set was tried on). */
  adopt(other: Positions): void {
    for (const [account, value] of other.values) this.values.set(account, value);
  }

  add(candidate: Candidate, sign: 1n | -1n): void {
    for (const [account, net] of candidate.nets) {
      this.values.set(account, this.get(account) + sign * net);
    }
  }

  /** Sets the positions of `accounts` (what a pass computed on its own arrays). */
  set(accounts: readonly string[], values: readonly bigint[]): void {
    accounts.forEach((account, index) => this.values.set(account, values[index] as bigint));
  }

  /** Whether `candidate` alone can settle on top of these positions. */
  fits(candidate: Candidate): boolean {
    for (const [account, net] of candidate.nets) {
      if (net < 0n && this.get(account) + net < 0n) return false;
    }
    return true;
  }
}

/**
 * A binary min-heap of (position, account): the most negative position first, ties by the
 * account's rank (its id's place in sorted order: deterministic, as in the papers' "by id").
 */
class NegativeHeap {
  private readonly items: { position: bigint; account: number }[] = [];
  constructor(private readonly rank: Int32Array) {}

  get size(): number {
    return this.items.length;
  }

  private before(a: number, b: number): boolean {
    const left = this.items[a] as { position: bigint; account: number };
    const right = this.items[b] as { position: bigint; account: number };
    if (left.position !== right.position) return left.position < right.position;
    return (this.rank[left.account] as number) < (this.rank[right.account] as number);
  }

  private swap(a: number, b: number): void {
    const item = this.items[a] as { position: bigint; account: number };
    this.items[a] = this.items[b] as { position: bigint; account: number };
    this.items[b] = item;
  }

  push(position: bigint, account: number): void {
    this.items.push({ position, account });
    let index = this.items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(index, parent)) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  pop(): { position: bigint; account: number } | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (top === undefined || last === undefined || this.items.length === 0) return top;
    this.items[0] = last;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let next = index;
      if (left < this.items.length && this.before(left, next)) next = left;
      if (right < this.items.length && this.before(right, next)) next = right;
      if (next === index) break;
      this.swap(index, next);
      index = next;
    }
    return top;
  }
}

/** A queue as flat arrays: accounts as small integers, each payment's nets as one slice. */
interface Indexed {
  readonly accountIds: string[];
  /** Payment i's nets are legAccounts/legNets[starts[i] … starts[i + 1]). */
  readonly starts: Int32Array;
  readonly legAccounts: number[];
  readonly legNets: bigint[];
}

function indexed(candidates: readonly Candidate[]): Indexed {
  const accountIds: string[] = [];
  const indexOf = new Map<string, number>();
  const starts = new Int32Array(candidates.length + 1);
  const legAccounts: number[] = [];
  const legNets: bigint[] = [];
  for (let index = 0; index < candidates.length; index++) {
    starts[index] = legAccounts.length;
    for (const [account, net] of (candidates[index] as Candidate).nets) {
      let id = indexOf.get(account);
      if (id === undefined) {
        id = accountIds.length;
        indexOf.set(account, id);
        accountIds.push(account);
      }
      legAccounts.push(id);
      legNets.push(net);
    }
  }
  starts[candidates.length] = legAccounts.length;
  return { accountIds, starts, legAccounts, legNets };
}

/** Each account's rank in the sorted order of the ids: the heap's tie-break. */
function ranks(accountIds: readonly string[]): Int32Array {
  const rank = new Int32Array(accountIds.length);
  accountIds.map((account, index) => ({ account, index }))
    .sort((left, right) =>
      (left.account < right.account ? -1 : left.account > right.account ? 1 : 0))
    .forEach(({ index }, place) => { rank[index] = place; });
  return rank;
}

/** Adds payment `index`'s nets to `position` (sign 1n) or takes them off (-1n). */
function shift(queue: Indexed, position: bigint[], index: number, sign: 1n | -1n): void {
  for (let leg = queue.starts[index] as number; leg < (queue.starts[index + 1] as number); leg++) {
    const account = queue.legAccounts[leg] as number;
    position[account] = (position[account] as bigint) + sign * (queue.legNets[leg] as bigint);
  }
}

function fitsAt(queue: Indexed, position: readonly bigint[], index: number): boolean {
  for (let leg = queue.starts[index] as number; leg < (queue.starts[index + 1] as number); leg++) {
    const net = queue.legNets[leg] as bigint;
    if (net < 0n && (position[queue.legAccounts[leg] as number] as bigint) + net < 0n) return false;
  }
  return true;
}

/**
 * The removal loop: while an account the set debits is below zero, drop the set's latest
 * payment debiting the most negative account. `inSet` and `position` are updated in place.
 */
function removeUntilFundable(queue: Indexed, position: bigint[], inSet: Uint8Array): void {
  /** Per account, the candidates debiting it in queue order; the latest is popped first. */
  const debtors: number[][] = queue.accountIds.map(() => []);
  for (let index = 0; index < inSet.length; index++) {
    const end = queue.starts[index + 1] as number;
    for (let leg = queue.starts[index] as number; leg < end; leg++) {
      if ((queue.legNets[leg] as bigint) < 0n) {
        (debtors[queue.legAccounts[leg] as number] as number[]).push(index);
      }
    }
  }
  const heap = new NegativeHeap(ranks(queue.accountIds));
  for (let account = 0; account < queue.accountIds.length; account++) {
    const value = position[account] as bigint;
    if (value < 0n && (debtors[account] as number[]).length > 0) heap.push(value, account);
  }
  // Each round removes one payment or discards one stale heap entry: bounded by the pushes.
  while (heap.size > 0) {
    const top = heap.pop() as { position: bigint; account: number };
    const value = position[top.account] as bigint;
    if (value !== top.position || value >= 0n) continue; // stale
    const list = debtors[top.account] as number[];
    let removed: number | undefined;
    while (list.length > 0 && removed === undefined) {
      const index = list.pop() as number;
      if (inSet[index] === 1) removed = index;
    }
    // Negative with no debtor left: the account was below zero before the set; nothing in the
    // set debits it any more, so the ledger will not check it.
    if (removed === undefined) continue;
    inSet[removed] = 0;
    shift(queue, position, removed, -1n);
    for (let leg = queue.starts[removed] as number; leg < (queue.starts[removed + 1] as number);
      leg++) {
      const account = queue.legAccounts[leg] as number;
      const updated = position[account] as bigint;
      if (updated < 0n && (debtors[account] as number[]).length > 0) heap.push(updated, account);
    }
  }
}

/**
 * The partial-netting pass: the indices (ascending) of the payments of `candidates` (in queue
 * order) that settle together on top of `positions`. `positions` is left updated with the set.
 */
function partialNetting(candidates: readonly Candidate[], positions: Positions): number[] {
  // Flat arrays: the loops touch arrays, not maps (10,000 payments have some 40,000 nets).
  const queue = indexed(candidates);
  const position: bigint[] = queue.accountIds.map((account) => positions.get(account));
  for (let index = 0; index < candidates.length; index++) shift(queue, position, index, 1n);
  const inSet = new Uint8Array(candidates.length).fill(1);
  removeUntilFundable(queue, position, inSet);
  // Partial netting only removes; a payment dropped early may fit once later removals have
  // freed its accounts. One pass in queue order adds back each that fits now (every addition
  // keeps every position non-negative, so the set stays fundable). This may settle a sender's
  // later payment while an earlier one that does not fit waits (FIFO by-passing, as TARGET2
  // allows for its normal payments): FIFO holds at submission and for the senders' heads.
  for (let index = 0; index < candidates.length; index++) {
    if (inSet[index] === 1 || !fitsAt(queue, position, index)) continue;
    shift(queue, position, index, 1n);
    inSet[index] = 1;
  }
  positions.set(queue.accountIds, position);
  const settled: number[] = [];
  for (let index = 0; index < candidates.length; index++) {
    if (inSet[index] === 1) settled.push(index);
  }
  return settled;
}

/** FIFO: each payment in queue order that fits on top of those before it. */
function greedy(candidates: readonly Candidate[], positions: Positions): number[] {
  const settled: number[] = [];
  const blocked = new Set<string>();
  candidates.forEach((candidate, index) => {
    const sender = candidate.sender;
    if (sender !== undefined && blocked.has(sender)) return;
    if (positions.fits(candidate)) {
      positions.add(candidate, 1n);
      settled.push(index);
    } else if (sender !== undefined) {
      blocked.add(sender);
    }
  });
  return settled;
}

/** What a set moves: the sum of its payments' debits. */
function valueOf(candidates: readonly Candidate[], set: readonly number[]): bigint {
  let value = 0n;
  for (const index of set) {
    for (const net of (candidates[index] as Candidate).nets.values()) if (net < 0n) value -= net;
  }
  return value;
}

/**
 * The payments of `candidates` (in queue order) that settle together on top of `positions`,
 * as ascending indices; `positions` is left updated with the set. The better (by value moved)
 * of partial netting and of FIFO in queue order: netting settles cycles that FIFO cannot, and
 * FIFO keeps what netting's cascade of removals sometimes drops. Ties go to netting.
 */
export function resolveSet(candidates: readonly Candidate[], positions: Positions): number[] {
  const nettingPositions = positions.copy();
  const netting = partialNetting(candidates, nettingPositions);
  const greedyPositions = positions.copy();
  const fifo = greedy(candidates, greedyPositions);
  if (valueOf(candidates, fifo) > valueOf(candidates, netting)) {
    positions.adopt(greedyPositions);
    return fifo;
  }
  positions.adopt(nettingPositions);
  return netting;
}

function senderKey(entry: { debtorAgent: string; sourceCurrency: string }): string {
  return `${entry.debtorAgent}|${entry.sourceCurrency}`;
}

interface Queued {
  readonly entry: QueueEntry;
  readonly payment: Payment;
  readonly candidate: Candidate;
}

const candidates = new WeakMap<Payment, Candidate>();

function pairKey(payment: Payment): string {
  const { debtorAgent, creditorAgent } = payment;
  return debtorAgent < creditorAgent
    ? `${debtorAgent}|${creditorAgent}` : `${creditorAgent}|${debtorAgent}`;
}

export function planResolution(state: NetworkState): Resolved[] {
  const order: Queued[] = [];
  for (const entry of queueOrder(state.queue)) {
    const payment = state.payments.get(entry.paymentId);
    if (payment === undefined) continue;
    let candidate = candidates.get(payment);
    if (candidate === undefined) {
      candidate = { nets: netsOf(payment.legs), sender: senderKey(entry) };
      candidates.set(payment, candidate);
    }
    order.push({ entry, payment, candidate });
  }
  const positions = new Positions(ledgerAvailable(state));
  const chosen = new Map<Queued, 'gross' | 'offset'>();
  // 1. FIFO heads: a sender's later payment is tried only once every earlier one has settled.
  const blocked = new Set<string>();
  let rest: Queued[] = [];
  for (const queued of order) {
    const key = senderKey(queued.entry);
    if (!blocked.has(key) && positions.fits(queued.candidate)) {
      positions.add(queued.candidate, 1n);
      chosen.set(queued, 'gross');
    } else {
      blocked.add(key);
      rest.push(queued);
    }
  }
  // 2. Bilateral: payments between two agents (both directions), resolved as a set.
  const pairs = new Map<string, Queued[]>();
  const directions = new Map<string, string>();
  const twoWay = new Set<string>();
  for (const queued of rest) {
    const key = pairKey(queued.payment);
    const list = pairs.get(key);
    if (list === undefined) pairs.set(key, [queued]);
    else list.push(queued);
    const first = directions.get(key);
    if (first === undefined) directions.set(key, queued.payment.debtorAgent);
    else if (first !== queued.payment.debtorAgent) twoWay.add(key);
  }
  // Both directions together, whole or not at all: what a pair cannot settle between
  // themselves is left to the multilateral pass, which sees every account at once.
  for (const key of twoWay) {
    const list = pairs.get(key) as Queued[];
    for (const queued of list) positions.add(queued.candidate, 1n);
    const fits = list.every((queued) => {
      for (const [account, net] of queued.candidate.nets) {
        if (net < 0n && positions.get(account) < 0n) return false;
      }
      return true;
    });
    if (fits) for (const queued of list) chosen.set(queued, 'offset');
    else for (const queued of list) positions.add(queued.candidate, -1n);
  }
  rest = rest.filter((queued) => !chosen.has(queued));
  // 3. Multilateral partial netting over the rest.
  for (const index of resolveSet(rest.map((queued) => queued.candidate), positions)) {
    chosen.set(rest[index] as Queued, 'offset');
  }
  return order.filter((queued) => chosen.has(queued)).map((queued) => ({
    entry: queued.entry, payment: queued.payment, how: chosen.get(queued) as 'gross' | 'offset',
  }));
}
