// The `snapshot_stall` record of bench/state.bench.ts: what a due snapshot costs a concurrent
// payment stream. A durable SQLite network is given the restart bench's live state (a day of
// payments at its daily volume, with the same retention: ~8,200 held in full and ~25,000
// compact), then single payments stream through network.pay, `CONCURRENCY` in flight, once
// with snapshots every `EVERY` entries and once with none; each payment's latency (call to
// result) is recorded. The difference at p99 and at the maximum is the stall: the part of a
// snapshot that runs on the engine thread (the V8 serialisation), during which no batch is
// applied. Both runs in the same process, one after the other, on the same state.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetworkCommand } from '../src/engine/commands.js';
import { openNetwork, type Network } from '../src/service/service.js';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { paymentInput, testNetworkConfig, TEST_EPOCH } from '../src/testing/network-fixtures.js';
import { percentile, record, type BenchRecord } from './_common.js';

const BATCH = 8_190;
/** The restart bench's spacing of full batches (its daily volume): 27,397 payments a day. */
const STEP_MS = Math.round((BATCH / 27_397) * 86_400_000);
const CONCURRENCY = 32;

interface Run {
  readonly latencies: Float64Array;
  readonly encodeMs: number[];
  readonly sealMs: number[];
  readonly held: number;
  readonly seconds: number;
}

async function build(network: Network, batches: number, clock: { now: number }): Promise<void> {
  const config = testNetworkConfig();
  const refused = (await network.configureFrom({ ...config, settings: { ...config.settings,
    paymentRetentionDays: 1 / 24, returnWindowDays: 1, uetrRetentionDays: 1 } }, clock.now))
    .find((result) => result.code !== 'ok');
  if (refused !== undefined) throw new Error(`stall bench: ${JSON.stringify(refused)}`);
  for (let batch = 0; batch < batches; batch++) {
    const commands: (NetworkCommand | Promise<NetworkCommand>)[] = [];
    for (let index = 0; index < BATCH; index++) {
      const even = index % 2 === 0;
      commands.push(network.paymentCommand(even ? 'br-bank' : 'br-other',
        { ...paymentInput({ creditorAgent: even ? 'br-other' : 'br-bank', currency: 'BRL',
          amount: 1n }), id: `b${batch}-${index}` }));
    }
    const failed = (await network.submit(await Promise.all(commands))).find((result) => result.code !== 'ok');
    if (failed !== undefined) throw new Error(`stall bench: ${JSON.stringify(failed)}`);
    clock.now += STEP_MS;
  }
}

async function run(directory: string, name: string, every: number, payments: number):
  Promise<Run> {
  const clock = { now: TEST_EPOCH };
  const encodeMs: number[] = [];
  const sealMs: number[] = [];
  const network = await openNetwork({ store: new SqliteStore({ path: join(directory, name) }),
    batchDelayMs: 1, clock: () => clock.now, snapshots: { everyEntries: every, everyMinutes: 0,
      onEvent: (event) => {
        if (event.type === 'written') {
          encodeMs.push(event.encodeMs);
          sealMs.push((event as { sealMs?: number }).sealMs ?? 0);
        }
      } } });
  await build(network, 5, clock);
  const latencies = new Float64Array(payments);
  let next = 0;
  const streamed = performance.now();
  const worker = async (): Promise<void> => {
    while (next < payments) {
      const index = next++;
      clock.now += 1;
      const started = performance.now();
      const result = await network.pay('br-bank', { ...paymentInput({ creditorAgent: 'br-other',
        currency: 'BRL', amount: 1n }), id: `s${index}` });
      latencies[index] = performance.now() - started;
      if (result.code !== 'ok') throw new Error(`stall bench: ${result.code}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - streamed) / 1000;
  const held = network.engine.state.payments.size + network.engine.state.settled.size;
  await network.close();
  return { latencies: latencies.sort(), encodeMs, sealMs, held, seconds };
}

function summary(run: Run) {
  const ms = (value: number): number => Number(value.toFixed(1));
  return { p50_ms: ms(percentile(run.latencies, 0.5)), p99_ms: ms(percentile(run.latencies, 0.99)),
    p999_ms: ms(percentile(run.latencies, 0.999)), max_ms: ms(run.latencies.at(-1) ?? 0) };
}

export async function snapshotStallRecord(payments: number, every: number): Promise<BenchRecord> {
  const directory = mkdtempSync(join(tmpdir(), 'corridor-stall-bench-'));
  const loadBefore = loadavg()[0] ?? 0;
  try {
    const without = await run(directory, 'off.db', 0, payments);
    const withSnapshots = await run(directory, 'on.db', every, payments);
    const mean = (values: number[]): number =>
      Math.round(values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length));
    const on = summary(withSnapshots);
    return record({
      name: 'snapshot_stall',
      ops_per_sec: Math.round(payments / withSnapshots.seconds),
      ...on,
      durable: true,
      payments,
      concurrency: CONCURRENCY,
      live_payments: withSnapshots.held,
      snapshot_every_entries: every,
      snapshots_written: withSnapshots.encodeMs.length,
      // On the engine thread: the stall each snapshot causes.
      snapshot_encode_ms_mean: mean(withSnapshots.encodeMs),
      snapshot_encode_ms_max: Math.round(Math.max(0, ...withSnapshots.encodeMs)),
      // Off it (thread pool): compression and checksum.
      snapshot_seal_ms_mean: mean(withSnapshots.sealMs),
      with_snapshots: on,
      without_snapshots: summary(without),
      load_average: [Number(loadBefore.toFixed(2)), Number((loadavg()[0] ?? 0).toFixed(2))],
    });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
