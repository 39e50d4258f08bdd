// The network's projections: the rows that reads of payments, quotes and the event feed come
// from (reads.ts), written with each batch through the store's projection path (TableWrite),
// so that they are durable exactly when the batch is. One row per payment and per quote with
// the columns reads filter on and the whole record as JSON (bigints as strings), and one row
// per status change of the event feed. Tables: docs/storage.md.
import type { Quote } from '../engine/fx/quotes.js';
import type { Payment } from '../engine/payments/model.js';
import type { LayerMigrations, SqlValue, TableWrite } from '../storage/store.js';
import type { NetworkBatch } from '../engine/engine.js';
import type { PaymentEventRecord } from '../engine/state.js';

/**
 * Payment rows are listed newest first by `ordinal`: the position of the batch's journal entry
 * times this, plus the payment's position in the batch. It is written with the first row of a
 * payment and kept by every later upsert, so a page cursor stays valid while payments change.
 */
export const ORDINALS_PER_ENTRY = 2 ** 20;

export const NETWORK_LAYER: LayerMigrations = {
  owner: 'network',
  sqlite: [{
    version: 1,
    sql: `
      CREATE TABLE payments (
        ordinal INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        client_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        debtor_agent TEXT NOT NULL,
        creditor_agent TEXT NOT NULL,
        fx_provider TEXT,
        source_currency TEXT NOT NULL,
        target_currency TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        view TEXT NOT NULL
      );
      CREATE INDEX payments_debtor ON payments (debtor_agent, ordinal);
      CREATE INDEX payments_creditor ON payments (creditor_agent, ordinal);
      CREATE TABLE quotes (
        id TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        debtor_agent TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        view TEXT NOT NULL
      );
      CREATE TABLE payment_events (
        sequence INTEGER PRIMARY KEY,
        payment_id TEXT NOT NULL,
        status TEXT NOT NULL,
        reason TEXT,
        detail TEXT,
        at INTEGER NOT NULL,
        audience TEXT NOT NULL
      );
    `,
  }, {
    // The number of payment rows, kept by triggers (an insert counts, an upsert that updates
    // does not), so that /v1/status reads one row instead of counting all of history.
    version: 2,
    sql: `
      CREATE TABLE payment_count (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        count INTEGER NOT NULL
      );
      INSERT INTO payment_count (id, count) SELECT 1, COUNT(*) FROM payments;
      CREATE TRIGGER payments_counted AFTER INSERT ON payments
        BEGIN UPDATE payment_count SET count = count + 1 WHERE id = 1; END;
      CREATE TRIGGER payments_uncounted AFTER DELETE ON payments
        BEGIN UPDATE payment_count SET count = count - 1 WHERE id = 1; END;
    `,
  }, {
    // Payments by their last change, paged by (updated_at, ordinal): the dashboard's restart
    // reads the latest day's changes and the latest change without scanning all of history.
    version: 3,
    sql: 'CREATE INDEX payments_updated ON payments (updated_at, ordinal);',
  }, {
    // No read uses these: a participant's list asks for debtor, creditor OR FX provider (which
    // has no index), so both planners walk the payments by ordinal instead (EXPLAIN QUERY
    // PLAN). Each cost the projector one index entry per payment write.
    version: 4,
    sql: 'DROP INDEX payments_debtor; DROP INDEX payments_creditor;',
  }],
  postgres: [{
    version: 1,
    sql: `
      CREATE TABLE payments (
        id TEXT COLLATE "C" PRIMARY KEY,
        ordinal BIGINT NOT NULL UNIQUE,
        client_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        debtor_agent TEXT NOT NULL,
        creditor_agent TEXT NOT NULL,
        fx_provider TEXT,
        source_currency TEXT NOT NULL,
        target_currency TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        view TEXT NOT NULL
      );
      CREATE INDEX payments_debtor ON payments (debtor_agent, ordinal);
      CREATE INDEX payments_creditor ON payments (creditor_agent, ordinal);
      CREATE TABLE quotes (
        id TEXT COLLATE "C" PRIMARY KEY,
        client_id TEXT NOT NULL,
        debtor_agent TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        view TEXT NOT NULL
      );
      CREATE TABLE payment_events (
        sequence BIGINT PRIMARY KEY,
        payment_id TEXT NOT NULL,
        status TEXT NOT NULL,
        reason TEXT,
        detail TEXT,
        at BIGINT NOT NULL,
        audience TEXT NOT NULL
      );
    `,
  }, {
    // As on SQLite, per statement: the rows an INSERT … ON CONFLICT DO UPDATE inserted are in
    // its INSERT trigger's transition table, the rows it updated are not.
    version: 2,
    sql: `
      CREATE TABLE payment_count (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        count BIGINT NOT NULL
      );
      INSERT INTO payment_count (id, count) SELECT 1, COUNT(*) FROM payments;
      CREATE FUNCTION payments_counted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE payment_count SET count = count + (SELECT COUNT(*) FROM counted_rows) WHERE id = 1;
        RETURN NULL;
      END $$;
      CREATE FUNCTION payments_uncounted() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE payment_count SET count = count - (SELECT COUNT(*) FROM counted_rows) WHERE id = 1;
        RETURN NULL;
      END $$;
      CREATE TRIGGER payments_counted AFTER INSERT ON payments
        REFERENCING NEW TABLE AS counted_rows FOR EACH STATEMENT
        EXECUTE FUNCTION payments_counted();
      CREATE TRIGGER payments_uncounted AFTER DELETE ON payments
        REFERENCING OLD TABLE AS counted_rows FOR EACH STATEMENT
        EXECUTE FUNCTION payments_uncounted();
    `,
  }, {
    // Payments by their last change, paged by (updated_at, ordinal): the dashboard's restart
    // reads the latest day's changes and the latest change without scanning all of history.
    version: 3,
    sql: 'CREATE INDEX payments_updated ON payments (updated_at, ordinal);',
  }, {
    // No read uses these: a participant's list asks for debtor, creditor OR FX provider (which
    // has no index), so both planners walk the payments by ordinal instead (EXPLAIN QUERY
    // PLAN). Each cost the projector one index entry per payment write.
    version: 4,
    sql: 'DROP INDEX payments_debtor; DROP INDEX payments_creditor;',
  }],
};

