// The HTTP face of a standby (a PostgreSQL node following the writer's journal): it serves
// every read, refuses every write with 503 not_writer and Retry-After before the body is
// read, changes nothing, and leaves webhook deliveries to the writer; promoted, it writes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  assertError,
  assertStatus,
  domesticBody,
  eventually,
  routeList,
  snapshot,
  RECEIVER_ALLOW,
  startReceiver,
  typed,
  type Http,
  type Receiver,
} from '../testing/api-helpers.js';
import { dashboardPlugin } from '../dashboard/plugin.js';
import { paymentInput } from '../testing/network-fixtures.js';
import { startTestServer, type TestServer } from '../testing/server-fixtures.js';

let server: TestServer;
let http: Http;
let standby = false;

before(async () => {
  server = await startTestServer({
    standby: () => standby,
    plugins: [dashboardPlugin()],
    webhookAllow: RECEIVER_ALLOW,
  });
  http = typed(server);
});

after(async () => {
  await server.close();
});

/** A concrete path for a route pattern (any id: the standby refuses before looking it up). */
function concrete(url: string): string {
  return url.replaceAll(/:[A-Za-z]+/g, 'x-1');
}

describe('a standby node over HTTP', () => {
  it('refuses every write route with 503 not_writer and Retry-After, changing nothing', async () => {
    standby = true;
    try {
      const before = snapshot(server.network);
      const writes = routeList(server.app)
        .filter((route) => route.method !== 'GET' && route.url !== '/v1/stream/tokens');
      assert.ok(writes.length >= 10, `only ${writes.length} write routes found`);
      for (const route of writes) {
        const answer = await http.send(
          'br-bank', route.method, concrete(route.url), { any: 'body' });
        assertError(answer, 503, 'not_writer');
        assert.equal(answer.headers.get('retry-after'), '1', `${route.method} ${route.url}`);
      }
      // Refused before parsing: even a malformed body gets not_writer, not malformed_json.
      assertError(await http.post('br-bank', '/v1/payments', '{"broken'), 503, 'not_writer');
      assert.equal(snapshot(server.network), before);
    } finally {
      standby = false;
    }
  });

  it('serves reads, status says standby, and the dashboard stream token still works', async () => {
    standby = true;
    try {
      assertStatus(await http.get('br-bank', '/v1/participants'), 200);
      assertStatus(await http.get('br-bank', '/v1/payments'), 200);
      assertStatus(await http.get('br-bank', '/v1/events'), 200);
      const status = await http.get<{ role: string }>('br-bank', '/v1/status');
      assert.equal(status.body.role, 'standby');
      assertStatus(await http.post('br-bank', '/v1/stream/tokens'), 201);
      // Authentication still comes first.
      assertError(await http.post(undefined, '/v1/payments', domesticBody()), 401,
        'unauthenticated');
    } finally {
      standby = false;
    }
    const status = await http.get<{ role: string }>('br-bank', '/v1/status');
    assert.equal(status.body.role, 'writer');
  });

  it('delivers no webhooks while a standby, and does once it is the writer', async () => {
    let receiver: Receiver | undefined;
    try {
      receiver = await startReceiver(200);
      assertStatus(await http.post('br-other', '/v1/webhooks', { url: receiver.url }), 201);
      standby = true;
      // The journal the standby follows brings batches; here the network commits one directly.
      const quiet = await server.network.pay('br-bank', paymentInput({
        creditorAgent: 'br-other', currency: 'BRL', amount: 100n }));
      assert.equal(quiet.code, 'ok');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(receiver.received.length, 0, 'a standby delivered a webhook');
      standby = false;
      assertStatus(await http.post('br-bank', '/v1/payments', domesticBody()), 201);
      const delivered = receiver;
      await eventually('a webhook delivery', () => delivered.received.length > 0);
    } finally {
      standby = false;
      await receiver?.close();
    }
  });
});
