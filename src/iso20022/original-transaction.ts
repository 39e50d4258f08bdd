// The original-transaction block (OrgnlTxRef) that status, return and cancellation messages
// quote back: the subset Corridor reads and writes.
import { readOriginalGroup, readPaymentType } from './components-read.js';
import { originalGroupElement, paymentTypeElement } from './components-write.js';
import { amountElement, pathOf, type GenerateContext } from './generate-context.js';
import type { CurrencyAmount, OriginalGroupReference, PaymentType } from './model.js';
import {
  compact,
  joinPath,
  optionalText,
  readOptionalAmount,
  type ParseContext,
} from './parse-context.js';
import { childElement, type XmlElement } from './xml-element.js';
import type { OptionalElement } from './xml-writer.js';

export interface OriginalTransactionReference {
  readonly interbankSettlementAmount?: CurrencyAmount;
  readonly interbankSettlementDate?: string;
  readonly paymentType?: PaymentType;
}

export function readOriginalTransactionReference(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): OriginalTransactionReference | undefined {
  if (element === undefined) return undefined;
  return compact({
    interbankSettlementAmount: readOptionalAmount(element, 'IntrBkSttlmAmt', path, context),
    interbankSettlementDate: optionalText(element, 'IntrBkSttlmDt'),
    paymentType: readPaymentType(
      childElement(element, 'PmtTpInf'),
      joinPath(path, 'PmtTpInf'),
      context,
    ),
  });
}

export function originalTransactionReferenceElement(
  context: GenerateContext,
  reference: OriginalTransactionReference | undefined,
  path: string,
): OptionalElement {
  if (reference === undefined) return undefined;
  const here = pathOf(path, 'OrgnlTxRef');
  return context.build.group('OrgnlTxRef', [
    amountElement(context, 'IntrBkSttlmAmt', reference.interbankSettlementAmount, here),
    context.build.text('IntrBkSttlmDt', reference.interbankSettlementDate),
    paymentTypeElement(context, reference.paymentType),
  ]);
}

/** What status, return and cancellation messages quote of the original transaction's ids. */
export interface OriginalIds {
  readonly originalGroup?: OriginalGroupReference;
  readonly originalInstructionId?: string;
  readonly originalEndToEndId?: string;
  readonly originalTransactionId?: string;
  readonly originalUetr?: string;
}

/** The fuller identification of pacs.004 returns and camt.056 cancellation requests. */
export interface OriginalIdentification extends OriginalIds {
  readonly originalClearingSystemReference?: string;
  readonly originalInterbankSettlementAmount?: CurrencyAmount;
  readonly originalInterbankSettlementDate?: string;
}

/** Reads OrgnlGrpInf, OrgnlInstrId, OrgnlEndToEndId, OrgnlTxId and OrgnlUETR. */
export function readOriginalIds(
  element: XmlElement,
  path: string,
  context: ParseContext,
): OriginalIds {
  return {
    originalGroup: readOriginalGroup(
      childElement(element, 'OrgnlGrpInf'),
      joinPath(path, 'OrgnlGrpInf'),
      context,
    ),
    originalInstructionId: optionalText(element, 'OrgnlInstrId'),
    originalEndToEndId: optionalText(element, 'OrgnlEndToEndId'),
    originalTransactionId: optionalText(element, 'OrgnlTxId'),
    originalUetr: optionalText(element, 'OrgnlUETR'),
  };
}

/**
 * OrgnlGrpInf, OrgnlInstrId, OrgnlEndToEndId and OrgnlTxId, in the order every message has
 * them (OrgnlUETR follows at a place that differs between messages).
 */
export function originalIdElements(
  context: GenerateContext,
  ids: OriginalIds,
  path: string,
): OptionalElement[] {
  return [
    originalGroupElement(context, 'OrgnlGrpInf', ids.originalGroup, path),
    context.build.text('OrgnlInstrId', ids.originalInstructionId),
    context.build.text('OrgnlEndToEndId', ids.originalEndToEndId),
    context.build.text('OrgnlTxId', ids.originalTransactionId),
  ];
}

/**
 * The original-transaction identification that pacs.004 returns and camt.056 cancellation
 * requests both carry (OrgnlGrpInf, OrgnlInstrId … OrgnlIntrBkSttlmDt), read in one place.
 */
export function readOriginalIdentification(
  element: XmlElement,
  path: string,
  context: ParseContext,
): OriginalIdentification {
  return {
    ...readOriginalIds(element, path, context),
    originalClearingSystemReference: optionalText(element, 'OrgnlClrSysRef'),
    originalInterbankSettlementAmount: readOptionalAmount(
      element,
      'OrgnlIntrBkSttlmAmt',
      path,
      context,
    ),
    originalInterbankSettlementDate: optionalText(element, 'OrgnlIntrBkSttlmDt'),
  };
}
