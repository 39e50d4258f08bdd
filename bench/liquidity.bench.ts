// Liquidity benchmarks (npm run bench:liquidity), on the network engine itself (no storage):
// (a) gridlock_resolution: one resolution pass over a queue of 10,000 cross-currency payments
//     among 100 participants (90 banks, 10 per currency, and 10 FX providers) in 9 currencies,
//     in trade cycles, each holding 10% of one payment: p50/p99 over fresh queues (target
//     p50 < 50 ms);
// (b) queued_payments: funded domestic payments per second with the queue on, and ratio_to_off,
//     the same with the queue off, in this run, rounds interleaved (target ratio ≥ 0.8).
// Writes bench/results/liquidity.json. Scale down with BENCH_SCALE=0.1.
import { loadavg } from 'node:os';
import { configToCommands } from '../src/service/config.js';
import type { NetworkConfigFile } from '../src/service/config-schema.js';
import type { NetworkCommand } from '../src/engine/commands.js';
import { NetworkEngine } from '../src/engine/engine.js';
import { uetrOf } from '../src/testing/gridlock.js';
import { planResolution } from '../src/engine/liquidity/queue.js';
import { percentile, record, writeResults, type BenchRecord } from './_common.js';
import { random } from './_payments.js';

const SCALE = Number(process.env['BENCH_SCALE'] ?? '1');
const CURRENCIES = ['AED', 'BRL', 'CNY', 'EGP', 'ETB', 'IDR', 'INR', 'RUB', 'ZAR'] as const;
const BANKS_PER_CURRENCY = 10;
const PROVIDERS = 10;
const QUEUE_PAYMENTS = Math.max(100, Math.round(10_000 * SCALE));
const RESOLUTION_ROUNDS = Math.max(3, Math.round(15 * SCALE));
const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);

const bankId = (currency: string, index: number): string => `b-${currency.toLowerCase()}-${index}`;

function config(queue: boolean, cycleMs: number, held: string): NetworkConfigFile {
  const providers = Array.from({ length: PROVIDERS }, (_, index) => `fx-${index}`);
  return {
    operator: { id: 'operator', name: 'Operator' },
    settings: {
      quoteTtlSeconds: 3600,
      ...(queue ? { queue: { enabled: true, capacity: 100_000, cycleMs } } : {}),
    },
    currencies: CURRENCIES.map((code) => ({ code, issuer: `cb-${code.toLowerCase()}` })),
    participants: [
      ...CURRENCIES.map((code) => ({ id: `cb-${code.toLowerCase()}`, name: `CB ${code}`,
        kind: 'central_bank' as const, country: 'AE', currencies: [code] })),
      ...CURRENCIES.flatMap((code) => Array.from({ length: BANKS_PER_CURRENCY }, (_, index) => ({
        id: bankId(code, index), name: `Bank ${code} ${index}`, kind: 'bank' as const,
        country: 'AE', currencies: [code] }))),
      ...providers.map((id) => ({ id, name: id, kind: 'fx_provider' as const, country: 'AE',
        currencies: [...CURRENCIES] })),
    ],
    rates: providers.flatMap((provider) => CURRENCIES.flatMap((source) => CURRENCIES
      .filter((target) => target !== source)
      .map((target) => ({ provider, source, target, rate: '1', spreadBps: 0,
        amountMax: '1000000000.00' })))),
    issuance: [
      ...CURRENCIES.flatMap((code) => Array.from({ length: BANKS_PER_CURRENCY }, (_, index) => ({
        currency: code, participant: bankId(code, index), amount: held }))),
      ...CURRENCIES.flatMap((code) => providers.map((participant) => ({
        currency: code, participant, amount: held }))),
    ],
  };
}

/** Process CPU time (user + system, every thread: GC included) of a cpuUsage delta, in ms. */
function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

function engineOf(configuration: NetworkConfigFile): NetworkEngine {
  const engine = new NetworkEngine();
  const setup = engine.apply(configToCommands(configuration, T0), T0);
  const refused = setup.results.find((result) => result.code !== 'ok');
  if (refused !== undefined) throw new Error(`setup refused: ${refused.code} ${refused.message}`);
  return engine;
}

