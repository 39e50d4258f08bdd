// pacs.008 and pacs.009 transactions as Corridor payments: one payment input per transaction,
// or the reason it is rejected before it reaches the network (agents, names, FX terms). The
// network then refuses or records each payment on its own; see gateway.ts.
import { createHash } from 'node:crypto';
import type { Network, PaymentInput } from '../../service/service.js';
import type { Participant } from '../../service/domain.js';
import type { DeclaredCharge, IsoOrigin, Party } from '../../service/domain.js';
import { decimalsEqual } from '../decimal.js';
import type { CreditTransferGroupHeader } from '../group-header.js';
import { CORRIDOR_QUOTE_ELEMENT, CORRIDOR_QUOTE_NAMESPACE } from '../corridor-quote.js';
import type {
  Account,
  Charge,
  ChargeBearer,
  CodeChoice,
  CurrencyAmount,
  FinancialInstitution,
  Party as IsoParty,
  PaymentType,
  SupplementaryData,
  TransactionReferences,
} from '../model.js';
import type { CustomerCreditTransferTransaction } from '../pacs008.js';
import type { FinancialInstitutionCreditTransferTransaction } from '../pacs009.js';
import { compact } from '../parse-context.js';
import { childElement } from '../xml-element.js';
import { describeAgent, type AgentDirectory } from './agents.js';
import { currencyIntent, type CrossCurrencyIntent } from './currency-intent.js';

/** LclInstrm/Prtry asking for a two-phase payment (the creditor agent accepts or rejects). */
export const TWO_PHASE_INSTRUMENT = 'CORRIDOR-TWO-PHASE';

/** XchgRate is ISO's BaseOneRate: at most 11 digits, 10 of them after the point. */
const RATE_DIGITS_MAX = 11;
const RATE_FRACTION_DIGITS_MAX = 10;

/** Why a transaction is rejected: an ISO ExternalStatusReason1Code and a sentence. */
export interface Rejection {
  readonly reason: string;
  readonly message: string;
}

/** A pacs.008 or pacs.009 transaction in the terms the mapping needs. */
export interface TransferFields {
  readonly index: number;
  readonly references: TransactionReferences;
  readonly instructingAgent?: FinancialInstitution;
  readonly debtorAgent?: FinancialInstitution;
  readonly creditorAgent?: FinancialInstitution;
  readonly debtor: {
    readonly party?: IsoParty;
    readonly name?: string;
    readonly account?: Account;
  };
  readonly creditor: {
    readonly party?: IsoParty;
    readonly name?: string;
    readonly account?: Account;
  };
  readonly amount: CurrencyAmount;
  readonly instructedAmount?: CurrencyAmount;
  readonly exchangeRate?: string;
  readonly quoteId?: string;
  readonly paymentType?: PaymentType;
  readonly purpose?: CodeChoice;
  readonly remittance?: readonly string[];
  readonly chargeBearer?: ChargeBearer;
  readonly charges?: readonly Charge[];
}

/** The message a transaction came in. */
export interface MessageIdentity {
  readonly sender: Participant;
  readonly messageId: string;
  readonly messageNameId: string;
  readonly creationDateTime?: string;
  readonly groupHeader: CreditTransferGroupHeader;
}

export type MappedTransfer =
  | {
      readonly ok: true;
      readonly input: PaymentInput & { readonly id: string };
      /** Cross-currency without a Corridor quote: the quote to take first (see gateway). */
      readonly fx?: CrossCurrencyIntent;
    }
  | { readonly ok: false; readonly rejection: Rejection };

export function referencesOf(transaction: {
  readonly instructionId?: string;
  readonly endToEndId?: string;
  readonly transactionId?: string;
  readonly uetr?: string;
}): TransactionReferences {
  return compact({
    instructionId: transaction.instructionId,
    endToEndId: transaction.endToEndId,
    transactionId: transaction.transactionId,
    uetr: transaction.uetr,
  });
}

export function fromCustomerTransfer(tx: CustomerCreditTransferTransaction): TransferFields {
  return compact<TransferFields>({
    index: tx.index,
    references: referencesOf(tx),
    instructingAgent: tx.instructingAgent,
    debtorAgent: tx.debtorAgent,
    creditorAgent: tx.creditorAgent,
    debtor: compact({ party: tx.debtor, name: tx.debtor.name, account: tx.debtorAccount }),
    creditor: compact({ party: tx.creditor, name: tx.creditor.name, account: tx.creditorAccount }),
    amount: tx.interbankSettlementAmount,
    instructedAmount: tx.instructedAmount,
    exchangeRate: tx.exchangeRate,
    quoteId: tx.corridorQuoteId,
    paymentType: tx.paymentType,
    purpose: tx.purpose,
    remittance: tx.remittanceInformation?.unstructured,
    chargeBearer: tx.chargeBearer,
    charges: tx.charges,
  });
}

