// Proves that corridor verify only reads: run as the CLI (a child process) on the data
// directory of a node under write load, the node keeps committing and verify finds no false
// mismatch; on a stopped node's files it changes no byte; on a corrupted copy --json carries
// the problems (exit 4); a directory it cannot read without writing is refused (exit 3). And a
// `corridor start` whose writer dies (another process wrote to its journal) exits 74.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync,
  writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Network } from '../service/service.js';
import { NODE_DEFAULTS } from '../server/node-config.js';
import { startNode, type RunningNode } from '../server/node.js';
import { databasePath } from '../server/store-config.js';
import { paymentInput, testNetworkConfig } from '../testing/network-fixtures.js';
import { CORRIDOR_BIN as MAIN } from '../testing/corridor-bin.js';

const directory = mkdtempSync(join(tmpdir(), 'corridor-verify-'));
const dataDir = join(directory, 'live');
const CONCURRENCY = 8;

after(() => rmSync(directory, { recursive: true, force: true }));

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The corridor command in a child process, without blocking this one (a node runs here). */
function corridor(args: readonly string[]): Promise<Run> {
  const child = spawn(process.execPath, [MAIN, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

interface Report {
  ok: boolean;
  entries: number;
  projectedThrough: number;
  problems: { code: string; message: string }[];
}

/** Pays until stop() from several loops; counts what was acknowledged and what failed. */
function writeLoad(network: Network): { acknowledged: () => number; failures: string[];
  stop: () => Promise<void> } {
  let running = true;
  let acknowledged = 0;
  let next = 0;
  const failures: string[] = [];
  const loop = async (): Promise<void> => {
    while (running) {
      const result = await network.pay('br-bank', paymentInput({ id: `load-${next++}`,
        creditorAgent: 'br-other', currency: 'BRL', amount: 1n })).catch((error: unknown) =>
        ({ code: String(error) }));
      if (result.code === 'ok') acknowledged += 1;
      else failures.push(result.code);
    }
  };
  const loops = Array.from({ length: CONCURRENCY }, loop);
  return { acknowledged: () => acknowledged, failures, stop: async () => {
    running = false;
    await Promise.all(loops);
  } };
}

/** A hang guard, not a timing assertion: a node that never exits fails the test instead. */
function bounded<T>(promise: Promise<T>, what: string, ms = 60_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${ms} ms for ${what}`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

function digest(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe('corridor verify is read-only', () => {
  let node: RunningNode | undefined;
  after(async () => node?.stop());

  it('on a running node under write load: the node keeps committing, verify finds it intact',
    async () => {
      mkdirSync(dataDir, { recursive: true });
      node = await startNode({ mode: 'network', networkConfig: testNetworkConfig(),
        config: { ...NODE_DEFAULTS, dataDir, port: 0, logLevel: 'silent', trafficPerSecond: 0 } });
      const load = writeLoad(node.network);
      try {
        for (let run = 0; run < 2; run++) {
          const before = load.acknowledged();
          const verify = await corridor(['verify', '--data-dir', dataDir, '--json']);
          assert.equal(verify.status, 0, `${verify.stdout}\n${verify.stderr}`);
          const report = JSON.parse(verify.stdout) as Report;
          assert.equal(report.ok, true);
          assert.deepEqual(report.problems, []);
          assert.ok(report.entries > 0 && report.projectedThrough <= report.entries);
          assert.ok(load.acknowledged() > before, 'the node committed while verify ran');
        }
        const before = load.acknowledged();
        // The node still commits after verify ended (or a failure ends the wait, and fails below).
        while (load.acknowledged() < before + 50 && load.failures.length === 0) {
          await new Promise((resolve) => setImmediate(resolve));
        }
      } finally {
        await load.stop();
      }
      assert.deepEqual(load.failures, [], 'a write failed while verify ran');
      assert.equal(node.network.failure, undefined, 'the writer stopped');
      await node.stop();
      node = undefined;
    });

  it('on a stopped node, changes no byte of the databases', async () => {
    const files = [databasePath(dataDir), `${databasePath(dataDir)}-projection`];
    const before = files.map(digest);
    const verify = await corridor(['verify', '--data-dir', dataDir]);
    assert.equal(verify.status, 0, verify.stderr);
    assert.match(verify.stdout, /Verified/);
    assert.deepEqual(files.map(digest), before);
    // A read-only connection may leave an empty write-ahead log behind, never a frame.
    for (const file of files) {
      if (existsSync(`${file}-wal`)) assert.equal(statSync(`${file}-wal`).size, 0);
    }
  });

  it('--json carries the problems of a corrupted copy, and exits 4', async () => {
    const copy = join(directory, 'corrupted');
    mkdirSync(copy);
    for (const suffix of ['', '-projection']) {
      copyFileSync(`${databasePath(dataDir)}${suffix}`, `${databasePath(copy)}${suffix}`);
    }
    const projection = new Database(`${databasePath(copy)}-projection`);
    projection.exec('UPDATE transfers SET amount = amount + 1 ' +
      'WHERE sequence = (SELECT MAX(sequence) FROM transfers WHERE kind = 0)');
    projection.close();
    const verify = await corridor(['verify', '--data-dir', copy, '--json']);
    assert.equal(verify.status, 4, verify.stderr);
    const report = JSON.parse(verify.stdout) as Report;
    assert.equal(report.ok, false);
    assert.ok(report.problems.some((problem) => problem.code === 'balance_mismatch'),
      JSON.stringify(report.problems));
    assert.match(verify.stderr, /Verification failed/);
  });

  it('refuses, with exit 3 and no write, a directory it could only read by migrating it',
    async () => {
      const empty = join(directory, 'unmigrated');
      mkdirSync(empty);
      writeFileSync(databasePath(empty), '');
      writeFileSync(`${databasePath(empty)}-projection`, '');
      const verify = await corridor(['verify', '--data-dir', empty]);
      assert.equal(verify.status, 3, verify.stderr);
      assert.match(verify.stderr, /Cannot verify: .*start the node on it once/);
      assert.equal(statSync(databasePath(empty)).size, 0);
    });
});

describe('corridor start when its writer dies', () => {
  it('exits 74 after saying why, and answered writes with 503 meanwhile', async () => {
    const networkDir = join(directory, 'start');
    const file = join(directory, 'network.json');
    writeFileSync(file, JSON.stringify(testNetworkConfig()));
    const init = await corridor(['init', '--config', file, '--data-dir', networkDir, '--json']);
    assert.equal(init.status, 0, init.stderr);
    const { operatorKey } = JSON.parse(init.stdout) as { operatorKey: string };
    const child = spawn(process.execPath, [MAIN, 'start', '--data-dir',
      networkDir, '--port', '0', '--log-level', 'error', '--json'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const line = await new Promise<string>((resolve) =>
        createInterface({ input: child.stdout }).once('line', resolve));
      const { url } = JSON.parse(line) as { url: string };
      // Another process appends to the node's journal (what verify once did to projections):
      // the node's next commit collides with it, and its writer must stop.
      const journal = new Database(databasePath(networkDir));
      journal.pragma('busy_timeout = 5000');
      journal.exec('INSERT INTO journal (sequence, now, payload, previous_hash, hash) ' +
        "SELECT MAX(sequence) + 1, 0, '[]', 'x', 'y' FROM journal");
      journal.close();
      const answer = await fetch(`${url}/v1/keys`, { method: 'POST', headers: {
        authorization: `Bearer ${operatorKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ participantId: 'br-bank' }) }).catch(() => undefined);
      if (answer !== undefined) assert.equal(answer.status, 503);
      const failedAt = performance.now();
      assert.equal(await bounded(exited, 'corridor start to exit'), 74, stderr);
      console.log(`corridor start exited ${Math.round(performance.now() - failedAt)} ms after ` +
        'its writer was broken');
      assert.match(stderr, /the writer stopped/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
