// Screening benchmark (npm run bench:screening): what sanctions screening costs the thread
// that applies batches, screened there (screeningThreads 0) and on a screening thread
// (ScreeningPool, the node's default). A synthetic list of 20,000 entries with two aliases each
// (src/compliance/benchmark.ts, written as OFAC's sdn.csv/alt.csv so that the pool's thread
// loads it as a node would) and domestic instant payments on durable SQLite whose parties are
// all new names (the worst case: nothing comes from the cache), many in flight. Both runs in
// one process, one after the other, so that the ratio of the writer thread's CPU per payment
// (pool ÷ in-thread) holds on a shared machine; a run without screening first, as the base that
// the screening's own cost on the writer thread is measured against. Writes
// bench/results/screening.json. BENCH_SCALE shrinks the payment count.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticEntries } from '../src/compliance/benchmark.js';
import { loadScreenerFromDirectory } from '../src/compliance/party-screener.js';
import { openScreeningPool } from '../src/compliance/screening-pool.js';
import type { SanctionsEntry } from '../src/compliance/model.js';
import { openNetwork, type PartyScreener } from '../src/service/service.js';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { paymentInput, testNetworkConfig } from '../src/testing/network-fixtures.js';
import {
  busiestOtherThreads, cpuPerOperation, drive, percentile, record, threadCpuSeconds,
  writeResults, type BenchRecord,
} from './_common.js';

const SCALE = Number(process.env['BENCH_SCALE'] ?? '1');
const PAYMENTS = Math.max(1_000, Math.round(20_000 * SCALE));
const ENTRIES = 20_000;
const CONCURRENCY = 256;
const directory = mkdtempSync(join(tmpdir(), 'corridor-bench-screening-'));

const csv = (text: string): string => `"${text.replaceAll('"', '""')}"`;

/** The entries as OFAC's legacy CSV pair, which loadSanctionsLists reads. */
function writeOfacCsv(entries: readonly SanctionsEntry[], into: string): void {
  const none = '-0- ';
  const sdn = entries.map((entry, index) => [index + 1, csv(entry.primaryName),
    entry.kind === 'individual' ? csv('individual') : none, csv(entry.programs.join('] [')),
    none, none, none, none, none, none, none, none].join(','));
  let alias = 1_000_000;
  const alt = entries.flatMap((entry, index) => entry.aliases.map((name) =>
    [index + 1, alias++, csv('aka'), csv(name), none].join(',')));
  writeFileSync(join(into, 'sdn.csv'), `${sdn.join('\n')}\n`);
  writeFileSync(join(into, 'alt.csv'), `${alt.join('\n')}\n`);
}

/** Fresh party names from the list's vocabulary (another seed): none screened before. */
const names = syntheticEntries(PAYMENTS * 4, 7).map((entry) => entry.primaryName);

async function run(
  name: string,
  screener: PartyScreener | undefined,
  offset: number,
): Promise<BenchRecord> {
  const store = new SqliteStore({ path: join(directory, `${name}.db`) });
  const network = await openNetwork({ store, batchDelayMs: 1,
    ...(screener === undefined ? {} : { screener }) });
  const refused = (await network.configureFrom(testNetworkConfig()))
    .find((result) => result.code !== 'ok');
  if (refused !== undefined) throw new Error(`screening bench: ${JSON.stringify(refused)}`);
  const before = threadCpuSeconds();
  const load = loadavg()[0] ?? 0;
  let held = 0;
  const { latencies, seconds } = await drive(PAYMENTS, CONCURRENCY, async (index) => {
    const even = index % 2 === 0;
    const input = paymentInput({ creditorAgent: even ? 'br-other' : 'br-bank', currency: 'BRL',
      amount: 1n, id: `s${index}` });
    const result = await network.pay(even ? 'br-bank' : 'br-other', { ...input,
      debtor: { ...input.debtor, name: names[offset + 2 * index] ?? 'A' },
      creditor: { ...input.creditor, name: names[offset + 2 * index + 1] ?? 'B' } });
    if (result.code !== 'ok') throw new Error(`screening bench: ${result.code}`);
    if (result.payment?.status === 'BLCK') held += 1;
  });
  const cpu = cpuPerOperation(before, PAYMENTS);
  const [projector = 0, journal = 0] = busiestOtherThreads(before, PAYMENTS);
  await network.close();
  return record({
    name, ops_per_sec: Math.round(PAYMENTS / seconds), p50_ms: percentile(latencies, 0.5),
    p99_ms: percentile(latencies, 0.99), durable: true, payments: PAYMENTS,
    concurrency: CONCURRENCY,
    list_entries: ENTRIES, request: 'pay(instant), domestic, both parties new names',
    held_for_review: held, seconds: Number(seconds.toFixed(2)), ...cpu,
    busiest_other_threads_cpu_us_per_op: [projector, journal],
    load_average: [Number(load.toFixed(2)), Number((loadavg()[0] ?? 0).toFixed(2))],
  });
}

try {
  writeOfacCsv(syntheticEntries(ENTRIES), directory);
  const inThread = loadScreenerFromDirectory(directory);
  process.stderr.write(`screening bench: ${inThread.entries} entries, ${PAYMENTS} payments\n`);
  const none = await run('no_screening', undefined, 0);
  console.log(`${none.name.padEnd(32)} ${none.ops_per_sec} payments/s  ` +
    `writer ${none['main_cpu_us_per_op']} µs/payment`);
  const writer = await run('screening_in_writer_thread', inThread.screener, 0);
  console.log(`${writer.name.padEnd(32)} ${writer.ops_per_sec} payments/s  ` +
    `writer ${writer['main_cpu_us_per_op']} µs/payment`);
  const pool = await openScreeningPool({ directory, threads: 1 });
  const threaded = await run('screening_on_thread', pool, 2 * PAYMENTS);
  await pool.close();
  console.log(`${threaded.name.padEnd(32)} ${threaded.ops_per_sec} payments/s  ` +
    `writer ${threaded['main_cpu_us_per_op']} µs/payment`);
  const cpu = (item: BenchRecord): number => Number(item['main_cpu_us_per_op']);
  const ratio = cpu(threaded) / cpu(writer);
  const summary = record({ name: 'screening_writer_cpu_ratio', ops_per_sec: threaded.ops_per_sec,
    p50_ms: null, p99_ms: null, durable: true,
    ratio: Number(ratio.toFixed(3)),
    writer_cpu_us_per_payment_for_screening: {
      in_writer_thread: Number((cpu(writer) - cpu(none)).toFixed(1)),
      on_thread: Number((cpu(threaded) - cpu(none)).toFixed(1)) },
    throughput_ratio: Number((threaded.ops_per_sec / writer.ops_per_sec).toFixed(3)),
    definition: 'writer-thread CPU µs per payment with screening on a thread ÷ with screening ' +
      'in the writer thread, same process and run, every party a new name' });
  console.log(`writer-thread CPU ratio (thread ÷ in-thread) ${summary['ratio']}, ` +
    `throughput ratio ${summary['throughput_ratio']}`);
  writeResults('screening', [none, writer, threaded, summary]);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
