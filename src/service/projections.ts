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

/** Keys whose string values are bigints in a payment's or a quote's JSON (format 1 views). */
const BIGINT_KEYS = new Set(['sendAmount', 'creditAmount', 'debitAmount', 'returnedAmount',
  'amount', 'requestedAmount', 'fee']);

/*
 * Views are written packed (format 2): a record as a JSON array of its values in the order of
 * its shape below, without its keys (which were ~40% of a payment's JSON), bigints as decimal
 * strings, nested records packed by their own shape. Element 0 holds what the shape does not
 * name (0 when nothing: a field added to Payment or Quote before its shape learns it, or a
 * field whose value is null), so nothing is ever lost; an absent field is null, and trailing
 * nulls are left out. A format 1 view (the record as a JSON object) starts with '{', a packed
 * one with '['; both are read. Shapes are on disk: append to them, never reorder or remove.
 */
type Packing = 'plain' | 'bigint' | Shape | { readonly list: Shape };

interface Shape {
  readonly keys: readonly string[];
  readonly packings: readonly Packing[];
}

function shape(fields: readonly (string | readonly [string, Packing])[]): Shape {
  return {
    keys: fields.map((field) => (typeof field === 'string' ? field : field[0])),
    packings: fields.map((field) => (typeof field === 'string' ? 'plain' : field[1])),
  };
}

const HOP = shape(['providerId', 'source', 'target', 'rate', 'midRate', 'spreadBps',
  ['sendAmount', 'bigint'], ['creditAmount', 'bigint'], ['fee', 'bigint']]);
const FEE = shape(['kind', ['amount', 'bigint'], 'currency', 'payee']);
const CHARGE = shape([['amount', 'bigint'], 'currency', 'agent']);
const ISO = shape(['messageId', 'messageNameId', 'creationDateTime', 'instructionId',
  'transactionId', 'chargeBearer', ['charges', { list: CHARGE }]]);
const LEG = shape(['transferId', 'debitAccountId', 'creditAccountId', ['amount', 'bigint'],
  'currency', 'role']);
const EVENT = shape(['status', 'reason', 'detail', 'at']);
const PAYMENT_SHAPE = shape(['id', 'clientId', 'kind', 'mode', 'debtorAgent', 'creditorAgent',
  'debtor', 'creditor', 'sourceCurrency', 'targetCurrency', ['sendAmount', 'bigint'],
  ['creditAmount', 'bigint'], ['debitAmount', 'bigint'], ['fees', { list: FEE }], 'quoteId',
  'fxProvider', 'rate', 'midRate', ['route', { list: HOP }], 'purpose', 'remittanceInformation',
  'endToEndId', 'uetr', ['iso', ISO], 'priority', 'latestSettlementAt', ['legs', { list: LEG }],
  'returnOf', 'returnReason', 'returns', ['returnedAmount', 'bigint'], 'status', 'reason',
  'detail', 'screening', ['events', { list: EVENT }], 'receivedAt', 'createdAt', 'updatedAt']);
const QUOTE_SHAPE = shape(['id', 'clientId', 'debtorAgent', 'providerId', 'source', 'target',
  'fixed', 'rate', 'midRate', 'spreadBps', ['sendAmount', 'bigint'], ['creditAmount', 'bigint'],
  ['fees', { list: FEE }], ['debitAmount', 'bigint'], 'feesIncluded',
  ['requestedAmount', 'bigint'], 'createdAt', 'expiresAt', ['route', { list: HOP }], 'usedBy']);

