// The `restart` record of bench/state.bench.ts: a network with PAYMENTS journaled payments
// (domestic instant payments submitted through network.submit in full batches, on a simulated
// clock) on a durable SQLite store, taking a snapshot every SNAPSHOT_EVERY entries; then, each
// in a fresh process, the time from start to ready (openNetwork: the newest snapshot plus the
// journal's tail) and the time to replay the whole journal from genesis.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NetworkCommand } from '../src/engine/commands.js';
import { openNetwork } from '../src/service/service.js';
import { recoverNetwork } from '../src/service/snapshots.js';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { paymentInput, testNetworkConfig, TEST_EPOCH } from '../src/testing/network-fixtures.js';
import { record, type BenchRecord } from './_common.js';

const BATCH = 8_190;
/**
 * A snapshot every this many journal entries (each a batch of up to 8,190 payments): 64 for
 * 10 million payments (1,222 entries), fewer for a scaled-down run, so that it has several.
 */
export function snapshotEvery(payments: number): number {
  return Math.min(64, Math.max(2, Math.ceil(payments / BATCH / 6)));
}

interface Written {
  readonly seconds: number;
  readonly encodeMs: number;
  readonly bytes: number;
}

async function writeJournal(path: string, payments: number): Promise<Written> {
  let now = TEST_EPOCH;
  let last = { encodeMs: 0, bytes: 0 };
  const network = await openNetwork({ store: new SqliteStore({ path }), batchDelayMs: 0,
    clock: () => now, snapshots: { everyEntries: snapshotEvery(payments), everyMinutes: 0,
      onEvent: (event) => {
        if (event.type === 'written') {
          last = { encodeMs: event.encodeMs, bytes: event.bytes };
          process.stderr.write(`restart bench: snapshot at entry ${event.sequence}, ` +
            `${(event.bytes / 1e6).toFixed(1)} MB, encoded in ${event.encodeMs.toFixed(0)} ms, ` +
            `written in ${event.writeMs.toFixed(0)} ms\n`);
        } else {
          process.stderr.write(`restart bench: snapshot failed: ${event.error.message}\n`);
        }
      } } });
  const config = testNetworkConfig();
  const refused = (await network.configureFrom(config, now)).find((result) => result.code !== 'ok');
  if (refused !== undefined) throw new Error(`restart bench: ${JSON.stringify(refused)}`);
  const started = performance.now();
  let written = 0;
  while (written < payments) {
    const size = Math.min(BATCH, payments - written);
    const commands: NetworkCommand[] = [];
    for (let index = 0; index < size; index++) {
      commands.push(network.paymentCommand(index % 2 === 0 ? 'br-bank' : 'br-other',
        { ...paymentInput({ creditorAgent: index % 2 === 0 ? 'br-other' : 'br-bank',
          currency: 'BRL', amount: 1n }), id: `p${written + index}` }));
    }
    now += 1;
    const results = await network.submit(commands);
    const failed = results.find((result) => result.code !== 'ok');
    if (failed !== undefined) throw new Error(`restart bench: ${JSON.stringify(failed)}`);
    written += size;
    if (written % (BATCH * 50) < BATCH) {
      process.stderr.write(`restart bench: ${written} payments journaled\n`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(`restart bench: journaled ${written} payments in ${seconds.toFixed(1)} s\n`);
  await network.close();
  return { seconds, ...last };
}

/** In a fresh process: prints {seconds, snapshot, replayed} as JSON. */
async function measure(path: string, mode: 'snapshot' | 'genesis'): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const cpuSeconds = (): number => {
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / 1e6;
  };
  const store = new SqliteStore({ path });
  if (mode === 'snapshot') {
    const network = await openNetwork({ store, snapshots: { everyEntries: 0 } });
    const seconds = (performance.now() - started) / 1000;
    console.log(JSON.stringify({ seconds, cpu: cpuSeconds(),
      payments: network.engine.state.payments.size,
      snapshot: network.recovery?.snapshot?.sequence ?? null,
      replayed: network.recovery?.replayedEntries, tail: network.journalTail?.sequence,
      rss_mb: Math.round(process.memoryUsage().rss / 1e6) }));
    await network.close();
  } else {
    await store.open();
    const { engine, tail } = await recoverNetwork(store, { useSnapshots: false });
    const seconds = (performance.now() - started) / 1000;
    console.log(JSON.stringify({ seconds, cpu: cpuSeconds(), payments: engine.state.payments.size,
      snapshot: null, replayed: tail?.sequence, tail: tail?.sequence,
      rss_mb: Math.round(process.memoryUsage().rss / 1e6) }));
    await store.close();
  }
}

interface Measured {
  readonly seconds: number;
  /** CPU seconds of the process (user + system): what the work costs on a busy machine. */
  readonly cpu: number;
  readonly payments: number;
  readonly snapshot: number | null;
  readonly replayed: number;
  readonly tail: number;
  readonly rss_mb: number;
}

function measureInChild(path: string, mode: 'snapshot' | 'genesis'): Measured {
  const self = fileURLToPath(import.meta.url);
  const run = spawnSync(process.execPath, ['--max-old-space-size=12288', '--import', 'tsx', self,
    'measure', path, mode], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (run.status !== 0) throw new Error(`restart bench: the ${mode} measurement failed`);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as Measured;
}

export async function restartRecord(payments: number): Promise<BenchRecord> {
  const directory = mkdtempSync(join(tmpdir(), 'corridor-restart-bench-'));
  const path = join(directory, 'network.db');
  try {
    const written = await writeJournal(path, payments);
    const fromSnapshot = measureInChild(path, 'snapshot');
    const genesis = measureInChild(path, 'genesis');
    const snapshotBytes = statSync(`${path}-snapshots`).size;
    return record({
      name: 'restart',
      ops_per_sec: Math.round(fromSnapshot.payments / fromSnapshot.seconds),
      p50_ms: null,
      p99_ms: null,
      durable: true,
      seconds: Number(fromSnapshot.seconds.toFixed(2)),
      payments: fromSnapshot.payments,
      snapshot_every_entries: snapshotEvery(payments),
      snapshot_age_entries: fromSnapshot.replayed,
      journal_entries: fromSnapshot.tail,
      genesis_replay_seconds: Number(genesis.seconds.toFixed(2)),
      cpu_seconds: Number(fromSnapshot.cpu.toFixed(2)),
      genesis_replay_cpu_seconds: Number(genesis.cpu.toFixed(2)),
      snapshot_mb: Number((written.bytes / 1e6).toFixed(1)),
      snapshot_bytes_per_payment: Math.round(written.bytes / payments),
      snapshot_encode_ms: Math.round(written.encodeMs),
      snapshots_file_mb: Number((snapshotBytes / 1e6).toFixed(1)),
      rss_mb: fromSnapshot.rss_mb,
      genesis_rss_mb: genesis.rss_mb,
      journal_write_seconds: Number(written.seconds.toFixed(1)),
    });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'measure') {
  await measure(String(process.argv[3]), process.argv[4] === 'genesis' ? 'genesis' : 'snapshot');
}
