// The ISO 20022 gateway's payment lookup and message-id memory hold the network's payment
// window only (the longer of the full retention and the return window), like the engine: a
// payment that finished longer ago is forgotten, and a gateway started later seeds from the
// payments the engine still holds, not from all of history.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NetworkConfigFile } from '../../service/config-schema.js';
import { openTestNetwork, paymentInput, testNetworkConfig, type TestNetwork } from
  '../../testing/network-fixtures.js';
import { MessageMemory } from './message-memory.js';
import { PaymentLookup } from './payment-lookup.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Finished payments in full for 1 hour, compact until the 1-day return window ends. */
function windowedConfig(): NetworkConfigFile {
  const config = testNetworkConfig();
  return { ...config, settings: { ...config.settings, paymentRetentionDays: 1 / 24,
    returnWindowDays: 1, uetrRetentionDays: 1 } };
}

async function pay(test: TestNetwork, id: string) {
  const result = await test.network.pay('br-bank', paymentInput({ id, creditorAgent: 'br-other',
    currency: 'BRL', amount: 100n }));
  assert.equal(result.code, 'ok', result.message);
  assert.ok(result.payment !== undefined);
  return result.payment;
}

describe('ISO 20022 gateway windows', () => {
  it('the lookup forgets a finished payment once the payment window has passed', async () => {
    const test = await openTestNetwork({ config: windowedConfig() });
    const { network } = test;
    try {
      assert.equal(network.paymentWindowMs(), DAY);
      const lookup = new PaymentLookup(network);
      await lookup.seed(network);
      const old = await pay(test, 'old');
      const references = { uetr: old.uetr, endToEndId: old.endToEndId };
      assert.equal(lookup.find(references, 'br-bank', 'debtor').ok, true);
      test.advance(2 * HOUR);
      await pay(test, 'recent');
      const compact = lookup.find(references, 'br-other', 'creditor');
      assert.equal(compact.ok, true, 'inside the return window (compact in the engine): held');
      assert.equal(compact.ok && compact.payment.id, old.id);
      test.advance(DAY);
      const newest = await pay(test, 'newest');
      assert.deepEqual(lookup.find(references, 'br-bank', 'debtor'),
        { ok: false, problem: 'not_found' });
      assert.deepEqual(lookup.find({ endToEndId: old.endToEndId }, 'br-bank', 'debtor'),
        { ok: false, problem: 'not_found' }, 'its end-to-end id too');
      assert.equal(lookup.size, 1, 'only the payment inside the window');
      assert.equal(lookup.find({ uetr: newest.uetr }, 'br-bank', 'debtor').ok, true);

      // A gateway started now seeds from what the engine holds: the same window.
      const fresh = new PaymentLookup(network);
      await fresh.seed(network);
      assert.equal(fresh.size, 1);
      assert.deepEqual(network.heldPaymentIds(), [newest.id]);
      assert.equal(fresh.find({ uetr: newest.uetr }, 'br-other', 'creditor').ok, true);
      assert.equal(fresh.find({ uetr: old.uetr }, 'br-bank', 'debtor').ok, false);
      lookup.close();
      fresh.close();
    } finally {
      await test.network.close();
    }
  });

  it('the message-id memory forgets ids a payment window after they were used', async () => {
    const test = await openTestNetwork({ config: windowedConfig() });
    const { network } = test;
    try {
      const { memory, stop } = MessageMemory.follow(network);
      await memory.seed(network);
      assert.equal(memory.claim('br-bank', 'MSG-1'), true);
      memory.release('br-bank', 'MSG-1', true);
      assert.equal(memory.claim('br-bank', 'MSG-1'), false, 'used: a resend is a duplicate');
      test.advance(DAY - 1);
      await pay(test, 'inside');
      assert.equal(memory.claim('br-bank', 'MSG-1'), false, 'still inside the window');
      test.advance(1);
      await pay(test, 'after');
      assert.equal(memory.size, 0);
      assert.equal(memory.claim('br-bank', 'MSG-1'), true, 'forgotten with the window');
      stop();
    } finally {
      await test.network.close();
    }
  });

  it('a network without a return window (an old journal) forgets nothing', () => {
    const memory = new MessageMemory(10);
    memory.remember('a', 'M1', 0);
    memory.forget(10 * 365 * DAY);
    assert.equal(memory.claim('a', 'M1'), false);
  });
});
