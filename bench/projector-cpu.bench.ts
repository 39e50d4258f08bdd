// The projection's CPU per payment pair, measured on one thread (npm run bench:projector):
// drives quote+payment pairs (instant, then two-phase) through the demo network on a SQLite
// store, keeps every commit record, then, with no other thread of this process busy,
//  - encodes the measured records' effects again (the writer thread's encodeEffects),
//  - serialises their payments and quotes again (the writer thread's paymentJson/quoteJson),
//  - projects the records into a fresh projection database with LedgerProjection, in
//    transactions of ENTRIES_PER_TRANSACTION entries (decode + SQLite + commit, synchronous=FULL),
// each best of three, in process CPU µs per pair. These are the two costs that
// bench/payments.bench.ts's thread figures contain, without the machine's other load.
// BENCH_PAIRS (default 4000) pairs of each kind; BENCH_ENTRIES entries per transaction (default
// 2, about 250 pairs, as the projector's linger gathers at a few thousand pairs/s);
// BENCH_DROP=table,… leaves those tables' rows out (what they cost). The projection connection
// is opened as the projector thread opens it (storage-thread.ts). Prints one line per kind;
// writes no results.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeEffects } from '../src/storage/effects.js';
import type { CommitRecord } from '../src/storage/store.js';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { openConnection } from '../src/storage/sqlite/connection.js';
import { applyMigrations, LEDGER_MIGRATIONS } from '../src/storage/sqlite/migrations.js';
import { LedgerProjection, type ProjectionItem } from '../src/storage/sqlite/projection.js';
import {
  NETWORK_LAYER, paymentFromJson, paymentJson, quoteFromJson, quoteJson,
} from '../src/service/projections.js';
import { corridors, demoNetworkOn, pair, type Corridor } from './_payments.js';
import { drive } from './_common.js';

const PAIRS = Number(process.env['BENCH_PAIRS'] ?? '4000');
const ENTRIES_PER_TRANSACTION = Number(process.env['BENCH_ENTRIES'] ?? '2');
const directory = mkdtempSync(join(tmpdir(), 'corridor-bench-projector-'));

function cpuMicros(work: () => void): number {
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const before = process.cpuUsage();
    work();
    const spent = process.cpuUsage(before);
    best = Math.min(best, spent.user + spent.system);
  }
  return best;
}

async function capture(twoPhase: boolean): Promise<{ setup: CommitRecord[]; run: CommitRecord[] }> {
  const name = twoPhase ? 'two_phase' : 'instant';
  const store = new SqliteStore({ path: join(directory, `${name}.db`) });
  const records: CommitRecord[] = [];
  const commit = store.commit.bind(store);
  store.commit = (record) => {
    records.push(record);
    return commit(record);
  };
  const network = await demoNetworkOn(store);
  const setup = records.length;
  const list = corridors(PAIRS, twoPhase ? 2 : 1);
  await drive(PAIRS, 256, (index) => pair(network, list[index] as Corridor, index, twoPhase));
  await network.close();
  return { setup: records.slice(0, setup), run: records.slice(setup) };
}

const DROP = (process.env['BENCH_DROP'] ?? '').split(',');
function items(records: readonly CommitRecord[]): ProjectionItem[] {
  return records.map((record) => ({ sequence: record.entry.sequence, hash: record.entry.hash,
    effects: encodeEffects(record.ledger,
      record.writes?.filter((write) => !DROP.includes(write.table))) }));
}

function project(setup: readonly ProjectionItem[], run: readonly ProjectionItem[],
  path: string): number {
  const database = openConnection(path, { walPagesMax: 16_384, cacheMegabytes: 256 });
  applyMigrations(database, [LEDGER_MIGRATIONS,
    { owner: NETWORK_LAYER.owner, migrations: NETWORK_LAYER.sqlite }]);
  const projection = new LedgerProjection(database);
  projection.apply(setup);
  const before = process.cpuUsage();
  for (let start = 0; start < run.length; start += ENTRIES_PER_TRANSACTION) {
    projection.apply(run.slice(start, start + ENTRIES_PER_TRANSACTION));
  }
  const spent = process.cpuUsage(before);
  database.close();
  return spent.user + spent.system;
}

async function measure(twoPhase: boolean): Promise<void> {
  const { setup, run } = await capture(twoPhase);
  const setupItems = items(setup);
  const runItems = items(run);
  const encode = cpuMicros(() => {
    for (const record of run) encodeEffects(record.ledger, record.writes);
  });
  const views: { payments: string[]; quotes: string[] } = { payments: [], quotes: [] };
  let bytes = 0;
  for (const record of run) {
    for (const write of record.writes ?? []) {
      const list = write.table === 'payments' ? views.payments
        : write.table === 'quotes' ? views.quotes : undefined;
      if (list === undefined) continue;
      const column = write.columns.indexOf('view');
      for (const row of write.rows) list.push(String(row[column]));
    }
  }
  for (const item of runItems) bytes += item.effects?.byteLength ?? 0;
  const payments = views.payments.map(paymentFromJson);
  const quotes = views.quotes.map(quoteFromJson);
  const json = cpuMicros(() => {
    for (const payment of payments) paymentJson(payment);
    for (const quote of quotes) quoteJson(quote);
  });
  let round = 0;
  let best = Infinity;
  for (; round < 3; round++) {
    best = Math.min(best, project(setupItems, runItems, join(directory, `p${twoPhase}${round}.db`)));
  }
  const perPair = (micros: number): string => (micros / PAIRS).toFixed(1);
  const viewBytes = views.payments.reduce((sum, view) => sum + view.length, 0) /
    Math.max(1, views.payments.length);
  console.log(`${twoPhase ? 'two_phase' : 'instant  '} pairs ${PAIRS} entries ${run.length}: ` +
    `projector ${perPair(best)} µs/pair, encodeEffects ${perPair(encode)}, ` +
    `payment+quote JSON ${perPair(json)}; effects ${(bytes / PAIRS).toFixed(0)} B/pair, ` +
    `payment view ${viewBytes.toFixed(0)} B; load ${(loadavg()[0] ?? 0).toFixed(2)}`);
}

try {
  await measure(false);
  await measure(true);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
