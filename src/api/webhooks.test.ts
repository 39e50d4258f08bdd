// Proves webhooks reach only public addresses: hostile URLs are refused at registration, names
// that resolve inward are refused at delivery, the socket uses the vetted address, redirects are
// not followed, dead letters are generic while the log keeps the detail, and the operator's
// allow list opens exactly what it lists.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  assertError,
  assertStatus,
  domesticBody,
  eventually,
  pay,
  RECEIVER_ALLOW,
  startReceiver,
  typed,
  type Receiver,
} from '../testing/api-helpers.js';
import { startTestServer } from '../testing/server-fixtures.js';
import type { ResolvedAddress, WebhookResolver } from './webhook-delivery.js';
import { webhookAddressPolicy, WebhookAllowListError } from './webhook-policy.js';
import { DELIVERY_FAILED, WebhookDispatcher, type WebhookLog } from './webhooks.js';

/** URLs that must never be registered, each with what makes it hostile. */
const HOSTILE: readonly [string, string][] = [
  ['http://169.254.169.254/latest/meta-data/', 'the cloud metadata service (link-local)'],
  ['http://127.0.0.1:8080/v1/payments', 'loopback, the API port'],
  ['http://127.255.255.254/', 'loopback, the end of 127/8'],
  ['http://2130706433/', 'loopback as a decimal integer'],
  ['http://0x7f.1/', 'loopback in hexadecimal, two parts'],
  ['http://0x7f000001/', 'loopback as a hexadecimal integer'],
  ['http://0177.0.0.1/', 'loopback in octal'],
  ['http://017700000001/', 'loopback as an octal integer'],
  ['http://127.1/', 'loopback, shortened'],
  ['http://0/', 'unspecified as an integer'],
  ['http://0.0.0.0:8080/', 'unspecified (0.0.0.0/8)'],
  ['http://10.1.2.3/', 'private 10/8'],
  ['http://172.16.0.1/', 'private 172.16/12'],
  ['http://172.31.255.255/', 'private, the end of 172.16/12'],
  ['http://192.168.1.1/', 'private 192.168/16'],
  ['http://100.64.0.1/', 'CGNAT 100.64/10'],
  ['http://198.18.0.1/', 'benchmarking 198.18/15'],
  ['http://192.0.2.1/', 'documentation TEST-NET-1'],
  ['http://198.51.100.1/', 'documentation TEST-NET-2'],
  ['http://203.0.113.1/', 'documentation TEST-NET-3'],
  ['http://224.0.0.1/', 'multicast'],
  ['http://240.0.0.1/', 'reserved 240/4'],
  ['http://255.255.255.255/', 'broadcast'],
  ['http://[::1]/', 'IPv6 loopback'],
  ['http://[::]/', 'IPv6 unspecified'],
  ['http://[::ffff:127.0.0.1]/', 'IPv4-mapped loopback'],
  ['http://[::ffff:a9fe:a9fe]/', 'IPv4-mapped metadata service, in hexadecimal'],
  ['http://[0:0:0:0:0:ffff:10.0.0.1]/', 'IPv4-mapped private, written out'],
  ['http://[::127.0.0.1]/', 'IPv4-compatible loopback'],
  ['http://[64:ff9b::169.254.169.254]/', 'NAT64 of the metadata service'],
  ['http://[64:ff9b::7f00:1]/', 'NAT64 of loopback'],
  ['http://[64:ff9b:1::1]/', 'local-use NAT64'],
  ['http://[2002:7f00:1::1]/', '6to4 of loopback'],
  ['http://[2002:808:808::1]/', '6to4, deprecated whole'],
  ['http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', 'Teredo'],
  ['http://[fc00::1]/', 'unique-local fc00::/7'],
  ['http://[fd12:3456:789a::1]/', 'unique-local fd00::/8'],
  ['http://[fe80::1]/', 'IPv6 link-local'],
  ['http://[fec0::1]/', 'IPv6 site-local'],
  ['http://[ff02::1]/', 'IPv6 multicast'],
  ['http://[2001:db8::1]/', 'IPv6 documentation'],
  ['http://localhost:8080/', 'localhost'],
  ['http://LOCALHOST./', 'localhost, upper case with a trailing dot'],
  ['http://api.localhost/', 'a name under .localhost'],
  ['http://metadata/', 'a single-label name'],
  ['http://metadata.google.internal/computeMetadata/v1/', 'a name under .internal'],
  ['http://printer.local/', 'an mDNS name'],
  ['http://router.home.arpa/', 'a name under home.arpa'],
  ['https://user:secret@hooks.example.com/', 'credentials in the URL'],
  ['https://token@hooks.example.com/', 'a user name in the URL'],
];

