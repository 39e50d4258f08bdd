// Proves the API's security matrix over HTTP: every /v1 route refuses a missing, malformed,
// wrong or revoked key; public endpoints need none; each participant reads and moves only what
// its role allows (table-driven over every participant, for every cross-participant read and
// write), a refused write changes nothing; and API keys reach the journal only as SHA-256 hashes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { dashboardPlugin } from '../dashboard/plugin.js';
import type { PartyScreener } from '../service/service.js';
import { buildServer } from './server.js';
import { startTestServer, type TestServer } from '../testing/server-fixtures.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import {
  assertError,
  assertStatus,
  crossBorderBody,
  domesticBody,
  pay,
  quote,
  routeList,
  snapshot,
  typed,
  type BalanceView,
  type EventView,
  type Http,
  type KeyView,
  type PaymentView,
  type QuoteView,
} from '../testing/api-helpers.js';

const EVERYONE = [
  'operator',
  'bcb',
  'rbi',
  'pboc',
  'br-bank',
  'br-other',
  'in-bank',
  'cn-bank',
  'fx-one',
  'fx-two',
] as const;
type Who = (typeof EVERYONE)[number];

function except(...allowed: Who[]): Who[] {
  return EVERYONE.filter((who) => !allowed.includes(who));
}

/** "ck_<keyId>_<secret>": the secret (base64url, so it may hold "_") is the last 43 characters. */
function splitKey(key: string): { keyId: string; secret: string } {
  const match = /^ck_([a-z0-9]{8,32})_([A-Za-z0-9_-]{43})$/.exec(key);
  assert.ok(match !== null, `not a key: ${key}`);
  return { keyId: match[1] ?? '', secret: match[2] ?? '' };
}

/** A route's path with sample parameters. */
function samplePath(url: string): string {
  return url.replace(':currency', 'BRL').replace(/:[A-Za-z]+/g, 'sample-id');
}

