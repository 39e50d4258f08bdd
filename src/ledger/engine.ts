// The ledger engine: a pure, synchronous, deterministic state machine. No I/O and no clock:
// time comes in with each batch. Business outcomes are result codes; a broken invariant is a
// programmer error and throws.
import { ExpiryQueue } from './expiry-queue.js';
import { fingerprintTransfer } from './fingerprint.js';
import { checkAccountLimits, checkAllInvariants, type CurrencyTotals } from './invariants.js';
import type { CommandResult, ResultCode } from './result-codes.js';
import { PendingState, TransferIndex } from './transfer-index.js';
import {
  AccountFlags, LIMITS, isLinked,
  type Account, type AccountSpec, type Balance, type Command, type PendingTransfer,
  type Transfer, type TransferSpec,
} from './types.js';
import { validateAccountSpec, validateTransferSpec } from './validate.js';

/** Balance totals are kept below 2^127 (TigerBeetle's u128); beyond that a transfer overflows. */
const BALANCE_MAX = 2n ** 127n - 1n;

export type ResolvedState = 'posted' | 'voided' | 'expired';

/** Everything a batch changed, for storage to persist and callers to read. */
export interface BatchOutcome {
  readonly now: number;
  readonly results: CommandResult[];
  /** Commands that took effect, in order: the journal records exactly these. */
  readonly applied: Command[];
  readonly accountsCreated: Account[];
  readonly creditLimits: { readonly accountId: string; readonly creditLimit: bigint }[];
  readonly transfers: Transfer[];
  readonly resolved: { readonly transferId: string; readonly state: ResolvedState }[];
  readonly expired: PendingTransfer[];
}

type Undo = () => void;

interface Scratch {
  readonly outcome: BatchOutcome;
  readonly touched: Set<Account>;
  undo: Undo[] | null;
  /** A settlement set (applySet): limits are checked after the last transfer, not per transfer. */
  net?: boolean;
}

/**
 * Most transfers one settlement set may hold (applySet): a queue of 10,000 payments of up to
 * five legs each resolves in one set.
 */
export const SET_TRANSFERS_MAX = 65_536;

export interface LedgerEngineStats {
  readonly accounts: number;
  readonly transfers: number;
  readonly pending: number;
  readonly lastBatchAt: number;
}

export class LedgerEngine {
  private readonly accounts = new Map<string, Account>();
  private readonly pending = new Map<string, PendingTransfer>();
  private readonly index = new TransferIndex();
  private readonly deadlines = new ExpiryQueue();
  private readonly totals = new Map<string, CurrencyTotals>();
  /** Each account's credit limit as created: a retried create_account is compared with it. */
  private readonly createdCreditLimits = new Map<string, bigint>();
  private lastNow = 0;
  private transferWindowMs = Number.POSITIVE_INFINITY;

  stats(): LedgerEngineStats {
    return {
      accounts: this.accounts.size,
      transfers: this.index.size,
      pending: this.pending.size,
      lastBatchAt: this.lastNow,
    };
  }

  /** Transfers whose ids the engine remembers now (all, unless a transfer window is set). */
  transfersHeld(): number {
    return this.index.held;
  }

  /**
   * How long, in ms after it was recorded, a transfer's id stays known (for duplicate
   * detection, replays and pending_transfer_already_* answers). A pending transfer stays known
   * until it is resolved, however old. Past the window the id is forgotten: it may be used
   * again, and a post or void naming it gets pending_transfer_not_found. Default: for ever.
   * Deterministic: forgetting happens at the start of each batch, by the batch's time.
   */
  setTransferWindow(ms: number): void {
    if (!(ms > 0)) throw new Error('setTransferWindow: the window must be positive');
    this.transferWindowMs = ms;
  }

  /** A batch's scratch at time `now`, after the pending transfers due by then expired. */
  private startBatch(count: number, now: number): Scratch {
    this.lastNow = now;
    const scratch: Scratch = {
      outcome: {
        now, results: new Array<CommandResult>(count), applied: [],
        accountsCreated: [], creditLimits: [], transfers: [], resolved: [], expired: [],
      },
      touched: new Set(),
      undo: null,
    };
    this.expireDue(now, scratch);
    return scratch;
  }

