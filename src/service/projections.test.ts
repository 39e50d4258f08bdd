// A payment's and a quote's JSON in the projections gives back the same record: every bigint
// field (amounts of fees, legs and declared charges too) comes back a bigint, exactly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Quote } from '../engine/fx/quotes.js';
import type { Payment } from '../engine/payments/model.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openConnection, projectionPathOf } from '../storage/sqlite/connection.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import {
  audienceFromText, audienceText, NETWORK_LAYER, paymentFromJson, paymentJson, quoteFromJson,
  quoteJson,
} from './projections.js';
import { NetworkReads } from './reads.js';

const BIG = 2n ** 62n + 1n;

/** A route through a third currency (src/engine/routes.ts): every hop's amounts are bigints. */
const ROUTE: NonNullable<Quote['route']> = [
  { providerId: 'fx-one', source: 'BRL', target: 'CNY', rate: '1.3', midRate: '1.31',
    spreadBps: 20, sendAmount: BIG, creditAmount: 130n, fee: 2n },
  { providerId: 'fx-two', source: 'CNY', target: 'INR', rate: '11.9', midRate: '12',
    spreadBps: 25, sendAmount: 128n, creditAmount: 1_523n, fee: 3n },
];

const PAYMENT: Payment = {
  id: 'pm:1', clientId: 'c-1', kind: 'payment', mode: 'instant', debtorAgent: 'br-bank',
  creditorAgent: 'in-bank', debtor: { name: 'Ana "A" Silva', identifiers: { LEI: 'X' } },
  creditor: { name: 'Ravi', account: 'IN1' }, sourceCurrency: 'BRL', targetCurrency: 'INR',
  sendAmount: BIG, creditAmount: 15n, debitAmount: BIG + 50n,
  fees: [{ kind: 'scheme', amount: 50n, currency: 'BRL', payee: 'operator' }],
  quoteId: 'qt:1', fxProvider: 'fx-one', rate: '15.5', midRate: '15.6', endToEndId: 'e2e',
  uetr: '00000000-0000-4000-8000-000000000000',
  iso: { messageId: 'M1', messageNameId: 'pacs.008.001.08',
    charges: [{ amount: 7n, currency: 'BRL', agent: 'BIC' }] },
  legs: [{ transferId: 't1', debitAccountId: 'a', creditAccountId: 'b', amount: BIG,
    currency: 'BRL', role: 'debtor_to_provider' }],
  returns: [], returnedAmount: 0n, status: 'ACCC', reason: undefined,
  events: [{ status: 'ACTC', at: 1 }, { status: 'ACCC', at: 2 }],
  screening: { hit: false, matches: [] }, receivedAt: 1, createdAt: 1, updatedAt: 2,
  route: ROUTE,
};

const QUOTE: Quote = {
  id: 'qt:1', clientId: 'q-1', debtorAgent: 'br-bank', providerId: 'fx-one', source: 'BRL',
  target: 'INR', fixed: 'send', rate: '15.5', midRate: '15.6', spreadBps: 10,
  sendAmount: 100n, creditAmount: 1_550n, fees: [{ kind: 'fx_provider', amount: 3n,
    currency: 'BRL', payee: 'fx-one' }], debitAmount: 103n, feesIncluded: 'all',
  requestedAmount: BIG, createdAt: 1, expiresAt: 2, usedBy: 'pm:1', route: ROUTE,
};

