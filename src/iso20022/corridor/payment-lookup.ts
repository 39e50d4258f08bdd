// Finding the payment a return (pacs.004) or a cancellation request (camt.056) is about: by its
// UETR, or by its end-to-end id as seen from the agent asking. Holds what the engine holds and
// no more: open payments, and finished ones until the network's payment window
// (Network.paymentWindowMs(): the longer of the full retention and the return window) has
// passed since they finished. Seeded when the gateway starts from the payments the engine holds
// (their records read from storage, network.reads), then kept up to date with each committed
// batch, which also forgets what left the window. A payment older than that could not be
// returned anyway: the engine has forgotten it too.
import type { Network } from '../../service/service.js';
import type { Payment } from '../../service/domain.js';
import type { TransactionReferences } from '../model.js';

export type LookupResult =
  | { readonly ok: true; readonly payment: Payment }
  | { readonly ok: false; readonly problem: 'not_found' | 'ambiguous' };

/** Records read from storage at a time when seeding. */
const SEED_CHUNK = 500;

function finished(payment: Payment): boolean {
  return payment.status === 'ACCC' || payment.status === 'RJCT';
}

/** The records of the payments the engine holds, in chunks (for seeding at start). */
export async function* heldPayments(network: Network): AsyncGenerator<Payment[]> {
  const ids = network.heldPaymentIds();
  for (let start = 0; start < ids.length; start += SEED_CHUNK) {
    const found = await network.reads.paymentsById(ids.slice(start, start + SEED_CHUNK));
    yield [...found.values()];
  }
}

export class PaymentLookup {
  /** Original payments by network id, as they stand after the last batch seen. */
  private readonly byId = new Map<string, Payment>();
  /** UETR → the network id of the original payment that holds it. */
  private readonly byUetr = new Map<string, string>();
  /** agent|endToEndId → payment ids, for the debtor agent and for the creditor agent. */
  private readonly byEndToEnd = new Map<string, string[]>();
  /** Finished payments → when they finished (their last change), in the order seen. */
  private readonly finishedAt = new Map<string, number>();
  private readonly stop: () => void;
  private readonly windowMs: () => number;

  constructor(network: Network) {
    this.windowMs = () => network.paymentWindowMs();
    // Each batch brings the payments it changed, as they now stand.
    this.stop = network.subscribe(({ payments, batch }) => {
      for (const payment of payments.values()) this.add(payment, true);
      this.forget(batch.now);
    });
  }

  /** Indexes the payments the engine holds (once, at start); batches seen since win over them. */
  async seed(network: Network): Promise<void> {
    for await (const payments of heldPayments(network)) {
      for (const payment of payments) this.add(payment, false);
    }
  }

  /** How many payments it holds (open, or finished inside the window). */
  get size(): number {
    return this.byId.size;
  }

  private add(payment: Payment, newer: boolean): void {
    // Returns travel under the UETR of the payment they return: only originals are indexed.
    if (payment.kind !== 'payment') return;
    if (this.byId.has(payment.id)) {
      if (!newer) return;
      this.byId.set(payment.id, payment);
    } else {
      this.byId.set(payment.id, payment);
      this.byUetr.set(payment.uetr, payment.id);
      for (const agent of [payment.debtorAgent, payment.creditorAgent]) {
        const key = `${agent}|${payment.endToEndId}`;
        const ids = this.byEndToEnd.get(key);
        if (ids === undefined) this.byEndToEnd.set(key, [payment.id]);
        else if (!ids.includes(payment.id)) ids.push(payment.id);
      }
    }
    // A returned payment changes again (its returns): its window runs from the last change.
    if (finished(payment)) {
      this.finishedAt.delete(payment.id);
      this.finishedAt.set(payment.id, payment.updatedAt);
    }
  }

  /** Forgets the finished payments whose window has passed by `now`, oldest first. */
  private forget(now: number): void {
    const window = this.windowMs();
    if (!Number.isFinite(window)) return;
    for (const [id, at] of this.finishedAt) {
      if (at + window > now) break;
      this.finishedAt.delete(id);
      this.remove(id);
    }
  }

  private remove(id: string): void {
    const payment = this.byId.get(id);
    if (payment === undefined) return;
    this.byId.delete(id);
    if (this.byUetr.get(payment.uetr) === id) this.byUetr.delete(payment.uetr);
    for (const agent of [payment.debtorAgent, payment.creditorAgent]) {
      const key = `${agent}|${payment.endToEndId}`;
      const ids = this.byEndToEnd.get(key)?.filter((other) => other !== id) ?? [];
      if (ids.length === 0) this.byEndToEnd.delete(key);
      else this.byEndToEnd.set(key, ids);
    }
  }

  /**
   * The original payment (not a return) that `agent` took part in as `role`, named by UETR or,
   * failing that, by end-to-end id (several of one creditor agent's payments may share one).
   */
  find(
    references: TransactionReferences,
    agent: string,
    role: 'debtor' | 'creditor',
  ): LookupResult {
    const ofAgent = (payment: Payment | undefined): payment is Payment =>
      payment !== undefined &&
      payment.kind === 'payment' &&
      (role === 'debtor' ? payment.debtorAgent : payment.creditorAgent) === agent;
    if (references.uetr !== undefined) {
      const payment = this.byId.get(this.byUetr.get(references.uetr) ?? '');
      if (ofAgent(payment)) return { ok: true, payment };
      if (references.endToEndId === undefined) return { ok: false, problem: 'not_found' };
    }
    const ids = this.byEndToEnd.get(`${agent}|${references.endToEndId ?? ''}`) ?? [];
    const payments = ids.map((id) => this.byId.get(id)).filter(ofAgent);
    const [payment, ...others] = payments;
    if (payment === undefined) return { ok: false, problem: 'not_found' };
    return others.length === 0 ? { ok: true, payment } : { ok: false, problem: 'ambiguous' };
  }

  close(): void {
    this.stop();
  }
}