describe('authentication on every route', () => {
  let server: TestServer;
  let http: Http;
  // The server as a node runs it, with the dashboard's routes (/v1/stream…) too.
  before(async () => {
    server = await startTestServer({ plugins: [dashboardPlugin()] });
    http = typed(server);
  });
  after(async () => server.close());

  it('every /v1 route answers 401 to no key, a malformed key, a wrong secret and a revoked key, and changes nothing', async () => {
    const created = await http.post<{ key: string; keyId: string }>('br-bank', '/v1/keys', {
      label: 'to revoke',
    });
    assertStatus(await http.del('br-bank', `/v1/keys/${created.body.keyId}`), 200);
    const wrongSecret = `ck_${splitKey(server.keys['br-bank'] ?? '').keyId}_${'A'.repeat(43)}`;
    const credentials: {
      name: string;
      as: string | undefined;
      headers?: Record<string, string>;
    }[] = [
      { name: 'no key', as: undefined },
      { name: 'malformed key', as: 'not-a-key' },
      { name: 'key of an unknown id', as: `ck_0000000000000000_${'A'.repeat(43)}` },
      {
        name: 'Basic scheme',
        as: undefined,
        headers: { authorization: `Basic ${Buffer.from('br-bank:x').toString('base64')}` },
      },
      { name: 'empty bearer', as: undefined, headers: { authorization: 'Bearer ' } },
      { name: 'wrong secret', as: wrongSecret },
      { name: 'wrong secret in x-api-key', as: undefined, headers: { 'x-api-key': wrongSecret } },
      { name: 'revoked key', as: created.body.key },
    ];
    const routes = routeList(server.app).filter((route) => route.url.startsWith('/v1/'));
    assert.ok(routes.length >= 30, `only ${routes.length} routes`);
    const before = snapshot(server.network);
    for (const route of routes) {
      for (const credential of credentials) {
        const body = route.method === 'POST' || route.method === 'PUT' ? {} : undefined;
        const answer = await http.send(
          credential.as,
          route.method,
          samplePath(route.url),
          body,
          credential.headers,
        );
        assert.equal(
          answer.status,
          401,
          `${route.method} ${route.url} with ${credential.name}: ${answer.status}`,
        );
        assertError(answer, 401, 'unauthenticated');
      }
    }
    assert.equal(snapshot(server.network), before);
  });

  it('a valid key works in the Authorization header and in X-Api-Key', async () => {
    assertStatus(await http.get('br-bank', '/v1/status'), 200);
    assertStatus(
      await http.get(undefined, '/v1/status', { 'x-api-key': server.keys['br-bank'] ?? '' }),
      200,
    );
  });

  it('health, readiness, docs and openapi.json need no key', async () => {
    for (const path of ['/health', '/ready', '/openapi.json', '/docs']) {
      const response = await fetch(`${server.url}${path}`);
      assert.equal(response.status, 200, path);
      await response.arrayBuffer();
    }
  });

  it("by default /metrics needs a key and is the operator's alone", async () => {
    assertError(await http.get(undefined, '/metrics'), 401, 'unauthenticated');
    assertError(await http.get('br-bank', '/metrics'), 403, 'not_authorized');
    assertError(await http.get('bcb', '/metrics'), 403, 'not_authorized');
    assertStatus(await http.get('operator', '/metrics'), 200);
  });

  it('a scrape token reads /metrics and nothing else; a wrong one is refused', async () => {
    const token = 'scrape-token-0123456789';
    const scraped = await startTestServer({ metricsToken: token });
    try {
      const client = typed(scraped);
      const withToken = { authorization: `Bearer ${token}` };
      const answer = await client.get(undefined, '/metrics', withToken);
      assertStatus(answer, 200);
      assert.match(String(answer.body), /corridor_/);
      assertError(
        await client.get(undefined, '/metrics', { authorization: `Bearer ${token}x` }),
        401,
        'unauthenticated',
      );
      assertError(await client.get(undefined, '/v1/status', withToken), 401, 'unauthenticated');
      assertStatus(await client.get('operator', '/metrics'), 200);
    } finally {
      await scraped.close();
    }
  });

  it('a scrape token shorter than 16 characters is refused when the server starts', async () => {
    await assert.rejects(
      buildServer({ network: server.network, logLevel: false, metricsToken: 'short' }),
      /at least 16 characters/,
    );
  });

  it('with publicMetrics true, /metrics needs no key', async () => {
    const open = await startTestServer({ publicMetrics: true });
    try {
      const response = await fetch(`${open.url}/metrics`);
      assert.equal(response.status, 200);
      await response.arrayBuffer();
    } finally {
      await open.close();
    }
  });
});

