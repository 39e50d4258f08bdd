// Snapshots on a real PostgreSQL: a writer restarts from its newest snapshot and replays only
// the tail; a corrupt one is passed over; a standby that starts late loads the snapshot, not
// the whole history, and follows on from it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PostgresStore } from '../storage/postgres/postgres-store.js';
import { openTestNetwork, paymentInput } from '../testing/network-fixtures.js';
import { freshDatabase, stopPostgres, testPostgres } from '../testing/postgres.js';
import { Follower } from './follower.js';
import type { Network } from './service.js';
import { stateDigest } from './snapshot-codec.js';
import { recoverNetwork } from './snapshots.js';

before(async () => {
  await testPostgres();
});

after(async () => {
  await stopPostgres();
});

async function pay(network: Network, count: number, prefix: string): Promise<void> {
  for (let index = 0; index < count; index++) {
    const result = await network.pay('br-bank', paymentInput({ id: `${prefix}-${index}`,
      creditorAgent: 'br-other', currency: 'BRL', amount: 100n + BigInt(index),
      mode: index % 2 === 0 ? 'instant' : 'two_phase' }));
    assert.equal(result.code, 'ok', `${result.code}: ${result.message ?? ''}`);
  }
}

async function genesisDigest(url: string): Promise<string> {
  const store = new PostgresStore({ connectionString: url, readOnly: true });
  await store.open();
  const { engine, numbering } = await recoverNetwork(store, { useSnapshots: false });
  await store.close();
  return stateDigest({ engine, eventsAssigned: numbering.assigned });
}

describe('snapshots on PostgreSQL', () => {
  it('a writer restarts from its newest snapshot; a corrupt one is passed over', async () => {
    const url = await freshDatabase('corridor_snap');
    const first = await openTestNetwork({ store: new PostgresStore({ connectionString: url }),
      snapshots: { everyEntries: 4, keep: 3 } });
    await pay(first.network, 10, 'a');
    await first.network.snapshotter?.lastWrite;
    await pay(first.network, 6, 'b');
    await first.network.close();

    const second = await openTestNetwork({ store: new PostgresStore({ connectionString: url }),
      configure: false, start: first.now(), snapshots: { everyEntries: 0 } });
    const report = second.network.recovery;
    assert.ok(report?.snapshot !== undefined, JSON.stringify(report));
    const tail = second.network.journalTail?.sequence ?? 0;
    assert.equal(report.snapshot.sequence + report.replayedEntries, tail);
    assert.ok(report.replayedEntries < tail);
    const store = second.network.store as PostgresStore;
    const used = report.snapshot.sequence;
    // Flip one byte of the snapshot it used: the next restart passes over it.
    await store.query('UPDATE snapshots SET bytes = overlay(bytes placing ' +
      "decode(lpad(to_hex(get_byte(bytes, 40) # 255), 2, '0'), 'hex') from 41 for 1) " +
      'WHERE sequence = $1', [used]);
    const digest = stateDigest({ engine: second.network.engine,
      eventsAssigned: second.network.lastEventSequence });
    await second.network.close();

    const third = await openTestNetwork({ store: new PostgresStore({ connectionString: url }),
      configure: false, start: first.now(), snapshots: { everyEntries: 0 } });
    const fallback = third.network.recovery;
    assert.deepEqual(fallback?.rejected.map((item) => [item.sequence, item.code]),
      [[used, 'snapshot_checksum_mismatch']]);
    assert.ok((fallback.snapshot?.sequence ?? 0) < used);
    assert.equal(stateDigest({ engine: third.network.engine,
      eventsAssigned: third.network.lastEventSequence }),
      digest);
    await third.network.close();
    assert.equal(await genesisDigest(url), digest);
  });

  it('a standby that starts late loads the snapshot, then follows the writer', async () => {
    const url = await freshDatabase('corridor_snap_standby');
    const writer = await openTestNetwork({ store: new PostgresStore({ connectionString: url }),
      snapshots: { everyEntries: 5 } });
    await pay(writer.network, 12, 'a');
    await writer.network.snapshotter?.lastWrite;
    const follower = await Follower.open({
      store: new PostgresStore({ connectionString: url, readOnly: true }), pollMs: 20 });
    const report = follower.network.recovery;
    assert.ok(report?.snapshot !== undefined, JSON.stringify(report));
    const tail = writer.network.journalTail?.sequence ?? 0;
    assert.equal(report.snapshot.sequence + report.replayedEntries, tail);
    assert.ok(report.replayedEntries < tail);
    assert.equal((await follower.network.reads.paymentOf('br-bank', 'a-0'))?.status, 'ACCC');
    assert.equal(stateDigest({ engine: follower.network.engine,
      eventsAssigned: follower.network.lastEventSequence }),
      stateDigest({ engine: writer.network.engine,
      eventsAssigned: writer.network.lastEventSequence }));
    await pay(writer.network, 2, 'b');
    const until = Date.now() + 10_000;
    while (follower.tail?.sequence !== writer.network.journalTail?.sequence) {
      assert.ok(Date.now() < until, 'the standby follows');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal((await follower.network.reads.paymentOf('br-bank', 'b-1'))?.status, 'ACSP');
    await follower.network.close();
    await writer.network.close();
  });
});
