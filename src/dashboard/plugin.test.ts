// Proves the dashboard plugin over HTTP: the app is served at / with a strict policy (and a
// page saying how to build it when there is no build); the event stream takes the
// Authorization header or a single-use short-lived token, never a key in the URL; each
// caller's stream carries only the payments it may see, stats only for its corridors (value
// settled today per pair, exact), replays what a reconnecting client missed, and ends when
// its key is revoked; the server still closes promptly with streams open.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  assertError,
  assertStatus,
  crossBorderBody,
  eventually,
  pay,
  quote,
  typed,
  type Http,
} from '../testing/api-helpers.js';
import { startTestServer, type TestServer } from '../testing/server-fixtures.js';
import { CONTENT_SECURITY_POLICY, dashboardPlugin } from './plugin.js';
import type { HelloMessage, PaymentsMessage, StatsMessage } from './protocol.js';
import { StreamTokens, STREAM_LIMITS } from './stream.js';
import { HttpError } from '../api/errors.js';

interface Message {
  readonly event: string;
  readonly data: unknown;
  readonly id?: string;
}

/** An open event stream, parsed as it arrives. */
interface Stream {
  readonly messages: Message[];
  readonly status: number;
  close(): void;
}

async function openStream(url: string, headers: Record<string, string> = {}): Promise<Stream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  const messages: Message[] = [];
  if (response.ok && response.body !== null) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const field = (name: string): string | undefined =>
              block
                .split('\n')
                .find((line) => line.startsWith(`${name}: `))
                ?.slice(name.length + 2);
            const event = field('event');
            const data = field('data');
            const id = field('id');
            if (event !== undefined && data !== undefined) {
              messages.push({ event, data: JSON.parse(data), ...(id === undefined ? {} : { id }) });
            }
            end = buffer.indexOf('\n\n');
          }
        }
      } catch {
        // Aborted by close().
      }
    })();
  } else {
    await response.text();
  }
  return { messages, status: response.status, close: () => controller.abort() };
}

function paymentIds(stream: Stream): string[] {
  return stream.messages
    .filter((message) => message.event === 'payments')
    .flatMap((message) =>
      (message.data as PaymentsMessage).changes.map((change) => change.paymentId),
    );
}

function lastStats(stream: Stream): StatsMessage | undefined {
  const stats = stream.messages.filter((message) => message.event === 'stats');
  return stats[stats.length - 1]?.data as StatsMessage | undefined;
}

/** Waits for a stats frame sent after the stream's `count`-th message. */
async function nextStats(stream: Stream): Promise<StatsMessage> {
  const seen = stream.messages.length;
  await eventually('a stats frame', () =>
    stream.messages.slice(seen).some((m) => m.event === 'stats'),
  );
  return lastStats(stream) as StatsMessage;
}

