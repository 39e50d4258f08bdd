// Which ISO answer each inbound failure gets: one pure table from failure cause to response
// (admi.002 with a reason, pacs.002 RJCT with an ExternalStatusReason1Code, or no answer), plus
// small builders that turn a decision into the model a generator takes.
import type { MessageReject } from './admi002.js';
import type { InboundFailure, OriginalMessageReference } from './inbound.js';
import type { LocateErrorCode } from './envelope.js';
import type { MessageKind } from './message-definition.js';
import type {
  FieldIssue,
  FieldIssueCode,
  InvalidTransaction,
  OriginalGroupReference,
} from './model.js';
import { compact } from './parse-context.js';
import type { PaymentStatusReport, TransactionStatus } from './pacs002.js';
import type { XmlReadErrorCode } from './xml-reader.js';

/**
 * The ExternalStatusReason1Code values Corridor uses, with ISO's definitions:
 * - AM02 NotAllowedAmount: amount greater than the allowed maximum.
 * - AM03 NotAllowedCurrency: amount in a currency not processable under the agreement.
 * - AM10 InvalidControlSum: the amounts do not add up to the control sum.
 * - AM12 InvalidAmount: amount is invalid or missing (also: more decimals than the currency has).
 * - AM18 InvalidNumberOfTransactions: number of transactions invalid or missing.
 * - DUPL DuplicatePayment: payment is a duplicate of another payment.
 * - FF01 InvalidFileFormat: file format incomplete or invalid (XSD or structural failures).
 */
export type StatusReasonCode = 'AM02' | 'AM03' | 'AM10' | 'AM12' | 'AM18' | 'DUPL' | 'FF01';

/** Causes that only the caller can detect (they need state the parser does not have). */
export type CallerDetectedCause = 'duplicate_message' | 'duplicate_transaction';

export type RejectCause =
  | XmlReadErrorCode
  | LocateErrorCode
  | 'message_unexpected'
  | 'schema_invalid'
  | 'validator_failed'
  | FieldIssueCode
  | CallerDetectedCause;

/** admi.002 RjctgPtyRsn values (Max35Text; ISO defines no code list for it). */
export type MessageRejectReason =
  | 'UNREADABLE'
  | 'HOSTILE'
  | 'NOT_XML'
  | 'UNKNOWN_MESSAGE_TYPE'
  | 'SCHEMA_INVALID'
  | 'CONTENT_INVALID'
  | 'DUPLICATE';

export type RejectRule =
  | { readonly response: 'admi.002'; readonly reason: MessageRejectReason }
  | { readonly response: 'pacs.002'; readonly statusReason: StatusReasonCode }
  | { readonly response: 'none' };

const admi = (reason: MessageRejectReason): RejectRule => ({ response: 'admi.002', reason });
const pacs = (statusReason: StatusReasonCode): RejectRule => ({
  response: 'pacs.002',
  statusReason,
});

