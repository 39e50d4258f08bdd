// HTTP API benchmark (npm run bench:api): a Corridor node runs in its own process (the demo
// network, no generated traffic) and this process is the load generator, over keep-alive
// connections. Figures: single payments (quote + pay, two requests; or one request with the
// quote inline) per second with p50/p99, and payments per second through the batch endpoint,
// each with the node's CPU per payment by thread (main: Fastify, the engine, the pipeline;
// the others: storage, libuv) and the load generator's. Writes bench/results/api.json.
// BENCH_SERVER_PROFILE=dir writes the node's CPU profile there.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { DEMO_MEMBERS, loadReferenceRates } from '../src/service/demo.js';
import {
  drive, percentile, record, threadCpuSeconds, writeResults, type BenchRecord,
} from './_common.js';

const SCALE = Number(process.env['BENCH_SCALE'] ?? '1');
const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

interface Node {
  readonly url: string;
  readonly keys: Map<string, string>;
  readonly child: ChildProcess;
}

async function startNode(dataDir: string): Promise<Node> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env['BENCH_SERVER_PROFILE'] === undefined ? []
        : ['--cpu-prof', '--cpu-prof-dir', process.env['BENCH_SERVER_PROFILE']]),
      '--import',
      'tsx',
      MAIN,
      'demo',
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--traffic',
      '0',
      '--log-level',
      'error',
      '--json',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, CORRIDOR_RATE_LIMIT_PER_MINUTE: '100000000',
        CORRIDOR_DEMO_PROFILE: 'benchmark' },
    },
  );
  const line = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout! }).once('line', resolve),
  );
  const started = JSON.parse(line) as { url: string; keys: { participant: string; key: string }[] };
  return {
    url: started.url,
    child,
    keys: new Map(started.keys.map((item) => [item.participant, item.key])),
  };
}

async function post(
  pool: Pool,
  key: string,
  path: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const response = await pool.request({
    method: 'POST',
    path,
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
  });
  const parsed = (await response.body.json()) as Record<string, unknown>;
  if (response.statusCode >= 300)
    throw new Error(`${path}: ${response.statusCode} ${JSON.stringify(parsed)}`);
  return parsed;
}

const PER_USD = loadReferenceRates();
/** About USD 100 in the currency, as a decimal string: big enough to convert into any other. */
function hundredDollars(currency: string): string {
  return `${Math.max(1, Math.round(Number(PER_USD.get(currency) ?? '1') * 100))}.00`;
}

const BANKS = DEMO_MEMBERS.flatMap((member) =>
  member.banks.map(([id]) => ({ id, currency: member.currency })),
);

/** The node's threads by name (main is the process's own), CPU seconds each. */
function nodeCpu(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const [task, seconds] of threadCpuSeconds(pid)) {
    let name = 'main';
    if (task !== pid) {
      try {
        name = readFileSync(`/proc/${pid}/task/${task}/comm`, 'utf8').trim();
      } catch {
        name = 'gone';
      }
    }
    byName.set(name, (byName.get(name) ?? 0) + seconds);
  }
  return byName;
}

/**
 * CPU per operation while `run` runs: the node's main thread, its other threads (all, and by
 * name), the load generator (this process), and the load average before and after.
 */
async function measured<T>(
  node: Node,
  operations: () => number,
  run: () => Promise<T>,
): Promise<{ value: T; cpu: Record<string, unknown> }> {
  const pid = node.child.pid ?? 0;
  const loadBefore = loadavg()[0] ?? 0;
  const before = nodeCpu(pid);
  const client = process.cpuUsage();
  const value = await run();
  const spent = process.cpuUsage(client);
  const after = nodeCpu(pid);
  const count = operations();
  const perOp = (seconds: number): number => Number(((seconds * 1e6) / count).toFixed(1));
  const threads: Record<string, number> = {};
  const mainSeconds = (after.get('main') ?? 0) - (before.get('main') ?? 0);
  let others = 0;
  for (const [name, seconds] of after) {
    const used = seconds - (before.get(name) ?? 0);
    if (name !== 'main') others += used;
    if (used > 0.01) threads[name] = perOp(used);
  }
  return {
    value,
    cpu: {
      node_main_cpu_us_per_op: perOp(mainSeconds),
      // What the node's main thread alone allows (Fastify, the engine, the commit pipeline all
      // run on it): payments per second if it had a core to itself and never waited.
      main_thread_bound_ops_per_sec: mainSeconds > 0 ? Math.round(count / mainSeconds) : null,
      node_other_threads_cpu_us_per_op: perOp(others),
      node_cpu_us_per_op_by_thread: threads,
      load_generator_cpu_us_per_op: perOp((spent.user + spent.system) / 1e6),
      load_average: [Number(loadBefore.toFixed(2)), Number((loadavg()[0] ?? 0).toFixed(2))],
    },
  };
}