  /** Applies one batch at time `now` (ms since the epoch; never earlier than the last batch). */
  apply(commands: readonly Command[], now: number): BatchOutcome {
    if (commands.length > LIMITS.batchCommandsMax) throw new Error('apply: batch too large');
    if (!Number.isSafeInteger(now) || now < this.lastNow) throw new Error('apply: time went back');
    const scratch = this.startBatch(commands.length, now);
    if (this.transferWindowMs !== Number.POSITIVE_INFINITY) {
      this.index.forget(now - this.transferWindowMs);
    }
    let start = 0;
    while (start < commands.length) {
      let end = start;
      while (end < commands.length && isLinked(commands[end] as Command)) end++;
      if (end === start) {
        scratch.outcome.results[start] = this.applyOne(commands[start] as Command, scratch);
      } else {
        this.applyChain(commands, start, end, scratch);
      }
      start = end + 1;
    }
    for (const account of scratch.touched) checkAccountLimits(account);
    this.checkTotalsBalanced(scratch.touched);
    return scratch.outcome;
  }

  /**
   * Applies `commands` (posted or pending transfers only) as one settlement set at time `now`:
   * every transfer is applied without the per-transfer funds check, then every account the set
   * debited must be within its limit (available ≥ 0); if one is not, or any transfer fails,
   * nothing of the set stays. Within the set a transfer may overdraw an account that later
   * transfers of the set make whole again: that is how a gridlock settles gross without a
   * netted transfer. The `linked` flags are ignored: the whole set is one unit.
   */
  applySet(commands: readonly Command[], now: number): BatchOutcome {
    if (commands.length > SET_TRANSFERS_MAX) throw new Error('applySet: set too large');
    if (!Number.isSafeInteger(now) || now < this.lastNow) throw new Error('apply: time went back');
    const scratch = this.startBatch(commands.length, now);
    const results = scratch.outcome.results;
    const marks = this.mark(scratch.outcome);
    scratch.undo = [];
    scratch.net = true;
    const debited = new Map<Account, number>();
    let failed = -1;
    for (let i = 0; i < commands.length && failed < 0; i++) {
      const command = commands[i] as Command;
      if (command.type !== 'create_transfer' ||
          (command.transfer.kind !== 'posted' && command.transfer.kind !== 'pending')) {
        throw new Error('applySet: only posted and pending transfers form a set');
      }
      const result = this.applyOne(command, scratch);
      results[i] = result;
      if (result.code !== 'ok') failed = i;
      const account = this.accounts.get(command.transfer.debitAccountId);
      if (account !== undefined && !debited.has(account)) debited.set(account, i);
    }
    if (failed < 0) {
      for (const [account, first] of debited) {
        if (availableOf(account) < 0n) {
          failed = first;
          results[first] = { code: 'insufficient_funds' };
          break;
        }
      }
    }
    const undo = scratch.undo;
    scratch.undo = null;
    scratch.net = false;
    if (failed >= 0) {
      for (let i = undo.length - 1; i >= 0; i--) (undo[i] as Undo)();
      this.rewind(scratch.outcome, marks);
      for (let i = 0; i < commands.length; i++) {
        if (i !== failed) results[i] = { code: 'linked_event_failed' };
      }
    }
    for (const account of scratch.touched) checkAccountLimits(account);
    this.checkTotalsBalanced(scratch.touched);
    return scratch.outcome;
  }

  private applyChain(commands: readonly Command[], start: number, end: number, s: Scratch): void {
    const results = s.outcome.results;
    const last = Math.min(end, commands.length - 1);
    if (end === commands.length) {
      for (let i = start; i < last; i++) results[i] = { code: 'linked_event_failed' };
      results[last] = { code: 'linked_event_chain_open' };
      return;
    }
    if (last - start + 1 > LIMITS.linkedChainLengthMax) {
      for (let i = start; i <= last; i++) results[i] = { code: 'linked_chain_too_long' };
      return;
    }
    const marks = this.mark(s.outcome);
    s.undo = [];
    let failed = -1;
    for (let i = start; i <= last && failed < 0; i++) {
      const result = this.applyOne(commands[i] as Command, s);
      results[i] = result;
      if (result.code !== 'ok') failed = i;
    }
    const undo = s.undo;
    s.undo = null;
    if (failed < 0) {
      this.closeAppliedChain(s.outcome, marks);
      return;
    }
    for (let i = undo.length - 1; i >= 0; i--) (undo[i] as Undo)();
    this.rewind(s.outcome, marks);
    for (let i = start; i <= last; i++) {
      if (i !== failed) results[i] = { code: 'linked_event_failed' };
    }
  }

