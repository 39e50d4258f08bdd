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
import {
  cpuPerOperation, drive, percentile, pvpGroupRequest, record, seedBanks, threadCpuSeconds,
  writeResults, type BenchRecord,
} from './_common.js';
import { demoNetworkOn, measurePairs } from './_payments.js';

const SCALE = Number(process.env['BENCH_SCALE'] ?? '1');
const ONLY = process.env['BENCH_ONLY']?.split(',');
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? '1024');
const directory = mkdtempSync(join(tmpdir(), 'corridor-bench-payments-'));

async function demoNetwork(name: string): Promise<Network> {
  return demoNetworkOn(new SqliteStore({ path: join(directory, `${name}.db`) }));
}

async function benchPayments(
  name: 'instant_payments' | 'two_phase_payments',
  count: number,
): Promise<BenchRecord> {
  return measurePairs(await demoNetwork(name), name, count, CONCURRENCY);
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
    records.push(await benchPayments('instant_payments', Math.round(200_000 * SCALE)));
  if (wanted('two_phase_payments')) {
    records.push(await benchPayments('two_phase_payments', Math.round(100_000 * SCALE)));
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
