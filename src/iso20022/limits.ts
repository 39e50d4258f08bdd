// Named upper bounds for everything the ISO 20022 module reads, so that hostile input costs a
// bounded amount of memory and time before it is refused.

/**
 * Largest message accepted, in UTF-8 bytes. A typical cross-border pacs.008 transaction takes
 * 2 to 3 KB indented, so about 350 of them fit; callers expecting bigger batches raise it.
 */
export const MESSAGE_BYTES_MAX = 1024 * 1024;

/**
 * Deepest element nesting accepted. The deepest ISO paths we handle (a postal address inside an
 * agent inside a return chain inside an envelope) stay under 20; supplementary data may add a
 * few levels of its own.
 */
export const ELEMENT_DEPTH_MAX = 48;

/** Most elements in one message: roughly 100 per transaction for 1,000 transactions. */
export const ELEMENT_COUNT_MAX = 200_000;

/** Most attributes on one element; ISO elements carry at most Ccy plus namespace declarations. */
export const ATTRIBUTES_PER_ELEMENT_MAX = 32;

/**
 * Longest text of a single element or attribute. ISO's longest type is Max20000Text; the margin
 * leaves room for certificates in a signed header's supplementary content.
 */
export const TEXT_CHARACTERS_MAX = 65_536;

/** Most transactions (or entries, or status lines) accepted in one message. */
export const TRANSACTIONS_PER_MESSAGE_MAX = 1_000;

/** Levels of non-ISO wrapping searched for the Document (FedNow wraps it three deep). */
export const ENVELOPE_DEPTH_MAX = 4;

/** Most issues reported for one message; past this the parser stops adding detail. */
export const ISSUES_PER_MESSAGE_MAX = 100;

/** Most schema violations kept from one XSD validation run. */
export const SCHEMA_VIOLATIONS_MAX = 50;

/** Longest a single XSD validation run may take before the validator is restarted. */
export const SCHEMA_VALIDATION_TIMEOUT_MILLISECONDS = 10_000;

/** Most documents validated in one xmllint run when requests are batched. */
export const SCHEMA_VALIDATION_BATCH_DOCUMENTS_MAX = 64;

/** Most bytes of documents validated in one xmllint run (the wasm heap is 32 MiB). */
export const SCHEMA_VALIDATION_BATCH_BYTES_MAX = 4 * 1024 * 1024;

/** Longest Corridor FX quote identifier carried in supplementary data. */
export const FX_QUOTE_ID_LENGTH_MAX = 64;

export interface ReadLimits {
  readonly messageBytesMax: number;
  readonly elementDepthMax: number;
  readonly elementCountMax: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = {
  messageBytesMax: MESSAGE_BYTES_MAX,
  elementDepthMax: ELEMENT_DEPTH_MAX,
  elementCountMax: ELEMENT_COUNT_MAX,
};