/** The Corridor quote of a pacs.009 (the library claims it only in pacs.008). */
export function quoteIdIn(data: readonly SupplementaryData[] | undefined): string | undefined {
  const envelope = data?.find(
    (item) =>
      item.envelope.namespace === CORRIDOR_QUOTE_NAMESPACE &&
      item.envelope.name === CORRIDOR_QUOTE_ELEMENT,
  )?.envelope;
  return envelope === undefined ? undefined : childElement(envelope, 'QuoteIdentifier')?.text;
}

/** In a pacs.009 the debtor and creditor are institutions, and may be the agents themselves. */
export function fromInstitutionTransfer(
  tx: FinancialInstitutionCreditTransferTransaction,
): TransferFields {
  return compact<TransferFields>({
    index: tx.index,
    references: referencesOf(tx),
    instructingAgent: tx.instructingAgent,
    debtorAgent: tx.debtorAgent ?? tx.debtor,
    creditorAgent: tx.creditorAgent ?? tx.creditor,
    debtor: compact({
      name: tx.debtor.name ?? describeAgent(tx.debtor),
      account: tx.debtorAccount,
    }),
    creditor: compact({
      name: tx.creditor.name ?? describeAgent(tx.creditor),
      account: tx.creditorAccount,
    }),
    amount: tx.interbankSettlementAmount,
    quoteId: quoteIdIn(tx.supplementaryData),
    paymentType: tx.paymentType,
    purpose: tx.purpose,
    remittance: tx.remittanceUnstructured,
  });
}

/** A payment id from the sender, the message and the position: a resent message finds it. */
export function isoPaymentId(
  prefix: 'iso' | 'isr',
  sender: string,
  messageId: string,
  index: number,
) {
  const digest = createHash('sha256').update(`${sender}\n${messageId}\n${index}`).digest('hex');
  return `${prefix}_${digest.slice(0, 28)}`;
}

function checkSender(
  directory: AgentDirectory,
  agent: FinancialInstitution | undefined,
  sender: Participant,
  role: string,
): Rejection | undefined {
  const resolved = directory.resolve(agent);
  if (!resolved.ok) return { reason: 'RC01', message: `${role}: ${resolved.message}` };
  if (resolved.participant.id !== sender.id) {
    return {
      reason: 'AG01',
      message: `${role} is ${resolved.participant.id}; it must be the sender, ${sender.id}.`,
    };
  }
  return undefined;
}

function checkAgents(
  directory: AgentDirectory,
  fields: TransferFields,
  identity: MessageIdentity,
): Rejection | string {
  const instructing = fields.instructingAgent ?? identity.groupHeader.instructingAgent;
  const problem =
    (instructing === undefined
      ? undefined
      : checkSender(directory, instructing, identity.sender, 'The instructing agent')) ??
    checkSender(directory, fields.debtorAgent, identity.sender, 'The debtor agent');
  if (problem !== undefined) return problem;
  const creditor = directory.resolve(fields.creditorAgent);
  if (!creditor.ok) return { reason: 'RC01', message: `The creditor agent: ${creditor.message}` };
  return creditor.participant.id;
}

/** The rate, and the same rate cut to what XchgRate can hold (a bank may have to cut it). */
export function carriableRates(rate: string): string[] {
  const [whole = '0', fraction = ''] = rate.split('.');
  let kept = fraction.slice(0, RATE_FRACTION_DIGITS_MAX);
  const significant = (digits: string) => digits.replace(/^0+/, '').length;
  while (kept.length > 0 && significant(`${whole}${kept}`) > RATE_DIGITS_MAX)
    kept = kept.slice(0, -1);
  return [rate, kept.length > 0 ? `${whole}.${kept}` : whole];
}

/** FX terms against the quote; a missing or foreign quote is left to the network (AB03). */
function checkExchange(
  network: Network,
  fields: TransferFields,
  sender: string,
): Rejection | undefined {
  const instructed = fields.instructedAmount;
  if (fields.quoteId === undefined) return undefined;
  const quote = network.liveQuoteOf(sender, fields.quoteId);
  if (quote === undefined) return undefined;
  if (
    instructed !== undefined &&
    (instructed.currency !== quote.source || instructed.value !== quote.sendAmount)
  ) {
    return { reason: 'AM09', message: "InstdAmt differs from the quote's send amount." };
  }
  const rate = fields.exchangeRate;
  if (rate !== undefined && !carriableRates(quote.rate).some((r) => decimalsEqual(r, rate))) {
    return {
      reason: 'AM09',
      message: `XchgRate ${rate} differs from the quote's rate ${quote.rate}.`,
    };
  }
  return undefined;
}

