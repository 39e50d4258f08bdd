// Gridlock resolution over queued payments: which set of them can settle together, checked on
// the net effect of the whole set on every account. Pure and deterministic: the same queue and
// the same balances give the same set (replay depends on it).
//
// The multilateral pass is the partial netting of Güntzer, Jungnickel & Leclerc (1998) as used
// by Bech & Soramäki (2001): start from the whole queue, and while some account would end
// below its limit, drop the payment latest in queue order that debits the account with the
// most negative position. Each drop costs O(legs · log |Q|) with a heap of negative positions,
// so the pass is O(|Q| log |Q|). A last pass in queue order adds back each removed payment that
// fits again. The result is feasible; it is not the maximum-value set (that is NP-hard), see
// docs/liquidity.md for how close it gets.

/** One queued payment: its net effect on each account it touches (negative: a debit). */
export interface Candidate {
  readonly nets: ReadonlyMap<string, bigint>;
}

/** What an account can still pay out now: balance + credit limit − reserved. */
export type Available = (accountId: string) => bigint;

/** The net effect of a set of legs on each account. */
export function netsOf(
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

  /** A copy to try a set on, leaving these positions as they are. */
  copy(): Positions {
    const copy = new Positions(this.available);
    for (const [account, value] of this.values) copy.values.set(account, value);
    return copy;
  }

  /** Takes over the positions of `other` (a copy of these that a set was tried on). */
  adopt(other: Positions): void {
    for (const [account, value] of other.values) this.values.set(account, value);
  }

  add(candidate: Candidate, sign: 1n | -1n): void {
    for (const [account, net] of candidate.nets) this.values.set(account, this.get(account) + sign * net);
  }

  /** Whether `candidate` alone can settle on top of these positions. */
  fits(candidate: Candidate): boolean {
    for (const [account, net] of candidate.nets) {
      if (net < 0n && this.get(account) + net < 0n) return false;
    }
    return true;
  }
}

/** A binary min-heap of (position, account): the most negative position first, ties by id. */
class NegativeHeap {
  private readonly items: { position: bigint; account: string }[] = [];

  get size(): number {
    return this.items.length;
  }

  private before(a: number, b: number): boolean {
    const left = this.items[a] as { position: bigint; account: string };
    const right = this.items[b] as { position: bigint; account: string };
    if (left.position !== right.position) return left.position < right.position;
    return left.account < right.account;
  }

  private swap(a: number, b: number): void {
    const item = this.items[a] as { position: bigint; account: string };
    this.items[a] = this.items[b] as { position: bigint; account: string };
    this.items[b] = item;
  }

  push(position: bigint, account: string): void {
    this.items.push({ position, account });
    let index = this.items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(index, parent)) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  pop(): { position: bigint; account: string } | undefined {
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

/**
 * The partial-netting pass: the indices (ascending) of the payments of `candidates` (in queue
 * order) that settle together on top of `positions`. `positions` is left updated with the set.
 */
function partialNetting(candidates: readonly Candidate[], positions: Positions): number[] {
  const inSet = new Uint8Array(candidates.length).fill(1);
  /** Per account, the candidates debiting it in queue order; the latest is popped first. */
  const debtors = new Map<string, number[]>();
  for (let index = 0; index < candidates.length; index++) {
    const candidate = candidates[index] as Candidate;
    positions.add(candidate, 1n);
    for (const [account, net] of candidate.nets) {
      if (net >= 0n) continue;
      let list = debtors.get(account);
      if (list === undefined) debtors.set(account, (list = []));
      list.push(index);
    }
  }
  const heap = new NegativeHeap();
  for (const account of debtors.keys()) {
    const position = positions.get(account);
    if (position < 0n) heap.push(position, account);
  }
  // Each round removes one payment or discards one stale heap entry: bounded by the pushes.
  while (heap.size > 0) {
    const top = heap.pop() as { position: bigint; account: string };
    const position = positions.get(top.account);
    if (position !== top.position || position >= 0n) continue; // stale
    const list = debtors.get(top.account) ?? [];
    let removed: number | undefined;
    while (list.length > 0 && removed === undefined) {
      const index = list.pop() as number;
      if (inSet[index] === 1) removed = index;
    }
    // Negative with no debtor left: the account was below zero before the set; nothing in the
    // set debits it any more, so the ledger will not check it.
    if (removed === undefined) continue;
    inSet[removed] = 0;
    const candidate = candidates[removed] as Candidate;
    positions.add(candidate, -1n);
    for (const account of candidate.nets.keys()) {
      const updated = positions.get(account);
      if (updated < 0n && debtors.has(account)) heap.push(updated, account);
    }
  }
  // Partial netting only removes; a payment dropped early may fit once later removals have
  // freed its accounts. One pass in queue order adds back each that fits now (every addition
  // keeps every position non-negative, so the set stays fundable).
  for (let index = 0; index < candidates.length; index++) {
    if (inSet[index] === 1) continue;
    const candidate = candidates[index] as Candidate;
    if (!positions.fits(candidate)) continue;
    positions.add(candidate, 1n);
    inSet[index] = 1;
  }
  const settled: number[] = [];
  for (let index = 0; index < candidates.length; index++) if (inSet[index] === 1) settled.push(index);
  return settled;
}

/** FIFO: each payment in queue order that fits on top of those before it. */
function greedy(candidates: readonly Candidate[], positions: Positions): number[] {
  const settled: number[] = [];
  candidates.forEach((candidate, index) => {
    if (!positions.fits(candidate)) return;
    positions.add(candidate, 1n);
    settled.push(index);
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
