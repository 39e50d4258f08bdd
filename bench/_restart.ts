// The `restart` record of bench/state.bench.ts: a network that has run for a year. 10 million
// domestic instant payments (full batches of 8,190 through network.submit, a few in flight) are
// journaled on a durable SQLite store over 365 simulated days (27,397 a day; a scaled-down run
// keeps that daily volume over fewer days), with the soak's retention settings (finished
// payments in full for 1 hour, compact until the 1-day return window ends), so that nearly all
// of them have left engine memory by the end; a snapshot every snapshotEvery() entries (3 at
// full scale). Then, each in a fresh process, the time from start to ready (openNetwork: store
// open, the newest snapshot read, decoded and checked, the journal's tail replayed and checked:
// `restart_split_ms`) and the time to replay the whole journal from genesis. Wall and CPU
// seconds both: the machine is shared, and CPU seconds are the fairer figure.
//
// What limits it: the tail replay (~0.06 CPU ms per payment, as from genesis: at most 3 entries
// of 8,190), the storage threads' start (about 1 CPU s under tsx, whatever the journal's
// length), and the snapshot's inflate and decode (live state only: ~67 MB of V8 serialisation,
// stored deflated as ~8 MB). Nothing on open grows with
// history. Figures and their history: docs/storage.md, "Snapshots".
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NetworkCommand } from '../src/engine/commands.js';
import { openNetwork } from '../src/service/service.js';
import { recoverNetwork } from '../src/service/snapshots.js';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import type { RecoveryPhases } from '../src/service/snapshots.js';
import type { NetworkConfigFile } from '../src/service/config-schema.js';
import { paymentInput, testNetworkConfig, TEST_EPOCH } from '../src/testing/network-fixtures.js';
import { record, type BenchRecord } from './_common.js';

const BATCH = 8_190;
const DAY = 86_400_000;
/** 10 million payments span a year of simulated time: 27,397 a day. */
const FULL_PAYMENTS = 10_000_000;
const FULL_DAYS = 365;
/**
 * A scaled-down run keeps the daily volume and spans fewer days, so that the live state (a
 * day's payments inside the return window), hence the snapshot and the restart, is the full
 * run's; at least 3 days, so that most payments are past the window.
 */
function simulatedDays(payments: number): number {
  return Math.max(3, (FULL_DAYS * payments) / FULL_PAYMENTS);
}
/** Batches submitted before the oldest is awaited: the pipeline overlaps apply and journal. */
const IN_FLIGHT = 3;

/** The test network with the soak's retention: 1 hour in full, 1-day return window. */
function restartConfig(): NetworkConfigFile {
  const config = testNetworkConfig();
  return { ...config, settings: { ...config.settings, paymentRetentionDays: 1 / 24,
    returnWindowDays: 1, uetrRetentionDays: 1 } };
}

/**
 * A snapshot every this many journal entries (each a batch of up to 8,190 payments): 3 at full
 * scale. A restart replays what the newest snapshot does not cover: this many entries at most,
 * plus those whose snapshot was still being compressed and written when the node stopped. At
 * ~0.04-0.065 CPU ms per payment an entry replays in 0.3-0.5 s, so 3 bound the tail at ~1.6 s;
 * with the store's start (~0.5-1 s) and the snapshot's read and decode (~1.3 s for this live
 * state) start to ready stays near 3-3.5 s, under 5 s, where 8 entries (~4 s of tail alone) did
 * not. The price: every 3 batches the engine thread serialises the live state (0.65-1 s here;
 * the compression, checksum and write run off it), about 15 % of the writer's time at ~5,000
 * payments/s (an entry every ~1.6 s). A faster replay lets it grow: the tail bound is entries
 * x 8,190 x the replay cost per payment. Fewer for a scaled-down run with few entries, so that
 * it has several.
 */
export function snapshotEvery(payments: number): number {
  return Math.min(3, Math.max(2, Math.ceil(payments / BATCH / 6)));
}

interface Written {
  readonly seconds: number;
  readonly cpu: number;
  readonly snapshots: number;
  readonly encodeMs: number;
  readonly sealMs: number;
  readonly bytes: number;
}

