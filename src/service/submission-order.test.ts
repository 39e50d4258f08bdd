// Proves that commands submitted without waiting enter the queue in the order they were
// submitted when screening answers at once (no screener, or the in-thread screener): a payment
// followed by a suspension of its debtor settles, and the reverse is refused. A payment whose
// screening waits (a screening thread) enters when its verdict arrives, after commands
// submitted later (docs/sanctions.md "Screening threads").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScreeningVerdict } from '../engine/payments/model.js';
import type { PartyScreener } from './service.js';
import { openTestNetwork, paymentInput } from '../testing/network-fixtures.js';

const CLEAR: ScreeningVerdict = { hit: false, matches: [] };
const inThread: PartyScreener = { screenParties: () => CLEAR };
const onThread: PartyScreener = {
  screenParties: () => new Promise((done) => setTimeout(() => done(CLEAR), 5)),
};

function brlPayment(id: string) {
  return { ...paymentInput({ creditorAgent: 'br-other', id }), currency: 'BRL', amount: 100n };
}

describe('the order of commands submitted without waiting', () => {
  for (const [name, screener] of [['no screener', undefined], ['in-thread screening', inThread]] as const) {
    it(`${name}: a payment submitted before its debtor's suspension settles; after it, is refused`, async () => {
      const test = await openTestNetwork(screener === undefined ? {} : { screener });
      try {
        const [paid, suspended] = await Promise.all([
          test.network.pay('br-bank', brlPayment('order-1')),
          test.network.setParticipantStatus('operator', 'br-bank', 'suspended'),
        ]);
        assert.equal(suspended.code, 'ok');
        assert.equal(paid.code, 'ok');
        assert.equal(paid.payment?.status, 'ACCC');
        const [resumed, again, refused] = await Promise.all([
          test.network.setParticipantStatus('operator', 'br-bank', 'active'),
          test.network.setParticipantStatus('operator', 'br-bank', 'suspended'),
          test.network.pay('br-bank', brlPayment('order-2')),
        ]);
        assert.equal(resumed.code, 'ok');
        assert.equal(again.code, 'ok');
        assert.equal(refused.payment?.status, 'RJCT', 'the suspension came first');
        assert.equal(refused.payment?.reason, 'AC06');
      } finally {
        await test.network.close();
      }
    });
  }

  it('screening that waits: the payment enters the queue when its verdict arrives', async () => {
    const test = await openTestNetwork({ screener: onThread });
    try {
      const paying = test.network.pay('br-bank', brlPayment('order-3'));
      const suspended = await test.network.setParticipantStatus('operator', 'br-bank', 'suspended');
      assert.equal(suspended.code, 'ok');
      const paid = await paying;
      assert.equal(paid.payment?.status, 'RJCT', 'the suspension came first');
      assert.equal(paid.payment?.reason, 'AC06');
    } finally {
      await test.network.close();
    }
  });
});
