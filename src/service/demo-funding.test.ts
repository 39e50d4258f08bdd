// The demo funds each participant for a few hours of its expected outflows under the demo's
// trade-weighted traffic, and its thin corridors (no hub currency) route through a hub.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configToCommands } from './config.js';
import { DEMO_HUB_CURRENCIES, demoFundingPlan, demoNetworkConfig } from './demo.js';
import { DEMO_FUNDING, demoFunding, meanPaymentUsd } from './demo-funding.js';
import { NetworkEngine } from '../engine/engine.js';

describe('demo funding', () => {
  it('is hours × expected hourly outflows: banks by what their country pays, providers by FX payouts', () => {
    const members = [
      { country: 'AA', currency: 'AAA', banks: ['a-1', 'a-2'] },
      { country: 'BB', currency: 'BBB', banks: ['b-1'] },
      { country: 'CC', currency: 'CCC', banks: ['c-1'] },
    ];
    const corridors = [
      { payerCountry: 'AA', payeeCountry: 'BB', weight: 3 },
      { payerCountry: 'BB', payeeCountry: 'AA', weight: 1 },
    ];
    const funding = { trafficPerSecond: 2, hours: 0.5, minimumUsd: 1_000, providerShare: 0.5 };
    const plan = demoFunding(members, corridors, funding);
    const hourly = 2 * 3_600 * meanPaymentUsd();
    const close = (actual: number | undefined, expected: number) =>
      assert.ok(Math.abs((actual ?? 0) - expected) <= 1, `${actual} ≈ ${expected}`);
    // AA pays three quarters of the traffic, shared by its two banks.
    close(plan.bankUsd.get('a-1'), 0.5 * hourly * 0.75 / 2);
    close(plan.bankUsd.get('a-2'), 0.5 * hourly * 0.75 / 2);
    close(plan.bankUsd.get('b-1'), 0.5 * hourly * 0.25);
    // Nothing is paid from CC: the minimum.
    assert.equal(plan.bankUsd.get('c-1'), 1_000);
    // Providers pay out the cross-border part (90 %) in the payee's currency, half each.
    close(plan.providerUsd.get('BBB'), 0.5 * hourly * 0.75 * 0.9 * 0.5);
    close(plan.providerUsd.get('AAA'), 0.5 * hourly * 0.25 * 0.9 * 0.5);
    assert.equal(plan.providerUsd.get('CCC'), 1_000);
  });

  it('the demo network is funded by flows, not the same for everyone, and is sound', () => {
    const plan = demoFundingPlan();
    // China's banks pay for far more imports than Ethiopia's.
    assert.ok((plan.bankUsd.get('cn-yangtze') ?? 0) > 10 * (plan.bankUsd.get('et-abay') ?? 0));
    const total = [...plan.bankUsd.values()].reduce((sum, usd) => sum + usd, 0);
    const hourly = DEMO_FUNDING.trafficPerSecond * 3_600 * meanPaymentUsd();
    // Every bank's share of the hours' outflows, and the minimum for banks that pay nothing.
    assert.ok(total >= DEMO_FUNDING.hours * hourly * 0.99, `${total}`);
    assert.ok(total <= DEMO_FUNDING.hours * hourly + 22 * DEMO_FUNDING.minimumUsd, `${total}`);
    const config = demoNetworkConfig();
    assert.ok((config.issuance ?? []).every((issue) => Number(issue.amount) > 0));
    for (const rate of config.rates ?? []) {
      assert.ok(DEMO_HUB_CURRENCIES.has(rate.source) || DEMO_HUB_CURRENCIES.has(rate.target));
    }
    const now = Date.UTC(2026, 0, 5, 12);
    const engine = new NetworkEngine();
    const setup = engine.apply(configToCommands(config, now), now);
    assert.equal(setup.results.find((result) => result.code !== 'ok')?.message, undefined);
    // INR → BRL, a thin corridor: no direct quote, a route through a hub.
    const [quote] = engine.apply([{ type: 'create_quote', actor: 'in-deccan', quoteId: 'q',
      source: 'INR', target: 'BRL', fixed: 'send', amount: 10_000_000n, routing: 'best' }],
    now).results;
    assert.equal(quote?.code, 'ok', quote?.message);
    const middle = quote?.quote?.route?.[0]?.target ?? '';
    assert.ok(DEMO_HUB_CURRENCIES.has(middle), middle);
  });
});