describe('who sees what, and who may do what', () => {
  const screener: PartyScreener = {
    screenParties: ({ creditor }) => ({ hit: creditor.startsWith('Blocked'), matches: [] }),
  };
  let server: TestServer;
  let http: Http;
  const ids = {
    brl: '',
    cross: '',
    inr: '',
    cny: '',
    pending: '',
    blocked: '',
    quote: '',
    quoteClient: '',
    webhook: '',
    key: '',
  };

  before(async () => {
    // The webhook below points at a closed local port: allowed, so that it can be registered.
    server = await startTestServer({ screener, webhookAllow: ['127.0.0.1/32'] });
    http = typed(server);
    ids.brl = (await pay(http, 'br-bank', domesticBody())).networkId;
    ids.cross = (await pay(http, 'br-bank', crossBorderBody((await quote(http)).id))).networkId;
    ids.inr = (
      await pay(
        http,
        'in-bank',
        domesticBody({ creditorAgent: 'fx-one', currency: 'INR', amount: '5.00' }),
      )
    ).networkId;
    ids.cny = (
      await pay(
        http,
        'cn-bank',
        domesticBody({ creditorAgent: 'fx-two', currency: 'CNY', amount: '5.00' }),
      )
    ).networkId;
    ids.pending = (await pay(http, 'br-bank', domesticBody({ mode: 'two_phase' }))).networkId;
    ids.blocked = (
      await pay(http, 'br-bank', domesticBody({ creditor: { name: 'Blocked Trading' } }))
    ).networkId;
    const asked = await quote(http);
    ids.quote = asked.networkId;
    ids.quoteClient = asked.id;
    const hook = await http.post<{ id: string }>('br-other', '/v1/webhooks', {
      url: 'http://127.0.0.1:9/never',
    });
    ids.webhook = hook.body.id;
    const keys = await http.get<{ keys: KeyView[] }>('br-other', '/v1/keys');
    ids.key = keys.body.keys[0]?.keyId ?? '';
  });
  after(async () => server.close());

  /** Who may see each payment: its agents, FX provider, currencies' issuers and the operator. */
  const paymentReaders = (): [string, Who[]][] => [
    [ids.brl, ['br-bank', 'br-other', 'bcb', 'operator']],
    [ids.cross, ['br-bank', 'in-bank', 'fx-two', 'bcb', 'rbi', 'operator']],
    [ids.inr, ['in-bank', 'fx-one', 'rbi', 'operator']],
    [ids.cny, ['cn-bank', 'fx-two', 'pboc', 'operator']],
    [ids.pending, ['br-bank', 'br-other', 'bcb', 'operator']],
    [ids.blocked, ['br-bank', 'br-other', 'bcb', 'operator']],
  ];

  it('GET /v1/payments/:id: each payment is visible to its parties, its issuers and the operator, and 404 to everyone else', async () => {
    for (const [id, readers] of paymentReaders()) {
      for (const who of EVERYONE) {
        const answer = await http.get<PaymentView>(who, `/v1/payments/${id}`);
        if (readers.includes(who)) {
          assertStatus(answer, 200);
          assert.equal(answer.body.networkId, id);
        } else {
          assertError(answer, 404, 'not_found', 'id');
        }
      }
    }
  });

  it('GET /v1/payments and GET /v1/events show each participant exactly the payments it may see', async () => {
    for (const who of EVERYONE) {
      const expected = paymentReaders()
        .filter(([, readers]) => readers.includes(who))
        .map(([id]) => id)
        .sort();
      const listed = await http.get<{ payments: PaymentView[] }>(who, '/v1/payments?limit=500');
      assertStatus(listed, 200);
      assert.deepEqual(
        listed.body.payments.map((payment) => payment.networkId).sort(),
        expected,
        `payments of ${who}`,
      );
      const events = await http.get<{ events: EventView[] }>(who, '/v1/events?limit=1000');
      assert.deepEqual(
        [...new Set(events.body.events.map((event) => event.paymentId))].sort(),
        expected,
        `events of ${who}`,
      );
    }
  });

  it('GET /v1/participants/:id/accounts: the owner, the issuer of each currency (that currency only) and the operator; 403 to others', async () => {
    const table: [string, Partial<Record<Who, string[]>>][] = [
      ['br-bank', { 'br-bank': ['BRL'], bcb: ['BRL'], operator: ['BRL'] }],
      ['in-bank', { 'in-bank': ['INR'], rbi: ['INR'], operator: ['INR'] }],
      [
        'fx-one',
        {
          'fx-one': ['BRL', 'CNY', 'INR'],
          bcb: ['BRL'],
          rbi: ['INR'],
          pboc: ['CNY'],
          operator: ['BRL', 'CNY', 'INR'],
        },
      ],
      ['bcb', { bcb: ['BRL'], operator: ['BRL'] }],
    ];
    for (const [owner, readers] of table) {
      for (const who of EVERYONE) {
        const answer = await http.get<{ accounts: BalanceView[] }>(
          who,
          `/v1/participants/${owner}/accounts`,
        );
        const currencies = readers[who];
        if (currencies === undefined) {
          assertError(answer, 403, 'not_authorized');
        } else {
          assertStatus(answer, 200);
          assert.deepEqual(
            answer.body.accounts.map((account) => account.currency).sort(),
            currencies,
            `${who} reading ${owner}`,
          );
        }
      }
    }
  });

  it("GET …/accounts/:currency/statement: the owner, the currency's issuer and the operator; 403 to others", async () => {
    const table: [string, Who[]][] = [
      ['/v1/participants/br-bank/accounts/BRL/statement', ['br-bank', 'bcb', 'operator']],
      ['/v1/participants/fx-one/accounts/INR/statement', ['fx-one', 'rbi', 'operator']],
      ['/v1/participants/fx-two/accounts/CNY/statement', ['fx-two', 'pboc', 'operator']],
      ['/v1/participants/bcb/accounts/BRL/statement', ['bcb', 'operator']],
    ];
    for (const [path, readers] of table) {
      for (const who of EVERYONE) {
        const answer = await http.get(who, path);
        if (readers.includes(who)) assertStatus(answer, 200);
        else assertError(answer, 403, 'not_authorized');
      }
    }
  });

  it('GET /v1/quotes/:id: only the bank that asked and the operator; 404 to everyone else', async () => {
    for (const who of EVERYONE) {
      const answer = await http.get(who, `/v1/quotes/${ids.quote}`);
      if (who === 'br-bank' || who === 'operator') assertStatus(answer, 200);
      else assertError(answer, 404, 'not_found');
    }
  });

  it('the directory, rates, currencies and supply are open to every participant', async () => {
    for (const who of EVERYONE) {
      for (const path of [
        '/v1/participants',
        '/v1/participants/br-bank',
        '/v1/rates',
        '/v1/currencies',
        '/v1/currencies/INR/supply',
        '/v1/status',
      ]) {
        assertStatus(await http.get(who, path), 200);
      }
    }
  });

  interface Write {
    readonly name: string;
    readonly refused: readonly Who[];
    readonly method: 'POST' | 'PUT' | 'DELETE';
    readonly path: () => string;
    readonly body?: () => unknown;
    readonly status: number;
    readonly code: RegExp;
  }

  const writes: Write[] = [
    {
      name: "accept another bank's two-phase payment",
      refused: except('br-other'),
      method: 'POST',
      path: () => `/v1/payments/${ids.pending}/accept`,
      status: 404,
      code: /^payment_not_found$/,
    },
    {
      name: "reject another bank's two-phase payment",
      refused: except('br-other'),
      method: 'POST',
      path: () => `/v1/payments/${ids.pending}/reject`,
      body: () => ({ reason: 'NARR' }),
      status: 404,
      code: /^payment_not_found$/,
    },
    {
      name: 'return a payment it did not receive',
      refused: except('br-other'),
      method: 'POST',
      path: () => `/v1/payments/${ids.brl}/return`,
      body: () => ({ amount: '1.00', reason: 'MD06' }),
      status: 404,
      code: /^(payment_)?not_found$/,
    },
    {
      name: 'review a held payment outside its currency',
      refused: except('bcb', 'operator'),
      method: 'POST',
      path: () => `/v1/payments/${ids.blocked}/review`,
      body: () => ({ decision: 'release' }),
      status: 404,
      code: /^payment_not_found$/,
    },
    {
      name: 'issue BRL',
      refused: except('bcb'),
      method: 'POST',
      path: () => '/v1/issuances',
      body: () => ({ participantId: 'br-bank', currency: 'BRL', amount: '1.00' }),
      status: 403,
      code: /^not_authorized$/,
    },
    {
      name: 'redeem BRL',
      refused: except('bcb'),
      method: 'POST',
      path: () => '/v1/redemptions',
      body: () => ({ participantId: 'br-bank', currency: 'BRL', amount: '1.00' }),
      status: 403,
      code: /^not_authorized$/,
    },
    {
      name: 'grant BRL credit',
      refused: except('bcb'),
      method: 'POST',
      path: () => '/v1/credit-limits',
      body: () => ({ participantId: 'br-bank', currency: 'BRL', limit: '1000.00' }),
      status: 403,
      code: /^not_authorized$/,
    },
    {
      name: 'set BRL rules',
      refused: except('bcb'),
      method: 'PUT',
      path: () => '/v1/currencies/BRL/rules',
      body: () => ({ paymentAmountMax: '1.00', dailyOutflowMax: '1.00', schemeFee: '0.00' }),
      status: 403,
      code: /^not_authorized$/,
    },
    {
      name: 'add a participant',
      refused: except('operator'),
      method: 'POST',
      path: () => '/v1/participants',
      body: () => ({
        id: 'rogue',
        name: 'Rogue Bank',
        kind: 'bank',
        country: 'BR',
        currencies: ['BRL'],
      }),
      status: 403,
      code: /^not_authorized$/,
    },
    {
      name: 'suspend a participant',
      refused: except('operator'),
      method: 'POST',
      path: () => '/v1/participants/br-other/suspend',
      status: 403,
      code: /^not_authorized$/,
    },
    {
      name: 'reactivate a participant',
      refused: except('operator'),
      method: 'POST',
      path: () => '/v1/participants/br-other/reactivate',
      status: 403,
      code: /^not_authorized$/,
    },
    {
      name: 'create a key for another participant',
      refused: except('operator', 'br-other'),
      method: 'POST',
      path: () => '/v1/keys',
      body: () => ({ participantId: 'br-other' }),
      status: 403,
      code: /^not_authorized$/,
    },
    {
      name: "revoke another participant's key",
      refused: except('operator', 'br-other'),
      method: 'DELETE',
      path: () => `/v1/keys/${ids.key}`,
      status: 404,
      code: /^not_found$/,
    },
    {
      name: "delete another participant's webhook",
      refused: except('br-other'),
      method: 'DELETE',
      path: () => `/v1/webhooks/${ids.webhook}`,
      status: 404,
      code: /^not_found$/,
    },
    {
      name: 'send a payment as a central bank or the operator',
      refused: ['operator', 'bcb', 'rbi', 'pboc'],
      method: 'POST',
      path: () => '/v1/payments',
      body: () => domesticBody(),
      status: 403,
      code: /^not_authorized$/,
    },
    {
      name: "pay with another bank's quote",
      refused: ['br-other', 'fx-one', 'fx-two', 'in-bank'],
      method: 'POST',
      path: () => '/v1/payments',
      // br-bank's own quote id means, from anyone else, a quote of their own they do not have.
      body: () => crossBorderBody(ids.quoteClient),
      status: 404,
      code: /^quote_not_found$/,
    },
    {
      name: 'publish a rate without being an FX provider',
      refused: except('fx-one', 'fx-two'),
      method: 'POST',
      path: () => '/v1/rates',
      body: () => ({
        source: 'BRL',
        target: 'INR',
        rate: '99',
        spreadBps: 0,
        amountMax: '10.00',
        validSeconds: 60,
      }),
      status: 403,
      code: /^not_authorized$/,
    },
    {
      name: 'ask for a quote as a central bank or the operator',
      refused: ['operator', 'bcb', 'rbi', 'pboc'],
      method: 'POST',
      path: () => '/v1/quotes',
      body: () => ({ sourceCurrency: 'BRL', targetCurrency: 'INR', fixed: 'send', amount: '1.00' }),
      status: 403,
      code: /^not_authorized$/,
    },
  ];

  for (const write of writes) {
    it(`refuses to ${write.name} (${write.refused.length} participants), changing nothing`, async () => {
      for (const who of write.refused) {
        const before = snapshot(server.network);
        const answer = await http.send(who, write.method, write.path(), write.body?.());
        const context = `${who}: ${write.method} ${write.path()} → ${answer.status} ${JSON.stringify(answer.body)}`;
        assert.equal(answer.status, write.status, context);
        assert.match((answer.body as { error: { code: string } }).error.code, write.code, context);
        assert.equal(snapshot(server.network), before, context);
      }
    });
  }

  it('after every refusal the rightful participants still can: the creditor accepts, the issuer reviews, the owner keeps its key and webhook', async () => {
    assert.equal(
      (await http.post<PaymentView>('br-other', `/v1/payments/${ids.pending}/accept`)).body.status,
      'ACCC',
    );
    assert.equal(
      (
        await http.post<PaymentView>('bcb', `/v1/payments/${ids.blocked}/review`, {
          decision: 'release',
        })
      ).body.status,
      'ACCC',
    );
    assertStatus(await http.get('br-other', '/v1/status'), 200);
    const hooks = await http.get<{ webhooks: { id: string }[] }>('br-other', '/v1/webhooks');
    assert.deepEqual(
      hooks.body.webhooks.map((hook) => hook.id),
      [ids.webhook],
    );
    assertStatus(await http.post('br-other', '/v1/keys', { participantId: 'br-other' }), 201);
    assertStatus(
      await http.post('bcb', '/v1/issuances', {
        participantId: 'br-bank',
        currency: 'BRL',
        amount: '1.00',
      }),
      201,
    );
    assertStatus(
      await http.post('fx-one', '/v1/rates', {
        source: 'BRL',
        target: 'INR',
        rate: '15.5',
        spreadBps: 50,
        amountMax: '10000.00',
        validSeconds: 600,
      }),
      201,
    );
  });

  it("the operator administers: adds, suspends and reactivates participants, creates and revokes anyone's keys", async () => {
    assertStatus(
      await http.post('operator', '/v1/participants', {
        id: 'in-new',
        name: 'New Bank India',
        kind: 'bank',
        country: 'IN',
        currencies: ['INR'],
      }),
      201,
    );
    assertStatus(await http.post('operator', '/v1/participants/in-new/suspend'), 200);
    assertStatus(await http.post('operator', '/v1/participants/in-new/reactivate'), 200);
    const key = await http.post<{ key: string; keyId: string }>('operator', '/v1/keys', {
      participantId: 'in-new',
    });
    assertStatus(key, 201);
    assertStatus(await http.get(key.body.key, '/v1/participants/in-new/accounts'), 200);
    assertError(
      await http.get(key.body.key, '/v1/participants/in-bank/accounts'),
      403,
      'not_authorized',
    );
    assertStatus(await http.del('operator', `/v1/keys/${key.body.keyId}`), 200);
    assertError(await http.get(key.body.key, '/v1/status'), 401, 'unauthenticated');
  });
});

