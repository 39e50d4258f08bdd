// The server store: PostgreSQL through node-postgres. Each group of commits is one
// transaction holding the journal rows and their projections together (synchronous_commit
// on: a commit resolves once PostgreSQL has flushed its WAL), so reads never lag the journal.
// commit() encodes the record (copy-rows.ts) and hands it to the writer thread
// (writer-thread.ts), which owns the writer connection: commits made while a transaction runs
// form the next group, group commit at the store too. One connection, one transaction at a
// time, in order: a group is acknowledged only once it and every earlier group committed.
// With a writer lease, every transaction is fenced (lease.ts). Operations:
// docs/operations-postgres.md.
import pg from 'pg';
import type { JournalEntry } from '../../journal/hash-chain.js';
import type {
  CommitRecord, HistoryPage, HistoryQuery, LayerMigrations, PostedSums, ProjectionRow, SqlValue,
  Store, StoredAccount, StoredSnapshot, StoredSnapshotInfo, StoredTransfer,
} from '../store.js';
import {
  AccountNumbers, checkWrite, FencedError, loadCatalog, type Catalog, type FenceCheck,
} from './batch-writer.js';
import type { PreparedRecord } from './copy-rows.js';
import type { PostgresLease } from './lease.js';
import {
  applyMigrations, CORE_MIGRATIONS, LOCK_KEYS, SNAPSHOT_MIGRATIONS, type PostgresMigrationSet,
} from './migrations.js';
import { PostgresReads } from './reads.js';
import { SnapshotConnection, type ReadConnections } from './snapshot-connection.js';
import { CLIENT_KEEPALIVE } from './sessions.js';
import { WriterThread } from './writer-host.js';
import type { FromWriter } from './writer-protocol.js';

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database */
  readonly connectionString: string;
  /** Tables of layers above the ledger (see TableWrite). */
  readonly migrations?: readonly PostgresMigrationSet[];
  /** The writer lease this node holds: every batch transaction is fenced by it. */
  readonly lease?: PostgresLease;
  /** Read connections at most. Default 4. */
  readonly readConnections?: number;
  /** Reads only (verify, a replica): no migrations, commit() refuses. */
  readonly readOnly?: boolean;
  /**
   * With readOnly: every read sees one consistent snapshot of the database, taken at the first
   * read (one REPEATABLE READ READ ONLY transaction on one connection, held until close). For
   * verify beside a live writer: the journal and the projections it compares are then from the
   * same instant. Not for a standby, which must see new entries. Default false.
   */
  readonly snapshot?: boolean;
  /** Commit records per transaction at most. Default 64. */
  readonly recordsPerTransactionMax?: number;
}

