// Proves the service figures of payments: time to credit runs from the request's arrival (an
// injected clock, journaled, the same after replay), held and open payments count against the
// one-hour target, and cost is the quote's FX spread against the mid rate plus fees.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { rebuildNetwork } from '../../service/service.js';
import { SqliteStore } from '../../storage/sqlite/sqlite-store.js';
import { openTestNetwork, paymentInput, testNetworkConfig } from '../../testing/network-fixtures.js';
import {
  arrivalTime,
  costBps,
  CREDIT_WINDOW_MS,
  CreditTracker,
  creditDue,
  midValuesOf,
  timeToCreditMs,
} from './figures.js';

const HOUR = CREDIT_WINDOW_MS;

describe('CreditTracker', () => {
  it('counts a payment held, then released and credited after 2 h, as not within 1 h', () => {
    const tracker = new CreditTracker();
    tracker.arrived('held', 0, ['BRL>INR'], 10);
    tracker.advance(HOUR);
    assert.equal(tracker.countsOf('BRL>INR').openUnderHour, 1);
    assert.equal(creditDue(tracker.countsOf('BRL>INR')), 0);
    tracker.advance(HOUR + 1);
    assert.deepEqual(tracker.countsOf('BRL>INR'), {
      received: 1,
      withinHour: 0,
      creditedLate: 0,
      rejected: 0,
      openOverHour: 1,
      openUnderHour: 0,
    });
    tracker.finished('held', { credited: true, at: 2 * HOUR });
    const counts = tracker.countsOf('BRL>INR');
    assert.equal(counts.creditedLate, 1);
    assert.equal(counts.openOverHour, 0);
    assert.equal(counts.withinHour, 0);
    assert.equal(creditDue(counts), 1);
  });

  it('counts a payment held past its hour and credited before the clock was advanced as late', () => {
    const tracker = new CreditTracker();
    tracker.arrived('held', 0, ['g'], 0);
    tracker.finished('held', { credited: true, at: 2 * HOUR });
    assert.equal(tracker.countsOf('g').creditedLate, 1);
    assert.equal(tracker.countsOf('g').openUnderHour, 0);
  });

  it('counts credited at exactly one hour as within, rejected ones against', () => {
    const tracker = new CreditTracker();
    tracker.arrived('a', 0, ['g'], 0);
    tracker.arrived('b', 5, ['g'], 5);
    tracker.arrived('c', 7, ['g'], 7);
    tracker.finished('a', { credited: true, at: HOUR });
    tracker.finished('b', { credited: false, at: 6 });
    const counts = tracker.countsOf('g');
    assert.equal(counts.withinHour, 1);
    assert.equal(counts.rejected, 1);
    assert.equal(counts.openUnderHour, 1);
    assert.equal(creditDue(counts), 2);
    // Finishing twice, or a payment never seen arriving, changes nothing.
    tracker.finished('a', { credited: true, at: HOUR });
    tracker.finished('unknown', { credited: true, at: 1 });
    assert.deepEqual(tracker.countsOf('g'), counts);
  });

  it('counts a payment that arrived over an hour before its batch as open over the hour', () => {
    const tracker = new CreditTracker();
    tracker.arrived('old', 0, ['g'], HOUR + 1);
    assert.equal(tracker.countsOf('g').openOverHour, 1);
  });

  it('beyond its limit counts a newly open payment as open over the hour, for good', () => {
    const tracker = new CreditTracker(1);
    tracker.arrived('a', 0, ['g'], 0);
    tracker.arrived('b', 0, ['g'], 0);
    tracker.finished('b', { credited: true, at: 1 });
    assert.equal(tracker.countsOf('g').openOverHour, 1);
    assert.equal(tracker.countsOf('g').openUnderHour, 1);
  });

  it('stays bounded while many payments arrive and finish', () => {
    const tracker = new CreditTracker();
    for (let index = 0; index < 10_000; index++) {
      tracker.arrived(`p${index}`, index, ['g'], index);
      tracker.finished(`p${index}`, { credited: true, at: index + 1 });
    }
    tracker.advance(10 * HOUR);
    assert.equal(tracker.countsOf('g').withinHour, 10_000);
  });
});

