// Proves, on a real PostgreSQL server, that a writer lost in any of the ways a deployment
// loses one costs nothing acknowledged and never commits twice: 30 seeded SIGKILLs of the
// writer under HTTP load, each followed by standby takeover; the writer's server connection
// killed (pg_terminate_backend), then the lease connection; PostgreSQL restarted on the same
// data directory and port; and the writer cut off by a network partition (a TCP proxy that
// drops every byte while keeping the sockets open). After each, every acknowledged payment is
// on the new writer, every payment's legs are all posted, all pending or all voided, balances
// and supply add up, the journal's sequence is unbroken and `corridor verify` passes (hash
// chain, invariants, projections). Runs in `npm run test:torture`, not `npm test` (minutes).
// The seed is printed; CORRIDOR_TORTURE_SEED replays its kill times.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import pg from 'pg';
import { freshDatabase, stopPostgres, testPostgres, type TestPostgres } from '../../testing/postgres.js';
import { TcpProxy } from '../../testing/tcp-proxy.js';
import {
  assertAcknowledgedPresent, assertBalancesConsistent, assertSupply, assertWhole, call,
  corridor, createLoadKeys, driveLoad, initNetwork, killNode, legsByPayment, seededIntegers,
  startNode, tortureKills, tortureSeed, type Acknowledged, type LoadKeys, type NodeProcess,
} from '../../testing/torture.js';
import { PostgresStore } from './postgres-store.js';
import { SESSION_DEFAULTS } from './sessions.js';

const KILLS = tortureKills();
const WINDOW_MS_MIN = 100;
const WINDOW_MS_MAX = 600;
const WORKERS = 8;
/** docs/operations-postgres.md: takeover after a crash or a reset connection. */
const TAKEOVER_BOUND_MS = 10_000;
/** After a partition: the lease session's idle timeout, or a cut statement's timeout. */
const PARTITION_BOUND_MS = SESSION_DEFAULTS.writerStatementMs + 5_000;
/** Exit status of a node that lost the writer lease (src/cli/server-commands.ts). */
const EXIT_LEASE_LOST = 75;

const seed = tortureSeed();
const windows = seededIntegers(seed, KILLS + 4, WINDOW_MS_MIN, WINDOW_MS_MAX);
const directory = mkdtempSync(join(tmpdir(), 'corridor-pg-torture-'));
const nodes: NodeProcess[] = [];
let server: TestPostgres;

before(async () => {
  console.log(`failover torture seed: ${seed} (CORRIDOR_TORTURE_SEED=${seed} replays it)`);
  // fsync on: the server must come back whole from restart().
  server = await testPostgres({ fast: false });
});

after(async () => {
  for (const node of nodes) await killNode(node);
  await stopPostgres();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, boundMs = 60_000): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    assert.ok(performance.now() - started < boundMs, `${what} did not happen in ${boundMs} ms`);
    await sleep(10);
  }
}

/** A node on the store; resolves once it printed its first line (writer or standby). */
async function launch(name: string, store: string, role: 'url' | 'standby'):
  Promise<{ node: NodeProcess; url: string; name: string; store: string }> {
  const node = startNode(join(directory, name), store);
  nodes.push(node);
  const line = await node.next();
  assert.equal(typeof line[role], 'string', `${name} did not start as ${role}: ${JSON.stringify(line)}`);
  return { node, url: String(line[role]), name, store };
}

/** A network on a fresh database: a writer and a standby, keys for the load. */
async function cluster(label: string, writerStore?: (store: string) => string) {
  const store = await freshDatabase(`corridor_${label}`);
  const operatorKey = initNetwork(join(directory, label), store);
  const writer = await launch(`${label}-a`, writerStore?.(store) ?? store, 'url');
  const standby = await launch(`${label}-b`, store, 'standby');
  const keys = await createLoadKeys(writer.url, operatorKey);
  return { store, operatorKey, writer, standby, keys, acknowledged: new Map() as Acknowledged };
}

type Cluster = Awaited<ReturnType<typeof cluster>>;

