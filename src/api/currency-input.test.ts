// Proves the API's edge forgives what a newcomer types and says what to do instead: currency
// codes in any case (body, query string and path), and a cross-currency payment sent without a
// quote refused with quote_required and the way to get one, changing nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  assertError,
  assertStatus,
  domesticBody,
  typed,
  type Http,
  type PaymentView,
  type QuoteView,
} from '../testing/api-helpers.js';
import { startTestServer, type TestServer } from '../testing/server-fixtures.js';

describe('currency codes and quotes at the API edge', () => {
  let server: TestServer;
  let http: Http;
  before(async () => {
    server = await startTestServer();
    http = typed(server);
  });
  after(async () => server.close());

  it('POST /v1/quotes and /v1/payments take lower-case currency codes and answer in upper case', async () => {
    const given = await http.post<QuoteView>('br-bank', '/v1/quotes', {
      sourceCurrency: 'brl', targetCurrency: 'Inr', fixed: 'send', amount: '10.00',
    });
    assertStatus(given, 201);
    assert.deepEqual([given.body.sourceCurrency, given.body.targetCurrency], ['BRL', 'INR']);
    const paid = await http.post<PaymentView>('br-bank', '/v1/payments',
      domesticBody({ currency: 'brl', amount: '1.00' }));
    assertStatus(paid, 201);
    assert.equal(paid.body.debitAmount.currency, 'BRL');
  });

  it('GET routes take lower-case currency codes in the query string and the path', async () => {
    const listed = await http.get<{ payments: PaymentView[] }>('br-bank', '/v1/payments?currency=brl');
    assertStatus(listed, 200);
    assert.ok(listed.body.payments.length > 0);
    const statement = await http.get('br-bank', '/v1/participants/br-bank/accounts/brl/statement');
    assertStatus(statement, 200);
  });

  it('POST /v1/payments in a currency the creditor agent does not settle, without a quote, is 422 quote_required and changes nothing', async () => {
    const before = (await server.network.reads.paymentCount());
    const answer = await http.post<{ error: { message: string } }>('br-bank', '/v1/payments', {
      ...domesticBody({ currency: 'BRL', amount: '10.00' }),
      creditorAgent: 'in-bank',
    });
    assertError(answer, 422, 'quote_required', 'quoteId');
    assert.match(answer.body.error.message, /^in-bank settles INR, not BRL: get a quote first/);
    assert.match(answer.body.error.message, /corridor quote --from BRL --to INR/);
    assert.match(answer.body.error.message, /corridor send --to in-bank --from BRL/);
    assert.equal((await server.network.reads.paymentCount()), before);
  });

  it('a batch refuses such an item with quote_required and still sends the others', async () => {
    const answer = await http.post<{ results: { index: number; error?: { code: string } }[] }>(
      'br-bank', '/v1/payments/batch', { payments: [
        { ...domesticBody({ currency: 'BRL', amount: '10.00' }), creditorAgent: 'in-bank' },
        domesticBody({ currency: 'brl', amount: '2.00' }),
      ] });
    assertStatus(answer, 200);
    assert.equal(answer.body.results[0]?.error?.code, 'quote_required');
    assert.equal(answer.body.results[1]?.error, undefined);
  });
});
