// How every connection of the store is opened: WAL, so that readers never block the writer;
// synchronous=FULL, so that a commit has reached the disk before it returns; 64-bit integers
// as bigints, so that no amount is ever rounded.
import Database from 'better-sqlite3';

export type Synchronous = 'full' | 'off';

export interface ConnectionOptions {
  /** 'off' skips fsync: only for tests that never crash. Default 'full'. */
  readonly synchronous?: Synchronous;
  /** WAL pages before an automatic checkpoint. */
  readonly walPagesMax?: number;
  readonly cacheMegabytes?: number;
}

export function openConnection(path: string, options: ConnectionOptions = {}): Database.Database {
  const database = new Database(path);
  try {
    database.pragma('journal_mode = WAL');
    database.pragma(`synchronous = ${options.synchronous === 'off' ? 'OFF' : 'FULL'}`);
    database.pragma('foreign_keys = OFF');
    database.pragma(`cache_size = -${(options.cacheMegabytes ?? 64) * 1024}`);
    database.pragma(`wal_autocheckpoint = ${options.walPagesMax ?? 4096}`);
    database.defaultSafeIntegers(true);
  } catch (error) {
    database.close();
    throw error;
  }
  return database;
}

/** The projection database beside a journal database at `path`. */
export function projectionPathOf(path: string): string {
  return path === ':memory:' ? path : `${path}-projection`;
}
