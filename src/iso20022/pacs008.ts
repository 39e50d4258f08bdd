// pacs.008 FIToFICustomerCreditTransfer (versions 001.08 to 001.13): the model and its reader.
// Each transaction is mapped on its own, so one bad amount rejects that transaction only.
import {
  readAccount,
  readAgent,
  readCharges,
  readOptionalAgent,
  readParty,
  readPaymentType,
  readRemittance,
  readSupplementaryData,
} from './components-read.js';
import { corridorQuoteConsumer } from './corridor-quote.js';
import {
  checkGroupTotals,
  checkTransactionBound,
  readCreditTransferGroupHeader,
  requiredGroupHeader,
  type CreditTransferGroupHeader,
} from './group-header.js';
import type {
  Account,
  ChargeBearer,
  Charge,
  CodeChoice,
  CurrencyAmount,
  FinancialInstitution,
  InvalidTransaction,
  Party,
  PaymentType,
  RemittanceInformation,
  SupplementaryData,
  TransactionReferences,
} from './model.js';
import {
  childContext,
  compact,
  joinPath,
  optionalText,
  readCodeChoice,
  readDecimal,
  readRequiredDecimal,
  readOptionalAmount,
  readRequiredAmount,
  readRequiredCode,
  requiredElement,
  requiredText,
  type ParseContext,
} from './parse-context.js';
import {
  childElement,
  childElements,
  descendant,
  descendantText,
  type XmlElement,
} from './xml-element.js';

export const CHARGE_BEARERS: readonly ChargeBearer[] = ['DEBT', 'CRED', 'SHAR', 'SLEV'];

/** The pre-agreed rate of pacs.008.001.13 (AgrdRate); ISO's own home for a quote id (UUIDv4). */
export interface AgreedRate {
  readonly unitCurrency?: string;
  readonly quotedCurrency?: string;
  /** Exact decimal text of PreAgrdXchgRate. */
  readonly exchangeRate: string;
  readonly quotationDateTime?: string;
  readonly quoteId?: string;
  readonly foreignExchangeAgent?: FinancialInstitution;
}

export interface CustomerCreditTransferTransaction {
  /** Zero-based position of the transaction in the message. */
  readonly index: number;
  readonly instructionId?: string;
  readonly endToEndId: string;
  readonly transactionId?: string;
  readonly uetr?: string;
  readonly clearingSystemReference?: string;
  readonly paymentType?: PaymentType;
  readonly interbankSettlementAmount: CurrencyAmount;
  readonly interbankSettlementDate?: string;
  readonly acceptanceDateTime?: string;
  /** The amount as the debtor instructed it: the debtor's currency in a cross-currency payment. */
  readonly instructedAmount?: CurrencyAmount;
  /** Exact decimal text of XchgRate: the rate between instructed and settlement currency. */
  readonly exchangeRate?: string;
  /** Only in pacs.008.001.13. */
  readonly agreedRate?: AgreedRate;
  readonly chargeBearer: ChargeBearer;
  readonly charges?: readonly Charge[];
  readonly instructingAgent?: FinancialInstitution;
  readonly instructedAgent?: FinancialInstitution;
  /** IntrmyAgt1 to IntrmyAgt3, in order. */
  readonly intermediaryAgents?: readonly FinancialInstitution[];
  readonly ultimateDebtor?: Party;
  readonly debtor: Party;
  readonly debtorAccount?: Account;
  readonly debtorAgent: FinancialInstitution;
  readonly creditorAgent: FinancialInstitution;
  readonly creditor: Party;
  readonly creditorAccount?: Account;
  readonly ultimateCreditor?: Party;
  readonly purpose?: CodeChoice;
  readonly remittanceInformation?: RemittanceInformation;
  /** Corridor's FX quote, from Corridor's SplmtryData extension. */
  readonly corridorQuoteId?: string;
  /** Other supplementary data, kept as received. */
  readonly supplementaryData?: readonly SupplementaryData[];
}

