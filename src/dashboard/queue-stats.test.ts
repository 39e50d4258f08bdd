// Proves the Liquidity view's server-side figures on a real network (embedded SQLite): the
// three-bank gridlock queues two payments and the third resolves it; each viewer sees what
// GET /v1/liquidity shows it (operator all, central bank its currency, bank itself), plus
// liquidity used now, gridlocks resolved (one pass, counted once, afresh each day) and the
// chart samples, scoped the same way.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  GRIDLOCK_BANKS,
  gridlockConfig,
  gridlockPayment,
  gridlockQuote,
} from '../testing/gridlock.js';
import { liquidityReport } from '../engine/liquidity/figures.js';
import { formatAmount } from '../money/amount.js';
import { openNetwork, type Network } from '../service/service.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import type { QueueFigureWire } from './protocol.js';
import { GridlockCounter, QueueStats } from './queue-stats.js';
import { viewerOf, type Viewer } from './stats.js';

const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);

describe('the Liquidity view figures (queue-stats)', () => {
  let now = T0;
  let network: Network;
  let stats: QueueStats;

  const viewer = (id: string): Viewer => {
    const participant = network.participant(id);
    assert.ok(participant !== undefined, id);
    return viewerOf(network, { participant, keyId: '' });
  };

  async function pay(index: number): Promise<string | undefined> {
    const bank = GRIDLOCK_BANKS[index] as (typeof GRIDLOCK_BANKS)[number];
    now += 1_000;
    const [quoted] = await network.submit([gridlockQuote(bank, `q${index}`)]);
    assert.equal(quoted?.code, 'ok', quoted?.message);
    const [paid] = await network.submit([gridlockPayment(bank, `p${index}`, `q${index}`)]);
    assert.equal(paid?.code, 'ok', paid?.message);
    return paid?.payment?.status;
  }

  const total = (figures: readonly QueueFigureWire[], currency: string) =>
    figures.find((figure) => figure.currency === currency && figure.participant === undefined);

  beforeEach(async () => {
    now = T0;
    network = await openNetwork({
      store: new SqliteStore({ path: ':memory:' }),
      batchDelayMs: 0,
      clock: () => now,
    });
    const results = await network.configureFrom(gridlockConfig(true), now);
    assert.deepEqual(
      results.filter((result) => result.code !== 'ok'),
      [],
    );
    stats = new QueueStats(network);
  });

  afterEach(async () => {
    stats.close();
    await network.close();
  });

  it('shows the queue filling, then the gridlock resolved, scoped per viewer', async () => {
    const operator = viewer('operator');
    const before = stats.frameFor(operator);
    assert.equal(before.enabled, true);
    assert.equal(before.day, '2026-12-03');

    assert.equal(await pay(0), 'ACSP');
    assert.equal(await pay(1), 'ACSP');
    stats.sample();
    const queued = stats.frameFor(operator);
    assert.deepEqual(
      queued.currencies.map((figure) => [figure.currency, figure.queuedCount, figure.queuedValue]),
      [
        ['BRL', 1, '100.00'],
        // The FX provider's CNY leg of INR → CNY: figures, nothing queued by a CNY sender.
        ['CNY', 0, '0.00'],
        ['INR', 1, '100.00'],
      ],
    );
    assert.equal(total(queued.currencies, 'BRL')?.gridlocksResolved, 0);

    assert.equal(await pay(2), 'ACCC');
    now += 1_000;
    stats.sample();
    const resolved = stats.frameFor(operator);
    // The engine's figures, as GET /v1/liquidity reports them, with what the dashboard adds.
    const engine = liquidityReport(network.engine.state, now);
    for (const currency of ['BRL', 'INR', 'CNY']) {
      const figure = total(resolved.currencies, currency);
      const reference = engine.currencies.find((item) => item.currency === currency);
      assert.ok(figure !== undefined && reference !== undefined, currency);
      assert.equal(figure.queuedCount, 0);
      assert.equal(figure.offsetValue, '100.00');
      assert.equal(figure.settledCount, reference.settledCount);
      assert.equal(figure.settledWithinHourShare, 1);
      assert.equal(figure.gridlocksResolved, 1, `${currency}: one pass resolved it`);
      // Each bank paid 100.00 and was paid 100.00: used now nets to zero; the bounds and the
      // peak are the engine's.
      assert.equal(figure.liquidityUsed, '0.00');
      assert.equal(figure.upperBound, formatAmount(reference.upperBound, currency));
      assert.equal(figure.lowerBound, formatAmount(reference.lowerBound, currency));
      assert.equal(figure.peakLiquidityUsed, formatAmount(reference.peakLiquidityUsed, currency));
      assert.ok(reference.upperBound > reference.peakLiquidityUsed, 'the queue saved nothing');
    }
    assert.equal(resolved.participants.length, engine.participants.length);
    const brBank = resolved.participants.find(
      (figure) => figure.participant === 'br-bank' && figure.currency === 'BRL',
    );
    assert.equal(brBank?.gridlocksResolved, 1);
    assert.equal(brBank?.offsetValue, '100.00');

    // A central bank: its currency only, totals and participants.
    const bcb = stats.frameFor(viewer('bcb'));
    assert.deepEqual(
      bcb.currencies.map((figure) => figure.currency),
      ['BRL'],
    );
    assert.ok(bcb.participants.length > 0);
    assert.ok(bcb.participants.every((figure) => figure.currency === 'BRL'));
    // A bank: itself only, no currency totals (as GET /v1/liquidity).
    const bank = stats.frameFor(viewer('in-bank'));
    assert.deepEqual(bank.currencies, []);
    assert.deepEqual(
      bank.participants.map((figure) => [figure.participant, figure.currency]),
      [['in-bank', 'INR']],
    );

    // The chart samples: the queue filled (1 in BRL), then emptied; scoped as the figures.
    const history = stats.history(operator);
    assert.equal(history.times.length, 2);
    assert.deepEqual(history.series['*|BRL']?.queuedCount, [1, 0]);
    assert.deepEqual(history.series['*|BRL']?.queuedValue, ['100.00', '0.00']);
    // The charts draw the totals: no participant's series is sent to the operator.
    assert.deepEqual(Object.keys(history.series).sort(), ['*|BRL', '*|CNY', '*|INR']);
    const bankHistory = stats.history(viewer('br-bank'));
    assert.deepEqual(Object.keys(bankHistory.series), ['br-bank|BRL']);
    assert.deepEqual(bankHistory.series['br-bank|BRL']?.queuedCount, [1, 0]);
    const bcbHistory = stats.history(viewer('bcb'));
    assert.deepEqual(Object.keys(bcbHistory.series), ['*|BRL']);
  });

  it('with the queue switched off, says so', async () => {
    const [off] = await network.submit([
      {
        type: 'set_queue_settings',
        actor: 'operator',
        queue: { enabled: false, capacity: 1000, cycleMs: 0, waitMsDefault: 3_600_000 },
      },
    ]);
    assert.equal(off?.code, 'ok', off?.message);
    now += 1_000;
    const frame = stats.frameFor(viewer('operator'));
    assert.equal(frame.enabled, false);
    assert.ok(frame.currencies.every((figure) => figure.queuedCount === 0));
  });
});