function payment(id: string, from: string, to: string, extra: object): NetworkCommand {
  return {
    type: 'create_payment', actor: from, screening: { hit: false, matches: [] },
    payment: { id, mode: 'instant', debtorAgent: from, creditorAgent: to,
      debtor: { name: 'Importer' }, creditor: { name: 'Exporter' }, endToEndId: id,
      uetr: uetrOf(id), ...extra },
  };
}

/**
 * A queue of QUEUE_PAYMENTS cross-currency payments of 100.00 each, in random trade cycles of
 * 2 to 4 banks in different currencies (A pays B, B pays C, C pays A), shuffled; every bank and
 * provider holds 10.00 per currency, 10% of one payment: gross settlement settles nothing, the
 * cycles net to zero.
 */
function queuedEngine(seed: number): NetworkEngine {
  const engine = engineOf(config(true, 60_000, '10.00'));
  const next = random(seed);
  const legs: { from: string; to: string; source: string; target: string }[] = [];
  while (legs.length < QUEUE_PAYMENTS) {
    const length = 2 + Math.floor(next() * 3);
    const currencies = [...CURRENCIES].sort(() => next() - 0.5).slice(0, length);
    const banks = currencies.map((code) => bankId(code, Math.floor(next() * BANKS_PER_CURRENCY)));
    for (let index = 0; index < length && legs.length < QUEUE_PAYMENTS; index++) {
      const after = (index + 1) % length;
      legs.push({ from: banks[index] as string, to: banks[after] as string,
        source: currencies[index] as string, target: currencies[after] as string });
    }
  }
  for (let index = legs.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    const swapped = legs[index] as (typeof legs)[number];
    legs[index] = legs[other] as (typeof legs)[number];
    legs[other] = swapped;
  }
  // As if a pass had just run: the whole queue fills within one cycle, then one pass resolves it.
  engine.state.queue.lastRunAt = T0 + 1;
  let commands: NetworkCommand[] = [];
  const flush = (): void => {
    const batch = engine.apply(commands, T0 + 1);
    const refused = batch.results.find((result) => result.code !== 'ok');
    if (refused !== undefined) throw new Error(`refused: ${refused.code} ${refused.message}`);
    commands = [];
  };
  legs.forEach((leg, index) => {
    commands.push({ type: 'create_quote', actor: leg.from, quoteId: `q${index}`,
      source: leg.source, target: leg.target, fixed: 'send', amount: 10_000n });
    commands.push(payment(`p${index}`, leg.from, leg.to, { quoteId: `q${index}` }));
    if (commands.length >= 4_000) flush();
  });
  flush();
  return engine;
}

/**
 * p50/p99 of resolving the queue: deciding which payments settle (planResolution: order, FIFO
 * heads, bilateral, multilateral). pass_*: the whole pass of the engine, the resolved set then
 * posted as gross legs (three ledger transfers per payment) with its status changes and figures.
 */
