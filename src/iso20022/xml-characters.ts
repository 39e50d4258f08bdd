// The XML 1.0 Char production, shared by the reader (to refuse) and the writer (to refuse).

/** Matches any character XML 1.0 forbids; lone surrogates fall outside the set under the u flag. */
export const INVALID_XML_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
