// Acceptance of the settlement queue over HTTP: three banks in three currencies, each able to
// fund 10% of what it owes. Gross settlement settles nothing; with the queue, the gridlock
// settles within one cycle — on SQLite and on PostgreSQL, and across a restart in the middle
// that keeps the queue and its order.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../api/server.js';
import { createKeys } from '../../service/bootstrap.js';
import { openNetwork, type Network } from '../../service/service.js';
import { PostgresStore } from '../../storage/postgres/postgres-store.js';
import { SqliteStore } from '../../storage/sqlite/sqlite-store.js';
import type { Store } from '../../storage/store.js';
import { freshDatabase, stopPostgres } from '../../testing/postgres.js';
import { GRIDLOCK_BANKS, gridlockConfig } from '../../testing/gridlock.js';
import { queueOrder } from './queue.js';

const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);

interface Node {
  readonly network: Network;
  readonly app: FastifyInstance;
  readonly url: string;
}

/** A server over `store`; configures the gridlock network on a new store. */
async function start(store: Store, clock: () => number, queue: boolean | undefined,
  keys: Record<string, string>): Promise<Node> {
  const network = await openNetwork({ store, batchDelayMs: 0, clock });
  if (queue !== undefined) {
    const results = await network.configureFrom(gridlockConfig(queue), clock());
    assert.deepEqual(results.filter((result) => result.code !== 'ok'), []);
    const ids = network.participants().map((participant) => participant.id);
    for (const key of await createKeys(network, ids)) keys[key.participantId] = key.key;
  }
  const { app } = await buildServer({ logLevel: false, network });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { network, app, url };
}

async function stop(node: Node): Promise<void> {
  await node.app.close();
  await node.network.close();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function call(node: Node, key: string | undefined, method: string, path: string,
  body?: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${node.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text.length > 0 ? JSON.parse(text) as Json : undefined };
}

/** Quotes and sends bank `index`'s payment of 100.00; returns the response. */
async function pay(node: Node, keys: Record<string, string>, index: number) {
  const bank = GRIDLOCK_BANKS[index] as (typeof GRIDLOCK_BANKS)[number];
  const quote = await call(node, keys[bank.id], 'POST', '/v1/quotes', {
    id: `q-${index}`, sourceCurrency: bank.currency, targetCurrency: bank.target, fixed: 'send',
    amount: '100.00',
  });
  if (quote.status !== 201 && quote.status !== 200) return quote;
  return call(node, keys[bank.id], 'POST', '/v1/payments', {
    id: `p-${index}`, creditorAgent: bank.pays, quoteId: `q-${index}`,
    debtor: { name: 'Importer' }, creditor: { name: 'Exporter' }, endToEndId: `e2e-${index}`,
  });
}

/** The whole scenario on one kind of store; `reopen` gives a fresh store on the same data. */
async function gridlockOver(reopen: () => Store | Promise<Store>): Promise<void> {
  let now = T0;
  const clock = (): number => now;
  const keys: Record<string, string> = {};
  let node = await start(await reopen(), clock, true, keys);
  try {
    for (const index of [0, 1]) {
      now += 1_000;
      const paid = await pay(node, keys, index);
      assert.equal(paid.status, 201, JSON.stringify(paid.body));
      assert.equal(paid.body.status, 'ACSP');
      assert.equal(paid.body.reason, 'AM04');
      assert.match(paid.body.detail, /^queued_/);
      assert.ok(paid.body.latestSettlementTime !== undefined);
    }
    const order = queueOrder(node.network.engine.state.queue).map((entry) => entry.paymentId);
    // A restart in the middle: the queue is rebuilt from the journal, in the same order.
    await stop(node);
    node = await start(await reopen(), clock, undefined, keys);
    assert.deepEqual(queueOrder(node.network.engine.state.queue).map((entry) => entry.paymentId),
      order);
    const listed = await call(node, keys['br-bank'], 'GET', '/v1/queue');
    assert.equal(listed.status, 200);
    assert.equal(listed.body.payments.length, 1);
    assert.equal(listed.body.payments[0].payment.id, 'p-0');
    assert.equal(listed.body.payments[0].position, 1);
    const depth = await call(node, keys['operator'], 'GET', '/v1/queue');
    assert.deepEqual(depth.body.depth, [
      { currency: 'BRL', count: 1, value: '100.00' }, { currency: 'INR', count: 1, value: '100.00' },
    ]);
    // The third payment closes the cycle: the pass at the end of its batch settles all three.
    now += 1_000;
    const third = await pay(node, keys, 2);
    assert.equal(third.status, 201);
    assert.equal(third.body.status, 'ACCC');
    for (const [index, bank] of GRIDLOCK_BANKS.entries()) {
      const read = await call(node, keys[bank.id], 'GET', `/v1/payments/p-${index}`);
      assert.equal(read.body.status, 'ACCC', `payment ${index}`);
      const accounts = await call(node, keys[bank.id], 'GET', `/v1/participants/${bank.id}/accounts`);
      assert.equal(accounts.status, 200);
    }
    const liquidity = await call(node, keys['operator'], 'GET', '/v1/liquidity');
    assert.equal(liquidity.status, 200);
    const brl = liquidity.body.currencies.find((figure: Json) => figure.currency === 'BRL');
    assert.equal(brl.offsetValue, '100.00');
    assert.equal(brl.queuedCount, 0);
    const metrics = await fetch(`${node.url}/metrics`,
      { headers: { authorization: `Bearer ${keys['operator'] ?? ''}` } });
    assert.match(await metrics.text(),
      /corridor_liquidity\{currency="BRL",figure="offset_value"\} 100\n/);
    const own = await call(node, keys['br-bank'], 'GET', '/v1/liquidity');
    assert.deepEqual(own.body.currencies, []);
    assert.ok(own.body.participants.every((figure: Json) => figure.participant === 'br-bank'));
  } finally {
    await stop(node);
  }
}

describe('a three-bank gridlock over HTTP', () => {
  after(async () => {
    await stopPostgres();
  });

  it('gross settlement (no queue) settles nothing', async () => {
    const now = T0;
    const keys: Record<string, string> = {};
    const node = await start(new SqliteStore({ path: ':memory:' }), () => now, false, keys);
    try {
      for (const index of [0, 1, 2]) {
        const paid = await pay(node, keys, index);
        // The FX provider cannot back 100.00 with its 10.00: no quote, no payment.
        assert.equal(paid.status, 422);
        assert.equal(paid.body.error.code, 'no_offer');
      }
      const domestic = await call(node, keys['br-bank'], 'POST', '/v1/payments', {
        creditorAgent: 'fx', currency: 'BRL', amount: '100.00', debtor: { name: 'A' },
        creditor: { name: 'B' }, endToEndId: 'e2e-domestic',
      });
      assert.equal(domestic.body.status, 'RJCT');
      assert.equal(domestic.body.reason, 'AM04');
    } finally {
      await stop(node);
    }
  });

  it('with the queue, settles every payment within one cycle on SQLite, across a restart', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'corridor-gridlock-'));
    try {
      await gridlockOver(() => new SqliteStore({ path: join(directory, 'journal.db') }));
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('with the queue, settles every payment within one cycle on PostgreSQL, across a restart',
    async () => {
      const url = await freshDatabase('corridor_gridlock');
      await gridlockOver(() => new PostgresStore({ connectionString: url }));
    });
});