/** Public URLs that must still be accepted. */
const PUBLIC = [
  'https://hooks.example.com/corridor',
  'http://8.8.8.8:8443/hook',
  'http://172.32.0.1/',
  'http://[2606:4700:4700::1111]/hook',
  'http://[64:ff9b::808:808]/',
];

/** A resolver that answers from a table, counting questions; unknown names fail. */
function tableResolver(table: Record<string, (call: number) => ResolvedAddress[]>): {
  resolve: WebhookResolver;
  calls: Map<string, number>;
} {
  const calls = new Map<string, number>();
  const resolve: WebhookResolver = async (hostname) => {
    const call = (calls.get(hostname) ?? 0) + 1;
    calls.set(hostname, call);
    const answer = table[hostname];
    if (answer === undefined) throw new Error(`getaddrinfo ENOTFOUND ${hostname}`);
    return answer(call);
  };
  return { resolve, calls };
}

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });

interface Logged {
  readonly detail: Record<string, unknown>;
  readonly message: string;
}

function collectingLog(): WebhookLog & { lines: Logged[] } {
  const lines: Logged[] = [];
  return { lines, warn: (detail, message) => lines.push({ detail, message }) };
}

/** One status change of a payment that `participantId` hears about. */
function statusChange(participantId: string, sequence = 1) {
  return [{ sequence, event: { paymentId: `P${sequence}`, status: 'ACSC' as const, at: 0,
    audience: [participantId] } }];
}

/** Registers `url`, publishes one event to its participant and waits until it settles. */
async function deliverOnce(
  dispatcher: WebhookDispatcher,
  url: string,
  participantId = 'br-bank',
): Promise<void> {
  const registration = dispatcher.register(participantId, url);
  assert.ok(registration.ok, JSON.stringify(registration));
  dispatcher.publish(statusChange(participantId));
  await eventually('the delivery to settle', () => dispatcher.pending === 0);
}

const fast = { attemptsMax: 2, firstRetryMs: 1, retryMsMax: 5, deliveryTimeoutMs: 5_000 };

describe('webhook registration', () => {
  it('webhookAddressPolicy() refuses every hostile URL form and accepts public ones', () => {
    const policy = webhookAddressPolicy();
    for (const [url, why] of HOSTILE) {
      const refusal = policy.refusal(url);
      assert.ok(refusal !== undefined, `${url} (${why}) was accepted`);
      assert.match(refusal, /^The webhook URL.*\.$/);
    }
    for (const url of PUBLIC) assert.equal(policy.refusal(url), undefined, url);
    // Forms the WHATWG parser folds into loopback before the check sees them.
    assert.notEqual(policy.refusal('http://\uff11\uff12\uff17.0.0.1/'), undefined);
    assert.notEqual(policy.refusal('http://%31%32%37.0.0.1/'), undefined);
  });

  it('POST /v1/webhooks answers 400 webhook_url_not_allowed for each hostile URL and registers nothing', async () => {
    const server = await startTestServer();
    const http = typed(server);
    try {
      for (const [url] of HOSTILE) {
        assertError(await http.post('br-bank', '/v1/webhooks', { url }), 400,
          'webhook_url_not_allowed', 'url');
      }
      const listed = await http.get<{ webhooks: unknown[] }>('br-bank', '/v1/webhooks');
      assert.deepEqual(listed.body.webhooks, []);
      for (const url of PUBLIC) {
        // Nothing is paid in this test, so nothing is delivered to these addresses.
        assertStatus(await http.post('br-other', '/v1/webhooks', { url }), 201);
      }
    } finally {
      await server.close();
    }
  });
});

