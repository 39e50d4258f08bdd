// Ledger benchmarks (npm run bench): transfers/s and PvP groups/s through the whole pipeline
// with durable SQLite commits, memory per account at 1M accounts, and recovery time of a
// 10M-transfer journal. Writes bench/results/ledger.json. Scale down with BENCH_SCALE=0.1.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openLedger, type Ledger } from '../src/pipeline/ledger-service.js';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { accountCommand, postedTransfer } from '../src/testing/ledger-fixtures.js';
import type { Command } from '../src/ledger/types.js';
import { drive, percentile, record, writeResults, type BenchRecord } from './_common.js';

const SCALE = Number(process.env['BENCH_SCALE'] ?? '1');
const ONLY = process.env['BENCH_ONLY']?.split(',');
const directory = mkdtempSync(join(tmpdir(), 'corridor-bench-'));
const BANKS = 10_000;

async function seeded(name: string): Promise<Ledger> {
  const ledger = await openLedger({ store: new SqliteStore({ path: join(directory, `${name}.db`) }), batchDelayMs: 1 });
  const setup: Command[] = [accountCommand('cb-brl', 'BRL', { issuer: true }),
    accountCommand('cb-inr', 'INR', { issuer: true }), accountCommand('fx-brl', 'BRL'),
    accountCommand('fx-inr', 'INR'), accountCommand('fee-brl', 'BRL')];
  for (let bank = 0; bank < BANKS; bank++) {
    setup.push(accountCommand(`brl-${bank}`, 'BRL'), accountCommand(`inr-${bank}`, 'INR'));
  }
  for (let bank = 0; bank < BANKS; bank++) {
    setup.push(postedTransfer(`fund-brl-${bank}`, 'cb-brl', `brl-${bank}`, 10n ** 12n, 'BRL'));
    setup.push(postedTransfer(`fund-inr-${bank}`, 'cb-inr', `inr-${bank}`, 10n ** 12n, 'INR'));
  }
  setup.push(postedTransfer('fund-fx-inr', 'cb-inr', 'fx-inr', 10n ** 15n, 'INR'));
  for (let index = 0; index < setup.length; index += 8_000) await ledger.submit(setup.slice(index, index + 8_000));
  return ledger;
}

async function benchTransfers(): Promise<BenchRecord> {
  const ledger = await seeded('transfers');
  const count = Math.round(1_000_000 * SCALE);
  const { latencies, seconds } = await drive(count, 4_096, async (index) => {
    const debit = index % BANKS;
    const credit = (index * 7 + 1) % BANKS;
    const target = credit === debit ? (credit + 1) % BANKS : credit;
    const [result] = await ledger.submit([postedTransfer(`t${index}`, `brl-${debit}`, `brl-${target}`, 100n, 'BRL')]);
    if (result?.code !== 'ok') throw new Error(`transfer failed: ${result?.code}`);
  });
  ledger.engine.checkAllInvariants();
  await ledger.close();
  return record({ name: 'transfers', ops_per_sec: Math.round(count / seconds),
    p50_ms: percentile(latencies, 0.5), p99_ms: percentile(latencies, 0.99), durable: true,
    transfers: count, accounts: BANKS * 2, request: '1 transfer per request, 4,096 in flight' });
}

async function benchPvpGroups(): Promise<BenchRecord> {
  const ledger = await seeded('pvp');
  const count = Math.round(400_000 * SCALE);
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
    groups: count, legs_per_group: 3, request: '1 linked group per request, 2,048 in flight' });
}

function child(script: string, args: string[]): BenchRecord {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const run = spawnSync(process.execPath, ['--max-old-space-size=8192', '--expose-gc', '--import', 'tsx', path, ...args],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  if (run.status !== 0) throw new Error(`${script} failed with status ${String(run.status)}`);
  const last = run.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as BenchRecord;
}

const records: BenchRecord[] = [];
const wanted = (name: string): boolean => ONLY === undefined || ONLY.includes(name);
if (wanted('transfers')) records.push(await benchTransfers());
if (wanted('pvp_groups')) records.push(await benchPvpGroups());
if (wanted('accounts_memory')) {
  records.push(child('./_accounts-memory.ts', [String(Math.round(1_000_000 * SCALE)), directory]));
}
if (wanted('recovery')) {
  records.push(child('./_recovery.ts', [String(Math.round(10_000_000 * SCALE)), directory]));
}
writeResults('ledger', records);
rmSync(directory, { recursive: true, force: true });
