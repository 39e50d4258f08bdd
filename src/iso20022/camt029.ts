// camt.029 ResolutionOfInvestigation (001.09): the model and its reader. Corridor sends it to
// answer a camt.056 cancellation request, and reads it when a participant answers Corridor's.
import { readOriginalGroup, readReasons, readSupplementaryData } from './components-read.js';
import { checkTransactionBound } from './group-header.js';
import {
  readAssignment,
  readCase,
  type Assignment,
  type InvestigationCase,
} from './investigation.js';
import type {
  ClearingChannel,
  CodeChoice,
  CurrencyAmount,
  OriginalGroupReference,
  PartyOrAgent,
  ReasonInformation,
  SupplementaryData,
} from './model.js';
import { readPartyOrAgent } from './components-read.js';
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
  readBoolean,
  readCode,
  readCodeChoice,
  readOptionalAmount,
  report,
  requiredElement,
  type ParseContext,
} from './parse-context.js';
import { childElement, childElements, type XmlElement } from './xml-element.js';

/** The resolution (Sts choice): an investigation execution confirmation code such as CNCL, or
 * the rejected modifications, the case this duplicates, or an assignment cancellation answer. */
export type InvestigationStatus =
  | { readonly confirmation: string }
  | { readonly rejectedModifications: readonly CodeChoice[] }
  | { readonly duplicateOf: InvestigationCase }
  | { readonly assignmentCancellationConfirmation: boolean };

export type TransactionCancellationStatus = 'RJCR' | 'ACCR' | 'PDCR';
export const TRANSACTION_CANCELLATION_STATUSES: readonly TransactionCancellationStatus[] = [
  'RJCR',
  'ACCR',
  'PDCR',
];
const CLEARING_CHANNELS: readonly ClearingChannel[] = ['RTGS', 'RTNS', 'MPNS', 'BOOK'];

export interface ResolutionRelatedInformation {
  readonly endToEndId?: string;
  readonly transactionId?: string;
  readonly uetr?: string;
  readonly interbankSettlementAmount?: CurrencyAmount;
  readonly interbankSettlementDate?: string;
  readonly clearingChannel?: ClearingChannel;
}

export interface CancellationTransactionStatus extends OriginalIds {
  readonly cancellationStatusId?: string;
  readonly resolvedCase?: InvestigationCase;
  readonly originalClearingSystemReference?: string;
  readonly transactionCancellationStatus?: TransactionCancellationStatus;
  readonly cancellationStatusReasons?: readonly ReasonInformation[];
  readonly resolutionRelatedInformation?: ResolutionRelatedInformation;
  readonly originalInterbankSettlementAmount?: CurrencyAmount;
  readonly originalInterbankSettlementDate?: string;
  readonly assigner?: PartyOrAgent;
  readonly assignee?: PartyOrAgent;
  readonly originalTransactionReference?: OriginalTransactionReference;
}

export interface GroupCancellationStatus {
  readonly original: OriginalGroupReference;
  readonly groupCancellationStatus?: string;
  readonly cancellationStatusReasons?: readonly ReasonInformation[];
}

/** One CxlDtls block. */
export interface CancellationDetails {
  readonly originalGroupStatus?: GroupCancellationStatus;
  readonly transactions: readonly CancellationTransactionStatus[];
}

export interface ResolutionOfInvestigation {
  readonly assignment: Assignment;
  readonly resolvedCase?: InvestigationCase;
  readonly status: InvestigationStatus;
  readonly cancellationDetails: readonly CancellationDetails[];
  readonly resolutionRelatedInformation?: ResolutionRelatedInformation;
  readonly supplementaryData?: readonly SupplementaryData[];
}

function readStatus(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): InvestigationStatus | undefined {
  if (element === undefined) return undefined;
  const confirmation = optionalText(element, 'Conf');
  if (confirmation !== undefined) return { confirmation };
  const rejected = childElements(
    element,
    'RjctdMod',
  ).flatMap((choice) => readCodeChoice(choice) ?? []);
  if (rejected.length > 0) return { rejectedModifications: rejected };
  const duplicate = readCase(childElement(element, 'DplctOf'), joinPath(path, 'DplctOf'), context);
  if (duplicate !== undefined) return { duplicateOf: duplicate };
  const cancellation = readBoolean(element, 'AssgnmtCxlConf', path, context);
  if (cancellation !== undefined) return { assignmentCancellationConfirmation: cancellation };
  report(
    context,
    'element_missing',
    path,
    'Sts holds none of Conf, RjctdMod, DplctOf, AssgnmtCxlConf.',
  );
  return undefined;
}