describe('network projections: records as JSON', () => {
  it('a payment round-trips, bigints included', () => {
    const { reason: _reason, ...defined } = PAYMENT;
    assert.deepEqual(paymentFromJson(paymentJson(PAYMENT)), defined);
  });

  it('a quote round-trips, bigints included', () => {
    assert.deepEqual(quoteFromJson(quoteJson(QUOTE)), QUOTE);
  });

  it('an audience is one substring test per participant', () => {
    const text = audienceText(['br-bank', 'in-bank', 'bcb']);
    assert.equal(text.includes(',in-bank,'), true);
    assert.equal(text.includes(',in-ban,'), false);
    assert.deepEqual(audienceFromText(text), ['br-bank', 'in-bank', 'bcb']);
  });

  it('a view is packed: no keys, about a third smaller than the record as a JSON object', () => {
    const text = paymentJson(PAYMENT);
    assert.equal(text.startsWith('['), true);
    assert.equal(text.includes('"debitAccountId"'), false);
    const object = JSON.stringify(PAYMENT, (_key, value: unknown) =>
      (typeof value === 'bigint' ? value.toString() : value));
    assert.ok(text.length < object.length * 0.7, `${text.length} of ${object.length}`);
  });

  it('a field its shape does not name, or a null, is kept with the packed record', () => {
    const future = { ...PAYMENT, detail: null, futureAmount: 5n, futureList: [{ a: 1n }],
      legs: [{ ...PAYMENT.legs[0], extra: 'x' }] } as unknown as Payment;
    const { reason: _reason, ...defined } = future;
    assert.deepEqual(paymentFromJson(paymentJson(future)), defined);
    const oddQuote = { ...QUOTE, sendAmount: 100 } as unknown as Quote;
    assert.deepEqual(quoteFromJson(quoteJson(oddQuote)), oddQuote);
  });

  it('a view written before packing (a JSON object) is still read', () => {
    const payment = paymentFromJson('{"id":"pm:1","kind":"payment","sendAmount":"12",' +
      '"fees":[{"kind":"scheme","amount":"4700","currency":"EGP","payee":"op"}],' +
      '"legs":[{"transferId":"t","amount":"9"}],"returnedAmount":"0","status":"ACCC",' +
      '"events":[{"status":"ACCC","at":1}]}');
    assert.deepEqual(payment, { id: 'pm:1', kind: 'payment', sendAmount: 12n,
      fees: [{ kind: 'scheme', amount: 4_700n, currency: 'EGP', payee: 'op' }],
      legs: [{ transferId: 't', amount: 9n }], returnedAmount: 0n, status: 'ACCC',
      events: [{ status: 'ACCC', at: 1 }] });
    const quote = quoteFromJson('{"id":"qt:1","sendAmount":"100","requestedAmount":"7",' +
      '"route":[{"providerId":"fx","fee":"2"}],"usedBy":"pm:1"}');
    assert.deepEqual(quote, { id: 'qt:1', sendAmount: 100n, requestedAmount: 7n,
      route: [{ providerId: 'fx', fee: 2n }], usedBy: 'pm:1' });
  });
});

describe('network projections: a data directory from before packed views', () => {
  it('opens, drops the unused indexes (migration 4) and reads its rows as before', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'corridor-projections-'));
    const path = join(directory, 'ledger.db');
    try {
      const old = new SqliteStore({ path, synchronous: 'off' });
      await old.addLayer({ owner: 'network', sqlite: NETWORK_LAYER.sqlite.slice(0, 3),
        postgres: NETWORK_LAYER.postgres.slice(0, 3) });
      await old.open();
      await old.close();
      // Rows as the writer of format 1 left them: each record as a JSON object.
      const { reason: _reason, ...payment } = PAYMENT;
      const text = (record: object): string => JSON.stringify(record,
        (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
      const database = openConnection(projectionPathOf(path), { synchronous: 'off' });
      database.prepare('INSERT INTO payments VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 2, ?)')
        .run(payment.id, payment.clientId, payment.kind, payment.status, payment.debtorAgent,
          payment.creditorAgent, payment.fxProvider, payment.sourceCurrency,
          payment.targetCurrency, text(payment));
      database.prepare('INSERT INTO quotes VALUES (?, ?, ?, 1, 2, ?)')
        .run(QUOTE.id, QUOTE.clientId, QUOTE.debtorAgent, text(QUOTE));
      database.close();

      const store = new SqliteStore({ path, synchronous: 'off' });
      await store.addLayer(NETWORK_LAYER);
      await store.open();
      try {
        const reads = new NetworkReads(() => store);
        assert.deepEqual(await reads.payment(PAYMENT.id), payment);
        assert.deepEqual(await reads.quote(QUOTE.id), QUOTE);
        const indexes = await store.queryProjection("SELECT name FROM sqlite_master " +
          "WHERE type = 'index' AND tbl_name = 'payments' AND sql IS NOT NULL ORDER BY name", []);
        assert.deepEqual(indexes.map((row) => row['name']), ['payments_updated']);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
