// Payments in creation order, for listing with filters and a cursor. Newest first; the cursor
// is the position of the last payment returned, so pages stay stable while payments arrive.
import type { Payment, PaymentStatus } from '../payments/model.js';

export const PAYMENT_PAGE_MAX = 500;
/** A page scans at most this many payments, so a filter that matches nothing cannot hang. */
const SCAN_MAX = 200_000;

export interface PaymentFilter {
  /** Only payments this participant is a party to (debtor/creditor agent or FX provider). */
  readonly participant?: string;
  /** Only payments in this currency (source or target): a central bank's view. */
  readonly currency?: string;
  readonly status?: PaymentStatus;
  readonly kind?: Payment['kind'];
  readonly from?: number;
  readonly to?: number;
  /** Whom the caller may see: applied last, to every candidate. */
  readonly visibleTo?: (payment: Payment) => boolean;
}

export interface PaymentPage {
  readonly payments: Payment[];
  readonly next: string | undefined;
}

export class PaymentIndex {
  private readonly order: Payment[] = [];
  private readonly known = new Set<string>();

  constructor(payments: ReadonlyMap<string, Payment>) {
    this.add(payments.values());
  }

  add(payments: Iterable<Payment>): void {
    for (const payment of payments) {
      if (this.known.has(payment.id)) continue;
      this.known.add(payment.id);
      this.order.push(payment);
    }
  }

  get size(): number {
    return this.order.length;
  }

  list(filter: PaymentFilter, page: { cursor?: string; limit: number }): PaymentPage {
    const limit = Math.max(1, Math.min(page.limit, PAYMENT_PAGE_MAX));
    const start =
      page.cursor === undefined ? this.order.length - 1 : Number.parseInt(page.cursor, 36) - 1;
    const payments: Payment[] = [];
    let index = Number.isInteger(start) ? Math.min(start, this.order.length - 1) : -1;
    let scanned = 0;
    for (; index >= 0 && payments.length < limit && scanned < SCAN_MAX; index--, scanned++) {
      const payment = this.order[index] as Payment;
      if (matches(payment, filter)) payments.push(payment);
    }
    return { payments, next: index >= 0 ? (index + 1).toString(36) : undefined };
  }
}

export function matches(payment: Payment, filter: PaymentFilter): boolean {
  if (
    filter.participant !== undefined &&
    payment.debtorAgent !== filter.participant &&
    payment.creditorAgent !== filter.participant &&
    payment.fxProvider !== filter.participant
  ) {
    return false;
  }
  if (
    filter.currency !== undefined &&
    payment.sourceCurrency !== filter.currency &&
    payment.targetCurrency !== filter.currency
  )
    return false;
  if (filter.status !== undefined && payment.status !== filter.status) return false;
  if (filter.kind !== undefined && payment.kind !== filter.kind) return false;
  if (filter.from !== undefined && payment.createdAt < filter.from) return false;
  if (filter.to !== undefined && payment.createdAt >= filter.to) return false;
  return filter.visibleTo === undefined || filter.visibleTo(payment);
}
