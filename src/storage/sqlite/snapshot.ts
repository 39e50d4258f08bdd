// A read-only view of a SQLite data directory at one moment, for tools (corridor verify) that
// must never disturb a node running on the same files. Both databases are opened with
// SQLITE_OPEN_READONLY and read inside one read transaction each, so a running writer goes on
// committing while the view stays fixed: no journal or projector thread, no migration, no
// write of any kind. The projections are read as they stand: `projected` says which journal
// entry they include, so that verify compares them with the journal up to that entry.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type { JournalEntry } from '../../journal/hash-chain.js';
import type {
  HistoryPage, HistoryQuery, LayerMigrations, PostedSums, ProjectionRow, SqlValue, Store,
  StoredAccount, StoredSnapshot, StoredSnapshotInfo, StoredTransfer,
} from '../store.js';
import { projectionPathOf } from './connection.js';
import { JOURNAL_MIGRATIONS, LEDGER_MIGRATIONS, type SqliteMigrationSet } from './migrations.js';
import type { ProjectedMark } from './projection.js';
import { SqliteReads } from './reads.js';
import {
  listSnapshotRows, readSnapshotRow, snapshotPathOf, SNAPSHOT_MIGRATIONS,
} from './state-snapshots.js';

export type SnapshotRefusal = 'store_missing' | 'schema_outdated' | 'schema_newer' |
  'store_unreadable';

/** The store cannot be read without writing to it (or at all): nothing was touched. */
export class SnapshotRefusedError extends Error {
  override readonly name = 'SnapshotRefusedError';
  constructor(readonly code: SnapshotRefusal, message: string) {
    super(message);
  }
}

export interface SqliteSnapshotOptions {
  /** The journal database's file path. */
  readonly path: string;
  /** The projection database's path. Default: `${path}-projection`. */
  readonly projectionPath?: string;
}

function openReadOnly(path: string): Database.Database {
  if (!existsSync(path)) {
    throw new SnapshotRefusedError('store_missing', `${path} does not exist.`);
  }
  try {
    const database = new Database(path, { readonly: true, fileMustExist: true });
    database.defaultSafeIntegers(true);
    return database;
  } catch (error) {
    throw new SnapshotRefusedError('store_unreadable', `${path} cannot be opened read-only: ` +
      `${error instanceof Error ? error.message : String(error)}.`);
  }
}

/** Refuses a database whose schema differs from this version's: reading it would need a write. */
function checkSchema(database: Database.Database, set: SqliteMigrationSet): void {
  const latest = Math.max(...set.migrations.map((migration) => migration.version));
  let current = 0;
  try {
    const row = database.prepare('SELECT MAX(version) AS version FROM schema_migrations ' +
      'WHERE owner = ?').get(set.owner) as { version: bigint | number | null } | undefined;
    current = Number(row?.version ?? 0);
  } catch {
    current = 0;
  }
  if (current < latest) {
    throw new SnapshotRefusedError('schema_outdated', `${database.name} is at schema version ` +
      `${current} of '${set.owner}', and this Corridor expects ${latest}: start the node on it ` +
      'once (which migrates it), then verify. Verify never writes to a data directory.');
  }
  if (current > latest) {
    throw new SnapshotRefusedError('schema_newer', `${database.name} was written by a newer ` +
      `Corridor (schema version ${current} of '${set.owner}'; this one knows ${latest}).`);
  }
}

export class SqliteSnapshot implements Store {
  readonly kind = 'sqlite' as const;
  private readonly journal: Database.Database;
  private readonly projection: Database.Database;
  /** The state snapshots' database, when there is one (a store that never wrote one has none). */
  private readonly stateSnapshots: Database.Database | undefined;
  private reads: SqliteReads | undefined;
  private mark: ProjectedMark | undefined;

  constructor(options: SqliteSnapshotOptions) {
    this.journal = openReadOnly(options.path);
    try {
      this.projection = openReadOnly(options.projectionPath ?? projectionPathOf(options.path));
    } catch (error) {
      this.journal.close();
      throw error;
    }
    const snapshots = snapshotPathOf(options.path);
    this.stateSnapshots = existsSync(snapshots) ? openReadOnly(snapshots) : undefined;
  }

