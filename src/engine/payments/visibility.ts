// Who may see what: one set of rules for every adapter (API, dashboard, ISO 20022, CLI). A
// participant sees the payments it is a party to (debtor or creditor agent, FX provider); a
// central bank also sees every payment in a currency it issues, and the accounts in it; the
// operator sees everything. The rules take a Viewer (who asks, and what it issues), so that
// they are plain functions of data, and the store's reads apply the same rule in SQL
// (network/reads.ts) with paymentScope().
import type { Payment } from './model.js';

export type ViewerKind = 'operator' | 'central_bank' | 'bank' | 'fx_provider';

export interface Viewer {
  readonly id: string;
  readonly kind: ViewerKind;
  /** The currencies it issues (a central bank); empty for others. */
  readonly issued: readonly string[];
}

/** The currencies `participantId` issues, from the network's currency definitions. */
export function issuedCurrencies(
  currencies: Iterable<{ readonly code: string; readonly issuer: string }>,
  participantId: string,
): string[] {
  const issued: string[] = [];
  for (const currency of currencies) {
    if (currency.issuer === participantId) issued.push(currency.code);
  }
  return issued;
}

export function viewerOf(
  participant: { readonly id: string; readonly kind: ViewerKind },
  currencies: Iterable<{ readonly code: string; readonly issuer: string }>,
): Viewer {
  return { id: participant.id, kind: participant.kind,
    issued: participant.kind === 'central_bank' ? issuedCurrencies(currencies, participant.id) : [] };
}

export function isPartyTo(participantId: string, payment: Payment): boolean {
  return payment.debtorAgent === participantId || payment.creditorAgent === participantId ||
    payment.fxProvider === participantId;
}

export function canSeePayment(viewer: Viewer, payment: Payment): boolean {
  if (viewer.kind === 'operator' || isPartyTo(viewer.id, payment)) return true;
  return viewer.kind === 'central_bank' && (viewer.issued.includes(payment.sourceCurrency) ||
    viewer.issued.includes(payment.targetCurrency));
}

/** A participant's account in `currency`: its own, its currency's issuer's, or the operator's. */
export function canSeeAccount(viewer: Viewer, participantId: string, currency: string): boolean {
  if (viewer.kind === 'operator' || viewer.id === participantId) return true;
  return viewer.kind === 'central_bank' && viewer.issued.includes(currency);
}

/**
 * A status change goes to its audience (the payment's parties and its currencies' issuers,
 * fixed when it happened) and to the operator.
 */
export function canSeeEvent(
  viewer: Viewer,
  event: { readonly audience: readonly string[] },
): boolean {
  return viewer.kind === 'operator' || event.audience.includes(viewer.id);
}

/** Screening holds are reviewed by the operator and by central banks. */
export function isReviewer(viewer: Viewer): boolean {
  return viewer.kind === 'operator' || viewer.kind === 'central_bank';
}

/** A hold `viewer` may review: it reviews, and sees the payment. */
export function canReview(viewer: Viewer, payment: Payment): boolean {
  return isReviewer(viewer) && canSeePayment(viewer, payment);
}

/** canSeePayment as data, for a query: everything, or a party id and issued currencies. */
export type PaymentScope =
  | { readonly all: true }
  | { readonly all: false; readonly party: string; readonly currencies: readonly string[] };

export function paymentScope(viewer: Viewer): PaymentScope {
  if (viewer.kind === 'operator') return { all: true };
  return { all: false, party: viewer.id,
    currencies: viewer.kind === 'central_bank' ? viewer.issued : [] };
}
