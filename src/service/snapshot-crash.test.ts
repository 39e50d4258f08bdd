// Proves that killing a writer with SIGKILL while it writes snapshots loses nothing: every
// acknowledged payment is there after each restart, the restart loads a snapshot that verifies
// (a write cut short is never one), and verify passes, snapshots included.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SqliteSnapshot } from '../storage/sqlite/snapshot.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import type { RecoveryReport } from './snapshots.js';
import { openNetwork } from './service.js';
import { verifyNetwork } from './verify.js';

const CHILD = fileURLToPath(new URL('./_snapshot-crash-child.ts', import.meta.url));
const RUNS = 3;

interface RunResult {
  readonly acknowledged: string[];
  readonly written: number;
  readonly recovery: RecoveryReport | undefined;
}

/** Runs one child until a random moment after its first snapshot, kills it. */
function runAndKill(path: string, run: number): Promise<RunResult> {
  const acknowledged: string[] = [];
  let written = 0;
  let recovery: RecoveryReport | undefined;
  let armed = false;
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path, String(run)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith('ready ')) {
        recovery = JSON.parse(line.slice(6)) as RecoveryReport;
      } else if (line.startsWith('ack ')) {
        acknowledged.push(line.slice(4));
      } else if (line.startsWith('written ')) {
        written += 1;
        // Writes follow each other back to back from here: the kill lands among them.
        if (!armed) {
          armed = true;
          setTimeout(() => child.kill('SIGKILL'), 100 + Math.floor(Math.random() * 400));
        }
      } else if (line.startsWith('failed ')) {
        reject(new Error(`a snapshot write failed: ${line}`));
      }
    });
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended without SIGKILL (${String(signal)})`));
      else resolve({ acknowledged, written, recovery });
    });
  });
}

it('SIGKILL during snapshot writes loses no acknowledged payment; restart and verify pass', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'corridor-snapshot-crash-'));
  const path = join(directory, 'network.db');
  try {
    const acknowledged: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      const result = await runAndKill(path, run);
      assert.ok(result.written > 0, `run ${run} wrote no snapshot`);
      if (run > 0) {
        // The previous run was killed mid-writes: its newest complete snapshot is loaded.
        assert.ok(result.recovery?.snapshot !== undefined, JSON.stringify(result.recovery));
        assert.deepEqual(result.recovery.rejected, []);
      }
      acknowledged.push(...result.acknowledged);
    }
    assert.ok(acknowledged.length > 50, `only ${acknowledged.length} payments were acknowledged`);

    const view = new SqliteSnapshot({ path });
    await view.open();
    const report = await verifyNetwork(view, { projected: view.projected });
    await view.close();
    assert.deepEqual(report.problems, []);
    assert.ok(report.snapshots > 0);

    const network = await openNetwork({ store: new SqliteStore({ path }),
      snapshots: { everyEntries: 0 } });
    assert.ok(network.recovery?.snapshot !== undefined);
    for (const id of acknowledged) {
      assert.equal((await network.reads.paymentOf('br-bank', id))?.status, 'ACCC', `${id} was acknowledged but lost`);
    }
    network.engine.checkAllInvariants();
    await network.close();
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
