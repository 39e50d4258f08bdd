// Proves that a status change is announced to the payment's parties and the issuers of its
// currencies, each once and in a fixed order, and that the events of one payment share one
// audience while another payment gets its own.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LedgerEngine } from '../../ledger/engine.js';
import { BatchContext, type NetworkState } from '../state.js';
import type { Payment } from './model.js';
import { audienceOf, changeStatus } from './status.js';

function stateWithIssuers(issuers: Record<string, string>): NetworkState {
  const currencies = new Map(Object.entries(issuers).map(([code, issuer]) => [code, { issuer }]));
  return { currencies, finished: new Map() } as unknown as NetworkState;
}

function payment(fields: Partial<Payment>): Payment {
  return { id: 'pm:1', debtorAgent: 'bank-a', creditorAgent: 'bank-b', sourceCurrency: 'BRL',
    targetCurrency: 'INR', events: [], ...fields } as unknown as Payment;
}

describe('status audiences', () => {
  it('names agents, FX provider and issuers once each, in that order', () => {
    const state = stateWithIssuers({ BRL: 'cb-br', INR: 'cb-in' });
    assert.deepEqual(audienceOf(state, payment({ fxProvider: 'fx-1' })),
      ['bank-a', 'bank-b', 'fx-1', 'cb-br', 'cb-in']);
    // Domestic, one issuer; an issuer that is itself a party is named once.
    assert.deepEqual(audienceOf(state, payment({ targetCurrency: 'BRL' })),
      ['bank-a', 'bank-b', 'cb-br']);
    assert.deepEqual(audienceOf(state, payment({ creditorAgent: 'cb-in' })),
      ['bank-a', 'cb-in', 'cb-br']);
  });

  it('changeStatus announces each change with its reason, to the right payment audience', () => {
    const state = stateWithIssuers({ BRL: 'cb-br', INR: 'cb-in' });
    const context = new BatchContext(1_000, new LedgerEngine());
    const first = payment({ fxProvider: 'fx-1' });
    const second = payment({ id: 'pm:2', debtorAgent: 'bank-c', targetCurrency: 'BRL' });
    changeStatus(state, context, first, { status: 'ACTC' });
    changeStatus(state, context, second, { status: 'ACTC' });
    changeStatus(state, context, first, { status: 'RJCT', reason: 'AM14', detail: 'cap' });
    const events = context.changes.events;
    assert.deepEqual(events.map((event) => [event.paymentId, event.status, event.audience]), [
      ['pm:1', 'ACTC', ['bank-a', 'bank-b', 'fx-1', 'cb-br', 'cb-in']],
      ['pm:2', 'ACTC', ['bank-c', 'bank-b', 'cb-br']],
      ['pm:1', 'RJCT', ['bank-a', 'bank-b', 'fx-1', 'cb-br', 'cb-in']],
    ]);
    assert.deepEqual(events[2], { paymentId: 'pm:1', status: 'RJCT', at: 1_000, reason: 'AM14',
      detail: 'cap', audience: ['bank-a', 'bank-b', 'fx-1', 'cb-br', 'cb-in'] });
    assert.deepEqual(first.events, [{ status: 'ACTC', at: 1_000 },
      { status: 'RJCT', at: 1_000, reason: 'AM14', detail: 'cap' }]);
    assert.equal(first.status, 'RJCT');
    assert.equal(first.reason, 'AM14');
  });
});
