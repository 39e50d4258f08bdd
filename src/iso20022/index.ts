// ISO 20022 message library: safe reading, typed models, generation, XSD validation and
// reject mapping for the messages Corridor exchanges. Pure: no HTTP, no database.
export * from './limits.js';
export type { XmlAttribute, XmlElement } from './xml-element.js';
export { readXml, HOSTILE_XML_ERROR_CODES } from './xml-reader.js';
export type { XmlReadError, XmlReadErrorCode, XmlReadResult } from './xml-reader.js';
export { serializeXml } from './xml-writer.js';
export * from './message-definition.js';
export { locateMessage } from './envelope.js';
export type { LocateError, LocateErrorCode, LocatedMessage, LocateResult } from './envelope.js';
export * from './model.js';
export { DEFAULT_CURRENCY_LOOKUP } from './parse-context.js';
export { controlSumOf, decimalsEqual, sumDecimals } from './decimal.js';
export { CORRIDOR_QUOTE_NAMESPACE, CORRIDOR_QUOTE_ELEMENT, isValidCorridorQuoteId } from './corridor-quote.js';
export type {
  GenerateError,
  GenerateErrorCode,
  GeneratedMessage,
  GenerateOptions,
  GenerateResult,
} from './generate-context.js';

export type { CreditTransferGroupHeader, CreditTransferGroupHeaderInput } from './group-header.js';
export type { OriginalTransactionReference } from './original-transaction.js';
export type { Assignment, InvestigationCase } from './investigation.js';

export {
  DEFAULT_ENVELOPE_NAME,
  DEFAULT_ENVELOPE_NAMESPACE,
  HEADER_IDENTIFIER,
  HEADER_NAMESPACE,
  generateBusinessApplicationHeader,
  generateEnvelope,
} from './business-application-header.js';
export type {
  BusinessApplicationHeader,
  BusinessApplicationHeaderInput,
  CopyDuplicate,
  EnvelopeOptions,
  EnvelopeResult,
  HeaderGenerateResult,
  HeaderParty,
  RelatedHeader,
} from './business-application-header.js';

export { CHARGE_BEARERS } from './pacs008.js';
export type {
  AgreedRate,
  CustomerCreditTransfer,
  CustomerCreditTransferTransaction,
} from './pacs008.js';
export { generateCustomerCreditTransfer } from './pacs008-write.js';
export type {
  CustomerCreditTransferGenerateOptions,
  CustomerCreditTransferInput,
  CustomerCreditTransferTransactionInput,
  CustomerCreditTransferVersion,
} from './pacs008-write.js';

export type {
  FinancialInstitutionCreditTransfer,
  FinancialInstitutionCreditTransferTransaction,
  SettlementPriority,
} from './pacs009.js';

export { PAYMENT_STATUS_CODES } from './pacs002.js';
export type {
  OriginalGroupStatus,
  PaymentStatusCode,
  PaymentStatusReport,
  StatusCount,
  StatusGroupHeader,
  TransactionStatus,
} from './pacs002.js';
export { generatePaymentStatusReport } from './pacs002-write.js';
export type {
  PaymentStatusReportGenerateOptions,
  PaymentStatusReportVersion,
} from './pacs002-write.js';

export type {
  OriginalGroupReturn,
  PaymentReturn,
  ReturnChain,
  ReturnGroupHeader,
  ReturnTransaction,
} from './pacs004.js';
export { generatePaymentReturn } from './pacs004-write.js';
export type {
  PaymentReturnGenerateOptions,
  PaymentReturnInput,
  PaymentReturnVersion,
  ReturnTransactionInput,
} from './pacs004-write.js';

export type {
  CancellationControlData,
  CancellationRequestTransaction,
  GroupCancellationRequest,
  PaymentCancellationRequest,
} from './camt056.js';

export { TRANSACTION_CANCELLATION_STATUSES } from './camt029.js';
export type {
  CancellationDetails,
  CancellationTransactionStatus,
  GroupCancellationStatus,
  InvestigationStatus,
  ResolutionOfInvestigation,
  ResolutionRelatedInformation,
  TransactionCancellationStatus,
} from './camt029.js';
export { generateResolutionOfInvestigation } from './camt029-write.js';

export type {
  AccountReport,
  Balance,
  BankToCustomerDebitCreditNotification,
  BankToCustomerStatement,
  BankTransactionCode,
  EntryTransaction,
  EntryTransactionReferences,
  Pagination,
  RelatedAgents,
  RelatedParties,
  ReportAccount,
  ReportEntry,
  ReportGroupHeader,
} from './account-report.js';
export {
  generateBankToCustomerDebitCreditNotification,
  generateBankToCustomerStatement,
} from './account-report-write.js';
export type { StatementGenerateOptions, StatementVersion } from './account-report-write.js';

export { MESSAGE_REJECT_ELEMENT, generateMessageReject } from './admi002.js';
export type { MessageReject } from './admi002.js';

export { SCHEMA_DIRECTORY, SCHEMA_IDENTIFIERS, hasSchema } from './schema-registry.js';
export {
  closeSchemaValidator,
  validateLocatedMessage,
  validateMessage,
  validateXmlText,
} from './schema-validation.js';
export type {
  SchemaValidationCode,
  SchemaValidationResult,
  SchemaViolation,
} from './schema-validation.js';

export { originalReferenceOf, parseMessage, parseMessageOfKind, readMessage } from './inbound.js';
export type {
  DocumentModels,
  InboundFailure,
  OriginalMessageReference,
  ParsedMessage,
  ParsedMessageOf,
  ParseOptions,
  ParseResult,
  ReadMessageOptions,
} from './inbound.js';

export {
  REJECT_RULES,
  STATUS_REPORTED_KINDS,
  buildGroupRejection,
  buildMessageReject,
  buildTransactionRejections,
  classifyCause,
  classifyInboundFailure,
  classifyTransactionIssues,
  decisiveIssue,
  respondToFailure,
} from './reject-mapping.js';
export type {
  CallerDetectedCause,
  FailureResponse,
  MessageRejectReason,
  RejectCause,
  RejectDecision,
  RejectRule,
  ResponseIdentity,
  StatusReasonCode,
} from './reject-mapping.js';
