// The embedded store: SQLite through better-sqlite3. Two databases: the journal (WAL,
// synchronous=FULL: an entry is on disk before commit() resolves) and the projections that
// queries read, written by a projector that follows the journal with a bounded lag. For
// files, both writers run on the storage threads; ':memory:' runs everything inline.
// The design, what is acknowledged when, and recovery: docs/storage.md.
import type Database from 'better-sqlite3';
import type { JournalEntry } from '../../journal/hash-chain.js';
import { effectRows, encodeEffects } from '../effects.js';
import type {
  CommitRecord, HistoryPage, HistoryQuery, LayerMigrations, PostedSums, ProjectionRow, SqlValue,
  Store, StoredAccount, StoredSnapshot, StoredSnapshotInfo, StoredTransfer, TableWrite,
} from '../store.js';
import { InlineBackend, ThreadBackend, type Backend, type BackendEvents } from './backends.js';
import { openConnection, projectionPathOf, type Synchronous } from './connection.js';
import {
  applyMigrations, JOURNAL_MIGRATIONS, LEDGER_MIGRATIONS, type SqliteMigrationSet,
} from './migrations.js';
import { checkRows } from '../schema-checks.js';
import { insertSql, writeKey } from './projection.js';
import { ProjectionTracker } from './projection-tracker.js';
import { SqliteReads } from './reads.js';
import { SqliteSnapshots } from './state-snapshots.js';

export const SQLITE_STORE_DEFAULTS = {
  /** Rows that may wait unprojected before commit() holds new entries back. */
  projectionLagRowsMax: 200_000,
  /** Effects bytes per projection transaction at most, and worth one at once. */
  projectionBytesPerTransactionMax: 16 * 1024 * 1024,
  projectionBytesPerTransactionMin: 4 * 1024 * 1024,
  /** How long the projector may wait to fill a transaction (a waiting read cuts it short). */
  projectionLingerMs: 100,
} as const;

export interface SqliteStoreOptions {
  /** The journal database's file path, or ':memory:' for tests that need no durability. */
  readonly path: string;
  /** The projection database's path. Default: `${path}-projection`. */
  readonly projectionPath?: string;
  /** Run the writers on the storage threads (default for files) or on the calling thread. */
  readonly threads?: boolean;
  /** 'off' skips every fsync: only for tests that never crash. Default 'full'. */
  readonly synchronous?: Synchronous;
  /** Bound on the projection lag, in rows; commits wait beyond it. */
  readonly projectionLagRowsMax?: number;
  /** Start with the projector paused (tests of lag and catch-up). */
  readonly projectionPaused?: boolean;
  /** Tables of layers above the ledger, in the projection database (see TableWrite). */
  readonly migrations?: readonly SqliteMigrationSet[];
}

export interface ProjectionLag {
  /** The last journal entry durable (acknowledged). */
  readonly durable: number;
  /** The last journal entry the projections include. */
  readonly projected: number;
  /** Projection rows sent to the journal and not yet projected. */
  readonly rows: number;
}

