// Proves standby takeover on PostgreSQL without loss: two nodes on one database, the writer
// holds the lease and takes payments over HTTP while the standby follows its journal, serves
// reads and refuses writes with 503 not_writer; the writer is SIGKILLed under load; the
// standby takes over within the documented bound (10 s), every acknowledged payment
// survives, no payment is half-applied, and verify passes.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { testNetworkConfig } from '../../testing/network-fixtures.js';
import { freshDatabase, stopPostgres, testPostgres } from '../../testing/postgres.js';
import { PostgresStore } from './postgres-store.js';
import { CORRIDOR_BIN as MAIN } from '../../testing/corridor-bin.js';

const TAKEOVER_BOUND_MS = 10_000;
const directory = mkdtempSync(join(tmpdir(), 'corridor-takeover-'));
const children: ChildProcess[] = [];

interface Node {
  readonly child: ChildProcess;
  /** Resolves with each JSON line the node prints, in order. */
  next(): Promise<Record<string, unknown>>;
}

function startNode(store: string, name: string): Node {
  const child = spawn(process.execPath, [MAIN, 'start', '--store', store,
    '--data-dir', join(directory, name), '--port', '0', '--log-level', 'warn', '--json'],
  { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  // A node that dies prints this line: whoever waits for its next line fails at once.
  child.once('exit', (code) => {
    for (const waiter of waiters.splice(0)) waiter(JSON.stringify({ exited: code }));
    lines.push(JSON.stringify({ exited: code }));
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const waiter = waiters.shift();
    if (waiter === undefined) lines.push(line);
    else waiter(line);
  });
  return {
    child,
    next: async () => {
      const line = lines.shift() ?? await new Promise<string>((resolve) => waiters.push(resolve));
      return JSON.parse(line) as Record<string, unknown>;
    },
  };
}

async function call(url: string, key: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, { method, headers: {
    authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }),
  }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: response.status, body: await response.json() as Record<string, unknown>,
    retryAfter: response.headers.get('retry-after') };
}

function errorCode(body: Record<string, unknown>): unknown {
  return (body['error'] as Record<string, unknown> | undefined)?.['code'];
}