async function writeJournal(path: string, payments: number): Promise<Written> {
  let now = TEST_EPOCH;
  let last = { encodeMs: 0, sealMs: 0, bytes: 0 };
  let snapshots = 0;
  const network = await openNetwork({ store: new SqliteStore({ path }), batchDelayMs: 0,
    clock: () => now, snapshots: { everyEntries: snapshotEvery(payments), everyMinutes: 0,
      onEvent: (event) => {
        if (event.type === 'written') {
          last = { encodeMs: event.encodeMs, sealMs: event.sealMs, bytes: event.bytes };
          snapshots += 1;
          process.stderr.write(`restart bench: snapshot at entry ${event.sequence}, ` +
            `${(event.bytes / 1e6).toFixed(1)} MB, captured in ${event.encodeMs.toFixed(0)} ms ` +
            `on the engine thread, compressed in ${event.sealMs.toFixed(0)} ms off it, ` +
            `written in ${event.writeMs.toFixed(0)} ms\n`);
        } else {
          process.stderr.write(`restart bench: snapshot failed: ${event.error.message}\n`);
        }
      } } });
  const refused = (await network.configureFrom(restartConfig(), now))
    .find((result) => result.code !== 'ok');
  if (refused !== undefined) throw new Error(`restart bench: ${JSON.stringify(refused)}`);
  const start = now;
  const batches = Math.ceil(payments / BATCH);
  const stepMs = (simulatedDays(payments) * DAY) / batches;
  const started = performance.now();
  const cpu = process.cpuUsage();
  const pending: Promise<void>[] = [];
  let written = 0;
  for (let batch = 0; batch < batches; batch++) {
    const first = batch * BATCH;
    const size = Math.min(BATCH, payments - first);
    const commands: (NetworkCommand | Promise<NetworkCommand>)[] = [];
    for (let index = 0; index < size; index++) {
      const even = (first + index) % 2 === 0;
      commands.push(network.paymentCommand(even ? 'br-bank' : 'br-other',
        { ...paymentInput({ creditorAgent: even ? 'br-other' : 'br-bank',
          currency: 'BRL', amount: 1n }), id: `p${first + index}` }));
    }
    // The clock the pipeline reads when it applies the batch: the daily volume of the full run.
    now = Math.max(now, start + Math.round(batch * stepMs));
    pending.push(network.submit(await Promise.all(commands)).then((results) => {
      const failed = results.find((result) => result.code !== 'ok');
      if (failed !== undefined) throw new Error(`restart bench: ${JSON.stringify(failed)}`);
      written += size;
      if (written % (BATCH * 20) < BATCH) {
        const rate = written / ((performance.now() - started) / 1000);
        process.stderr.write(`restart bench: ${written} payments journaled ` +
          `(${Math.round(rate)}/s, ${network.engine.state.payments.size} in full, ` +
          `${network.engine.state.settled.size} compact)\n`);
      }
    }));
    if (pending.length >= IN_FLIGHT) await pending.shift();
  }
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  process.stderr.write(`restart bench: journaled ${written} payments in ${seconds.toFixed(1)} s\n`);
  await network.close();
  return { seconds, cpu: (used.user + used.system) / 1e6, snapshots, ...last };
}

/**
 * The main thread's heap after a full collection, in MB: what the recovered network holds. RSS
 * alone also counts garbage V8 has not collected yet (the child may grow its heap to 12 GB).
 */
function heapAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return Number((process.memoryUsage().heapUsed / 1e6).toFixed(1));
}

/** In a fresh process: prints what measureInChild reads, as JSON. */
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
    const { state } = network.engine;
    console.log(JSON.stringify({ seconds, cpu: cpuSeconds(),
      payments_full: state.payments.size, payments_compact: state.settled.size,
      snapshot: network.recovery?.snapshot?.sequence ?? null,
      replayed: network.recovery?.replayedEntries, tail: network.journalTail?.sequence,
      phases: network.recovery?.phases,
      rss_mb: Math.round(process.memoryUsage().rss / 1e6), heap_mb_after_gc: heapAfterGc() }));
    await network.close();
  } else {
    await store.open();
    const { engine, tail, report } = await recoverNetwork(store, { useSnapshots: false });
    const seconds = (performance.now() - started) / 1000;
    console.log(JSON.stringify({ seconds, cpu: cpuSeconds(),
      payments_full: engine.state.payments.size, payments_compact: engine.state.settled.size,
      snapshot: null, replayed: tail?.sequence, tail: tail?.sequence, phases: report.phases,
      rss_mb: Math.round(process.memoryUsage().rss / 1e6), heap_mb_after_gc: heapAfterGc() }));
    await store.close();
  }
}

interface Measured {
  readonly seconds: number;
  /** CPU seconds of the process (user + system): what the work costs on a busy machine. */
  readonly cpu: number;
  /** Payments the engine holds in full (open, or finished within the retention). */
  readonly payments_full: number;
  /** Finished payments held as a compact record (inside the return window). */
  readonly payments_compact: number;
  readonly phases: RecoveryPhases;
  readonly snapshot: number | null;
  readonly replayed: number;
  readonly tail: number;
  readonly rss_mb: number;
  /** The heap after a full collection (measured after the timings). */
  readonly heap_mb_after_gc: number;
}