function identifiersOf(party: IsoParty | undefined): Record<string, string> | undefined {
  const identification = party?.identification;
  if (identification === undefined) return undefined;
  const result: Record<string, string> = {};
  const add = (type: string, value: string | undefined): void => {
    if (value === undefined) return;
    let key = type;
    for (let n = 2; key in result; n++) key = `${type}#${n}`;
    result[key] = value;
  };
  const others =
    'organisation' in identification
      ? (add('BIC', identification.organisation.anyBic),
        add('LEI', identification.organisation.lei),
        identification.organisation.others)
      : (add('BirthDate', identification.person.dateAndPlaceOfBirth?.birthDate),
        identification.person.others);
  for (const other of others ?? []) {
    const scheme = other.scheme;
    add(
      scheme === undefined ? 'OTHR' : 'code' in scheme ? scheme.code : scheme.proprietary,
      other.identification,
    );
  }
  return Object.keys(result).length === 0 ? undefined : result;
}

function accountText(account: Account | undefined): string | undefined {
  const identification = account?.identification;
  if (identification === undefined) return undefined;
  return 'iban' in identification ? identification.iban : identification.other.identification;
}

function partyOf(side: TransferFields['debtor'], name: string): Party {
  return compact<Party>({
    name,
    account: accountText(side.account),
    identifiers: identifiersOf(side.party),
    country: side.party?.countryOfResidence ?? side.party?.postalAddress?.country,
  });
}

function originOf(fields: TransferFields, identity: MessageIdentity): IsoOrigin {
  const charges: DeclaredCharge[] | undefined = fields.charges?.map((charge) => ({
    amount: charge.amount.value,
    currency: charge.amount.currency,
    agent: describeAgent(charge.agent),
  }));
  return compact<IsoOrigin>({
    messageId: identity.messageId,
    messageNameId: identity.messageNameId,
    creationDateTime: identity.creationDateTime,
    instructionId: fields.references.instructionId,
    transactionId: fields.references.transactionId,
    chargeBearer: fields.chargeBearer,
    charges,
  });
}

function isTwoPhase(fields: TransferFields, identity: MessageIdentity): boolean {
  const instrument =
    fields.paymentType?.localInstrument ?? identity.groupHeader.paymentType?.localInstrument;
  return instrument !== undefined && 'proprietary' in instrument
    ? instrument.proprietary === TWO_PHASE_INSTRUMENT
    : false;
}

/** Maps one transaction to the payment it asks for, or says why it is rejected. */
export function mapTransfer(
  network: Network,
  directory: AgentDirectory,
  fields: TransferFields,
  identity: MessageIdentity,
): MappedTransfer {
  const creditorAgent = checkAgents(directory, fields, identity);
  if (typeof creditorAgent !== 'string') return { ok: false, rejection: creditorAgent };
  const debtorName = fields.debtor.name;
  const creditorName = fields.creditor.name;
  if (debtorName === undefined)
    return {
      ok: false,
      rejection: { reason: 'RR02', message: 'The debtor has no name (Dbtr/Nm).' },
    };
  if (creditorName === undefined) {
    return {
      ok: false,
      rejection: { reason: 'RR03', message: 'The creditor has no name (Cdtr/Nm).' },
    };
  }
  const exchange = checkExchange(network, fields, identity.sender.id);
  if (exchange !== undefined) return { ok: false, rejection: exchange };
  const creditor = network.participant(creditorAgent);
  const intent =
    fields.quoteId !== undefined || creditor === undefined
      ? ({ kind: 'domestic' } as const)
      : currencyIntent(fields, identity.sender, creditor);
  if (intent.kind === 'rejected') return { ok: false, rejection: intent.rejection };
  const fx = intent.kind === 'cross' ? crossOf(intent) : undefined;
  const purpose = fields.purpose;
  const input: PaymentInput & { id: string } = compact({
    id: isoPaymentId('iso', identity.sender.id, identity.messageId, fields.index),
    mode: isTwoPhase(fields, identity) ? 'two_phase' : 'instant',
    creditorAgent,
    debtor: partyOf(fields.debtor, debtorName),
    creditor: partyOf(fields.creditor, creditorName),
    quoteId: fields.quoteId,
    // Cross-currency: the quote (taken by the gateway) fixes the amounts.
    currency: fx === undefined ? fields.amount.currency : undefined,
    amount: fx === undefined ? fields.amount.value : undefined,
    purpose:
      purpose === undefined ? undefined : 'code' in purpose ? purpose.code : purpose.proprietary,
    remittanceInformation: fields.remittance?.join(' '),
    // InstrPrty HIGH: an urgent payment, first in the settlement queue if it has to wait.
    priority: priorityOf(fields.paymentType?.instructionPriority),
    endToEndId: fields.references.endToEndId ?? '',
    uetr: fields.references.uetr,
    iso: originOf(fields, identity),
  });
  return fx === undefined ? { ok: true, input } : { ok: true, input, fx };
}

function crossOf(intent: CrossCurrencyIntent & { kind: 'cross' }): CrossCurrencyIntent {
  const { kind: _kind, ...cross } = intent;
  return cross;
}

function priorityOf(priority: string | undefined): 'urgent' | 'normal' | undefined {
  if (priority === 'HIGH') return 'urgent';
  return priority === 'NORM' ? 'normal' : undefined;
}
