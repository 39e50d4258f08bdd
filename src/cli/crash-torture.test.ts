// Proves, on SQLite, that a node SIGKILLed 30 times at random moments under HTTP load
// (cross-border, domestic and two-phase payments) loses nothing it acknowledged and never
// half-applies a payment: after every restart each payment acknowledged before the kill is
// there, in a state it may be in; at the end every payment's legs are all posted, all pending
// or all voided, balances and supply per currency add up, and `corridor verify` passes.
// The kill times come from a seed printed at the start (CORRIDOR_TORTURE_SEED replays one).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { databasePath } from '../server/store-config.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import {
  assertAcknowledgedPresent, assertBalancesConsistent, assertSupply, assertWhole,
  corridor, createLoadKeys, driveLoad, initNetwork, killNode, seededIntegers, startNode,
  legsByPayment, tortureKills, tortureSeed, type Acknowledged, type LegStates, type NodeProcess,
} from '../testing/torture.js';

const KILLS = tortureKills();
/** The load runs this long (ms) between a node's start and its kill, seeded. */
const WINDOW_MS_MIN = 100;
const WINDOW_MS_MAX = 600;
const WORKERS = 8;

const nodes: NodeProcess[] = [];
after(async () => {
  for (const node of nodes) await killNode(node);
});

async function start(dataDir: string): Promise<{ node: NodeProcess; url: string }> {
  const node = startNode(dataDir);
  nodes.push(node);
  const line = await node.next();
  assert.equal(typeof line['url'], 'string', `the node did not start: ${JSON.stringify(line)}`);
  return { node, url: String(line['url']) };
}

/** Polls (bounded) until the condition holds. */
async function until(condition: () => boolean): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    assert.ok(performance.now() - started < 60_000, 'the node acknowledged nothing for a minute');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every transfer that is a payment's leg, grouped by payment. */
async function paymentLegs(store: SqliteStore): Promise<Map<string, LegStates>> {
  const rows = await store.readProjection((database) => database.prepare(
    "SELECT id, reference FROM transfers WHERE reference LIKE 'pm:%'").all() as
    { id: string; reference: string }[]);
  const states = await Promise.all(rows.map(async (row) =>
    ({ ...row, state: (await store.transfer(row.id))?.state ?? 'missing' })));
  return legsByPayment(states);
}

it(`a node SIGKILLed ${KILLS} times under load keeps every acknowledged payment whole`, async () => {
  const seed = tortureSeed();
  console.log(`crash torture seed: ${seed} (CORRIDOR_TORTURE_SEED=${seed} replays the kill times)`);
  const windows = seededIntegers(seed, KILLS, WINDOW_MS_MIN, WINDOW_MS_MAX);
  const directory = mkdtempSync(join(tmpdir(), 'corridor-torture-'));
  const dataDir = join(directory, 'init');
  const operatorKey = initNetwork(directory);

  let { node, url } = await start(dataDir);
  const keys = await createLoadKeys(url, operatorKey);
  const acknowledged: Acknowledged = new Map();
  let attempted = 0;
  let restartMs = 0;
  for (let kill = 0; kill < KILLS; kill++) {
    const before = new Set(acknowledged.keys());
    const load = driveLoad(url, keys, { workers: WORKERS, seed: seed + kill, prefix: `ct-${kill}`,
      acknowledged });
    // The kill lands a seeded while after the run's first acknowledgment: always under load.
    await until(() => acknowledged.size > before.size);
    await new Promise((resolve) => setTimeout(resolve, windows[kill]));
    await killNode(node);
    await load.stop();
    attempted += load.attempted.size;
    const started = performance.now();
    ({ node, url } = await start(dataDir));
    restartMs += performance.now() - started;
    // What this run acknowledged is there after the restart (earlier runs' are checked at the end).
    const fresh = [...acknowledged.keys()].filter((id) => !before.has(id));
    await assertAcknowledgedPresent(url, operatorKey, acknowledged, fresh);
  }
  const statuses = await assertAcknowledgedPresent(url, operatorKey, acknowledged);
  await assertSupply(url, operatorKey);
  node.child.kill('SIGTERM');
  assert.equal(await node.exited, 0, 'the node did not stop cleanly');

  const verify = corridor(['verify', '--data-dir', dataDir, '--json']);
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  assert.equal((JSON.parse(verify.stdout) as { ok: boolean }).ok, true);

  const store = new SqliteStore({ path: databasePath(dataDir) });
  await store.open();
  try {
    assertWhole(await paymentLegs(store), acknowledged, statuses);
    await assertBalancesConsistent(store);
  } finally {
    await store.close();
  }
  console.log(`crash torture: ${KILLS} kills, ${acknowledged.size} payments acknowledged of ` +
    `${attempted} attempted; a restart took ${Math.round(restartMs / KILLS)} ms on average`);
});
