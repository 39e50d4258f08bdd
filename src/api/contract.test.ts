// The contract holds: /openapi.json is valid OpenAPI 3.1, every operation documents its answers,
// every request example succeeds when sent, and every real answer of every route is exactly
// what its schema declares (nothing undeclared that the serialiser would drop silently).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { dashboardPlugin } from '../dashboard/plugin.js';
import { startTestServer, type TestServer } from '../testing/server-fixtures.js';
import { iso20022Plugin } from './routes/iso20022.js';

type Json = Record<string, unknown>;
interface Operation {
  readonly responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
  readonly requestBody?: { content: Record<string, { example?: unknown }> };
}

/** The raw payload of each answer before serialisation, by the probe header of its request. */
const raw = new Map<string, unknown>();
const PROBE = 'x-contract-probe';

/** Every object of a schema closed: a field the schema does not declare fails validation. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy: Json = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [key, closed(value)]),
  );
  if (copy['type'] === 'object' && copy['properties'] !== undefined)
    copy['additionalProperties'] = false;
  return copy;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);

describe('the API contract (/openapi.json)', () => {
  let server: TestServer;
  let doc: { paths: Record<string, Record<string, Operation>> };
  const seen = new Set<string>();
  let probe = 0;

  before(async () => {
    server = await startTestServer({
      screener: {
        screenParties: ({ creditor }) =>
          creditor === 'Held For Review Ltda'
            ? { hit: true, matches: [{ party: 'creditor', source: 'test', listId: 'L-1',
              matchedName: creditor, score: 1 }], listVersion: 'v1' }
            : { hit: false, matches: [] },
      },
      plugins: [
        iso20022Plugin(),
        dashboardPlugin(),
        (app) => {
          app.addHook('preSerialization', async (request, _reply, payload) => {
            const id = request.headers[PROBE];
            if (typeof id === 'string') raw.set(id, payload);
            return payload;
          });
        },
      ],
    });
    doc = (await server.call(undefined, 'GET', '/openapi.json')).body;
  });
  after(() => server.close());

  function operation(method: string, template: string): Operation {
    const found = doc.paths[template]?.[method.toLowerCase()];
    assert.ok(found, `${method} ${template} is documented`);
    return found;
  }

  function example(method: string, template: string): unknown {
    const body = operation(method, template).requestBody?.content['application/json']?.example;
    assert.notEqual(body, undefined, `${method} ${template} has a request example`);
    return structuredClone(body);
  }

  /** Sends a request and checks its answer against the documented schema of its status. */
  async function send(
    as: string | undefined,
    method: string,
    template: string,
    options: { path?: string; body?: unknown; expect?: number; headers?: Json } = {},
  ) {
    probe += 1;
    const id = String(probe);
    const path = options.path ?? template;
    const response = await server.call(as, method, path, options.body, {
      [PROBE]: id, ...(options.headers as Record<string, string> | undefined),
    });
    const label = `${method} ${path} → ${response.status}: ` +
      String(JSON.stringify(response.body)).slice(0, 300);
    if (options.expect !== undefined) assert.equal(response.status, options.expect, label);
    else assert.ok(response.status >= 200 && response.status < 300, label);
    seen.add(`${method} ${template}`);
    const declared = operation(method, template).responses[String(response.status)];
    assert.ok(declared, `${label}: the status is documented`);
    const type = (response.headers.get('content-type') ?? '').split(';')[0] ?? '';
    if (response.status === 204) return response;
    const schema = declared.content?.[type]?.schema;
    assert.ok(schema, `${label}: ${type} is documented for this status`);
    if (type !== 'application/json') return response;
    const payload = raw.has(id) ? JSON.parse(JSON.stringify(raw.get(id))) : response.body;
    // The serialiser keeps every field the handler gave: none was left undeclared.
    assert.deepEqual(response.body, payload, `${label}: a field was dropped by the serialiser`);
    const validate = ajv.compile(closed(schema) as Json);
    assert.ok(validate(payload), `${label}: ${JSON.stringify(validate.errors)}`);
    return response;
  }

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(doc as never);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1));
    assert.equal((doc as unknown as Json)['openapi'], '3.1.0');
  });

  it('documents a success and the error envelope with its codes for every operation', () => {
    let operations = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        operations += 1;
        const statuses = Object.keys(op.responses);
        assert.ok(statuses.some((status) => /^2/.test(status)), `${method} ${path} success`);
        assert.ok(!JSON.stringify(op.responses).includes('Default Response'), `${method} ${path}`);
        const unauthenticated = op.responses['401']?.content?.['application/json']?.schema;
        const codes = JSON.stringify(unauthenticated ?? {});
        assert.ok(codes.includes('"unauthenticated"'), `${method} ${path} lists its 401 code`);
      }
    }
    assert.ok(operations >= 44, String(operations));
  });

  it('every request example succeeds, and every route answers as documented', async () => {
    await walkEveryRoute(send, example);
    const all = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    assert.deepEqual(all.filter((op) => !seen.has(op)), [], 'operations left untried');
  });

  it('a quote and payment through a third currency answer as documented, every hop shown', async () => {
    // INR → CNY: no provider quotes it; FX One converts INR → BRL and FX Two BRL → CNY.
    const quote = await send('in-bank', 'POST', '/v1/quotes', {
      body: { sourceCurrency: 'INR', targetCurrency: 'CNY', fixed: 'send', amount: '10000.00' },
      expect: 201,
    });
    const route = quote.body.route as unknown as { fxProvider: string; sourceCurrency: string;
      targetCurrency: string }[];
    assert.deepEqual(route.map((hop) => [hop.fxProvider, hop.sourceCurrency, hop.targetCurrency]),
      [['fx-one', 'INR', 'BRL'], ['fx-two', 'BRL', 'CNY']]);
    const direct = await send('in-bank', 'POST', '/v1/quotes', {
      body: { sourceCurrency: 'INR', targetCurrency: 'CNY', fixed: 'send', amount: '10000.00',
        routing: 'direct' },
      expect: 422,
    });
    assert.equal(direct.body.error.code, 'no_offer');
    const payment = await send('in-bank', 'POST', '/v1/payments', {
      body: { ...(example('POST', '/v1/payments') as Json), creditorAgent: 'cn-bank',
        currency: undefined, amount: undefined, quoteId: quote.body.id,
        endToEndId: 'E2E-routed-1' },
      expect: 201,
    });
    assert.equal(payment.body.status, 'ACCC');
    assert.deepEqual(payment.body.route, quote.body.route);
    const legs = payment.body.legs as unknown as { role: string; currency: string }[];
    assert.deepEqual(legs.map((leg) => `${leg.role}:${leg.currency}`), [
      'debtor_to_provider:INR', 'provider_to_provider:BRL', 'provider_to_creditor:CNY',
      'fee:INR',
    ]);
    await send('cn-bank', 'GET', '/v1/payments/{id}',
      { path: `/v1/payments/${String(payment.body.networkId)}` });
  });

  it('refusals carry a documented code of their status', async () => {
    await send(undefined, 'GET', '/v1/payments/{id}', { path: '/v1/payments/nope', expect: 401 });
    await send('br-bank', 'GET', '/v1/payments/{id}', { path: '/v1/payments/nope', expect: 404 });
    await send('br-bank', 'POST', '/v1/quotes', {
      body: { sourceCurrency: 'BRL', targetCurrency: 'INR', fixed: 'send', amount: '1.001' },
      expect: 400,
    });
    const refused = await send('br-bank', 'POST', '/v1/payments', {
      body: { ...(example('POST', '/v1/payments') as Json), currency: 'INR', amount: '1.00' },
      expect: 422,
    });
    assert.equal(refused.body.error.code, 'quote_required');
    await send('bcb', 'POST', '/v1/participants', { body: example('POST', '/v1/participants'),
      expect: 403 });
  });
});

