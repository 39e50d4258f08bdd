// Shared helpers for benchmarks: percentiles, the result record shape of DESIGN.md, output.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from '../src/ledger/types.js';
import type { Ledger } from '../src/pipeline/ledger-service.js';
import { accountCommand, postedTransfer } from '../src/testing/ledger-fixtures.js';

export const RESULTS_DIRECTORY = join(dirname(fileURLToPath(import.meta.url)), 'results');

export interface BenchRecord {
  readonly name: string;
  readonly ops_per_sec: number;
  readonly p50_ms: number | null;
  readonly p99_ms: number | null;
  readonly rss_mb: number;
  readonly durable: boolean;
  readonly node: string;
  readonly cpus: number;
  readonly date: string;
  readonly [extra: string]: unknown;
}

export function percentile(sorted: Float64Array | number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.floor(fraction * sorted.length));
  return Number((sorted[index] ?? 0).toFixed(3));
}

/** What a benchmark measures; record() adds the machine's facts. */
export interface MeasuredFields {
  readonly name: string;
  readonly ops_per_sec: number;
  readonly p50_ms: number | null;
  readonly p99_ms: number | null;
  readonly durable: boolean;
  readonly rss_mb?: number;
  readonly [extra: string]: unknown;
}

export function record(fields: MeasuredFields): BenchRecord {
  return {
    rss_mb: Math.round(process.memoryUsage().rss / 1e6),
    // The 1-minute load average when the record was made (other jobs share the machine); a
    // benchmark that measured its own keeps it.
    load_average_1m: Number((loadavg()[0] ?? 0).toFixed(2)),
    ...fields,
    node: process.version,
    cpus: cpus().length,
    date: new Date().toISOString(),
  };
}

/** Merges records into bench/results/<file>.json by name, keeping records of other runs. */
export function writeResults(file: string, records: BenchRecord[]): void {
  mkdirSync(RESULTS_DIRECTORY, { recursive: true });
  const path = join(RESULTS_DIRECTORY, `${file}.json`);
  let existing: BenchRecord[] = [];
  try {
    existing = JSON.parse(readFileSync(path, 'utf8')) as BenchRecord[];
  } catch {
    existing = [];
  }
  const names = new Set(records.map((item) => item.name));
  const merged = [...existing.filter((item) => !names.has(item.name)), ...records];
  writeFileSync(path, `${JSON.stringify(merged, null, 2)}\n`);
  for (const item of records) {
    console.log(`${item.name.padEnd(18)} ${String(item.ops_per_sec).padStart(10)} ops/s` +
      `  p50 ${item.p50_ms ?? '-'} ms  p99 ${item.p99_ms ?? '-'} ms  rss ${item.rss_mb} MB`);
  }
}

/** Runs `count` requests with `concurrency` in flight; returns per-request latencies (ms). */
export async function drive(
  count: number,
  concurrency: number,
  request: (index: number) => Promise<void>,
): Promise<{ latencies: Float64Array; seconds: number }> {
  const latencies = new Float64Array(count);
  let next = 0;
  const started = performance.now();
  async function worker(): Promise<void> {
    while (next < count) {
      const index = next++;
      const begin = performance.now();
      await request(index);
      latencies[index] = performance.now() - begin;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort();
  return { latencies, seconds };
}

/** CPU seconds of each thread of this process (Linux /proc), by thread id; empty elsewhere. */
export function threadCpuSeconds(pid: number | 'self' = 'self'): Map<number, number> {
  const times = new Map<number, number>();
  const ticks = 100;
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      times.set(Number(task), (Number(fields[11]) + Number(fields[12])) / ticks);
    }
  } catch {
    times.clear();
  }
  return times;
}