/** The table. Ordered by precedence: when several issues occur, the earliest cause decides. */
export const REJECT_RULES: Readonly<Record<RejectCause, RejectRule>> = {
  // Unreadable: not text we can decode.
  input_empty: admi('UNREADABLE'),
  encoding_invalid: admi('UNREADABLE'),
  encoding_unsupported: admi('UNREADABLE'),
  character_invalid: admi('UNREADABLE'),
  // Hostile: refused before parsing.
  input_too_large: admi('HOSTILE'),
  doctype_forbidden: admi('HOSTILE'),
  entity_declaration_forbidden: admi('HOSTILE'),
  nesting_too_deep: admi('HOSTILE'),
  too_many_elements: admi('HOSTILE'),
  too_many_attributes: admi('HOSTILE'),
  text_too_long: admi('HOSTILE'),
  // Not XML.
  not_well_formed: admi('NOT_XML'),
  entity_reference_unknown: admi('NOT_XML'),
  namespace_prefix_undeclared: admi('NOT_XML'),
  // XML, but not a message we know.
  document_not_found: admi('UNKNOWN_MESSAGE_TYPE'),
  document_ambiguous: admi('UNKNOWN_MESSAGE_TYPE'),
  document_empty: admi('UNKNOWN_MESSAGE_TYPE'),
  message_unsupported: admi('UNKNOWN_MESSAGE_TYPE'),
  message_unexpected: admi('UNKNOWN_MESSAGE_TYPE'),
  header_ambiguous: admi('UNKNOWN_MESSAGE_TYPE'),
  header_unsupported: admi('UNKNOWN_MESSAGE_TYPE'),
  header_mismatch: admi('UNKNOWN_MESSAGE_TYPE'),
  // Our own failure: answer nothing, retry later.
  validator_failed: { response: 'none' },
  // A known message that breaks its schema or its own totals.
  schema_invalid: pacs('FF01'),
  duplicate_message: pacs('DUPL'),
  duplicate_transaction: pacs('DUPL'),
  too_many_transactions: pacs('AM18'),
  transaction_count_mismatch: pacs('AM18'),
  control_sum_mismatch: pacs('AM10'),
  currency_unknown: pacs('AM03'),
  amount_too_large: pacs('AM02'),
  amount_too_many_decimals: pacs('AM12'),
  amount_empty: pacs('AM12'),
  amount_whitespace: pacs('AM12'),
  amount_sign_not_allowed: pacs('AM12'),
  amount_exponent_notation: pacs('AM12'),
  amount_malformed: pacs('AM12'),
  element_missing: pacs('FF01'),
  value_empty: pacs('FF01'),
  code_not_allowed: pacs('FF01'),
  value_malformed: pacs('FF01'),
  choice_not_supported: pacs('FF01'),
};

const PRECEDENCE: readonly RejectCause[] = Object.keys(REJECT_RULES) as RejectCause[];

/** Messages whose rejection is a pacs.002; anything else is answered with admi.002. */
export const STATUS_REPORTED_KINDS: ReadonlySet<MessageKind> = new Set([
  'pacs.008',
  'pacs.009',
  'pacs.004',
]);

/** ISO lengths: StsRsnInf/AddtlInf is Max105Text, admi.002 RsnDesc is Max350Text. */
const STATUS_INFORMATION_LENGTH_MAX = 105;
const REJECT_DESCRIPTION_LENGTH_MAX = 350;
/** OrgnlMsgId, OrgnlEndToEndId, RltdRef/Ref… are Max35Text. */
const IDENTIFIER_LENGTH_MAX = 35;
/** Stands for an identifier that could not be read (ISO's customary "no reference"). */
const NO_REFERENCE = 'NONREF';

/**
 * An identifier of the rejected message as an answer may quote it (Max35Text: 1 to 35
 * characters, not blank), or undefined. The input may hold anything there, or nothing: a
 * reject only quotes what its own schema accepts, never a shortened or empty copy.
 */
export function quotableIdentifier(text: string | undefined): string | undefined {
  if (text === undefined || text.length > IDENTIFIER_LENGTH_MAX || !/\S/.test(text)) {
    return undefined;
  }
  return text;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))?$/;

/**
 * A creation time as an answer may quote it (an ISODateTime: an xs:dateTime of years 0001 to
 * 9999 with a real calendar date), or undefined.
 */
export function quotableDateTime(text: string | undefined): string | undefined {
  const match = text === undefined ? null : DATE_TIME.exec(text);
  if (text === undefined || match === null) return undefined;
  const [year, month, day, hour, minute, second, offsetHour, offsetMinute] = match
    .slice(1)
    .map((part) => (part === undefined ? 0 : Number(part)));
  if (year === undefined || month === undefined || day === undefined) return undefined;
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  const calendar = year >= 1 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  const clock = (hour ?? 24) < 24 && (minute ?? 60) < 60 && (second ?? 60) < 60;
  const offsetMinutes = (offsetHour ?? 0) * 60 + (offsetMinute ?? 0);
  const offset = offsetMinutes <= 14 * 60 && (offsetMinute ?? 0) < 60;
  return calendar && clock && offset ? text : undefined;
}

export type RejectDecision =
  | {
      readonly response: 'admi.002';
      readonly reason: MessageRejectReason;
      readonly cause: RejectCause;
      readonly description: string;
    }
  | {
      readonly response: 'pacs.002';
      readonly statusReason: StatusReasonCode;
      readonly cause: RejectCause;
      readonly description: string;
    }
  | { readonly response: 'none'; readonly cause: RejectCause; readonly description: string };

