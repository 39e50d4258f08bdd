// Child of ledger.bench.ts: creates N accounts through the durable pipeline and reports the
// writer's heap bytes per account (the engine's memory), the growth of the whole process's
// RSS per account (storage threads and SQLite caches included) and the peak RSS. Prints one
// JSON record as its last line.
import { join } from 'node:path';
import { openLedger } from '../src/pipeline/ledger-service.js';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { accountCommand } from '../src/testing/ledger-fixtures.js';
import { record } from './_common.js';

const count = Number(process.argv[2]);
const directory = String(process.argv[3]);
const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const ledger = await openLedger({ store: new SqliteStore({ path: join(directory, 'accounts.db') }), batchDelayMs: 1 });
collect();
const before = process.memoryUsage().heapUsed;
const rssBefore = process.memoryUsage().rss;
const started = performance.now();
let peak = 0;
const pending: Promise<unknown>[] = [];
for (let start = 0; start < count; start += 8_000) {
  const group = [];
  for (let index = start; index < Math.min(count, start + 8_000); index++) {
    group.push(accountCommand(`bank-${index.toString(36).padStart(6, '0')}:BRL`, 'BRL', { owner: `bank-${index % 5_000}` }));
  }
  pending.push(ledger.submit(group));
  if (pending.length >= 8) {
    await Promise.all(pending.splice(0));
    peak = Math.max(peak, process.memoryUsage().rss);
  }
}
await Promise.all(pending);
const seconds = (performance.now() - started) / 1000;
await ledger.store.caughtUp();
collect();
const heapBytes = process.memoryUsage().heapUsed - before;
const rssAfter = process.memoryUsage().rss;
peak = Math.max(peak, rssAfter, process.resourceUsage().maxRSS * 1e3);
console.log(JSON.stringify(record({
  name: 'accounts_memory', ops_per_sec: Math.round(count / seconds), p50_ms: null, p99_ms: null,
  durable: true, accounts: count, bytes_per_account: Math.round(heapBytes / count),
  rss_growth_bytes_per_account: Math.round((rssAfter - rssBefore) / count),
  peak_rss_mb: Math.round(peak / 1e6), rss_mb: Math.round(peak / 1e6),
})));
await ledger.close();