type Send = (
  as: string | undefined,
  method: string,
  template: string,
  options?: { path?: string; body?: unknown; expect?: number; headers?: Json },
) => Promise<{ status: number; body: Json & { [key: string]: never } }>;

/** Every operation once, in an order that gives each the state it needs. */
async function walkEveryRoute(
  send: Send,
  example: (method: string, template: string) => unknown,
): Promise<void> {
  const ex = (method: string, template: string) => ({ body: example(method, template) });
  await send(undefined, 'GET', '/health');
  await send(undefined, 'GET', '/ready');
  await send('operator', 'GET', '/metrics');
  await send('br-bank', 'GET', '/v1/status');
  await send('operator', 'POST', '/v1/participants', ex('POST', '/v1/participants'));
  await send('br-bank', 'GET', '/v1/participants');
  await send('br-bank', 'GET', '/v1/participants/{id}', { path: '/v1/participants/br-bank' });
  await send('operator', 'POST', '/v1/participants/{id}/suspend',
    { path: '/v1/participants/br-third/suspend' });
  await send('operator', 'POST', '/v1/participants/{id}/reactivate',
    { path: '/v1/participants/br-third/reactivate' });
  await send('br-bank', 'GET', '/v1/participants/{id}/accounts',
    { path: '/v1/participants/br-bank/accounts' });
  await send('br-bank', 'GET', '/v1/currencies');
  await send('br-bank', 'GET', '/v1/currencies/{currency}/supply',
    { path: '/v1/currencies/BRL/supply' });
  await send('bcb', 'POST', '/v1/issuances', ex('POST', '/v1/issuances'));
  await send('bcb', 'POST', '/v1/redemptions', ex('POST', '/v1/redemptions'));
  await send('operator', 'POST', '/v1/simulations', ex('POST', '/v1/simulations'));
  await send('bcb', 'POST', '/v1/credit-limits', ex('POST', '/v1/credit-limits'));
  await send('bcb', 'PUT', '/v1/facilities', ex('PUT', '/v1/facilities'));
  await send('br-bank', 'POST', '/v1/facilities/{currency}/draw',
    { path: '/v1/facilities/BRL/draw', ...ex('POST', '/v1/facilities/{currency}/draw') });
  await send('br-bank', 'GET', '/v1/facilities');
  await send('br-bank', 'POST', '/v1/facilities/{currency}/repay',
    { path: '/v1/facilities/BRL/repay' });
  await send('bcb', 'PUT', '/v1/swap-lines', ex('PUT', '/v1/swap-lines'));
  await send('rbi', 'POST', '/v1/swap-lines/{currency}/draw',
    { path: '/v1/swap-lines/BRL/draw', ...ex('POST', '/v1/swap-lines/{currency}/draw') });
  await send('rbi', 'POST', '/v1/swap-lines/{currency}/lend',
    { path: '/v1/swap-lines/BRL/lend', ...ex('POST', '/v1/swap-lines/{currency}/lend') });
  await send('fx-one', 'GET', '/v1/swap-lines');
  await send('fx-one', 'POST', '/v1/swap-borrowings/{holder}/{currency}/repay',
    { path: '/v1/swap-borrowings/rbi/BRL/repay' });
  await send('rbi', 'POST', '/v1/swap-lines/{currency}/repay',
    { path: '/v1/swap-lines/BRL/repay' });
  await send('bcb', 'PUT', '/v1/currencies/{currency}/rules',
    { path: '/v1/currencies/BRL/rules', ...ex('PUT', '/v1/currencies/{currency}/rules') });
  await send('fx-one', 'POST', '/v1/rates', ex('POST', '/v1/rates'));
  await send('br-bank', 'GET', '/v1/rates');
  const quote = await send('br-bank', 'POST', '/v1/quotes', ex('POST', '/v1/quotes'));
  await send('br-bank', 'GET', '/v1/quotes/{id}', { path: `/v1/quotes/${String(quote.body.id)}` });
  await paymentRoutes(send, ex);
  await send('br-bank', 'GET', '/v1/participants/{id}/accounts/{currency}/statement',
    { path: '/v1/participants/br-bank/accounts/BRL/statement' });
  await keyAndFeedRoutes(send, ex);
  await settlementQueueRoutes(send, ex);
}