export interface CustomerCreditTransfer {
  readonly groupHeader: CreditTransferGroupHeader;
  readonly transactions: readonly CustomerCreditTransferTransaction[];
  /** Transactions that could not be mapped (unknown currency, too many decimals, ...). */
  readonly invalidTransactions: readonly InvalidTransaction[];
}

export const INTERMEDIARY_AGENT_ELEMENTS = ['IntrmyAgt1', 'IntrmyAgt2', 'IntrmyAgt3'] as const;

/** The identifiers a status or reject must quote, read even when the rest is unreadable. */
export function readPaymentReferences(transaction: XmlElement): TransactionReferences {
  return compact({
    instructionId: descendantText(transaction, 'PmtId', 'InstrId'),
    endToEndId: descendantText(transaction, 'PmtId', 'EndToEndId'),
    transactionId: descendantText(transaction, 'PmtId', 'TxId'),
    uetr: descendantText(transaction, 'PmtId', 'UETR'),
  });
}

function readAgreedRate(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): AgreedRate | undefined {
  if (element === undefined) return undefined;
  return compact({
    unitCurrency: optionalText(element, 'UnitCcy'),
    quotedCurrency: optionalText(element, 'QtdCcy'),
    exchangeRate: readRequiredDecimal(element, 'PreAgrdXchgRate', path, context),
    quotationDateTime: optionalText(element, 'QtnDtTm'),
    quoteId: optionalText(element, 'QtId'),
    foreignExchangeAgent: readOptionalAgent(element, 'FXAgt', path, context),
  });
}

function readIntermediaries(element: XmlElement, path: string, context: ParseContext) {
  const agents: FinancialInstitution[] = [];
  for (const name of INTERMEDIARY_AGENT_ELEMENTS) {
    const agent = readOptionalAgent(element, name, path, context);
    if (agent !== undefined) agents.push(agent);
  }
  return agents.length === 0 ? undefined : agents;
}

function readParties(element: XmlElement, path: string, context: ParseContext) {
  const party = (name: string) =>
    readParty(childElement(element, name), joinPath(path, name), context);
  const account = (name: string) =>
    readAccount(childElement(element, name), joinPath(path, name), context);
  return {
    ultimateDebtor: party('UltmtDbtr'),
    debtor: readParty(
      requiredElement(element, 'Dbtr', path, context),
      joinPath(path, 'Dbtr'),
      context,
    ),
    debtorAccount: account('DbtrAcct'),
    debtorAgent: readAgent(
      requiredElement(element, 'DbtrAgt', path, context),
      joinPath(path, 'DbtrAgt'),
      context,
    ),
    creditorAgent: readAgent(
      requiredElement(element, 'CdtrAgt', path, context),
      joinPath(path, 'CdtrAgt'),
      context,
    ),
    creditor: readParty(
      requiredElement(element, 'Cdtr', path, context),
      joinPath(path, 'Cdtr'),
      context,
    ),
    creditorAccount: account('CdtrAcct'),
    ultimateCreditor: party('UltmtCdtr'),
  };
}

/** The identifiers, amounts, rates and agents of a transaction: everything but its parties. */
function readPaymentFields(element: XmlElement, path: string, context: ParseContext) {
  const paymentId = requiredElement(element, 'PmtId', path, context);
  const acceptance = optionalText(element, 'AccptncDtTm');
  return {
    instructionId: optionalText(paymentId, 'InstrId'),
    endToEndId: requiredText(paymentId, 'EndToEndId', joinPath(path, 'PmtId'), context),
    transactionId: optionalText(paymentId, 'TxId'),
    uetr: optionalText(paymentId, 'UETR'),
    clearingSystemReference: optionalText(paymentId, 'ClrSysRef'),
    paymentType: readPaymentType(
      childElement(element, 'PmtTpInf'),
      joinPath(path, 'PmtTpInf'),
      context,
    ),
    interbankSettlementDate: optionalText(element, 'IntrBkSttlmDt'),
    // pacs.008.001.13 moved the acceptance time under AddtlDtTm.
    acceptanceDateTime: acceptance ?? descendantText(element, 'AddtlDtTm', 'AccptncDtTm'),
    instructedAmount: readOptionalAmount(element, 'InstdAmt', path, context),
    exchangeRate: readDecimal(element, 'XchgRate', path, context),
    agreedRate: readAgreedRate(
      childElement(element, 'AgrdRate'),
      joinPath(path, 'AgrdRate'),
      context,
    ),
    charges: readCharges(element, path, context),
    instructingAgent: readOptionalAgent(element, 'InstgAgt', path, context),
    instructedAgent: readOptionalAgent(element, 'InstdAgt', path, context),
    intermediaryAgents: readIntermediaries(element, path, context),
    purpose: readCodeChoice(childElement(element, 'Purp')),
    remittanceInformation: readRemittance(childElement(element, 'RmtInf')),
  };
}

