// The network's read interface on both stores: payments, quotes and the event feed come from
// the projections written with each batch, with filters, cursors and visibility, and a caller
// reads its own writes at once (a file-backed SQLite store, whose projector runs on its own
// thread behind the journal, and PostgreSQL).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Payment } from '../engine/payments/model.js';
import { viewerOf, type Viewer } from '../engine/payments/visibility.js';
import { PostgresStore } from '../storage/postgres/postgres-store.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import type { Store } from '../storage/store.js';
import { openTestNetwork, paymentInput, type TestNetwork } from '../testing/network-fixtures.js';
import { freshDatabase, stopPostgres, testPostgres } from '../testing/postgres.js';
import { EVENT_SCAN_MAX, type ChangeCursor } from './reads.js';
import type { Network } from './service.js';

function viewer(network: Network, id: string): Viewer {
  const participant = network.participant(id);
  assert.ok(participant !== undefined, id);
  return viewerOf(participant, network.currencies());
}

async function pay(test: TestNetwork, from: string, to: string, id: string): Promise<Payment> {
  const result = await test.network.pay(from, paymentInput({ id, creditorAgent: to,
    currency: 'BRL', amount: 100n }));
  assert.equal(result.code, 'ok', `${result.code}: ${result.message ?? ''}`);
  assert.ok(result.payment !== undefined);
  return result.payment;
}

async function readCases(open: () => Promise<{ test: TestNetwork; cleanup: () => Promise<void> }>) {
  const { test, cleanup } = await open();
  const { network } = test;
  try {
    // Read-your-writes: each payment is readable the moment its submit resolves.
    const made: Payment[] = [];
    for (let index = 0; index < 7; index++) {
      const payment = await pay(test, 'br-bank', 'br-other', `own-${index}`);
      const read = await network.reads.paymentOf('br-bank', `own-${index}`);
      assert.equal(read?.id, payment.id);
      assert.equal(read?.status, payment.status);
      assert.equal(read?.debitAmount, payment.debitAmount, 'bigints come back as bigints');
      assert.deepEqual(read?.legs, payment.legs);
      made.push(payment);
      test.advance(1_000);
    }
    // A counterparty names it by network id, not by the owner's client id.
    assert.equal((await network.reads.paymentOf('br-other', 'own-0'))?.id, undefined);
    assert.equal((await network.reads.paymentOf('br-other', made[0]?.id ?? ''))?.id, made[0]?.id);

    // Newest first, in pages, with a cursor that stays valid as payments change.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await network.reads.payments({ participant: 'br-bank' },
        { limit: 3, ...(cursor === undefined ? {} : { cursor }) });
      assert.ok(page.payments.length <= 3);
      seen.push(...page.payments.map((payment) => payment.clientId));
      cursor = page.next;
    } while (cursor !== undefined);
    assert.deepEqual(seen, made.map((payment) => payment.clientId).reverse());

    // Filters: time range, status, currency, kind.
    const from = made[2]?.createdAt ?? 0;
    const to = made[5]?.createdAt ?? 0;
    const ranged = await network.reads.payments({ from, to }, { limit: 50 });
    assert.deepEqual(ranged.payments.map((payment) => payment.clientId), ['own-4', 'own-3', 'own-2']);
    assert.equal((await network.reads.payments({ status: 'RJCT' }, { limit: 50 })).payments.length,
      0);
    assert.equal((await network.reads.payments({ currency: 'CNY' }, { limit: 50 })).payments.length,
      0);
    assert.equal((await network.reads.payments({ kind: 'return' }, { limit: 50 })).payments.length,
      0);

    // Visibility: parties and the currency's issuer see it; others do not.
    const listFor = async (id: string): Promise<number> =>
      (await network.reads.payments({ viewer: viewer(network, id) }, { limit: 50 })).payments
        .filter((payment) => payment.sourceCurrency === 'BRL').length;
    assert.equal(await listFor('br-other'), 7);
    assert.equal(await listFor('bcb'), 7);
    assert.equal(await listFor('operator'), 7);
    assert.equal(await listFor('in-bank'), 0);
    assert.equal(await listFor('rbi'), 0);

    // The event feed: numbered, oldest first, per audience, read right after the writes.
    const all = await network.reads.events(0, 1_000);
    assert.equal(all.events.length, network.lastEventSequence);
    assert.deepEqual(all.events.map((item) => item.sequence),
      all.events.map((_item, index) => index + 1));
    assert.equal(all.cursor, network.lastEventSequence);
    const theirs = await network.reads.events(0, 1_000, viewer(network, 'br-other'));
    assert.ok(theirs.events.length > 0);
    assert.ok(theirs.events.every((item) => item.event.audience.includes('br-other')));
    assert.equal((await network.reads.events(0, 1_000, viewer(network, 'in-bank'))).events.length,
      0);
    const paged = await network.reads.events(0, 2);
    assert.equal(paged.events.length, 2);
    assert.equal(paged.cursor, 2);
    const rest = await network.reads.events(paged.cursor, 1_000);
    assert.equal(rest.events[0]?.sequence, 3);
    const none = await network.reads.events(0, 10, viewer(network, 'cn-bank'));
    assert.deepEqual(none,
      { events: [], cursor: Math.min(EVENT_SCAN_MAX, network.lastEventSequence) });

    // Quotes: the owner's by its id, the network's by network id.
    const quoted = await network.quote('br-bank', { source: 'BRL', target: 'INR', fixed: 'send',
      amount: 10_000n, quoteId: 'q-1' });
    assert.equal(quoted.code, 'ok');
    const quote = await network.reads.quoteOf('br-bank', 'q-1');
    assert.equal(quote?.sendAmount, 10_000n);
    assert.equal((await network.reads.quote(quote?.id ?? ''))?.clientId, 'q-1');
    assert.equal(await network.reads.quoteOf('in-bank', 'q-1'), undefined);
    assert.equal(await network.reads.paymentCount(), made.length);
    // The count is kept by triggers (an upsert that updates a row does not count it again):
    // it is what counting the rows gives.
    const [counted] = await network.store.queryProjection('SELECT COUNT(*) AS n FROM payments', []);
    assert.equal(Number(counted?.['n']), await network.reads.paymentCount());
    // Every payment, paged by last change then position (what the dashboard seeds from).
    const changed: string[] = [];
    let position: ChangeCursor | undefined;
    do {
      const page = await network.reads.paymentsChangedSince(Number.NEGATIVE_INFINITY,
        { limit: 4, ...(position === undefined ? {} : { after: position }) });
      changed.push(...page.payments.map((payment) => payment.clientId));
      position = page.next;
    } while (position !== undefined);
    assert.deepEqual(changed, made.map((payment) => payment.clientId));
    const lastChange = await network.reads.lastPaymentChange();
    assert.equal(lastChange, made[made.length - 1]?.updatedAt);
    assert.equal((await network.reads.paymentsChangedSince(lastChange ?? 0, { limit: 10 }))
      .payments.length, 1);

    // A two-phase payment is written twice (reserved, then accepted): counted once.
    const before = await network.reads.paymentCount();
    const reserved = await network.pay('br-bank', paymentInput({ id: 'two-phase',
      creditorAgent: 'br-other', currency: 'BRL', amount: 100n, mode: 'two_phase' }));
    assert.equal(reserved.code, 'ok');
    assert.equal(reserved.payment?.status, 'ACSP');
    const accepted = await network.accept('br-other', reserved.payment?.id ?? '');
    assert.equal(accepted.code, 'ok', accepted.message);
    assert.equal((await network.reads.payment(reserved.payment?.id ?? ''))?.status, 'ACCC');
    assert.equal(await network.reads.paymentCount(), before + 1);
    const [recounted] = await network.store.queryProjection('SELECT COUNT(*) AS n FROM payments',
      []);
    assert.equal(Number(recounted?.['n']), before + 1);

    // Paged by last change: every payment exactly once, in order of change; the two-phase
    // payment, created before its acceptance changed it, comes last.
    const byChange: Payment[] = [];
    let changeCursor: ChangeCursor | undefined;
    do {
      const page = await network.reads.paymentsChangedSince(Number.NEGATIVE_INFINITY,
        { limit: 2, ...(changeCursor === undefined ? {} : { after: changeCursor }) });
      byChange.push(...page.payments);
      changeCursor = page.next;
    } while (changeCursor !== undefined);
    assert.equal(byChange.length, before + 1);
    assert.equal(new Set(byChange.map((payment) => payment.id)).size, byChange.length);
    assert.ok(byChange.every((payment, index) =>
      index === 0 || (byChange[index - 1]?.updatedAt ?? 0) <= payment.updatedAt));
    assert.equal(byChange[byChange.length - 1]?.id, reserved.payment?.id);
    assert.equal(await network.reads.lastPaymentChange(), byChange[byChange.length - 1]?.updatedAt);
  } finally {
    await cleanup();
  }
}

