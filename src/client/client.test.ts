// The TypeScript client against a real server: quote then pay, typed errors, and retries on
// 503 and 429 that honour Retry-After and reuse the logical request's Idempotency-Key.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../testing/server-fixtures.js';
import { CorridorApiError, CorridorClient, retryAfterMs, type PaymentRequest } from './index.js';

interface Sent {
  readonly method: string;
  readonly path: string;
  readonly idempotencyKey: string | null;
  readonly status: number;
}

/** The real fetch, recording each attempt; `after` runs once an answer arrived. */
function recordingFetch(sent: Sent[], after: (attempt: Sent) => void = () => {}): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const headers = new Headers(init?.headers);
    const url = new URL(String(input));
    const attempt = { method: init?.method ?? 'GET', path: url.pathname,
      idempotencyKey: headers.get('idempotency-key'), status: response.status };
    sent.push(attempt);
    after(attempt);
    return response;
  };
}

function payment(fields: Partial<PaymentRequest> & { creditorAgent: string }): PaymentRequest {
  return {
    debtor: { name: 'Soja Exportadora Ltda', account: 'BR1800000000000000000000001' },
    creditor: { name: 'Pune Foods Private Limited', account: 'IN00001234567890' },
    endToEndId: `E2E-client-${fields.creditorAgent}-${fields.amount ?? 'q'}`,
    ...fields,
  };
}

describe('CorridorClient', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('quotes then pays cross-border, with typed answers', async () => {
    server = await startTestServer();
    const client = new CorridorClient({ baseUrl: server.url, apiKey: server.keys['br-bank']! });
    const quote = await client.quote({
      sourceCurrency: 'BRL', targetCurrency: 'INR', fixed: 'send', amount: '1000.00',
    });
    assert.equal(quote.sendAmount.currency, 'BRL');
    assert.equal(quote.used, false);
    const paid = await client.pay(payment({ creditorAgent: 'in-bank', quoteId: quote.id }));
    assert.equal(paid.status, 'ACCC');
    assert.equal(paid.creditAmount.amount, quote.creditAmount.amount);
    assert.equal((await client.getQuote(quote.id)).used, true);
    const page = await client.payments({ currency: 'BRL', limit: 5 });
    assert.deepEqual(page.payments.map((p) => p.networkId), [paid.networkId]);
  });

  it('quotes and pays in one request (quoteAndPay), typed, refusals typed too', async () => {
    server = await startTestServer();
    const client = new CorridorClient({ baseUrl: server.url, apiKey: server.keys['br-bank']! });
    const paid = await client.quoteAndPay(
      { sourceCurrency: 'BRL', targetCurrency: 'INR', fixed: 'send', amount: '1000.00' },
      payment({ creditorAgent: 'in-bank', id: 'client-inline-1' }),
    );
    assert.equal(paid.status, 'ACCC');
    assert.equal(paid.sendAmount.amount, '1000.00');
    const quote = await client.getQuote(paid.quoteId ?? '');
    assert.equal(quote.used, true);
    assert.equal(quote.creditAmount.amount, paid.creditAmount.amount);
    const refusal = await client
      .pay({ ...payment({ creditorAgent: 'in-bank', quoteId: quote.id }),
        quote: { sourceCurrency: 'BRL', targetCurrency: 'INR', fixed: 'send', amount: '1.00' } })
      .catch((error: unknown) => error);
    assert.ok(refusal instanceof CorridorApiError);
    assert.equal(refusal.code, 'quote_conflict');
    assert.equal(refusal.field, 'quoteId');
  });

  it('throws CorridorApiError with the code, status and field of the refusal', async () => {
    server = await startTestServer();
    const client = new CorridorClient({ baseUrl: server.url, apiKey: server.keys['br-bank']! });
    const refusal = await client
      .pay(payment({ creditorAgent: 'in-bank', currency: 'BRL', amount: '10.00' }))
      .catch((error: unknown) => error);
    assert.ok(refusal instanceof CorridorApiError);
    assert.equal(refusal.status, 422);
    assert.equal(refusal.code, 'quote_required');
    assert.equal(refusal.field, 'quoteId');
    const missing = await client.payment('no-such-payment').catch((error: unknown) => error);
    assert.ok(missing instanceof CorridorApiError);
    assert.equal(missing.code, 'not_found');
    const wrongKey = new CorridorClient({ baseUrl: server.url, apiKey: 'ck_nope_nope' });
    await assert.rejects(wrongKey.status(), { name: 'CorridorApiError', code: 'unauthenticated' });
  });

  it('retries a 503 after Retry-After with the same Idempotency-Key; a new call gets a new one',
    async () => {
      let standby = true;
      server = await startTestServer({ standby: () => standby });
      const sent: Sent[] = [];
      const waits: number[] = [];
      const client = new CorridorClient({
        baseUrl: server.url,
        apiKey: server.keys['br-bank']!,
        // The node stops being a standby (it took over) once it refused the first attempt.
        fetch: recordingFetch(sent, (attempt) => {
          if (attempt.status === 503) standby = false;
        }),
        sleep: async (ms) => {
          waits.push(ms);
        },
      });
      const paid = await client.pay(payment({ creditorAgent: 'br-other', amount: '10.00',
        currency: 'BRL' }));
      assert.equal(paid.status, 'ACCC');
      assert.deepEqual(sent.map((attempt) => attempt.status), [503, 201]);
      assert.deepEqual(waits, [1000], 'Retry-After: 1 was honoured');
      assert.ok(sent[0]!.idempotencyKey !== null);
      assert.equal(sent[1]!.idempotencyKey, sent[0]!.idempotencyKey);
      // The same logical request sent again with its key is not paid twice.
      const again = await client.pay(payment({ creditorAgent: 'br-other', amount: '10.00',
        currency: 'BRL' }), { idempotencyKey: sent[0]!.idempotencyKey! });
      assert.equal(again.networkId, paid.networkId);
      await client.pay(payment({ creditorAgent: 'br-other', amount: '11.00', currency: 'BRL' }));
      assert.notEqual(sent.at(-1)!.idempotencyKey, sent[0]!.idempotencyKey);
    });

  it('retries a 429 as Retry-After says, then gives up with rate_limited', async () => {
    server = await startTestServer({ rateLimitPerMinute: 2 });
    const sent: Sent[] = [];
    const waits: number[] = [];
    const client = new CorridorClient({
      baseUrl: server.url,
      apiKey: server.keys['br-bank']!,
      retry: { attemptsMax: 3, delayMsMax: 120_000 },
      fetch: recordingFetch(sent),
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await client.status();
    await client.status();
    await assert.rejects(client.status(), { name: 'CorridorApiError', code: 'rate_limited',
      status: 429 });
    assert.deepEqual(sent.map((attempt) => attempt.status), [200, 200, 429, 429, 429]);
    assert.equal(waits.length, 2);
    assert.ok(waits.every((ms) => ms > 0 && ms <= 60_000 && ms % 1000 === 0), String(waits));
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.UTC(2026, 11, 3, 12, 0, 0);
    assert.equal(retryAfterMs('7', now), 7000);
    assert.equal(retryAfterMs(new Date(now + 5000).toUTCString(), now), 5000);
    assert.equal(retryAfterMs('soon', now), undefined);
    assert.equal(retryAfterMs(null, now), undefined);
  });
});
