// Child process for the crash test: writes PvP-shaped linked groups under load and reports
// each acknowledged group on stdout, until the parent kills it with SIGKILL. On odd runs the
// projector is paused, so the kill lands while the projections lag the journal by up to the
// lag bound (and the next run starts by catching them up).
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import { accountCommand, postedTransfer } from '../testing/ledger-fixtures.js';
import { openLedger } from './ledger-service.js';

const [path, run] = process.argv.slice(2);
if (path === undefined || run === undefined) throw new Error('usage: _crash-child.ts DB RUN');

const lagging = Number(run) % 2 === 1;
const store = new SqliteStore({ path, projectionPaused: lagging, projectionLagRowsMax: 20_000 });
const ledger = await openLedger({ store, batchDelayMs: 1 });
await ledger.submit([
  accountCommand('cb-brl', 'BRL', { issuer: true }), accountCommand('cb-inr', 'INR', { issuer: true }),
  accountCommand('bank-br', 'BRL'), accountCommand('fx-brl', 'BRL'), accountCommand('fee-brl', 'BRL'),
  accountCommand('fx-inr', 'INR'), accountCommand('bank-in', 'INR'),
]);
await ledger.submit([
  postedTransfer('fund-bank-br', 'cb-brl', 'bank-br', 10n ** 15n, 'BRL'),
  postedTransfer('fund-fx-inr', 'cb-inr', 'fx-inr', 10n ** 15n, 'INR'),
]);
process.stdout.write(lagging ? 'ready lagging\n' : 'ready\n');

let next = 0;
async function worker(): Promise<void> {
  for (;;) {
    const group = `g-${run}-${next++}`;
    const results = await ledger.submit([
      postedTransfer(`${group}-1`, 'bank-br', 'fx-brl', 1_000n, 'BRL', true),
      postedTransfer(`${group}-2`, 'fx-inr', 'bank-in', 15_000n, 'INR', true),
      { type: 'create_transfer', transfer: { id: `${group}-3`, kind: 'posted',
        debitAccountId: 'bank-br', creditAccountId: 'fee-brl', amount: 7n, currency: 'BRL',
        pendingId: '', timeoutMs: 0, reference: group, linked: false } },
    ]);
    if (results.every((result) => result.code === 'ok')) process.stdout.write(`ack ${group}\n`);
  }
}
await Promise.all(Array.from({ length: 64 }, worker));
