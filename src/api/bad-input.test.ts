// Proves that bad input over HTTP always gets a 4xx JSON error {error:{code,message,field?}}
// with a stable code, never a 5xx, and changes nothing: malformed or oversized bodies, wrong
// types, unknown and missing fields, bad amounts and ids, duplicates, stale or reused quotes,
// odd Unicode, bad query strings; Idempotency-Key replays, rate limiting, and a fuzz loop.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { dashboardPlugin } from '../dashboard/plugin.js';
import { closeSchemaValidator } from '../iso20022/schema-validation.js';
import { iso20022Plugin } from './routes/iso20022.js';
import { FORMAT_DESCRIPTIONS } from './schemas.js';
import { buildServer } from './server.js';
import { startTestServer, type TestServer } from '../testing/server-fixtures.js';
import {
  assertError,
  assertStatus,
  crossBorderBody,
  domesticBody,
  e2e,
  pay,
  quote,
  routeList,
  snapshot,
  typed,
  type Answer,
  type Http,
  type PaymentView,
} from '../testing/api-helpers.js';

interface Case {
  readonly name: string;
  readonly as?: string;
  readonly method?: string;
  readonly path?: string;
  /** An object is sent as JSON; a string or bytes are sent as they are. */
  readonly body?: () => unknown;
  readonly headers?: Record<string, string>;
  readonly status: number;
  readonly code: string;
  readonly field?: string;
}

function without(body: Record<string, unknown>, field: string): Record<string, unknown> {
  const copy = { ...body };
  delete copy[field];
  return copy;
}

/** fetch() with a body of exact bytes (the fixture's call() would JSON-encode a Buffer). */
async function sendBytes(
  server: TestServer,
  as: string,
  path: string,
  bytes: Uint8Array,
  contentType = 'application/json',
): Promise<Answer<unknown>> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    body: bytes,
    headers: { 'content-type': contentType, authorization: `Bearer ${server.keys[as] ?? ''}` },
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as unknown, headers: response.headers };
}

const deep = (levels: number, open: string, close: string, inner: string): string =>
  `${open.repeat(levels)}${inner}${close.repeat(levels)}`;

const long = (length: number): string => 'a'.repeat(length);

