// Child of ledger.bench.ts: writes a journal of N transfers straight through the engine and
// the store (durable commits of full batches), then measures a cold restart in a fresh
// process: replay of the whole journal with hash-chain checks. Prints one JSON record.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { chainEntry, type JournalEntry } from '../src/journal/hash-chain.js';
import { encodeCommands } from '../src/ledger/codec.js';
import { LedgerEngine } from '../src/ledger/engine.js';
import type { Command } from '../src/ledger/types.js';
import { openLedger } from '../src/pipeline/ledger-service.js';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import { accountCommand, postedTransfer } from '../src/testing/ledger-fixtures.js';
import { record } from './_common.js';

const count = Number(process.argv[2]);
const directory = String(process.argv[3]);
const path = join(directory, 'recovery.db');
const BANKS = 10_000;

async function writeJournal(): Promise<void> {
  const store = new SqliteStore({ path });
  await store.open();
  const engine = new LedgerEngine();
  let tail: JournalEntry | undefined;
  let now = Date.now();
  // Up to four commits in flight, as the pipeline keeps them: the writing goes faster.
  const inFlight: Promise<void>[] = [];
  const commit = async (commands: Command[]): Promise<void> => {
    const outcome = engine.apply(commands, now++);
    const entry = chainEntry(tail, outcome.now, encodeCommands(outcome.applied));
    inFlight.push(store.commit({ entry, ledger: outcome }));
    tail = entry;
    if (inFlight.length >= 4) await inFlight.shift();
  };
  const setup: Command[] = [accountCommand('cb', 'BRL', { issuer: true })];
  for (let bank = 0; bank < BANKS; bank++) setup.push(accountCommand(`b${bank}`, 'BRL'));
  for (let index = 0; index < setup.length; index += 8_190) {
    await commit(setup.slice(index, index + 8_190));
  }
  let batch: Command[] = [];
  for (let index = 0; index < count; index++) {
    const bank = index % BANKS;
    batch.push(index < BANKS
      ? postedTransfer(`f${index}`, 'cb', `b${bank}`, 10n ** 12n, 'BRL')
      : postedTransfer(`t${index}`, `b${bank}`, `b${(bank * 7 + 1) % BANKS === bank ? (bank + 1) % BANKS : (bank * 7 + 1) % BANKS}`, 1n, 'BRL'));
    if (batch.length === 8_190) {
      await commit(batch);
      batch = [];
      if (index % 1_000_000 < 8_190) process.stderr.write(`recovery bench: wrote ${index + 1} transfers\n`);
    }
  }
  if (batch.length > 0) await commit(batch);
  await Promise.all(inFlight);
  await store.close();
}

if (process.argv[4] === 'measure') {
  const started = performance.now();
  const ledger = await openLedger({ store: new SqliteStore({ path }) });
  const seconds = (performance.now() - started) / 1000;
  const transfers = ledger.engine.stats().transfers;
  console.log(JSON.stringify(record({
    name: 'recovery', ops_per_sec: Math.round(transfers / seconds), p50_ms: null, p99_ms: null,
    durable: true, transfers, recovery_seconds: Number(seconds.toFixed(2)),
  })));
  await ledger.close();
} else {
  await writeJournal();
  const self = new URL(import.meta.url).pathname;
  const run = spawnSync(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', self,
    String(count), directory, 'measure'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (run.status !== 0) throw new Error('recovery measurement failed');
  console.log(run.stdout.trim().split('\n').pop());
}
