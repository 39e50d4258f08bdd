// State snapshots in the SQLite store: their own database file beside the journal
// (`${path}-snapshots`), so that writing one (megabytes at once) never holds the journal's or
// the projections' write lock: acknowledgements and the projector go on while it is written.
// Writes run on a thread of their own (state-snapshot-thread.ts); ':memory:' and threads:false
// write inline. A snapshot is a cache of the journal: losing the file costs a longer restart.
import type Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../module-worker.js';
import type { StoredSnapshot, StoredSnapshotInfo } from '../store.js';
import { openConnection, type Synchronous } from './connection.js';
import { applyMigrations, type SqliteMigrationSet } from './migrations.js';

export const SNAPSHOT_MIGRATIONS: SqliteMigrationSet = {
  owner: 'snapshots',
  migrations: [{
    version: 1,
    sql: `
      CREATE TABLE snapshots (
        sequence INTEGER PRIMARY KEY,
        entry_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        format_version INTEGER NOT NULL,
        checksum TEXT NOT NULL,
        bytes BLOB NOT NULL
      );
    `,
  }],
};

/** The snapshots database beside a journal database at `path`. */
export function snapshotPathOf(path: string): string {
  return path === ':memory:' ? path : `${path}-snapshots`;
}

interface SnapshotRow {
  readonly sequence: bigint | number;
  readonly entry_hash: string;
  readonly created_at: bigint | number;
  readonly format_version: bigint | number;
  readonly checksum: string;
  readonly size: bigint | number;
  readonly bytes?: Uint8Array;
}

function infoOf(row: SnapshotRow): StoredSnapshotInfo {
  return { sequence: Number(row.sequence), entryHash: row.entry_hash,
    createdAt: Number(row.created_at), formatVersion: Number(row.format_version),
    checksum: row.checksum, size: Number(row.size) };
}

/** Writes one snapshot and prunes to the newest `keep`, in one transaction. */
export function writeSnapshotRow(
  database: Database.Database,
  snapshot: StoredSnapshot,
  keep: number,
): void {
  database.transaction(() => {
    database.prepare('INSERT OR REPLACE INTO snapshots (sequence, entry_hash, created_at, ' +
      'format_version, checksum, bytes) VALUES (?, ?, ?, ?, ?, ?)').run(snapshot.sequence,
      snapshot.entryHash, snapshot.createdAt, snapshot.formatVersion, snapshot.checksum,
      Buffer.from(snapshot.bytes.buffer, snapshot.bytes.byteOffset, snapshot.bytes.byteLength));
    pruneSnapshotRows(database, keep);
  })();
}

export function pruneSnapshotRows(database: Database.Database, keep: number): number {
  if (!Number.isSafeInteger(keep) || keep < 1) throw new RangeError('keep must be at least 1.');
  return database.prepare('DELETE FROM snapshots WHERE sequence NOT IN (SELECT sequence FROM ' +
    'snapshots ORDER BY sequence DESC LIMIT ?)').run(keep).changes;
}

export function listSnapshotRows(database: Database.Database): StoredSnapshotInfo[] {
  return (database.prepare('SELECT sequence, entry_hash, created_at, format_version, checksum, ' +
    'length(bytes) AS size FROM snapshots ORDER BY sequence DESC').all() as SnapshotRow[])
    .map(infoOf);
}

export function readSnapshotRow(
  database: Database.Database,
  sequence: number,
): StoredSnapshot | undefined {
  const row = database.prepare('SELECT sequence, entry_hash, created_at, format_version, ' +
    'checksum, length(bytes) AS size, bytes FROM snapshots WHERE sequence = ?')
    .get(sequence) as SnapshotRow | undefined;
  if (row?.bytes === undefined) return undefined;
  return { ...infoOf(row), bytes: row.bytes };
}

export interface SnapshotWriteRequest {
  readonly id: number;
  readonly type: 'write' | 'prune';
  readonly snapshot?: StoredSnapshot;
  readonly keep: number;
}

export interface SnapshotWriteReply {
  readonly id: number;
  readonly error?: string;
  readonly pruned?: number;
}

/**
 * The snapshots of one SQLite store: a connection for reads (and inline writes), and, for
 * files, a writer thread started on the first write.
 */
export class SqliteSnapshots {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, { resolve: (reply: SnapshotWriteReply) => void;
    reject: (error: Error) => void }>();
  private nextId = 1;

  /**
   * @param database the snapshots database (in ':memory:', the store's one database)
   * @param path its file, for the writer thread; undefined to write inline
   */
  constructor(
    readonly database: Database.Database,
    private readonly path: string | undefined,
    private readonly synchronous: Synchronous,
  ) {}

  static open(journalPath: string, threads: boolean, synchronous: Synchronous,
    memory?: Database.Database): SqliteSnapshots {
    const database = memory ?? openConnection(snapshotPathOf(journalPath), { synchronous });
    applyMigrations(database, [SNAPSHOT_MIGRATIONS]);
    return new SqliteSnapshots(database, memory === undefined && threads
      ? snapshotPathOf(journalPath) : undefined, synchronous);
  }

  /** A read-only view for tools (verify): undefined when no snapshot file exists. */
  static readOnlyPathOf(journalPath: string): string | undefined {
    const path = snapshotPathOf(journalPath);
    return existsSync(path) ? path : undefined;
  }

  async write(snapshot: StoredSnapshot, keep: number): Promise<void> {
    if (this.path === undefined) {
      writeSnapshotRow(this.database, snapshot, keep);
      return;
    }
    await this.ask({ id: this.nextId++, type: 'write', snapshot, keep });
  }

  async prune(keep: number): Promise<number> {
    if (this.path === undefined) return pruneSnapshotRows(this.database, keep);
    return (await this.ask({ id: this.nextId++, type: 'prune', keep })).pruned ?? 0;
  }

  list(): StoredSnapshotInfo[] {
    return listSnapshotRows(this.database);
  }

  read(sequence: number): StoredSnapshot | undefined {
    return readSnapshotRow(this.database, sequence);
  }

  private ask(request: SnapshotWriteRequest): Promise<SnapshotWriteReply> {
    const worker = this.writer();
    return new Promise((resolve, reject) => {
      this.waiting.set(request.id, { resolve, reject });
      worker.ref();
      worker.postMessage(request);
    });
  }

  private writer(): Worker {
    if (this.worker !== undefined) return this.worker;
    const worker = startModuleWorker(import.meta.url, 'state-snapshot-thread',
      { workerData: { path: this.path, synchronous: this.synchronous } });
    worker.unref();
    worker.on('message', (reply: SnapshotWriteReply) => {
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if (reply.error === undefined) waiter?.resolve(reply);
      else waiter?.reject(new Error(reply.error));
    });
    const fail = (error: Error): void => {
      this.worker = undefined;
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the snapshot thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  /** Waits for the writes under way, then stops the thread and closes the connection. */
  async close(closeDatabase: boolean): Promise<void> {
    const under = [...this.waiting.values()].map((waiter) => new Promise<void>((resolve) => {
      const { resolve: done, reject } = waiter;
      waiter.resolve = (reply) => { done(reply); resolve(); };
      waiter.reject = (error) => { reject(error); resolve(); };
    }));
    await Promise.all(under);
    const worker = this.worker;
    this.worker = undefined;
    if (worker !== undefined) {
      worker.removeAllListeners('exit');
      await worker.terminate();
    }
    if (closeDatabase && this.database.open) this.database.close();
  }
}
