// Ledger movements as camt.053/camt.054 entries: a payment leg on one account, with the payment
// it belongs to as the entry's transaction details, and Corridor accounts as report accounts.
import type { Network } from '../../service/service.js';
import type { Party, Payment, PaymentLeg } from '../../service/domain.js';
import type { StoredTransfer } from '../../storage/store.js';
import type {
  BankTransactionCode,
  EntryTransaction,
  ReportAccount,
  ReportEntry,
} from '../account-report.js';
import type { Account, CodeChoice, CreditDebit } from '../model.js';
import { compact } from '../parse-context.js';
import { agentOfId, corridorAgent } from './agents.js';
import { amountDetailsOf, entryChargesOf } from './fx-report.js';
import { isoDate, isoDateTime, quotable } from './outbound.js';

const ISSUER = 'CORRIDOR';
const IBAN = /^[A-Z]{2}[0-9]{2}[A-Za-z0-9]{1,30}$/;
/** GenericAccountIdentification1/Id is Max34Text. */
const ACCOUNT_ID_LENGTH_MAX = 34;

/** ISO bank transaction codes (domain PMNT) of each leg role, on the debit and credit side. */
const FAMILIES: Readonly<Record<PaymentLeg['role'], readonly [string, string, string]>> = {
  debtor_to_creditor: ['ICDT', 'RCDT', 'DMCT'],
  debtor_to_provider: ['ICDT', 'RCDT', 'XBCT'],
  provider_to_creditor: ['ICDT', 'RCDT', 'XBCT'],
  provider_to_provider: ['ICDT', 'RCDT', 'XBCT'],
  fee: ['MDOP', 'MCOP', 'CHRG'],
  return_creditor_to_provider: ['ICDT', 'RCDT', 'RRTN'],
  return_provider_to_debtor: ['ICDT', 'RCDT', 'RRTN'],
  return_creditor_to_debtor: ['ICDT', 'RCDT', 'RRTN'],
};

export function bankTransactionCode(
  role: PaymentLeg['role'],
  credit: boolean,
): BankTransactionCode {
  const [debitFamily, creditFamily, subFamily] = FAMILIES[role];
  return {
    domain: {
      code: 'PMNT',
      familyCode: credit ? creditFamily : debitFamily,
      subFamilyCode: subFamily,
    },
    proprietary: { code: role.toUpperCase(), issuer: ISSUER },
  };
}

export function accountOfParty(party: Party): Account | undefined {
  const account = party.account;
  if (account === undefined) return undefined;
  return {
    identification: IBAN.test(account) ? { iban: account } : { other: { identification: account } },
  };
}

export function purposeOf(payment: Payment): CodeChoice | undefined {
  const purpose = payment.purpose;
  if (purpose === undefined) return undefined;
  return /^[A-Z0-9]{1,4}$/.test(purpose) ? { code: purpose } : { proprietary: purpose };
}

function partyOf(party: Party) {
  return { party: compact({ name: party.name, countryOfResidence: party.country }) };
}

/** The payment behind an entry, as camt TxDtls. */
export function entryTransaction(
  network: Network,
  payment: Payment,
  amount: { readonly value: bigint; readonly currency: string },
  creditDebit: CreditDebit,
): EntryTransaction {
  return compact<EntryTransaction>({
    references: compact({
      messageId: payment.iso?.messageId,
      accountServicerReference: quotable(payment.id),
      instructionId: payment.iso?.instructionId,
      endToEndId: payment.endToEndId,
      uetr: payment.uetr,
      transactionId: payment.iso?.transactionId,
    }),
    amount,
    creditDebit,
    amountDetails: amountDetailsOf(payment),
    charges: entryChargesOf(payment, (id) => agentOfId(network, id)),
    relatedParties: compact({
      debtor: partyOf(payment.debtor),
      debtorAccount: accountOfParty(payment.debtor),
      creditor: partyOf(payment.creditor),
      creditorAccount: accountOfParty(payment.creditor),
    }),
    relatedAgents: {
      debtorAgent: agentOfId(network, payment.debtorAgent),
      creditorAgent: agentOfId(network, payment.creditorAgent),
    },
    purpose: purposeOf(payment),
    remittanceInformation:
      payment.remittanceInformation === undefined
        ? undefined
        : { unstructured: [payment.remittanceInformation] },
  });
}