function rank(cause: RejectCause): number {
  return PRECEDENCE.indexOf(cause);
}

/** The cause that decides among several field issues: the one earliest in the table. */
export function decisiveIssue(issues: readonly FieldIssue[]): FieldIssue | undefined {
  let best: FieldIssue | undefined;
  for (const issue of issues) {
    if (best === undefined || rank(issue.code) < rank(best.code)) best = issue;
  }
  return best;
}

function causeOf(failure: InboundFailure): { cause: RejectCause; description: string } {
  if (failure.stage !== 'content') return { cause: failure.code, description: failure.message };
  const issue = decisiveIssue(failure.issues);
  if (issue === undefined) return { cause: 'element_missing', description: failure.message };
  return { cause: issue.code, description: `${issue.path}: ${issue.message}` };
}

/**
 * Classifies an inbound failure into the ISO answer. A pacs.002 rule becomes an admi.002 when
 * the message is not one pacs.002 answers, or when its MsgId could not be read to quote.
 */
export function classifyInboundFailure(failure: InboundFailure): RejectDecision {
  const { cause, description } = causeOf(failure);
  return decide(
    cause,
    description,
    failure.stage === 'schema' || failure.stage === 'content' ? failure : undefined,
  );
}

/** Classifies a cause only the caller can detect, such as a duplicate. */
export function classifyCause(
  cause: RejectCause,
  description: string,
  kind?: MessageKind,
): RejectDecision {
  const rule = REJECT_RULES[cause];
  if (rule.response === 'pacs.002' && kind !== undefined && !STATUS_REPORTED_KINDS.has(kind)) {
    return {
      response: 'admi.002',
      reason: cause.startsWith('duplicate') ? 'DUPLICATE' : 'CONTENT_INVALID',
      cause,
      description,
    };
  }
  // The caller has read the message, and quotes its identifiers itself.
  if (rule.response === 'pacs.002') {
    return { response: 'pacs.002', statusReason: rule.statusReason, cause, description };
  }
  return decide(cause, description, undefined);
}

interface LocatedFailure {
  readonly definition: { readonly kind: MessageKind };
  readonly original: OriginalMessageReference;
}

function decide(
  cause: RejectCause,
  description: string,
  located: LocatedFailure | undefined,
): RejectDecision {
  const rule = REJECT_RULES[cause];
  if (rule.response === 'none') return { response: 'none', cause, description };
  if (rule.response === 'admi.002') return {
    response: 'admi.002',
    reason: rule.reason,
    cause,
    description,
  };
  // A group status must quote the message's id (OrgnlMsgId is mandatory): without one that
  // can be quoted, the message is rejected with admi.002 instead.
  const answerable =
    located !== undefined &&
    STATUS_REPORTED_KINDS.has(located.definition.kind) &&
    quotableIdentifier(located.original.messageId) !== undefined;
  if (answerable) return {
    response: 'pacs.002',
    statusReason: rule.statusReason,
    cause,
    description,
  };
  const reason: MessageRejectReason = cause === 'schema_invalid' ? 'SCHEMA_INVALID' : 'CONTENT_INVALID';
  return { response: 'admi.002', reason, cause, description };
}

/** Picks the reason for one invalid transaction of an otherwise readable message. */
export function classifyTransactionIssues(issues: readonly FieldIssue[]): {
  statusReason: StatusReasonCode;
  description: string;
} {
  const issue = decisiveIssue(issues);
  const rule = issue === undefined ? undefined : REJECT_RULES[issue.code];
  const statusReason = rule?.response === 'pacs.002' ? rule.statusReason : 'FF01';
  return {
    statusReason,
    description: issue === undefined ? 'The transaction is invalid.' : issue.message,
  };
}

