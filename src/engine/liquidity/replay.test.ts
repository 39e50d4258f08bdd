// Proves that the settlement queue replays exactly: a resolution pass that settled nothing is
// journaled too (it moved the cycle), so a rebuilt engine runs every pass at the same time and
// reaches the same queue, statuses and events as the writer did.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openNetwork, rebuildNetwork } from '../../service/service.js';
import { SqliteStore } from '../../storage/sqlite/sqlite-store.js';
import { GRIDLOCK_BANKS, gridlockConfig, gridlockPayment, gridlockQuote } from '../../testing/gridlock.js';

const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);

describe('settlement queue replay', () => {
  it('a rebuilt engine runs every pass at the writer\'s time, empty passes included', async () => {
    let now = T0;
    const store = new SqliteStore({ path: ':memory:' });
    const network = await openNetwork({ store, batchDelayMs: 0, clock: () => now });
    await network.configureFrom(gridlockConfig(true, 250), now);
    const pay = async (index: number): Promise<void> => {
      const bank = GRIDLOCK_BANKS[index] as (typeof GRIDLOCK_BANKS)[number];
      const results = await network.submit([gridlockQuote(bank, `q${index}`),
        gridlockPayment(bank, `p${index}`, `q${index}`)]);
      assert.deepEqual(results.map((result) => result.code), ['ok', 'ok']);
    };
    now += 1_000;
    await pay(0); // a pass runs (nothing settles): the cycle starts here
    await pay(1);
    now += 300;
    await network.runQueue(); // an empty pass: the cycle restarts at T0 + 1,300
    now += 100;
    await pay(2); // 100 ms into the cycle: no pass yet, though the cycle of T0 + 1,000 is over
    assert.equal(network.engine.state.queue.entries.size, 3);
    now += 200;
    await network.runQueue(); // 300 ms: the pass settles the gridlock
    assert.equal(network.engine.state.queue.entries.size, 0);
    const live = network.engine.state;
    const rebuilt = await rebuildNetwork(store);
    const replayed = rebuilt.engine.state;
    assert.equal(replayed.queue.lastRunAt, live.queue.lastRunAt);
    assert.equal(replayed.queue.entries.size, 0);
    for (const [id, payment] of live.payments) {
      assert.deepEqual(replayed.payments.get(id)?.events, payment.events, id);
    }
    assert.equal(rebuilt.numbering.assigned, network.lastEventSequence);
    await network.close();
  });
});
