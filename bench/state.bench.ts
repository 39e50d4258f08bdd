// State benchmarks (npm run bench:state): records `soak`, `restart` and `snapshot_stall`
// (BENCH_ONLY=soak, restart or snapshot_stall runs one; a comma-separated list runs several).
// Record `snapshot_stall` (bench/_snapshot-stall.ts): a payment stream's latency with and without
// snapshots being taken of the restart bench's live state. Record `restart` (bench/_restart.ts):
// start to ready after 10 million journaled payments (a year of a network at 27,397 a day, with
// retention) with a snapshot at most 3 entries old, its split, beside the time to replay the same
// journal from genesis. Record `soak`: 2 million domestic payments through the library (openNetwork
// on durable SQLite) in simulated time: an injected clock advances so that the first million alone
// spans four return windows, so by 1M the engine's windows are full and every further payment
// should cost memory only while it is live or windowed. Reports RSS at 1M and 2M, the library's
// heap after gc (reads come from storage projections, so nothing in the service keeps finished
// payments) and the engine alone: the same payments applied straight to a NetworkEngine, heap after
// gc (run with --expose-gc, as the npm script does) at 1M and 2M. Checks that no finished payment
// older than the retention is held. Writes its records by name into bench/results/state.json (other
// records there stay). BENCH_SCALE=0.01 shrinks it.
//
// What limits them (docs/storage.md, "Snapshots"): restart is the tail replay (~0.065 CPU ms per
// payment, at most 3 entries of 8,190), the snapshot's inflate and decode (live state, ~1.6 KB of
// V8 serialisation per held payment, stored deflated) and the storage threads' start; the genesis
// replay grows with the journal (~15,000 payments per CPU s). In the soak the heaps stay flat once
// the windows are full (bytes_per_finished_payment 0); RSS also holds SQLite's page caches (64 MB
// per connection) and the storage threads' heaps, which grow with the database until their bounds.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NetworkCommand } from '../src/engine/commands.js';
import type { NetworkConfigFile } from '../src/service/config-schema.js';
import { configToCommands } from '../src/service/config.js';
import { DEMO_MEMBERS, demoNetworkConfig } from '../src/service/demo.js';
import { NetworkEngine } from '../src/engine/engine.js';
import { openNetwork } from '../src/service/service.js';
import type { NetworkState } from '../src/engine/state.js';
import { paymentRetentionMs, returnWindowMs } from '../src/engine/payments/retention.js';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { drive, record, writeResults, type BenchRecord } from './_common.js';
import { restartRecord } from './_restart.js';
import { snapshotStallRecord } from './_snapshot-stall.js';

const SCALE = Number(process.env['BENCH_SCALE'] ?? '1');
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? '1024');
const TOTAL = Math.max(2_000, Math.round(2_000_000 * SCALE));
const HALF = Math.floor(TOTAL / 2);
const DAY = 86_400_000;
const START = Date.UTC(2027, 0, 4, 0, 0, 0);
/** Simulated time per payment: the first half spans four return windows (4 days). */
const STEP_MS = (4 * DAY) / HALF;
const ENGINE_BATCH = 1_000;

/** The demo network, finished payments in full for 1 hour, returnable (and ids held) 1 day. */
function soakConfig(): NetworkConfigFile {
  const config = demoNetworkConfig('benchmark');
  return {
    ...config,
    settings: {
      ...config.settings,
      paymentRetentionDays: 1 / 24,
      returnWindowDays: 1,
      uetrRetentionDays: 1,
    },
  };
}

/** Pairs of banks holding the same currency: domestic payments, one ledger chain each. */
const PAIRS: readonly (readonly [string, string, string])[] = DEMO_MEMBERS.flatMap((member) =>
  member.banks.flatMap(([debtor]) =>
    member.banks
      .filter(([creditor]) => creditor !== debtor)
      .map(([creditor]) => [debtor, creditor, member.currency] as const),
  ),
);

