// Typed helpers for the HTTP API tests: the views as the API sends them, error-shape checks,
// the route list of a running server, request bodies, a local webhook receiver, and a
// snapshot of everything a refused request must leave unchanged.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { ErrorBody } from '../api/errors.js';
import type {
  balanceView,
  eventView,
  keyView,
  participantView,
  paymentView,
  quoteView,
  transferView,
} from '../api/views.js';
import type { Network } from '../service/service.js';
import type { TestServer } from './server-fixtures.js';

/** JSON of the views: what the API sends (dates are already ISO strings). */
export type PaymentView = ReturnType<typeof paymentView>;
export type QuoteView = ReturnType<typeof quoteView>;
export type ParticipantView = ReturnType<typeof participantView>;
export type BalanceView = ReturnType<typeof balanceView>;
export type KeyView = ReturnType<typeof keyView>;
export type EventView = ReturnType<typeof eventView>;
export type StatementTransfer = ReturnType<typeof transferView> & { direction: 'debit' | 'credit' };
export type { ErrorBody };

export interface Answer<T> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

type Headers_ = Record<string, string>;

/** The fixture's call() with a type for the body each route answers. */
export function typed(server: Pick<TestServer, 'call'>) {
  const send = async <T>(
    as: string | undefined,
    method: string,
    path: string,
    body?: unknown,
    headers?: Headers_,
  ): Promise<Answer<T>> => {
    const answer = await server.call(as, method, path, body, headers);
    return { status: answer.status, body: answer.body as T, headers: answer.headers };
  };
  return {
    send,
    get: <T>(as: string | undefined, path: string, headers?: Headers_) =>
      send<T>(as, 'GET', path, undefined, headers),
    post: <T>(as: string | undefined, path: string, body?: unknown, headers?: Headers_) =>
      send<T>(as, 'POST', path, body, headers),
    put: <T>(as: string | undefined, path: string, body?: unknown) =>
      send<T>(as, 'PUT', path, body),
    del: <T>(as: string | undefined, path: string) => send<T>(as, 'DELETE', path),
  };
}

export type Http = ReturnType<typeof typed>;

/** Asserts the one error shape: a JSON {error:{code,message,field?}} with this status and code. */
export function assertError(
  answer: Answer<unknown>,
  status: number,
  code: string,
  field?: string,
): void {
  const context = `${answer.status} ${JSON.stringify(answer.body)}`;
  assert.equal(answer.status, status, context);
  assert.match(answer.headers.get('content-type') ?? '', /^application\/json/, context);
  const body = answer.body as ErrorBody;
  assert.equal(typeof body.error.message, 'string', context);
  assert.ok(body.error.message.length > 0, context);
  assert.equal(body.error.code, code, context);
  if (field !== undefined) assert.equal(body.error.field, field, context);
}

export function assertStatus(answer: Answer<unknown>, status: number): void {
  assert.equal(answer.status, status, `${answer.status} ${JSON.stringify(answer.body)}`);
}

export interface Route {
  readonly method: string;
  /** Fastify form: /v1/payments/:id */
  readonly url: string;
}

/** Every route of a running server (HEAD and OPTIONS aside), read from app.printRoutes(). */
export function routeList(app: FastifyInstance): Route[] {
  const routes: Route[] = [];
  const parents: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (match === null) continue;
    const depth = (match[1] ?? '').length / 4;
    const url = `${depth === 0 ? '' : (parents[depth - 1] ?? '')}${match[2] ?? ''}`;
    parents[depth] = url;
    for (const method of (match[3] ?? '').split(', ')) {
      if (method !== '' && method !== 'HEAD' && method !== 'OPTIONS') routes.push({ method, url });
    }
  }
  return routes;
}

let counter = 0;

/** A unique end-to-end id. */
export function e2e(prefix = 'E2E'): string {
  counter += 1;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

export function domesticBody(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    creditorAgent: 'br-other',
    currency: 'BRL',
    amount: '10.00',
    endToEndId: e2e(),
    debtor: {
      name: 'Soja Exportadora Ltda',
      account: 'BR1800000000000000000000001',
      country: 'BR',
    },
    creditor: { name: 'Cafe do Sul Ltda', account: 'BR1800000000000000000000002' },
    purpose: 'GDDS',
    remittanceInformation: 'Invoice 2026-0042',
    ...fields,
  };
}

export function crossBorderBody(
  quoteId: string,
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    creditorAgent: 'in-bank',
    quoteId,
    endToEndId: e2e('XB'),
    debtor: { name: 'Soja Exportadora Ltda', account: 'BR1800000000000000000000001' },
    creditor: { name: 'Pune Foods Private Limited', account: 'IN00001234567890' },
    ...fields,
  };
}

/** Asks br-bank (or `as`) for a firm BRL→INR quote and returns it. */
export async function quote(
  http: Http,
  amount = '1000.00',
  as = 'br-bank',
  pair: readonly [string, string] = ['BRL', 'INR'],
): Promise<QuoteView> {
  const answer = await http.post<QuoteView>(as, '/v1/quotes', {
    sourceCurrency: pair[0],
    targetCurrency: pair[1],
    fixed: 'send',
    amount,
  });
  assertStatus(answer, 201);
  return answer.body;
}

/** Sends a payment and returns it, asserting 201. */
export async function pay(
  http: Http,
  as: string,
  body: Record<string, unknown>,
): Promise<PaymentView> {
  const answer = await http.post<PaymentView>(as, '/v1/payments', body);
  assertStatus(answer, 201);
  return answer.body;
}

/**
 * Everything a refused request must not change: the journal tail, payments, quotes, keys,
 * participants, rates, and every account's balances.
 */
export function snapshot(network: Network): string {
  const state = network.engine.state;
  const accounts = [...state.ledger.accountIds()].map((id) => [id, state.ledger.balance(id)]);
  return JSON.stringify(
    {
      journal: network.journalTail?.sequence ?? 0,
      payments: state.payments.size,
      quotes: state.quotes.size,
      keys: [...state.apiKeys.values()].map((key) => [key.keyId, key.revokedAt ?? null]),
      participants: [...state.participants.values()].map((participant) => [
        participant.id,
        participant.status,
      ]),
      rates: state.rates.size,
      currencies: [...state.currencies.values()],
      accounts,
      events: network.lastEventSequence,
    },
    (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value),
  );
}

/** Polls until `check` holds; fails after `timeoutMs` (a deadline, not a timing assertion). */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  close(): Promise<void>;
}

/**
 * What a test server must allow for webhooks to reach startReceiver(): by default only public
 * addresses are (src/api/webhook-policy.ts).
 */
export const RECEIVER_ALLOW: readonly string[] = ['127.0.0.1/32'];

/**
 * A webhook receiver on 127.0.0.1 and a random port, answering every POST with `status` and
 * `headers` (a Location, say).
 */
export async function startReceiver(
  status = 200,
  headers: Readonly<Record<string, string>> = {},
): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response
        .writeHead(status, { 'content-type': 'text/plain', ...headers })
        .end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/corridor`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Checks a "t=<unix s>,v1=<hex>" signature header against the endpoint's secret. */
export function signatureValid(
  secret: string,
  header: string | string[] | undefined,
  body: string,
): boolean {
  if (typeof header !== 'string') return false;
  const parts = Object.fromEntries(
    header.split(',').map((part) => part.split('=', 2) as [string, string]),
  );
  const t = parts['t'];
  const v1 = parts['v1'];
  if (t === undefined || v1 === undefined || !/^[0-9]+$/.test(t) || !/^[0-9a-f]{64}$/.test(v1))
    return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}
