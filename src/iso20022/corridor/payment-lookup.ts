// Finding the payment a return (pacs.004) or a cancellation request (camt.056) is about: by its
// UETR, or by its end-to-end id as seen from the agent asking. Built on first use, by one pass
// over the payments, then kept up to date with each batch: a network that never receives a
// return or cancellation in ISO 20022 pays nothing for it.
import type { Network } from '../../network/service.js';
import type { Payment } from '../../payments/model.js';
import type { TransactionReferences } from '../model.js';

export type LookupResult =
  | { readonly ok: true; readonly payment: Payment }
  | { readonly ok: false; readonly problem: 'not_found' | 'ambiguous' };

export class PaymentLookup {
  private byUetr: Map<string, string> | undefined;
  /** agent|endToEndId → payment ids, for the debtor agent and for the creditor agent. */
  private readonly byEndToEnd = new Map<string, string[]>();
  private stop: (() => void) | undefined;

  constructor(private readonly network: Network) {}

  private add(payment: Payment): void {
    // Returns travel under the UETR of the payment they return: only originals are indexed.
    const uetrs = this.byUetr as Map<string, string>;
    if (payment.kind !== 'payment' || uetrs.get(payment.uetr) === payment.id) return;
    uetrs.set(payment.uetr, payment.id);
    for (const agent of [payment.debtorAgent, payment.creditorAgent]) {
      const key = `${agent}|${payment.endToEndId}`;
      const ids = this.byEndToEnd.get(key);
      if (ids === undefined) this.byEndToEnd.set(key, [payment.id]);
      else if (!ids.includes(payment.id)) ids.push(payment.id);
    }
  }

  private ensure(): void {
    if (this.byUetr !== undefined) return;
    this.byUetr = new Map();
    for (const payment of this.network.heldPayments()) this.add(payment);
    this.stop = this.network.subscribe(({ batch }) => {
      for (const payment of batch.context.changes.payments.values()) this.add(payment);
    });
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
    this.ensure();
    const ofAgent = (payment: Payment | undefined): payment is Payment =>
      payment !== undefined &&
      payment.kind === 'payment' &&
      (role === 'debtor' ? payment.debtorAgent : payment.creditorAgent) === agent;
    if (references.uetr !== undefined) {
      const payment = this.network.payment(this.byUetr?.get(references.uetr) ?? '');
      if (ofAgent(payment)) return { ok: true, payment };
      if (references.endToEndId === undefined) return { ok: false, problem: 'not_found' };
    }
    const ids = this.byEndToEnd.get(`${agent}|${references.endToEndId ?? ''}`) ?? [];
    const payments = ids.map((id) => this.network.payment(id)).filter(ofAgent);
    const [payment, ...others] = payments;
    if (payment === undefined) return { ok: false, problem: 'not_found' };
    return others.length === 0 ? { ok: true, payment } : { ok: false, problem: 'ambiguous' };
  }

  close(): void {
    this.stop?.();
  }
}
