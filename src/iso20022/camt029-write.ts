// camt.029.001.09 generation: the resolution Corridor sends in answer to a camt.056.
import {
  partyOrAgentElement,
  reasonElements,
  supplementaryDataElements,
} from './components-write.js';
import type {
  CancellationDetails,
  CancellationTransactionStatus,
  GroupCancellationStatus,
  InvestigationStatus,
  ResolutionOfInvestigation,
  ResolutionRelatedInformation,
} from './camt029.js';
import {
  amountElement,
  booleanElement,
  codeChoiceElement,
  createGenerateContext,
  fault,
  finishDocument,
  pathOf,
  requiredText,
  type GenerateContext,
  type GenerateOptions,
  type GenerateResult,
} from './generate-context.js';
import { assignmentElement, caseElement } from './investigation.js';
import { TRANSACTIONS_PER_MESSAGE_MAX } from './limits.js';
import { definitionOf, type MessageDefinition } from './message-definition.js';
import {
  originalIdElements,
  originalTransactionReferenceElement,
} from './original-transaction.js';
import type { OptionalElement } from './xml-writer.js';

function statusElement(context: GenerateContext, status: InvestigationStatus): OptionalElement {
  const { build } = context;
  if ('confirmation' in status) {
    return build.element('Sts', [build.required('Conf', status.confirmation)]);
  }
  if ('rejectedModifications' in status) {
    return build.element(
      'Sts',
      status.rejectedModifications.map((choice) => codeChoiceElement(context, 'RjctdMod', choice)),
    );
  }
  if ('duplicateOf' in status) {
    return build.element('Sts', [caseElement(context, 'DplctOf', status.duplicateOf, 'Sts')]);
  }
  return build.element(
    'Sts',
    [booleanElement(context, 'AssgnmtCxlConf', status.assignmentCancellationConfirmation)],
  );
}

function resolutionRelatedElement(
  context: GenerateContext,
  information: ResolutionRelatedInformation | undefined,
  path: string,
): OptionalElement {
  if (information === undefined) return undefined;
  const { build } = context;
  const here = pathOf(path, 'RsltnRltdInf');
  return build.group('RsltnRltdInf', [
    build.text('EndToEndId', information.endToEndId),
    build.text('TxId', information.transactionId),
    build.text('UETR', information.uetr),
    amountElement(context, 'IntrBkSttlmAmt', information.interbankSettlementAmount, here),
    build.text('IntrBkSttlmDt', information.interbankSettlementDate),
    build.text('ClrChanl', information.clearingChannel),
  ]);
}

function transactionStatusElement(
  context: GenerateContext,
  status: CancellationTransactionStatus,
  path: string,
) {
  const { build } = context;
  if (status.transactionCancellationStatus === 'RJCR' && (status.cancellationStatusReasons ?? []).length === 0) {
    fault(
      context,
      'value_missing',
      pathOf(path, 'CxlStsRsnInf'),
      'A rejected cancellation (RJCR) needs a reason.',
    );
  }
  return build.element('TxInfAndSts', [
    build.text('CxlStsId', status.cancellationStatusId),
    caseElement(context, 'RslvdCase', status.resolvedCase, path),
    ...originalIdElements(context, status, path),
    build.text('OrgnlClrSysRef', status.originalClearingSystemReference),
    build.text('OrgnlUETR', status.originalUetr),
    build.text('TxCxlSts', status.transactionCancellationStatus),
    ...reasonElements(context, 'CxlStsRsnInf', status.cancellationStatusReasons, path),
    resolutionRelatedElement(context, status.resolutionRelatedInformation, path),
    amountElement(context, 'OrgnlIntrBkSttlmAmt', status.originalInterbankSettlementAmount, path),
    build.text('OrgnlIntrBkSttlmDt', status.originalInterbankSettlementDate),
    partyOrAgentElement(context, 'Assgnr', status.assigner, path),
    partyOrAgentElement(context, 'Assgne', status.assignee, path),
    originalTransactionReferenceElement(context, status.originalTransactionReference, path),
  ]);
}

function groupStatusElement(
  context: GenerateContext,
  group: GroupCancellationStatus,
  path: string,
) {
  const { build } = context;
  const here = pathOf(path, 'OrgnlGrpInfAndSts');
  return build.element('OrgnlGrpInfAndSts', [
    requiredText(context, 'OrgnlMsgId', group.original.messageId, here),
    requiredText(context, 'OrgnlMsgNmId', group.original.messageNameId, here),
    build.text('OrgnlCreDtTm', group.original.creationDateTime),
    build.text('GrpCxlSts', group.groupCancellationStatus),
    ...reasonElements(context, 'CxlStsRsnInf', group.cancellationStatusReasons, here),
  ]);
}

function detailsElement(context: GenerateContext, details: CancellationDetails, position: number) {
  const path = pathOf('', 'CxlDtls', position);
  const group = details.originalGroupStatus;
  return context.build.element('CxlDtls', [
    group === undefined ? undefined : groupStatusElement(context, group, path),
    ...details.transactions.map((status, index) =>
      transactionStatusElement(context, status, pathOf(path, 'TxInfAndSts', index)),
    ),
  ]);
}

/** Generates a camt.029.001.09 Document. */
export function generateResolutionOfInvestigation(
  resolution: ResolutionOfInvestigation,
  options: GenerateOptions = {},
): GenerateResult {
  const definition = definitionOf('camt.029', 9) as MessageDefinition;
  const context = createGenerateContext(definition, options);
  const statusCount = resolution.cancellationDetails.reduce(
    (count, detail) => count + detail.transactions.length,
    0,
  );
  if (statusCount > TRANSACTIONS_PER_MESSAGE_MAX) {
    fault(
      context,
      'too_many_transactions',
      'CxlDtls',
      `At most ${TRANSACTIONS_PER_MESSAGE_MAX} statuses per message.`,
    );
  }
  const message = context.build.element('RsltnOfInvstgtn', [
    assignmentElement(context, resolution.assignment, ''),
    caseElement(context, 'RslvdCase', resolution.resolvedCase, ''),
    statusElement(context, resolution.status),
    ...resolution.cancellationDetails.map((details, position) => detailsElement(
      context,
      details,
      position,
    )),
    resolutionRelatedElement(context, resolution.resolutionRelatedInformation, ''),
    ...supplementaryDataElements(context, resolution.supplementaryData),
  ]);
  return finishDocument(context, definition, message);
}
