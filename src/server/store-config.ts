// Which store a node runs on (NodeConfig.store): SQLite in the data directory, or PostgreSQL.
// On PostgreSQL a node first takes the writer lease; while another node holds it, this one
// is a standby: it answers every HTTP request with 503 not_writer and Retry-After, and takes
// over when the lease frees (docs/operations-postgres.md).
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PostgresLease } from '../storage/postgres/lease.js';
import { isPostgresUrl, PostgresStore } from '../storage/postgres/postgres-store.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import type { Store } from '../storage/store.js';
import type { NodeConfig } from './node-config.js';

export function databasePath(dataDir: string): string {
  return join(dataDir, 'corridor.db');
}

/** A store for tools (init, verify): no lease, so never use it to run a second writer. */
export function configuredStore(
  config: Pick<NodeConfig, 'dataDir' | 'store'>,
  readOnly = false,
): Store {
  return isPostgresUrl(config.store)
    ? new PostgresStore({ connectionString: config.store, readOnly })
    : new SqliteStore({ path: databasePath(config.dataDir) });
}

/** Whether the configured store already holds a network (a journal entry). */
export async function holdsNetwork(config: Pick<NodeConfig, 'dataDir' | 'store'>): Promise<boolean> {
  if (!isPostgresUrl(config.store)) return existsSync(databasePath(config.dataDir));
  const store = configuredStore(config);
  try {
    await store.open();
    return (await store.journalTail()) !== undefined;
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

export interface WriterStore {
  readonly store: Store;
  readonly lease?: PostgresLease;
  /** The port the standby listened on (to keep it after takeover when 0 was asked). */
  readonly port: number;
}

function standbyServer(): Server {
  return createServer((_request, response) => {
    response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
    response.end(JSON.stringify({ code: 'not_writer',
      message: 'This node is a standby: another node holds the writer lease. Retry shortly.' }));
  });
}

/**
 * The store a node writes to. On PostgreSQL: waits for the writer lease, serving 503
 * not_writer on config.host:port meanwhile (`onStandby` gets its URL).
 */
export async function writerStore(
  config: NodeConfig,
  onStandby?: (url: string) => void,
): Promise<WriterStore> {
  if (!isPostgresUrl(config.store)) {
    return { store: new SqliteStore({ path: databasePath(config.dataDir) }), port: config.port };
  }
  const lease = new PostgresLease({ connectionString: config.store,
    holder: `${hostname()} pid ${process.pid}` });
  let standby: Server | undefined;
  let port = config.port;
  await lease.acquire(() => {
    standby = standbyServer();
    standby.listen(config.port, config.host, () => {
      const address = standby?.address();
      if (typeof address === 'object' && address !== null) port = address.port;
      onStandby?.(`http://${config.host}:${port}`);
    });
  });
  if (standby !== undefined) {
    const server = standby;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return { store: new PostgresStore({ connectionString: config.store, lease }), lease, port };
}