  /**
   * A replayed command is not journaled, so when the chain's last command was a replay, the
   * last journaled one would still be linked, and on recovery it would link to whatever
   * follows (or leave the chain open). Unlink it: the journal's chain ends where it ended here.
   */
  private closeAppliedChain(outcome: BatchOutcome, marks: number[]): void {
    const lastIndex = outcome.applied.length - 1;
    const last = outcome.applied[lastIndex];
    if (lastIndex < (marks[0] ?? 0) || last === undefined || !isLinked(last)) return;
    outcome.applied[lastIndex] = last.type === 'create_transfer'
      ? { ...last, transfer: { ...last.transfer, linked: false } }
      : { ...last, linked: false };
  }

  private mark(outcome: BatchOutcome): number[] {
    return [outcome.applied.length, outcome.accountsCreated.length, outcome.creditLimits.length,
      outcome.transfers.length, outcome.resolved.length];
  }

  private rewind(outcome: BatchOutcome, marks: number[]): void {
    outcome.applied.length = marks[0] ?? 0;
    outcome.accountsCreated.length = marks[1] ?? 0;
    outcome.creditLimits.length = marks[2] ?? 0;
    outcome.transfers.length = marks[3] ?? 0;
    outcome.resolved.length = marks[4] ?? 0;
  }

  private applyOne(command: Command, s: Scratch): CommandResult {
    let result: CommandResult;
    if (command.type === 'create_account') result = this.createAccount(command.account, s);
    else if (command.type === 'create_transfer') result = this.createTransfer(command.transfer, s);
    else result = this.setCreditLimit(command.accountId, command.creditLimit, s);
    if (result.code === 'ok' && result.replayed !== true) s.outcome.applied.push(command);
    return result;
  }

  private createAccount(spec: AccountSpec, s: Scratch): CommandResult {
    const invalid = validateAccountSpec(spec);
    if (invalid !== undefined) return { code: invalid };
    const existing = this.accounts.get(spec.id);
    if (existing !== undefined) {
      // Compared with the limit as created: set_credit_limit may have changed it since.
      const same = existing.owner === spec.owner && existing.currency === spec.currency &&
        existing.flags === spec.flags &&
        this.createdCreditLimits.get(existing.id) === spec.creditLimit;
      return same
        ? { code: 'ok', replayed: true, timestamp: existing.createdAt }
        : { code: 'exists_with_different_fields' };
    }
    const account: Account = {
      id: spec.id, owner: spec.owner, currency: spec.currency, flags: spec.flags,
      creditLimit: spec.creditLimit, debitsPosted: 0n, creditsPosted: 0n,
      debitsPending: 0n, creditsPending: 0n, createdAt: s.outcome.now,
    };
    this.accounts.set(account.id, account);
    this.createdCreditLimits.set(account.id, account.creditLimit);
    if (!this.totals.has(account.currency)) this.totals.set(account.currency, emptyTotals());
    s.outcome.accountsCreated.push(account);
    s.undo?.push(() => {
      this.accounts.delete(account.id);
      this.createdCreditLimits.delete(account.id);
    });
    return { code: 'ok', timestamp: s.outcome.now };
  }

  private setCreditLimit(accountId: string, creditLimit: bigint, s: Scratch): CommandResult {
    // Field checks first: they precede account_not_found in RESULT_CODES.
    if (creditLimit < 0n) return { code: 'credit_limit_must_not_be_negative' };
    if (creditLimit > BALANCE_MAX) return { code: 'amount_too_large' };
    const account = this.accounts.get(accountId);
    if (account === undefined) return { code: 'account_not_found' };
    const usage = account.debitsPosted + account.debitsPending - account.creditsPosted;
    if ((account.flags & AccountFlags.issuer) === 0 && usage > creditLimit) {
      return { code: 'credit_limit_below_usage' };
    }
    const previous = account.creditLimit;
    account.creditLimit = creditLimit;
    s.touched.add(account);
    s.outcome.creditLimits.push({ accountId, creditLimit });
    s.undo?.push(() => { account.creditLimit = previous; });
    return { code: 'ok', timestamp: s.outcome.now };
  }