function uetrOf(index: number): string {
  const hex = index.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

function paymentCommand(index: number): NetworkCommand {
  type Pair = readonly [string, string, string];
  const [debtor, creditor, currency] = PAIRS[index % PAIRS.length] as Pair;
  return {
    type: 'create_payment',
    actor: debtor,
    screening: { hit: false, matches: [] },
    payment: {
      id: `soak-${index}`,
      mode: 'instant',
      debtorAgent: debtor,
      creditorAgent: creditor,
      debtor: { name: 'Soak Exporter Ltda', account: 'BR1800000000000000000000001' },
      creditor: { name: 'Soak Importer Ltda', account: 'BR1800000000000000000000002' },
      currency,
      amount: 100n,
      endToEndId: `E2E-SOAK-${index}`,
      uetr: uetrOf(index),
      purpose: 'GDDS',
    },
  };
}

/** Entries the engine holds, and whether any finished payment is held past its window. */
function heldOf(state: NetworkState, now: number) {
  const retention = paymentRetentionMs(state.settings);
  const window = returnWindowMs(state.settings);
  let overdue = 0;
  for (const [, finishedAt] of state.finished) if (finishedAt + retention <= now) overdue += 1;
  for (const entry of state.settled.values()) if (entry.finishedAt + window <= now) overdue += 1;
  return {
    payments_full: state.payments.size,
    payments_compact: state.settled.size,
    requests: state.paymentRequests.size,
    end_to_end_ids: state.endToEndIds.size,
    uetrs: state.uetrs.size,
    quotes: state.quotes.size,
    transfers_held: state.ledger.transfersHeld(),
    transfers_total: state.ledger.stats().transfers,
    finished_held_past_window: overdue,
  };
}

const gc = (globalThis as { gc?: () => void }).gc;

function heapMb(): number {
  gc?.();
  gc?.();
  return Number((process.memoryUsage().heapUsed / 1e6).toFixed(1));
}

function rssMb(): number {
  gc?.();
  return Math.round(process.memoryUsage().rss / 1e6);
}

/** The engine alone: the same payments applied in batches, heap after gc at 1M and 2M. */
function engineAlone() {
  const engine = new NetworkEngine();
  let now = START;
  const setup = engine.apply(configToCommands(soakConfig(), now), now);
  if (setup.results.some((result) => result.code !== 'ok')) throw new Error('setup refused');
  const baseline = heapMb();
  const marks: number[] = [];
  const started = performance.now();
  let accepted = 0;
  for (let index = 0; index < TOTAL; index += ENGINE_BATCH) {
    const commands: NetworkCommand[] = [];
    for (let offset = index; offset < Math.min(TOTAL, index + ENGINE_BATCH); offset++)
      commands.push(paymentCommand(offset));
    now = START + Math.round((index + ENGINE_BATCH) * STEP_MS);
    const batch = engine.apply(commands, now);
    for (const result of batch.results) if (result.code === 'ok') accepted += 1;
    if (index + ENGINE_BATCH === HALF || index + ENGINE_BATCH === TOTAL) marks.push(heapMb());
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    baseline, heapAt1m: marks[0] ?? 0, heapAt2m: marks[1] ?? 0, accepted, seconds,
    held: heldOf(engine.state, now),
  };
}

async function soak(): Promise<BenchRecord> {
  const directory = mkdtempSync(join(tmpdir(), 'corridor-bench-state-'));
  let now = START;
  const network = await openNetwork({
    store: new SqliteStore({ path: join(directory, 'soak.db') }),
    batchDelayMs: 1,
    clock: () => now,
  });
  const loadBefore = loadavg()[0] ?? 0;
  try {
    const results = await network.configureFrom(soakConfig(), now);
    if (results.some((result) => result.code !== 'ok')) throw new Error('demo network refused');
    let settled = 0;
    const run = async (from: number, to: number) =>
      drive(to - from, CONCURRENCY, async (offset) => {
        const index = from + offset;
        now = Math.max(now, START + Math.round(index * STEP_MS));
        const command = paymentCommand(index);
        if (command.type !== 'create_payment') return;
        const { debtorAgent, ...input } = command.payment;
        const result = await network.pay(debtorAgent, input);
        if (result.code !== 'ok') throw new Error(`pay ${index}: ${result.code} ${result.message ?? ''}`);
        if (result.payment?.status === 'ACCC') settled += 1;
      });
    const first = await run(0, HALF);
    const rssAt1m = rssMb();
    const heapLibraryAt1m = heapMb();
    const heldAt1m = heldOf(network.engine.state, now);
    const second = await run(HALF, TOTAL);
    const rssAt2m = rssMb();
    const heapLibraryAt2m = heapMb();
    const heldAt2m = heldOf(network.engine.state, now);
    network.engine.checkAllInvariants();
    const seconds = first.seconds + second.seconds;
    await network.close();
    const engine = engineAlone();
    if (heldAt2m.finished_held_past_window !== 0 || engine.held.finished_held_past_window !== 0)
      throw new Error('a finished payment is held past its retention');
    return record({
      name: 'soak',
      ops_per_sec: Math.round(TOTAL / seconds),
      p50_ms: null,
      p99_ms: null,
      durable: true,
      payments: TOTAL,
      settled,
      simulated_days: Number(((TOTAL * STEP_MS) / DAY).toFixed(2)),
      settings: 'paymentRetentionDays 1/24, returnWindowDays 1, uetrRetentionDays 1',
      request: 'pay(instant), domestic, one linked chain (payment + scheme fee) each',
      rss_mb_at_1m: rssAt1m,
      rss_mb_at_2m: rssAt2m,
      rss_growth_mb: rssAt2m - rssAt1m,
      rss_note:
        'reads come from storage: the library heap (main thread, after gc) is the figure ' +
        'to watch; RSS also holds the storage threads\' heaps and SQLite\'s page caches ' +
        '(64 MB per connection, several connections), which fill as the database grows ' +
        'until each reaches its bound, so a scaled-down run shows them filling',
      heap_mb_library_at_1m: heapLibraryAt1m,
      heap_mb_library_at_2m: heapLibraryAt2m,
      engine_heap_mb_baseline: engine.baseline,
      engine_heap_mb_at_1m: engine.heapAt1m,
      engine_heap_mb_at_2m: engine.heapAt2m,
      // What each further finished payment costs the engine for ever (0: bounded).
      bytes_per_finished_payment: Math.max(
        0,
        Math.round(((engine.heapAt2m - engine.heapAt1m) * 1e6) / (TOTAL - HALF)),
      ),
      // What the engine spends per payment it holds (full or compact) in its windows.
      bytes_per_held_payment: Math.round(
        ((engine.heapAt2m - engine.baseline) * 1e6) /
          Math.max(1, engine.held.payments_full + engine.held.payments_compact),
      ),
      engine_alone_payments_per_sec: Math.round(engine.accepted / engine.seconds),
      held_at_1m: heldAt1m,
      held_at_2m: heldAt2m,
      engine_alone_held_at_2m: engine.held,
      finished_held_past_retention: heldAt2m.finished_held_past_window,
      gc_exposed: gc !== undefined,
      load_average: [Number(loadBefore.toFixed(2)), Number((loadavg()[0] ?? 0).toFixed(2))],
    });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const ONLY = process.env['BENCH_ONLY']?.split(',');
const wanted = (name: string): boolean => ONLY === undefined || ONLY.includes(name);
const records: BenchRecord[] = [];
if (wanted('soak')) records.push(await soak());
if (wanted('restart'))
  records.push(await restartRecord(Math.max(10_000, Math.round(10_000_000 * SCALE))));
if (wanted('snapshot_stall'))
  records.push(await snapshotStallRecord(Math.max(5_000, Math.round(200_000 * SCALE)), 100));
writeResults('state', records);
