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
import { findCurrency } from '../src/money/currency.js';
import { DEMO_MEMBERS, demoNetworkConfig, loadReferenceRates } from '../src/network/demo.js';
import type { NetworkResult } from '../src/network/commands.js';
import { openNetwork, type Network } from '../src/network/service.js';
import { openLedger } from '../src/pipeline/ledger-service.js';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import {
  cpuPerOperation, drive, percentile, pvpGroupRequest, record, seedBanks, threadCpuSeconds,
  writeResults, type BenchRecord,
} from './_common.js';

const SCALE = Number(process.env['BENCH_SCALE'] ?? '1');
const ONLY = process.env['BENCH_ONLY']?.split(',');
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? '1024');
const directory = mkdtempSync(join(tmpdir(), 'corridor-bench-payments-'));
const NETWORK = 'BRICS demo: 9 currencies, 22 banks, 4 FX providers, 288 rates';

interface Bank {
  readonly id: string;
  readonly currency: string;
}

const BANKS: readonly Bank[] = DEMO_MEMBERS.flatMap((member) =>
  member.banks.map(([id]) => ({ id, currency: member.currency })),
);

/** Minor units of `currency` worth `usd` US dollars at the demo's reference rates. */
function usdWorth(currency: string, usd: number): bigint {
  const perUsd = loadReferenceRates().get(currency) ?? '1';
  const [whole = '0', fraction = ''] = perUsd.split('.');
  const exponent = findCurrency(currency)?.exponent ?? 2;
  return (
    (BigInt(whole + fraction) * BigInt(usd) * 10n ** BigInt(exponent)) /
    10n ** BigInt(fraction.length)
  );
}

/** A small deterministic generator (mulberry32), so runs pick the same corridors. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Corridor {
  readonly debtor: Bank;
  readonly creditor: Bank;
  readonly amount: bigint;
}

/** Random cross-border corridors between demo banks, for 50 to 500 USD each. */
function corridors(count: number, seed: number): Corridor[] {
  const next = random(seed);
  const unit = new Map(
    DEMO_MEMBERS.map((member) => [member.currency, usdWorth(member.currency, 1)]),
  );
  const list: Corridor[] = [];
  for (let index = 0; index < count; index++) {
    const debtor = BANKS[Math.floor(next() * BANKS.length)] as Bank;
    let creditor = debtor;
    while (creditor.currency === debtor.currency)
      creditor = BANKS[Math.floor(next() * BANKS.length)] as Bank;
    const usd = 50 + Math.floor(next() * 451);
    list.push({ debtor, creditor, amount: (unit.get(debtor.currency) ?? 1n) * BigInt(usd) });
  }
  return list;
}

async function demoNetwork(name: string): Promise<Network> {
  const network = await openNetwork({
    store: new SqliteStore({ path: join(directory, `${name}.db`) }),
    batchDelayMs: 1,
  });
  const results = await network.configureFrom(demoNetworkConfig());
  const refused = results.find((result) => result.code !== 'ok');
  if (refused !== undefined)
    throw new Error(`demo network refused: ${refused.code} ${refused.message ?? ''}`);
  return network;
}

function expectOk(result: NetworkResult, what: string, status?: string): NetworkResult {
  if (result.code !== 'ok' || (status !== undefined && result.payment?.status !== status)) {
    throw new Error(
      `${what}: ${result.code} ${result.payment?.status ?? ''} ${result.payment?.reason ?? ''} ` +
        `${result.message ?? ''}`,
    );
  }
  return result;
}

/** One quote, then one payment with it (then, two-phase, the creditor agent's accept). */
async function pair(
  network: Network,
  corridor: Corridor,
  index: number,
  twoPhase: boolean,
): Promise<void> {
  const { debtor, creditor, amount } = corridor;
  const quoted = expectOk(
    await network.quote(debtor.id, {
      source: debtor.currency,
      target: creditor.currency,
      fixed: 'send',
      amount,
    }),
    'quote',
  );
  const paid = expectOk(
    await network.pay(debtor.id, {
      mode: twoPhase ? 'two_phase' : 'instant',
      creditorAgent: creditor.id,
      quoteId: quoted.quote?.id ?? '',
      debtor: { name: 'Bench Exporter Ltda', account: 'BR1800000000000000000000001' },
      creditor: { name: 'Bench Importer Pvt Ltd', account: 'IN00001234567890' },
      endToEndId: `E2E-${twoPhase ? 'T' : 'I'}${index}`,
      purpose: 'GDDS',
    }),
    'pay',
    twoPhase ? 'ACSP' : 'ACCC',
  );
  if (twoPhase)
    expectOk(await network.accept(creditor.id, paid.payment?.id ?? ''), 'accept', 'ACCC');
}

async function benchPayments(
  name: 'instant_payments' | 'two_phase_payments',
  count: number,
): Promise<BenchRecord> {
  const twoPhase = name === 'two_phase_payments';
  const network = await demoNetwork(name);
  const loadBefore = loadavg()[0] ?? 0;
  const list = corridors(count, twoPhase ? 2 : 1);
  const cpu = threadCpuSeconds();
  const { latencies, seconds } = await drive(count, CONCURRENCY, (index) =>
    pair(network, list[index] as Corridor, index, twoPhase),
  );
  // CPU per pair on the writer's thread (engine, pipeline, bench driver) and on the storage
  // threads: less sensitive than pairs/s to what else the shared machine runs.
  const cpuFields = cpuPerOperation(cpu, count);
  network.engine.checkAllInvariants();
  const payments = [...network.engine.state.payments.values()];
  if (payments.length !== count || payments.some((payment) => payment.status !== 'ACCC')) {
    throw new Error(`${name}: ${payments.length} payments, not all settled`);
  }
  await network.close();
  return record({
    name,
    ops_per_sec: Math.round(count / seconds),
    p50_ms: percentile(latencies, 0.5),
    p99_ms: percentile(latencies, 0.99),
    durable: true,
    pairs: count,
    concurrency: CONCURRENCY,
    request: twoPhase
      ? 'quote() then pay(two_phase) then accept() by the creditor agent'
      : 'quote() then pay(instant) with that quote',
    commands_per_pair: twoPhase ? 3 : 2,
    legs_per_payment: 4,
    network: NETWORK,
    seconds: Number(seconds.toFixed(2)),
    ...cpuFields,
    // The machine may be shared: the 1-minute load average before and after the run.
    load_average: [Number(loadBefore.toFixed(2)), Number((loadavg()[0] ?? 0).toFixed(2))],
  });
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