  private createTransfer(spec: TransferSpec, s: Scratch): CommandResult {
    const invalid = validateTransferSpec(spec);
    if (invalid !== undefined) return { code: invalid };
    const sequence = this.index.sequenceOf(spec.id);
    if (sequence !== undefined) {
      if (this.index.fingerprintAt(sequence) !== fingerprintTransfer(spec)) {
        return { code: 'exists_with_different_fields' };
      }
      return { code: 'ok', replayed: true, sequence, timestamp: this.index.timestampAt(sequence) };
    }
    if (spec.kind === 'posted' || spec.kind === 'pending') return this.createDirect(spec, s);
    return this.resolvePending(spec, s);
  }

  private createDirect(spec: TransferSpec, s: Scratch): CommandResult {
    const debit = this.accounts.get(spec.debitAccountId);
    if (debit === undefined) return { code: 'debit_account_not_found' };
    const credit = this.accounts.get(spec.creditAccountId);
    if (credit === undefined) return { code: 'credit_account_not_found' };
    if (debit.currency !== credit.currency) return { code: 'accounts_must_have_the_same_currency' };
    if (spec.currency !== debit.currency) return { code: 'transfer_currency_mismatch' };
    const amount = spec.amount;
    if (!fitsWithoutOverflow(debit, credit, amount) &&
        (credit.creditsPosted + credit.creditsPending + amount > BALANCE_MAX ||
         debit.debitsPosted + debit.debitsPending + amount > BALANCE_MAX)) {
      return { code: 'overflow' };
    }
    if (s.net !== true && availableOf(debit) < amount) return { code: 'insufficient_funds' };
    const pending = spec.kind === 'pending';
    const totals = this.totalsOf(debit.currency);
    if (pending) {
      debit.debitsPending += amount;
      credit.creditsPending += amount;
      totals.debitsPending += amount;
      totals.creditsPending += amount;
    } else {
      debit.debitsPosted += amount;
      credit.creditsPosted += amount;
      totals.debitsPosted += amount;
      totals.creditsPosted += amount;
    }
    s.touched.add(debit);
    s.touched.add(credit);
    const transfer = this.record(spec, s, pending ? PendingState.pending : PendingState.none);
    if (pending) this.reserve(transfer, s);
    s.undo?.push(() => this.undoDirect(transfer, debit, credit));
    return { code: 'ok', sequence: transfer.sequence, timestamp: transfer.timestamp };
  }

  private undoDirect(transfer: Transfer, debit: Account, credit: Account): void {
    const totals = this.totalsOf(debit.currency);
    if (transfer.kind === 'pending') {
      debit.debitsPending -= transfer.amount;
      credit.creditsPending -= transfer.amount;
      totals.debitsPending -= transfer.amount;
      totals.creditsPending -= transfer.amount;
      this.pending.delete(transfer.id);
    } else {
      debit.debitsPosted -= transfer.amount;
      credit.creditsPosted -= transfer.amount;
      totals.debitsPosted -= transfer.amount;
      totals.creditsPosted -= transfer.amount;
    }
    this.index.removeLast(transfer.id);
  }

  private reserve(transfer: Transfer, s: Scratch): void {
    const expiresAt = transfer.timeoutMs > 0 ? s.outcome.now + transfer.timeoutMs : Infinity;
    // A literal, not a spread of the transfer: the same fields in the same order, cheaper.
    this.pending.set(transfer.id, {
      id: transfer.id, kind: transfer.kind, debitAccountId: transfer.debitAccountId,
      creditAccountId: transfer.creditAccountId, amount: transfer.amount,
      currency: transfer.currency, pendingId: transfer.pendingId, timeoutMs: transfer.timeoutMs,
      reference: transfer.reference, timestamp: transfer.timestamp, sequence: transfer.sequence,
      expiresAt,
    });
    if (transfer.timeoutMs > 0) this.deadlines.push(expiresAt, transfer.id);
  }

