// Who may see what, tested once for every adapter: parties see their payments, a central bank
// those in a currency it issues (and the accounts in it), the operator everything; status
// changes go to their audience; holds are reviewed by the operator and central banks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Payment } from './model.js';
import {
  canReview, canSeeAccount, canSeeEvent, canSeePayment, paymentScope, viewerOf, type Viewer,
} from './visibility.js';

const CURRENCIES = [{ code: 'BRL', issuer: 'bcb' }, { code: 'INR', issuer: 'rbi' },
  { code: 'CNY', issuer: 'pboc' }];

const PAYMENT = {
  debtorAgent: 'br-bank', creditorAgent: 'in-bank', fxProvider: 'fx-one',
  sourceCurrency: 'BRL', targetCurrency: 'INR',
} as Payment;

function as(id: string, kind: Viewer['kind']): Viewer {
  return viewerOf({ id, kind }, CURRENCIES);
}

describe('visibility', () => {
  it('a payment: its parties, the issuers of its currencies and the operator', () => {
    const sees = (viewer: Viewer): boolean => canSeePayment(viewer, PAYMENT);
    assert.equal(sees(as('br-bank', 'bank')), true);
    assert.equal(sees(as('in-bank', 'bank')), true);
    assert.equal(sees(as('fx-one', 'fx_provider')), true);
    assert.equal(sees(as('bcb', 'central_bank')), true);
    assert.equal(sees(as('rbi', 'central_bank')), true);
    assert.equal(sees(as('operator', 'operator')), true);
    assert.equal(sees(as('cn-bank', 'bank')), false);
    assert.equal(sees(as('fx-two', 'fx_provider')), false);
    assert.equal(sees(as('pboc', 'central_bank')), false);
  });

  it('only a central bank carries issued currencies', () => {
    assert.deepEqual(as('bcb', 'central_bank').issued, ['BRL']);
    // A bank named as an issuer by mistake gains nothing from it.
    assert.deepEqual(viewerOf({ id: 'bcb', kind: 'bank' }, CURRENCIES).issued, []);
  });

  it('an account: its holder, its currency issuer and the operator', () => {
    assert.equal(canSeeAccount(as('br-bank', 'bank'), 'br-bank', 'BRL'), true);
    assert.equal(canSeeAccount(as('br-other', 'bank'), 'br-bank', 'BRL'), false);
    assert.equal(canSeeAccount(as('bcb', 'central_bank'), 'br-bank', 'BRL'), true);
    assert.equal(canSeeAccount(as('rbi', 'central_bank'), 'br-bank', 'BRL'), false);
    assert.equal(canSeeAccount(as('operator', 'operator'), 'br-bank', 'BRL'), true);
  });

  it('a status change: its audience and the operator', () => {
    const event = { audience: ['br-bank', 'in-bank', 'bcb'] };
    assert.equal(canSeeEvent(as('in-bank', 'bank'), event), true);
    assert.equal(canSeeEvent(as('bcb', 'central_bank'), event), true);
    assert.equal(canSeeEvent(as('operator', 'operator'), event), true);
    assert.equal(canSeeEvent(as('cn-bank', 'bank'), event), false);
  });

  it('holds are reviewed by the operator and the central banks that see them', () => {
    assert.equal(canReview(as('operator', 'operator'), PAYMENT), true);
    assert.equal(canReview(as('bcb', 'central_bank'), PAYMENT), true);
    assert.equal(canReview(as('pboc', 'central_bank'), PAYMENT), false);
    assert.equal(canReview(as('br-bank', 'bank'), PAYMENT), false);
  });

  it('the scope a query applies is the same rule as data', () => {
    assert.deepEqual(paymentScope(as('operator', 'operator')), { all: true });
    assert.deepEqual(paymentScope(as('bcb', 'central_bank')),
      { all: false, party: 'bcb', currencies: ['BRL'] });
    assert.deepEqual(paymentScope(as('br-bank', 'bank')),
      { all: false, party: 'br-bank', currencies: [] });
  });
});
