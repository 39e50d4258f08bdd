// Proves the settlement queue in the engine: a gridlock that gross settlement refuses settles in
// one pass, deadlines reject with nothing moved, FIFO per sender, cancel/reorder/priority, and
// old networks (no queue setting) reject as before.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NetworkEngine } from '../engine.js';
import { configToCommands } from '../../service/config.js';
import type { NetworkCommand, NetworkResult } from '../commands.js';
import { settlementAccountId } from '../model.js';
import {
  GRIDLOCK_BANKS, GRIDLOCK_HELD, gridlockConfig, gridlockPayment, gridlockQuote,
} from '../../testing/gridlock.js';
import { liquidityReport } from './figures.js';
import { queueOrder } from './queue.js';

const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);

function engineWith(queue: boolean, cycleMs = 0): NetworkEngine {
  const engine = new NetworkEngine();
  const setup = engine.apply(configToCommands(gridlockConfig(queue, cycleMs), T0), T0);
  const refused = setup.results.find((result) => result.code !== 'ok');
  assert.equal(refused, undefined, JSON.stringify(refused));
  return engine;
}

function run(engine: NetworkEngine, commands: NetworkCommand[], now: number): NetworkResult[] {
  const batch = engine.apply(commands, now);
  engine.checkAllInvariants();
  return batch.results;
}

/** Quotes then pays, one bank per batch; returns the payments' network ids. */
function payAll(engine: NetworkEngine, now: number, extra = {}): string[] {
  const ids: string[] = [];
  GRIDLOCK_BANKS.forEach((bank, index) => {
    const [quoted] = run(engine, [gridlockQuote(bank, `q${index}`)], now + index);
    assert.equal(quoted?.code, 'ok');
    const [paid] = run(engine, [gridlockPayment(bank, `p${index}`, `q${index}`, extra)], now + index);
    assert.equal(paid?.code, 'ok', `${paid?.code}: ${paid?.message}`);
    ids.push(paid?.payment?.id ?? '');
  });
  return ids;
}

/** The bank's debt as a domestic payment to the FX provider (no quote needed). */
function domestic(bank: (typeof GRIDLOCK_BANKS)[number], id: string): NetworkCommand {
  const command = gridlockPayment(bank, id, '');
  if (command.type !== 'create_payment') throw new Error('not a payment');
  const { quoteId: _quoteId, ...payment } = command.payment;
  return { ...command, payment: { ...payment, creditorAgent: 'fx', currency: bank.currency,
    amount: 10_000n } };
}

function posted(engine: NetworkEngine, participant: string, currency: string): bigint {
  return engine.ledger.balance(settlementAccountId(participant, currency))?.posted ?? 0n;
}