/** Load on the writer until a seeded while after its first acknowledgment; then `fail()`. */
async function underLoad(cluster: Cluster, run: number, fail: () => Promise<void>) {
  const before = cluster.acknowledged.size;
  const load = driveLoad(cluster.writer.url, cluster.keys, { workers: WORKERS, seed: seed + run,
    prefix: `pt-${run}`, acknowledged: cluster.acknowledged });
  await until(() => cluster.acknowledged.size > before, 'an acknowledgment');
  await sleep(windows[run] ?? WINDOW_MS_MIN);
  const failedAt = performance.now();
  await fail();
  return { failedAt, stopLoad: () => load.stop() };
}

/** Waits for the standby to take over; returns how long it took since `since`. */
async function takeOver(cluster: Cluster, since: number, boundMs: number): Promise<number> {
  const line = await cluster.standby.node.next();
  const tookMs = performance.now() - since;
  assert.equal(line['url'], cluster.standby.url, `no takeover: ${JSON.stringify(line)}`);
  assert.ok(tookMs <= boundMs, `takeover took ${Math.round(tookMs)} ms (bound ${boundMs} ms)`);
  return tookMs;
}

/** The standby is the writer now; the old writer comes back as the standby. */
async function swap(cluster: Cluster): Promise<void> {
  const old = cluster.writer;
  cluster.writer = cluster.standby;
  cluster.standby = await launch(old.name, old.store, 'standby');
}

/**
 * The end of a scenario: every acknowledged payment is on the writer, supply holds; both nodes
 * stop; then from the database alone: the journal's sequence is 1..n with no gap or repeat,
 * every payment is whole and appears once, balances add up, and `corridor verify` passes.
 */
async function finish(cluster: Cluster): Promise<void> {
  const { writer, standby, operatorKey, acknowledged, store } = cluster;
  const statuses = await assertAcknowledgedPresent(writer.url, operatorKey, acknowledged);
  await assertSupply(writer.url, operatorKey);
  // A standby holds nothing to commit: SIGTERM ends it at once. The writer stops cleanly.
  await killNode(standby.node);
  writer.node.child.kill('SIGTERM');
  assert.equal(await writer.node.exited, 0, 'the writer did not stop cleanly');
  const reader = new PostgresStore({ connectionString: store, readOnly: true });
  try {
    const [journal] = await reader.query<{ entries: string; first: string; last: string }>(
      'SELECT COUNT(*)::text AS entries, MIN(sequence)::text AS first, ' +
      'MAX(sequence)::text AS last FROM journal');
    assert.equal(journal?.first, '1');
    assert.equal(journal.last, journal.entries, 'the journal sequence has a gap');
    const rows = await reader.query<{ id: string; reference: string; state: string }>(
      "SELECT id, reference, state FROM transfers WHERE reference LIKE 'pm:%'");
    assertWhole(legsByPayment(rows), acknowledged, statuses);
    await assertBalancesConsistent(reader);
  } finally {
    await reader.close();
  }
  const verify = corridor(['verify', '--store', store, '--json']);
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  assert.equal((JSON.parse(verify.stdout) as { ok: boolean }).ok, true);
}

/** Runs SQL on the test server's database of `store` (as the superuser). */
async function admin(store: string, sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: store });
  await client.connect();
  try {
    return (await client.query(sql)).rowCount ?? 0;
  } finally {
    await client.end();
  }
}

/** What a node whose writer connection died does: exits non-zero, or refuses every write. */
async function assertStopsWriting(node: NodeProcess, url: string, keys: LoadKeys): Promise<void> {
  const exited = await Promise.race([node.exited, sleep(3_000).then(() => 'running' as const)]);
  if (exited !== 'running') {
    assert.notEqual(exited, 0, 'a writer that lost its connection exited 0');
    return;
  }
  const refused = await call(url, keys.payer, 'POST', '/v1/payments', { id: 'pt-after-failure',
    endToEndId: 'pt-after-failure', creditorAgent: 'br-other', currency: 'BRL', amount: '1.00',
    debtor: { name: 'A', account: 'A1' }, creditor: { name: 'B', account: 'B1' } });
  assert.equal(refused.status, 503, JSON.stringify(refused.body));
  // A supervisor restarts a writer that cannot write; until then it holds the lease.
  await killNode(node);
}

