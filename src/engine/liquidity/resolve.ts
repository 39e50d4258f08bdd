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
//
// Everything runs on flat arrays (a FlatQueue): accounts and senders as small integers, each
// payment's nets as one slice of two parallel arrays, positions as one bigint per account. No
// map is read or allocated per payment inside a pass. The set it settles is the one of the
// map-based implementation before it, which _test-reference.ts keeps for a differential test.

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

/** A queue as flat arrays: accounts and senders as small integers, each payment's nets a slice. */
export interface FlatQueue {
  /** Account number → id, numbered in order of first appearance. */
  readonly accountIds: readonly string[];
  /** Payment i's nets are legAccounts/legNets[starts[i] … starts[i + 1]), one per account. */
  readonly starts: Int32Array;
  readonly legAccounts: Int32Array;
  readonly legNets: readonly bigint[];
  /** −net where the net is a debit, else 0n: checks compare with it, allocating nothing. */
  readonly legDebits: readonly bigint[];
  /** Payment i's sender (FIFO order) as a number below senderCount; -1: no such order. */
  readonly senders: Int32Array;
  readonly senderCount: number;
  /** What payment i moves: the sum of its debits. */
  readonly debits: readonly bigint[];
}

/**
 * Builds a FlatQueue payment by payment, in queue order, into arrays sized once: `payments`
 * and `nets` bound how many payments and account nets it will hold (a payment of n legs has
 * at most 2n nets).
 */
export class FlatQueueBuilder {
  private readonly accountIds: string[] = [];
  private readonly accountNumbers = new Map<string, number>();
  private readonly starts: Int32Array;
  private readonly legAccounts: Int32Array;
  private readonly legNets: bigint[];
  private readonly legDebits: bigint[];
  private readonly senders: Int32Array;
  private readonly debits: bigint[];
  private payments = 0;
  private legs = 0;

  constructor(payments: number, nets: number) {
    this.starts = new Int32Array(payments + 1);
    this.legAccounts = new Int32Array(nets);
    this.legNets = new Array<bigint>(nets).fill(0n);
    this.legDebits = new Array<bigint>(nets).fill(0n);
    this.senders = new Int32Array(payments);
    this.debits = new Array<bigint>(payments).fill(0n);
  }

  /** The account's number (numbered in order of first appearance). */
  account(accountId: string): number {
    let number = this.accountNumbers.get(accountId);
    if (number === undefined) {
      number = this.accountIds.length;
      this.accountNumbers.set(accountId, number);
      this.accountIds.push(accountId);
    }
    return number;
  }

  /** Adds `amount` to the current payment's net on `account` (a new net if it has none yet). */
  net(account: number, amount: bigint): void {
    for (let leg = this.starts[this.payments] as number; leg < this.legs; leg++) {
      if (this.legAccounts[leg] === account) {
        this.legNets[leg] = (this.legNets[leg] as bigint) + amount;
        return;
      }
    }
    if (this.legs >= this.legAccounts.length) throw new Error('invariant: more nets than sized');
    this.legAccounts[this.legs] = account;
    this.legNets[this.legs] = amount;
    this.legs += 1;
  }

  /** Closes the current payment, whose sender (FIFO order) is `sender` (-1: none). */
  endPayment(sender: number): void {
    if (this.payments >= this.senders.length) {
      throw new Error('invariant: more payments than sized');
    }
    let debit = 0n;
    for (let leg = this.starts[this.payments] as number; leg < this.legs; leg++) {
      const net = this.legNets[leg] as bigint;
      if (net < 0n) {
        this.legDebits[leg] = -net;
        debit -= net;
      }
    }
    this.debits[this.payments] = debit;
    this.senders[this.payments] = sender;
    this.payments += 1;
    this.starts[this.payments] = this.legs;
  }

  /** The queue built; senders are numbered below `senderCount`. */
  build(senderCount: number): FlatQueue {
    if (this.payments !== this.senders.length) throw new Error('invariant: fewer payments');
    return {
      accountIds: this.accountIds, starts: this.starts,
      legAccounts: this.legAccounts.subarray(0, this.legs),
      legNets: this.legNets, legDebits: this.legDebits, senders: this.senders, senderCount,
      debits: this.debits,
    };
  }
}

/** Adds payment `index`'s nets to `position`. */
export function addNets(queue: FlatQueue, position: bigint[], index: number): void {
  const { legAccounts, legNets } = queue;
  const end = queue.starts[index + 1] as number;
  for (let leg = queue.starts[index] as number; leg < end; leg++) {
    const account = legAccounts[leg] as number;
    position[account] = (position[account] as bigint) + (legNets[leg] as bigint);
  }
}

/** Takes payment `index`'s nets off `position`. */
export function subtractNets(queue: FlatQueue, position: bigint[], index: number): void {
  const { legAccounts, legNets } = queue;
  const end = queue.starts[index + 1] as number;
  for (let leg = queue.starts[index] as number; leg < end; leg++) {
    const account = legAccounts[leg] as number;
    position[account] = (position[account] as bigint) - (legNets[leg] as bigint);
  }
}

