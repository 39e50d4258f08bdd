// Child process of snapshot-crash.test.ts: a network on a SQLite file taking a snapshot after
// every journal entry (so a snapshot write is under way nearly all the time), paying under load
// and reporting each acknowledged payment on stdout, until the parent kills it with SIGKILL.
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import { openTestNetwork, paymentInput } from '../testing/network-fixtures.js';

const [path, run] = process.argv.slice(2);
if (path === undefined || run === undefined) throw new Error('usage: _snapshot-crash-child.ts DB RUN');

const { network } = await openTestNetwork({ store: new SqliteStore({ path }),
  configure: run === '0',
  snapshots: { everyEntries: 1, keep: 2, retryMs: 0,
    onEvent: (event) => process.stdout.write(`${event.type} ${event.sequence}\n`) } });
const recovery = network.recovery;
process.stdout.write(`ready ${JSON.stringify(recovery)}\n`);

let next = 0;
async function worker(): Promise<void> {
  for (;;) {
    const id = `r${run}-${next++}`;
    const result = await network.pay('br-bank', paymentInput({ id, creditorAgent: 'br-other',
      currency: 'BRL', amount: 100n }));
    if (result.code === 'ok') process.stdout.write(`ack ${id}\n`);
  }
}
await Promise.all(Array.from({ length: 16 }, worker));
