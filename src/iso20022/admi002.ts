// admi.002.001.01 MessageReject: the answer to a message that cannot be processed at all
// (unreadable, hostile, unknown type). No XSD for it is in the repository; it is built from the
// ISO definition (RltdRef/Ref, Rsn/RjctgPtyRsn, RjctnDtTm, ErrLctn, RsnDesc, AddtlData) and is
// therefore not XSD-validated.
import {
  createGenerateContext,
  finishDocument,
  requiredText as writeRequiredText,
  type GenerateOptions,
  type GenerateResult,
} from './generate-context.js';
import { definitionOf, type MessageDefinition } from './message-definition.js';
import {
  compact,
  optionalText,
  requiredElement,
  requiredText,
  type ParseContext,
} from './parse-context.js';
import type { XmlElement } from './xml-element.js';

/** admi.002.001.01 names its message element after the message itself. */
export const MESSAGE_REJECT_ELEMENT = 'admi.002.001.01';

export interface MessageReject {
  /** RltdRef/Ref: the identifier of the rejected message (its MsgId or BizMsgIdr, if readable). */
  readonly relatedReference: string;
  /** Rsn/RjctgPtyRsn (Max35Text): Corridor's rejection reason code. */
  readonly rejectingPartyReason: string;
  readonly rejectionDateTime?: string;
  /** Rsn/ErrLctn (Max350Text): where in the message the problem is. */
  readonly errorLocation?: string;
  /** Rsn/RsnDesc (Max350Text). */
  readonly reasonDescription?: string;
  /** Rsn/AddtlData (Max20000Text). */
  readonly additionalData?: string;
}

const TEXT_BOUNDS = {
  relatedReference: 35,
  rejectingPartyReason: 35,
  errorLocation: 350,
  reasonDescription: 350,
  additionalData: 20_000,
} as const;

export function readMessageReject(
  message: XmlElement,
  context: ParseContext,
): MessageReject | undefined {
  const reason = requiredElement(message, 'Rsn', '', context);
  return compact({
    relatedReference: requiredText(
      requiredElement(message, 'RltdRef', '', context),
      'Ref',
      'RltdRef',
      context,
    ),
    rejectingPartyReason: requiredText(reason, 'RjctgPtyRsn', 'Rsn', context),
    rejectionDateTime: optionalText(reason, 'RjctnDtTm'),
    errorLocation: optionalText(reason, 'ErrLctn'),
    reasonDescription: optionalText(reason, 'RsnDesc'),
    additionalData: optionalText(reason, 'AddtlData'),
  });
}

/**
 * Generates an admi.002.001.01 Document. Since no XSD checks it, the generator enforces the
 * ISO lengths itself.
 */
export function generateMessageReject(
  reject: MessageReject,
  options: GenerateOptions = {},
): GenerateResult {
  const definition = definitionOf('admi.002', 1) as MessageDefinition;
  const context = createGenerateContext(definition, options);
  for (const [field, bound] of Object.entries(TEXT_BOUNDS)) {
    const value = reject[field as keyof typeof TEXT_BOUNDS];
    if (value !== undefined && (value.length === 0 || value.length > bound)) {
      context.errors.push({
        code: 'value_malformed',
        path: field,
        message: `${field} must be 1 to ${bound} characters.`,
      });
    }
  }
  const { build } = context;
  const message = build.element(MESSAGE_REJECT_ELEMENT, [
    build.element(
      'RltdRef',
      [writeRequiredText(context, 'Ref', reject.relatedReference, 'RltdRef')],
    ),
    build.element('Rsn', [
      writeRequiredText(context, 'RjctgPtyRsn', reject.rejectingPartyReason, 'Rsn'),
      build.text('RjctnDtTm', reject.rejectionDateTime),
      build.text('ErrLctn', reject.errorLocation),
      build.text('RsnDesc', reject.reasonDescription),
      build.text('AddtlData', reject.additionalData),
    ]),
  ]);
  return finishDocument(context, definition, message);
}
