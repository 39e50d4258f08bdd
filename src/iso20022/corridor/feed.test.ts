// Proves the outgoing side over HTTP: the ISO 20022 feed gives each participant the pacs.002
// and camt.054 messages of its payments, valid and paged by cursor, the same after a restart
// (with duplicate MsgIds still caught); statements (camt.053) carry the day's balances and
// entries, visible as the JSON statement is.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { iso20022Plugin } from '../../api/routes/iso20022.js';
import { buildServer } from '../../api/server.js';
import { createKeys } from '../../service/bootstrap.js';
import { SqliteStore } from '../../storage/sqlite/sqlite-store.js';
import { domesticBody } from '../../testing/api-helpers.js';
import { openTestNetwork, type TestNetwork } from '../../testing/network-fixtures.js';
import { closeSchemaValidator } from '../schema-validation.js';
import {
  assertValid,
  creditTransfer,
  feedMessages,
  groupStatus,
  parsed,
  transaction,
} from './_test-support.js';

const directory = mkdtempSync(join(tmpdir(), 'corridor-iso-feed-'));
const DAY_MS = 86_400_000;

interface Node {
  readonly test: TestNetwork;
  readonly app: FastifyInstance;
  readonly url: string;
}

async function startNode(path: string, first: boolean): Promise<Node> {
  const test = await openTestNetwork({ store: new SqliteStore({ path }), configure: first });
  const { app } = await buildServer({
    network: test.network,
    logLevel: false,
    plugins: [iso20022Plugin()],
  });
  return { test, app, url: await app.listen({ port: 0, host: '127.0.0.1' }) };
}

async function stopNode(node: Node): Promise<void> {
  await node.app.close();
  await node.test.network.close();
}

