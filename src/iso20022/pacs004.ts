// pacs.004 PaymentReturn (001.09 and .10): the model and its reader. As for pacs.008, each
// returned transaction is mapped on its own.
import {
  readAgent,
  readCharges,
  readOptionalAccount,
  readOptionalAgent,
  readOriginalGroup,
  readPartyOrAgent,
  readReasons,
  readSettlementInformation,
  readSupplementaryData,
} from './components-read.js';
import { checkGroupTotals, checkTransactionBound } from './group-header.js';
import type {
  Account,
  Charge,
  ChargeBearer,
  CurrencyAmount,
  FinancialInstitution,
  InvalidTransaction,
  OriginalGroupReference,
  PartyOrAgent,
  ReasonInformation,
  SettlementInformation,
  SupplementaryData,
} from './model.js';
import {
  readOriginalIdentification,
  readOriginalTransactionReference,
  type OriginalIdentification,
  type OriginalTransactionReference,
} from './original-transaction.js';
import { CHARGE_BEARERS, isInvalidTransaction } from './pacs008.js';
import {
  childContext,
  compact,
  joinPath,
  optionalText,
  readBoolean,
  readCode,
  readCount,
  readDecimal,
  readOptionalAmount,
  readRequiredAmount,
  requiredElement,
  requiredText,
  type ParseContext,
} from './parse-context.js';
import { childElement, childElements, descendant, type XmlElement } from './xml-element.js';

export interface ReturnGroupHeader {
  readonly messageId: string;
  readonly creationDateTime: string;
  readonly batchBooking?: boolean;
  readonly numberOfTransactions: number;
  readonly controlSum?: string;
  /** True when the whole original message is returned. */
  readonly groupReturn?: boolean;
  readonly totalReturnedInterbankSettlementAmount?: CurrencyAmount;
  readonly interbankSettlementDate?: string;
  readonly settlementInformation: SettlementInformation;
  readonly instructingAgent?: FinancialInstitution;
  readonly instructedAgent?: FinancialInstitution;
}

/** The parties of the returned payment, in the return's direction. */
export interface ReturnChain {
  readonly ultimateDebtor?: PartyOrAgent;
  readonly debtor: PartyOrAgent;
  /** Only in pacs.004.001.10. */
  readonly debtorAccount?: Account;
  readonly debtorAgent?: FinancialInstitution;
  readonly creditorAgent?: FinancialInstitution;
  readonly creditor: PartyOrAgent;
  /** Only in pacs.004.001.10. */
  readonly creditorAccount?: Account;
  readonly ultimateCreditor?: PartyOrAgent;
}

export interface ReturnTransaction extends OriginalIdentification {
  readonly index: number;
  readonly returnId?: string;
  readonly returnedInterbankSettlementAmount: CurrencyAmount;
  readonly interbankSettlementDate?: string;
  readonly returnedInstructedAmount?: CurrencyAmount;
  readonly exchangeRate?: string;
  readonly compensationAmount?: CurrencyAmount;
  readonly chargeBearer?: ChargeBearer;
  readonly charges?: readonly Charge[];
  readonly clearingSystemReference?: string;
  readonly instructingAgent?: FinancialInstitution;
  readonly instructedAgent?: FinancialInstitution;
  readonly returnChain?: ReturnChain;
  readonly returnReasons?: readonly ReasonInformation[];
  readonly originalTransactionReference?: OriginalTransactionReference;
  readonly supplementaryData?: readonly SupplementaryData[];
}

export interface OriginalGroupReturn extends OriginalGroupReference {
  readonly returnReasons?: readonly ReasonInformation[];
}

export interface PaymentReturn {
  readonly groupHeader: ReturnGroupHeader;
  readonly originalGroup?: OriginalGroupReturn;
  readonly transactions: readonly ReturnTransaction[];
  readonly invalidTransactions: readonly InvalidTransaction[];
}

function readReturnGroupHeader(
  element: XmlElement | undefined,
  context: ParseContext,
): ReturnGroupHeader | undefined {
  const path = 'GrpHdr';
  if (element === undefined) return undefined;
  const settlement = readSettlementInformation(
    requiredElement(element, 'SttlmInf', path, context),
    'GrpHdr/SttlmInf',
    context,
  );
  const numberOfTransactions = readCount(element, 'NbOfTxs', path, context);
  if (numberOfTransactions === undefined) requiredText(element, 'NbOfTxs', path, context);
  if (settlement === undefined || numberOfTransactions === undefined) return undefined;
  return compact({
    messageId: requiredText(element, 'MsgId', path, context),
    creationDateTime: requiredText(element, 'CreDtTm', path, context),
    batchBooking: readBoolean(element, 'BtchBookg', path, context),
    numberOfTransactions,
    controlSum: readDecimal(element, 'CtrlSum', path, context),
    groupReturn: readBoolean(element, 'GrpRtr', path, context),
    totalReturnedInterbankSettlementAmount: readOptionalAmount(
      element,
      'TtlRtrdIntrBkSttlmAmt',
      path,
      context,
    ),
    interbankSettlementDate: optionalText(element, 'IntrBkSttlmDt'),
    settlementInformation: settlement,
    instructingAgent: readOptionalAgent(element, 'InstgAgt', path, context),
    instructedAgent: readOptionalAgent(element, 'InstdAgt', path, context),
  });
}