  private record(spec: TransferSpec, s: Scratch, state: 0 | 1): Transfer {
    const now = s.outcome.now;
    const sequence = this.index.append(spec.id, fingerprintTransfer(spec), now, state);
    const transfer: Transfer = {
      id: spec.id, kind: spec.kind, debitAccountId: spec.debitAccountId,
      creditAccountId: spec.creditAccountId, amount: spec.amount, currency: spec.currency,
      pendingId: spec.pendingId, timeoutMs: spec.timeoutMs, reference: spec.reference,
      timestamp: now, sequence,
    };
    s.outcome.transfers.push(transfer);
    return transfer;
  }

  private pendingFailure(pendingId: string): ResultCode {
    const sequence = this.index.sequenceOf(pendingId);
    if (sequence === undefined) return 'pending_transfer_not_found';
    const state = this.index.stateAt(sequence);
    if (state === PendingState.posted) return 'pending_transfer_already_posted';
    if (state === PendingState.voided) return 'pending_transfer_already_voided';
    if (state === PendingState.expired) return 'pending_transfer_expired';
    return 'pending_transfer_not_pending';
  }

  private resolvePending(spec: TransferSpec, s: Scratch): CommandResult {
    const pending = this.pending.get(spec.pendingId);
    if (pending === undefined) return { code: this.pendingFailure(spec.pendingId) };
    if ((spec.debitAccountId !== '' && spec.debitAccountId !== pending.debitAccountId) ||
        (spec.creditAccountId !== '' && spec.creditAccountId !== pending.creditAccountId) ||
        (spec.currency !== '' && spec.currency !== pending.currency)) {
      return { code: 'pending_transfer_has_different_accounts' };
    }
    const posting = spec.kind === 'post_pending';
    const amount = spec.amount === 0n ? pending.amount : spec.amount;
    if (amount > pending.amount) return { code: 'exceeds_pending_amount' };
    const release = this.release(pending, posting ? amount : 0n, s);
    const pendingSequence = pending.sequence;
    this.index.setState(pendingSequence, posting ? PendingState.posted : PendingState.voided);
    s.outcome.resolved.push({ transferId: pending.id, state: posting ? 'posted' : 'voided' });
    // The fingerprint is of the request as sent, so that a retry of it is recognised.
    const transfer = this.recordResolution(spec, pending, posting ? amount : pending.amount, s);
    s.undo?.push(() => {
      this.index.removeLast(transfer.id);
      this.index.setState(pendingSequence, PendingState.pending);
      release();
    });
    return { code: 'ok', sequence: transfer.sequence, timestamp: transfer.timestamp };
  }

  /** Records the post or void `request` of `pending`, for `amount`, with the pending's accounts. */
  private recordResolution(request: TransferSpec, pending: PendingTransfer, amount: bigint,
    s: Scratch): Transfer {
    const now = s.outcome.now;
    const sequence = this.index.append(request.id, fingerprintTransfer(request), now, 0);
    const transfer: Transfer = {
      id: request.id, kind: request.kind, debitAccountId: pending.debitAccountId,
      creditAccountId: pending.creditAccountId, amount,
      currency: pending.currency, pendingId: request.pendingId, timeoutMs: 0,
      reference: request.reference, timestamp: now, sequence,
    };
    s.outcome.transfers.push(transfer);
    return transfer;
  }

  /** Releases a reservation, posting `postedAmount` of it; returns the undo. */
  private release(pending: PendingTransfer, postedAmount: bigint, s: Scratch): Undo {
    const debit = this.accounts.get(pending.debitAccountId) as Account;
    const credit = this.accounts.get(pending.creditAccountId) as Account;
    const totals = this.totalsOf(pending.currency);
    const shift = (sign: bigint): void => {
      debit.debitsPending -= sign * pending.amount;
      credit.creditsPending -= sign * pending.amount;
      totals.debitsPending -= sign * pending.amount;
      totals.creditsPending -= sign * pending.amount;
      debit.debitsPosted += sign * postedAmount;
      credit.creditsPosted += sign * postedAmount;
      totals.debitsPosted += sign * postedAmount;
      totals.creditsPosted += sign * postedAmount;
    };
    shift(1n);
    this.pending.delete(pending.id);
    s.touched.add(debit);
    s.touched.add(credit);
    return () => {
      shift(-1n);
      this.pending.set(pending.id, pending);
    };
  }