const PAYMENT_COLUMNS = ['ordinal', 'id', 'client_id', 'kind', 'status', 'debtor_agent',
  'creditor_agent', 'fx_provider', 'source_currency', 'target_currency', 'created_at',
  'updated_at', 'view'] as const;
/** What an upsert of a payment leaves as it was: its place in the list (and its key). */
const PAYMENT_KEPT = ['ordinal', 'id'] as const;
const QUOTE_COLUMNS = ['id', 'client_id', 'debtor_agent', 'created_at', 'expires_at', 'view'];
/**
 * A quote's second write (once used) updates its row in place: the same row as a replace
 * (every other column is written), without deleting it and its key's index entry first.
 */
const QUOTE_KEPT = ['id'] as const;
const EVENT_COLUMNS = ['sequence', 'payment_id', 'status', 'reason', 'detail', 'at', 'audience'];

/** Keys whose string values are bigints in a payment's or a quote's JSON. */
const BIGINT_KEYS = new Set(['sendAmount', 'creditAmount', 'debitAmount', 'returnedAmount',
  'amount', 'requestedAmount', 'fee']);

/** A route's hops (src/engine/fx/quotes.ts QuoteHop) with their amounts as text. */
function routeText(route: Quote['route']): unknown {
  return route?.map((hop) => ({ ...hop, sendAmount: hop.sendAmount.toString(),
    creditAmount: hop.creditAmount.toString(), fee: hop.fee.toString() }));
}

function withAmountText<T extends { readonly amount: bigint }>(items: readonly T[]): unknown[] {
  return items.map((item) => ({ ...item, amount: item.amount.toString() }));
}

/**
 * The record with every bigint as a decimal string, so that JSON.stringify takes its native
 * path (a replacer function costs several times more per payment). Every bigint field of a
 * Payment and a Quote is listed here and in BIGINT_KEYS.
 */