describe('bad input is refused with a stable 4xx code and changes nothing', () => {
  let server: TestServer;
  let http: Http;
  const fixture = {
    paymentId: 'dup-1',
    endToEndId: 'E2E-DUP-1',
    usedQuote: '',
    freshQuote: '',
    pending: '',
    settled: '',
  };
  const duplicated = domesticBody({
    id: fixture.paymentId,
    endToEndId: fixture.endToEndId,
    amount: '7.00',
  });

  before(async () => {
    server = await startTestServer();
    http = typed(server);
    await pay(http, 'br-bank', duplicated);
    fixture.usedQuote = (await quote(http)).id;
    fixture.settled = (await pay(http, 'br-bank', crossBorderBody(fixture.usedQuote))).networkId;
    fixture.freshQuote = (await quote(http)).id;
    fixture.pending = (await pay(http, 'br-bank', domesticBody({ mode: 'two_phase' }))).networkId;
    assertStatus(
      await http.post('bcb', '/v1/issuances', {
        id: 'iss-dup',
        participantId: 'br-bank',
        currency: 'BRL',
        amount: '1.00',
      }),
      201,
    );
    assertStatus(
      await http.post('br-bank', '/v1/quotes', {
        id: 'q-dup',
        sourceCurrency: 'BRL',
        targetCurrency: 'INR',
        fixed: 'send',
        amount: '10.00',
      }),
      201,
    );
  });
  after(async () => server.close());

  const good = (fields: Record<string, unknown> = {}): Record<string, unknown> =>
    domesticBody(fields);
  const payment = (fields: Record<string, unknown>): Partial<Case> => ({
    body: () => good(fields),
  });

  const cases: Case[] = [
    // The body as a whole.
    {
      name: 'malformed JSON',
      body: () => '{"creditorAgent": "br-other",',
      status: 400,
      code: 'malformed_json',
    },
    { name: 'an empty JSON body', body: () => '', status: 400, code: 'malformed_json' },
    { name: 'a JSON array', body: () => '[1,2,3]', status: 400, code: 'invalid_request' },
    { name: 'JSON null', body: () => 'null', status: 400, code: 'invalid_request' },
    { name: 'a bare JSON string', body: () => '"pay me"', status: 400, code: 'invalid_request' },
    {
      name: 'a __proto__ key',
      body: () => '{"__proto__":{"admin":true}}',
      status: 400,
      code: 'malformed_json',
    },
    {
      name: 'a constructor.prototype key',
      body: () => '{"constructor":{"prototype":{"admin":true}}}',
      status: 400,
      code: 'malformed_json',
    },
    {
      name: 'a text/plain body',
      body: () => JSON.stringify(good()),
      headers: { 'content-type': 'text/plain' },
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'a form-encoded body',
      body: () => 'creditorAgent=br-other',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      name: 'an XML body on a JSON route',
      body: () => '<Document/>',
      headers: { 'content-type': 'application/octet-stream' },
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      name: 'a body over 1 MiB',
      body: () => JSON.stringify({ ...good(), remittanceInformation: long(1_100_000) }),
      status: 413,
      code: 'body_too_large',
    },
    {
      name: 'arrays nested 100,000 deep',
      body: () => deep(100_000, '[', ']', '1'),
      status: 400,
      code: 'json_too_deep',
    },
    {
      name: 'objects nested 50,000 deep',
      body: () => deep(50_000, '{"a":', '}', '1'),
      status: 400,
      code: 'json_too_deep',
    },
    {
      name: 'nesting inside a valid field',
      body: () =>
        JSON.stringify({
          ...good(),
          debtor: { name: 'x', identifiers: JSON.parse(deep(40, '{"a":', '}', '1')) as unknown },
        }),
      status: 400,
      code: 'json_too_deep',
    },
    {
      name: 'deep nesting on a route with no body',
      path: '/v1/participants/br-other/suspend',
      as: 'operator',
      body: () => deep(10_000, '[', ']', ''),
      headers: { 'idempotency-key': 'deep-1' },
      status: 400,
      code: 'json_too_deep',
    },
    // Types, unknown and missing fields.
    {
      name: 'a number for an amount',
      ...payment({ amount: 10 }),
      status: 400,
      code: 'invalid_request',
      field: 'amount',
    },
    {
      name: 'a string for a party',
      ...payment({ debtor: 'Soja' }),
      status: 400,
      code: 'invalid_request',
      field: 'debtor',
    },
    {
      name: 'a number for the creditor agent',
      ...payment({ creditorAgent: 42 }),
      status: 400,
      code: 'invalid_request',
      field: 'creditorAgent',
    },
    {
      name: 'an unknown mode',
      ...payment({ mode: 'later' }),
      status: 400,
      code: 'invalid_request',
      field: 'mode',
    },
    {
      name: 'a boolean for the end-to-end id',
      ...payment({ endToEndId: true }),
      status: 400,
      code: 'invalid_request',
      field: 'endToEndId',
    },
    {
      name: 'an unknown top-level field',
      ...payment({ priority: 'high' }),
      status: 400,
      code: 'invalid_request',
      field: 'priority',
    },
    {
      name: 'an unknown party field',
      ...payment({ debtor: { name: 'Soja', nickname: 'S' } }),
      status: 400,
      code: 'invalid_request',
      field: 'debtor.nickname',
    },
    {
      name: 'a missing creditor agent',
      body: () => without(good(), 'creditorAgent'),
      status: 400,
      code: 'invalid_request',
      field: 'creditorAgent',
    },
    {
      name: 'a missing end-to-end id',
      body: () => without(good(), 'endToEndId'),
      status: 400,
      code: 'invalid_request',
      field: 'endToEndId',
    },
    {
      name: 'a missing party name',
      ...payment({ creditor: { account: '123' } }),
      status: 400,
      code: 'invalid_request',
      field: 'creditor.name',
    },
    {
      name: 'neither a quote nor an amount',
      body: () => without(good(), 'amount'),
      status: 400,
      code: 'quote_required',
      field: 'quoteId',
    },
    // Amounts.
    {
      name: 'too many decimals for BRL',
      ...payment({ amount: '1.001' }),
      status: 400,
      code: 'amount_too_many_decimals',
      field: 'amount',
    },
    {
      name: 'too many decimals for INR',
      ...payment({ amount: '5.125', currency: 'INR', creditorAgent: 'fx-one' }),
      as: 'in-bank',
      status: 400,
      code: 'amount_too_many_decimals',
      field: 'amount',
    },
    {
      name: 'a negative amount',
      ...payment({ amount: '-1.00' }),
      status: 400,
      code: 'amount_sign_not_allowed',
      field: 'amount',
    },
    {
      name: 'a zero amount',
      ...payment({ amount: '0.00' }),
      status: 400,
      code: 'amount_must_be_positive',
      field: 'amount',
    },
    {
      name: 'a bare zero',
      ...payment({ amount: '0' }),
      status: 400,
      code: 'amount_must_be_positive',
      field: 'amount',
    },
    {
      name: 'exponent notation',
      ...payment({ amount: '1e3' }),
      status: 400,
      code: 'amount_exponent_notation',
      field: 'amount',
    },
    {
      name: 'a trailing dot',
      ...payment({ amount: '1.' }),
      status: 400,
      code: 'amount_malformed',
      field: 'amount',
    },
    {
      name: 'a leading zero',
      ...payment({ amount: '01.00' }),
      status: 400,
      code: 'amount_malformed',
      field: 'amount',
    },
    {
      name: 'a padded amount',
      ...payment({ amount: ' 1.00' }),
      status: 400,
      code: 'amount_whitespace',
      field: 'amount',
    },
    {
      name: 'a comma decimal',
      ...payment({ amount: '1,00' }),
      status: 400,
      code: 'amount_malformed',
      field: 'amount',
    },
    {
      name: 'an amount beyond 2^63-1 minor units',
      ...payment({ amount: '99999999999999999999.00' }),
      status: 400,
      code: 'amount_too_large',
      field: 'amount',
    },
    {
      name: 'an amount longer than 40 characters',
      ...payment({ amount: `1${'0'.repeat(40)}` }),
      status: 400,
      code: 'invalid_request',
      field: 'amount',
    },
    {
      name: 'an amount above the currency maximum is rejected, not refused',
      ...payment({ amount: '1000000.01' }),
      status: 201,
      code: 'RJCT',
    },
    // Currencies.
    {
      name: 'an unknown currency',
      ...payment({ currency: 'XQZ' }),
      status: 400,
      code: 'currency_unknown',
      field: 'currency',
    },
    {
      name: 'a quote in an unknown currency',
      path: '/v1/quotes',
      body: () => ({ sourceCurrency: 'XQZ', targetCurrency: 'INR', fixed: 'send', amount: '1.00' }),
      status: 400,
      code: 'currency_unknown',
      field: 'sourceCurrency',
    },
    {
      name: 'a currency the network does not settle',
      ...payment({ currency: 'USD' }),
      status: 422,
      code: 'currency_not_in_network',
      field: 'currency',
    },
    {
      // Lower case is accepted (brl is BRL: currency-input.test.ts); the form is still checked.
      name: 'a currency code that is not three letters',
      ...payment({ currency: 'BR1' }),
      status: 400,
      code: 'invalid_request',
      field: 'currency',
    },
    {
      name: 'supply of an unknown currency',
      method: 'GET',
      path: '/v1/currencies/XQZ/supply',
      status: 404,
      code: 'not_found',
    },
    {
      name: 'rules for a currency outside the network',
      as: 'bcb',
      method: 'PUT',
      path: '/v1/currencies/USD/rules',
      body: () => ({ paymentAmountMax: '1.00', dailyOutflowMax: '1.00', schemeFee: '0.00' }),
      status: 422,
      code: 'currency_not_in_network',
    },
    // Ids.
    {
      name: 'a payment id of 49 characters',
      ...payment({ id: long(49) }),
      status: 400,
      code: 'invalid_request',
      field: 'id',
    },
    {
      name: 'a payment id with a slash',
      ...payment({ id: 'a/b' }),
      status: 400,
      code: 'invalid_request',
      field: 'id',
    },
    {
      name: 'an end-to-end id of 36 characters',
      ...payment({ endToEndId: long(36) }),
      status: 400,
      code: 'invalid_request',
      field: 'endToEndId',
    },
    {
      name: 'a malformed UETR',
      ...payment({ uetr: 'not-a-uuid' }),
      status: 400,
      code: 'invalid_request',
      field: 'uetr',
    },
    {
      name: 'a path id of 65 characters',
      method: 'GET',
      path: `/v1/payments/${long(65)}`,
      status: 400,
      code: 'invalid_request',
      field: 'id',
    },
    {
      name: 'a participant id of 33 characters',
      as: 'operator',
      path: '/v1/participants',
      body: () => ({
        id: long(33),
        name: 'Long',
        kind: 'bank',
        country: 'BR',
        currencies: ['BRL'],
      }),
      status: 400,
      code: 'invalid_request',
      field: 'id',
    },
    {
      name: 'an upper-case participant id in a path',
      method: 'GET',
      path: '/v1/participants/BR-BANK/accounts/BRL/statement',
      status: 400,
      code: 'invalid_request',
      field: 'id',
    },
    {
      name: 'a quote id of 49 characters',
      body: () => crossBorderBody(long(49)),
      status: 400,
      code: 'invalid_request',
      field: 'quoteId',
    },
    // Duplicates.
    {
      name: 'a payment id reused with other fields',
      ...payment({ id: 'dup-1', amount: '8.00' }),
      status: 409,
      code: 'exists_with_different_fields',
      field: 'id',
    },
    {
      name: 'an end-to-end id reused',
      ...payment({ endToEndId: 'E2E-DUP-1' }),
      status: 409,
      code: 'duplicate_end_to_end_id',
      field: 'endToEndId',
    },
    {
      name: 'an issuance id reused with another amount',
      as: 'bcb',
      path: '/v1/issuances',
      body: () => ({ id: 'iss-dup', participantId: 'br-bank', currency: 'BRL', amount: '2.00' }),
      status: 409,
      code: 'exists_with_different_fields',
      field: 'id',
    },
    {
      name: 'a quote id reused with another amount',
      path: '/v1/quotes',
      body: () => ({
        id: 'q-dup',
        sourceCurrency: 'BRL',
        targetCurrency: 'INR',
        fixed: 'send',
        amount: '11.00',
      }),
      status: 409,
      code: 'exists_with_different_fields',
      field: 'quoteId',
    },
    // Quotes.
    {
      name: 'a quote used twice',
      body: () => crossBorderBody(fixture.usedQuote),
      status: 409,
      code: 'quote_already_used',
      field: 'quoteId',
    },
    {
      name: 'an unknown quote',
      body: () => crossBorderBody('no-such-quote'),
      status: 404,
      code: 'quote_not_found',
      field: 'quoteId',
    },
    {
      name: 'a quote with another amount',
      body: () => crossBorderBody(fixture.freshQuote, { amount: '1.00', currency: 'INR' }),
      status: 422,
      code: 'quote_mismatch',
    },
    {
      name: 'a quote with another currency',
      body: () => crossBorderBody(fixture.freshQuote, { currency: 'CNY' }),
      status: 422,
      code: 'quote_mismatch',
    },
    {
      name: 'a quote for one currency',
      path: '/v1/quotes',
      body: () => ({ sourceCurrency: 'BRL', targetCurrency: 'BRL', fixed: 'send', amount: '1.00' }),
      status: 400,
      code: 'invalid_field',
    },
    {
      name: 'a quote in a currency the bank does not hold',
      path: '/v1/quotes',
      as: 'in-bank',
      body: () => ({ sourceCurrency: 'BRL', targetCurrency: 'INR', fixed: 'send', amount: '1.00' }),
      status: 422,
      code: 'account_not_found',
    },
    // Participants.
    {
      name: 'an unknown creditor agent',
      ...payment({ creditorAgent: 'nobody' }),
      status: 404,
      code: 'participant_not_found',
      field: 'creditorAgent',
    },
    {
      name: 'the operator as creditor agent',
      ...payment({ creditorAgent: 'operator' }),
      status: 404,
      code: 'participant_not_found',
    },
    {
      // Without a quote, a currency the creditor agent does not settle means FX was meant.
      name: 'a creditor agent without the currency, and no quote',
      ...payment({ creditorAgent: 'in-bank' }),
      status: 422,
      code: 'quote_required',
      field: 'quoteId',
    },
    {
      name: 'issuance to an unknown participant',
      as: 'bcb',
      path: '/v1/issuances',
      body: () => ({ participantId: 'nobody', currency: 'BRL', amount: '1.00' }),
      status: 404,
      code: 'participant_not_found',
    },
    {
      name: 'credit in a currency the participant does not hold',
      as: 'bcb',
      path: '/v1/credit-limits',
      body: () => ({ participantId: 'in-bank', currency: 'BRL', limit: '1.00' }),
      status: 422,
      code: 'account_not_found',
    },
    {
      name: 'a participant in a currency outside the network',
      as: 'operator',
      path: '/v1/participants',
      body: () => ({
        id: 'us-bank',
        name: 'US Bank',
        kind: 'bank',
        country: 'US',
        currencies: ['USD'],
      }),
      status: 422,
      code: 'currency_not_in_network',
    },
    {
      name: 'a participant of an unknown kind',
      as: 'operator',
      path: '/v1/participants',
      body: () => ({ id: 'op2', name: 'Op', kind: 'operator', country: 'BR', currencies: [] }),
      status: 400,
      code: 'invalid_request',
      field: 'kind',
    },
    // Text and Unicode.
    {
      name: 'a lone UTF-16 surrogate in a name',
      body: () => JSON.stringify(good()).replace('Soja', 'Soja\\ud800'),
      status: 400,
      code: 'invalid_unicode',
    },
    {
      name: 'a lone surrogate in a key',
      body: () => JSON.stringify(good()).replace('"purpose"', '"purpose\\udc00"'),
      status: 400,
      code: 'invalid_unicode',
    },
    {
      name: 'a NUL in a name',
      ...payment({ debtor: { name: 'Soja\u0000Ltda' } }),
      status: 400,
      code: 'invalid_request',
      field: 'debtor.name',
    },
    {
      name: 'a newline in remittance information',
      ...payment({ remittanceInformation: 'line 1\nline 2' }),
      status: 400,
      code: 'invalid_request',
      field: 'remittanceInformation',
    },
    {
      name: 'a blank name',
      ...payment({ creditor: { name: '   ' } }),
      status: 400,
      code: 'invalid_field',
      field: 'creditor.name',
    },
    {
      name: 'a name of 141 characters',
      ...payment({ debtor: { name: long(141) } }),
      status: 400,
      code: 'invalid_request',
      field: 'debtor.name',
    },
    // The schema counts code points (71), the network UTF-16 units (142): either way a 4xx.
    {
      name: 'a name of 71 emoji',
      ...payment({ debtor: { name: '😀'.repeat(71) } }),
      status: 400,
      code: 'invalid_field',
      field: 'debtor.name',
    },
    // Query strings and paths.
    {
      name: 'limit 0',
      method: 'GET',
      path: '/v1/payments?limit=0',
      status: 400,
      code: 'invalid_request',
      field: 'limit',
    },
    {
      name: 'a limit that is not a number',
      method: 'GET',
      path: '/v1/events?limit=ten',
      status: 400,
      code: 'invalid_request',
      field: 'limit',
    },
    {
      name: 'a limit above the page maximum',
      method: 'GET',
      path: '/v1/payments?limit=501',
      status: 400,
      code: 'invalid_request',
      field: 'limit',
    },
    {
      name: 'a fractional limit',
      method: 'GET',
      path: '/v1/events?limit=1.5',
      status: 400,
      code: 'invalid_request',
      field: 'limit',
    },
    {
      name: 'an unknown status filter',
      method: 'GET',
      path: '/v1/payments?status=DONE',
      status: 400,
      code: 'invalid_request',
      field: 'status',
    },
    {
      name: 'a date that is not ISO 8601',
      method: 'GET',
      path: '/v1/payments?from=yesterday',
      status: 400,
      code: 'invalid_request',
      field: 'from',
    },
    {
      name: 'an unknown query parameter',
      method: 'GET',
      path: '/v1/payments?sort=asc',
      status: 400,
      code: 'invalid_request',
    },
    {
      name: 'an event cursor the API never gave',
      method: 'GET',
      path: '/v1/events?cursor=abc',
      status: 400,
      code: 'invalid_cursor',
      field: 'cursor',
    },
    {
      name: 'a payment-list cursor the API never gave',
      method: 'GET',
      path: '/v1/payments?cursor=!!',
      status: 400,
      code: 'invalid_cursor',
      field: 'cursor',
    },
    {
      name: 'a statement cursor the API never gave',
      method: 'GET',
      path: '/v1/participants/br-bank/accounts/BRL/statement?cursor=-1',
      status: 400,
      code: 'invalid_cursor',
    },
    {
      name: 'a statement in a currency the bank does not hold',
      method: 'GET',
      path: '/v1/participants/br-bank/accounts/INR/statement',
      status: 404,
      code: 'not_found',
    },
    // Other actions.
    {
      name: 'a reject reason Corridor does not know',
      path: '/v1/payments/PENDING/reject',
      as: 'br-other',
      body: () => ({ reason: 'ZZZZ' }),
      status: 400,
      code: 'invalid_field',
      field: 'reason',
    },
    {
      name: 'a malformed reject reason',
      path: '/v1/payments/PENDING/reject',
      as: 'br-other',
      body: () => ({ reason: 'nope' }),
      status: 400,
      code: 'invalid_request',
      field: 'reason',
    },
    {
      name: 'a return reason Corridor does not know',
      path: '/v1/payments/SETTLED/return',
      as: 'in-bank',
      body: () => ({ amount: '1.00', reason: 'ZZZZ' }),
      status: 400,
      code: 'invalid_field',
      field: 'reason',
    },
    {
      name: 'a return with too many decimals',
      path: '/v1/payments/SETTLED/return',
      as: 'in-bank',
      body: () => ({ amount: '1.001', reason: 'MD06' }),
      status: 400,
      code: 'amount_too_many_decimals',
      field: 'amount',
    },
    {
      name: 'a return of an unsettled payment',
      path: '/v1/payments/PENDING/return',
      as: 'br-other',
      body: () => ({ amount: '1.00', reason: 'MD06' }),
      status: 409,
      code: 'payment_not_returnable',
    },
    {
      name: 'a review decision that is neither',
      path: '/v1/payments/PENDING/review',
      as: 'bcb',
      body: () => ({ decision: 'maybe' }),
      status: 400,
      code: 'invalid_request',
      field: 'decision',
    },
    {
      name: 'a review of a payment not held',
      path: '/v1/payments/PENDING/review',
      as: 'bcb',
      body: () => ({ decision: 'release' }),
      status: 409,
      code: 'payment_not_under_review',
    },
    {
      name: 'a webhook URL that is not HTTP',
      path: '/v1/webhooks',
      body: () => ({ url: 'ftp://files.example/hook' }),
      status: 400,
      code: 'invalid_request',
      field: 'url',
    },
    {
      name: 'a webhook URL that is not a URL',
      path: '/v1/webhooks',
      body: () => ({ url: 'javascript:alert(1)' }),
      status: 400,
      code: 'invalid_request',
      field: 'url',
    },
    {
      name: 'a rate in exponent notation',
      as: 'fx-one',
      path: '/v1/rates',
      body: () => ({
        source: 'BRL',
        target: 'INR',
        rate: '1.5e1',
        spreadBps: 0,
        amountMax: '1.00',
        validSeconds: 60,
      }),
      status: 400,
      code: 'invalid_request',
      field: 'rate',
    },
    {
      name: 'a spread given as a string',
      as: 'fx-one',
      path: '/v1/rates',
      body: () => ({
        source: 'BRL',
        target: 'INR',
        rate: '15',
        spreadBps: '50',
        amountMax: '1.00',
        validSeconds: 60,
      }),
      status: 400,
      code: 'invalid_request',
      field: 'spreadBps',
    },
    {
      name: 'a rate valid for no time',
      as: 'fx-one',
      path: '/v1/rates',
      body: () => ({
        source: 'BRL',
        target: 'INR',
        rate: '15',
        spreadBps: 0,
        amountMax: '1.00',
        validSeconds: 0,
      }),
      status: 400,
      code: 'invalid_request',
      field: 'validSeconds',
    },
    {
      name: 'a zero rate',
      as: 'fx-one',
      path: '/v1/rates',
      body: () => ({
        source: 'BRL',
        target: 'INR',
        rate: '0',
        spreadBps: 0,
        amountMax: '1.00',
        validSeconds: 60,
      }),
      status: 400,
      code: 'rate_invalid',
      field: 'rate',
    },
    {
      name: 'a key label of 65 characters',
      path: '/v1/keys',
      body: () => ({ label: long(65) }),
      status: 400,
      code: 'invalid_request',
      field: 'label',
    },
    {
      name: 'a negative credit limit',
      as: 'bcb',
      path: '/v1/credit-limits',
      body: () => ({ participantId: 'br-bank', currency: 'BRL', limit: '-1.00' }),
      status: 400,
      code: 'amount_sign_not_allowed',
      field: 'limit',
    },
    {
      name: 'an Idempotency-Key with a space',
      ...payment({}),
      headers: { 'idempotency-key': 'a b' },
      status: 400,
      code: 'invalid_idempotency_key',
    },
    // Creditor agents that cannot receive: refused before the journal, not recorded as RJCT.
    {
      name: 'a payment to its own sender',
      ...payment({ creditorAgent: 'br-bank' }),
      status: 422,
      code: 'creditor_agent_is_sender',
      field: 'creditorAgent',
    },
    {
      name: "a payment to a central bank (its settlement account is out of circulation)",
      ...payment({ creditorAgent: 'bcb' }),
      status: 422,
      code: 'creditor_agent_is_central_bank',
      field: 'creditorAgent',
    },
    // The same key twice in one object: JSON.parse would keep the last (20.00 paid, not 10.00).
    {
      name: 'an amount given twice',
      body: () => JSON.stringify(good()).replace('"amount":"10.00"', '"amount":"10.00","amount":"20.00"'),
      status: 400,
      code: 'duplicate_key',
      field: 'amount',
    },
    {
      name: 'a key given twice deep inside a party',
      body: () =>
        JSON.stringify(good()).replace('"name":"Soja Exportadora Ltda"', '"name":"A","name":"B"'),
      status: 400,
      code: 'duplicate_key',
      field: 'name',
    },
    {
      name: 'a key given twice, once spelled with a Unicode escape',
      body: () =>
        JSON.stringify(good()).replace('"amount":"10.00"', '"amount":"10.00","\\u0061mount":"20.00"'),
      status: 400,
      code: 'duplicate_key',
      field: 'amount',
    },
    {
      name: 'a key given twice in one payment of a batch',
      path: '/v1/payments/batch',
      body: () =>
        `{"payments":[${JSON.stringify(good())},${JSON.stringify(good()).replace('{', '{"id":"a","id":"b",')}]}`,
      status: 400,
      code: 'duplicate_key',
      field: 'id',
    },
    {
      name: 'an Idempotency-Key of 129 characters',
      ...payment({}),
      headers: { 'idempotency-key': long(129) },
      status: 400,
      code: 'invalid_idempotency_key',
    },
  ];

  function resolvePath(path: string): string {
    return path.replace('PENDING', fixture.pending).replace('SETTLED', fixture.settled);
  }

  for (const item of cases) {
    const method = item.method ?? (item.body === undefined ? 'GET' : 'POST');
    const path = item.path ?? '/v1/payments';
    it(`${item.name}: ${method} ${path} → ${item.status} ${item.code}`, async () => {
      const before = snapshot(server.network);
      const answer = await http.send(
        item.as ?? 'br-bank',
        method,
        resolvePath(path),
        item.body?.(),
        item.headers,
      );
      if (item.status < 300) {
        // The one accepted case: a payment the network records as rejected, with its reason.
        assertStatus(answer, item.status);
        assert.equal((answer.body as PaymentView).status, item.code);
        return;
      }
      assertError(answer, item.status, item.code, item.field);
      assert.equal(snapshot(server.network), before, 'a refused request changed state');
    });
  }

  it('a body that is not valid UTF-8 is refused as invalid_utf8, changing nothing', async () => {
    const before = snapshot(server.network);
    const text = JSON.stringify(good({ debtor: { name: 'Soja XX Ltda' } }));
    const bytes = Buffer.from(text, 'utf8');
    const at = bytes.indexOf('XX');
    bytes[at] = 0xff;
    bytes[at + 1] = 0xfe;
    assertError(await sendBytes(server, 'br-bank', '/v1/payments', bytes), 400, 'invalid_utf8');
    const overlong = Buffer.from(text, 'utf8');
    overlong[at] = 0xc0;
    overlong[at + 1] = 0xaf;
    assertError(await sendBytes(server, 'br-bank', '/v1/payments', overlong), 400, 'invalid_utf8');
    assert.equal(snapshot(server.network), before);
  });

  it('odd but valid Unicode in names (accents, CJK, Arabic, emoji, combining marks, zero-width joiners) is kept exactly', async () => {
    const names = [
      'São Paulo Comércio Ltda',
      '上海贸易有限公司',
      'شركة التجارة',
      'Family 👨‍👩‍👧 Foods',
      'Cafe\u0301 Zu\u0308rich',
      'Zero\u200bWidth\u200dJoin',
      'Ｆｕｌｌｗｉｄｔｈ',
      '\u202eRTL override',
    ];
    for (const name of names) {
      const sent = await pay(
        http,
        'br-bank',
        good({ debtor: { name }, creditor: { name: `${name} II` } }),
      );
      const read = await http.get<PaymentView>('br-other', `/v1/payments/${sent.networkId}`);
      assert.equal(read.body.debtor.name, name);
      assert.equal(read.body.creditor.name, `${name} II`);
    }
  });

  it('a payment id reused with the same fields replays the payment (200), with or without its UETR, in any key order', async () => {
    const before = snapshot(server.network);
    const first = await http.get<PaymentView>('br-bank', `/v1/payments/${fixture.paymentId}`);
    const again = await http.post<PaymentView>('br-bank', '/v1/payments', duplicated);
    assertStatus(again, 200);
    assert.deepEqual(again.body, first.body);
    const reordered = Object.fromEntries(
      Object.entries({ ...duplicated, uetr: first.body.uetr }).reverse(),
    );
    const withUetr = await http.post<PaymentView>('br-bank', '/v1/payments', reordered);
    assertStatus(withUetr, 200);
    assert.deepEqual(withUetr.body, first.body);
    assert.equal(snapshot(server.network), before);
  });
});