function clip(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

export interface ResponseIdentity {
  /** MsgId of the answer Corridor sends. */
  readonly messageId: string;
  /** CreDtTm of the answer (ISODateTime). */
  readonly creationDateTime: string;
}

/**
 * The reference an admi.002 quotes (RltdRef/Ref): the message's id, else its AppHdr's
 * BizMsgIdr, each only if quotable, else "NONREF".
 */
export function relatedReferenceOf(original: OriginalMessageReference | undefined): string {
  return (
    quotableIdentifier(original?.messageId) ??
    quotableIdentifier(original?.businessMessageId) ??
    NO_REFERENCE
  );
}

/** The admi.002 model for a decision; `relatedReference` is "NONREF" when none is quotable. */
export function buildMessageReject(
  decision: Extract<RejectDecision, { response: 'admi.002' }>,
  identity: ResponseIdentity,
  original?: OriginalMessageReference,
): MessageReject {
  return {
    relatedReference: relatedReferenceOf(original),
    rejectingPartyReason: decision.reason,
    rejectionDateTime: identity.creationDateTime,
    reasonDescription: clip(decision.description, REJECT_DESCRIPTION_LENGTH_MAX),
  };
}

/**
 * ISO requires OrgnlMsgId; "NONREF" stands in when the rejected message's id was unreadable.
 * OrgnlCreDtTm is optional, and left out unless it is an ISODateTime.
 */
function originalGroupOf(original: OriginalMessageReference): OriginalGroupReference {
  return compact({
    messageId: quotableIdentifier(original.messageId) ?? NO_REFERENCE,
    messageNameId: original.messageNameId,
    creationDateTime: quotableDateTime(original.creationDateTime),
  });
}

/** The pacs.002 model rejecting a whole message (group status RJCT). */
export function buildGroupRejection(
  decision: Extract<RejectDecision, { response: 'pacs.002' }>,
  identity: ResponseIdentity,
  original: OriginalMessageReference,
): PaymentStatusReport {
  return {
    groupHeader: { messageId: identity.messageId, creationDateTime: identity.creationDateTime },
    originalGroupStatuses: [
      {
        original: originalGroupOf(original),
        groupStatus: 'RJCT',
        statusReasons: [
          {
            reason: { code: decision.statusReason },
            additionalInformation: [clip(decision.description, STATUS_INFORMATION_LENGTH_MAX)],
          },
        ],
      },
    ],
    transactionStatuses: [],
  };
}

/** One RJCT transaction status per invalid transaction, quoting its identifiers. */
export function buildTransactionRejections(
  original: OriginalMessageReference,
  invalidTransactions: readonly InvalidTransaction[],
): TransactionStatus[] {
  return invalidTransactions.map((transaction) => {
    const { statusReason, description } = classifyTransactionIssues(transaction.issues);
    const references = transaction.references;
    return compact<TransactionStatus>({
      originalGroup: originalGroupOf(original),
      originalInstructionId: quotableIdentifier(references.instructionId),
      originalEndToEndId: quotableIdentifier(references.endToEndId),
      originalTransactionId: quotableIdentifier(references.transactionId),
      // A UUID whose pattern the XSD has checked; only a blank one is left out.
      originalUetr: references.uetr !== undefined && /\S/.test(references.uetr) ? references.uetr : undefined,
      status: 'RJCT',
      statusReasons: [
        {
          reason: { code: statusReason },
          additionalInformation: [clip(description, STATUS_INFORMATION_LENGTH_MAX)],
        },
      ],
    });
  });
}

export type FailureResponse =
  | { readonly response: 'admi.002'; readonly reject: MessageReject; readonly decision: RejectDecision }
  | { readonly response: 'pacs.002'; readonly report: PaymentStatusReport; readonly decision: RejectDecision }
  | { readonly response: 'none'; readonly decision: RejectDecision };

/** Classifies a failure and builds the model of the answer, ready for its generator. */
export function respondToFailure(
  failure: InboundFailure,
  identity: ResponseIdentity,
): FailureResponse {
  const decision = classifyInboundFailure(failure);
  const original = failure.stage === 'schema' || failure.stage === 'content' ? failure.original : undefined;
  if (decision.response === 'none') return { response: 'none', decision };
  if (decision.response === 'admi.002') {
    return {
      response: 'admi.002',
      reject: buildMessageReject(decision, identity, original),
      decision,
    };
  }
  // decide() answers pacs.002 only for a located message, whose original is known.
  if (original === undefined) throw new Error('respondToFailure: a pacs.002 needs the original');
  return {
    response: 'pacs.002',
    report: buildGroupRejection(decision, identity, original),
    decision,
  };
}