/** Whether payment `index` alone can settle on top of `position`. */
export function fitsAt(queue: FlatQueue, position: readonly bigint[], index: number): boolean {
  const { legAccounts, legDebits } = queue;
  const end = queue.starts[index + 1] as number;
  for (let leg = queue.starts[index] as number; leg < end; leg++) {
    // position + net < 0 for a debit, without allocating the sum.
    const debit = legDebits[leg] as bigint;
    if (debit > 0n && (position[legAccounts[leg] as number] as bigint) < debit) return false;
  }
  return true;
}

/**
 * FIFO: each of `members` (ascending payment indices) that fits on top of those before it,
 * while no earlier payment of its sender was left out. `position` is left updated with them.
 */
export function fifo(queue: FlatQueue, members: readonly number[], position: bigint[]): number[] {
  const settled: number[] = [];
  const blocked = new Uint8Array(queue.senderCount);
  for (const index of members) {
    const sender = queue.senders[index] as number;
    if (sender >= 0 && blocked[sender] === 1) continue;
    if (fitsAt(queue, position, index)) {
      addNets(queue, position, index);
      settled.push(index);
    } else if (sender >= 0) {
      blocked[sender] = 1;
    }
  }
  return settled;
}

/**
 * A binary min-heap of (position, account) in two parallel arrays: the most negative position
 * first, ties by the account's rank (its id's place in sorted order: deterministic, as in the
 * papers' "by id"). Equal entries are the same account at the same position, so the order of
 * pops is the sorted order of the entries, whatever the heap's layout.
 */
class NegativeHeap {
  private readonly positions: bigint[] = [];
  private readonly accounts: number[] = [];
  constructor(private readonly rank: Int32Array) {}

  get size(): number {
    return this.accounts.length;
  }

  /** The top entry's position (size > 0). */
  topPosition(): bigint {
    return this.positions[0] as bigint;
  }

  /** The top entry's account (size > 0). */
  topAccount(): number {
    return this.accounts[0] as number;
  }

  /** Whether entry (position, account) comes before entry (other, otherAccount). */
  private before(position: bigint, account: number, other: bigint, otherAccount: number): boolean {
    if (position !== other) return position < other;
    return (this.rank[account] as number) < (this.rank[otherAccount] as number);
  }

  push(position: bigint, account: number): void {
    let index = this.accounts.length;
    this.positions.push(position);
    this.accounts.push(account);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(position, account, this.positions[parent] as bigint,
        this.accounts[parent] as number)) break;
      this.positions[index] = this.positions[parent] as bigint;
      this.accounts[index] = this.accounts[parent] as number;
      index = parent;
    }
    this.positions[index] = position;
    this.accounts[index] = account;
  }

  /** Drops the top entry (size > 0). */
  pop(): void {
    const position = this.positions.pop() as bigint;
    const account = this.accounts.pop() as number;
    const size = this.accounts.length;
    if (size === 0) return;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      if (left >= size) break;
      const right = left + 1;
      let child = left;
      let childPosition = this.positions[left] as bigint;
      let childAccount = this.accounts[left] as number;
      if (right < size && this.before(this.positions[right] as bigint,
        this.accounts[right] as number, childPosition, childAccount)) {
        child = right;
        childPosition = this.positions[right] as bigint;
        childAccount = this.accounts[right] as number;
      }
      if (!this.before(childPosition, childAccount, position, account)) break;
      this.positions[index] = childPosition;
      this.accounts[index] = childAccount;
      index = child;
    }
    this.positions[index] = position;
    this.accounts[index] = account;
  }
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

/**
 * Per account, the members debiting it in queue order, as one array of slices: account a's
 * are list[begin[a] … top[a]); the removal loop takes the latest off by lowering top[a].
 */
interface Debtors {
  readonly list: Int32Array;
  readonly begin: Int32Array;
  readonly top: Int32Array;
}

function debtorsOf(queue: FlatQueue, members: readonly number[]): Debtors {
  const { legAccounts, legNets, starts } = queue;
  const begin = new Int32Array(queue.accountIds.length + 1);
  for (const index of members) {
    for (let leg = starts[index] as number; leg < (starts[index + 1] as number); leg++) {
      if ((legNets[leg] as bigint) >= 0n) continue;
      const slot = (legAccounts[leg] as number) + 1;
      begin[slot] = (begin[slot] as number) + 1;
    }
  }
  for (let account = 1; account < begin.length; account++) {
    begin[account] = (begin[account] as number) + (begin[account - 1] as number);
  }
  const top = begin.slice(0, queue.accountIds.length);
  const list = new Int32Array(begin[queue.accountIds.length] as number);
  members.forEach((index, local) => {
    for (let leg = starts[index] as number; leg < (starts[index + 1] as number); leg++) {
      if ((legNets[leg] as bigint) < 0n) {
        const account = legAccounts[leg] as number;
        list[top[account] as number] = local;
        top[account] = (top[account] as number) + 1;
      }
    }
  });
  return { list, begin, top };
}