function gridlockResolution(): BenchRecord {
  const times: number[] = [];
  const walls: number[] = [];
  const passes: number[] = [];
  let settledShare = 0;
  for (let round = 0; round < RESOLUTION_ROUNDS; round++) {
    const engine = queuedEngine(1_000 + round);
    const queued = engine.state.queue.entries.size;
    let started = performance.now();
    let cpu = process.cpuUsage();
    const plan = planResolution(engine.state);
    walls.push(performance.now() - started);
    times.push(cpuMs(process.cpuUsage(cpu)));
    started = performance.now();
    cpu = process.cpuUsage();
    engine.apply([{ type: 'run_queue', actor: 'operator' }], T0 + 60_001);
    passes.push(cpuMs(process.cpuUsage(cpu)));
    if (queued - engine.state.queue.entries.size !== plan.length) throw new Error('plan differs');
    settledShare += (queued - engine.state.queue.entries.size) / queued / RESOLUTION_ROUNDS;
    engine.checkAllInvariants();
  }
  times.sort((left, right) => left - right);
  walls.sort((left, right) => left - right);
  passes.sort((left, right) => left - right);
  return record({
    name: 'gridlock_resolution',
    ops_per_sec: Number((1000 / (percentile(times, 0.5) || 1)).toFixed(1)),
    p50_ms: percentile(times, 0.5),
    p99_ms: percentile(times, 0.99),
    durable: false,
    wall_p50_ms: percentile(walls, 0.5),
    wall_p99_ms: percentile(walls, 0.99),
    load_average: Number(loadavg()[0]?.toFixed(1)),
    pass_p50_ms: percentile(passes, 0.5),
    pass_p99_ms: percentile(passes, 0.99),
    queue_payments: QUEUE_PAYMENTS,
    participants: CURRENCIES.length * BANKS_PER_CURRENCY + PROVIDERS,
    currencies: CURRENCIES.length,
    rounds: RESOLUTION_ROUNDS,
    settled_share: Number(settledShare.toFixed(3)),
    note: 'times are CPU ms of the process (process.cpuUsage: immune to a loaded machine, GC ' +
      'threads included), wall_* the elapsed ones; p50/p99: deciding the settled set of a 10,000-payment queue (FIFO heads, bilateral, ' +
      'multilateral partial netting); pass_p50/p99: the whole engine pass including posting ' +
      'the set as gross legs and every status change; engine only, no storage',
  });
}

/**
 * Funded domestic payments per CPU second (the process's, GC included) through engine.apply, in
 * batches of 1,000: CPU time, because wall time on a shared machine measures the neighbours.
 */
function throughput(queue: boolean, payments: number, seed: number): number {
  const engine = engineOf(config(queue, 0, '100000000.00'));
  const next = random(seed);
  let elapsed = 0;
  for (let batch = 0; batch * 1_000 < payments; batch++) {
    const commands: NetworkCommand[] = [];
    for (let index = 0; index < 1_000; index++) {
      const currency = CURRENCIES[Math.floor(next() * CURRENCIES.length)] as string;
      const from = Math.floor(next() * BANKS_PER_CURRENCY);
      const to = (from + 1 + Math.floor(next() * (BANKS_PER_CURRENCY - 1))) % BANKS_PER_CURRENCY;
      const id = `d${batch}-${index}`;
      commands.push(payment(id, bankId(currency, from), bankId(currency, to),
        { currency, amount: 1_00n }));
    }
    const cpu = process.cpuUsage();
    engine.apply(commands, T0 + 1 + batch);
    elapsed += cpuMs(process.cpuUsage(cpu));
  }
  return payments / (elapsed / 1000);
}

function queuedPayments(): BenchRecord {
  const payments = Math.max(2_000, Math.round(40_000 * SCALE));
  const on: number[] = [];
  const off: number[] = [];
  throughput(true, 2_000, 1);
  throughput(false, 2_000, 1);
  for (let round = 0; round < 5; round++) {
    off.push(throughput(false, payments, 10 + round));
    on.push(throughput(true, payments, 10 + round));
  }
  on.sort((left, right) => left - right);
  off.sort((left, right) => left - right);
  const medianOn = on[2] as number;
  const medianOff = off[2] as number;
  return record({
    name: 'queued_payments',
    ops_per_sec: Math.round(medianOn),
    p50_ms: null,
    p99_ms: null,
    durable: false,
    ratio_to_off: Number((medianOn / medianOff).toFixed(3)),
    off_ops_per_sec: Math.round(medianOff),
    note: 'funded domestic payments per CPU second through engine.apply in batches of 1,000, ' +
      'queue on vs off, median of 5 interleaved rounds each; engine only, no storage',
  });
}

const only = process.env["BENCH_ONLY"];
writeResults("liquidity", [
  ...(only === undefined || only === "gridlock_resolution" ? [gridlockResolution()] : []),
  ...(only === undefined || only === "queued_payments" ? [queuedPayments()] : []),
]);