describe('webhook registration limits', () => {
  it('register() checks the URL before the endpoint limit, and refuses a sixth endpoint', () => {
    const dispatcher = new WebhookDispatcher(undefined);
    try {
      for (let index = 0; index < 5; index += 1) {
        assert.ok(dispatcher.register('br-bank', `https://hooks.example.com/${index}`).ok);
      }
      const sixth = dispatcher.register('br-bank', 'https://hooks.example.com/6');
      assert.deepEqual(sixth.ok ? 'ok' : sixth.code, 'webhook_limit');
      const internal = dispatcher.register('br-bank', 'http://10.0.0.1/');
      assert.deepEqual(internal.ok ? 'ok' : internal.code, 'webhook_url_not_allowed');
      assert.equal(dispatcher.endpoints('br-bank').length, 5);
    } finally {
      dispatcher.close();
    }
  });
});

describe('webhook delivery', () => {
  it('refuses a name that resolves to loopback, without connecting, and logs why at warn', async () => {
    const receiver = await startReceiver(200);
    const port = new URL(receiver.url).port;
    const { resolve } = tableResolver({
      'hooks.example.com': () => [v4('127.0.0.1')],
      // Every address is checked, not only the first.
      'mixed.example.com': () => [v4('8.8.8.8'), v4('127.0.0.1')],
    });
    const log = collectingLog();
    const dispatcher = new WebhookDispatcher(undefined, Date.now, { ...fast, resolve, log });
    try {
      await deliverOnce(dispatcher, `http://hooks.example.com:${port}/hook`);
      await deliverOnce(dispatcher, `http://mixed.example.com:${port}/hook`, 'br-other');
      assert.equal(receiver.received.length, 0, 'a refused address was reached');
      const letters = [...dispatcher.deadLetters('br-bank'), ...dispatcher.deadLetters('br-other')];
      assert.deepEqual(letters.map((letter) => [letter.lastError, letter.attempts]),
        [[DELIVERY_FAILED, 2], [DELIVERY_FAILED, 2]]);
      const problems = log.lines.map((line) => String(line.detail['problem']));
      assert.equal(problems.length, 4);
      assert.ok(problems.every((problem) => /resolved to 127\.0\.0\.1, which is not a public/
        .test(problem)), problems.join('; '));
    } finally {
      dispatcher.close();
      await receiver.close();
    }
  });

  it('connects to the address it checked and resolves once per attempt (no rebinding)', async () => {
    const receiver = await startReceiver(200);
    const port = new URL(receiver.url).port;
    // The first answer is allowed; a second question would get a refused address.
    const { resolve, calls } = tableResolver({
      'rebind.example': (call) => [v4(call === 1 ? '127.0.0.1' : '10.0.0.1')],
    });
    const dispatcher = new WebhookDispatcher(undefined, Date.now,
      { ...fast, resolve, allow: RECEIVER_ALLOW });
    try {
      // .example never resolves through the system, so a hit proves the vetted address was used.
      await deliverOnce(dispatcher, `http://rebind.example:${port}/hook`);
      assert.equal(receiver.received.length, 1);
      assert.equal(receiver.received[0]?.headers.host, `rebind.example:${port}`);
      assert.equal(calls.get('rebind.example'), 1);
      assert.deepEqual(dispatcher.deadLetters('br-bank'), []);
    } finally {
      dispatcher.close();
      await receiver.close();
    }
  });

  it('does not follow a redirect: a 302 to another local server is a failed delivery', async () => {
    const target = await startReceiver(200);
    const redirecting = await startReceiver(302, { location: target.url });
    const server = await startTestServer({ webhookAllow: RECEIVER_ALLOW,
      webhookDelivery: { attemptsMax: 2, firstRetryMs: 5, retryMsMax: 10 } });
    const http = typed(server);
    try {
      assertStatus(await http.post('br-other', '/v1/webhooks', { url: redirecting.url }), 201);
      await pay(http, 'br-bank', domesticBody());
      let letters: { lastError: string }[] = [];
      await eventually('three dead letters', async () => {
        letters = (await http.get<{ deadLetters: { lastError: string }[] }>('br-other',
          '/v1/webhooks/dead-letters')).body.deadLetters;
        return letters.length >= 3;
      });
      assert.equal(redirecting.received.length, 6);
      assert.equal(target.received.length, 0, 'the redirect was followed');
      assert.ok(letters.every((letter) => letter.lastError === DELIVERY_FAILED));
    } finally {
      await server.close();
      await redirecting.close();
      await target.close();
    }
  });

  it('dead letters say only "delivery failed"; the log keeps the status', async () => {
    const receiver = await startReceiver(403);
    const log = collectingLog();
    const dispatcher = new WebhookDispatcher(undefined, Date.now,
      { ...fast, allow: RECEIVER_ALLOW, log });
    try {
      await deliverOnce(dispatcher, receiver.url);
      assert.equal(receiver.received.length, 2);
      const [letter] = dispatcher.deadLetters('br-bank');
      assert.equal(letter?.lastError, DELIVERY_FAILED);
      assert.deepEqual(log.lines.map((line) => [line.message, line.detail['problem'],
        line.detail['attempt'], line.detail['deadLettered']]), [
        ['webhook delivery failed', 'HTTP 403', 1, false],
        ['webhook delivery failed', 'HTTP 403', 2, true],
      ]);
      assert.equal(log.lines[0]?.detail['origin'], new URL(receiver.url).origin);
    } finally {
      dispatcher.close();
      await receiver.close();
    }
  });

  it('an endpoint saved before the rules is refused at delivery, and old letters lose their detail', async () => {
    const receiver = await startReceiver(200);
    const directory = mkdtempSync(join(tmpdir(), 'corridor-webhooks-'));
    const path = join(directory, 'webhooks.json');
    writeFileSync(path, JSON.stringify({
      endpoints: [{ id: 'wh_old', participantId: 'br-bank', url: receiver.url, secret: 'whsec_x',
        createdAt: '2024-01-01T00:00:00.000Z' }],
      deadLetters: [{ endpointId: 'wh_old', participantId: 'br-bank', url: receiver.url,
        body: '{}', attempts: 8, lastError: 'HTTP 401', failedAt: '2024-01-01T00:00:00.000Z' }],
    }));
    const dispatcher = new WebhookDispatcher(path, Date.now, fast);
    try {
      assert.deepEqual(dispatcher.deadLetters('br-bank').map((letter) => letter.lastError),
        [DELIVERY_FAILED]);
      dispatcher.publish(statusChange('br-bank'));
      await eventually('the delivery to settle', () => dispatcher.pending === 0);
      assert.equal(receiver.received.length, 0);
      // A URL refused as written is not retried: no later attempt could succeed.
      assert.deepEqual(dispatcher.deadLetters('br-bank').map((letter) => letter.attempts), [8, 1]);
    } finally {
      dispatcher.close();
      await receiver.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('webhook allow list', () => {
  it('opens exactly the listed addresses, ranges and names, in every IPv6 form of them', () => {
    const policy = webhookAddressPolicy(['127.0.0.1/32', '::1', '10.20.0.0/16', 'Receiver.Test.']);
    for (const url of ['http://127.0.0.1:9/', 'http://2130706433/', 'http://[::ffff:127.0.0.1]/',
      'http://[::1]/', 'http://10.20.30.40/', 'http://receiver.test/']) {
      assert.equal(policy.refusal(url), undefined, url);
    }
    for (const url of ['http://127.0.0.2/', 'http://10.21.0.1/', 'http://localhost/',
      'http://169.254.169.254/', 'https://user:pw@receiver.test/']) {
      assert.notEqual(policy.refusal(url), undefined, url);
    }
    assert.ok(policy.addressAllowed('::ffff:10.20.0.1'));
    assert.ok(policy.hostAllowed('RECEIVER.test'));
    assert.ok(!policy.addressAllowed('fe80::1%eth0'));
  });

  it('refuses an entry that is neither an address, a range nor a host name', () => {
    for (const entry of ['10.0.0.0/33', '::1/129', '1.2.3.4/x', '10.0.0.0/8/1', 'http://x', 'a b',
      '']) {
      assert.throws(() => webhookAddressPolicy([entry]), WebhookAllowListError, entry);
    }
  });

  it('a local receiver is refused without the allow list and delivered to with it', async () => {
    let receiver: Receiver | undefined;
    const closed = await startTestServer();
    const open = await startTestServer({ webhookAllow: RECEIVER_ALLOW });
    try {
      receiver = await startReceiver(200);
      assertError(await typed(closed).post('br-other', '/v1/webhooks', { url: receiver.url }),
        400, 'webhook_url_not_allowed', 'url');
      const http = typed(open);
      assertStatus(await http.post('br-other', '/v1/webhooks', { url: receiver.url }), 201);
      await pay(http, 'br-bank', domesticBody());
      const delivered = receiver;
      await eventually('a delivery', () => delivered.received.length > 0);
    } finally {
      await closed.close();
      await open.close();
      await receiver?.close();
    }
  });
});
