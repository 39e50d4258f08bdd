// PostgreSQL store benchmarks (npm run bench:postgres): transfers/s and PvP groups/s through
// the whole pipeline with durable PostgreSQL commits (synchronous_commit on, fsync on), and
// quote + instant payment pairs/s through the whole network (the demo network, as
// bench/payments.bench.ts on SQLite), on DATABASE_URL or an embedded server. Writes
// bench/results/ledger-postgres.json.
// Scale down with BENCH_SCALE=0.1.
import { loadavg } from 'node:os';
import { openLedger, type Ledger } from '../src/pipeline/ledger-service.js';
import { PostgresStore } from '../src/storage/postgres/postgres-store.js';
import { postedTransfer } from '../src/testing/ledger-fixtures.js';
import { freshDatabase, stopPostgres, testPostgres } from '../src/testing/postgres.js';
import {
  drive, percentile, record, seedBanks, writeResults, type BenchRecord,
} from './_common.js';
import { demoNetworkOn, measurePairs } from './_payments.js';

const SCALE = Number(process.env['BENCH_SCALE'] ?? '1');
const ONLY = process.env['BENCH_ONLY']?.split(',');
const BANKS = 10_000;
/**
 * Server settings for the embedded server that do not weaken durability (fsync and
 * synchronous_commit stay on): the recommendations of docs/operations-postgres.md.
 * BENCH_PG_DEFAULTS=1 runs on PostgreSQL's defaults instead.
 */
const SETTINGS: Record<string, string> = process.env['BENCH_PG_DEFAULTS'] === '1' ? {} : {
  wal_buffers: '64MB', max_wal_size: '8GB', checkpoint_timeout: '30min',
};

async function seeded(): Promise<Ledger> {
  const store = new PostgresStore({ connectionString: await freshDatabase('corridor_bench') });
  const ledger = await openLedger({ store, batchDelayMs: 1, batchesInFlightMax: 16 });
  await seedBanks(ledger, BANKS);
  return ledger;
}

/** The machine's 1-minute load average (it may be shared: other jobs slow a run down). */
const load = (): number => Number((loadavg()[0] ?? 0).toFixed(2));

async function benchTransfers(): Promise<BenchRecord> {
  const ledger = await seeded();
  const count = Math.round(1_000_000 * SCALE);
  const loadBefore = load();
  const { latencies, seconds } = await drive(count, 4_096, async (index) => {
    const debit = index % BANKS;
    const credit = (index * 7 + 1) % BANKS;
    const target = credit === debit ? (credit + 1) % BANKS : credit;
    const [result] = await ledger.submit([postedTransfer(`t${index}`, `brl-${debit}`,
      `brl-${target}`, 100n, 'BRL')]);
    if (result?.code !== 'ok') throw new Error(`transfer failed: ${result?.code}`);
  });
  ledger.engine.checkAllInvariants();
  await ledger.close();
  return record({ name: 'transfers', ops_per_sec: Math.round(count / seconds),
    p50_ms: percentile(latencies, 0.5), p99_ms: percentile(latencies, 0.99), durable: true,
    store: 'postgres', transfers: count, accounts: BANKS * 2, server_settings: SETTINGS,
    load_1m_before: loadBefore, load_1m_after: load(),
    request: '1 transfer per request, 4,096 in flight' });
}

async function benchPvpGroups(): Promise<BenchRecord> {
  const ledger = await seeded();
  const count = Math.round(400_000 * SCALE);
  const loadBefore = load();
  const { latencies, seconds } = await drive(count, 2_048, async (index) => {
    const bank = index % BANKS;
    const results = await ledger.submit([
      postedTransfer(`g${index}-1`, `brl-${bank}`, 'fx-brl', 1_000n, 'BRL', true),
      postedTransfer(`g${index}-2`, 'fx-inr', `inr-${(bank + 1) % BANKS}`, 15_500n, 'INR', true),
      postedTransfer(`g${index}-3`, `brl-${bank}`, 'fee-brl', 5n, 'BRL'),
    ]);
    if (results.some((result) => result.code !== 'ok')) throw new Error('PvP group failed');
  });
  ledger.engine.checkAllInvariants();
  await ledger.close();
  return record({ name: 'pvp_groups', ops_per_sec: Math.round(count / seconds),
    p50_ms: percentile(latencies, 0.5), p99_ms: percentile(latencies, 0.99), durable: true,
    store: 'postgres', groups: count, legs_per_group: 3, server_settings: SETTINGS,
    load_1m_before: loadBefore, load_1m_after: load(),
    request: '1 linked group per request, 2,048 in flight' });
}

/** Quote + instant payment pairs through the whole network, durable on PostgreSQL. */
async function benchInstantPayments(): Promise<BenchRecord> {
  const store = new PostgresStore({ connectionString: await freshDatabase('corridor_bench_pay') });
  const network = await demoNetworkOn(store);
  const loadBefore = load();
  const measured = await measurePairs(network, 'instant_payments', Math.round(200_000 * SCALE),
    1_024);
  return { ...measured, store: 'postgres', server_settings: SETTINGS,
    load_1m_before: loadBefore, load_1m_after: load() };
}

const wanted = (name: string): boolean => ONLY === undefined || ONLY.includes(name);
await testPostgres({ fast: false, settings: SETTINGS });
const records: BenchRecord[] = [];
try {
  if (wanted('transfers')) records.push(await benchTransfers());
  if (wanted('pvp_groups')) records.push(await benchPvpGroups());
  if (wanted('instant_payments')) records.push(await benchInstantPayments());
} finally {
  await stopPostgres();
}
writeResults('ledger-postgres', records);