function measureInChild(path: string, mode: 'snapshot' | 'genesis'): Measured {
  const self = fileURLToPath(import.meta.url);
  const run = spawnSync(process.execPath, ['--max-old-space-size=12288', '--expose-gc',
    '--import', 'tsx', self, 'measure', path, mode],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (run.status !== 0) throw new Error(`restart bench: the ${mode} measurement failed`);
  return JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as Measured;
}

/** Deletes the newest snapshot; false when fewer than two were kept. */
function withoutNewestSnapshot(path: string): boolean {
  const database = new Database(`${path}-snapshots`);
  try {
    const rows = database.prepare('SELECT sequence FROM snapshots ORDER BY sequence DESC')
      .all() as { sequence: number }[];
    if (rows.length < 2) return false;
    database.prepare('DELETE FROM snapshots WHERE sequence = ?').run(rows[0]?.sequence);
    return true;
  } finally {
    database.close();
  }
}

export async function restartRecord(payments: number): Promise<BenchRecord> {
  const directory = mkdtempSync(join(tmpdir(), 'corridor-restart-bench-'));
  const path = join(directory, 'network.db');
  try {
    const written = await writeJournal(path, payments);
    const fromSnapshot = measureInChild(path, 'snapshot');
    const genesis = measureInChild(path, 'genesis');
    // The newest snapshot may cover the last entry (a run that ends on a due one): the restart
    // from the one before it shows the tail replay a snapshot interval costs.
    const olderSnapshot = withoutNewestSnapshot(path) ? measureInChild(path, 'snapshot') : undefined;
    const snapshotBytes = statSync(`${path}-snapshots`).size;
    const ms = (value: number): number => Math.round(value);
    const split = (phases: RecoveryPhases) => ({ store_open_ms: ms(phases.storeOpenMs),
      snapshot_read_ms: ms(phases.snapshotReadMs), snapshot_decode_ms: ms(phases.snapshotDecodeMs),
      snapshot_check_ms: ms(phases.snapshotCheckMs), tail_replay_ms: ms(phases.replayMs),
      check_ms: ms(phases.checkMs) });
    return record({
      name: 'restart',
      ops_per_sec: Math.round(payments / fromSnapshot.seconds),
      p50_ms: null,
      p99_ms: null,
      durable: true,
      seconds: Number(fromSnapshot.seconds.toFixed(2)),
      cpu_seconds: Number(fromSnapshot.cpu.toFixed(2)),
      // Journaled, not held: the engine holds live state only.
      payments,
      live_payments_full: fromSnapshot.payments_full,
      live_payments_compact: fromSnapshot.payments_compact,
      simulated_days: Number(simulatedDays(payments).toFixed(1)),
      settings: 'paymentRetentionDays 1/24, returnWindowDays 1, uetrRetentionDays 1',
      snapshot_every_entries: snapshotEvery(payments),
      snapshot_age_entries: fromSnapshot.replayed,
      journal_entries: fromSnapshot.tail,
      restart_split_ms: fromSnapshot.phases === undefined ? null : split(fromSnapshot.phases),
      genesis_replay_seconds: Number(genesis.seconds.toFixed(2)),
      genesis_replay_cpu_seconds: Number(genesis.cpu.toFixed(2)),
      genesis_split_ms: split(genesis.phases),
      snapshot_mb: Number((written.bytes / 1e6).toFixed(2)),
      snapshot_bytes_per_live_payment: Math.round(written.bytes /
        Math.max(1, fromSnapshot.payments_full + fromSnapshot.payments_compact)),
      // On the engine thread (the stall): V8's serialisation of the live state.
      snapshot_encode_ms: Math.round(written.encodeMs),
      // Off it, on the thread pool: deflate and SHA-256.
      snapshot_seal_ms: Math.round(written.sealMs),
      snapshots_written: written.snapshots,
      snapshots_file_mb: Number((snapshotBytes / 1e6).toFixed(1)),
      rss_mb: fromSnapshot.rss_mb,
      genesis_rss_mb: genesis.rss_mb,
      // The same state either way: a heap after gc that grew with the journal would be a leak.
      heap_mb_after_gc: fromSnapshot.heap_mb_after_gc,
      genesis_heap_mb_after_gc: genesis.heap_mb_after_gc,
      // Start to ready with the newest snapshot deleted: the one before it, and a longer tail.
      restart_from_older_snapshot: olderSnapshot === undefined ? null : {
        seconds: Number(olderSnapshot.seconds.toFixed(2)),
        cpu_seconds: Number(olderSnapshot.cpu.toFixed(2)),
        snapshot_age_entries: olderSnapshot.replayed,
        split_ms: split(olderSnapshot.phases),
      },
      journal_write_seconds: Number(written.seconds.toFixed(1)),
      journal_write_cpu_seconds: Number(written.cpu.toFixed(1)),
      journal_payments_per_sec: Math.round(payments / written.seconds),
      journal_file_mb: Number((statSync(path).size / 1e6).toFixed(1)),
    });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'measure') {
  await measure(String(process.argv[3]), process.argv[4] === 'genesis' ? 'genesis' : 'snapshot');
}