/** Whether `value` can be packed by `packing` (else it goes, as it is, to element 0). */
function packable(value: unknown, packing: Packing): boolean {
  if (packing === 'plain') return true;
  if (packing === 'bigint') return typeof value === 'bigint';
  if ('list' in packing) return Array.isArray(value) && value.every(isRecord);
  return isRecord(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function packValue(value: unknown, packing: Packing): unknown {
  if (packing === 'plain') return value;
  if (packing === 'bigint') return (value as bigint).toString();
  if ('list' in packing) {
    const items = value as readonly Record<string, unknown>[];
    const packed = new Array<unknown>(items.length);
    for (let index = 0; index < items.length; index++) {
      packed[index] = pack(items[index] as Record<string, unknown>, packing.list);
    }
    return packed;
  }
  return pack(value as Record<string, unknown>, packing);
}

function pack(record: Readonly<Record<string, unknown>>, into: Shape): unknown[] {
  const { keys, packings } = into;
  const packed = new Array<unknown>(keys.length + 1);
  let rest: Record<string, unknown> | 0 = 0;
  let named = 0;
  let last = 0;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string;
    const value = record[key];
    packed[index + 1] = null;
    if (value === undefined) continue;
    named += 1;
    const packing = packings[index] as Packing;
    if (value === null || !packable(value, packing)) {
      (rest === 0 ? (rest = {}) : rest)[key] = value;
      continue;
    }
    packed[index + 1] = packValue(value, packing);
    last = index + 1;
  }
  const own = Object.keys(record);
  if (own.length !== named) {
    for (const key of own) {
      if (record[key] !== undefined && !keys.includes(key)) {
        (rest === 0 ? (rest = {}) : rest)[key] = record[key];
      }
    }
  }
  packed[0] = rest === 0 ? 0 : withAmountsText(rest);
  packed.length = last + 1;
  return packed;
}

/** What element 0 holds, with any bigint as { $bigint: text } (JSON has no bigints). */
function withAmountsText(rest: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(rest, (_key, value: unknown) =>
    (typeof value === 'bigint' ? { $bigint: value.toString() } : value))) as Record<string, unknown>;
}

/** Element 0 as it was packed: every { $bigint: text } a bigint again. */
function revived(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revived);
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  const text = value['$bigint'];
  if (keys.length === 1 && typeof text === 'string') return BigInt(text);
  const record: Record<string, unknown> = {};
  for (const key of keys) record[key] = revived(value[key]);
  return record;
}

function unpackValue(value: unknown, packing: Packing): unknown {
  if (packing === 'plain') return value;
  if (packing === 'bigint') return BigInt(value as string);
  if ('list' in packing) return (value as unknown[][]).map((item) => unpack(item, packing.list));
  return unpack(value as unknown[], packing);
}

function unpack(packed: readonly unknown[], from: Shape): Record<string, unknown> {
  const { keys, packings } = from;
  const record: Record<string, unknown> = {};
  const end = Math.min(packed.length - 1, keys.length);
  for (let index = 0; index < end; index++) {
    const value = packed[index + 1];
    if (value === null || value === undefined) continue;
    record[keys[index] as string] = unpackValue(value, packings[index] as Packing);
  }
  const rest = packed[0];
  if (isRecord(rest)) Object.assign(record, revived(rest));
  return record;
}

function reviver(key: string, value: unknown): unknown {
  return typeof value === 'string' && BIGINT_KEYS.has(key) ? BigInt(value) : value;
}

/*
 * The writer thread packs every payment and quote a batch changes, so the usual records are
 * packed by hand below (plain property reads, no key lists); pack() is the general way, which
 * they fall back to for a record they do not hold whole (a null, a field they do not name, a
 * value of another type). Both give the same text.
 */
const INCOMPLETE = Symbol('incomplete');

function big(value: bigint | undefined): string | undefined | typeof INCOMPLETE {
  if (typeof value === 'bigint') return value.toString();
  return value === undefined ? undefined : INCOMPLETE;
}

/**
 * The values of `record` in the order of `shape` (0 first), if they hold all of it; else
 * INCOMPLETE. A key present with the value undefined (as the engine leaves `reason`) counts as
 * held: JSON leaves it out either way.
 */
function whole(record: object, shape: Shape, values: unknown[]): unknown[] | typeof INCOMPLETE {
  let held = 0;
  for (let index = 1; index < values.length; index++) {
    const value = values[index];
    if (value === null || value === INCOMPLETE) return INCOMPLETE;
    if (value !== undefined) held += 1;
    else {
      if ((shape.keys[index - 1] as string) in record) held += 1;
      values[index] = null;
    }
  }
  if (held !== Object.keys(record).length) return INCOMPLETE;
  let end = values.length;
  while (end > 1 && values[end - 1] === null) end -= 1;
  values.length = end;
  return values;
}