describe('NetworkReads on SQLite (file, projector thread)', () => {
  it('serves payments, quotes and the feed from the projections, reading its own writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corridor-reads-'));
    await readCases(async () => {
      const store: Store = new SqliteStore({ path: join(dir, 'corridor.db'), synchronous: 'off' });
      const test = await openTestNetwork({ store });
      return { test, cleanup: async () => {
        await test.network.close();
        rmSync(dir, { recursive: true, force: true });
      } };
    });
  });

  it('after a restart, the feed numbering and the projections carry on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corridor-reads-'));
    const path = join(dir, 'corridor.db');
    try {
      const first = await openTestNetwork({ store: new SqliteStore({ path, synchronous: 'off' }) });
      await pay(first, 'br-bank', 'br-other', 'before');
      const last = first.network.lastEventSequence;
      await first.network.close();
      const again = await openTestNetwork({ store: new SqliteStore({ path, synchronous: 'off' }),
        configure: false });
      assert.equal(again.network.lastEventSequence, last);
      await pay(again, 'br-bank', 'br-other', 'after');
      const feed = await again.network.reads.events(0, 1_000);
      assert.deepEqual(feed.events.map((item) => item.sequence),
        feed.events.map((_item, index) => index + 1), 'one numbering across the restart');
      const page = await again.network.reads.payments({}, { limit: 10 });
      assert.deepEqual(page.payments.map((payment) => payment.clientId), ['after', 'before']);
      await again.network.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('NetworkReads on PostgreSQL', () => {
  before(async () => {
    await testPostgres();
  });

  after(async () => {
    await stopPostgres();
  });

  it('serves payments, quotes and the feed from the projections, reading its own writes', async () => {
    const url = await freshDatabase('corridor_reads');
    await readCases(async () => {
      const test = await openTestNetwork({ store: new PostgresStore({ connectionString: url }) });
      return { test, cleanup: () => test.network.close() };
    });
  });
});