describe('expired quotes', () => {
  it('a quote used after it expired is refused with 410 quote_expired, changing nothing', async () => {
    const server = await startTestServer();
    try {
      const http = typed(server);
      const given = await quote(http);
      server.advance(60_001);
      const before = snapshot(server.network);
      assertError(
        await http.post('br-bank', '/v1/payments', crossBorderBody(given.id)),
        410,
        'quote_expired',
        'quoteId',
      );
      assert.equal(snapshot(server.network), before);
      assert.equal(
        (await http.get<{ used: boolean }>('br-bank', `/v1/quotes/${given.id}`)).body.used,
        false,
      );
    } finally {
      await server.close();
    }
  });
});

describe('Idempotency-Key', () => {
  let server: TestServer;
  let http: Http;
  before(async () => {
    server = await startTestServer();
    http = typed(server);
  });
  after(async () => server.close());

  it('a retry with the same key and body gets the same response, marked idempotent-replayed, and pays once', async () => {
    const body = domesticBody({ amount: '3.00' });
    const headers = { 'idempotency-key': 'order-2026-0001' };
    const payments = (await server.network.reads.paymentCount());
    const first = await http.post<PaymentView>('br-bank', '/v1/payments', body, headers);
    assertStatus(first, 201);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    assert.match(first.body.id, /^idem-/);
    const second = await http.post<PaymentView>('br-bank', '/v1/payments', body, headers);
    assertStatus(second, 201);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(second.body, first.body);
    assert.equal((await server.network.reads.paymentCount()), payments + 1);
  });

  it('the same key with another body is refused with 422 idempotency_key_reused, changing nothing', async () => {
    const headers = { 'idempotency-key': 'order-2026-0002' };
    assertStatus(await http.post('br-bank', '/v1/payments', domesticBody(), headers), 201);
    const before = snapshot(server.network);
    assertError(
      await http.post('br-bank', '/v1/payments', domesticBody({ amount: '99.00' }), headers),
      422,
      'idempotency_key_reused',
    );
    assertError(
      await http.post(
        'br-bank',
        '/v1/quotes',
        { sourceCurrency: 'BRL', targetCurrency: 'INR', fixed: 'send', amount: '1.00' },
        headers,
      ),
      422,
      'idempotency_key_reused',
    );
    assert.equal(snapshot(server.network), before);
  });

  it("keys are per participant: another participant's identical key is its own request", async () => {
    const headers = { 'idempotency-key': 'shared-key' };
    const mine = await http.post<PaymentView>('br-bank', '/v1/payments', domesticBody(), headers);
    const theirs = await http.post<PaymentView>(
      'br-other',
      '/v1/payments',
      domesticBody({ creditorAgent: 'br-bank' }),
      headers,
    );
    assertStatus(mine, 201);
    assertStatus(theirs, 201);
    assert.notEqual(mine.body.id, theirs.body.id);
    assert.equal(theirs.headers.get('idempotent-replayed'), null);
  });

  it('after an API restart (its replay cache gone) a retry with the same key and body is still the same payment', async () => {
    const body = domesticBody({ amount: '4.00' });
    const headers = { 'idempotency-key': 'survives-restart' };
    const first = await http.post<PaymentView>('br-bank', '/v1/payments', body, headers);
    assertStatus(first, 201);
    const { app } = await buildServer({ network: server.network, logLevel: false });
    try {
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const response = await fetch(`${url}/v1/payments`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${server.keys['br-bank'] ?? ''}`,
          ...headers,
        },
      });
      const retried = (await response.json()) as PaymentView;
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('idempotent-replayed'), null);
      assert.deepEqual(retried, first.body);
    } finally {
      await app.close();
    }
  });

  it('a refusal is replayed too, so a retry cannot turn it into something else', async () => {
    const headers = { 'idempotency-key': 'refused-once' };
    const body = domesticBody({ creditorAgent: 'nobody' });
    assertError(
      await http.post('br-bank', '/v1/payments', body, headers),
      404,
      'participant_not_found',
    );
    const again = await http.post('br-bank', '/v1/payments', body, headers);
    assertError(again, 404, 'participant_not_found');
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
  });
});

describe('rate limiting', () => {
  it('the budget is per participant: a second key of the same participant shares it', async () => {
    const server = await startTestServer({ rateLimitPerMinute: 5 });
    try {
      const http = typed(server);
      const created = await http.post<{ key: string }>('br-bank', '/v1/keys', { label: 'second' });
      assertStatus(created, 201);
      const second = { authorization: `Bearer ${created.body.key}` };
      for (let index = 0; index < 2; index++)
        assertStatus(await http.get('br-bank', '/v1/status'), 200);
      for (let index = 0; index < 2; index++)
        assertStatus(await http.get(undefined, '/v1/status', second), 200);
      assertError(await http.get(undefined, '/v1/status', second), 429, 'rate_limited');
      assertError(await http.get('br-bank', '/v1/status'), 429, 'rate_limited');
      assertStatus(await http.get('br-other', '/v1/status'), 200);
    } finally {
      await server.close();
    }
  });

  it('requests without a valid key are counted per address, failed keys included', async () => {
    const server = await startTestServer({ unauthenticatedRateLimitPerMinute: 3 });
    try {
      const http = typed(server);
      const forged = { authorization: 'Bearer ck_forged_secret' };
      for (let index = 0; index < 3; index++)
        assertError(await http.get(undefined, '/v1/status', forged), 401, 'unauthenticated');
      const limited = await http.get(undefined, '/v1/status', forged);
      assertError(limited, 429, 'rate_limited');
      assert.match(limited.headers.get('retry-after') ?? '', /^[0-9]+$/);
      assertError(await http.get(undefined, '/health'), 429, 'rate_limited');
      assertStatus(await http.get('br-bank', '/v1/status'), 200);
    } finally {
      await server.close();
    }
  });

  it('past rateLimitPerMinute a participant gets 429 rate_limited with Retry-After; other participants are not affected', async () => {
    const server = await startTestServer({ rateLimitPerMinute: 5 });
    try {
      const http = typed(server);
      for (let index = 0; index < 5; index++)
        assertStatus(await http.get('br-bank', '/v1/status'), 200);
      const before = snapshot(server.network);
      const limited = await http.post('br-bank', '/v1/payments', domesticBody());
      assertError(limited, 429, 'rate_limited');
      assert.match(limited.headers.get('retry-after') ?? '', /^[0-9]+$/);
      assertError(await http.get('br-bank', '/v1/status'), 429, 'rate_limited');
      assert.equal(snapshot(server.network), before);
      assertStatus(await http.get('br-other', '/v1/status'), 200);
    } finally {
      await server.close();
    }
  });
});

/** Words of the schema validator that no error message may hold… */
const JARGON = /must match|pattern|anyOf|oneOf|allOf|must NOT|additional propert|allowed values|equal to constant/;
/** …nor any of the API's regular expressions (each has a plain description instead). */
const PATTERNS = [...FORMAT_DESCRIPTIONS.keys()];

function assertPlainError(answer: Answer<unknown>, context: string): void {
  if (/^application\/xml/.test(answer.headers.get('content-type') ?? '')) {
    // The ISO 20022 routes refuse in ISO terms (admi.002, pacs.002), not in the JSON shape.
    assert.match(String(answer.body), /<Document /, context);
    assert.doesNotMatch(String(answer.body), JARGON, context);
    return;
  }
  const text = JSON.stringify(answer.body);
  for (const pattern of PATTERNS)
    assert.ok(!text.includes(JSON.stringify(pattern).slice(1, -1)), `${context}: ${text}`);
  const error = (answer.body as { error?: { code?: unknown; message?: unknown } }).error;
  assert.equal(typeof error?.code, 'string', `${context}: ${JSON.stringify(answer.body)}`);
  assert.equal(typeof error?.message, 'string', `${context}: ${JSON.stringify(answer.body)}`);
  assert.doesNotMatch(JSON.stringify(answer.body), JARGON, context);
}

/** Fixed, so a failure is reproduced by running the test again; bounded runs keep it fast. */
const FUZZ_SEED = 20_260_521;

interface CorpusCase {
  readonly found: string;
  readonly as?: string;
  readonly method: string;
  readonly path: string;
  readonly body?: string;
  readonly status: number;
  readonly code: string;
}

const CORPUS = (
  JSON.parse(
    readFileSync(fileURLToPath(new URL('./fuzz/corpus.json', import.meta.url)), 'utf8'),
  ) as { cases: CorpusCase[] }
).cases;

describe('fuzzing', () => {
  let server: TestServer;
  let http: Http;
  let dist: string;
  /** Ids the fuzzed paths use: a payment that does not exist, a pending one, a settled one. */
  const pathIds = ['fuzz-id'];
  before(async () => {
    dist = mkdtempSync(join(tmpdir(), 'corridor-fuzz-dist-'));
    server = await startTestServer({
      // A load test of sorts: thousands of requests a minute from four participants.
      rateLimitPerMinute: 1_000_000,
      plugins: [iso20022Plugin(), dashboardPlugin({ distDir: dist })],
    });
    http = typed(server);
    pathIds.push((await pay(http, 'br-bank', domesticBody({ mode: 'two_phase' }))).id);
    pathIds.push((await pay(http, 'br-bank', domesticBody())).id);
  });
  after(async () => {
    await server.close();
    await closeSchemaValidator();
    rmSync(dist, { recursive: true, force: true });
  });

  it('every input of the corpus (src/api/fuzz/corpus.json) gets its status and code, changing nothing', async () => {
    assert.ok(CORPUS.length >= 10);
    for (const item of CORPUS) {
      const before = snapshot(server.network);
      const path = item.path.replace('PENDING', pathIds[1] ?? '').replace('SETTLED', pathIds[2] ?? '');
      const body = item.body?.replaceAll('"E2E"', JSON.stringify(e2e('CORPUS')));
      const answer = await http.send(item.as, item.method, path, body);
      assertError(answer, item.status, item.code);
      assertPlainError(answer, item.found);
      assert.equal(snapshot(server.network), before, `${item.found}: state changed`);
    }
  });

  const paymentFields = [
    'id',
    'mode',
    'creditorAgent',
    'debtor',
    'creditor',
    'quoteId',
    'amount',
    'currency',
    'purpose',
    'remittanceInformation',
    'endToEndId',
    'uetr',
    'participantId',
    'limit',
    'source',
    'target',
    'rate',
    'spreadBps',
    'sourceCurrency',
    'targetCurrency',
    'fixed',
    'reason',
    'decision',
    'url',
    'label',
    'payments',
    'name',
    'kind',
    'country',
  ];
  const scalar = fc.oneof(
    fc.string(),
    fc.constantFrom('BRL', 'br-other', '1.00', '0', '-1', '1e9', 'two_phase', 'send', 'NARR', ''),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
  );
  const nearlyValid = fc.dictionary(
    fc.constantFrom(...paymentFields),
    fc.oneof(scalar, fc.jsonValue({ maxDepth: 3 })),
    { maxKeys: 8 },
  );
  const body = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    nearlyValid,
    fc.record({ payments: fc.array(nearlyValid, { maxLength: 4 }) }),
  );
  const caller = fc.constantFrom('br-bank', 'operator', 'bcb', 'fx-one');

  function writeRoutes(): { method: string; path: string }[] {
    return routeList(server.app)
      .filter(
        (route) =>
          route.url.startsWith('/v1/') && route.method !== 'GET' && route.method !== 'DELETE',
      )
      .flatMap((route) =>
        pathIds.map((id) => ({
          method: route.method,
          path: route.url.replace(':currency', 'BRL').replace(/:[A-Za-z]+/g, id),
        })),
      );
  }

  /**
   * Every route of the API (the ISO 20022 and dashboard routes included), but the event
   * stream's GET: a stream that opens never ends, so it is fuzzed by its own tests.
   */
  function everyRoute(): { method: string; url: string }[] {
    return routeList(server.app).filter(
      (route) =>
        (route.url.startsWith('/v1/') || route.url === '/metrics') &&
        !(route.method === 'GET' && route.url === '/v1/stream'),
    );
  }

  const idempotencyKey = fc.option(fc.constantFrom('fuzz-key-1', 'fuzz-key-2'), { nil: undefined });
  const queryNames = [
    'limit', 'cursor', 'status', 'currency', 'participant', 'kind', 'from', 'to', 'after',
    'token', 'key', 'date', 'x',
  ];
  const queryValue = fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.integer().map(String),
    fc.constantFrom('', '0', '-1', '1e3', 'ACCC', 'BRL', '2026-11-21', 'br-bank', '%', '[]'),
  );
  const query = fc.dictionary(fc.constantFrom(...queryNames), queryValue, { maxKeys: 4 });

  it('random bodies, query strings and path parameters on every route, as a bank and as the operator: never a 5xx, never a state change on a refusal, never validation jargon', async () => {
    const routes = everyRoute();
    assert.ok(routes.length >= 35, `${routes.length} routes`);
    const pathValue = fc.oneof(
      fc.constantFrom(...pathIds, 'br-bank', 'BRL', 'brl', '..', '%00', 'a'.repeat(80)),
      fc.string({ maxLength: 70 }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.array(pathValue, { minLength: 3, maxLength: 3 }),
        query,
        fc.option(body, { nil: undefined }),
        fc.constantFrom('br-bank', 'operator', 'bcb', 'fx-one'),
        idempotencyKey,
        async (route, params, search, value, who, key) => {
          let next = 0;
          const path = route.url.replace(/:[A-Za-z]+/g, () =>
            encodeURIComponent(params[next++] ?? 'x'),
          );
          const text = new URLSearchParams(search).toString();
          const url = `${path}${text === '' ? '' : `?${text}`}`;
          const sent = route.method === 'GET' || route.method === 'DELETE' ? undefined : value;
          const context = `${who} ${route.method} ${url} ${JSON.stringify(sent)}`;
          const before = snapshot(server.network);
          const answer = await http.send(
            who,
            route.method,
            url,
            sent === undefined ? undefined : sent,
            key === undefined ? {} : { 'idempotency-key': key },
          );
          assert.ok(answer.status < 500, `${context} → ${answer.status}`);
          if (answer.status >= 400) {
            assertPlainError(answer, context);
            assert.equal(snapshot(server.network), before, `${context}: a refusal changed state`);
          }
        },
      ),
      { numRuns: 1_200, seed: FUZZ_SEED },
    );
  });

  it('random JSON values posted to every write route always get a status below 500, in the error shape when refused', async () => {
    const routes = writeRoutes();
    assert.ok(routes.length >= 15);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        body,
        caller,
        idempotencyKey,
        async (route, value, who, key) => {
          const answer = await http.send(
            who,
            route.method,
            route.path,
            value === undefined ? null : value,
            key === undefined ? {} : { 'idempotency-key': key },
          );
          assert.ok(
            answer.status < 500,
            `${route.method} ${route.path} ${JSON.stringify(value)} → ${answer.status}`,
          );
          if (answer.status >= 400) assertPlainError(answer, `${route.method} ${route.path}`);
        },
      ),
      { numRuns: 800, seed: FUZZ_SEED },
    );
  });

  it('random text sent as JSON always gets a status below 500', async () => {
    const routes = writeRoutes();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.string({ unit: 'binary', maxLength: 200 }),
        async (route, text) => {
          const answer = await http.send('br-bank', route.method, route.path, text);
          assert.ok(
            answer.status < 500,
            `${route.method} ${route.path} ${JSON.stringify(text)} → ${answer.status}`,
          );
        },
      ),
      { numRuns: 300, seed: FUZZ_SEED },
    );
  });

  it('random query strings on every read route always get a status below 500', async () => {
    const reads = everyRoute()
      .filter((route) => route.url.startsWith('/v1/') && route.method === 'GET')
      .flatMap((route) =>
        pathIds.map((id) =>
          route.url.replace(':currency', 'BRL').replace(':id', id === 'fuzz-id' ? 'br-bank' : id),
        ),
      );
    const names = [
      'limit',
      'cursor',
      'status',
      'currency',
      'participant',
      'kind',
      'from',
      'to',
      'x',
    ];
    const value = fc.oneof(
      fc.string(),
      fc.integer().map(String),
      fc.constantFrom('', '0', '-1', '1e3', 'ACCC', 'BRL'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...reads),
        fc.dictionary(fc.constantFrom(...names), value),
        async (path, query) => {
          const search = new URLSearchParams(query).toString();
          const answer = await http.get('bcb', `${path}${search === '' ? '' : `?${search}`}`);
          assert.ok(answer.status < 500, `${path}?${search} → ${answer.status}`);
          if (answer.status >= 400) assertPlainError(answer, `${path}?${search}`);
        },
      ),
      { numRuns: 300, seed: FUZZ_SEED },
    );
  });

  it("after the fuzzing the server is up and the ledger's invariants hold", async () => {
    assertStatus(await http.get(undefined, '/health'), 200);
    assertStatus(await http.get(undefined, '/ready'), 200);
    assertStatus(await http.get('br-bank', '/v1/status'), 200);
    server.network.engine.checkAllInvariants();
  });
});