function packList<T extends object>(
  items: readonly T[] | undefined,
  packOne: (item: T) => unknown[] | typeof INCOMPLETE,
): unknown[] | undefined | typeof INCOMPLETE {
  if (items === undefined) return undefined;
  if (!Array.isArray(items)) return INCOMPLETE;
  const packed: unknown[] = [];
  for (let index = 0; index < items.length; index++) {
    const item = items[index] as T;
    const one = isRecord(item) ? packOne(item) : INCOMPLETE;
    if (one === INCOMPLETE) return INCOMPLETE;
    packed.push(one);
  }
  return packed;
}

function packFee(fee: Payment['fees'][number]): unknown[] | typeof INCOMPLETE {
  return whole(fee, FEE, [0, fee.kind, big(fee.amount), fee.currency, fee.payee]);
}

function packHop(hop: NonNullable<Quote['route']>[number]): unknown[] | typeof INCOMPLETE {
  return whole(hop, HOP, [0, hop.providerId, hop.source, hop.target, hop.rate, hop.midRate,
    hop.spreadBps, big(hop.sendAmount), big(hop.creditAmount), big(hop.fee)]);
}

function packLeg(leg: Payment['legs'][number]): unknown[] | typeof INCOMPLETE {
  return whole(leg, LEG, [0, leg.transferId, leg.debitAccountId, leg.creditAccountId,
    big(leg.amount), leg.currency, leg.role]);
}

function packEvent(event: Payment['events'][number]): unknown[] | typeof INCOMPLETE {
  return whole(event, EVENT, [0, event.status, event.reason, event.detail, event.at]);
}

function packPayment(p: Payment): unknown[] | typeof INCOMPLETE {
  const iso = p.iso === undefined ? undefined : isRecord(p.iso) ? pack(p.iso, ISO) : INCOMPLETE;
  return whole(p, PAYMENT_SHAPE, [0, p.id, p.clientId, p.kind, p.mode, p.debtorAgent,
    p.creditorAgent, p.debtor, p.creditor, p.sourceCurrency, p.targetCurrency, big(p.sendAmount),
    big(p.creditAmount), big(p.debitAmount), packList(p.fees, packFee), p.quoteId,
    p.fxProvider, p.rate, p.midRate, packList(p.route, packHop), p.purpose,
    p.remittanceInformation, p.endToEndId, p.uetr, iso, p.priority, p.latestSettlementAt,
    packList(p.legs, packLeg), p.returnOf, p.returnReason, p.returns, big(p.returnedAmount),
    p.status, p.reason, p.detail, p.screening, packList(p.events, packEvent), p.receivedAt,
    p.createdAt, p.updatedAt]);
}

function packQuote(q: Quote): unknown[] | typeof INCOMPLETE {
  return whole(q, QUOTE_SHAPE, [0, q.id, q.clientId, q.debtorAgent, q.providerId, q.source,
    q.target, q.fixed, q.rate, q.midRate, q.spreadBps, big(q.sendAmount), big(q.creditAmount),
    packList(q.fees, packFee), big(q.debitAmount), q.feesIncluded, big(q.requestedAmount),
    q.createdAt, q.expiresAt, packList(q.route, packHop), q.usedBy]);
}

/** A payment as one JSON text (packed, format 2). */
export function paymentJson(payment: Payment): string {
  const packed = packPayment(payment);
  return JSON.stringify(packed !== INCOMPLETE ? packed
    : pack(payment as unknown as Record<string, unknown>, PAYMENT_SHAPE));
}

/** A quote as one JSON text (packed, format 2). */
export function quoteJson(quote: Quote): string {
  const packed = packQuote(quote);
  return JSON.stringify(packed !== INCOMPLETE ? packed
    : pack(quote as unknown as Record<string, unknown>, QUOTE_SHAPE));
}

/** A payment from its view, packed or (written before format 2) a JSON object. */
export function paymentFromJson(text: string): Payment {
  if (text.startsWith('{')) return JSON.parse(text, reviver) as Payment;
  return unpack(JSON.parse(text) as unknown[], PAYMENT_SHAPE) as unknown as Payment;
}

export function quoteFromJson(text: string): Quote {
  if (text.startsWith('{')) return JSON.parse(text, reviver) as Quote;
  return unpack(JSON.parse(text) as unknown[], QUOTE_SHAPE) as unknown as Quote;
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