/**
 * The removal loop: while an account the set debits is below zero, drop the set's latest
 * member debiting the most negative account. `inSet` (by member) and `position` are updated
 * in place.
 */
function removeUntilFundable(
  queue: FlatQueue,
  members: readonly number[],
  position: bigint[],
  inSet: Uint8Array,
): void {
  const { list, begin, top } = debtorsOf(queue, members);
  const heap = new NegativeHeap(ranks(queue.accountIds));
  for (let account = 0; account < queue.accountIds.length; account++) {
    const value = position[account] as bigint;
    if (value < 0n && (top[account] as number) > (begin[account] as number)) {
      heap.push(value, account);
    }
  }
  // Each round removes one payment or discards one stale heap entry: bounded by the pushes.
  while (heap.size > 0) {
    const account = heap.topAccount();
    const stale = heap.topPosition() !== position[account];
    heap.pop();
    if (stale || (position[account] as bigint) >= 0n) continue;
    let removed = -1;
    while (removed < 0 && (top[account] as number) > (begin[account] as number)) {
      top[account] = (top[account] as number) - 1;
      const local = list[top[account] as number] as number;
      if (inSet[local] === 1) removed = local;
    }
    // Negative with no debtor left: the account was below zero before the set; nothing in the
    // set debits it any more, so the ledger will not check it.
    if (removed < 0) continue;
    inSet[removed] = 0;
    const index = members[removed] as number;
    subtractNets(queue, position, index);
    for (let leg = queue.starts[index] as number; leg < (queue.starts[index + 1] as number);
      leg++) {
      const touched = queue.legAccounts[leg] as number;
      const updated = position[touched] as bigint;
      if (updated < 0n && (top[touched] as number) > (begin[touched] as number)) {
        heap.push(updated, touched);
      }
    }
  }
}

/**
 * The partial-netting pass: the members (ascending payment indices) that settle together on
 * top of `position`, which is left updated with them.
 */
function partialNetting(queue: FlatQueue, members: readonly number[], position: bigint[]):
  number[] {
  for (const index of members) addNets(queue, position, index);
  const inSet = new Uint8Array(members.length).fill(1);
  removeUntilFundable(queue, members, position, inSet);
  // Partial netting only removes; a payment dropped early may fit once later removals have
  // freed its accounts. One pass in queue order adds back each that fits now (every addition
  // keeps every position non-negative, so the set stays fundable). This may settle a sender's
  // later payment while an earlier one that does not fit waits (FIFO by-passing, as TARGET2
  // allows for its normal payments): FIFO holds at submission and for the senders' heads.
  members.forEach((index, local) => {
    if (inSet[local] === 1 || !fitsAt(queue, position, index)) return;
    addNets(queue, position, index);
    inSet[local] = 1;
  });
  return members.filter((_, local) => inSet[local] === 1);
}

/** What a set moves: the sum of its payments' debits. */
function valueOf(queue: FlatQueue, set: readonly number[]): bigint {
  let value = 0n;
  for (const index of set) value += queue.debits[index] as bigint;
  return value;
}

/**
 * The members of `queue` (ascending payment indices) that settle together on top of
 * `position`, which is left updated with the set. The better (by value moved) of partial
 * netting and of FIFO in queue order: netting settles cycles that FIFO cannot, and FIFO keeps
 * what netting's cascade of removals sometimes drops. Ties go to netting.
 */
export function resolveMembers(
  queue: FlatQueue,
  members: readonly number[],
  position: bigint[],
): number[] {
  const nettingPosition = position.slice();
  const netting = partialNetting(queue, members, nettingPosition);
  const fifoPosition = position.slice();
  const fifoSet = fifo(queue, members, fifoPosition);
  const better = valueOf(queue, fifoSet) > valueOf(queue, netting);
  const chosen = better ? fifoPosition : nettingPosition;
  for (let account = 0; account < position.length; account++) {
    position[account] = chosen[account] as bigint;
  }
  return better ? fifoSet : netting;
}

/**
 * The payments of `candidates` (in queue order) that settle together on top of `positions`,
 * as ascending indices; `positions` is left updated with the set (resolveMembers).
 */
export function resolveSet(candidates: readonly Candidate[], positions: Positions): number[] {
  const builder = new FlatQueueBuilder(candidates.length,
    candidates.reduce((sum, candidate) => sum + candidate.nets.size, 0));
  const senders = new Map<string, number>();
  for (const candidate of candidates) {
    for (const [account, net] of candidate.nets) builder.net(builder.account(account), net);
    let sender = -1;
    if (candidate.sender !== undefined) {
      sender = senders.get(candidate.sender) ?? senders.size;
      senders.set(candidate.sender, sender);
    }
    builder.endPayment(sender);
  }
  const queue = builder.build(senders.size);
  const position = queue.accountIds.map((account) => positions.get(account));
  const set = resolveMembers(queue, candidates.map((_, index) => index), position);
  positions.set(queue.accountIds, position);
  return set;
}
