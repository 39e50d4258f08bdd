// Which store a node runs on (NodeConfig.store): SQLite in the data directory, or PostgreSQL.
// On PostgreSQL a node first tries the writer lease; while another node holds it, this one
// is a standby: it follows the journal, serves reads, refuses writes with 503 not_writer, and
// takes over when the lease frees (docs/operations-postgres.md).
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PostgresLease } from '../storage/postgres/lease.js';
import { isPostgresUrl, PostgresStore } from '../storage/postgres/postgres-store.js';
import { SqliteSnapshot } from '../storage/sqlite/snapshot.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import type { Store } from '../storage/store.js';
import { Follower } from '../service/follower.js';
import { openNetwork, type Network, type PartyScreener } from '../service/service.js';
import type { SnapshotEvent, SnapshotPolicy } from '../service/snapshots.js';
import type { NodeConfig } from './node-config.js';

/** PostgreSQL's SQLSTATE for a table that does not exist (an empty database). */
const UNDEFINED_TABLE = '42P01';

export function databasePath(dataDir: string): string {
  return join(dataDir, 'corridor.db');
}

/**
 * A store for tools (init, verify): no lease, so never use it to run a second writer.
 * readOnly: a fixed, consistent read-only view, safe beside a node running on the same store:
 * on SQLite SqliteSnapshot (no threads, no migrations, no writes), on PostgreSQL reads only,
 * all in one REPEATABLE READ snapshot.
 */
export function configuredStore(
  config: Pick<NodeConfig, 'dataDir' | 'store'>,
  readOnly = false,
): Store {
  if (isPostgresUrl(config.store)) {
    return new PostgresStore({ connectionString: config.store, readOnly, snapshot: readOnly });
  }
  const path = databasePath(config.dataDir);
  return readOnly ? new SqliteSnapshot({ path }) : new SqliteStore({ path });
}

/** Whether the configured store already holds a network (a journal entry). */
export async function holdsNetwork(config: Pick<NodeConfig, 'dataDir' | 'store'>): Promise<boolean> {
  if (!isPostgresUrl(config.store)) return existsSync(databasePath(config.dataDir));
  // Reads only: asking must neither migrate nor start a writer beside a running node.
  const store = configuredStore(config, true);
  try {
    await store.open();
    return (await store.journalTail()) !== undefined;
  } catch (error) {
    if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return false;
    throw error;
  } finally {
    await store.close();
  }
}

/** Where the store is, for messages: the data directory, or the database without password. */
export function storeLabel(config: Pick<NodeConfig, 'dataDir' | 'store'>): string {
  if (!isPostgresUrl(config.store)) return config.dataDir;
  const url = new URL(config.store);
  url.password = '';
  return url.toString();
}

/** What a node opens: the network, and on PostgreSQL its lease and (on a standby) takeover. */
export interface OpenedNetwork {
  readonly network: Network;
  readonly lease?: PostgresLease;
  /** Whether the node is a standby now (it serves reads and refuses writes). */
  readonly standby: () => boolean;
  /** On a standby: resolves once the node holds the lease and is the writer. */
  readonly takeOver?: () => Promise<void>;
}

export interface OpenOptions {
  readonly config: NodeConfig;
  readonly screener?: PartyScreener;
  /** A store to write to, instead of the configured one (no lease). */
  readonly store?: Store;
  /** A standby's journal read failed (it retries) or found the chain broken. */
  readonly onFollowError?: (error: Error) => void;
  /** A snapshot was written, or its write failed (it is tried again later). */
  readonly onSnapshot?: (event: SnapshotEvent) => void;
}

/**
 * Opens the network on the configured store. On PostgreSQL, a node that takes the writer
 * lease at once is the writer; otherwise it is a standby that follows the writer's journal,
 * and takeOver() waits for the lease, then promotes it (docs/operations-postgres.md).
 */
export async function openNodeNetwork(options: OpenOptions): Promise<OpenedNetwork> {
  const { config, screener } = options;
  const snapshots: SnapshotPolicy = { everyEntries: config.snapshotEveryEntries,
    everyMinutes: config.snapshotEveryMinutes, everyCommands: config.snapshotEveryCommands,
    keep: config.snapshotKeep,
    onEvent: (event) => options.onSnapshot?.(event) };
  const pipeline = { batchSizeMax: config.batchSizeMax, batchDelayMs: config.batchDelayMs,
    snapshots, ...(screener === undefined ? {} : { screener }) };
  if (options.store !== undefined || !isPostgresUrl(config.store)) {
    const store = options.store ?? configuredStore(config);
    return { network: await openNetwork({ store, ...pipeline }), standby: () => false };
  }
  const connectionString = config.store;
  const lease = new PostgresLease({ connectionString, holder: `${hostname()} pid ${process.pid}` });
  const writer = (): PostgresStore => new PostgresStore({ connectionString, lease });
  if (await lease.tryAcquire()) {
    return { network: await openNetwork({ store: writer(), ...pipeline }), lease,
      standby: () => false };
  }
  // A standby reads the journal as it grows: reads only, never one fixed snapshot.
  const follower = await Follower.open({
    store: new PostgresStore({ connectionString, readOnly: true }),
    ...(screener === undefined ? {} : { screener }),
    onReadError: (error) => options.onFollowError?.(error),
    onCorrupt: (error) => options.onFollowError?.(error) });
  let promoted = false;
  const takeOver = async (): Promise<void> => {
    await Promise.race([lease.acquire(), follower.broken]);
    await follower.promote(writer(), pipeline);
    promoted = true;
  };
  return { network: follower.network, lease, standby: () => !promoted, takeOver };
}