function readTransaction(
  element: XmlElement,
  index: number,
  context: ParseContext,
): CustomerCreditTransferTransaction | InvalidTransaction {
  const path = joinPath('', 'CdtTrfTxInf', index);
  const local = childContext(context);
  let corridorQuoteId: string | undefined;
  const consumeQuote = corridorQuoteConsumer(local, (id) => (corridorQuoteId = id));
  const supplementaryData = readSupplementaryData(element, path, local, consumeQuote);
  const fields = readPaymentFields(element, path, local);
  const parties = readParties(element, path, local);
  const amount = readRequiredAmount(element, 'IntrBkSttlmAmt', path, local);
  const chargeBearer = readRequiredCode(element, 'ChrgBr', CHARGE_BEARERS, path, local);
  const { debtor, debtorAgent, creditor, creditorAgent } = parties;
  if (
    local.issues.length > 0 ||
    amount === undefined ||
    chargeBearer === undefined ||
    debtor === undefined ||
    debtorAgent === undefined ||
    creditor === undefined ||
    creditorAgent === undefined
  ) {
    return { index, references: readPaymentReferences(element), issues: local.issues };
  }
  return compact({
    index,
    ...fields,
    ...parties,
    debtor,
    debtorAgent,
    creditor,
    creditorAgent,
    interbankSettlementAmount: amount,
    chargeBearer,
    corridorQuoteId,
    supplementaryData,
  });
}

export function isInvalidTransaction(value: object): value is InvalidTransaction {
  return 'issues' in value && 'references' in value;
}

/**
 * Maps the part pacs.008 and pacs.009 share: the group header, the bound on transactions, the
 * group totals, and each CdtTrfTxInf through `readOne`, keeping invalid ones apart.
 */
export function readCreditTransferMessage<T extends object>(
  message: XmlElement,
  context: ParseContext,
  readOne: (element: XmlElement, index: number, context: ParseContext) => T | InvalidTransaction,
):
  | {
      groupHeader: CreditTransferGroupHeader;
      transactions: T[];
      invalidTransactions: InvalidTransaction[];
    }
  | undefined {
  const groupHeader = readCreditTransferGroupHeader(requiredGroupHeader(message, context), context);
  const elements = childElements(message, 'CdtTrfTxInf');
  if (!checkTransactionBound(elements.length, 'CdtTrfTxInf', context)) return undefined;
  if (groupHeader === undefined) return undefined;
  checkGroupTotals(
    groupHeader,
    elements.map((element) => descendant(element, 'IntrBkSttlmAmt')?.text ?? ''),
    'GrpHdr',
    context,
  );
  const transactions: T[] = [];
  const invalidTransactions: InvalidTransaction[] = [];
  elements.forEach((element, index) => {
    const mapped = readOne(element, index, context);
    if (isInvalidTransaction(mapped)) invalidTransactions.push(mapped);
    else transactions.push(mapped);
  });
  return { groupHeader, transactions, invalidTransactions };
}

/** Maps a FIToFICstmrCdtTrf element; group-level problems are reported on `context`. */
export function readCustomerCreditTransfer(
  message: XmlElement,
  context: ParseContext,
): CustomerCreditTransfer | undefined {
  return readCreditTransferMessage(message, context, readTransaction);
}