function readReturnChain(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): ReturnChain | undefined {
  if (element === undefined) return undefined;
  const partyOrAgent = (name: string) =>
    readPartyOrAgent(childElement(element, name), joinPath(path, name), context);
  const debtor = readPartyOrAgent(
    requiredElement(element, 'Dbtr', path, context),
    joinPath(path, 'Dbtr'),
    context,
  );
  const creditor = readPartyOrAgent(
    requiredElement(element, 'Cdtr', path, context),
    joinPath(path, 'Cdtr'),
    context,
  );
  if (debtor === undefined || creditor === undefined) return undefined;
  return compact({
    ultimateDebtor: partyOrAgent('UltmtDbtr'),
    debtor,
    debtorAccount: readOptionalAccount(element, 'DbtrAcct', path, context),
    debtorAgent: readOptionalAgent(element, 'DbtrAgt', path, context),
    creditorAgent: readOptionalAgent(element, 'CdtrAgt', path, context),
    creditor,
    creditorAccount: readOptionalAccount(element, 'CdtrAcct', path, context),
    ultimateCreditor: partyOrAgent('UltmtCdtr'),
  });
}

function readReturnTransaction(
  element: XmlElement,
  index: number,
  context: ParseContext,
): ReturnTransaction | InvalidTransaction {
  const path = joinPath('', 'TxInf', index);
  const local = childContext(context);
  const returned = readRequiredAmount(element, 'RtrdIntrBkSttlmAmt', path, local);
  const transaction = compact({
    index,
    returnId: optionalText(element, 'RtrId'),
    ...readOriginalIdentification(element, path, local),
    returnedInterbankSettlementAmount: returned ?? { currency: '', value: 0n },
    interbankSettlementDate: optionalText(element, 'IntrBkSttlmDt'),
    returnedInstructedAmount: readOptionalAmount(element, 'RtrdInstdAmt', path, local),
    exchangeRate: readDecimal(element, 'XchgRate', path, local),
    compensationAmount: readOptionalAmount(element, 'CompstnAmt', path, local),
    chargeBearer: readCode(element, 'ChrgBr', CHARGE_BEARERS, path, local),
    charges: readCharges(element, path, local),
    clearingSystemReference: optionalText(element, 'ClrSysRef'),
    instructingAgent: readAgent(
      childElement(element, 'InstgAgt'),
      joinPath(path, 'InstgAgt'),
      local,
    ),
    instructedAgent: readAgent(
      childElement(element, 'InstdAgt'),
      joinPath(path, 'InstdAgt'),
      local,
    ),
    returnChain: readReturnChain(
      childElement(element, 'RtrChain'),
      joinPath(path, 'RtrChain'),
      local,
    ),
    returnReasons: readReasons(element, 'RtrRsnInf', path, local),
    originalTransactionReference: readOriginalTransactionReference(
      childElement(element, 'OrgnlTxRef'),
      joinPath(path, 'OrgnlTxRef'),
      local,
    ),
    supplementaryData: readSupplementaryData(element, path, local),
  });
  if (local.issues.length === 0 && returned !== undefined) return transaction;
  const references = compact({
    instructionId: transaction.originalInstructionId,
    endToEndId: transaction.originalEndToEndId,
    transactionId: transaction.originalTransactionId,
    uetr: transaction.originalUetr,
  });
  return { index, references, issues: local.issues };
}

/** Maps a PmtRtr element; group-level problems are reported on `context`. */
export function readPaymentReturn(
  message: XmlElement,
  context: ParseContext,
): PaymentReturn | undefined {
  const groupHeader = readReturnGroupHeader(
    requiredElement(message, 'GrpHdr', '', context),
    context,
  );
  const elements = childElements(message, 'TxInf');
  if (!checkTransactionBound(elements.length, 'TxInf', context)) return undefined;
  if (groupHeader === undefined) return undefined;
  checkGroupTotals(
    groupHeader,
    elements.map((element) => descendant(element, 'RtrdIntrBkSttlmAmt')?.text ?? ''),
    'GrpHdr',
    context,
  );
  const originalGroupElement = childElement(message, 'OrgnlGrpInf');
  const originalGroup = readOriginalGroup(originalGroupElement, 'OrgnlGrpInf', context);
  const transactions: ReturnTransaction[] = [];
  const invalidTransactions: InvalidTransaction[] = [];
  elements.forEach((element, index) => {
    const mapped = readReturnTransaction(element, index, context);
    if (isInvalidTransaction(mapped)) invalidTransactions.push(mapped);
    else transactions.push(mapped);
  });
  return compact({
    groupHeader,
    originalGroup:
      originalGroup === undefined || originalGroupElement === undefined
        ? undefined
        : compact({
            ...originalGroup,
            returnReasons: readReasons(originalGroupElement, 'RtrRsnInf', 'OrgnlGrpInf', context),
          }),
    transactions,
    invalidTransactions,
  });
}