describe('keys at rest', () => {
  it("the journal holds each key's SHA-256, never its secret", async () => {
    const server = await startTestServer();
    try {
      const http = typed(server);
      const created = await http.post<{ key: string }>('br-bank', '/v1/keys', {
        label: 'rotation',
      });
      const byOperator = await http.post<{ key: string }>('operator', '/v1/keys', {
        participantId: 'cn-bank',
      });
      const keys = [...Object.values(server.keys), created.body.key, byOperator.body.key];
      assert.equal(keys.length, 12);
      const store = server.network.store;
      const payloads = (await store.readJournal(0, 1_000_000)).map((entry) => entry.payload);
      if (store instanceof SqliteStore) {
        const rows = store.database.prepare('SELECT * FROM journal').all() as Record<
          string,
          unknown
        >[];
        assert.equal(rows.length, payloads.length);
        payloads.push(
          ...rows.map((row) =>
            JSON.stringify(row, (_key, value: unknown) =>
              typeof value === 'bigint' ? value.toString() : value,
            ),
          ),
        );
      }
      const journal = payloads.join('\n');
      assert.ok(journal.length > 0);
      for (const key of keys) {
        const { secret } = splitKey(key);
        assert.ok(!journal.includes(secret), 'a key secret is in the journal');
        assert.ok(
          journal.includes(createHash('sha256').update(secret).digest('hex')),
          'a key hash is missing',
        );
      }
      const listed = await http.get<{ keys: Record<string, unknown>[] }>('operator', '/v1/keys');
      assert.ok(
        listed.body.keys.every((key) => !('hash' in key) && !('secret' in key) && !('key' in key)),
      );
    } finally {
      await server.close();
    }
  });
});