/** CPU microseconds per operation on this (the writer's) thread and on all other threads. */
export function cpuPerOperation(
  before: Map<number, number>,
  operations: number,
): { main_cpu_us_per_op: number; other_threads_cpu_us_per_op: number } {
  const after = threadCpuSeconds();
  let main = 0;
  let others = 0;
  for (const [task, seconds] of after) {
    const spent = seconds - (before.get(task) ?? 0);
    if (task === process.pid) main += spent;
    else others += spent;
  }
  const perOperation = (seconds: number): number => Number((seconds * 1e6 / operations).toFixed(2));
  if (process.env['BENCH_THREADS'] !== undefined) {
    // Each busy thread as id:µs per operation (the writer's id is the process id).
    const spent = [...after].map(([task, seconds]) => [task, seconds - (before.get(task) ?? 0)]);
    console.error(spent.filter(([, seconds]) => (seconds ?? 0) > 0.05)
      .map(([task, seconds]) => `${task}:${perOperation(seconds ?? 0)}`).join(' '));
  }
  return { main_cpu_us_per_op: perOperation(main),
    other_threads_cpu_us_per_op: perOperation(others) };
}

/**
 * CPU microseconds per operation of the three busiest threads other than this one: with
 * storage threads, the projector and the journal writer first (the rest are V8's and libuv's
 * helpers).
 */
export function busiestOtherThreads(before: Map<number, number>, operations: number): number[] {
  const spent: number[] = [];
  for (const [task, seconds] of threadCpuSeconds()) {
    if (task !== process.pid) spent.push(seconds - (before.get(task) ?? 0));
  }
  return spent.sort((a, b) => b - a).slice(0, 3)
    .map((seconds) => Number((seconds * 1e6 / operations).toFixed(2)));
}

/**
 * The ledger benchmarks' accounts: BRL and INR central banks (issuers), an FX provider's BRL
 * and INR accounts, a fee account, and `banks` banks with a funded BRL and INR account each.
 */
export async function seedBanks(ledger: Ledger, banks: number): Promise<void> {
  const setup: Command[] = [accountCommand('cb-brl', 'BRL', { issuer: true }),
    accountCommand('cb-inr', 'INR', { issuer: true }), accountCommand('fx-brl', 'BRL'),
    accountCommand('fx-inr', 'INR'), accountCommand('fee-brl', 'BRL')];
  for (let bank = 0; bank < banks; bank++) {
    setup.push(accountCommand(`brl-${bank}`, 'BRL'), accountCommand(`inr-${bank}`, 'INR'));
  }
  for (let bank = 0; bank < banks; bank++) {
    setup.push(postedTransfer(`fund-brl-${bank}`, 'cb-brl', `brl-${bank}`, 10n ** 12n, 'BRL'));
    setup.push(postedTransfer(`fund-inr-${bank}`, 'cb-inr', `inr-${bank}`, 10n ** 12n, 'INR'));
  }
  setup.push(postedTransfer('fund-fx-inr', 'cb-inr', 'fx-inr', 10n ** 15n, 'INR'));
  for (let index = 0; index < setup.length; index += 8_000) {
    await ledger.submit(setup.slice(index, index + 8_000));
  }
}

/** A posted transfer command, as a client's request decoder would build it. */
export function transferCommand(
  id: string, debitAccountId: string, creditAccountId: string, amount: bigint, currency: string,
  linked: boolean,
): Command {
  return { type: 'create_transfer', transfer: { id, kind: 'posted', debitAccountId, creditAccountId,
    amount, currency, pendingId: '', timeoutMs: 0, reference: '', linked } };
}

/**
 * The ledger PvP benchmark's request on a ledger seeded by seedBanks(ledger, banks): request
 * `index` submits one linked group of three legs (BRL to the FX provider, INR from it, a BRL
 * fee), the ledger-level shape of one cross-border payment. Account ids are built once, as a
 * client holds them, not formatted per request.
 */
export function pvpGroupRequest(ledger: Ledger, banks: number): (index: number) => Promise<void> {
  const brl = Array.from({ length: banks }, (_, bank) => `brl-${bank}`);
  const inr = Array.from({ length: banks }, (_, bank) => `inr-${bank}`);
  return async (index) => {
    const bank = index % banks;
    const results = await ledger.submit([
      transferCommand(`g${index}-1`, brl[bank] as string, 'fx-brl', 1_000n, 'BRL', true),
      transferCommand(`g${index}-2`, 'fx-inr', inr[(bank + 1) % banks] as string, 15_500n, 'INR',
        true),
      transferCommand(`g${index}-3`, brl[bank] as string, 'fee-brl', 5n, 'BRL', false),
    ]);
    for (const result of results) if (result.code !== 'ok') throw new Error('PvP group failed');
  };
}
