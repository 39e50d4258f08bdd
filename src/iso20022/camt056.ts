// camt.056 FIToFIPaymentCancellationRequest (001.08): the model and its reader (inbound only).
import { readOriginalGroup, readReasons, readSupplementaryData } from './components-read.js';
import { checkGroupTotals, checkTransactionBound } from './group-header.js';
import {
  readAssignment,
  readCase,
  type Assignment,
  type InvestigationCase,
} from './investigation.js';
import type {
  InvalidTransaction,
  OriginalGroupReference,
  ReasonInformation,
  SupplementaryData,
} from './model.js';
import {
  readOriginalIdentification,
  readOriginalTransactionReference,
  type OriginalIdentification,
  type OriginalTransactionReference,
} from './original-transaction.js';
import { isInvalidTransaction } from './pacs008.js';
import {
  childContext,
  compact,
  joinPath,
  optionalText,
  readBoolean,
  readCount,
  readDecimal,
  requiredElement,
  type ParseContext,
} from './parse-context.js';
import { childElement, childElements, descendant, type XmlElement } from './xml-element.js';

export interface CancellationControlData {
  readonly numberOfTransactions: number;
  readonly controlSum?: string;
}

/** A request to cancel a whole original message (OrgnlGrpInfAndCxl). */
export interface GroupCancellationRequest {
  readonly groupCancellationId?: string;
  readonly original: OriginalGroupReference;
  readonly numberOfTransactions?: number;
  readonly controlSum?: string;
  readonly groupCancellation?: boolean;
  readonly cancellationReasons?: readonly ReasonInformation[];
}

export interface CancellationRequestTransaction extends OriginalIdentification {
  readonly index: number;
  readonly cancellationId?: string;
  readonly case?: InvestigationCase;
  readonly cancellationReasons?: readonly ReasonInformation[];
  readonly originalTransactionReference?: OriginalTransactionReference;
  readonly supplementaryData?: readonly SupplementaryData[];
}

export interface PaymentCancellationRequest {
  readonly assignment: Assignment;
  readonly case?: InvestigationCase;
  readonly controlData?: CancellationControlData;
  readonly groupCancellations: readonly GroupCancellationRequest[];
  /** TxInf of every Undrlyg block, in document order. */
  readonly transactions: readonly CancellationRequestTransaction[];
  readonly invalidTransactions: readonly InvalidTransaction[];
}

function readGroupCancellation(
  element: XmlElement,
  path: string,
  context: ParseContext,
): GroupCancellationRequest {
  return compact({
    groupCancellationId: optionalText(element, 'GrpCxlId'),
    original: readOriginalGroup(element, path, context) ?? { messageId: '', messageNameId: '' },
    numberOfTransactions: readCount(element, 'NbOfTxs', path, context),
    controlSum: readDecimal(element, 'CtrlSum', path, context),
    groupCancellation: readBoolean(element, 'GrpCxl', path, context),
    cancellationReasons: readReasons(element, 'CxlRsnInf', path, context),
  });
}

function readTransaction(
  element: XmlElement,
  index: number,
  path: string,
  context: ParseContext,
): CancellationRequestTransaction | InvalidTransaction {
  const local = childContext(context);
  const transaction = compact({
    index,
    cancellationId: optionalText(element, 'CxlId'),
    case: readCase(childElement(element, 'Case'), joinPath(path, 'Case'), local),
    ...readOriginalIdentification(element, path, local),
    cancellationReasons: readReasons(element, 'CxlRsnInf', path, local),
    originalTransactionReference: readOriginalTransactionReference(
      childElement(element, 'OrgnlTxRef'),
      joinPath(path, 'OrgnlTxRef'),
      local,
    ),
    supplementaryData: readSupplementaryData(element, path, local),
  });
  if (local.issues.length === 0) return transaction;
  const references = compact({
    instructionId: transaction.originalInstructionId,
    endToEndId: transaction.originalEndToEndId,
    transactionId: transaction.originalTransactionId,
    uetr: transaction.originalUetr,
  });
  return { index, references, issues: local.issues };
}

interface LocatedTransaction {
  readonly element: XmlElement;
  readonly path: string;
}

function locateTransactions(message: XmlElement): LocatedTransaction[] {
  return childElements(message, 'Undrlyg').flatMap((underlying, position) =>
    childElements(underlying, 'TxInf').map((element, index) => ({
      element,
      path: `${joinPath('', 'Undrlyg', position)}/${joinPath('', 'TxInf', index)}`,
    })),
  );
}

/** Maps a FIToFIPmtCxlReq element; message-level problems are reported on `context`. */
export function readPaymentCancellationRequest(
  message: XmlElement,
  context: ParseContext,
): PaymentCancellationRequest | undefined {
  const assignment = readAssignment(
    requiredElement(message, 'Assgnmt', '', context),
    'Assgnmt',
    context,
  );
  const located = locateTransactions(message);
  if (assignment === undefined || !checkTransactionBound(located.length, 'Undrlyg/TxInf', context))
    return undefined;
  const control = childElement(message, 'CtrlData');
  const numberOfTransactions = readCount(control, 'NbOfTxs', 'CtrlData', context);
  const controlData =
    control === undefined || numberOfTransactions === undefined
      ? undefined
      : compact({
          numberOfTransactions,
          controlSum: readDecimal(control, 'CtrlSum', 'CtrlData', context),
        });
  const amounts = located.flatMap(
    ({ element }) => descendant(element, 'OrgnlIntrBkSttlmAmt')?.text ?? [],
  );
  const hasGroupCancellation =
    descendant(message, 'Undrlyg', 'OrgnlGrpInfAndCxl') !== undefined;
  // Totals are only checkable when every request is a transaction that states its amount.
  if (controlData !== undefined && !hasGroupCancellation && amounts.length === located.length) {
    checkGroupTotals(controlData, amounts, 'CtrlData', context);
  }
  const transactions: CancellationRequestTransaction[] = [];
  const invalidTransactions: InvalidTransaction[] = [];
  located.forEach(({ element, path }, index) => {
    const mapped = readTransaction(element, index, path, context);
    if (isInvalidTransaction(mapped)) invalidTransactions.push(mapped);
    else transactions.push(mapped);
  });
  const groupCancellations = childElements(message, 'Undrlyg').flatMap((underlying, position) => {
    const group = childElement(underlying, 'OrgnlGrpInfAndCxl');
    const path = `${joinPath('', 'Undrlyg', position)}/OrgnlGrpInfAndCxl`;
    return group === undefined ? [] : [readGroupCancellation(group, path, context)];
  });
  return compact({
    assignment,
    case: readCase(childElement(message, 'Case'), 'Case', context),
    controlData,
    groupCancellations,
    transactions,
    invalidTransactions,
  });
}
