// Payments benchmarks (npm run bench:payments): on the BRICS demo network, through the library
// API with durable SQLite commits, (a) quote + instant cross-border payment pairs per second and
// (b) quote + two-phase payment + accept by the creditor agent per second, random corridors
// among the demo banks, many in flight; and (c) payments_to_ledger_ratio: instant pairs/s divided
// by ledger PvP groups/s (three linked legs per request, bench/ledger.bench.ts's pvp_groups)
// measured in this same process and run, so that machine load and speed cancel out. Writes
// bench/results/payments.json. Scale down with BENCH_SCALE=0.1; run one with
// BENCH_ONLY=instant_payments (the ratio needs instant_payments and ledger_pvp_groups).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Network } from '../src/service/service.js';
import { openLedger } from '../src/pipeline/ledger-service.js';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { encodeEffects } from '../src/storage/effects.js';
import type { CommitRecord } from '../src/storage/store.js';
import {
  cpuPerOperation, drive, percentile, pvpGroupRequest, record, seedBanks, threadCpuSeconds,
  writeResults, type BenchRecord,
} from './_common.js';
import { demoNetworkOn, measurePairs } from './_payments.js';

const SCALE = Number(process.env['BENCH_SCALE'] ?? '1');
const ONLY = process.env['BENCH_ONLY']?.split(',');
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? '1024');
const directory = mkdtempSync(join(tmpdir(), 'corridor-bench-payments-'));

/**
 * Every SAMPLE_EVERY-th commit of the measured run, kept: encoded again after the run on an
 * otherwise idle process (process CPU time), it gives the effects encoding's CPU per pair,
 * which a timer around commit() cannot on a shared machine (preemption).
 */
const SAMPLE_EVERY = 16;
const sampled = { counting: false, seen: 0, records: [] as CommitRecord[] };

async function demoNetwork(name: string): Promise<Network> {
  const store = new SqliteStore({ path: join(directory, `${name}.db`) });
  const commit = store.commit.bind(store);
  store.commit = (record) => {
    if (sampled.counting && sampled.seen++ % SAMPLE_EVERY === 0) sampled.records.push(record);
    return commit(record);
  };
  return demoNetworkOn(store);
}

/** CPU µs per pair of encodeEffects(), from the sampled commits (best of three). */
function encodeCpuPerPair(count: number): number {
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const before = process.cpuUsage();
    for (const record of sampled.records) encodeEffects(record.ledger, record.writes);
    const spent = process.cpuUsage(before);
    best = Math.min(best, spent.user + spent.system);
  }
  return Number((best * SAMPLE_EVERY / count).toFixed(1));
}

/** Where the CPU of a pair goes, thread by thread, against what the target leaves per pair. */
function limitOf(item: BenchRecord, target: number): string {
  const [projector = 0, journal = 0] =
    (item['busiest_other_threads_cpu_us_per_op'] as number[] | undefined) ?? [];
  const others = Number(item['other_threads_cpu_us_per_op']);
  const helpers = Number((others - projector - journal).toFixed(1));
  const encoding = Number(item['effects_encoding_cpu_us_per_op']);
  const main = Number(item['main_cpu_us_per_op']);
  return `CPU per pair: writer thread ${main} µs (of which the effects encoding ${encoding}, ` +
    'the rest the engine, the pipeline, the journal entry and the projection rows); ' +
    `projector thread ${projector} µs (SQLite: the transfers, their postings, ` +
    `the payment, quote and status-change rows); journal thread ${journal} µs; V8 and libuv ` +
    `helpers ${helpers} µs. ${target} pairs/s on 2 cores leaves ${1_000_000 / target} µs per ` +
    'pair on each: the writer thread and the projector are each several times that.';
}

async function benchPayments(
  name: 'instant_payments' | 'two_phase_payments',
  count: number,
  target: number,
): Promise<BenchRecord> {
  const network = await demoNetwork(name);
  Object.assign(sampled, { counting: true, seen: 0, records: [] });
  const measured = await measurePairs(network, name, count, CONCURRENCY);
  sampled.counting = false;
  const item = { ...measured, effects_encoding_cpu_us_per_op: encodeCpuPerPair(count), target };
  sampled.records = [];
  return measured.ops_per_sec >= target ? item : { ...item, limit: limitOf(item, target) };
}

/** Banks of the ledger PvP measurement, as in bench/ledger.bench.ts. */
const LEDGER_BANKS = 10_000;
const LEDGER_CONCURRENCY = 2_048;

/** The ledger beneath: PvP groups of three linked legs per second, durable SQLite. */
async function benchLedgerPvp(count: number): Promise<BenchRecord> {
  const ledger = await openLedger({
    store: new SqliteStore({ path: join(directory, 'ledger-pvp.db') }),
    batchDelayMs: 1,
  });
  await seedBanks(ledger, LEDGER_BANKS);
  await ledger.store.caughtUp();
  const loadBefore = loadavg()[0] ?? 0;
  const cpu = threadCpuSeconds();
  const { latencies, seconds } = await drive(count, LEDGER_CONCURRENCY,
    pvpGroupRequest(ledger, LEDGER_BANKS));
  const cpuFields = cpuPerOperation(cpu, count);
  ledger.engine.checkAllInvariants();
  await ledger.close();
  return record({
    name: 'ledger_pvp_groups',
    ops_per_sec: Math.round(count / seconds),
    p50_ms: percentile(latencies, 0.5),
    p99_ms: percentile(latencies, 0.99),
    durable: true,
    groups: count,
    legs_per_group: 3,
    concurrency: LEDGER_CONCURRENCY,
    request: '1 linked group of 3 transfers per ledger.submit(), as bench/ledger.bench.ts pvp_groups',
    seconds: Number(seconds.toFixed(2)),
    ...cpuFields,
    load_average: [Number(loadBefore.toFixed(2)), Number((loadavg()[0] ?? 0).toFixed(2))],
  });
}

const records: BenchRecord[] = [];
const wanted = (name: string): boolean => ONLY === undefined || ONLY.includes(name);
try {
  if (wanted('instant_payments'))
    records.push(await benchPayments('instant_payments', Math.round(200_000 * SCALE), 50_000));
  if (wanted('two_phase_payments')) {
    records.push(await benchPayments('two_phase_payments', Math.round(100_000 * SCALE), 25_000));
  }
  if (wanted('ledger_pvp_groups') || wanted('payments_to_ledger_ratio'))
    records.push(await benchLedgerPvp(Math.round(400_000 * SCALE)));
  const instant = records.find((item) => item.name === 'instant_payments');
  const ledger = records.find((item) => item.name === 'ledger_pvp_groups');
  if (instant !== undefined && ledger !== undefined) {
    records.push(record({
      name: 'payments_to_ledger_ratio',
      ops_per_sec: instant.ops_per_sec,
      p50_ms: null,
      p99_ms: null,
      durable: true,
      ratio: Number((instant.ops_per_sec / ledger.ops_per_sec).toFixed(3)),
      instant_pairs_per_sec: instant.ops_per_sec,
      ledger_pvp_groups_per_sec: ledger.ops_per_sec,
      // The same ratio by the writer thread's CPU per operation (ledger group ÷ payment pair).
      cpu_ratio: Number((Number(ledger['main_cpu_us_per_op']) /
        Number(instant['main_cpu_us_per_op'])).toFixed(3)),
      definition: 'instant_payments pairs/s ÷ ledger_pvp_groups groups/s, same process and run',
      target: 0.6,
    }));
  }
  writeResults('payments', records);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
