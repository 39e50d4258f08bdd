// Proves the demo traffic generator sends payments weighted by real trade corridors that
// settle (and some that are held, rejected or returned) without breaking any invariant, and
// that the demo's standing facility keeps FX providers liquid.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoFundingPlan, demoNetworkConfig, loadReferenceRates } from '../service/demo.js';
import { openNetwork } from '../service/service.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import { COMPANIES_BY_COUNTRY, loadCorridors, TrafficGenerator } from './traffic.js';

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

async function demo() {
  const network = await openNetwork({
    store: new SqliteStore({ path: ':memory:' }),
    batchDelayMs: 0,
  });
  const results = await network.configureFrom(demoNetworkConfig());
  assert.ok(results.every((result) => result.code === 'ok'));
  const perUsd = new Map([...loadReferenceRates()].map(([code, text]) => [code, Number(text)]));
  return { network, perUsd };
}

describe('demo traffic', () => {
  it('loadCorridors() keeps only member pairs, importer paying exporter', () => {
    const corridors = loadCorridors();
    assert.ok(corridors.length >= 15);
    assert.ok(corridors.some((c) => c.payerCountry === 'RU' && c.payeeCountry === 'CN'));
    assert.ok(corridors.every((c) => c.payerCountry !== 'SA' && c.payeeCountry !== 'ID'));
  });

  it('one() sends payments that settle, and the network stays sound', async () => {
    const { network, perUsd } = await demo();
    const traffic = new TrafficGenerator(network, perUsd, {
      perSecond: 0,
      random: seeded(7),
      reviewer: false,
    });
    for (let index = 0; index < 60; index++) await traffic.one();
    assert.ok(traffic.stats.sent >= 40, JSON.stringify(traffic.stats));
    assert.ok(traffic.stats.settled >= 30, JSON.stringify(traffic.stats));
    // Each party is a company of its bank's country (a Pune company banks in India).
    const countries = new Map(network.participants().map((p) => [p.id, p.country]));
    const { payments } = (await network.reads.payments({ kind: 'payment' }, { limit: 100 }));
    assert.ok(payments.length >= 40);
    for (const payment of payments) {
      const debtorCountry = countries.get(payment.debtorAgent) ?? '';
      const creditorCountry = countries.get(payment.creditorAgent) ?? '';
      assert.ok(
        COMPANIES_BY_COUNTRY[debtorCountry]?.includes(payment.debtor.name),
        `${payment.debtor.name} banks in ${debtorCountry}`,
      );
      if (payment.status === 'BLCK' || payment.screening?.hit === true) continue;
      assert.ok(
        COMPANIES_BY_COUNTRY[creditorCountry]?.includes(payment.creditor.name),
        `${payment.creditor.name} banks in ${creditorCountry}`,
      );
    }
    network.engine.checkAllInvariants();
    await network.close();
  });

  it('rebalance() tops up a provider or bank that ran short and takes back a surplus', async () => {
    const { network, perUsd } = await demo();
    const plan = demoFundingPlan();
    const floatOf = (usd: number | undefined, currency: string) =>
      BigInt(Math.round((usd ?? 0) * (perUsd.get(currency) ?? 0))) * 100n;
    const float = floatOf(plan.providerUsd.get('AED'), 'AED');
    const start = network.balance('fx-kazan', 'AED')?.available ?? 0n;
    await network.redeem('cbuae', {
      participantId: 'fx-kazan',
      currency: 'AED',
      amount: start - 1_000n,
    });
    await network.issue('rbi', { participantId: 'fx-silk', currency: 'INR', amount: 10n ** 15n });
    const traffic = new TrafficGenerator(network, perUsd, { perSecond: 0 });
    await traffic.rebalance();
    assert.equal(network.balance('fx-kazan', 'AED')?.available, float);
    const inrFloat = floatOf(plan.providerUsd.get('INR'), 'INR');
    assert.equal(network.balance('fx-silk', 'INR')?.available, inrFloat);
    // A bank of a net importer drained below a quarter of its float is topped up too.
    const bankFloat = floatOf(plan.bankUsd.get('ru-volga'), 'RUB');
    const held = network.balance('ru-volga', 'RUB')?.available ?? 0n;
    await network.redeem('cbr', { participantId: 'ru-volga', currency: 'RUB', amount: held - 5n });
    await traffic.rebalance();
    assert.equal(network.balance('ru-volga', 'RUB')?.available, bankFloat);
    network.engine.checkAllInvariants();
    await network.close();
  });
});
