// Upper bounds for everything the compliance component reads or indexes. A list file or a
// payment name beyond a bound is refused with a typed error instead of exhausting memory or
// time; each value leaves wide room above the largest real list it was sized against.

/**
 * Largest list file read, in bytes: wide headroom over the UN and OFAC publications (a few
 * thousand to twenty thousand entries). Large OpenSanctions exports should be cut down to
 * the needed datasets before loading; a caller may raise the bound per load.
 */
export const LIST_FILE_BYTES_MAX = 256 * 1024 * 1024;

/** Most entries one list file may hold (OFAC SDN: 19,082 and UN: 1,003 in the 2026 copies). */
export const LIST_ENTRIES_MAX = 250_000;

/** Most rows an OFAC alias, address or comment file may hold. */
export const LIST_ROWS_MAX = 1_000_000;

/** Deepest element nesting accepted in list XML; the UN and OFAC files nest five levels. */
export const XML_NESTING_DEPTH_MAX = 32;

/** Longest line of an OpenSanctions JSON Lines file, in characters. */
export const JSON_LINE_LENGTH_MAX = 4 * 1024 * 1024;

/** Most warnings kept per list load; the rest are only counted. */
export const LIST_WARNINGS_MAX = 100;

/** Most names (primary name, aliases, weak aliases) indexed for one list entry. */
export const NAMES_PER_ENTRY_MAX = 256;

/** Longest name, in characters, that is screened or indexed. */
export const NAME_LENGTH_MAX = 512;

/**
 * Most words in a screened name. List names with more words are indexed on their first
 * words only; a screened name with more is refused, because cutting it could hide a match.
 */
export const NAME_WORDS_MAX = 24;

/** Most names one screening call accepts (debtor, creditor, ultimate parties …). */
export const NAMES_PER_SCREENING_MAX = 16;

/** Most entries one screener holds across all loaded lists. */
export const SCREENER_ENTRIES_MAX = 1_000_000;

/**
 * Screened words whose similar listed words are remembered between screenings. Payment
 * names repeat the same given names, family names and trade words, so most lookups hit.
 */
export const SIMILAR_WORDS_CACHED_MAX = 20_000;

/** Matches returned by one screening call when the caller does not say. */
export const MATCHES_RETURNED_DEFAULT = 20;

/** Most matches one screening call may be asked to return. */
export const MATCHES_RETURNED_MAX = 500;
