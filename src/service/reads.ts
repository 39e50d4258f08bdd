// The one read interface of the network: payments, quotes and the event feed, from the
// store's projections (projections.ts), for every adapter (API, dashboard, ISO 20022, CLI).
// Every read waits until the projections include every batch durable when it was called (the
// Store contract), so a caller reads its own writes. The engine's memory is not read here:
// it holds live state only and may forget finished payments. Visibility is applied in SQL
// with the same rule as src/engine/payments/visibility.ts.
import type { Quote } from '../engine/fx/quotes.js';
import { isNetworkId, paymentKey, quoteKey } from '../engine/payments/ids.js';
import type { Payment, PaymentStatus } from '../engine/payments/model.js';
import { paymentScope, type Viewer } from '../engine/payments/visibility.js';
import type { ProjectionRow, SqlValue, Store } from '../storage/store.js';
import { audienceFromText, paymentFromJson, quoteFromJson } from './projections.js';
import type { PaymentEventRecord } from '../engine/state.js';

export const PAYMENT_PAGE_MAX = 500;

/** Where a page of paymentsChangedSince ended: the last payment's last change and position. */
export interface ChangeCursor {
  readonly updatedAt: number;
  readonly ordinal: number;
}
export const EVENT_PAGE_MAX = 1_000;
/** Feed entries one event page looks through at most, so a sparse filter cannot scan for ever. */
export const EVENT_SCAN_MAX = 100_000;

export interface PaymentFilter {
  /** Only payments this participant is a party to (debtor/creditor agent or FX provider). */
  readonly participant?: string;
  /** Only payments in this currency (source or target): a central bank's view. */
  readonly currency?: string;
  readonly status?: PaymentStatus;
  readonly kind?: Payment['kind'];
  /** created_at from (inclusive) and to (exclusive), ms since the epoch. */
  readonly from?: number;
  readonly to?: number;
  /** Only what this viewer may see (absent: everything, for the node's own use). */
  readonly viewer?: Viewer;
}

export interface PaymentPage {
  readonly payments: Payment[];
  /** Pass back as `cursor` for the next (older) page; undefined on the last page. */
  readonly next: string | undefined;
}

export interface FeedEvent {
  readonly sequence: number;
  readonly event: PaymentEventRecord;
}

export interface EventPage {
  readonly events: FeedEvent[];
  /** The cursor to pass next time (the last sequence looked at, or the one given). */
  readonly cursor: number;
}

