// Proves Network.quoteAndPay: a quote asked for and used by a payment in one batch (one journal
// entry), the quote's id derived from the payment's so that a retry replays both; a refused
// quote refuses the whole; a refused payment leaves its quote unused until it expires; and a
// network rebuilt from the journal holds the same payments and quotes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inlineQuoteId, rebuildNetwork, type InlineQuoteRequest } from './service.js';
import { openTestNetwork, paymentInput, type TestNetwork } from '../testing/network-fixtures.js';

const BRL_TO_INR: InlineQuoteRequest = { source: 'BRL', target: 'INR', fixed: 'send', amount: 10_000n };

function tail(test: TestNetwork): number {
  return test.network.journalTail?.sequence ?? 0;
}

function withoutQuote(fields: { creditorAgent: string; id?: string; endToEndId?: string }) {
  const { quoteId: _quoteId, currency: _currency, amount: _amount, ...input } =
    paymentInput(fields);
  return input;
}

const json = (value: unknown): string =>
  JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `${item}n` : item));

describe('Network.quoteAndPay', () => {
  it('asks for a quote and pays with it in one journal entry; a retry replays both', async () => {
    const test = await openTestNetwork();
    try {
      const before = tail(test);
      const input = withoutQuote({ creditorAgent: 'in-bank', id: 'qp-1' });
      const paid = await test.network.quoteAndPay('br-bank', BRL_TO_INR, input);
      assert.equal(paid.code, 'ok');
      assert.equal(paid.payment?.status, 'ACCC');
      assert.equal(paid.payment?.quoteId, inlineQuoteId('qp-1'));
      assert.equal(paid.quote?.clientId, inlineQuoteId('qp-1'));
      assert.equal(paid.quote?.usedBy, paid.payment?.id);
      assert.equal(paid.payment?.sendAmount, 10_000n);
      assert.equal(paid.payment?.creditAmount, paid.quote?.creditAmount);
      assert.equal(tail(test), before + 1, 'one batch, one journal entry');
      const again = await test.network.quoteAndPay('br-bank', BRL_TO_INR, input);
      assert.equal(again.code, 'ok');
      assert.equal(again.replayed, true);
      assert.equal(again.payment?.id, paid.payment?.id);
      assert.equal(tail(test), before + 1, 'a retry journals nothing');
      assert.equal(test.network.engine.state.quotes.size, 1);
    } finally {
      await test.network.close();
    }
  });

  it('a refused quote refuses the whole (the payment finds no quote) and journals nothing', async () => {
    const test = await openTestNetwork();
    try {
      const before = tail(test);
      const refused = await test.network.quoteAndPay('br-bank', { ...BRL_TO_INR, target: 'JPY' },
        withoutQuote({ creditorAgent: 'in-bank' }));
      assert.equal(refused.code, 'currency_not_in_network');
      assert.equal(refused.field, 'target');
      assert.equal(tail(test), before);
      assert.equal(test.network.engine.state.quotes.size, 0);
      assert.equal(test.network.engine.state.payments.size, 0);
    } finally {
      await test.network.close();
    }
  });

  it('a refused payment leaves its quote unused; a corrected retry of the same payment uses it', async () => {
    const test = await openTestNetwork();
    try {
      const first = await test.network.quoteAndPay('br-bank', BRL_TO_INR,
        withoutQuote({ creditorAgent: 'in-bank', id: 'qp-e2e-1', endToEndId: 'E2E-TAKEN' }));
      assert.equal(first.code, 'ok');
      const before = tail(test);
      const input = withoutQuote({ creditorAgent: 'in-bank', id: 'qp-e2e-2', endToEndId: 'E2E-TAKEN' });
      const refused = await test.network.quoteAndPay('br-bank', BRL_TO_INR, input);
      assert.equal(refused.code, 'duplicate_end_to_end_id');
      assert.equal(tail(test), before + 1, 'the quote alone was journaled');
      const left = test.network.liveQuoteOf('br-bank', inlineQuoteId('qp-e2e-2'));
      assert.equal(left?.usedBy, undefined);
      assert.equal(test.network.engine.state.payments.size, 1);
      const retried = await test.network.quoteAndPay('br-bank', BRL_TO_INR,
        { ...input, endToEndId: 'E2E-FRESH' });
      assert.equal(retried.code, 'ok');
      assert.equal(retried.quote?.id, left?.id, 'the same quote, replayed');
      assert.equal(retried.payment?.quoteId, inlineQuoteId('qp-e2e-2'));
      assert.equal(test.network.liveQuoteOf('br-bank', inlineQuoteId('qp-e2e-2'))?.usedBy,
        retried.payment?.id);
      // Past its expiry, the unused quote of a refused payment cannot be paid with.
      const late = withoutQuote({ creditorAgent: 'in-bank', id: 'qp-late', endToEndId: 'E2E-TAKEN' });
      assert.equal((await test.network.quoteAndPay('br-bank', BRL_TO_INR, late)).code,
        'duplicate_end_to_end_id');
      test.advance(test.network.engine.state.settings.quoteTtlMs);
      const expired = await test.network.quoteAndPay('br-bank', BRL_TO_INR,
        { ...late, endToEndId: 'E2E-LATE' });
      assert.equal(expired.code, 'quote_expired');
    } finally {
      await test.network.close();
    }
  });

  it('a network rebuilt from the journal holds the same payments and quotes', async () => {
    const test = await openTestNetwork();
    try {
      for (let index = 0; index < 5; index++) {
        const result = await test.network.quoteAndPay('br-bank',
          { ...BRL_TO_INR, fixed: index % 2 === 0 ? 'send' : 'receive' },
          withoutQuote({ creditorAgent: 'in-bank', id: `qp-replay-${index}` }));
        assert.equal(result.code, 'ok');
      }
      const rebuilt = await rebuildNetwork(test.network.store);
      const state = test.network.engine.state;
      assert.equal(json([...rebuilt.engine.state.payments]), json([...state.payments]));
      assert.equal(json([...rebuilt.engine.state.quotes]), json([...state.quotes]));
    } finally {
      await test.network.close();
    }
  });
});