export function readResolutionRelatedInformation(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): ResolutionRelatedInformation | undefined {
  if (element === undefined) return undefined;
  return compact({
    endToEndId: optionalText(element, 'EndToEndId'),
    transactionId: optionalText(element, 'TxId'),
    uetr: optionalText(element, 'UETR'),
    interbankSettlementAmount: readOptionalAmount(element, 'IntrBkSttlmAmt', path, context),
    interbankSettlementDate: optionalText(element, 'IntrBkSttlmDt'),
    clearingChannel: readCode(element, 'ClrChanl', CLEARING_CHANNELS, path, context),
  });
}

function readTransactionStatus(
  element: XmlElement,
  path: string,
  context: ParseContext,
): CancellationTransactionStatus {
  const partyOrAgent = (name: string) => readPartyOrAgent(
    childElement(element, name),
    joinPath(path, name),
    context,
  );
  return compact({
    cancellationStatusId: optionalText(element, 'CxlStsId'),
    resolvedCase: readCase(
      childElement(element, 'RslvdCase'),
      joinPath(path, 'RslvdCase'),
      context,
    ),
    ...readOriginalIds(element, path, context),
    originalClearingSystemReference: optionalText(element, 'OrgnlClrSysRef'),
    transactionCancellationStatus: readCode(
      element,
      'TxCxlSts',
      TRANSACTION_CANCELLATION_STATUSES,
      path,
      context,
    ),
    cancellationStatusReasons: readReasons(element, 'CxlStsRsnInf', path, context),
    resolutionRelatedInformation: readResolutionRelatedInformation(
      childElement(element, 'RsltnRltdInf'),
      joinPath(path, 'RsltnRltdInf'),
      context,
    ),
    originalInterbankSettlementAmount: readOptionalAmount(
      element,
      'OrgnlIntrBkSttlmAmt',
      path,
      context,
    ),
    originalInterbankSettlementDate: optionalText(element, 'OrgnlIntrBkSttlmDt'),
    assigner: partyOrAgent('Assgnr'),
    assignee: partyOrAgent('Assgne'),
    originalTransactionReference: readOriginalTransactionReference(
      childElement(element, 'OrgnlTxRef'),
      joinPath(path, 'OrgnlTxRef'),
      context,
    ),
  });
}

/** Stands in while the missing OrgnlMsgId is reported; the message then fails as a whole. */
const NO_ORIGINAL_GROUP: OriginalGroupReference = { messageId: '', messageNameId: '' };

function readCancellationDetails(
  element: XmlElement,
  position: number,
  context: ParseContext,
): CancellationDetails {
  const path = joinPath('', 'CxlDtls', position);
  const group = childElement(element, 'OrgnlGrpInfAndSts');
  const groupPath = joinPath(path, 'OrgnlGrpInfAndSts');
  return compact({
    originalGroupStatus:
      group === undefined
        ? undefined
        : compact({
            original: readOriginalGroup(group, groupPath, context) ?? NO_ORIGINAL_GROUP,
            groupCancellationStatus: optionalText(group, 'GrpCxlSts'),
            cancellationStatusReasons: readReasons(group, 'CxlStsRsnInf', groupPath, context),
          }),
    transactions: childElements(element, 'TxInfAndSts').map((status, index) =>
      readTransactionStatus(status, joinPath(path, 'TxInfAndSts', index), context),
    ),
  });
}

/** Maps a RsltnOfInvstgtn element; every problem is reported on `context`. */
export function readResolutionOfInvestigation(
  message: XmlElement,
  context: ParseContext,
): ResolutionOfInvestigation | undefined {
  const assignment = readAssignment(
    requiredElement(message, 'Assgnmt', '', context),
    'Assgnmt',
    context,
  );
  const status = readStatus(requiredElement(message, 'Sts', '', context), 'Sts', context);
  const details = childElements(message, 'CxlDtls');
  const statusCount = details.reduce(
    (count, detail) => count + childElements(detail, 'TxInfAndSts').length,
    0,
  );
  if (!checkTransactionBound(statusCount, 'CxlDtls/TxInfAndSts', context)) return undefined;
  if (assignment === undefined || status === undefined) return undefined;
  return compact({
    assignment,
    resolvedCase: readCase(childElement(message, 'RslvdCase'), 'RslvdCase', context),
    status,
    cancellationDetails: details.map((detail, position) => readCancellationDetails(
      detail,
      position,
      context,
    )),
    resolutionRelatedInformation: readResolutionRelatedInformation(
      childElement(message, 'RsltnRltdInf'),
      'RsltnRltdInf',
      context,
    ),
    supplementaryData: readSupplementaryData(message, '', context),
  });
}
