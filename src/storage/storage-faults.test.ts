// Proves what a node does when its disk fails under load (disk full, an fsync or I/O error):
// the writer stops cleanly, nothing is acknowledged that is not durable (every submit after
// the fault fails; every acknowledged payment is there after a restart), the node says so
// (/ready 503 with the reason), and a restart once the fault is cleared loses nothing. Faults
// come from a store wrapper (ENOSPC, EIO at a chosen commit) and from a real full tmpfs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it, type TestContext } from 'node:test';
import { createKeys } from '../service/bootstrap.js';
import { openNetwork, type Network } from '../service/service.js';
import { verifyNetwork } from '../service/verify.js';
import { PipelineError } from '../pipeline/commit-pipeline.js';
import { NODE_DEFAULTS } from '../server/node-config.js';
import { startNode } from '../server/node.js';
import { databasePath } from '../server/store-config.js';
import { FaultyStore, type DiskFault } from '../testing/faulty-store.js';
import { paymentInput, testNetworkConfig } from '../testing/network-fixtures.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

const directory = mkdtempSync(join(tmpdir(), 'corridor-faults-'));
/** Payments tried at most per run: the fault comes long before (bounds a broken test). */
const PAYMENTS_MAX = 20_000;
const CONCURRENCY = 16;

after(() => rmSync(directory, { recursive: true, force: true }));

interface Load {
  readonly acknowledged: string[];
  /** Submits that failed, each with the error's code. */
  readonly failed: string[];
}

