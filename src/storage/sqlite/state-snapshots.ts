// State snapshots in the SQLite store: their own database file beside the journal
// (`${path}-snapshots`), so that writing one (megabytes at once) never holds the journal's or
// the projections' write lock: acknowledgements and the projector go on while it is written.
// Writes run on a thread of their own (state-snapshot-thread.ts); ':memory:' and threads:false
// write inline. A snapshot is a cache of the journal: losing the file costs a longer restart.
import type Database from 'better-sqlite3';
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
  readonly type: 'write' | 'prune' | 'close';
  /** The snapshots database the request is for. */
  readonly path: string;
  readonly synchronous: Synchronous;
  readonly snapshot?: StoredSnapshot;
  readonly keep: number;
}

export interface SnapshotWriteReply {
  readonly id: number;
  readonly error?: string;
  readonly pruned?: number;
}

interface Waiter {
  readonly resolve: (reply: SnapshotWriteReply) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The process's snapshot thread, shared by every file-backed SqliteStore (a thread is slow to
 * start under a TypeScript loader): one connection per snapshots database, one transaction
 * per snapshot. It keeps the process alive only while a request waits on it.
 */
class SnapshotThread {
  private static shared: SnapshotThread | undefined;
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiter>();
  private nextId = 1;

  private constructor() {
    this.worker = startModuleWorker(import.meta.url, 'state-snapshot-thread', {});
    this.worker.unref();
    this.worker.on('message', (reply: SnapshotWriteReply) => {
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) this.worker.unref();
      if (reply.error === undefined) waiter?.resolve(reply);
      else waiter?.reject(new Error(reply.error));
    });
    const fail = (error: Error): void => {
      if (SnapshotThread.shared === this) SnapshotThread.shared = undefined;
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the snapshot thread exited with code ${code}`)));
  }

  static acquire(): SnapshotThread {
    SnapshotThread.shared ??= new SnapshotThread();
    return SnapshotThread.shared;
  }

  ask(request: Omit<SnapshotWriteRequest, 'id'>): Promise<SnapshotWriteReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...request, id });
    });
  }
}

/**
 * The snapshots of one SQLite store: a connection for reads (and inline writes), and, for
 * files, the shared snapshot thread for writes.
 */
export class SqliteSnapshots {
  /** Writes under way: close() waits for them. */
  private readonly underWay = new Set<Promise<unknown>>();
  private threadUsed = false;

  /**
   * @param database the snapshots database (in ':memory:', the store's one database)
   * @param path its file, for the snapshot thread; undefined to write inline
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

  async write(snapshot: StoredSnapshot, keep: number): Promise<void> {
    if (this.path === undefined) {
      writeSnapshotRow(this.database, snapshot, keep);
      return;
    }
    await this.ask({ type: 'write', snapshot, keep });
  }

  async prune(keep: number): Promise<number> {
    if (this.path === undefined) return pruneSnapshotRows(this.database, keep);
    return (await this.ask({ type: 'prune', keep })).pruned ?? 0;
  }

  list(): StoredSnapshotInfo[] {
    return listSnapshotRows(this.database);
  }

  read(sequence: number): StoredSnapshot | undefined {
    return readSnapshotRow(this.database, sequence);
  }

  private ask(request: Pick<SnapshotWriteRequest, 'type' | 'keep' | 'snapshot'>):
    Promise<SnapshotWriteReply> {
    if (this.path === undefined) throw new Error('SqliteSnapshots: no file to write from a thread.');
    this.threadUsed = true;
    const asked = SnapshotThread.acquire().ask({ ...request, path: this.path,
      synchronous: this.synchronous });
    this.underWay.add(asked);
    const settle = (): void => {
      this.underWay.delete(asked);
    };
    asked.then(settle, settle);
    return asked;
  }

  /** Waits for the writes under way, then closes the connections (the thread's one too). */
  async close(closeDatabase: boolean): Promise<void> {
    await Promise.allSettled([...this.underWay]);
    if (this.threadUsed && this.path !== undefined) {
      await SnapshotThread.acquire().ask({ type: 'close', path: this.path,
        synchronous: this.synchronous, keep: 1 }).catch(() => undefined);
    }
    if (closeDatabase && this.database.open) this.database.close();
  }
}