interface PendingCommit {
  readonly sequence: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  /** This thread's connection to the journal (in ':memory:', to everything). */
  readonly database: Database.Database;
  /** This thread's connection to the projections (the same as `database` in ':memory:'). */
  readonly projectionDatabase: Database.Database;
  readonly paths: { readonly journal: string; readonly projection: string };
  private readonly options: SqliteStoreOptions;
  private readonly migrations: SqliteMigrationSet[];
  private readonly tracker: ProjectionTracker;
  private readonly checkedWrites = new Set<string>();
  private readonly queries = new Map<string, Database.Statement<unknown[], ProjectionRow>>();
  private readonly pendingCommits: PendingCommit[] = [];
  /** close() waits here until every commit made has settled. */
  private readonly idleWaiters: (() => void)[] = [];
  private reads: SqliteReads | undefined;
  private stateSnapshots: SqliteSnapshots | undefined;
  private backend: Backend | undefined;
  private durable = 0;
  private paused: boolean;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: SqliteStoreOptions) {
    this.options = options;
    const memory = options.path === ':memory:';
    this.paths = { journal: options.path,
      projection: memory ? ':memory:' : options.projectionPath ?? projectionPathOf(options.path) };
    this.migrations = [...(options.migrations ?? [])];
    this.paused = options.projectionPaused === true;
    const connection = { synchronous: options.synchronous ?? 'full' } as const;
    this.database = openConnection(this.paths.journal, connection);
    this.projectionDatabase = memory ? this.database
      : openConnection(this.paths.projection, connection);
    this.tracker = new ProjectionTracker(
      options.projectionLagRowsMax ?? SQLITE_STORE_DEFAULTS.projectionLagRowsMax,
      (record) => this.backend?.append(record.entry, record.effects));
  }

  /** Adds the migrations of a layer above the ledger; only before open(). */
  addMigrations(set: SqliteMigrationSet): void {
    if (this.backend !== undefined) throw new Error('addMigrations() must precede open().');
    this.migrations.push(set);
  }

  /**
   * The tables of a layer above the ledger. Before open() they join its migrations; on an open
   * store they are applied at once (in the projection database, before any commit names them).
   */
  async addLayer(layer: LayerMigrations): Promise<void> {
    const set = { owner: layer.owner, migrations: layer.sqlite };
    if (this.migrations.some((known) => known.owner === set.owner)) return;
    this.migrations.push(set);
    if (this.backend !== undefined) applyMigrations(this.projectionDatabase, [set]);
  }

  /** Waits for the projections, then runs one prepared (and cached) read. */
  async queryProjection(sql: string, values: readonly SqlValue[]): Promise<ProjectionRow[]> {
    await this.readable();
    let statement = this.queries.get(sql);
    if (statement === undefined) {
      statement = this.projectionDatabase.prepare<unknown[], ProjectionRow>(sql);
      this.queries.set(sql, statement);
    }
    return statement.all(...values);
  }

  private get threaded(): boolean {
    return this.paths.journal !== ':memory:' && this.options.threads !== false;
  }

  async open(): Promise<void> {
    if (this.backend !== undefined) return;
    applyMigrations(this.database, [JOURNAL_MIGRATIONS]);
    applyMigrations(this.projectionDatabase, [LEDGER_MIGRATIONS, ...this.migrations]);
    const reads = new SqliteReads(this.database, this.projectionDatabase);
    this.durable = reads.journalTail()?.sequence ?? 0;
    const events: BackendEvents = {
      durable: (sequence) => this.onDurable(sequence),
      projected: (sequence) => {
        this.tracker.projected(sequence);
        this.keepAlive();
      },
      failed: (error) => this.onFailed(error),
    };
    const paused = this.paused;
    const limits = {
      bytesPerTransactionMax: SQLITE_STORE_DEFAULTS.projectionBytesPerTransactionMax,
      bytesPerTransactionMin: SQLITE_STORE_DEFAULTS.projectionBytesPerTransactionMin,
      lingerMs: SQLITE_STORE_DEFAULTS.projectionLingerMs,
    };
    if (this.threaded) {
      this.backend = await ThreadBackend.open({ journal: this.paths.journal,
        projection: this.paths.projection, synchronous: this.options.synchronous ?? 'full',
        limits, paused }, events);
      this.tracker.opened(this.backend.projectedAtOpen);
    } else {
      const inline = new InlineBackend({ journal: this.database,
        projection: this.projectionDatabase, memory: this.paths.journal === ':memory:' },
      events, { limits, paused });
      this.backend = inline;
      this.tracker.opened(inline.projectedAtOpen);
      inline.start();
    }
    this.reads = reads;
    this.stateSnapshots = SqliteSnapshots.open(this.paths.journal, this.threaded,
      this.options.synchronous ?? 'full',
      this.paths.journal === ':memory:' ? this.database : undefined);
  }

  /** Resolves once the entry is durable; commits resolve in the order they were made. */
  commit(record: CommitRecord): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.backend === undefined || this.closing !== undefined) {
      return Promise.reject(new Error('SqliteStore: commit() needs an open store.'));
    }
    try {
      this.checkWrites(record.writes);
    } catch (error) {
      return Promise.reject(error);
    }
    const effects = encodeEffects(record.ledger, record.writes);
    const rows = effectRows(record.ledger, record.writes) + 1;
    return new Promise<void>((resolve, reject) => {
      this.pendingCommits.push({ sequence: record.entry.sequence, resolve, reject });
      this.tracker.admit({ entry: record.entry, effects, rows });
      this.keepAlive();
    });
  }

  /** Every table and column must exist before the batch is journaled (prepared once each). */
  private checkWrites(writes: readonly TableWrite[] | undefined): void {
    for (const write of writes ?? []) {
      const key = writeKey(write);
      if (!this.checkedWrites.has(key)) {
        this.projectionDatabase.prepare(insertSql(write));
        this.checkedWrites.add(key);
      }
      checkRows(write);
    }
  }

  private onDurable(sequence: number): void {
    this.durable = sequence;
    this.tracker.durable(sequence);
    let released = 0;
    while (released < this.pendingCommits.length &&
      (this.pendingCommits[released] as PendingCommit).sequence <= sequence) released += 1;
    for (const commit of this.pendingCommits.splice(0, released)) commit.resolve();
    if (this.pendingCommits.length === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    this.keepAlive();
  }

  /** The storage threads keep the process alive while commits or reads wait on them. */
  private keepAlive(): void {
    this.backend?.hold(this.failure === undefined &&
      (this.pendingCommits.length > 0 || this.tracker.waiting > 0));
  }

  private onFailed(error: Error): void {
    this.failure ??= error;
    for (const commit of this.pendingCommits.splice(0)) commit.reject(this.failure);
    this.tracker.fail(this.failure);
    for (const wake of this.idleWaiters.splice(0)) wake();
    this.keepAlive();
  }

  /** Resolves once every commit made so far is durable or failed. */
  private idle(): Promise<void> {
    if (this.pendingCommits.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  caughtUp(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const target = this.durable;
    const caughtUp = this.tracker.caughtUp(target);
    if (this.tracker.projectedSequence < target) this.backend?.hurry();
    this.keepAlive();
    return caughtUp;
  }

  /** The projections as they stand; for operations and tests. */
  get projectionLag(): ProjectionLag {
    return { durable: this.durable, projected: this.tracker.projectedSequence,
      rows: this.tracker.lagRows };
  }

  /** Stops or restarts the projector (operations and tests); commits go on up to the lag bound. */
  pauseProjection(paused: boolean): void {
    this.paused = paused;
    this.backend?.pause(paused);
  }

  /** Waits for the projections, then runs a read on this thread's projection connection. */
  async readProjection<T>(read: (database: Database.Database) => T): Promise<T> {
    await this.readable();
    return read(this.projectionDatabase);
  }

  private async readable(): Promise<SqliteReads> {
    if (this.reads === undefined) throw new Error('SqliteStore: reads need an open store.');
    await this.caughtUp();
    return this.reads;
  }

  async readJournal(after: number, limit: number): Promise<JournalEntry[]> {
    if (this.reads === undefined) throw new Error('SqliteStore: reads need an open store.');
    return this.reads.readJournal(after, limit);
  }

  async journalTail(): Promise<JournalEntry | undefined> {
    if (this.reads === undefined) throw new Error('SqliteStore: reads need an open store.');
    return this.reads.journalTail();
  }

  async account(id: string): Promise<StoredAccount | undefined> {
    return (await this.readable()).account(id);
  }

  async accounts(): Promise<StoredAccount[]> {
    return (await this.readable()).accounts();
  }

  async transfer(id: string): Promise<StoredTransfer | undefined> {
    return (await this.readable()).transfer(id);
  }

  async history(accountId: string, query: HistoryQuery): Promise<HistoryPage> {
    return (await this.readable()).history(accountId, query);
  }

  async transferCount(): Promise<number> {
    return (await this.readable()).transferCount();
  }

  async postedSums(): Promise<PostedSums[]> {
    return (await this.readable()).postedSums();
  }

  private get snapshotFile(): SqliteSnapshots {
    if (this.stateSnapshots === undefined) throw new Error('SqliteStore: snapshots need an open store.');
    return this.stateSnapshots;
  }

  writeSnapshot(snapshot: StoredSnapshot, keep: number): Promise<void> {
    if (this.closing !== undefined) {
      return Promise.reject(new Error('SqliteStore: the store is closing.'));
    }
    try {
      return this.snapshotFile.write(snapshot, keep);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async snapshots(): Promise<StoredSnapshotInfo[]> {
    return this.snapshotFile.list();
  }

  async readSnapshot(sequence: number): Promise<StoredSnapshot | undefined> {
    return this.snapshotFile.read(sequence);
  }

  pruneSnapshots(keep: number): Promise<number> {
    try {
      return this.snapshotFile.prune(keep);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    if (this.backend !== undefined) {
      await this.idle();
      // A paused projector is left behind: the next open() catches the projections up.
      if (this.failure === undefined && !this.paused) await this.caughtUp().catch(() => undefined);
      await this.backend.close();
    }
    await this.stateSnapshots?.close(this.paths.journal !== ':memory:');
    if (this.database.open) this.database.close();
    if (this.projectionDatabase.open) this.projectionDatabase.close();
  }
}