describe('arrivalTime()', () => {
  it('keeps a valid arrival, and takes the batch time for none, a bad one or a later one', () => {
    assert.equal(arrivalTime(900, 1_000), 900);
    assert.equal(arrivalTime(undefined, 1_000), 1_000);
    assert.equal(arrivalTime(1.5, 1_000), 1_000);
    assert.equal(arrivalTime(-1, 1_000), 1_000);
    assert.equal(arrivalTime('900', 1_000), 1_000);
    assert.equal(arrivalTime(2_000, 1_000), 1_000);
  });
});

describe('time to credit and cost of payments', () => {
  it('measures an instant payment from its arrival, journaled, the same after replay', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'corridor-figures-'));
    const path = join(directory, 'network.db');
    try {
      const test = await openTestNetwork({ store: new SqliteStore({ path }) });
      const { network } = test;
      const quoted = await network.quote('br-bank', {
        source: 'BRL',
        target: 'INR',
        fixed: 'send',
        amount: 100_000n,
        quoteId: 'q-ttc',
      });
      assert.equal(quoted.code, 'ok');
      const arrived = test.now();
      const command = await network.paymentCommand(
        'br-bank',
        paymentInput({ creditorAgent: 'in-bank', id: 'p-ttc', quoteId: 'q-ttc' }),
      );
      test.advance(250);
      const [result] = await network.submit([command]);
      const payment = result?.payment;
      assert.equal(payment?.status, 'ACCC');
      assert.equal(payment.receivedAt, arrived);
      const credited = payment.events.find((event) => event.status === 'ACCC')?.at;
      assert.equal(credited, arrived + 250);
      assert.equal(timeToCreditMs(payment), 250);
      await network.close();

      const store = new SqliteStore({ path });
      await store.open();
      const rebuilt = await rebuildNetwork(store);
      const replayed = rebuilt.engine.state.payments.get(payment.id);
      assert.equal(replayed?.receivedAt, arrived);
      assert.equal(replayed === undefined ? undefined : timeToCreditMs(replayed), 250);
      await store.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("costs a payment the quote's spread against the mid rate plus its fees", async () => {
    const test = await openTestNetwork();
    const { network } = test;
    const quoted = await network.quote('br-bank', {
      source: 'BRL',
      target: 'INR',
      fixed: 'send',
      amount: 100_000n,
      quoteId: 'q-cost',
    });
    const quote = quoted.quote;
    assert.ok(quote !== undefined);
    const paid = await network.pay(
      'br-bank',
      paymentInput({ creditorAgent: 'in-bank', id: 'p-cost', quoteId: 'q-cost' }),
    );
    const payment = paid.payment;
    assert.ok(payment !== undefined);
    assert.equal(payment.midRate, quote.midRate);
    // Independently: the spread is spreadBps of what was sent, and every fee is cost too.
    const sent = Number(quote.sendAmount);
    const fees = quote.fees.reduce((sum, fee) => sum + Number(fee.amount), 0);
    assert.ok(quote.spreadBps > 0 && fees > 0, 'the test quote has a spread and fees');
    const expected = (((sent * quote.spreadBps) / 10_000 + fees) / (sent + fees)) * 10_000;
    const values = midValuesOf(payment);
    assert.ok(values !== undefined);
    const bps = costBps(values);
    assert.ok(bps !== null && Math.abs(bps - expected) < 1e-4, `${bps} bp, expected ${expected}`);
    await network.close();
  });

  it('costs a domestic payment its fees alone', async () => {
    const config = testNetworkConfig();
    const test = await openTestNetwork({ config });
    const paid = await test.network.pay(
      'br-bank',
      paymentInput({ creditorAgent: 'br-other', id: 'p-dom', currency: 'BRL', amount: 9_950n }),
    );
    const payment = paid.payment;
    assert.ok(payment !== undefined);
    const values = midValuesOf(payment);
    // 0.50 BRL scheme fee on 99.50 BRL sent: 50 / 10,000 of the 100.00 debited.
    assert.equal(values === undefined ? null : costBps(values), 50);
    await test.network.close();
  });
});