interface Pending {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export function isPostgresUrl(text: string): boolean {
  return /^postgres(ql)?:\/\//.test(text);
}

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private readonly pool: ReadConnections;
  private readonly reads: PostgresReads;
  private readonly numbers = new AccountNumbers();
  /** Commits sent to the writer thread and not yet durable, in order. */
  private readonly pending: Pending[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private thread: WriterThread | undefined;
  private catalog: Catalog | undefined;
  private opening: Promise<void> | undefined;
  private fence: FenceCheck | undefined;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;
  private readonly layers: PostgresMigrationSet[] = [];

  constructor(private readonly options: PostgresStoreOptions) {
    if (options.readOnly === true && options.snapshot === true) {
      this.pool = new SnapshotConnection(options.connectionString);
    } else {
      const pool = new pg.Pool({ connectionString: options.connectionString,
        max: options.readConnections ?? 4, ...CLIENT_KEEPALIVE, application_name: 'corridor-read' });
      // An idle connection that breaks is dropped by the pool; the next read opens another.
      pool.on('error', () => undefined);
      this.pool = pool;
    }
    this.reads = new PostgresReads(this.pool);
  }

  open(): Promise<void> {
    this.opening ??= this.doOpen();
    return this.opening;
  }

  /** Migrates and takes the epoch on a setup connection, then starts the writer thread. */
  private async doOpen(): Promise<void> {
    if (this.options.readOnly === true) return;
    const client = new pg.Client({ connectionString: this.options.connectionString,
      ...CLIENT_KEEPALIVE, application_name: 'corridor-setup' });
    client.on('error', () => undefined);
    await client.connect();
    try {
      await applyMigrations(client, [CORE_MIGRATIONS, SNAPSHOT_MIGRATIONS,
        ...(this.options.migrations ?? []), ...this.layers]);
      this.catalog = await loadCatalog(client);
      this.numbers.load(await this.reads.accountNumbers());
      const lease = this.options.lease;
      if (lease !== undefined) this.fence = await takeEpoch(client, lease);
    } finally {
      await client.end().catch(() => undefined);
    }
    this.thread = await WriterThread.start({ connectionString: this.options.connectionString,
      fence: this.fence, recordsPerTransactionMax: this.options.recordsPerTransactionMax ?? 64,
    }, (message) => this.onWriter(message));
    this.options.lease?.onLost((error) => this.fail(error));
  }

  /** The fencing epoch of this writer (with a lease), for operations and tests. */
  get epoch(): bigint | undefined {
    return this.fence?.epoch;
  }

  /** Resolves once the entry is durable; commits resolve in the order they were made. */
  commit(record: CommitRecord): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const thread = this.thread;
    if (thread === undefined || this.catalog === undefined || this.closing !== undefined) {
      return Promise.reject(new Error('PostgresStore: commit() needs an open store.'));
    }
    try {
      this.options.lease?.check();
      for (const write of record.writes ?? []) checkWrite(write, this.catalog);
    } catch (error) {
      return Promise.reject(error);
    }
    let prepared: PreparedRecord;
    try {
      // Encoded here, while the writer thread runs an earlier group's transaction.
      prepared = this.numbers.prepare(record);
    } catch (error) {
      // Account numbers may have been assigned, and later entries chain on this one.
      this.fail(error instanceof Error ? error : new Error(String(error)));
      return Promise.reject(this.failure);
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ resolve, reject });
      if (this.pending.length === 1) thread.hold(true);
      thread.send({ type: 'record', record: prepared });
    });
  }

  private onWriter(message: FromWriter): void {
    if (message.type === 'durable') {
      if (this.failure !== undefined) return;
      for (const item of this.pending.splice(0, message.records)) item.resolve();
      if (this.pending.length === 0) this.thread?.hold(false);
      this.wakeIfIdle();
    } else if (message.type === 'failed') {
      this.fail(message.fenced ? new FencedError(message.message) : new Error(message.message));
    }
  }

  /** A failed transaction stops the writer: later entries chain on one that is not durable. */
  private fail(error: Error): void {
    if (this.failure !== undefined) return;
    this.failure = error instanceof FencedError ? error
      : new Error(`PostgresStore: the writer failed: ${error.message}`);
    this.thread?.send({ type: 'stop' });
    this.thread?.hold(false);
    for (const item of this.pending.splice(0)) item.reject(this.failure);
    this.wakeIfIdle();
  }

  private wakeIfIdle(): void {
    if (this.pending.length > 0) return;
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /** Projections are written with the journal: nothing to wait for. */
  caughtUp(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * The tables of a layer above the ledger: migrated on open() (a read-only store reads them as
   * the writer made them). Must precede open().
   */
  async addLayer(layer: LayerMigrations): Promise<void> {
    if (this.layers.some((known) => known.owner === layer.owner)) return;
    if (this.opening !== undefined && this.options.readOnly !== true) {
      throw new Error('PostgresStore: addLayer() must precede open().');
    }
    this.layers.push({ owner: layer.owner, migrations: layer.postgres });
  }

  /** Projections are written with the journal: a read on a read connection sees every commit. */
  async queryProjection(sql: string, values: readonly SqlValue[]): Promise<ProjectionRow[]> {
    return this.query<ProjectionRow>(sql, values.map((value) =>
      (typeof value === 'bigint' ? value.toString() : value)));
  }

  /** Runs a query on a read connection (operations, tests, upper layers' reads). */
  async query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(sql, values)).rows;
  }

  readJournal(after: number, limit: number): Promise<JournalEntry[]> {
    return this.reads.readJournal(after, limit);
  }

  journalTail(): Promise<JournalEntry | undefined> {
    return this.reads.journalTail();
  }

  account(id: string): Promise<StoredAccount | undefined> {
    return this.reads.account(id);
  }

  accounts(): Promise<StoredAccount[]> {
    return this.reads.accounts();
  }

  transfer(id: string): Promise<StoredTransfer | undefined> {
    return this.reads.transfer(id);
  }

  history(accountId: string, query: HistoryQuery): Promise<HistoryPage> {
    return this.reads.history(accountId, query);
  }

  transferCount(): Promise<number> {
    return this.reads.transferCount();
  }

  postedSums(): Promise<PostedSums[]> {
    return this.reads.postedSums();
  }

  /**
   * Written on a read connection, not the writer thread's: a snapshot never waits behind, nor
   * holds up, a batch transaction. Not fenced: one from a writer that lost the lease is bound
   * to an entry the journal does not hold, and restart passes over it.
   */
  async writeSnapshot(snapshot: StoredSnapshot, keep: number): Promise<void> {
    if (this.options.readOnly === true) {
      throw new Error('PostgresStore: a read-only store writes no snapshots.');
    }
    if (this.closing !== undefined) throw new Error('PostgresStore: the store is closing.');
    const bytes = Buffer.from(snapshot.bytes.buffer, snapshot.bytes.byteOffset,
      snapshot.bytes.byteLength);
    await this.pool.query('INSERT INTO snapshots (sequence, entry_hash, created_at, ' +
      'format_version, checksum, bytes) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sequence) ' +
      'DO UPDATE SET entry_hash = EXCLUDED.entry_hash, created_at = EXCLUDED.created_at, ' +
      'format_version = EXCLUDED.format_version, checksum = EXCLUDED.checksum, ' +
      'bytes = EXCLUDED.bytes', [snapshot.sequence, snapshot.entryHash, snapshot.createdAt,
      snapshot.formatVersion, snapshot.checksum, bytes]);
    await this.pruneSnapshots(keep);
  }

  async pruneSnapshots(keep: number): Promise<number> {
    if (!Number.isSafeInteger(keep) || keep < 1) throw new RangeError('keep must be at least 1.');
    const result = await this.pool.query('DELETE FROM snapshots WHERE sequence NOT IN ' +
      '(SELECT sequence FROM snapshots ORDER BY sequence DESC LIMIT $1)', [keep]);
    return result.rowCount ?? 0;
  }

  /** Newest first; none when the table does not exist yet (a writer has not migrated it). */
  async snapshots(): Promise<StoredSnapshotInfo[]> {
    const rows = await this.snapshotQuery<SnapshotRow>('SELECT sequence::text, entry_hash, ' +
      'created_at::text, format_version, checksum, octet_length(bytes) AS size FROM snapshots ' +
      'ORDER BY snapshots.sequence DESC', []);
    return rows.map(snapshotInfoOf);
  }

  async readSnapshot(sequence: number): Promise<StoredSnapshot | undefined> {
    const [row] = await this.snapshotQuery<SnapshotRow & { bytes: Buffer }>('SELECT ' +
      'sequence::text, entry_hash, created_at::text, format_version, checksum, ' +
      'octet_length(bytes) AS size, bytes FROM snapshots WHERE sequence = $1', [sequence]);
    return row === undefined ? undefined : { ...snapshotInfoOf(row), bytes: row.bytes };
  }

  /** Checks the table exists first: a failed query would end a snapshot view's transaction. */
  private async snapshotQuery<R extends pg.QueryResultRow>(
    sql: string,
    values: unknown[],
  ): Promise<R[]> {
    const present = await this.pool.query<{ present: boolean }>(
      "SELECT to_regclass('snapshots') IS NOT NULL AS present");
    if (present.rows[0]?.present !== true) return [];
    return (await this.pool.query<R>(sql, values)).rows;
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    if (this.pending.length > 0) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
    await this.opening?.catch(() => undefined);
    await this.thread?.close();
    await this.pool.end();
  }
}

