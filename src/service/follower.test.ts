// A standby's network on a real PostgreSQL: it follows the writer's journal (same balances,
// payments and event feed as the writer), refuses commands with not_writer, stops following
// a broken chain, and after promotion carries on as the writer from the tail it reached.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PipelineError } from '../pipeline/commit-pipeline.js';
import { JournalCorruptError } from '../journal/replay.js';
import { PostgresStore } from '../storage/postgres/postgres-store.js';
import { openTestNetwork, paymentInput } from '../testing/network-fixtures.js';
import { freshDatabase, stopPostgres, testPostgres } from '../testing/postgres.js';
import { Follower } from './follower.js';
import type { Network } from './service.js';

const POLL_MS = 20;

before(async () => {
  await testPostgres();
});

after(async () => {
  await stopPostgres();
});

async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function balances(network: Network): Map<string, string> {
  const ledger = network.engine.state.ledger;
  return new Map([...ledger.accountIds()].map((id) => {
    const balance = ledger.balance(id);
    return [id, `${balance?.posted}/${balance?.pendingDebits}/${balance?.pendingCredits}`];
  }));
}

async function pay(network: Network, count: number, prefix: string): Promise<void> {
  for (let index = 0; index < count; index++) {
    const result = await network.pay('br-bank', paymentInput({ id: `${prefix}-${index}`,
      creditorAgent: 'br-other', currency: 'BRL', amount: 100n }));
    assert.equal(result.code, 'ok', `${result.code}: ${result.message ?? ''}`);
  }
}

describe('Follower (a standby on PostgreSQL)', () => {
  it('follows the writer, refuses commands, and takes over from its tail', async () => {
    const url = await freshDatabase('corridor_follower');
    const writer = await openTestNetwork({ store: new PostgresStore({ connectionString: url }) });
    await pay(writer.network, 5, 'before');
    const follower = await Follower.open({
      store: new PostgresStore({ connectionString: url, readOnly: true }), pollMs: POLL_MS });
    const standby = follower.network;
    assert.equal(standby.journalTail?.hash, writer.network.journalTail?.hash);
    assert.equal((await standby.reads.paymentOf('br-bank', 'before-4'))?.status, 'ACCC');

    const heard: number[] = [];
    standby.subscribe(({ events }) => heard.push(...events.map((event) => event.sequence)));
    await pay(writer.network, 5, 'during');
    // The standby reads the shared projections: the writer's payments at once.
    assert.equal((await standby.reads.paymentOf('br-bank', 'during-4'))?.status, 'ACCC');
    await eventually(() => standby.journalTail?.hash === writer.network.journalTail?.hash,
      'the follower to catch up');
    assert.deepEqual(balances(standby), balances(writer.network));
    assert.equal(standby.lastEventSequence, writer.network.lastEventSequence);
    assert.ok(heard.length > 0, 'subscribers hear of the entries the follower applies');
    assert.equal((await standby.reads.payments({}, { limit: 100 })).payments.length,
      (await writer.network.reads.payments({}, { limit: 100 })).payments.length);

    await assert.rejects(standby.pay('br-bank', paymentInput({ creditorAgent: 'br-other',
      currency: 'BRL', amount: 100n })),
    (error: unknown) => error instanceof PipelineError && error.code === 'not_writer');
    assert.equal(standby.queueDepth, 0);

    // The writer makes a last few entries and stops; the follower takes over from its tail.
    await pay(writer.network, 3, 'last');
    const writerTail = writer.network.journalTail;
    await writer.network.close();
    await follower.promote(new PostgresStore({ connectionString: url }), { batchDelayMs: 0 });
    assert.equal(follower.following, false);
    assert.equal(standby.journalTail?.hash, writerTail?.hash, 'caught up to the writer tail');
    assert.equal((await standby.reads.paymentOf('br-bank', 'last-2'))?.status, 'ACCC');
    await pay(standby, 2, 'promoted');
    assert.equal(standby.store.kind, 'postgres');
    standby.engine.checkAllInvariants();
    await standby.close();

    // A fresh writer on the database sees everything, the promoted node's payments too.
    const reopened = await openTestNetwork({ store: new PostgresStore({ connectionString: url }),
      configure: false });
    assert.equal((await reopened.network.reads.paymentOf('br-bank', 'promoted-1'))?.status, 'ACCC');
    assert.equal(reopened.network.journalTail?.hash, standby.journalTail?.hash);
    await reopened.network.close();
  });

  it('stops following a journal whose chain is broken, and refuses to promote', async () => {
    const url = await freshDatabase('corridor_follower_corrupt');
    const writer = await openTestNetwork({ store: new PostgresStore({ connectionString: url }) });
    const problems: Error[] = [];
    const follower = await Follower.open({
      store: new PostgresStore({ connectionString: url, readOnly: true }), pollMs: POLL_MS,
      onCorrupt: (error) => problems.push(error) });
    await pay(writer.network, 2, 'x');
    const last = writer.network.journalTail;
    await writer.network.close();
    await eventually(() => follower.tail?.hash === last?.hash, 'the follower to catch up');
    // An entry appended behind the writers' backs, that does not chain on the tail.
    const admin = new PostgresStore({ connectionString: url, readOnly: true });
    await admin.query('INSERT INTO journal (sequence, now, payload, previous_hash, hash) ' +
      "SELECT sequence + 1, now, payload, 'forged', hash FROM journal WHERE sequence = $1",
    [last?.sequence]);
    await admin.close();
    await eventually(() => problems.length > 0, 'the follower to find the break');
    assert.ok(problems[0] instanceof JournalCorruptError);
    await assert.rejects(follower.broken, JournalCorruptError);
    assert.equal(follower.following, false);
    assert.equal(follower.tail?.hash, last?.hash, 'nothing past the break was applied');
    await assert.rejects(follower.promote(new PostgresStore({ connectionString: url })),
      JournalCorruptError);
    await follower.network.close();
  });
});
