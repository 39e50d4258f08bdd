// pacs.002 generation: 001.10 by default (CBPR+, Fedwire and FedNow), or .12, .13, .15.
import {
  agentElement,
  chargeElements,
  reasonElements,
  supplementaryDataElements,
} from './components-write.js';
import {
  isGenerateResult,
  dateOrDateTimeElement,
  fault,
  finishDocument,
  pathOf,
  requiredText,
  startGeneration,
  type GenerateContext,
  type GenerateOptions,
  type GenerateResult,
} from './generate-context.js';
import { TRANSACTIONS_PER_MESSAGE_MAX } from './limits.js';
import {
  originalIdElements,
  originalTransactionReferenceElement,
} from './original-transaction.js';
import type { OriginalGroupStatus, PaymentStatusReport, TransactionStatus } from './pacs002.js';

export type PaymentStatusReportVersion = 10 | 12 | 13 | 15;

export interface PaymentStatusReportGenerateOptions extends GenerateOptions {
  /** Default: 10 (pacs.002.001.10). */
  readonly version?: PaymentStatusReportVersion;
}

/** A rejection must say why; ISO market practices (CBPR+, FedNow) require the reason. */
function checkRejectionReason(
  context: GenerateContext,
  status: string | undefined,
  reasons: readonly unknown[] | undefined,
  path: string,
): void {
  if (status === 'RJCT' && (reasons ?? []).length === 0) {
    fault(
      context,
      'value_missing',
      pathOf(path, 'StsRsnInf'),
      'A RJCT status needs a status reason.',
    );
  }
}

function groupStatusElement(
  context: GenerateContext,
  group: OriginalGroupStatus,
  position: number,
) {
  const { build } = context;
  const path = pathOf('', 'OrgnlGrpInfAndSts', position);
  checkRejectionReason(context, group.groupStatus, group.statusReasons, path);
  const original = group.original;
  return build.element('OrgnlGrpInfAndSts', [
    requiredText(context, 'OrgnlMsgId', original.messageId, path),
    requiredText(context, 'OrgnlMsgNmId', original.messageNameId, path),
    build.text('OrgnlCreDtTm', original.creationDateTime),
    build.text('OrgnlNbOfTxs', group.originalNumberOfTransactions?.toString()),
    build.text('OrgnlCtrlSum', group.originalControlSum),
    build.text('GrpSts', group.groupStatus),
    ...reasonElements(context, 'StsRsnInf', group.statusReasons, path),
    ...(group.statusCounts ?? []).map((count) =>
      build.element('NbOfTxsPerSts', [
        build.required('DtldNbOfTxs', String(count.numberOfTransactions)),
        build.required('DtldSts', count.status),
        build.text('DtldCtrlSum', count.controlSum),
      ]),
    ),
  ]);
}

function transactionStatusElement(
  context: GenerateContext,
  status: TransactionStatus,
  position: number,
) {
  const { build } = context;
  const path = pathOf('', 'TxInfAndSts', position);
  checkRejectionReason(context, status.status, status.statusReasons, path);
  return build.element('TxInfAndSts', [
    build.text('StsId', status.statusId),
    ...originalIdElements(context, status, path),
    build.text('OrgnlUETR', status.originalUetr),
    build.text('TxSts', status.status),
    ...reasonElements(context, 'StsRsnInf', status.statusReasons, path),
    ...chargeElements(context, status.charges, path),
    build.text('AccptncDtTm', status.acceptanceDateTime),
    dateOrDateTimeElement(context, 'FctvIntrBkSttlmDt', status.effectiveInterbankSettlementDate),
    build.text('AcctSvcrRef', status.accountServicerReference),
    build.text('ClrSysRef', status.clearingSystemReference),
    agentElement(context, 'InstgAgt', status.instructingAgent, path),
    agentElement(context, 'InstdAgt', status.instructedAgent, path),
    originalTransactionReferenceElement(context, status.originalTransactionReference, path),
    ...supplementaryDataElements(context, status.supplementaryData),
  ]);
}

/** Generates a pacs.002 Document from a status report model. */
export function generatePaymentStatusReport(
  report: PaymentStatusReport,
  options: PaymentStatusReportGenerateOptions = {},
): GenerateResult {
  const version = options.version ?? 10;
  const started = startGeneration('pacs.002', version, options);
  if (isGenerateResult(started)) return started;
  const { context, definition } = started;
  const { build } = context;
  const statusCount = report.originalGroupStatuses.length + report.transactionStatuses.length;
  if (statusCount === 0) {
    fault(context, 'value_missing', '', 'A status report needs a group or a transaction status.');
  }
  if (report.transactionStatuses.length > TRANSACTIONS_PER_MESSAGE_MAX) {
    fault(
      context,
      'too_many_transactions',
      'TxInfAndSts',
      `At most ${TRANSACTIONS_PER_MESSAGE_MAX} statuses per message.`,
    );
  }
  const header = report.groupHeader;
  const message = build.element('FIToFIPmtStsRpt', [
    build.element('GrpHdr', [
      requiredText(context, 'MsgId', header.messageId, 'GrpHdr'),
      requiredText(context, 'CreDtTm', header.creationDateTime, 'GrpHdr'),
      agentElement(context, 'InstgAgt', header.instructingAgent, 'GrpHdr'),
      agentElement(context, 'InstdAgt', header.instructedAgent, 'GrpHdr'),
    ]),
    ...report.originalGroupStatuses.map((group, position) =>
      groupStatusElement(context, group, position),
    ),
    ...report.transactionStatuses.map((status, position) =>
      transactionStatusElement(context, status, position),
    ),
  ]);
  return finishDocument(context, definition, message);
}
