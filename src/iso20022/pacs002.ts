// pacs.002 FIToFIPaymentStatusReport (001.10, .12, .13, .15): the model and its reader.
import {
  readAgent,
  readCharges,
  readOriginalGroup,
  readReasons,
  readSupplementaryData,
} from './components-read.js';
import type {
  Charge,
  DateOrDateTime,
  FinancialInstitution,
  OriginalGroupReference,
  ReasonInformation,
  SupplementaryData,
} from './model.js';
import {
  readOriginalIds,
  readOriginalTransactionReference,
  type OriginalIds,
  type OriginalTransactionReference,
} from './original-transaction.js';
import {
  compact,
  joinPath,
  optionalText,
  readCode,
  readCount,
  readDecimal,
  readDateOrDateTime,
  requiredElement,
  requiredText,
  type ParseContext,
} from './parse-context.js';
import { childElement, childElements, type XmlElement } from './xml-element.js';
import { checkTransactionBound } from './group-header.js';

/** ISO ExternalPaymentTransactionStatus1Code values. */
export const PAYMENT_STATUS_CODES = [
  'ACCC',
  'ACCP',
  'ACFC',
  'ACIS',
  'ACPD',
  'ACSC',
  'ACSP',
  'ACTC',
  'ACWC',
  'ACWP',
  'BLCK',
  'CANC',
  'PART',
  'PATC',
  'PDNG',
  'PRES',
  'RCVD',
  'RJCT',
] as const;

export type PaymentStatusCode = (typeof PAYMENT_STATUS_CODES)[number];

export interface StatusGroupHeader {
  readonly messageId: string;
  readonly creationDateTime: string;
  readonly instructingAgent?: FinancialInstitution;
  readonly instructedAgent?: FinancialInstitution;
}

export interface StatusCount {
  readonly numberOfTransactions: number;
  readonly status: PaymentStatusCode;
  readonly controlSum?: string;
}

/** Status of a whole original message (OrgnlGrpInfAndSts). */
export interface OriginalGroupStatus {
  readonly original: OriginalGroupReference;
  readonly originalNumberOfTransactions?: number;
  readonly originalControlSum?: string;
  readonly groupStatus?: PaymentStatusCode;
  readonly statusReasons?: readonly ReasonInformation[];
  readonly statusCounts?: readonly StatusCount[];
}

/** Status of one original transaction (TxInfAndSts). */
export interface TransactionStatus extends OriginalIds {
  readonly statusId?: string;
  readonly status?: PaymentStatusCode;
  readonly statusReasons?: readonly ReasonInformation[];
  readonly charges?: readonly Charge[];
  readonly acceptanceDateTime?: string;
  readonly effectiveInterbankSettlementDate?: DateOrDateTime;
  readonly accountServicerReference?: string;
  readonly clearingSystemReference?: string;
  readonly instructingAgent?: FinancialInstitution;
  readonly instructedAgent?: FinancialInstitution;
  readonly originalTransactionReference?: OriginalTransactionReference;
  readonly supplementaryData?: readonly SupplementaryData[];
}

export interface PaymentStatusReport {
  readonly groupHeader: StatusGroupHeader;
  readonly originalGroupStatuses: readonly OriginalGroupStatus[];
  readonly transactionStatuses: readonly TransactionStatus[];
}

function readGroupStatus(
  element: XmlElement,
  index: number,
  context: ParseContext,
): OriginalGroupStatus {
  const path = joinPath('', 'OrgnlGrpInfAndSts', index);
  const counts = childElements(element, 'NbOfTxsPerSts').flatMap((count, position) => {
    const countPath = joinPath(path, 'NbOfTxsPerSts', position);
    const numberOfTransactions = readCount(count, 'DtldNbOfTxs', countPath, context);
    const status = readCode(count, 'DtldSts', PAYMENT_STATUS_CODES, countPath, context);
    if (numberOfTransactions === undefined || status === undefined) return [];
    return [compact({
      numberOfTransactions,
      status,
      controlSum: readDecimal(count, 'DtldCtrlSum', countPath, context),
    })];
  });
  return compact({
    original: readOriginalGroup(element, path, context) ?? { messageId: '', messageNameId: '' },
    originalNumberOfTransactions: readCount(element, 'OrgnlNbOfTxs', path, context),
    originalControlSum: readDecimal(element, 'OrgnlCtrlSum', path, context),
    groupStatus: readCode(element, 'GrpSts', PAYMENT_STATUS_CODES, path, context),
    statusReasons: readReasons(element, 'StsRsnInf', path, context),
    statusCounts: counts.length === 0 ? undefined : counts,
  });
}

function readTransactionStatus(
  element: XmlElement,
  index: number,
  context: ParseContext,
): TransactionStatus {
  const path = joinPath('', 'TxInfAndSts', index);
  return compact({
    statusId: optionalText(element, 'StsId'),
    ...readOriginalIds(element, path, context),
    status: readCode(element, 'TxSts', PAYMENT_STATUS_CODES, path, context),
    statusReasons: readReasons(element, 'StsRsnInf', path, context),
    charges: readCharges(element, path, context),
    acceptanceDateTime: optionalText(element, 'AccptncDtTm'),
    effectiveInterbankSettlementDate: readDateOrDateTime(childElement(
      element,
      'FctvIntrBkSttlmDt',
    )),
    accountServicerReference: optionalText(element, 'AcctSvcrRef'),
    clearingSystemReference: optionalText(element, 'ClrSysRef'),
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
    originalTransactionReference: readOriginalTransactionReference(
      childElement(element, 'OrgnlTxRef'),
      joinPath(path, 'OrgnlTxRef'),
      context,
    ),
    supplementaryData: readSupplementaryData(element, path, context),
  });
}

/** Maps a FIToFIPmtStsRpt element; every problem is reported on `context`. */
export function readPaymentStatusReport(
  message: XmlElement,
  context: ParseContext,
): PaymentStatusReport | undefined {
  const header = requiredElement(message, 'GrpHdr', '', context);
  const statuses = childElements(message, 'TxInfAndSts');
  if (header === undefined || !checkTransactionBound(
    statuses.length,
    'TxInfAndSts',
    context,
  )) return undefined;
  return {
    groupHeader: compact({
      messageId: requiredText(header, 'MsgId', 'GrpHdr', context),
      creationDateTime: requiredText(header, 'CreDtTm', 'GrpHdr', context),
      instructingAgent: readAgent(childElement(header, 'InstgAgt'), 'GrpHdr/InstgAgt', context),
      instructedAgent: readAgent(childElement(header, 'InstdAgt'), 'GrpHdr/InstdAgt', context),
    }),
    originalGroupStatuses: childElements(message, 'OrgnlGrpInfAndSts').map((element, index) =>
      readGroupStatus(element, index, context),
    ),
    transactionStatuses: statuses.map((element, index) => readTransactionStatus(
      element,
      index,
      context,
    )),
  };
}