/** One leg of a payment booked on `accountId` at `bookedAt`. */
export function legEntry(
  network: Network,
  payment: Payment,
  leg: PaymentLeg,
  accountId: string,
  bookedAt: number,
  reference?: string,
): ReportEntry {
  const credit = leg.creditAccountId === accountId;
  const amount = { value: leg.amount, currency: leg.currency };
  const creditDebit: CreditDebit = credit ? 'CRDT' : 'DBIT';
  return compact<ReportEntry>({
    reference: quotable(reference),
    amount,
    creditDebit,
    status: { code: 'BOOK' },
    bookingDate: { dateTime: isoDateTime(bookedAt) },
    valueDate: { date: isoDate(bookedAt) },
    accountServicerReference: quotable(leg.transferId),
    bankTransactionCode: bankTransactionCode(leg.role, credit),
    transactions: [entryTransaction(network, payment, amount, creditDebit)],
    additionalEntryInformation: leg.role === 'fee' ? `Fee of payment ${payment.id}` : undefined,
  });
}

/** A booked ledger transfer as a statement entry: a payment leg, an issuance or a redemption. */
export function transferEntry(
  network: Network,
  transfer: StoredTransfer,
  accountId: string,
  /** The payment the transfer's reference names, if it names one (from network.reads). */
  payment: Payment | undefined,
): ReportEntry {
  const leg = payment?.legs.find(
    (candidate) =>
      candidate.transferId === transfer.id || candidate.transferId === transfer.pendingId,
  );
  const reference = String(transfer.sequence);
  if (payment !== undefined && leg !== undefined) {
    return legEntry(
      network,
      payment,
      { ...leg, amount: transfer.amount },
      accountId,
      transfer.timestamp,
      reference,
    );
  }
  const credit = transfer.creditAccountId === accountId;
  const kind = transfer.id.startsWith('issue:')
    ? 'ISSUANCE'
    : transfer.id.startsWith('redeem:')
      ? 'REDEMPTION'
      : 'TRANSFER';
  return compact<ReportEntry>({
    reference,
    amount: { value: transfer.amount, currency: transfer.currency },
    creditDebit: credit ? 'CRDT' : 'DBIT',
    status: { code: 'BOOK' },
    bookingDate: { dateTime: isoDateTime(transfer.timestamp) },
    valueDate: { date: isoDate(transfer.timestamp) },
    accountServicerReference: quotable(transfer.id),
    bankTransactionCode: { proprietary: { code: kind, issuer: ISSUER } },
    additionalEntryInformation: `${kind.toLowerCase()} ${transfer.reference}`.slice(0, 500),
  });
}

/** A Corridor ledger account (participant:CUR, participant:CUR:fees or :issuance) for a report. */
export function reportAccountOf(network: Network, accountId: string): ReportAccount {
  const [owner = accountId, currency = '', kind] = accountId.split(':');
  const type: CodeChoice =
    kind === 'fees'
      ? { code: 'CHAR' }
      : kind === 'issuance'
        ? { proprietary: 'ISSUANCE' }
        : { code: 'SACC' };
  const name = network.participant(owner)?.name;
  return compact<ReportAccount>({
    identification: {
      other: {
        identification: accountId.length <= ACCOUNT_ID_LENGTH_MAX ? accountId : owner,
        scheme: { proprietary: ISSUER },
      },
    },
    type,
    currency,
    owner: name === undefined ? undefined : { name },
    servicer: corridorAgent(network),
  });
}