interface SnapshotRow {
  readonly sequence: string;
  readonly entry_hash: string;
  readonly created_at: string;
  readonly format_version: number;
  readonly checksum: string;
  readonly size: number;
}

function snapshotInfoOf(row: SnapshotRow): StoredSnapshotInfo {
  return { sequence: Number(row.sequence), entryHash: row.entry_hash,
    createdAt: Number(row.created_at), formatVersion: row.format_version,
    checksum: row.checksum, size: Number(row.size) };
}

/** Increments the fencing epoch under the lease: older writers' transactions fail from now. */
async function takeEpoch(client: pg.Client, lease: PostgresLease): Promise<FenceCheck> {
  lease.check();
  const key = LOCK_KEYS.writer;
  const result = await client.query<{ epoch: string }>(
    'UPDATE writer_lease SET epoch = epoch + 1, holder = $1, acquired_at = now() WHERE id = 1 ' +
    "AND EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = $2 " +
    'AND classid = $3 AND objid = $4 AND objsubid = 1) RETURNING epoch::text',
    [lease.holder, lease.pid, Number(key >> 32n), Number(key & 0xffff_ffffn)]);
  const epoch = result.rows[0]?.epoch;
  if (epoch === undefined) throw new FencedError('The writer lease is not held: cannot write.');
  return { epoch: BigInt(epoch), leasePid: lease.pid };
}
