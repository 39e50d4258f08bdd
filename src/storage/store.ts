// The one storage interface. SQLite (embedded) and PostgreSQL (server) implement it, and one
// conformance suite (store.conformance.ts) runs against both. The engine never sees a store.
import type { JournalEntry } from '../journal/hash-chain.js';
import type { BatchOutcome } from '../ledger/engine.js';
import type { Account, Transfer } from '../ledger/types.js';

export type TransferState = 'posted' | 'pending' | 'voided' | 'expired' | 'resolution';

export interface StoredTransfer extends Transfer {
  /** For pending transfers: where the reservation ended up. Others: 'posted' or 'resolution'. */
  readonly state: TransferState;
}

export interface StoredAccount {
  readonly id: string;
  readonly owner: string;
  readonly currency: string;
  readonly flags: number;
  readonly creditLimit: bigint;
  readonly createdAt: number;
}

export interface HistoryPage {
  readonly transfers: StoredTransfer[];
  /** Pass back as `after` for the next page; undefined on the last page. */
  readonly next: number | undefined;
}

export interface HistoryQuery {
  /** Return transfers with a sequence strictly greater than this (the cursor). */
  readonly after?: number;
  readonly limit: number;
}

/** Per account, sums of posted transfers, recomputed by storage for verification. */
export interface PostedSums {
  readonly accountId: string;
  readonly debits: bigint;
  readonly credits: bigint;
}

/** A batch to make durable: its journal entry plus the projections queries read. */
export interface CommitRecord {
  readonly entry: JournalEntry;
  readonly ledger: BatchOutcome;
  /** Rows of layers above the ledger (payments, quotes…), keyed by table. */
  readonly extensions?: ReadonlyMap<string, readonly unknown[]>;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Runs migrations. Idempotent. */
  open(): Promise<void>;
  /** Writes the batch in one transaction; resolves only once it is durable. */
  commit(record: CommitRecord): Promise<void>;
  /** Journal entries with sequence > after, in order, at most `limit`. */
  readJournal(after: number, limit: number): Promise<JournalEntry[]>;
  journalTail(): Promise<JournalEntry | undefined>;
  account(id: string): Promise<StoredAccount | undefined>;
  accounts(): Promise<StoredAccount[]>;
  transfer(id: string): Promise<StoredTransfer | undefined>;
  history(accountId: string, query: HistoryQuery): Promise<HistoryPage>;
  transferCount(): Promise<number>;
  postedSums(): Promise<PostedSums[]>;
  close(): Promise<void>;
}

export function accountToStored(account: Account): StoredAccount {
  return {
    id: account.id, owner: account.owner, currency: account.currency, flags: account.flags,
    creditLimit: account.creditLimit, createdAt: account.createdAt,
  };
}
