// A store that fails like a disk: it delegates to a real store until a chosen commit, which
// fails with an operating-system error (ENOSPC: disk full, EIO: an fsync or write error), and
// every commit after it fails the same way, as a store whose disk broke would. Reads go on
// working. For failure tests where a real full disk cannot be had (storage-faults.test.ts).
import type { CommitRecord, Store } from '../storage/store.js';

export type DiskFault = 'ENOSPC' | 'EIO';

const MESSAGES: Record<DiskFault, string> = {
  ENOSPC: 'no space left on device',
  EIO: 'i/o error during fsync',
};

/** An Error shaped like Node's system errors: `code`, `errno` and `syscall`. */
export function diskError(fault: DiskFault): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${fault}: ${MESSAGES[fault]}, write`);
  error.code = fault;
  error.errno = fault === 'ENOSPC' ? -28 : -5;
  error.syscall = fault === 'ENOSPC' ? 'write' : 'fsync';
  return error;
}

export class FaultyStore implements Store {
  readonly kind: Store['kind'];
  /** Commits asked for so far (the failed ones included). */
  commits = 0;
  private failAt = Infinity;
  private fault: DiskFault = 'ENOSPC';
  /** Snapshot writes still to fail (each with `fault`), and how many were asked for. */
  private snapshotFailures = 0;
  snapshotWrites = 0;

  constructor(readonly inner: Store) {
    this.kind = inner.kind;
  }

  /** The `after`-th commit from now (1: the next one) and every later one fail with `fault`. */
  failAfter(after: number, fault: DiskFault): void {
    this.failAt = this.commits + after;
    this.fault = fault;
  }

  commit(record: CommitRecord): Promise<void> {
    this.commits += 1;
    if (this.commits >= this.failAt) return Promise.reject(diskError(this.fault));
    return this.inner.commit(record);
  }

  /** The next `count` snapshot writes fail with `fault`; later ones go through. */
  failSnapshotWrites(count: number, fault: DiskFault): void {
    this.snapshotFailures = count;
    this.fault = fault;
  }

  writeSnapshot(...args: Parameters<Store['writeSnapshot']>): Promise<void> {
    this.snapshotWrites += 1;
    if (this.snapshotFailures > 0) {
      this.snapshotFailures -= 1;
      return Promise.reject(diskError(this.fault));
    }
    return this.inner.writeSnapshot(...args);
  }
  snapshots(): ReturnType<Store['snapshots']> { return this.inner.snapshots(); }
  readSnapshot(sequence: number): ReturnType<Store['readSnapshot']> {
    return this.inner.readSnapshot(sequence);
  }
  pruneSnapshots(keep: number): ReturnType<Store['pruneSnapshots']> {
    return this.inner.pruneSnapshots(keep);
  }

  open(): Promise<void> { return this.inner.open(); }
  caughtUp(): Promise<void> { return this.inner.caughtUp(); }
  readJournal(after: number, limit: number): ReturnType<Store['readJournal']> {
    return this.inner.readJournal(after, limit);
  }
  journalTail(): ReturnType<Store['journalTail']> { return this.inner.journalTail(); }
  account(id: string): ReturnType<Store['account']> { return this.inner.account(id); }
  accounts(): ReturnType<Store['accounts']> { return this.inner.accounts(); }
  transfer(id: string): ReturnType<Store['transfer']> { return this.inner.transfer(id); }
  history(...args: Parameters<Store['history']>): ReturnType<Store['history']> {
    return this.inner.history(...args);
  }
  transferCount(): ReturnType<Store['transferCount']> { return this.inner.transferCount(); }
  postedSums(): ReturnType<Store['postedSums']> { return this.inner.postedSums(); }
  addLayer(...args: Parameters<Store['addLayer']>): ReturnType<Store['addLayer']> {
    return this.inner.addLayer(...args);
  }
  queryProjection(...args: Parameters<Store['queryProjection']>): ReturnType<Store['queryProjection']> {
    return this.inner.queryProjection(...args);
  }
  close(): Promise<void> { return this.inner.close(); }
}
