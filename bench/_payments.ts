// The payment-pair workload shared by bench/payments.bench.ts (durable SQLite) and
// bench/postgres.bench.ts (PostgreSQL): random cross-border corridors between the demo banks,
// each one quote then one payment with it (two-phase: then the creditor agent's accept).
import { findCurrency } from '../src/money/currency.js';
import { DEMO_MEMBERS, demoNetworkConfig, loadReferenceRates } from '../src/service/demo.js';
import type { NetworkResult } from '../src/engine/commands.js';
import { openNetwork, type Network } from '../src/service/service.js';
import type { Store } from '../src/storage/store.js';
import {
  busiestOtherThreads, cpuPerOperation, drive, percentile, record, threadCpuSeconds,
  type BenchRecord,
} from './_common.js';
import { loadavg } from 'node:os';

export const NETWORK = 'BRICS demo: 9 currencies, 22 banks, 4 FX providers, 288 rates';

export interface Bank {
  readonly id: string;
  readonly currency: string;
}

export const BANKS: readonly Bank[] = DEMO_MEMBERS.flatMap((member) =>
  member.banks.map(([id]) => ({ id, currency: member.currency })),
);

/** Minor units of `currency` worth `usd` US dollars at the demo's reference rates. */
export function usdWorth(currency: string, usd: number): bigint {
  const perUsd = loadReferenceRates().get(currency) ?? '1';
  const [whole = '0', fraction = ''] = perUsd.split('.');
  const exponent = findCurrency(currency)?.exponent ?? 2;
  return (
    (BigInt(whole + fraction) * BigInt(usd) * 10n ** BigInt(exponent)) /
    10n ** BigInt(fraction.length)
  );
}

/** A small deterministic generator (mulberry32), so runs pick the same corridors. */
export function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface Corridor {
  readonly debtor: Bank;
  readonly creditor: Bank;
  readonly amount: bigint;
}

/** Random cross-border corridors between demo banks, for 50 to 500 USD each. */
export function corridors(count: number, seed: number): Corridor[] {
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

/** The BRICS demo network on `store`, configured. */
export async function demoNetworkOn(store: Store): Promise<Network> {
  const network = await openNetwork({ store, batchDelayMs: 1 });
  const results = await network.configureFrom(demoNetworkConfig('benchmark'));
  const refused = results.find((result) => result.code !== 'ok');
  if (refused !== undefined)
    throw new Error(`demo network refused: ${refused.code} ${refused.message ?? ''}`);
  return network;
}

export function expectOk(result: NetworkResult, what: string, status?: string): NetworkResult {
  if (result.code !== 'ok' || (status !== undefined && result.payment?.status !== status)) {
    throw new Error(
      `${what}: ${result.code} ${result.payment?.status ?? ''} ${result.payment?.reason ?? ''} ` +
        `${result.message ?? ''}`,
    );
  }
  return result;
}

/** One quote, then one payment with it (then, two-phase, the creditor agent's accept). */
export async function pair(
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

/**
 * Drives `count` pairs through `network` with `concurrency` in flight, checks every payment
 * settled and the ledger's invariants, closes the network and answers the record.
 */
export async function measurePairs(
  network: Network,
  name: 'instant_payments' | 'two_phase_payments',
  count: number,
  concurrency: number,
): Promise<BenchRecord> {
  const twoPhase = name === 'two_phase_payments';
  const loadBefore = loadavg()[0] ?? 0;
  const list = corridors(count, twoPhase ? 2 : 1);
  const cpu = threadCpuSeconds();
  const { latencies, seconds } = await drive(count, concurrency, (index) =>
    pair(network, list[index] as Corridor, index, twoPhase),
  );
  // CPU per pair on the writer's thread (engine, pipeline, bench driver) and on the storage
  // threads: less sensitive than pairs/s to what else the shared machine runs.
  const cpuFields = { ...cpuPerOperation(cpu, count),
    busiest_other_threads_cpu_us_per_op: busiestOtherThreads(cpu, count) };
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
    concurrency,
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

