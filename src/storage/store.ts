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

/** A value a projection row may hold: what every SQL store can bind without loss. */
export type SqlValue = string | number | bigint | null;

/**
 * Rows that a layer above the ledger (payments, quotes, participants …) projects with a batch.
 * Data only, so that it can cross a worker boundary and be kept with its journal entry until
 * it is projected. The table is created by that layer's migrations (see the store's options).
 */
export interface TableWrite {
  readonly table: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly SqlValue[])[];
  /** 'replace' overwrites a row with the same key (an upsert of the latest state). */
  readonly onConflict?: 'replace' | 'error';
  /**
   * With 'replace': columns an existing row keeps (the row is updated in place, these columns
   * left as first written), for instance the position a row took when it was first inserted.
   */
  readonly keep?: readonly string[];
}

/** One migration of an upper layer's tables, in the SQL of one store. */
export interface LayerMigration {
  readonly version: number;
  readonly sql: string;
}

/**
 * The tables of a layer above the ledger (payments, quotes …), in both stores' SQL: the store
 * applies the set of its kind on open(). They receive the rows of each commit's `writes`.
 */
export interface LayerMigrations {
  /** A lowercase identifier, unique per layer. */
  readonly owner: string;
  readonly sqlite: readonly LayerMigration[];
  readonly postgres: readonly LayerMigration[];
}

/** A row of an upper layer's query: column name → value (integers: bigint or text by driver). */
export type ProjectionRow = Record<string, unknown>;

/** A batch to make durable: its journal entry plus what the projections (queries) need. */
export interface CommitRecord {
  readonly entry: JournalEntry;
  readonly ledger: BatchOutcome;
  /** Rows of layers above the ledger, applied in the same projection transaction as the batch's. */
  readonly writes?: readonly TableWrite[];
}

/**
 * The one storage interface.
 *
 * Durability: commit() resolves once the journal entry is durable. Projections (accounts,
 * transfers, history and the rows of `writes`) may lag the journal by a bounded amount, but
 * every read waits until the projections include every entry that was durable when the read
 * began: a read after an acknowledged commit sees it (read-your-writes).
 */
export interface Store extends SnapshotStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Runs migrations. Idempotent. Starts catching the projections up with the journal. */
  open(): Promise<void>;
  /** Makes the journal entry durable; resolves only once it is. Calls resolve in order. */
  commit(record: CommitRecord): Promise<void>;
  /** Resolves once the projections include every entry durable when it was called. */
  caughtUp(): Promise<void>;
  /** Journal entries with sequence > after, in order, at most `limit`. */
  readJournal(after: number, limit: number): Promise<JournalEntry[]>;
  journalTail(): Promise<JournalEntry | undefined>;
  account(id: string): Promise<StoredAccount | undefined>;
  accounts(): Promise<StoredAccount[]>;
  transfer(id: string): Promise<StoredTransfer | undefined>;
  history(accountId: string, query: HistoryQuery): Promise<HistoryPage>;
  transferCount(): Promise<number>;
  postedSums(): Promise<PostedSums[]>;
  /**
   * Adds the tables of a layer above the ledger; before open() completes (a store already
   * open applies them at once where it can, else refuses).
   */
  addLayer(migrations: LayerMigrations): Promise<void>;
  /**
   * A read of upper layers' projections (SQL of this store's kind: `?` parameters on SQLite,
   * `$1 …` on PostgreSQL), once the projections include every entry durable when it was called.
   */
  queryProjection(sql: string, values: readonly SqlValue[]): Promise<ProjectionRow[]>;
  /** Commits what was handed to it, lets the projections catch up, then releases everything. */
  close(): Promise<void>;
}

export function accountToStored(account: Account): StoredAccount {
  return {
    id: account.id, owner: account.owner, currency: account.currency, flags: account.flags,
    creditLimit: account.creditLimit, createdAt: account.createdAt,
  };
}

/**
 * A snapshot of the state machine's state after one journal entry (src/service/snapshot-codec.ts
 * makes the bytes). Bound to the journal by the entry's hash: a restart uses it only if the
 * journal holds that very entry at `sequence`.
 */
export interface StoredSnapshotInfo {
  /** The journal entry the state is the result of. */
  readonly sequence: number;
  readonly entryHash: string;
  /** When it was taken (ms since the epoch, the writer's clock). */
  readonly createdAt: number;
  readonly formatVersion: number;
  /** SHA-256 of the bytes before their trailing checksum, hex (the codec's checksum). */
  readonly checksum: string;
  readonly size: number;
}

export interface StoredSnapshot extends StoredSnapshotInfo {
  readonly bytes: Uint8Array;
}

/** Where a store keeps state snapshots. Both stores implement it beside Store. */
export interface SnapshotStore {
  /**
   * Makes the snapshot durable (replacing one at the same sequence), then keeps only the
   * newest `keep`. Runs off the caller's thread where the store can.
   */
  writeSnapshot(snapshot: StoredSnapshot, keep: number): Promise<void>;
  /** Every snapshot kept, newest first (without their bytes). */
  snapshots(): Promise<StoredSnapshotInfo[]>;
  readSnapshot(sequence: number): Promise<StoredSnapshot | undefined>;
  /** Deletes all but the newest `keep`; answers how many it deleted. */
  pruneSnapshots(keep: number): Promise<number>;
}