/** Pays from `CONCURRENCY` loops until the writer stops (or PAYMENTS_MAX), recording outcomes. */
async function payUntilStopped(network: Network, prefix: string, arm?: () => void): Promise<Load> {
  const load: Load = { acknowledged: [], failed: [] };
  let next = 0;
  const loop = async (): Promise<void> => {
    while (next < PAYMENTS_MAX && load.failed.length === 0) {
      const id = `${prefix}-${next++}`;
      try {
        const result = await network.pay('br-bank', paymentInput({ id, creditorAgent: 'br-other',
          currency: 'BRL', amount: 1n }));
        assert.equal(result.code, 'ok', result.message);
        load.acknowledged.push(id);
        // Armed once 200 are acknowledged (not when the 200th is sent: up to CONCURRENCY
        // earlier ones may still be in the batch the fault fails).
        if (load.acknowledged.length === 200) arm?.();
      } catch (error) {
        load.failed.push(error instanceof PipelineError ? error.code : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  return load;
}

/** After a restart on the real files: every acknowledged payment is there, verify passes. */
async function assertRecovered(path: string, acknowledged: readonly string[]): Promise<void> {
  const network = await openNetwork({ store: new SqliteStore({ path }) });
  try {
    const lost: string[] = [];
    for (const id of acknowledged) {
      if ((await network.reads.paymentOf('br-bank', id))?.status !== 'ACCC') lost.push(id);
    }
    assert.deepEqual(lost, [], 'acknowledged payments were lost');
    const after = await network.pay('br-bank', paymentInput({ id: `after-${acknowledged.length}`,
      creditorAgent: 'br-other', currency: 'BRL', amount: 1n }));
    assert.equal(after.code, 'ok', 'the restarted node takes writes');
    const report = await verifyNetwork(network.store);
    assert.equal(report.ok, true, JSON.stringify(report.problems));
  } finally {
    await network.close();
  }
}

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() as Record<string, unknown> };
}

describe('storage faults through a failing store (the real SQLite store behind it)', () => {
  for (const fault of ['ENOSPC', 'EIO'] as const satisfies readonly DiskFault[]) {
    it(`${fault} at a commit under load stops the writer, acknowledges nothing more, and a ` +
      'restart recovers everything acknowledged', async () => {
      const dataDir = join(directory, `wrapper-${fault}`);
      mkdirSync(dataDir, { recursive: true });
      const store = new FaultyStore(new SqliteStore({ path: databasePath(dataDir) }));
      const stopped: Error[] = [];
      const node = await startNode({ mode: 'network', networkConfig: testNetworkConfig(), store,
        config: { ...NODE_DEFAULTS, dataDir, port: 0, logLevel: 'silent', trafficPerSecond: 0 },
        onWriterStopped: (error) => stopped.push(error) });
      try {
        const load = await payUntilStopped(node.network, fault,
          () => store.failAfter(1 + Math.floor(Math.random() * 20), fault));
        assert.ok(load.acknowledged.length >= 200, 'payments before the fault were acknowledged');
        assert.ok(load.failed.length > 0 && load.failed.every((code) => code === 'pipeline_failed'),
          `after the fault every submit failed with pipeline_failed: ${load.failed.join(', ')}`);
        assert.equal(stopped.length, 1, 'onWriterStopped was called once');
        assert.match(node.network.failure?.message ?? '', new RegExp(fault));
        await assert.rejects(node.network.pay('br-bank', paymentInput({ creditorAgent: 'br-other',
          currency: 'BRL', amount: 1n })), (error: unknown) =>
          error instanceof PipelineError && error.code === 'pipeline_failed');

        const ready = await getJson(`${node.url}/ready`);
        assert.equal(ready.status, 503);
        const reason = ready.body['reason'] as { code: string; message: string };
        assert.equal(reason.code, 'writer_stopped');
        assert.match(reason.message, new RegExp(fault));
        const health = await getJson(`${node.url}/health`);
        assert.deepEqual(health.body['reason'], reason);
        await assert.rejects(createKeys(node.network, ['br-bank']),
          (error: unknown) => error instanceof PipelineError && error.code === 'pipeline_failed');
        const operator = { authorization: `Bearer ${node.keys[0]?.key ?? ''}` };
        const status = await fetch(`${node.url}/v1/status`, { headers: operator });
        const body = await status.json() as { role: string; failure: unknown };
        assert.equal(body.role, 'stopped');
        assert.deepEqual(body.failure, reason);
        const refused = await fetch(`${node.url}/v1/keys`, { method: 'POST',
          headers: { ...operator, 'content-type': 'application/json' },
          body: JSON.stringify({ participantId: 'br-bank' }) });
        assert.equal(refused.status, 503);
        assert.equal(refused.headers.get('retry-after'), null, 'a stopped writer says no retry');
        assert.equal((await refused.json() as { error: { code: string } }).error.code,
          'pipeline_failed');
        await node.stop();
        await assertRecovered(databasePath(dataDir), load.acknowledged);
      } finally {
        await node.stop();
      }
    });
  }
});

/** Why a real tmpfs cannot be had here, or undefined if it was mounted at `path`. */
function mountTmpfs(path: string, sizeBytes: number): string | undefined {
  if (process.platform !== 'linux') return `tmpfs needs Linux (this is ${process.platform})`;
  mkdirSync(path, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', path],
    { encoding: 'utf8', timeout: 10_000 });
  if (mounted.status === 0) return undefined;
  return `mount -t tmpfs failed (uid ${process.getuid?.() ?? '?'}; mounting needs root or ` +
    `CAP_SYS_ADMIN): ${(mounted.stderr || mounted.error?.message || '').trim()}`;
}

describe('storage faults on a real full disk (tmpfs)', () => {
  it('a full disk stops the writer cleanly; freeing space and restarting loses nothing',
    async (t: TestContext) => {
      const mountPoint = join(directory, 'tmpfs');
      const why = mountTmpfs(mountPoint, 32 * 1024 * 1024);
      if (why !== undefined) {
        // Not skipped in silence: the output says why, and CI (which runs as root) must mount.
        t.diagnostic(`real-disk ENOSPC not run, the failing-store tests above cover it: ${why}`);
        assert.ok(process.env['CI'] !== 'true' || process.getuid?.() !== 0,
          `CI runs as root, so tmpfs must mount: ${why}`);
        return;
      }
      t.diagnostic(`real-disk ENOSPC on a 32 MiB tmpfs at ${mountPoint}`);
      try {
        const path = join(mountPoint, 'corridor.db');
        const network = await openNetwork({ store: new SqliteStore({ path }) });
        const configured = await network.configureFrom(testNetworkConfig());
        assert.ok(configured.every((result) => result.code === 'ok'));
        const stopped: Error[] = [];
        network.onFailure((error) => stopped.push(error));
        // Leave a little room, then fill it with payments.
        const free = Number(statfsSync(mountPoint).bavail) * statfsSync(mountPoint).bsize;
        const filler = join(mountPoint, 'filler');
        writeFileSync(filler, Buffer.alloc(Math.max(0, free - 512 * 1024)));
        const load = await payUntilStopped(network, 'disk');
        assert.ok(load.failed.length > 0, `the disk never filled (${load.acknowledged.length} paid)`);
        assert.ok(load.failed.every((code) => code === 'pipeline_failed'), load.failed.join(', '));
        assert.equal(stopped.length, 1);
        assert.match(network.failure?.message ?? '', /full|space/i);
        t.diagnostic(`disk full after ${load.acknowledged.length} acknowledged payments: ` +
          `${network.failure?.message ?? ''}`);
        await network.close().catch(() => undefined);
        rmSync(filler);
        await assertRecovered(path, load.acknowledged);
      } finally {
        spawnSync('umount', ['-l', mountPoint], { timeout: 10_000 });
      }
    });
});
