// The original-transaction block (OrgnlTxRef) that status, return and cancellation messages
// quote back: the subset Corridor reads and writes.
import { readOriginalGroup, readPaymentType } from './components-read.js';
import { paymentTypeElement } from './components-write.js';
import { amountElement, pathOf, type GenerateContext } from './generate-context.js';
import type { CurrencyAmount, PaymentType } from './model.js';
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

/**
 * The original-transaction identification that pacs.004 returns and camt.056 cancellation
 * requests both carry (OrgnlGrpInf, OrgnlInstrId … OrgnlIntrBkSttlmDt), read in one place.
 */
export function readOriginalIdentification(
  element: XmlElement,
  path: string,
  context: ParseContext,
) {
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