type SingleHow = 'quote_then_pay' | 'inline_quote';

async function singlePayments(node: Node, pool: Pool, how: SingleHow): Promise<BenchRecord> {
  const count = Math.round(20_000 * SCALE);
  const tag = how === 'inline_quote' ? 'Q' : 'B';
  const { value: { latencies, seconds }, cpu } = await measured(node, () => count, () =>
    drive(count, 64, async (index) => {
      const payer = BANKS[index % BANKS.length]!;
      let payee = BANKS[(index * 7 + 3) % BANKS.length]!;
      if (payee.currency === payer.currency) payee = BANKS[(index * 7 + 6) % BANKS.length]!;
      const key = node.keys.get(payer.id)!;
      const quote = {
        sourceCurrency: payer.currency,
        targetCurrency: payee.currency,
        fixed: 'send',
        amount: hundredDollars(payer.currency),
      };
      const payment = {
        creditorAgent: payee.id,
        debtor: { name: 'Bench Exporter' },
        creditor: { name: 'Bench Importer' },
        endToEndId: `${tag}${index}`,
      };
      if (how === 'inline_quote') {
        await post(pool, key, '/v1/payments', { ...payment, quote });
        return;
      }
      const quoted = await post(pool, key, '/v1/quotes', quote);
      await post(pool, key, '/v1/payments', { ...payment, quoteId: quoted['id'] });
    }));
  const requests = how === 'inline_quote' ? 1 : 2;
  return record({
    name: how === 'inline_quote' ? 'single_payments_inline_quote' : 'single_payments',
    ops_per_sec: Math.round(count / seconds),
    p50_ms: percentile(latencies, 0.5),
    p99_ms: percentile(latencies, 0.99),
    durable: true,
    payments: count,
    request: how === 'inline_quote'
      ? 'POST /v1/payments with the quote inline (one request, one batch)'
      : 'POST /v1/quotes then POST /v1/payments with its quoteId',
    requests_per_payment: requests,
    http_requests_per_sec: Math.round((requests * count) / seconds),
    concurrency: 64,
    target_ops_per_sec: 10_000,
    target_p99_ms: 20,
    ...cpu,
  });
}

async function batchPayments(node: Node, pool: Pool): Promise<BenchRecord> {
  const batches = Math.round(100 * SCALE);
  const size = 1_000;
  const { value: { latencies, seconds }, cpu } = await measured(node, () => batches * size,
    () => drive(batches, 4, async (index) => {
      const payer = BANKS[index % BANKS.length]!;
      const payee = BANKS.find((bank) => bank.currency === payer.currency && bank.id !== payer.id)!;
      const payments = Array.from({ length: size }, (_, item) => ({
        creditorAgent: payee.id,
        currency: payer.currency,
        amount: '10.00',
        debtor: { name: 'Bench Exporter' },
        creditor: { name: 'Bench Importer' },
        endToEndId: `D${index}-${item}`,
      }));
      const body = await post(pool, node.keys.get(payer.id)!, '/v1/payments/batch', { payments });
      const results = body['results'] as { payment?: { status: string } }[];
      if (results.some((result) => result.payment?.status !== 'ACCC'))
        throw new Error('a batch payment did not settle');
    }));
  return record({
    name: 'batch_payments',
    ops_per_sec: Math.round((batches * size) / seconds),
    p50_ms: percentile(latencies, 0.5),
    p99_ms: percentile(latencies, 0.99),
    durable: true,
    payments: batches * size,
    batch_size: size,
    payment_kind: 'domestic (no quote round trip)',
    target_ops_per_sec: 100_000,
    ...cpu,
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'corridor-api-bench-'));
const node = await startNode(dataDir);
const pool = new Pool(node.url, { connections: 64, pipelining: 1 });
try {
  writeResults('api', [
    await singlePayments(node, pool, 'quote_then_pay'),
    await singlePayments(node, pool, 'inline_quote'),
    await batchPayments(node, pool),
  ]);
} finally {
  await pool.close();
  node.child.kill('SIGTERM');
  await new Promise((resolve) => node.child.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
