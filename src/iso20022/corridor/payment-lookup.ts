// Finding the payment a return (pacs.004) or a cancellation request (camt.056) is about: by its
// UETR, or by its end-to-end id as seen from the agent asking. Seeded from storage when the
// gateway starts (network.reads), then kept up to date with each committed batch.
import type { Network } from '../../service/service.js';
import type { Payment } from '../../service/domain.js';
import type { TransactionReferences } from '../model.js';

export type LookupResult =
  | { readonly ok: true; readonly payment: Payment }
  | { readonly ok: false; readonly problem: 'not_found' | 'ambiguous' };

export class PaymentLookup {
  /** Original payments by network id, as they stand after the last batch seen. */
  private readonly byId = new Map<string, Payment>();
  /** UETR → the network id of the original payment that holds it. */
  private readonly byUetr = new Map<string, string>();
  /** agent|endToEndId → payment ids, for the debtor agent and for the creditor agent. */
  private readonly byEndToEnd = new Map<string, string[]>();
  private readonly stop: () => void;

  constructor(network: Network) {
    // Each batch brings the payments it changed, as they now stand.
    this.stop = network.subscribe(({ payments }) => {
      for (const payment of payments.values()) this.add(payment, true);
    });
  }

  /** Indexes the payments storage holds (once, at start); batches seen since win over them. */
  async seed(network: Network): Promise<void> {
    let after: number | undefined;
    do {
      const page = await network.reads.paymentsChangedSince(Number.NEGATIVE_INFINITY,
        { limit: 500, ...(after === undefined ? {} : { after }) });
      for (const payment of page.payments) this.add(payment, false);
      after = page.next;
    } while (after !== undefined);
  }

  private add(payment: Payment, newer: boolean): void {
    // Returns travel under the UETR of the payment they return: only originals are indexed.
    if (payment.kind !== 'payment') return;
    if (this.byId.has(payment.id)) {
      if (newer) this.byId.set(payment.id, payment);
      return;
    }
    this.byId.set(payment.id, payment);
    this.byUetr.set(payment.uetr, payment.id);
    for (const agent of [payment.debtorAgent, payment.creditorAgent]) {
      const key = `${agent}|${payment.endToEndId}`;
      const ids = this.byEndToEnd.get(key);
      if (ids === undefined) this.byEndToEnd.set(key, [payment.id]);
      else if (!ids.includes(payment.id)) ids.push(payment.id);
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