/** The settlement queue's routes (their flows are proven in src/engine/liquidity/*.test.ts). */
async function settlementQueueRoutes(
  send: Send,
  ex: (method: string, template: string) => { body: unknown },
): Promise<void> {
  await send('br-bank', 'GET', '/v1/queue');
  await send('operator', 'GET', '/v1/liquidity');
  await send('br-bank', 'POST', '/v1/queue/order', { ...ex('POST', '/v1/queue/order'), expect: 404 });
  await send('br-bank', 'POST', '/v1/queue/{id}/priority', { path: '/v1/queue/nope/priority',
    ...ex('POST', '/v1/queue/{id}/priority'), expect: 404 });
  await send('br-bank', 'POST', '/v1/queue/{id}/cancel',
    { path: '/v1/queue/nope/cancel', expect: 404 });
}

async function paymentRoutes(
  send: Send,
  ex: (method: string, template: string) => { body: unknown },
): Promise<void> {
  const payment = await send('br-bank', 'POST', '/v1/payments', ex('POST', '/v1/payments'));
  assert.equal(payment.status, 201);
  const batch = await send('br-bank', 'POST', '/v1/payments/batch',
    ex('POST', '/v1/payments/batch'));
  const results = batch.body.results as unknown as { payment?: unknown }[];
  assert.ok(results.every((result) => result.payment !== undefined), JSON.stringify(results));
  await send('br-bank', 'GET', '/v1/payments/{id}', { path: `/v1/payments/${payment.body.id}` });
  await send('br-bank', 'GET', '/v1/payments');
  await send('br-other', 'POST', '/v1/payments/{id}/return',
    { path: `/v1/payments/${payment.body.networkId}/return`, ...ex('POST',
      '/v1/payments/{id}/return') });
  const base = ex('POST', '/v1/payments').body as Json;
  const twoPhase = (endToEndId: string, creditor = base['creditor']) =>
    send('br-bank', 'POST', '/v1/payments', {
      body: { ...base, mode: 'two_phase', endToEndId, creditor },
    });
  const accepted = await twoPhase('E2E-two-phase-1');
  await send('br-other', 'POST', '/v1/payments/{id}/accept',
    { path: `/v1/payments/${accepted.body.networkId}/accept` });
  const rejected = await twoPhase('E2E-two-phase-2');
  await send('br-other', 'POST', '/v1/payments/{id}/reject',
    { path: `/v1/payments/${rejected.body.networkId}/reject`,
      ...ex('POST', '/v1/payments/{id}/reject') });
  const held = await send('br-bank', 'POST', '/v1/payments', {
    body: { ...base, endToEndId: 'E2E-held-1', creditor: { name: 'Held For Review Ltda',
      country: 'BR', identifiers: { TXID: '12345678000190' } } },
  });
  assert.equal(held.body.status, 'BLCK');
  await send('operator', 'GET', '/v1/reviews');
  await send('operator', 'POST', '/v1/payments/{id}/review',
    { path: `/v1/payments/${held.body.networkId}/review`,
      ...ex('POST', '/v1/payments/{id}/review') });
}

