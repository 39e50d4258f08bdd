// Ledger benchmarks (npm run bench): transfers/s and PvP groups/s through the whole pipeline
// with durable SQLite commits, memory per account at 1M accounts, and recovery time of a
// 10M-transfer journal. Writes bench/results/ledger.json. Scale down with BENCH_SCALE=0.1.
//
// ops_per_sec counts acknowledged (journal-durable) requests. The projections may still lag
// at the end of a run: projection_catch_up_s is how long they took to catch up after the last
// acknowledgment, and sustained_ops_per_sec counts that time too, so that a run cannot look
// faster by leaving projection work behind. The machine's load average is recorded with each
// result: the benchmark shares 2 cores with whatever else runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLedger, type Ledger } from '../src/pipeline/ledger-service.js';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import {
  cpuPerOperation, drive, percentile, pvpGroupRequest, record, seedBanks, threadCpuSeconds,
  transferCommand as transfer, writeResults, type BenchRecord,
} from './_common.js';

const SCALE = Number(process.env['BENCH_SCALE'] ?? '1');
const ONLY = process.env['BENCH_ONLY']?.split(',');
const directory = mkdtempSync(join(tmpdir(), 'corridor-bench-'));
const BANKS = 10_000;
/** Account ids as a client holds them: built once, not formatted per request. */
const BRL = Array.from({ length: BANKS }, (_, bank) => `brl-${bank}`);

/** Batches of the measured run: how big, and how long applying and committing them took. */
const batches = { count: 0, commands: 0, applyMs: 0, commitMs: 0, inFlight: 0 };

function batchFields(): Record<string, number> {
  const mean = (total: number): number => Number((total / Math.max(1, batches.count)).toFixed(2));
  return { batches: batches.count, batch_commands_mean: mean(batches.commands),
    batch_apply_ms_mean: mean(batches.applyMs), batch_commit_ms_mean: mean(batches.commitMs),
    batches_in_flight_mean: mean(batches.inFlight) };
}

async function seeded(name: string): Promise<Ledger> {
  const ledger = await openLedger({ store: new SqliteStore({ path: join(directory, `${name}.db`) }),
    batchDelayMs: 1, onBatch: (stats) => {
      batches.count += 1;
      batches.commands += stats.commands;
      batches.applyMs += stats.applyMs;
      batches.commitMs += stats.commitMs;
      batches.inFlight += stats.inFlight;
    } });
  await seedBanks(ledger, BANKS);
  await ledger.store.caughtUp();
  return ledger;
}

interface Measured {
  readonly latencies: Float64Array;
  readonly seconds: number;
  readonly fields: Record<string, number>;
}

/** Drives the requests, then waits for the projections, and measures both. */
async function measure(
  ledger: Ledger, count: number, concurrency: number, request: (index: number) => Promise<void>,
): Promise<Measured> {
  const load = loadavg()[0] ?? 0;
  const cpu = threadCpuSeconds();
  Object.assign(batches, { count: 0, commands: 0, applyMs: 0, commitMs: 0, inFlight: 0 });
  const { latencies, seconds } = await drive(count, concurrency, request);
  const acknowledged = performance.now();
  await ledger.store.caughtUp();
  const catchUp = (performance.now() - acknowledged) / 1000;
  return { latencies, seconds, fields: {
    projection_catch_up_s: Number(catchUp.toFixed(3)),
    sustained_ops_per_sec: Math.round(count / (seconds + catchUp)),
    ...cpuPerOperation(cpu, count),
    ...batchFields(),
    load_average_1m: Number(load.toFixed(2)),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1e3),
  } };
}

async function benchTransfers(): Promise<BenchRecord> {
  const ledger = await seeded('transfers');
  const count = Math.round(1_000_000 * SCALE);
  const { latencies, seconds, fields } = await measure(ledger, count, 4_096, async (index) => {
    const debit = index % BANKS;
    const credit = (index * 7 + 1) % BANKS;
    const target = credit === debit ? (credit + 1) % BANKS : credit;
    const results = await ledger.submit([transfer(`t${index}`, BRL[debit] as string,
      BRL[target] as string, 100n, 'BRL', false)]);
    if (results[0]?.code !== 'ok') throw new Error(`transfer failed: ${results[0]?.code}`);
  });
  ledger.engine.checkAllInvariants();
  await ledger.close();
  return record({ name: 'transfers', ops_per_sec: Math.round(count / seconds),
    p50_ms: percentile(latencies, 0.5), p99_ms: percentile(latencies, 0.99), durable: true,
    transfers: count, accounts: BANKS * 2, request: '1 transfer per request, 4,096 in flight',
    ...fields });
}

async function benchPvpGroups(): Promise<BenchRecord> {
  const ledger = await seeded('pvp');
  const count = Math.round(400_000 * SCALE);
  const { latencies, seconds, fields } = await measure(ledger, count, 2_048,
    pvpGroupRequest(ledger, BANKS));
  ledger.engine.checkAllInvariants();
  await ledger.close();
  return record({ name: 'pvp_groups', ops_per_sec: Math.round(count / seconds),
    p50_ms: percentile(latencies, 0.5), p99_ms: percentile(latencies, 0.99), durable: true,
    groups: count, legs_per_group: 3, request: '1 linked group per request, 2,048 in flight',
    ...fields });
}

/**
 * V8 flags of the throughput runs: a young generation of 64 MB per semi-space. Thousands of
 * requests are in flight at any time, and with the default (16 MB) most of them survive a
 * scavenge and are copied, twice; a production writer should run with the same flag.
 */
const THROUGHPUT_FLAGS = ['--max-semi-space-size=64'];

/** Runs a benchmark in a fresh process (its own heap, its own storage threads). */
function child(script: string, args: string[], flags: string[], environment = {}): BenchRecord {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const run = spawnSync(process.execPath, [...flags, '--import', 'tsx', path, ...args],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20,
      env: { ...process.env, ...environment } });
  if (run.status !== 0) throw new Error(`${script} failed with status ${String(run.status)}`);
  const last = run.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as BenchRecord;
}

const only = process.env['BENCH_CHILD'];
if (only !== undefined) {
  const result = only === 'transfers' ? await benchTransfers() : await benchPvpGroups();
  console.log(JSON.stringify({ ...result, node_flags: process.execArgv.filter((flag) =>
    flag.startsWith('--max')).join(' ') }));
  rmSync(directory, { recursive: true, force: true });
} else {
  const records: BenchRecord[] = [];
  const wanted = (name: string): boolean => ONLY === undefined || ONLY.includes(name);
  const self = './ledger.bench.ts';
  if (wanted('transfers')) records.push(child(self, [], THROUGHPUT_FLAGS, { BENCH_CHILD: 'transfers' }));
  if (wanted('pvp_groups')) records.push(child(self, [], THROUGHPUT_FLAGS, { BENCH_CHILD: 'pvp_groups' }));
  const heavy = ['--max-old-space-size=8192', '--expose-gc'];
  if (wanted('accounts_memory')) {
    records.push(child('./_accounts-memory.ts', [String(Math.round(1_000_000 * SCALE)), directory], heavy));
  }
  if (wanted('recovery')) {
    records.push(child('./_recovery.ts', [String(Math.round(10_000_000 * SCALE)), directory], heavy));
  }
  writeResults('ledger', records);
  rmSync(directory, { recursive: true, force: true });
}