describe('GridlockCounter', () => {
  it('counts a pass once per currency and participant, and starts afresh each day', async () => {
    let now = T0;
    const network = await openNetwork({
      store: new SqliteStore({ path: ':memory:' }),
      batchDelayMs: 0,
      clock: () => now,
    });
    try {
      await network.configureFrom(gridlockConfig(true), now);
      const counter = new GridlockCounter();
      for (const [index, bank] of GRIDLOCK_BANKS.entries()) {
        await network.submit([gridlockQuote(bank, `q${index}`)]);
        await network.submit([gridlockPayment(bank, `p${index}`, `q${index}`)]);
      }
      const day = Math.floor(now / 86_400_000);
      counter.observe(network, now);
      // Seen again with nothing new: not counted twice.
      counter.observe(network, now);
      assert.equal(counter.count(day, { currency: 'BRL' }), 1);
      assert.equal(counter.count(day, { currency: 'CNY', participant: 'cn-bank' }), 1);
      assert.equal(counter.count(day, { currency: 'CNY', participant: 'fx' }), 0);
      assert.equal(counter.count(day - 1, { currency: 'BRL' }), 0);
      // The next UTC day: yesterday's offsetting is not today's.
      now += 86_400_000;
      counter.observe(network, now);
      assert.equal(counter.count(day + 1, { currency: 'BRL' }), 0);
      assert.equal(counter.count(day, { currency: 'BRL' }), 0);
    } finally {
      await network.close();
    }
  });
});