  private expireDue(now: number, s: Scratch): void {
    // A pending rolled back with its chain leaves its deadline in the queue; if its id is
    // reused, that stale entry pops at the old deadline. Collect the live pendings that are
    // due, once each, and expire them in (deadline, id) order.
    const popped = this.deadlines.popDue(now);
    // Most batches (and every payment's own ledger batch) find nothing due: no map, no sort.
    if (popped.length === 0) return;
    const due = new Map<string, PendingTransfer>();
    for (const transferId of popped) {
      const pending = this.pending.get(transferId);
      if (pending !== undefined && pending.expiresAt <= now) due.set(transferId, pending);
    }
    const ordered = [...due.values()].sort((a, b) =>
      a.expiresAt - b.expiresAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const pending of ordered) {
      const transferId = pending.id;
      this.release(pending, 0n, s);
      this.index.setState(pending.sequence, PendingState.expired);
      s.outcome.expired.push(pending);
      s.outcome.resolved.push({ transferId, state: 'expired' });
    }
  }

  private totalsOf(currency: string): CurrencyTotals {
    const totals = this.totals.get(currency);
    if (totals === undefined) throw new Error(`totalsOf: no totals for ${currency}`);
    return totals;
  }

  private checkTotalsBalanced(touched: Set<Account>): void {
    const currencies = new Set<string>();
    for (const account of touched) currencies.add(account.currency);
    for (const currency of currencies) {
      const totals = this.totalsOf(currency);
      if (totals.debitsPosted !== totals.creditsPosted ||
          totals.debitsPending !== totals.creditsPending) {
        throw new Error(`invariant: debits and credits differ in ${currency}`);
      }
    }
  }

  /** Re-checks every invariant over the whole state: O(accounts + pending). */
  checkAllInvariants(): void {
    checkAllInvariants(this.accounts.values(), this.pending.values(), this.totals);
  }

  account(id: string): Readonly<Account> | undefined {
    return this.accounts.get(id);
  }

  accountIds(): IterableIterator<string> {
    return this.accounts.keys();
  }

  balance(id: string): Balance | undefined {
    const account = this.accounts.get(id);
    return account === undefined ? undefined : balanceOf(account);
  }

  pendingTransfer(id: string): PendingTransfer | undefined {
    return this.pending.get(id);
  }

  /** 'pending' | 'posted' | 'voided' | 'expired' for a pending transfer, else undefined. */
  pendingState(id: string): string | undefined {
    const sequence = this.index.sequenceOf(id);
    if (sequence === undefined) return undefined;
    const names = ['', 'pending', 'posted', 'voided', 'expired'];
    return names[this.index.stateAt(sequence)] || undefined;
  }

  hasTransfer(id: string): boolean {
    return this.index.sequenceOf(id) !== undefined;
  }

  totalsFor(currency: string): Readonly<CurrencyTotals> | undefined {
    return this.totals.get(currency);
  }
}

function emptyTotals(): CurrencyTotals {
  return { debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n };
}

/**
 * Below 2^125 each, two totals plus the amount cannot pass BALANCE_MAX (3 * 2^125 < 2^127):
 * the exact sums (four bigint allocations per transfer) are needed only beyond that.
 */
const TOTAL_SAFE = 2n ** 125n;

function fitsWithoutOverflow(debit: Account, credit: Account, amount: bigint): boolean {
  return amount < TOTAL_SAFE && credit.creditsPosted < TOTAL_SAFE &&
    credit.creditsPending < TOTAL_SAFE && debit.debitsPosted < TOTAL_SAFE &&
    debit.debitsPending < TOTAL_SAFE;
}

export function availableOf(account: Account): bigint {
  if ((account.flags & AccountFlags.issuer) !== 0) return BALANCE_MAX;
  return account.creditsPosted - account.debitsPosted - account.debitsPending + account.creditLimit;
}

export function balanceOf(account: Account): Balance {
  return {
    accountId: account.id,
    currency: account.currency,
    posted: account.creditsPosted - account.debitsPosted,
    pendingDebits: account.debitsPending,
    pendingCredits: account.creditsPending,
    available: (account.flags & AccountFlags.issuer) !== 0
      ? account.creditsPosted - account.debitsPosted - account.debitsPending
      : availableOf(account),
    creditLimit: account.creditLimit,
  };
}