async function keyAndFeedRoutes(
  send: Send,
  ex: (method: string, template: string) => { body: unknown },
): Promise<void> {
  const key = await send('br-bank', 'POST', '/v1/keys', ex('POST', '/v1/keys'));
  await send('br-bank', 'GET', '/v1/keys');
  await send('br-bank', 'DELETE', '/v1/keys/{id}', { path: `/v1/keys/${key.body.keyId}` });
  await send('br-bank', 'GET', '/v1/events');
  const webhook = await send('br-bank', 'POST', '/v1/webhooks', ex('POST', '/v1/webhooks'));
  await send('br-bank', 'GET', '/v1/webhooks');
  await send('br-bank', 'GET', '/v1/webhooks/dead-letters');
  await send('br-bank', 'DELETE', '/v1/webhooks/{id}', { path: `/v1/webhooks/${webhook.body.id}` });
  await send('br-bank', 'GET', '/v1/iso20022/events');
  await send('br-bank', 'GET', '/v1/iso20022/cancellation-requests');
  await send('br-bank', 'GET', '/v1/iso20022/statements',
    { path: '/v1/iso20022/statements?participant=br-bank&currency=BRL&date=2026-11-21' });
  await send('br-bank', 'POST', '/v1/iso20022/messages', {
    body: '<not-iso/>', headers: { 'content-type': 'application/xml' }, expect: 400,
  });
  await send('br-bank', 'POST', '/v1/stream/tokens');
  await send('br-bank', 'GET', '/v1/stream', { path: '/v1/stream?key=ck_x', expect: 400 });
}
