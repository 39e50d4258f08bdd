// The group header of the credit transfer messages (pacs.008, pacs.009) and the group-level
// checks every batch message shares: transaction count, control sum, size bound.
import { readAgent, readPaymentType, readSettlementInformation } from './components-read.js';
import {
  agentElement,
  paymentTypeElement,
  settlementInformationElement,
} from './components-write.js';
import { decimalsEqual, sumDecimals } from './decimal.js';
import {
  amountElement,
  booleanElement,
  fault,
  requiredText,
  type GenerateContext,
} from './generate-context.js';
import { TRANSACTIONS_PER_MESSAGE_MAX } from './limits.js';
import type {
  CurrencyAmount,
  FinancialInstitution,
  PaymentType,
  SettlementInformation,
} from './model.js';
import {
  compact,
  joinPath,
  readBoolean,
  readCount,
  readDecimal,
  readOptionalAmount,
  report,
  requiredElement,
  requiredText as readRequiredText,
  optionalText,
  type ParseContext,
} from './parse-context.js';
import { childElement, type XmlElement } from './xml-element.js';
import type { OptionalElement } from './xml-writer.js';

export interface CreditTransferGroupHeader {
  readonly messageId: string;
  readonly creationDateTime: string;
  readonly batchBooking?: boolean;
  readonly numberOfTransactions: number;
  /** Exact decimal text of CtrlSum. */
  readonly controlSum?: string;
  readonly totalInterbankSettlementAmount?: CurrencyAmount;
  readonly interbankSettlementDate?: string;
  readonly settlementInformation: SettlementInformation;
  readonly paymentType?: PaymentType;
  readonly instructingAgent?: FinancialInstitution;
  readonly instructedAgent?: FinancialInstitution;
}

/** Generator input: the transaction count is derived from the transactions when absent. */
export type CreditTransferGroupHeaderInput = Omit<CreditTransferGroupHeader, 'numberOfTransactions'> & {
  readonly numberOfTransactions?: number;
};

export function readCreditTransferGroupHeader(
  element: XmlElement | undefined,
  context: ParseContext,
): CreditTransferGroupHeader | undefined {
  const path = 'GrpHdr';
  if (element === undefined) return undefined;
  const settlementInformation = readSettlementInformation(
    requiredElement(element, 'SttlmInf', path, context),
    joinPath(path, 'SttlmInf'),
    context,
  );
  const numberOfTransactions = readCount(element, 'NbOfTxs', path, context);
  if (numberOfTransactions === undefined) readRequiredText(element, 'NbOfTxs', path, context);
  if (settlementInformation === undefined || numberOfTransactions === undefined) return undefined;
  return compact({
    messageId: readRequiredText(element, 'MsgId', path, context),
    creationDateTime: readRequiredText(element, 'CreDtTm', path, context),
    batchBooking: readBoolean(element, 'BtchBookg', path, context),
    numberOfTransactions,
    controlSum: readDecimal(element, 'CtrlSum', path, context),
    totalInterbankSettlementAmount: readOptionalAmount(element, 'TtlIntrBkSttlmAmt', path, context),
    interbankSettlementDate: optionalText(element, 'IntrBkSttlmDt'),
    settlementInformation,
    paymentType: readPaymentType(
      childElement(element, 'PmtTpInf'),
      joinPath(path, 'PmtTpInf'),
      context,
    ),
    instructingAgent: readAgent(
      childElement(element, 'InstgAgt'),
      joinPath(path, 'InstgAgt'),
      context,
    ),
    instructedAgent: readAgent(
      childElement(element, 'InstdAgt'),
      joinPath(path, 'InstdAgt'),
      context,
    ),
  });
}

/** Refuses a batch larger than Corridor accepts before any transaction is mapped. */
export function checkTransactionBound(count: number, path: string, context: ParseContext): boolean {
  if (count <= TRANSACTIONS_PER_MESSAGE_MAX) return true;
  report(
    context,
    'too_many_transactions',
    path,
    `The message holds ${count} transactions; Corridor accepts at most ${TRANSACTIONS_PER_MESSAGE_MAX}.`,
  );
  return false;
}

/** NbOfTxs must count the transactions, and CtrlSum (when present) must add up their amounts. */
export function checkGroupTotals(
  declared: { readonly numberOfTransactions?: number; readonly controlSum?: string },
  amountTexts: readonly string[],
  headerPath: string,
  context: ParseContext,
): void {
  const declaredCount = declared.numberOfTransactions;
  if (declaredCount !== undefined && declaredCount !== amountTexts.length) {
    report(
      context,
      'transaction_count_mismatch',
      joinPath(headerPath, 'NbOfTxs'),
      `NbOfTxs says ${declared.numberOfTransactions} but the message holds ${amountTexts.length}.`,
    );
  }
  if (declared.controlSum === undefined) return;
  const total = sumDecimals(amountTexts);
  // Malformed amounts are reported on their own transactions; the sum is then meaningless.
  if (total !== undefined && decimalsEqual(total, declared.controlSum) === false) {
    report(
      context,
      'control_sum_mismatch',
      joinPath(headerPath, 'CtrlSum'),
      `CtrlSum says ${declared.controlSum} but the amounts add up to ${total}.`,
    );
  }
}

export function creditTransferGroupHeaderElement(
  context: GenerateContext,
  header: CreditTransferGroupHeaderInput,
  transactionCount: number,
): OptionalElement {
  const path = 'GrpHdr';
  const { build } = context;
  const declaredCount = header.numberOfTransactions;
  if (declaredCount !== undefined && declaredCount !== transactionCount) {
    fault(
      context,
      'value_mismatch',
      `${path}/NbOfTxs`,
      `NbOfTxs ${header.numberOfTransactions} does not count ${transactionCount} transactions.`,
    );
  }
  return build.element('GrpHdr', [
    requiredText(context, 'MsgId', header.messageId, path),
    requiredText(context, 'CreDtTm', header.creationDateTime, path),
    booleanElement(context, 'BtchBookg', header.batchBooking),
    build.required('NbOfTxs', String(transactionCount)),
    build.text('CtrlSum', header.controlSum),
    amountElement(context, 'TtlIntrBkSttlmAmt', header.totalInterbankSettlementAmount, path),
    build.text('IntrBkSttlmDt', header.interbankSettlementDate),
    settlementInformationElement(context, header.settlementInformation, path),
    paymentTypeElement(context, header.paymentType),
    agentElement(context, 'InstgAgt', header.instructingAgent, path),
    agentElement(context, 'InstdAgt', header.instructedAgent, path),
  ]);
}

export function checkGeneratedTransactionCount(
  context: GenerateContext,
  count: number,
  path: string,
): void {
  if (count === 0) fault(context, 'value_missing', path, 'At least one transaction is required.');
  if (count > TRANSACTIONS_PER_MESSAGE_MAX) {
    fault(
      context,
      'too_many_transactions',
      path,
      `At most ${TRANSACTIONS_PER_MESSAGE_MAX} transactions per message.`,
    );
  }
}

export function requiredGroupHeader(
  element: XmlElement,
  context: ParseContext,
): XmlElement | undefined {
  return requiredElement(element, 'GrpHdr', '', context);
}
