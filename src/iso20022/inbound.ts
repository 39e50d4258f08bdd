// The entry point for received messages: safe reading, identification by namespace, optional
// XSD validation, and mapping to the typed model. Every failure is a typed InboundFailure that
// classifyInboundFailure (reject-mapping.ts) turns into the ISO answer.
import {
  readBankToCustomerDebitCreditNotification,
  readBankToCustomerStatement,
  type BankToCustomerDebitCreditNotification,
  type BankToCustomerStatement,
} from './account-report.js';
import { readMessageReject, type MessageReject } from './admi002.js';
import {
  readBusinessApplicationHeader,
  type BusinessApplicationHeader,
} from './business-application-header.js';
import { readResolutionOfInvestigation, type ResolutionOfInvestigation } from './camt029.js';
import { readPaymentCancellationRequest, type PaymentCancellationRequest } from './camt056.js';
import { locateMessage, type LocatedMessage, type LocateErrorCode } from './envelope.js';
import type { ReadLimits } from './limits.js';
import type { MessageDefinition, MessageKind } from './message-definition.js';
import type { CurrencyLookup, FieldIssue } from './model.js';
import { readPaymentStatusReport, type PaymentStatusReport } from './pacs002.js';
import { readPaymentReturn, type PaymentReturn } from './pacs004.js';
import { readCustomerCreditTransfer, type CustomerCreditTransfer } from './pacs008.js';
import {
  readFinancialInstitutionCreditTransfer,
  type FinancialInstitutionCreditTransfer,
} from './pacs009.js';
import { compact, createParseContext, type ParseContext } from './parse-context.js';
import { validateLocatedMessage, type SchemaViolation } from './schema-validation.js';
import { descendantText, type XmlElement } from './xml-element.js';
import { readXml, type XmlReadErrorCode } from './xml-reader.js';

/** The document model of each message kind. */
export interface DocumentModels {
  readonly 'pacs.008': CustomerCreditTransfer;
  readonly 'pacs.009': FinancialInstitutionCreditTransfer;
  readonly 'pacs.004': PaymentReturn;
  readonly 'pacs.002': PaymentStatusReport;
  readonly 'camt.056': PaymentCancellationRequest;
  readonly 'camt.029': ResolutionOfInvestigation;
  readonly 'camt.053': BankToCustomerStatement;
  readonly 'camt.054': BankToCustomerDebitCreditNotification;
  readonly 'admi.002': MessageReject;
}

export interface ParsedMessageOf<Kind extends MessageKind> {
  readonly kind: Kind;
  readonly definition: MessageDefinition;
  /** The Business Application Header, when the message came wrapped with one. */
  readonly header?: BusinessApplicationHeader;
  readonly document: DocumentModels[Kind];
  readonly enveloped: boolean;
}

/** Any parsed message; switch on `kind` to get its document model. */
export type ParsedMessage = { [Kind in MessageKind]: ParsedMessageOf<Kind> }[MessageKind];

/** What is known about a message that failed, so that the answer can quote it. */
export interface OriginalMessageReference {
  /** For example "pacs.008.001.08". */
  readonly messageNameId: string;
  readonly messageId?: string;
  readonly creationDateTime?: string;
  /** BizMsgIdr of the AppHdr, when there is one. */
  readonly businessMessageId?: string;
}

export type InboundFailure =
  | {
      readonly stage: 'read';
      readonly code: XmlReadErrorCode;
      readonly message: string;
      readonly line?: number;
      readonly column?: number;
    }
  | {
      readonly stage: 'identify';
      readonly code: LocateErrorCode | 'message_unexpected';
      readonly message: string;
      readonly identifier?: string;
    }
  | {
      readonly stage: 'schema';
      readonly code: 'schema_invalid' | 'validator_failed';
      readonly message: string;
      readonly definition: MessageDefinition;
      readonly original: OriginalMessageReference;
      readonly violations: readonly SchemaViolation[];
    }
  | {
      readonly stage: 'content';
      readonly message: string;
      readonly definition: MessageDefinition;
      readonly original: OriginalMessageReference;
      readonly issues: readonly FieldIssue[];
    };

export type ParseResult<Message = ParsedMessage> =
  | { readonly ok: true; readonly message: Message }
  | { readonly ok: false; readonly failure: InboundFailure };

export interface ParseOptions {
  readonly limits?: Partial<ReadLimits>;
  /** Currency exponents; defaults to Corridor's currency table (src/money). */
  readonly currencies?: CurrencyLookup;
}

export interface ReadMessageOptions extends ParseOptions {
  /**
   * 'validate' (default) checks the Document and AppHdr against their XSDs before mapping.
   * 'skip' trusts the input's structure, for messages Corridor generated itself.
   */
  readonly schemaValidation?: 'validate' | 'skip';
}

