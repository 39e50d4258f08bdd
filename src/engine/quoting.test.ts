// Proves that a quote gets the best offer among the providers of its currency pair, and only of
// that pair, however rates were published (first time, again, later, for another pair): quotes
// look rates up by pair, through an index kept in step with the published rates.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { betterOffer, offerFor, type Offer } from './fx/quotes.js';
import { findCurrency } from '../money/currency.js';
import type { NetworkResult } from './commands.js';
import { configToCommands } from '../service/config.js';
import { demoNetworkConfig } from '../service/demo.js';
import { NetworkEngine } from './engine.js';
import { settlementAccountId } from './model.js';

const NOW = Date.UTC(2026, 0, 5, 12);

/** The best offer by looking at every published rate, as quotes did before the index. */
function bestByScan(engine: NetworkEngine, source: string, target: string, amount: bigint) {
  const exponents = { source: findCurrency(source)?.exponent ?? 2,
    target: findCurrency(target)?.exponent ?? 2 };
  let best: Offer | undefined;
  for (const rate of engine.state.rates.values()) {
    if (rate.source !== source || rate.target !== target || rate.validUntil <= NOW) continue;
    const offer = offerFor(rate, { fixed: 'send', amount, exponents });
    const liquidity = engine.ledger.balance(settlementAccountId(rate.providerId, target));
    if (offer === undefined || liquidity === undefined || liquidity.available < offer.creditAmount)
      continue;
    best = best === undefined ? offer : betterOffer(best, offer);
  }
  return best;
}

describe('quotes look rates up by currency pair', () => {
  it('every pair of the demo network quotes the best offer a full scan finds, before and after republishing', () => {
    const engine = new NetworkEngine();
    const setup = engine.apply(configToCommands(demoNetworkConfig(), NOW), NOW);
    assert.ok(setup.results.every((result) => result.code === 'ok'));
    const quote = (source: string, target: string, index: number): NetworkResult => {
      const actor = [...engine.state.participants.values()].find((participant) =>
        participant.kind === 'bank' && participant.currencies.includes(source))?.id ?? '';
      return engine.apply([{ type: 'create_quote', actor, quoteId: `q-${index}`, source, target,
        fixed: 'send', amount: 1_000_000n }], NOW).results[0] as NetworkResult;
    };
    const pairs = [...new Set([...engine.state.rates.values()].map((rate) =>
      `${rate.source}|${rate.target}`))];
    assert.ok(pairs.length > 10);
    let index = 0;
    for (const pair of pairs) {
      const [source = '', target = ''] = pair.split('|');
      const expected = bestByScan(engine, source, target, 1_000_000n);
      const result = quote(source, target, index++);
      assert.equal(result.quote?.providerId, expected?.rate.providerId, pair);
      assert.equal(result.quote?.creditAmount, expected?.creditAmount, pair);
    }
    // The worst provider of one pair republishes a far better rate: it wins that pair's quotes,
    // and no other pair's.
    const [source = '', target = ''] = (pairs[0] ?? '').split('|');
    const rates = [...engine.state.rates.values()].filter((rate) =>
      rate.source === source && rate.target === target);
    const loser = rates.find((rate) => rate.providerId !== bestByScan(engine, source, target,
      1_000_000n)?.rate.providerId) ?? rates[0];
    assert.ok(loser !== undefined);
    const republished = engine.apply([{ type: 'publish_rate', actor: loser.providerId, rate: {
      providerId: loser.providerId, source, target, rate: '1000', spreadBps: 0,
      amountMax: 0n, fee: 0n, validUntil: NOW + 60_000 } }], NOW);
    assert.equal(republished.results[0]?.code, 'ok', republished.results[0]?.message);
    assert.equal(quote(source, target, index++).quote?.providerId, loser.providerId);
    for (const pair of pairs.slice(1)) {
      const [from = '', to = ''] = pair.split('|');
      assert.equal(quote(from, to, index++).quote?.providerId,
        bestByScan(engine, from, to, 1_000_000n)?.rate.providerId, pair);
    }
  });
});
