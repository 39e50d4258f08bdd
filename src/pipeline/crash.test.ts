// Proves that nothing acknowledged is lost and nothing is half-applied when the writer is
// killed with SIGKILL at random moments under load and restarted, several times, including
// while the projections lag the journal: after the restarts every acknowledged transfer is
// readable through the store's reads, and verify passes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { verifyLedger } from '../journal/verify.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import { openLedger } from './ledger-service.js';

const CHILD = fileURLToPath(new URL('./_crash-child.ts', import.meta.url));
const RUNS = 5;

/** Runs one child until a random moment after it is ready, kills it, returns what it acked. */
function runAndKill(path: string, run: number): Promise<string[]> {
  const acknowledged: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path, String(run)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith('ready')) {
        setTimeout(() => child.kill('SIGKILL'), 150 + Math.floor(Math.random() * 450));
      } else if (line.startsWith('ack ')) {
        acknowledged.push(line.slice(4));
      }
    });
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended without SIGKILL (${String(signal)})`));
      else resolve(acknowledged);
    });
  });
}

/** The kill of a run with a paused projector left the projections behind the journal. */
async function assertLagging(path: string): Promise<void> {
  const store = new SqliteStore({ path, projectionPaused: true });
  await store.open();
  const lag = store.projectionLag;
  assert.ok(lag.projected < lag.durable, `the projections did not lag: ${JSON.stringify(lag)}`);
  await store.close();
}

it('every acknowledged PvP group survives repeated SIGKILLs, whole, with invariants intact', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'corridor-crash-')), 'ledger.db');
  const acknowledged: string[] = [];
  for (let run = 0; run < RUNS; run++) {
    const acked = await runAndKill(path, run);
    acknowledged.push(...acked);
    if (run % 2 === 1 && acked.length > 0) await assertLagging(path);
  }
  assert.ok(acknowledged.length > 100, `only ${acknowledged.length} groups were acknowledged`);

  const store = new SqliteStore({ path });
  await store.open();
  const report = await verifyLedger(store);
  assert.equal(report.ok, true, JSON.stringify(report.problems));
  assert.equal(store.projectionLag.projected, store.projectionLag.durable);

  const ledger = await openLedger({ store: new SqliteStore({ path }) });
  for (const group of acknowledged) {
    for (const leg of [1, 2, 3]) {
      assert.ok(ledger.engine.hasTransfer(`${group}-${leg}`), `${group}-${leg} was acknowledged but lost`);
      const stored = await store.transfer(`${group}-${leg}`);
      assert.equal(stored?.state, 'posted', `${group}-${leg} was acknowledged but is not readable`);
    }
  }
  const projections = store.projectionDatabase;
  const partial = projections.prepare(
    "SELECT substr(id, 1, length(id) - 2) AS grp, COUNT(*) AS legs FROM transfers " +
    "WHERE id LIKE 'g-%' GROUP BY grp HAVING legs != 3").all();
  assert.deepEqual(partial, [], 'some group was half-applied');
  const applied = projections.prepare("SELECT COUNT(*) AS n FROM transfers WHERE id LIKE 'g-%'")
    .get() as { n: bigint };
  assert.ok(Number(applied.n) >= acknowledged.length * 3);
  ledger.engine.checkAllInvariants();
  await ledger.close();
  await store.close();
});