function plainPayment(payment: Payment): unknown {
  const iso = payment.iso;
  return {
    ...payment,
    sendAmount: payment.sendAmount.toString(),
    creditAmount: payment.creditAmount.toString(),
    debitAmount: payment.debitAmount.toString(),
    returnedAmount: payment.returnedAmount.toString(),
    fees: withAmountText(payment.fees),
    legs: withAmountText(payment.legs),
    ...(payment.route === undefined ? {} : { route: routeText(payment.route) }),
    ...(iso?.charges === undefined ? {}
      : { iso: { ...iso, charges: withAmountText(iso.charges) } }),
  };
}

function plainQuote(quote: Quote): unknown {
  return {
    ...quote,
    sendAmount: quote.sendAmount.toString(),
    creditAmount: quote.creditAmount.toString(),
    debitAmount: quote.debitAmount.toString(),
    ...(quote.requestedAmount === undefined ? {}
      : { requestedAmount: quote.requestedAmount.toString() }),
    fees: withAmountText(quote.fees),
    ...(quote.route === undefined ? {} : { route: routeText(quote.route) }),
  };
}

function reviver(key: string, value: unknown): unknown {
  return typeof value === 'string' && BIGINT_KEYS.has(key) ? BigInt(value) : value;
}

/** A payment as one JSON text, bigints as decimal strings. */
export function paymentJson(payment: Payment): string {
  return JSON.stringify(plainPayment(payment));
}

/** A quote as one JSON text, bigints as decimal strings. */
export function quoteJson(quote: Quote): string {
  return JSON.stringify(plainQuote(quote));
}

export function paymentFromJson(text: string): Payment {
  return JSON.parse(text, reviver) as Payment;
}

export function quoteFromJson(text: string): Quote {
  return JSON.parse(text, reviver) as Quote;
}

/** The audience as stored: ",a,b,", so that "is x in it" is one substring test for ",x,". */
export function audienceText(audience: readonly string[]): string {
  return `,${audience.join(',')},`;
}

export function audienceFromText(text: string): string[] {
  return text.split(',').filter((part) => part !== '');
}

/**
 * The rows a durable batch projects: every payment and quote it changed (their latest state)
 * and its status changes, numbered from `firstEvent`. `entry` is the batch's journal sequence.
 */
export function projectionWrites(
  batch: NetworkBatch,
  entry: number,
  firstEvent: number,
): TableWrite[] {
  const writes: TableWrite[] = [];
  const changes = batch.context.changes;
  if (changes.payments.size > 0) {
    const rows: SqlValue[][] = [];
    let position = entry * ORDINALS_PER_ENTRY;
    for (const payment of changes.payments.values()) {
      rows.push([position++, payment.id, payment.clientId, payment.kind, payment.status,
        payment.debtorAgent, payment.creditorAgent, payment.fxProvider ?? null,
        payment.sourceCurrency, payment.targetCurrency, payment.createdAt, payment.updatedAt,
        paymentJson(payment)]);
    }
    writes.push({ table: 'payments', columns: PAYMENT_COLUMNS, rows, onConflict: 'replace',
      keep: PAYMENT_KEPT });
  }
  if (changes.quotes.size > 0) {
    const rows: SqlValue[][] = [];
    for (const quote of changes.quotes.values()) {
      rows.push([quote.id, quote.clientId, quote.debtorAgent, quote.createdAt, quote.expiresAt,
        quoteJson(quote)]);
    }
    writes.push({ table: 'quotes', columns: QUOTE_COLUMNS, rows, onConflict: 'replace',
      keep: QUOTE_KEPT });
  }
  if (changes.events.length > 0) {
    writes.push({ table: 'payment_events', columns: EVENT_COLUMNS,
      rows: changes.events.map((event: PaymentEventRecord, index) => [firstEvent + index,
        event.paymentId, event.status, event.reason ?? null, event.detail ?? null, event.at,
        audienceText(event.audience)]) });
  }
  return writes;
}