describe('the dashboard plugin', () => {
  let server: TestServer;
  let http: Http;
  let dist: string;
  const streams: Stream[] = [];

  before(async () => {
    dist = mkdtempSync(join(tmpdir(), 'corridor-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(
      join(dist, 'index.html'),
      '<!doctype html><title>Corridor</title><script type="module" src="/assets/app-1.js"></script>',
    );
    writeFileSync(join(dist, 'assets', 'app-1.js'), 'console.log("corridor");');
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    server = await startTestServer({ plugins: [dashboardPlugin({ distDir: dist })] });
    http = typed(server);
  });

  after(async () => {
    for (const stream of streams) stream.close();
    await server.close();
    rmSync(dist, { recursive: true, force: true });
  });

  async function stream(as: string, after?: number): Promise<Stream> {
    const token = await http.post<{ token: string; expiresAt: string }>(as, '/v1/stream/tokens');
    assertStatus(token, 201);
    const opened = await openStream(
      `${server.url}/v1/stream?token=${token.body.token}` +
        (after === undefined ? '' : `&after=${after}`),
    );
    assert.equal(opened.status, 200);
    streams.push(opened);
    await eventually('the hello message', () => opened.messages.some((m) => m.event === 'hello'));
    return opened;
  }

  it('serves the app at / with a strict policy, and its assets without a key', async () => {
    const page = await fetch(`${server.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(page.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
    assert.match(CONTENT_SECURITY_POLICY, /script-src 'self'/);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.match(await page.text(), /<title>Corridor<\/title>/);
    const asset = await fetch(`${server.url}/assets/app-1.js`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
    assert.equal((await fetch(`${server.url}/favicon.svg`)).status, 200);
    assert.equal((await fetch(`${server.url}/assets/missing.js`)).status, 404);
    assert.equal((await fetch(`${server.url}/index.html`)).status, 401);
  });

  it('without a build, / answers 503 with a page saying to run npm run build:web', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'corridor-nodist-'));
    const bare = await startTestServer({ plugins: [dashboardPlugin({ distDir: empty })] });
    try {
      const page = await fetch(`${bare.url}/`);
      assert.equal(page.status, 503);
      assert.match(await page.text(), /npm run build:web/);
      assertStatus(await bare.call('br-bank', 'GET', '/v1/status'), 200);
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('opens a stream with the Authorization header, or a token once; never with a key in the URL', async () => {
    const byHeader = await openStream(`${server.url}/v1/stream`, {
      authorization: `Bearer ${server.keys['br-bank']}`,
    });
    streams.push(byHeader);
    assert.equal(byHeader.status, 200);
    await eventually('hello', () => byHeader.messages.some((m) => m.event === 'hello'));
    const hello = byHeader.messages.find((m) => m.event === 'hello')?.data as HelloMessage;
    assert.deepEqual([hello.participantId, hello.kind], ['br-bank', 'bank']);

    const token = await http.post<{ token: string }>('br-bank', '/v1/stream/tokens');
    assert.equal(token.headers.get('cache-control'), 'no-store');
    const first = await openStream(`${server.url}/v1/stream?token=${token.body.token}`);
    streams.push(first);
    assert.equal(first.status, 200);
    assert.equal(
      (await openStream(`${server.url}/v1/stream?token=${token.body.token}`)).status,
      401,
    );
    assert.equal((await openStream(`${server.url}/v1/stream`)).status, 401);
    assert.equal((await openStream(`${server.url}/v1/stream?token=st_forged`)).status, 401);
    const inUrl = await server.call(undefined, 'GET', `/v1/stream?key=${server.keys['br-bank']}`);
    assertError({ ...inUrl, body: inUrl.body }, 400, 'key_in_url', 'key');
    assertError(await http.post(undefined, '/v1/stream/tokens'), 401, 'unauthenticated');
  });

  it('tokens expire after 30 seconds', () => {
    let now = 0;
    const tokens = new StreamTokens(() => now);
    const caller = { participant: { id: 'br-bank' }, keyId: 'k1' } as Parameters<
      StreamTokens['issue']
    >[0];
    const late = tokens.issue(caller);
    const early = tokens.issue(caller);
    now += STREAM_LIMITS.tokenTtlMs;
    assert.equal(tokens.redeem(early.token)?.participantId, 'br-bank');
    now += 1;
    assert.equal(tokens.redeem(late.token), undefined);
  });

  it('a participant holds at most tokensPerParticipantMax unused tokens (429 too_many_stream_tokens); others are not affected', () => {
    const tokens = new StreamTokens(() => 0);
    const callerOf = (id: string) =>
      ({ participant: { id }, keyId: `k-${id}` }) as Parameters<StreamTokens['issue']>[0];
    const issued = Array.from({ length: STREAM_LIMITS.tokensPerParticipantMax }, () =>
      tokens.issue(callerOf('br-bank')),
    );
    assert.throws(
      () => tokens.issue(callerOf('br-bank')),
      (error: unknown) =>
        error instanceof HttpError &&
        error.statusCode === 429 &&
        error.code === 'too_many_stream_tokens',
    );
    assert.ok(tokens.issue(callerOf('br-other')).token.startsWith('st_'));
    assert.ok(tokens.redeem(issued[0]?.token ?? '') !== undefined);
    assert.ok(tokens.issue(callerOf('br-bank')).token.startsWith('st_'));
  });

  it('a participant holds at most connectionsPerParticipantMax open streams (429 too_many_streams)', async () => {
    const own = await startTestServer({ plugins: [dashboardPlugin({ distDir: dist })] });
    const opened: Stream[] = [];
    try {
      const as = (id: string) => ({ authorization: `Bearer ${own.keys[id]}` });
      for (let index = 0; index < STREAM_LIMITS.connectionsPerParticipantMax; index++) {
        const one = await openStream(`${own.url}/v1/stream`, as('in-bank'));
        opened.push(one);
        assert.equal(one.status, 200);
      }
      const refused = await fetch(`${own.url}/v1/stream`, { headers: as('in-bank') });
      assert.equal(refused.status, 429);
      assert.equal(
        ((await refused.json()) as { error: { code: string } }).error.code,
        'too_many_streams',
      );
      const other = await openStream(`${own.url}/v1/stream`, as('cn-bank'));
      opened.push(other);
      assert.equal(other.status, 200);
    } finally {
      for (const one of opened) one.close();
      await own.close();
    }
  });

  it('each stream carries only the payments its caller may see, and stats for its corridors', async () => {
    const who = [
      'br-bank',
      'in-bank',
      'fx-one',
      'bcb',
      'rbi',
      'operator',
      'br-other',
      'cn-bank',
      'pboc',
    ];
    const opened = new Map<string, Stream>();
    for (const id of who) opened.set(id, await stream(id));
    const given = await quote(http, '100.00');
    const payment = await pay(http, 'br-bank', crossBorderBody(given.id));
    const sees = ['br-bank', 'in-bank', 'fx-one', 'bcb', 'rbi', 'operator'];
    for (const id of sees) {
      await eventually(`${id} hears of the payment`, () =>
        paymentIds(opened.get(id) as Stream).includes(payment.networkId),
      );
    }
    for (const id of who) {
      const stats = await nextStats(opened.get(id) as Stream);
      const pairs = stats.corridors.map((c) => `${c.source}>${c.target}`);
      assert.equal(pairs.includes('BRL>INR'), sees.includes(id), `${id}: ${pairs.join(',')}`);
    }
    for (const id of ['br-other', 'cn-bank', 'pboc']) {
      assert.ok(!paymentIds(opened.get(id) as Stream).includes(payment.networkId), `${id} heard of it`);
    }
    const change = (opened.get('in-bank') as Stream).messages
      .filter((m) => m.event === 'payments')
      .flatMap((m) => (m.data as PaymentsMessage).changes)
      .find((c) => c.status === 'ACCC');
    assert.deepEqual(change?.creditAmount, payment.creditAmount);
  });

  it('stats: value settled today per currency pair, exactly', async () => {
    const operator = await stream('operator');
    const before = (await nextStats(operator)).corridors.find(
      (c) => c.source === 'BRL' && c.target === 'INR',
    );
    const first = await pay(http, 'br-bank', crossBorderBody((await quote(http, '10.01')).id));
    const second = await pay(http, 'br-bank', crossBorderBody((await quote(http, '123456.78')).id));
    assert.deepEqual([first.status, second.status], ['ACCC', 'ACCC']);
    await eventually('both settled', () => paymentIds(operator).includes(second.networkId));
    const corridor = (await nextStats(operator)).corridors.find(
      (c) => c.source === 'BRL' && c.target === 'INR',
    );
    assert.ok(corridor !== undefined);
    assert.equal(corridor.settledToday, (before?.settledToday ?? 0) + 2);
    const minor = (text: string | undefined): bigint => BigInt((text ?? '0.00').replace('.', ''));
    assert.equal(
      minor(corridor.sentToday.amount) - minor(before?.sentToday.amount),
      minor(first.sendAmount.amount) + minor(second.sendAmount.amount),
    );
    assert.equal(
      minor(corridor.creditedToday.amount) - minor(before?.creditedToday.amount),
      minor(first.creditAmount.amount) + minor(second.creditAmount.amount),
    );
    assert.equal(corridor.withinHourToday, corridor.settledToday);
  });

  it("stats: today is the network clock's UTC day, and starts afresh at midnight", async () => {
    // Its own server, so that moving the clock moves nobody else's: the figures follow the
    // network's injected clock, never the machine's date.
    const own = await startTestServer({ plugins: [dashboardPlugin({ distDir: dist })] });
    const ownHttp = typed(own);
    try {
      const dayStart = Math.floor(own.now() / 86_400_000) * 86_400_000;
      own.advance(dayStart + 86_400_000 - 30_000 - own.now()); // 23:59:30 UTC
      const token = await ownHttp.post<{ token: string }>('operator', '/v1/stream/tokens');
      const operator = await openStream(`${own.url}/v1/stream?token=${token.body.token}`);
      streams.push(operator);
      const brlInr = (frame: StatsMessage) =>
        frame.corridors.find((c) => c.source === 'BRL' && c.target === 'INR');
      const late = await pay(ownHttp, 'br-bank', crossBorderBody((await quote(ownHttp)).id));
      assert.equal(late.status, 'ACCC');
      await eventually('the late payment', () => paymentIds(operator).includes(late.networkId));
      const before = await nextStats(operator);
      assert.equal(before.day, new Date(dayStart).toISOString().slice(0, 10));
      assert.equal(brlInr(before)?.settledToday, 1);
      own.advance(60_000); // 00:00:30 UTC the next day: nothing settled yet today
      const after = await nextStats(operator);
      assert.equal(after.day, new Date(dayStart + 86_400_000).toISOString().slice(0, 10));
      assert.equal(brlInr(after)?.settledToday ?? 0, 0);
      const early = await pay(ownHttp, 'br-bank', crossBorderBody((await quote(ownHttp)).id));
      await eventually('the early payment', () => paymentIds(operator).includes(early.networkId));
      assert.equal(brlInr(await nextStats(operator))?.settledToday, 1);
    } finally {
      await own.close();
    }
  });

  it('replays to a reconnecting client what it missed (?after=)', async () => {
    const first = await stream('in-bank');
    const hello = first.messages.find((m) => m.event === 'hello')?.data as HelloMessage;
    first.close();
    const missed = await pay(http, 'br-bank', crossBorderBody((await quote(http)).id));
    const again = await stream('in-bank', hello.sequence);
    assert.ok(paymentIds(again).includes(missed.networkId), 'the missed payment was not replayed');
    const replayed = again.messages.findIndex((m) => m.event === 'payments');
    assert.ok(
      replayed < again.messages.findIndex((m) => m.event === 'stats'),
      'replay comes before stats',
    );
  });

  it('ends the stream when its key is revoked', async () => {
    const created = await http.post<{ key: string; keyId: string }>('cn-bank', '/v1/keys', {
      label: 'wall',
    });
    const opened = await openStream(`${server.url}/v1/stream`, {
      authorization: `Bearer ${created.body.key}`,
    });
    streams.push(opened);
    assert.equal(opened.status, 200);
    assertStatus(await http.del('cn-bank', `/v1/keys/${created.body.keyId}`), 200);
    await eventually('the revoked message', () =>
      opened.messages.some((m) => m.event === 'revoked'),
    );
  });

  it('closes the server promptly with streams open', async () => {
    const other = await startTestServer({ plugins: [dashboardPlugin({ distDir: dist })] });
    const opened = await openStream(`${other.url}/v1/stream`, {
      authorization: `Bearer ${other.keys['bcb']}`,
    });
    assert.equal(opened.status, 200);
    await other.close();
    opened.close();
  });
});