it(`the writer SIGKILLed ${KILLS} times under load: each time the standby takes over, ` +
  'losing nothing', async () => {
  const cluster0 = await cluster('kills');
  const took: number[] = [];
  for (let kill = 0; kill < KILLS; kill++) {
    const before = new Set(cluster0.acknowledged.keys());
    const killed = cluster0.writer.node;
    const { failedAt, stopLoad } = await underLoad(cluster0, kill, () => killNode(killed));
    await stopLoad();
    took.push(await takeOver(cluster0, failedAt, TAKEOVER_BOUND_MS));
    await assertAcknowledgedPresent(cluster0.standby.url, cluster0.operatorKey,
      cluster0.acknowledged, [...cluster0.acknowledged.keys()].filter((id) => !before.has(id)));
    await swap(cluster0);
  }
  await finish(cluster0);
  took.sort((a, b) => a - b);
  console.log(`${KILLS} takeovers: median ${Math.round(took[KILLS >> 1] ?? 0)} ms, max ` +
    `${Math.round(took.at(-1) ?? 0)} ms; ${cluster0.acknowledged.size} payments acknowledged`);
});

it('the writer connection, then the lease connection, terminated by the server', async () => {
  const cluster1 = await cluster('terminate');
  const first = cluster1.writer;
  const { failedAt, stopLoad } = await underLoad(cluster1, KILLS, async () => {
    const ended = await admin(cluster1.store, 'SELECT pg_terminate_backend(pid) FROM ' +
      "pg_stat_activity WHERE application_name = 'corridor-writer' " +
      'AND datname = current_database()');
    assert.equal(ended, 1);
  });
  await assertStopsWriting(first.node, first.url, cluster1.keys);
  await stopLoad();
  const writerMs = await takeOver(cluster1, failedAt, TAKEOVER_BOUND_MS + 3_000);
  await swap(cluster1);

  const second = cluster1.writer;
  const lease = await underLoad(cluster1, KILLS + 1, async () => {
    const ended = await admin(cluster1.store, 'SELECT pg_terminate_backend(l.pid) FROM ' +
      "pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.database = " +
      '(SELECT oid FROM pg_database WHERE datname = current_database())');
    assert.equal(ended, 1);
  });
  assert.equal(await second.node.exited, EXIT_LEASE_LOST);
  await lease.stopLoad();
  const leaseMs = await takeOver(cluster1, lease.failedAt, TAKEOVER_BOUND_MS);
  await swap(cluster1);
  await finish(cluster1);
  console.log(`writer connection killed: new writer in ${Math.round(writerMs)} ms; lease ` +
    `connection killed: new writer in ${Math.round(leaseMs)} ms`);
});

it('PostgreSQL restarted under load: the writer fences, the standby takes over', async () => {
  const cluster2 = await cluster('restart');
  const first = cluster2.writer;
  const { failedAt, stopLoad } = await underLoad(cluster2, KILLS + 2, () => server.restart());
  assert.equal(await first.node.exited, EXIT_LEASE_LOST);
  await stopLoad();
  const tookMs = await takeOver(cluster2, failedAt, TAKEOVER_BOUND_MS);
  await swap(cluster2);
  await finish(cluster2);
  console.log(`PostgreSQL restart: new writer ${Math.round(tookMs)} ms after the restart began`);
});

it('the writer partitioned from PostgreSQL: it fences itself, the server frees its lease, ' +
  'the standby takes over', async () => {
  const target = new URL(server.url);
  const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port) });
  try {
    // Only the first writer goes through the proxy: the standby keeps its own path.
    const cluster3 = await cluster('partition', (store) => proxy.rewrite(store));
    const first = cluster3.writer;
    const { failedAt, stopLoad } = await underLoad(cluster3, KILLS + 3, async () => {
      proxy.partition();
    });
    // Its lease heartbeat times out (1 s): it stops committing and exits for its supervisor.
    assert.equal(await first.node.exited, EXIT_LEASE_LOST);
    const fencedMs = performance.now() - failedAt;
    await stopLoad();
    // The server sees nothing of it: its sessions end by their own timeouts (sessions.ts).
    const tookMs = await takeOver(cluster3, failedAt, PARTITION_BOUND_MS);
    proxy.heal();
    await swap(cluster3);
    await finish(cluster3);
    console.log(`partition: the writer fenced itself after ${Math.round(fencedMs)} ms; ` +
      `new writer after ${Math.round(tookMs)} ms`);
  } finally {
    await proxy.close();
  }
});