describe('ISO 20022 feed and statements over HTTP', () => {
  const path = join(directory, 'corridor.db');
  let node: Node;
  let keys: Record<string, string> = {};
  after(async () => {
    await stopNode(node);
    await closeSchemaValidator();
    rmSync(directory, { recursive: true, force: true });
  });

  async function request(
    as: string,
    method: string,
    route: string,
    body?: string,
    type = 'application/xml',
  ) {
    const response = await fetch(`${node.url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${keys[as]}`,
        ...(body === undefined ? {} : { 'content-type': type }),
      },
      ...(body === undefined ? {} : { body }),
    });
    return { status: response.status, text: await response.text(), headers: response.headers };
  }

  const feed = async (as: string, query = 'cursor=0&limit=200') =>
    await request(as, 'GET', `/v1/iso20022/events?${query}`);
  const kinds = (messages: readonly string[]) => messages.map((message) => parsed(message).kind);
  let firstMessage = '';

  it('each participant gets the pacs.002s of its payments and a camt.054 per settled account', async () => {
    node = await startNode(path, true);
    keys = Object.fromEntries(
      (
        await createKeys(
          node.test.network,
          node.test.network.participants().map((p) => p.id),
        )
      ).map((k) => [k.participantId, k.key]),
    );
    firstMessage = creditTransfer([transaction(), transaction()]);
    assert.equal(
      (await request('br-bank', 'POST', '/v1/iso20022/messages', firstMessage)).status,
      200,
    );
    const json = await request(
      'br-bank',
      'POST',
      '/v1/payments',
      JSON.stringify(domesticBody()),
      'application/json',
    );
    assert.equal(json.status, 201, json.text);
    const debtor = feedMessages((await feed('br-bank')).text);
    // Three payments, each ACTC, ACSC, ACCC (pacs.002) and one camt.054 once settled.
    assert.deepEqual(
      kinds(debtor),
      Array.from({ length: 3 }, () => ['pacs.002', 'pacs.002', 'pacs.002', 'camt.054']).flat(),
    );
    for (const message of debtor) await assertValid(message);
    const notification = parsed(debtor[3] ?? '');
    assert.equal(notification.kind, 'camt.054');
    if (notification.kind === 'camt.054') {
      const entries = notification.document.notifications[0]?.entries ?? [];
      assert.deepEqual(
        entries.map((entry) => [entry.creditDebit, entry.amount.value]),
        [
          ['DBIT', 1_000n],
          ['DBIT', 50n],
        ],
      );
    }
    const creditor = feedMessages((await feed('br-other')).text);
    assert.equal(kinds(creditor).filter((kind) => kind === 'camt.054').length, 3);
    assert.equal(
      kinds(feedMessages((await feed('bcb')).text)).filter((kind) => kind === 'camt.054').length,
      0,
    );
    assert.equal(feedMessages((await feed('in-bank')).text).length, 0);
  });

  it('pages follow the cursor: nothing missed, nothing repeated', async () => {
    const whole = feedMessages((await feed('br-bank')).text);
    const paged: string[] = [];
    let cursor = '0';
    for (let pages = 0; pages < 20; pages++) {
      const page = await feed('br-bank', `cursor=${cursor}&limit=2`);
      const next = page.headers.get('corridor-cursor') ?? cursor;
      paged.push(...feedMessages(page.text));
      if (next === cursor) break;
      cursor = next;
    }
    assert.deepEqual(paged, whole);
    assert.equal((await feed('br-bank', 'cursor=abc')).status, 400);
  });

  it('after a restart the feed gives the same messages, and a used MsgId is still a duplicate', async () => {
    const before = (await feed('br-bank')).text;
    await stopNode(node);
    node = await startNode(path, false);
    assert.equal((await feed('br-bank')).text, before);
    const again = await request('br-bank', 'POST', '/v1/iso20022/messages', firstMessage);
    assert.deepEqual(groupStatus(again.text), { status: 'RJCT', reason: 'DUPL' });
  });

  it("camt.053 carries the day's opening and closing booked balances and its entries", async () => {
    const statement = async (as: string, query: string) =>
      request(as, 'GET', `/v1/iso20022/statements?${query}`);
    const dayOne = await statement('br-bank', 'participant=br-bank&currency=BRL&date=2026-11-21');
    assert.equal(dayOne.status, 200, dayOne.text);
    await assertValid(dayOne.text);
    const balances = (xml: string) => {
      const message = parsed(xml);
      if (message.kind !== 'camt.053') return assert.fail(message.kind);
      const report = message.document.statements[0];
      return {
        balances: report?.balances?.map((b) => [b.type, b.creditDebit, b.amount.value]),
        entries: report?.entries.length,
      };
    };
    const posted = node.test.network.balance('br-bank', 'BRL')?.posted ?? 0n;
    // Issuance, then three payments of a payment leg and a fee leg each.
    assert.deepEqual(balances(dayOne.text), {
      balances: [
        [{ code: 'OPBD' }, 'CRDT', 0n],
        [{ code: 'CLBD' }, 'CRDT', posted],
      ],
      entries: 7,
    });
    node.test.advance(DAY_MS);
    assert.equal(
      (await request('br-bank', 'POST', '/v1/iso20022/messages', creditTransfer([transaction()])))
        .status,
      200,
    );
    const dayTwo = await statement('br-bank', 'participant=br-bank&currency=BRL&date=2026-11-22');
    assert.deepEqual(balances(dayTwo.text), {
      balances: [
        [{ code: 'OPBD' }, 'CRDT', posted],
        [{ code: 'CLBD' }, 'CRDT', posted - 1_050n],
      ],
      entries: 2,
    });
    const issuance = await statement('bcb', 'participant=bcb&currency=BRL&date=2026-11-21');
    assert.equal(issuance.status, 200, issuance.text);
    assert.equal(balances(issuance.text).balances?.[1]?.[1], 'DBIT');
  });

  it('statements are visible as JSON statements are; bad dates and unknown accounts are refused', async () => {
    const status = async (as: string, query: string) =>
      (await request(as, 'GET', `/v1/iso20022/statements?${query}`)).status;
    const account = 'participant=br-bank&currency=BRL&date=2026-11-21';
    assert.equal(await status('bcb', account), 200);
    assert.equal(await status('operator', account), 200);
    assert.equal(await status('br-other', account), 403);
    assert.equal(await status('rbi', account), 403);
    assert.equal(await status('br-bank', 'participant=nobody&currency=BRL&date=2026-11-21'), 404);
    assert.equal(await status('br-bank', 'participant=br-bank&currency=CNY&date=2026-11-21'), 404);
    assert.equal(await status('operator', 'participant=br-bank&currency=CNY&date=2026-11-21'), 404);
    assert.equal(await status('br-bank', 'participant=br-bank&currency=BRL&date=2026-02-30'), 400);
    assert.equal(await status('br-bank', 'participant=br-bank&currency=BRL'), 400);
    assert.equal(await status('br-bank', `${account}&page=2`), 404);
  });
});
