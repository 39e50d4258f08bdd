// HTTP API benchmark (npm run bench:api): a Corridor node runs in its own process (the demo
// network, no generated traffic) and this process is the load generator, over keep-alive
// connections. Figures: single payments (quote + pay, two requests) per second with p50/p99
// of the pair, and payments per second through the batch endpoint. Writes bench/results/api.json.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { DEMO_MEMBERS, loadReferenceRates } from '../src/service/demo.js';
import { drive, percentile, record, writeResults, type BenchRecord } from './_common.js';

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

async function singlePayments(node: Node, pool: Pool): Promise<BenchRecord> {
  const count = Math.round(20_000 * SCALE);
  const { latencies, seconds } = await drive(count, 64, async (index) => {
    const payer = BANKS[index % BANKS.length]!;
    let payee = BANKS[(index * 7 + 3) % BANKS.length]!;
    if (payee.currency === payer.currency) payee = BANKS[(index * 7 + 6) % BANKS.length]!;
    const key = node.keys.get(payer.id)!;
    const quote = await post(pool, key, '/v1/quotes', {
      sourceCurrency: payer.currency,
      targetCurrency: payee.currency,
      fixed: 'send',
      amount: hundredDollars(payer.currency),
    });
    await post(pool, key, '/v1/payments', {
      creditorAgent: payee.id,
      quoteId: quote['id'],
      debtor: { name: 'Bench Exporter' },
      creditor: { name: 'Bench Importer' },
      endToEndId: `B${index}`,
    });
  });
  return record({
    name: 'single_payments',
    ops_per_sec: Math.round(count / seconds),
    p50_ms: percentile(latencies, 0.5),
    p99_ms: percentile(latencies, 0.99),
    durable: true,
    payments: count,
    requests_per_payment: 2,
    http_requests_per_sec: Math.round((2 * count) / seconds),
    concurrency: 64,
  });
}

async function batchPayments(node: Node, pool: Pool): Promise<BenchRecord> {
  const batches = Math.round(100 * SCALE);
  const size = 1_000;
  const { latencies, seconds } = await drive(batches, 4, async (index) => {
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
  });
  return record({
    name: 'batch_payments',
    ops_per_sec: Math.round((batches * size) / seconds),
    p50_ms: percentile(latencies, 0.5),
    p99_ms: percentile(latencies, 0.99),
    durable: true,
    payments: batches * size,
    batch_size: size,
    payment_kind: 'domestic (no quote round trip)',
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'corridor-api-bench-'));
const node = await startNode(dataDir);
const pool = new Pool(node.url, { connections: 64, pipelining: 1 });
try {
  writeResults('api', [await singlePayments(node, pool), await batchPayments(node, pool)]);
} finally {
  await pool.close();
  node.child.kill('SIGTERM');
  await new Promise((resolve) => node.child.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