  /**
   * Checks the schemas and fixes the view: the projections' read transaction starts first,
   * then the journal's, so the journal holds every entry the projections include.
   */
  async open(): Promise<void> {
    if (this.reads !== undefined) return;
    checkSchema(this.journal, JOURNAL_MIGRATIONS);
    checkSchema(this.projection, LEDGER_MIGRATIONS);
    this.projection.exec('BEGIN');
    const row = this.projection.prepare('SELECT sequence, hash FROM projection_state ' +
      'WHERE id = 1').get() as { sequence: bigint | number; hash: string };
    this.mark = { sequence: Number(row.sequence), hash: row.hash };
    this.journal.exec('BEGIN');
    if (this.stateSnapshots !== undefined) {
      checkSchema(this.stateSnapshots, SNAPSHOT_MIGRATIONS);
      this.stateSnapshots.exec('BEGIN');
    }
    this.reads = new SqliteReads(this.journal, this.projection);
    this.reads.journalTail();
  }

  /** The last journal entry the projections of this view include. */
  get projected(): ProjectedMark {
    if (this.mark === undefined) throw new Error('SqliteSnapshot: open() it first.');
    return this.mark;
  }

  private get view(): SqliteReads {
    if (this.reads === undefined) throw new Error('SqliteSnapshot: open() it first.');
    return this.reads;
  }

  commit(): Promise<void> {
    return Promise.reject(new Error('SqliteSnapshot: a read-only view takes no commits.'));
  }

  /** The view is fixed: the projections are what they were when it opened. */
  async caughtUp(): Promise<void> {
    if (this.reads === undefined) throw new Error('SqliteSnapshot: open() it first.');
  }

  async readJournal(after: number, limit: number): Promise<JournalEntry[]> {
    return this.view.readJournal(after, limit);
  }

  async journalTail(): Promise<JournalEntry | undefined> {
    return this.view.journalTail();
  }

  async account(id: string): Promise<StoredAccount | undefined> {
    return this.view.account(id);
  }

  async accounts(): Promise<StoredAccount[]> {
    return this.view.accounts();
  }

  async transfer(id: string): Promise<StoredTransfer | undefined> {
    return this.view.transfer(id);
  }

  async history(accountId: string, query: HistoryQuery): Promise<HistoryPage> {
    return this.view.history(accountId, query);
  }

  async transferCount(): Promise<number> {
    return this.view.transferCount();
  }

  async postedSums(): Promise<PostedSums[]> {
    return this.view.postedSums();
  }

  writeSnapshot(): Promise<void> {
    return Promise.reject(new Error('SqliteSnapshot: a read-only view writes no snapshots.'));
  }

  pruneSnapshots(): Promise<number> {
    return Promise.reject(new Error('SqliteSnapshot: a read-only view prunes no snapshots.'));
  }

  async snapshots(): Promise<StoredSnapshotInfo[]> {
    if (this.reads === undefined) throw new Error('SqliteSnapshot: open() it first.');
    return this.stateSnapshots === undefined ? [] : listSnapshotRows(this.stateSnapshots);
  }

  async readSnapshot(sequence: number): Promise<StoredSnapshot | undefined> {
    if (this.reads === undefined) throw new Error('SqliteSnapshot: open() it first.');
    return this.stateSnapshots === undefined ? undefined
      : readSnapshotRow(this.stateSnapshots, sequence);
  }

  /** Ends the read transactions and closes the connections. */

  /** A read-only view migrates nothing: the layer's tables are read as they stand. */
  async addLayer(_migrations: LayerMigrations): Promise<void> {
    return undefined;
  }

  async queryProjection(sql: string, values: readonly SqlValue[]): Promise<ProjectionRow[]> {
    if (this.reads === undefined) throw new Error('SqliteSnapshot: open() it first.');
    return this.projection.prepare(sql).all(...values) as ProjectionRow[];
  }

  /** Ends the read transactions and closes both connections. */
  async close(): Promise<void> {
    for (const database of [this.projection, this.journal, this.stateSnapshots]) {
      if (database === undefined) continue;
      if (database.inTransaction) database.exec('COMMIT');
      if (database.open) database.close();
    }
    this.reads = undefined;
  }
}