describe('settlement queue (engine)', () => {
  it('the upper bound and peak used count payments only: issuance during the day hides neither', () => {
    const engine = engineWith(true);
    const bank = GRIDLOCK_BANKS[0];
    const issue = (id: string, amount: bigint): NetworkCommand => ({
      type: 'issue', actor: 'bcb', id, participantId: bank.id, currency: bank.currency, amount });
    const pay = (id: string, amount: bigint): NetworkCommand => {
      const command = domestic(bank, id);
      if (command.type !== 'create_payment') throw new Error('not a payment');
      return { ...command, payment: { ...command.payment, amount } };
    };
    const settled = (results: NetworkResult[]): void =>
      assert.equal(results[0]?.payment?.status, 'ACCC', results[0]?.code);
    assert.equal(run(engine, [issue('fund-1', 20_000n)], T0 + 1)[0]?.code, 'ok');
    settled(run(engine, [pay('out-1', 5_000n)], T0 + 2));
    // The central bank tops the account up between two payments (as the demo's rebalancing
    // does): the balance never falls below where the day's first payment found it.
    assert.equal(run(engine, [issue('fund-2', 50_000n)], T0 + 3)[0]?.code, 'ok');
    settled(run(engine, [pay('out-2', 10_000n)], T0 + 4));
    const report = liquidityReport(engine.state, T0 + 5);
    const figure = report.participants.find((item) =>
      item.participant === bank.id && item.currency === bank.currency);
    assert.equal(figure?.lowerBound, 15_000n);
    assert.equal(figure?.upperBound, 15_000n, 'gross at submission it pays out 15,000');
    assert.equal(figure?.peakLiquidityUsed, 15_000n, 'its payments used 15,000 of liquidity');
  });

  it('gross settlement (no queue) settles nothing of the gridlock', () => {
    const engine = engineWith(false);
    GRIDLOCK_BANKS.forEach((bank, index) => {
      // The provider cannot back 100.00 with 10.00: no quote, so no payment can even start.
      const [quoted] = run(engine, [gridlockQuote(bank, `q${index}`)], T0 + index);
      assert.equal(quoted?.code, 'no_offer');
      // A domestic payment of what it owes is rejected for insufficient funds.
      const [paid] = run(engine, [domestic(bank, `d${index}`)], T0 + index);
      assert.equal(paid?.payment?.status, 'RJCT');
      assert.equal(paid?.payment?.reason, 'AM04');
    });
    for (const bank of GRIDLOCK_BANKS) {
      assert.equal(posted(engine, bank.id, bank.currency), GRIDLOCK_HELD);
    }
  });

  it('queues the unfunded payments and settles the whole gridlock in the pass after the last', () => {
    const engine = engineWith(true);
    const ids = payAll(engine, T0 + 10);
    for (const id of ids) {
      const payment = engine.state.payments.get(id);
      assert.equal(payment?.status, 'ACCC', JSON.stringify(payment?.events));
      // ACTC, queued (ACSP AM04), then settled.
      assert.deepEqual(payment?.events.map((event) => event.status), ['ACTC', 'ACSP', 'ACSC', 'ACCC']);
      assert.equal(payment?.events[1]?.reason, 'AM04');
      assert.match(payment?.events[1]?.detail ?? '', /^queued_/);
    }
    assert.equal(engine.state.queue.entries.size, 0);
    // Every payment kept its own gross legs: balances are back where they were.
    for (const bank of GRIDLOCK_BANKS) {
      assert.equal(posted(engine, bank.id, bank.currency), GRIDLOCK_HELD);
    }
    for (const id of ids) assert.equal(engine.ledger.hasTransfer(`p:${id}:1`), true);
    const report = liquidityReport(engine.state, T0 + 10);
    const brl = report.currencies.find((figure) => figure.currency === 'BRL');
    assert.equal(brl?.offsetValue, 10_000n);
    assert.equal(brl?.peakLiquidityUsed, 0n);
    assert.equal(brl?.lowerBound, 0n);
    // Gross at submission, the BRL bank would have gone 100.00 down: the FX provider's 100.00
    // of BRL to br-bank came only with the third payment.
    assert.ok((brl?.upperBound ?? 0n) >= 9_000n, String(brl?.upperBound));
  });

  it('rejects a queued payment at its latest settlement time, nothing moved (AB01)', () => {
    const engine = engineWith(true);
    const bank = GRIDLOCK_BANKS[0];
    run(engine, [gridlockQuote(bank, 'q')], T0 + 1);
    const [paid] = run(engine, [gridlockPayment(bank, 'p', 'q', { latestSettlementAt: T0 + 5_000 })],
      T0 + 1);
    const id = paid?.payment?.id ?? '';
    assert.equal(engine.state.payments.get(id)?.status, 'ACSP');
    run(engine, [], T0 + 4_999);
    assert.equal(engine.state.payments.get(id)?.status, 'ACSP');
    run(engine, [], T0 + 5_000);
    const payment = engine.state.payments.get(id);
    assert.equal(payment?.status, 'RJCT');
    assert.equal(payment?.reason, 'AB01');
    assert.equal(engine.state.queue.entries.size, 0);
    assert.equal(posted(engine, bank.id, bank.currency), GRIDLOCK_HELD);
    assert.equal(engine.ledger.hasTransfer(`p:${id}:1`), false);
  });

  it('refuses a latest settlement time after the quote expires, or in the past', () => {
    const engine = engineWith(true);
    const bank = GRIDLOCK_BANKS[0];
    run(engine, [gridlockQuote(bank, 'q')], T0 + 1);
    const late = run(engine, [gridlockPayment(bank, 'p', 'q',
      { latestSettlementAt: T0 + 3_600_000 + 2 })], T0 + 1)[0];
    assert.equal(late?.code, 'invalid_field');
    assert.equal(late?.field, 'latestSettlementAt');
    const past = run(engine, [gridlockPayment(bank, 'p', 'q', { latestSettlementAt: T0 })], T0 + 1)[0];
    assert.equal(past?.code, 'invalid_field');
    assert.equal(engine.state.payments.size, 0);
  });

  it('refuses queue_full when the queue is at capacity, and changes nothing', () => {
    const engine = engineWith(false);
    run(engine, [{ type: 'set_queue_settings', actor: 'operator',
      queue: { enabled: true, capacity: 1, cycleMs: 0, waitMsDefault: 60_000 } }], T0 + 1);
    const [first, second] = GRIDLOCK_BANKS;
    run(engine, [gridlockQuote(first, 'q1'), gridlockQuote(second, 'q2')], T0 + 2);
    assert.equal(run(engine, [gridlockPayment(first, 'p1', 'q1')], T0 + 3)[0]?.code, 'ok');
    const [full] = run(engine, [gridlockPayment(second, 'p2', 'q2')], T0 + 4);
    assert.equal(full?.code, 'queue_full');
    assert.equal(engine.state.payments.size, 1);
  });

  it('lets the sender cancel (DS02), re-prioritise and reorder only its own queued payments', () => {
    const engine = engineWith(true);
    const bank = GRIDLOCK_BANKS[0];
    run(engine, [gridlockQuote(bank, 'qa'), gridlockQuote(bank, 'qb'), gridlockQuote(bank, 'qc')],
      T0 + 1);
    run(engine, [gridlockPayment(bank, 'a', 'qa'), gridlockPayment(bank, 'b', 'qb'),
      gridlockPayment(bank, 'c', 'qc')], T0 + 2);
    const order = (): string[] => queueOrder(engine.state.queue)
      .map((entry) => engine.state.payments.get(entry.paymentId)?.clientId ?? '');
    assert.deepEqual(order(), ['a', 'b', 'c']);
    assert.equal(run(engine, [{ type: 'reorder_queue', actor: bank.id, paymentIds: ['c', 'a'] }],
      T0 + 3)[0]?.code, 'ok');
    assert.deepEqual(order(), ['c', 'b', 'a']);
    assert.equal(run(engine, [{ type: 'set_queue_priority', actor: bank.id, paymentId: 'a',
      priority: 'urgent' }], T0 + 4)[0]?.code, 'ok');
    assert.deepEqual(order(), ['a', 'c', 'b']);
    const stranger = run(engine, [{ type: 'cancel_queued', actor: 'in-bank', paymentId: 'a' }],
      T0 + 5)[0];
    assert.equal(stranger?.code, 'payment_not_found');
    const [cancelled] = run(engine, [{ type: 'cancel_queued', actor: bank.id, paymentId: 'b' }],
      T0 + 5);
    assert.equal(cancelled?.code, 'ok');
    assert.equal(cancelled?.payment?.status, 'RJCT');
    assert.equal(cancelled?.payment?.reason, 'DS02');
    assert.deepEqual(order(), ['a', 'c']);
    const again = run(engine, [{ type: 'cancel_queued', actor: bank.id, paymentId: 'b' }], T0 + 6);
    assert.equal(again[0]?.code, 'payment_not_queued');
  });

  it('keeps FIFO per sender: a funded normal payment waits behind its sender\'s queued one', () => {
    // A long cycle: no pass runs between these payments, so what waits is what FIFO decided.
    const engine = engineWith(true, 60_000);
    const bank = GRIDLOCK_BANKS[0];
    run(engine, [gridlockQuote(bank, 'big')], T0 + 1);
    run(engine, [gridlockPayment(bank, 'big', 'big')], T0 + 2);
    run(engine, [{ ...gridlockQuote(bank, 'small'), amount: 100n } as NetworkCommand], T0 + 3);
    const [small] = run(engine, [gridlockPayment(bank, 'small', 'small')], T0 + 4);
    assert.equal(small?.payment?.status, 'ACSP');
    run(engine, [{ ...gridlockQuote(bank, 'urgent'), amount: 100n } as NetworkCommand], T0 + 5);
    const [urgent] = run(engine, [gridlockPayment(bank, 'urgent', 'urgent', { priority: 'urgent' })],
      T0 + 6);
    assert.equal(urgent?.payment?.status, 'ACCC');
  });

  it('a cycle of engine time: the pass waits for it, and a run_queue tick drives it', () => {
    const engine = engineWith(true, 250);
    payAll(engine, T0 + 10);
    // The pass ran at the first payment (T0 + 10); the third came 2 ms later: still waiting.
    assert.equal(engine.state.queue.entries.size, 3);
    run(engine, [{ type: 'run_queue', actor: 'operator' }], T0 + 259);
    assert.equal(engine.state.queue.entries.size, 3);
    const batch = engine.apply([{ type: 'run_queue', actor: 'operator' }], T0 + 260);
    assert.equal(engine.state.queue.entries.size, 0);
    assert.equal(batch.applied.length, 0);
    assert.equal(batch.context.queueRan, true);
  });
});
