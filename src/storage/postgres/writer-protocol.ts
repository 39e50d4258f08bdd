// Messages between a PostgresStore and its writer thread (writer-thread.ts). Data only: they
// cross the thread boundary by structured clone.
import type { FenceCheck } from './batch-writer.js';
import type { PreparedRecord } from './copy-rows.js';

export interface WriterThreadData {
  readonly connectionString: string;
  readonly fence: FenceCheck | undefined;
  /** Commit records per transaction at most. */
  readonly recordsPerTransactionMax: number;
}

/** Store → thread. */
export type ToWriter =
  | { readonly type: 'record'; readonly record: PreparedRecord }
  /** Write nothing more (the lease is lost, or the store failed). */
  | { readonly type: 'stop' }
  /** Nothing is queued any more: close the connection and exit. */
  | { readonly type: 'close' };

/** Thread → store. */
export type FromWriter =
  | { readonly type: 'ready' }
  /** The next `records` records (in the order sent) are durable. */
  | { readonly type: 'durable'; readonly records: number }
  /**
   * The writer stopped: no record after the last `durable` is acknowledged, and it starts no
   * other transaction (one cut off during COMMIT may still have committed: an unknown outcome).
   */
  | { readonly type: 'failed'; readonly message: string; readonly fenced: boolean };
