// Proves POST /v1/payments with an inline quote (quote and pay in one batch) over HTTP: it pays
// cross-border with the quote it asked for, a retry replays both, a refused payment leaves its
// quote unused, batch items may carry one, and bad input gets a stable code, changing nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inlineQuoteId } from '../service/service.js';
import {
  assertError,
  assertStatus,
  crossBorderBody,
  domesticBody,
  snapshot,
  typed,
  type Http,
  type PaymentView,
  type QuoteView,
} from '../testing/api-helpers.js';
import { startTestServer, type TestServer } from '../testing/server-fixtures.js';

const QUOTE = { sourceCurrency: 'BRL', targetCurrency: 'INR', fixed: 'send', amount: '100.00' };

/** A cross-border payment body with an inline quote instead of a quoteId. */
function inlineBody(fields: Record<string, unknown> = {}): Record<string, unknown> {
  const { quoteId: _quoteId, ...body } = crossBorderBody('unused');
  return { ...body, quote: QUOTE, ...fields };
}

describe('POST /v1/payments with an inline quote', () => {
  let server: TestServer;
  let http: Http;
  before(async () => {
    server = await startTestServer();
    http = typed(server);
  });
  after(async () => server.close());

  it('asks for the quote and pays with it: 201, the quote used, and a retry replays both', async () => {
    const body = inlineBody({ id: 'inline-1' });
    const paid = await http.post<PaymentView>('br-bank', '/v1/payments', body);
    assertStatus(paid, 201);
    assert.equal(paid.body.status, 'ACCC');
    assert.equal(paid.body.quoteId, inlineQuoteId('inline-1'));
    assert.deepEqual(paid.body.sendAmount, { amount: '100.00', currency: 'BRL' });
    const quote = await http.get<QuoteView>('br-bank', `/v1/quotes/${inlineQuoteId('inline-1')}`);
    assertStatus(quote, 200);
    assert.equal(quote.body.used, true);
    assert.deepEqual(quote.body.creditAmount, paid.body.creditAmount);
    const state = snapshot(server.network);
    const again = await http.post<PaymentView>('br-bank', '/v1/payments', body);
    assertStatus(again, 200);
    assert.equal(again.body.networkId, paid.body.networkId);
    assert.equal(snapshot(server.network), state);
  });

  it('with an Idempotency-Key, a retry gets the very bytes of the first answer, and pays once', async () => {
    const send = async () => {
      const response = await fetch(`${server.url}/v1/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'inline-key-1',
          authorization: `Bearer ${server.keys['br-bank'] ?? ''}` },
        body: JSON.stringify(inlineBody({ endToEndId: 'E2E-INLINE-KEY' })),
      });
      return { response, text: await response.text() };
    };
    const first = await send();
    assert.equal(first.response.status, 201);
    const state = snapshot(server.network);
    const second = await send();
    assert.equal(second.response.status, 201);
    assert.equal(second.response.headers.get('idempotent-replayed'), 'true');
    assert.equal(second.response.headers.get('content-type'),
      first.response.headers.get('content-type'));
    assert.equal(second.text, first.text);
    assert.equal(snapshot(server.network), state);
  });

  it('lower-case currency codes and a fixed receive amount', async () => {
    const paid = await http.post<PaymentView>('br-bank', '/v1/payments', inlineBody({
      quote: { sourceCurrency: 'brl', targetCurrency: 'inr', fixed: 'receive', amount: '500.00',
        routing: 'direct' },
    }));
    assertStatus(paid, 201);
    assert.deepEqual(paid.body.creditAmount, { amount: '500.00', currency: 'INR' });
  });

  it('a refused payment is answered with its refusal; its quote stays unused for a corrected retry', async () => {
    const taken = inlineBody();
    assertStatus(await http.post('br-bank', '/v1/payments', taken), 201);
    const body = inlineBody({ id: 'inline-dup', endToEndId: taken['endToEndId'] });
    assertError(await http.post('br-bank', '/v1/payments', body), 409,
      'duplicate_end_to_end_id', 'endToEndId');
    const quote = await http.get<QuoteView>('br-bank', `/v1/quotes/${inlineQuoteId('inline-dup')}`);
    assertStatus(quote, 200);
    assert.equal(quote.body.used, false);
    const retried = await http.post<PaymentView>('br-bank', '/v1/payments',
      { ...body, endToEndId: 'E2E-INLINE-FRESH' });
    assertStatus(retried, 201);
    assert.equal(retried.body.quoteId, inlineQuoteId('inline-dup'));
  });

  it('a batch takes inline quotes beside domestic items and quote ids', async () => {
    const answer = await http.post<{
      results: { index: number; payment?: PaymentView; error?: { code: string; field?: string } }[];
    }>('br-bank', '/v1/payments/batch', {
      payments: [
        inlineBody(),
        domesticBody(),
        inlineBody({ quote: { ...QUOTE, targetCurrency: 'JPY' } }),
        inlineBody({ amount: '1.00' }),
        inlineBody(),
      ],
    });
    assertStatus(answer, 200);
    const results = answer.body.results;
    assert.deepEqual(results.map((result) => result.payment?.status ?? result.error?.code),
      ['ACCC', 'ACCC', 'currency_not_in_network', 'quote_conflict', 'ACCC']);
    assert.equal(results[2]?.error?.field, 'quote.targetCurrency');
    assert.ok(results[0]?.payment?.quoteId !== results[4]?.payment?.quoteId);
  });

  it('a batch of more commands than a group holds (4,096 inline quotes: 8,192) pays every item', async () => {
    const payments = Array.from({ length: 4_096 }, (_, index) => inlineBody({
      id: `inline-many-${index}`,
      endToEndId: `E2E-MANY-${index}`,
      quote: { ...QUOTE, amount: '1.00' },
    }));
    const answer = await http.post<{ results: { index: number; payment?: PaymentView }[] }>(
      'br-bank', '/v1/payments/batch', { payments });
    assertStatus(answer, 200);
    assert.equal(answer.body.results.length, 4_096);
    assert.ok(answer.body.results.every((result, index) =>
      result.index === index && result.payment?.status === 'ACCC' &&
      result.payment.quoteId === inlineQuoteId(`inline-many-${index}`)));
  });

  const refusals: readonly {
    name: string;
    body: () => Record<string, unknown>;
    status: number;
    code: string;
    field?: string;
  }[] = [
    { name: 'both quoteId and quote', body: () => inlineBody({ quoteId: 'some-quote' }),
      status: 422, code: 'quote_conflict', field: 'quoteId' },
    { name: 'quote and amount', body: () => inlineBody({ amount: '10.00' }),
      status: 422, code: 'quote_conflict', field: 'amount' },
    { name: 'quote and currency', body: () => inlineBody({ currency: 'INR' }),
      status: 422, code: 'quote_conflict', field: 'currency' },
    { name: 'neither quoteId, quote nor amount', body: () => {
      const { quote: _quote, ...body } = inlineBody();
      return body;
    }, status: 400, code: 'quote_required', field: 'quoteId' },
    { name: 'an unknown currency', body: () => inlineBody({ quote: { ...QUOTE, sourceCurrency: 'XQZ' } }),
      status: 400, code: 'currency_unknown', field: 'quote.sourceCurrency' },
    { name: 'a currency the network does not settle', body: () =>
      inlineBody({ quote: { ...QUOTE, targetCurrency: 'JPY' } }),
      status: 422, code: 'currency_not_in_network', field: 'quote.targetCurrency' },
    { name: 'too many decimals', body: () => inlineBody({ quote: { ...QUOTE, amount: '1.001' } }),
      status: 400, code: 'amount_too_many_decimals', field: 'quote.amount' },
    { name: 'a zero amount', body: () => inlineBody({ quote: { ...QUOTE, amount: '0.00' } }),
      status: 400, code: 'amount_must_be_positive', field: 'quote.amount' },
    { name: 'an unknown field in the quote', body: () =>
      inlineBody({ quote: { ...QUOTE, id: 'mine' } }),
      status: 400, code: 'invalid_request' },
    { name: 'a missing field in the quote', body: () =>
      inlineBody({ quote: { sourceCurrency: 'BRL', targetCurrency: 'INR', amount: '1.00' } }),
      status: 400, code: 'invalid_request' },
    { name: 'the same currency twice', body: () =>
      inlineBody({ quote: { ...QUOTE, targetCurrency: 'BRL' } }),
      status: 400, code: 'invalid_field', field: 'quote.targetCurrency' },
    { name: 'the same payment id with another quote', body: () =>
      inlineBody({ id: 'inline-1', quote: { ...QUOTE, amount: '101.00' } }),
      status: 409, code: 'exists_with_different_fields', field: 'quote' },
  ];
  for (const refusal of refusals) {
    it(`${refusal.name}: ${refusal.status} ${refusal.code}, changing nothing`, async () => {
      const state = snapshot(server.network);
      const answer = await http.post('br-bank', '/v1/payments', refusal.body());
      assertError(answer, refusal.status, refusal.code, refusal.field);
      assert.equal(snapshot(server.network), state);
    });
  }
});