type DocumentReader = (
  message: XmlElement,
  context: ParseContext,
) => DocumentModels[MessageKind] | undefined;

const READERS: { readonly [Kind in MessageKind]: (
  message: XmlElement,
  context: ParseContext,
) => DocumentModels[Kind] | undefined } = {
  'pacs.008': readCustomerCreditTransfer,
  'pacs.009': readFinancialInstitutionCreditTransfer,
  'pacs.004': readPaymentReturn,
  'pacs.002': readPaymentStatusReport,
  'camt.056': readPaymentCancellationRequest,
  'camt.029': readResolutionOfInvestigation,
  'camt.053': readBankToCustomerStatement,
  'camt.054': readBankToCustomerDebitCreditNotification,
  'admi.002': readMessageReject,
};

/** The message's own identifier and creation time, wherever its kind keeps them. */
export function originalReferenceOf(located: LocatedMessage): OriginalMessageReference {
  const message = located.messageElement;
  const kind = located.definition.kind;
  // Investigation messages keep their identifier in the assignment, not a group header.
  const headerName = kind === 'camt.056' || kind === 'camt.029' ? 'Assgnmt' : 'GrpHdr';
  const messageId = descendantText(message, headerName, headerName === 'Assgnmt' ? 'Id' : 'MsgId');
  const creationDateTime = descendantText(message, headerName, 'CreDtTm');
  const businessMessageId = descendantText(located.header, 'BizMsgIdr');
  return compact({
    messageNameId: located.definition.identifier,
    messageId,
    creationDateTime,
    businessMessageId,
  });
}

function mapLocated(located: LocatedMessage, options: ParseOptions): ParseResult {
  const context = createParseContext(options.currencies);
  const header = located.header && readBusinessApplicationHeader(located.header, context);
  const reader = READERS[located.definition.kind] as DocumentReader;
  const document = reader(located.messageElement, context);
  if (context.issues.length > 0 || document === undefined) {
    const first = context.issues[0];
    return {
      ok: false,
      failure: {
        stage: 'content',
        message: first === undefined ? 'The message could not be mapped.' : `${first.path}: ${first.message}`,
        definition: located.definition,
        original: originalReferenceOf(located),
        issues: context.issues,
      },
    };
  }
  const message = {
    kind: located.definition.kind,
    definition: located.definition,
    document,
    enveloped: located.enveloped,
    ...(header === undefined ? {} : { header }),
  } as ParsedMessage;
  return { ok: true, message };
}

function locate(input: string | Uint8Array, options: ParseOptions) {
  const read = readXml(input, options.limits);
  if (!read.ok) {
    return { ok: false as const, failure: { stage: 'read' as const, ...read.error } };
  }
  const located = locateMessage(read.root);
  if (!located.ok) {
    return { ok: false as const, failure: { stage: 'identify' as const, ...located.error } };
  }
  return { ok: true as const, located: located.located, text: read.text };
}

/**
 * Parses a message without XSD validation: safe reading, identification, mapping. Synchronous;
 * use it for trusted input or when the caller validates separately.
 */
export function parseMessage(input: string | Uint8Array, options: ParseOptions = {}): ParseResult {
  const found = locate(input, options);
  if (!found.ok) return found;
  return mapLocated(found.located, options);
}

/** Reads a received message: safe reading, identification, XSD validation, then mapping. */
export async function readMessage(
  input: string | Uint8Array,
  options: ReadMessageOptions = {},
): Promise<ParseResult> {
  const found = locate(input, options);
  if (!found.ok) return found;
  if (options.schemaValidation !== 'skip') {
    const validation = await validateLocatedMessage(found.text, found.located);
    // admi.002 has no XSD in the repository; it is mapped without schema validation.
    if (!validation.ok && validation.code !== 'schema_unavailable') {
      return {
        ok: false,
        failure: {
          stage: 'schema',
          code: validation.code === 'schema_invalid' ? 'schema_invalid' : 'validator_failed',
          message: validation.message,
          definition: found.located.definition,
          original: originalReferenceOf(found.located),
          violations: validation.violations,
        },
      };
    }
  }
  return mapLocated(found.located, options);
}

/** Parses and insists on one message kind, for callers that expect, say, only pacs.008. */
export function parseMessageOfKind<Kind extends MessageKind>(
  input: string | Uint8Array,
  kind: Kind,
  options: ParseOptions = {},
): ParseResult<ParsedMessageOf<Kind>> {
  const result = parseMessage(input, options);
  if (!result.ok) return result;
  if (result.message.kind === kind) return {
    ok: true,
    message: result.message as ParsedMessageOf<Kind>,
  };
  const identifier = result.message.definition.identifier;
  return {
    ok: false,
    failure: {
      stage: 'identify',
      code: 'message_unexpected',
      message: `Expected ${kind}, got ${identifier}.`,
      identifier,
    },
  };
}
