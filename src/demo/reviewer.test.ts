// Proves the demo central-bank reviewer keeps the review queue bounded: it leaves a held
// payment alone during its simulated review, then releases or rejects it through the review
// command, as the payer's central bank; its choices follow the seeded random source; and it
// forgets payments a person decided first.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  loadScreenerFromDirectory,
  SANCTIONS_SAMPLE_DIRECTORY,
} from '../compliance/party-screener.js';
import { demoNetworkConfig } from '../service/demo.js';
import { openNetwork, type Network } from '../service/service.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import { DemoReviewer } from './reviewer.js';

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const START = Date.UTC(2026, 0, 5, 9, 0, 0);
const MINUTE = 60_000;
const { screener } = loadScreenerFromDirectory(SANCTIONS_SAMPLE_DIRECTORY);

async function heldPayments(count: number): Promise<{ network: Network; ids: string[] }> {
  let now = START;
  const network = await openNetwork({
    store: new SqliteStore({ path: ':memory:' }),
    batchDelayMs: 0,
    clock: () => now,
    screener,
  });
  const results = await network.configureFrom(demoNetworkConfig());
  assert.ok(results.every((result) => result.code === 'ok'));
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    now = START + index * 1_000;
    const result = await network.pay('br-atlantico', {
      mode: 'instant',
      creditorAgent: 'br-cerrado',
      debtor: { name: 'Soja Exportadora Ltda' },
      creditor: { name: 'Aviatrans Anstalt' },
      endToEndId: `E2E-${index}`,
      currency: 'BRL',
      amount: 10_000n,
    });
    assert.equal(
      result.payment?.status,
      'BLCK',
      `${result.code} ${result.payment?.status ?? ''} ${result.message ?? ''}`,
    );
    ids.push(result.payment.id);
  }
  return { network, ids };
}

async function decisions(seed: number): Promise<string[]> {
  const { network, ids } = await heldPayments(12);
  let now = START + 30_000;
  const reviewer = new DemoReviewer(network, {
    random: seeded(seed),
    now: () => now,
    delayMinMs: 2 * MINUTE,
    delayMaxMs: 6 * MINUTE,
    releaseShare: 0.3,
  });
  await reviewer.tick();
  // Under review: nothing decided before the shortest review is over.
  assert.deepEqual(
    await Promise.all(ids.map(async (id) => (await network.reads.payment(id))?.status)),
    ids.map(() => 'BLCK'),
  );
  assert.equal(reviewer.pending, 12);
  now = START + 7 * MINUTE;
  await reviewer.tick();
  const statuses = await Promise.all(ids.map(async (id) =>
    (await network.reads.payment(id))?.status ?? 'missing'));
  assert.ok(
    statuses.every((status) => status === 'ACCC' || status === 'RJCT'),
    statuses.join(),
  );
  assert.equal(reviewer.stats.released + reviewer.stats.rejected, 12);
  assert.equal(statuses.filter((status) => status === 'ACCC').length, reviewer.stats.released);
  assert.equal(reviewer.pending, 0);
  assert.equal((await network.reads.payments({ status: 'BLCK' }, { limit: 10 })).payments.length, 0);
  const rejected = (await network.reads.payment(ids[statuses.indexOf('RJCT')] ?? ''));
  assert.equal(rejected?.events.at(-1)?.detail, 'rejected_by_reviewer');
  network.engine.checkAllInvariants();
  await network.close();
  return statuses;
}

describe('the demo reviewer', () => {
  it('decides each held payment after its review, the same way for the same seed', async () => {
    const first = await decisions(11);
    assert.deepEqual(await decisions(11), first);
    assert.ok(first.includes('RJCT'), first.join());
  });

  it('decides over time, and forgets a payment a person decided first', async () => {
    const { network, ids } = await heldPayments(3);
    let now = START;
    const reviewer = new DemoReviewer(network, {
      random: seeded(3),
      now: () => now,
      delayMinMs: MINUTE,
      delayMaxMs: 10 * MINUTE,
    });
    await reviewer.tick();
    assert.equal(reviewer.pending, 3);
    const [first = ''] = ids;
    assert.equal((await network.review('bcb', first, 'release')).code, 'ok');
    const left: number[] = [];
    for (let minute = 0; minute <= 11; minute++) {
      now = START + minute * MINUTE;
      await reviewer.tick();
      left.push((await network.reads.payments({ status: 'BLCK' }, { limit: 10 })).payments.length);
    }
    assert.equal(left.at(-1), 0);
    assert.ok(
      left.some((count) => count > 0),
      'all decided at once: no review delay',
    );
    assert.equal(reviewer.stats.released + reviewer.stats.rejected, 2);
    assert.equal(reviewer.pending, 0);
    await network.close();
  });
});