describe("ids are each participant's own: one bank's ids tell nothing of another's", () => {
  let server: TestServer;
  let http: Http;
  before(async () => {
    server = await startTestServer();
    http = typed(server);
  });
  after(async () => server.close());

  it("POST /v1/payments with another bank's id is a new payment (201), never a 409 hint", async () => {
    const body = domesticBody({ id: 'sec-b-instant-1', creditorAgent: 'br-bank' });
    const theirs = await pay(http, 'br-other', body);
    assert.equal(theirs.id, 'sec-b-instant-1');
    assertError(await http.get('br-bank', '/v1/payments/sec-b-instant-1'), 404, 'not_found', 'id');
    const mine = await pay(http, 'br-bank', domesticBody({ id: 'sec-b-instant-1' }));
    assert.equal(mine.id, 'sec-b-instant-1');
    assert.notEqual(mine.networkId, theirs.networkId);
    assert.equal(mine.debtorAgent, 'br-bank');
    // Each owner still reads its own by its own id, and its retry is idempotent.
    const read = await http.get<PaymentView>('br-bank', '/v1/payments/sec-b-instant-1');
    assert.equal(read.body.networkId, mine.networkId);
    const retried = await http.post<PaymentView>('br-other', '/v1/payments', body);
    assertStatus(retried, 200);
    assert.equal(retried.body.networkId, theirs.networkId);
    const changed = await http.post('br-other', '/v1/payments', { ...body, amount: '11.00' });
    assertError(changed, 409, 'exists_with_different_fields', 'id');
  });

  it("POST /v1/quotes with another bank's quote id is a new quote (201), never a 409 hint", async () => {
    const body = { sourceCurrency: 'BRL', targetCurrency: 'INR', fixed: 'send', amount: '100.00', id: 'sec-q-1' };
    assertStatus(await http.post('br-other', '/v1/quotes', body), 201);
    assertError(await http.get('br-bank', '/v1/quotes/sec-q-1'), 404, 'not_found', 'id');
    const mine = await http.post<QuoteView>('br-bank', '/v1/quotes', { ...body, amount: '50.00' });
    assertStatus(mine, 201);
    assert.equal(mine.body.id, 'sec-q-1');
    assertStatus(await http.post('br-bank', '/v1/quotes', { ...body, amount: '50.00' }), 200);
    assertError(await http.post('br-bank', '/v1/quotes', body), 409, 'exists_with_different_fields');
  });

  it('POST /v1/payments with a UETR another payment holds is 409 duplicate_uetr; the same request again is 200', async () => {
    const uetr = '3c9d2a41-7b5e-4f60-9a8b-1c2d3e4f5a6b';
    const body = domesticBody({ id: 'u-first', uetr, creditorAgent: 'br-bank' });
    const first = await pay(http, 'br-other', body);
    const again = await http.post<PaymentView>('br-other', '/v1/payments', body);
    assertStatus(again, 200);
    assert.equal(again.body.networkId, first.networkId);
    const before = snapshot(server.network);
    assertError(await http.post('br-bank', '/v1/payments', domesticBody({ uetr })), 409, 'duplicate_uetr', 'uetr');
    assertError(
      await http.post('br-other', '/v1/payments', domesticBody({ id: 'u-second', uetr, creditorAgent: 'br-bank' })),
      409, 'duplicate_uetr', 'uetr',
    );
    assert.equal(snapshot(server.network), before);
  });
});