/** `?` placeholders as PostgreSQL's `$1 …` (the SQL below holds no `?` in literals). */
function dialect(kind: Store['kind'], sql: string): string {
  if (kind === 'sqlite') return sql;
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

function int(value: unknown): number {
  return Number(typeof value === 'string' ? value : String(value));
}

function eventFromRow(row: ProjectionRow): FeedEvent {
  const reason = row['reason'];
  const detail = row['detail'];
  return {
    sequence: int(row['sequence']),
    event: {
      paymentId: String(row['payment_id']),
      status: String(row['status']) as PaymentStatus,
      ...(reason === null || reason === undefined ? {} : { reason: String(reason) as Payment['reason'] }),
      ...(detail === null || detail === undefined ? {} : { detail: String(detail) }),
      at: int(row['at']),
      audience: audienceFromText(String(row['audience'])),
    },
  };
}

export class NetworkReads {
  /** @param store the network's current store (a standby's changes when it takes over). */
  constructor(private readonly store: () => Store) {}

  private async rows(sql: string, values: readonly SqlValue[]): Promise<ProjectionRow[]> {
    const store = this.store();
    return store.queryProjection(dialect(store.kind, sql), values);
  }

  /** A payment by its network id. */
  async payment(id: string): Promise<Payment | undefined> {
    const [row] = await this.rows('SELECT view FROM payments WHERE id = ?', [id]);
    return row === undefined ? undefined : paymentFromJson(String(row['view']));
  }

  /** Several payments by network id, in no order (missing ones left out). */
  async paymentsById(ids: readonly string[]): Promise<Map<string, Payment>> {
    const found = new Map<string, Payment>();
    const unique = [...new Set(ids)];
    for (let start = 0; start < unique.length; start += 500) {
      const chunk = unique.slice(start, start + 500);
      const rows = await this.rows(`SELECT view FROM payments WHERE id IN ` +
        `(${chunk.map(() => '?').join(', ')})`, chunk);
      for (const row of rows) {
        const payment = paymentFromJson(String(row['view']));
        found.set(payment.id, payment);
      }
    }
    return found;
  }

  /**
   * The payment `actor` names by `reference`: its own client id first, else a network id (or
   * an id from before ids were scoped). Whether `actor` may see it is the caller's check.
   */
  async paymentOf(actor: string, reference: string): Promise<Payment | undefined> {
    if (isNetworkId(reference)) return this.payment(reference);
    return (await this.payment(paymentKey('scoped', actor, reference))) ??
      this.payment(reference);
  }

  /** Payments newest first, filtered, one bounded page at a time. */
  async payments(
    filter: PaymentFilter,
    page: { cursor?: string; limit: number },
  ): Promise<PaymentPage> {
    const limit = Math.max(1, Math.min(Math.trunc(page.limit), PAYMENT_PAGE_MAX));
    const where: string[] = [];
    const values: SqlValue[] = [];
    if (page.cursor !== undefined) {
      const before = Number.parseInt(page.cursor, 36);
      if (!Number.isSafeInteger(before)) return { payments: [], next: undefined };
      where.push('ordinal < ?');
      values.push(before);
    }
    if (filter.participant !== undefined) {
      where.push('(debtor_agent = ? OR creditor_agent = ? OR fx_provider = ?)');
      values.push(filter.participant, filter.participant, filter.participant);
    }
    if (filter.currency !== undefined) {
      where.push('(source_currency = ? OR target_currency = ?)');
      values.push(filter.currency, filter.currency);
    }
    if (filter.status !== undefined) {
      where.push('status = ?');
      values.push(filter.status);
    }
    if (filter.kind !== undefined) {
      where.push('kind = ?');
      values.push(filter.kind);
    }
    if (filter.from !== undefined) {
      where.push('created_at >= ?');
      values.push(filter.from);
    }
    if (filter.to !== undefined) {
      where.push('created_at < ?');
      values.push(filter.to);
    }
    if (filter.viewer !== undefined) {
      const scope = paymentScope(filter.viewer);
      if (!scope.all) {
        const clauses = ['debtor_agent = ?', 'creditor_agent = ?', 'fx_provider = ?'];
        values.push(scope.party, scope.party, scope.party);
        if (scope.currencies.length > 0) {
          const list = scope.currencies.map(() => '?').join(', ');
          clauses.push(`source_currency IN (${list})`, `target_currency IN (${list})`);
          values.push(...scope.currencies, ...scope.currencies);
        }
        where.push(`(${clauses.join(' OR ')})`);
      }
    }
    values.push(limit + 1);
    const rows = await this.rows('SELECT ordinal, view FROM payments' +
      (where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`) +
      ' ORDER BY ordinal DESC LIMIT ?', values);
    const payments = rows.slice(0, limit).map((row) => paymentFromJson(String(row['view'])));
    const last = rows[limit - 1];
    return { payments,
      next: rows.length > limit && last !== undefined ? int(last['ordinal']).toString(36) : undefined };
  }

  /** How many payments (and returns) the network has recorded. */
  async paymentCount(): Promise<number> {
    // Kept by triggers as rows are projected (projections.ts): one row, not all of history.
    const [row] = await this.rows('SELECT count FROM payment_count WHERE id = 1', []);
    return int(row?.['count'] ?? 0);
  }

  /**
   * Payments whose last change is at or after `since`, by last change then position, paged
   * with the cursor of the previous page (index payments_updated: each page costs its own
   * rows, not all of history).
   */
  async paymentsChangedSince(
    since: number,
    page: { after?: ChangeCursor; limit: number },
  ): Promise<{ payments: Payment[]; next: ChangeCursor | undefined }> {
    const limit = Math.max(1, Math.min(Math.trunc(page.limit), PAYMENT_PAGE_MAX));
    // SQL integers only: -Infinity (everything) as the smallest safe integer.
    const from = Math.max(Math.trunc(since), Number.MIN_SAFE_INTEGER);
    const after = page.after;
    const rows = after === undefined
      ? await this.rows('SELECT ordinal, updated_at, view FROM payments WHERE updated_at >= ? ' +
        'ORDER BY updated_at, ordinal LIMIT ?', [from, limit + 1])
      : await this.rows('SELECT ordinal, updated_at, view FROM payments WHERE updated_at >= ? ' +
        'AND (updated_at > ? OR (updated_at = ? AND ordinal > ?)) ' +
        'ORDER BY updated_at, ordinal LIMIT ?',
      [from, after.updatedAt, after.updatedAt, after.ordinal, limit + 1]);
    const payments = rows.slice(0, limit).map((row) => paymentFromJson(String(row['view'])));
    const last = rows[limit - 1];
    return { payments, next: rows.length > limit && last !== undefined
      ? { updatedAt: int(last['updated_at']), ordinal: int(last['ordinal']) } : undefined };
  }

  /** The latest change of any payment (ms since the epoch), or undefined without payments. */
  async lastPaymentChange(): Promise<number | undefined> {
    const [row] = await this.rows('SELECT MAX(updated_at) AS last FROM payments', []);
    const last = row?.['last'];
    return last === null || last === undefined ? undefined : int(last);
  }

  /** A quote by its network id. */
  async quote(id: string): Promise<Quote | undefined> {
    const [row] = await this.rows('SELECT view FROM quotes WHERE id = ?', [id]);
    return row === undefined ? undefined : quoteFromJson(String(row['view']));
  }

  /** `actor`'s own quote, by the id it chose or by the quote's network id. */
  async quoteOf(actor: string, reference: string): Promise<Quote | undefined> {
    const quote = isNetworkId(reference) ? await this.quote(reference)
      : (await this.quote(quoteKey('scoped', actor, reference))) ?? (await this.quote(reference));
    return quote?.debtorAgent === actor ? quote : undefined;
  }

  /** Status changes after `after`, oldest first, that `viewer` may see (all, without one). */
  async events(after: number, limit: number, viewer?: Viewer): Promise<EventPage> {
    const bounded = Math.max(1, Math.min(Math.trunc(limit), EVENT_PAGE_MAX));
    const start = Math.max(0, Math.trunc(after));
    // The end of the feed first: an event committed after it is left for the next page,
    // never skipped by a cursor that moved past it.
    const until = Math.min(start + EVENT_SCAN_MAX, await this.lastEventSequence());
    if (until <= start) return { events: [], cursor: start };
    const all = viewer === undefined || viewer.kind === 'operator';
    const contains = this.store().kind === 'sqlite' ? 'instr(audience, ?) > 0'
      : 'strpos(audience, ?) > 0';
    const rows = await this.rows('SELECT sequence, payment_id, status, reason, detail, at, ' +
      'audience FROM payment_events WHERE sequence > ? AND sequence <= ?' +
      (all ? '' : ` AND ${contains}`) + ' ORDER BY sequence LIMIT ?',
    all ? [start, until, bounded] : [start, until, `,${viewer.id},`, bounded]);
    const events = rows.map(eventFromRow);
    const last = events[events.length - 1];
    // A short page looked at every entry up to `until`.
    const full = events.length === bounded && last !== undefined;
    return { events, cursor: full ? last.sequence : until };
  }

  /** The sequence of the last status change in the feed (0: none yet). */
  async lastEventSequence(): Promise<number> {
    const [row] = await this.rows('SELECT MAX(sequence) AS last FROM payment_events', []);
    const last = row?.['last'];
    return last === null || last === undefined ? 0 : int(last);
  }
}