/** Polls a standby until it has applied the payment (it reads the journal every 200 ms). */
async function followed(url: string, key: string, id: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    const answer = await call(url, key, 'GET', `/v1/payments/${id}`);
    if (answer.status === 200 && answer.body['status'] === 'ACCC') {
      return performance.now() - started;
    }
    assert.ok(performance.now() - started < 5_000, `the standby never showed payment ${id}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function payment(id: string) {
  return { id, creditorAgent: 'br-other', currency: 'BRL', amount: '1.00', endToEndId: id,
    debtor: { name: 'Soja Exportadora Ltda', account: 'BR1800000000000000000000001' },
    creditor: { name: 'Outra Empresa Ltda', account: 'BR1800000000000000000000002' } };
}

/** Sends payments from `workers` loops until stopped; returns the acknowledged ids. */
function driveLoad(url: string, key: string, workers: number) {
  const acknowledged = new Set<string>();
  const attempted = new Set<string>();
  let running = true;
  let next = 0;
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const id = `tk-${next++}`;
      attempted.add(id);
      try {
        const answer = await call(url, key, 'POST', '/v1/payments', payment(id));
        if (answer.status === 201 && answer.body['status'] === 'ACCC') acknowledged.add(id);
      } catch {
        return; // the writer is gone: this payment's outcome is unknown to the client
      }
    }
  });
  return { acknowledged, attempted, stop: async () => {
    running = false;
    await Promise.all(loops);
  } };
}

function corridor(args: string[]) {
  return spawnSync(process.execPath, [MAIN, ...args],
    { encoding: 'utf8', timeout: 60_000 });
}

before(async () => {
  await testPostgres();
});

after(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await stopPostgres();
});

describe('PostgreSQL standby takeover', () => {
  it('a SIGKILLed writer is replaced by the standby within the bound, losing nothing', async () => {
    const store = await freshDatabase('corridor_takeover');
    const file = join(directory, 'network.json');
    writeFileSync(file, JSON.stringify(testNetworkConfig()));
    const init = corridor(['init', '--config', file, '--store', store,
      '--data-dir', join(directory, 'init'), '--json']);
    assert.equal(init.status, 0, init.stderr);
    const operatorKey = String((JSON.parse(init.stdout) as { operatorKey: string }).operatorKey);

    const writer = startNode(store, 'a');
    const writerUrl = String((await writer.next())['url']);
    const standby = startNode(store, 'b');
    const standbyLine = await standby.next();
    assert.equal(typeof standbyLine['standby'], 'string', JSON.stringify(standbyLine));
    const standbyUrl = String(standbyLine['standby']);
    // The standby serves reads from the journal it follows, and refuses writes.
    const participants = await call(standbyUrl, operatorKey, 'GET', '/v1/participants');
    assert.equal(participants.status, 200, JSON.stringify(participants.body));
    const status = await call(standbyUrl, operatorKey, 'GET', '/v1/status');
    assert.equal(status.body['role'], 'standby');
    const refused = await call(standbyUrl, operatorKey, 'POST', '/v1/keys',
      { participantId: 'br-bank' });
    assert.equal(refused.status, 503);
    assert.equal(errorCode(refused.body), 'not_writer');
    assert.equal(refused.retryAfter, '1');

    const created = await call(writerUrl, operatorKey, 'POST', '/v1/keys',
      { participantId: 'br-bank' });
    const bankKey = String(created.body['key']);
    const load = driveLoad(writerUrl, bankKey, 16);
    while (load.acknowledged.size < 300) await new Promise((resolve) => setTimeout(resolve, 50));
    // The bank's new key and its payments reach the standby within moments.
    const lagMs = await followed(standbyUrl, bankKey, [...load.acknowledged][0] ?? '');
    const refusedPayment = await call(standbyUrl, bankKey, 'POST', '/v1/payments',
      payment('tk-standby'));
    assert.equal(refusedPayment.status, 503);
    assert.equal(errorCode(refusedPayment.body), 'not_writer');
    writer.child.kill('SIGKILL');
    const killedAt = performance.now();
    await load.stop();

    const takeover = await standby.next();
    const tookMs = performance.now() - killedAt;
    assert.ok(tookMs <= TAKEOVER_BOUND_MS, `takeover took ${Math.round(tookMs)} ms`);
    assert.equal(typeof takeover['url'], 'string', JSON.stringify(takeover));
    const newUrl = String(takeover['url']);
    assert.equal(newUrl, standbyUrl);

    for (const id of load.acknowledged) {
      const answer = await call(newUrl, bankKey, 'GET', `/v1/payments/${id}`);
      assert.equal(answer.body['status'], 'ACCC', `acknowledged payment ${id} was lost`);
    }
    // Unknown outcomes are retried with the same id: idempotent, so each settles exactly once.
    const retry = await call(newUrl, bankKey, 'POST', '/v1/payments', payment('tk-after'));
    assert.equal(retry.status, 201);
    const promoted = await call(newUrl, operatorKey, 'GET', '/v1/status');
    assert.equal(promoted.body['role'], 'writer');

    const reader = new PostgresStore({ connectionString: store, readOnly: true });
    // A payment's legs carry its network id ("pm:…"); every payment here is one of the load's.
    const groups = await reader.query<{ reference: string; legs: string }>(
      "SELECT reference, COUNT(*)::text AS legs FROM transfers WHERE reference LIKE 'pm:%' " +
      'GROUP BY reference');
    await reader.close();
    const legs = new Set(groups.map((group) => group.legs));
    assert.equal(legs.size, 1, `payments with differing leg counts: ${[...legs].join(', ')}`);
    assert.ok(groups.length >= load.acknowledged.size + 1);
    assert.ok(groups.length <= load.attempted.size + 1);

    standby.child.kill('SIGTERM');
    await new Promise((resolve) => standby.child.once('exit', resolve));
    const verify = corridor(['verify', '--store', store, '--json']);
    assert.equal(verify.status, 0, verify.stderr);
    const report = JSON.parse(verify.stdout) as { ok: boolean; payments: number };
    assert.equal(report.ok, true);
    assert.equal(report.payments, groups.length);
    console.log(`standby lag: ${Math.round(lagMs)} ms; takeover: ${Math.round(tookMs)} ms; ` +
      `${load.acknowledged.size} acknowledged, ` +
      `${load.attempted.size} attempted, ${groups.length} settled`);
  });
});
