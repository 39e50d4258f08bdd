// The sanctions screener: an in-memory index of listed names and the screening of payment
// party names against it.
//
// Scoring every listed name for every payment would cost a Jaro-Winkler comparison per word
// pair per list name. Instead the index keeps each distinct listed word once, reachable
// through its blocking keys (name-score.ts). Screening a name then
//   1. finds, per screened word, the listed words equal or similar to it (a few dozen),
//   2. walks those words' postings to mark the listed names sharing enough of them,
//   3. scores only those names, with the same function scoreNames() uses.
import {
  MATCHES_RETURNED_DEFAULT,
  MATCHES_RETURNED_MAX,
  NAME_LENGTH_MAX,
  NAME_WORDS_MAX,
  NAMES_PER_ENTRY_MAX,
  NAMES_PER_SCREENING_MAX,
  SCREENER_ENTRIES_MAX,
  SIMILAR_WORDS_CACHED_MAX,
} from './limits.js';
import type { EntryKind, SanctionsEntry, SanctionsSource } from './model.js';
import {
  AGREEING_WORDS_MIN,
  blockingKeys,
  fuzzySimilarity,
  nameReadings,
  prepareName,
  scoreAlignment,
  type NameReading,
  type PreparedName,
} from './name-score.js';
import { normalizeName } from './normalize.js';

/**
 * Default score from which a listed name is reported as a hit. Chosen on the sample lists
 * so that one or two typos, a missing middle name or patronymic, and reordered words still
 * hit, while unrelated everyday names do not (docs/sanctions.md, "Threshold").
 */
export const SCREENING_THRESHOLD_DEFAULT = 0.88;

export interface ScreenerOptions {
  /** Score (0 to 1) from which a match is a hit. Default SCREENING_THRESHOLD_DEFAULT. */
  readonly threshold?: number;
  /** Also screen weak / low-quality aliases ("Abu Fatma", "The Uncle"). Default false. */
  readonly screenWeakAliases?: boolean;
  /** Most matches returned per screening (all hits still count). Default 20, at most 500. */
  readonly matchesMax?: number;
}

/** Which of an entry's names matched. */
export type NameType = 'primary' | 'alias' | 'weak_alias';

export interface ScreeningMatch {
  readonly source: SanctionsSource;
  readonly listId: string;
  readonly kind: EntryKind;
  readonly primaryName: string;
  /** The listed name, as the list writes it, that scored best. */
  readonly matchedName: string;
  readonly matchedNameType: NameType;
  /** The screened name, as given, that produced the match. */
  readonly screenedName: string;
  /** 0 to 1, rounded to four decimals. */
  readonly score: number;
  readonly programs: readonly string[];
}

export type ScreeningErrorCode =
  | 'screener_empty'
  | 'names_missing'
  | 'names_too_many'
  | 'name_empty'
  | 'name_too_long'
  | 'name_too_many_words';

/** A screening that could not be done; the payment must not be treated as clear. */
export interface ScreeningError {
  readonly ok: false;
  readonly code: ScreeningErrorCode;
  readonly message: string;
}

export interface ScreeningOutcome {
  readonly ok: true;
  /** True when any listed name scored at or above the threshold. */
  readonly hit: boolean;
  /** Best match per listed entry at or above the threshold, highest score first. */
  readonly matches: readonly ScreeningMatch[];
  /** Matches beyond matchesMax, counted but not returned. */
  readonly matchesNotReturned: number;
}

export type ScreeningResult = ScreeningOutcome | ScreeningError;

export interface LoadReport {
  readonly ok: true;
  readonly entriesAdded: number;
  /** Entries skipped because one with the same source and listId is already loaded. */
  readonly entriesDuplicated: number;
  readonly namesIndexed: number;
  /** Names indexed on their first NAME_LENGTH_MAX characters or NAME_WORDS_MAX words. */
  readonly namesShortened: number;
  /** Names with no letters or digits, or beyond NAMES_PER_ENTRY_MAX for their entry. */
  readonly namesNotIndexed: number;
}

export interface LoadError {
  readonly ok: false;
  readonly code: 'screener_full';
  readonly message: string;
}

export type LoadResult = LoadReport | LoadError;

export interface SanctionsScreener {
  /** Adds entries to the index; refuses the whole batch if it would exceed the capacity. */
  load(entries: readonly SanctionsEntry[]): LoadResult;
  /** Screens the names of one payment's parties against every loaded entry. */
  screen(names: readonly string[]): ScreeningResult;
  /** Number of entries loaded. */
  readonly size: number;
  readonly threshold: number;
}

interface IndexedName {
  readonly entryIndex: number;
  readonly text: string;
  readonly nameType: NameType;
  readonly prepared: PreparedName;
  readonly wordIds: Int32Array;
}

interface BestMatch {
  score: number;
  name: IndexedName;
  screenedName: string;
}

/**
 * Creates an empty screener. The options are code, not input: values out of range are a
 * programming error and throw a RangeError.
 */
export function createSanctionsScreener(options: ScreenerOptions = {}): SanctionsScreener {
  const threshold = options.threshold ?? SCREENING_THRESHOLD_DEFAULT;
  if (!(threshold > 0 && threshold <= 1)) {
    throw new RangeError(`The screening threshold must be above 0 and at most 1, not ${threshold}.`);
  }
  const matchesMax = options.matchesMax ?? MATCHES_RETURNED_DEFAULT;
  if (!Number.isInteger(matchesMax) || matchesMax < 1 || matchesMax > MATCHES_RETURNED_MAX) {
    throw new RangeError(`matchesMax must be an integer from 1 to ${MATCHES_RETURNED_MAX}.`);
  }
  const index = createNameIndex(options.screenWeakAliases === true);
  return {
    load: (entries) => index.load(entries),
    screen: (names) => screenNames(index, names, threshold, matchesMax),
    get size() {
      return index.entries.length;
    },
    threshold,
  };
}

interface NameIndex {
  readonly entries: SanctionsEntry[];
  readonly names: IndexedName[];
  readonly vocabulary: Map<string, number>;
  readonly words: string[];
  readonly postings: number[][];
  readonly keyedWords: Map<string, number[]>;
  /** Screened word → similar listed words (fuzzy lookups only), least recently used first. */
  readonly similarWordsCache: Map<string, ReadonlyMap<number, number>>;
  load(entries: readonly SanctionsEntry[]): LoadResult;
  /** Informative word count of each indexed name, kept flat for the candidate walk. */
  informativeCounts: Uint8Array;
  /**
   * Scratch space for one screening, per listed name and per listed word. An entry is valid
   * only when its stamp equals the current epoch, so nothing needs clearing between uses.
   */
  stamps: Uint32Array;
  masks: Uint32Array;
  agreeing: Uint8Array;
  wordStamps: Uint32Array;
  epochs: { stamps: number; wordStamps: number };
}

/** Starts a new use of a stamp array, clearing it only when the epoch counter wraps. */
function nextEpoch(index: NameIndex, stamps: 'stamps' | 'wordStamps'): number {
  const epoch = index.epochs[stamps] + 1;
  if (epoch === 0xffffffff) {
    index[stamps].fill(0);
    index.epochs[stamps] = 1;
    return 1;
  }
  index.epochs[stamps] = epoch;
  return epoch;
}

function createNameIndex(screenWeakAliases: boolean): NameIndex {
  const loadedKeys = new Set<string>();
  const keyed = new Set<number>();
  const index: NameIndex = {
    entries: [],
    names: [],
    vocabulary: new Map(),
    words: [],
    postings: [],
    keyedWords: new Map(),
    similarWordsCache: new Map(),
    informativeCounts: new Uint8Array(0),
    stamps: new Uint32Array(0),
    masks: new Uint32Array(0),
    agreeing: new Uint8Array(0),
    wordStamps: new Uint32Array(0),
    epochs: { stamps: 0, wordStamps: 0 },
    load(entries) {
      if (entries.length > SCREENER_ENTRIES_MAX - index.entries.length) {
        return {
          ok: false,
          code: 'screener_full',
          message: `Loading ${entries.length} entries would take the screener past its ` +
            `capacity of ${SCREENER_ENTRIES_MAX} entries; nothing was loaded.`,
        };
      }
      const report = { entriesAdded: 0, entriesDuplicated: 0, namesIndexed: 0,
        namesShortened: 0, namesNotIndexed: 0 };
      for (const entry of entries) {
        const key = `${entry.source}\u0000${entry.listId}`;
        if (loadedKeys.has(key)) {
          report.entriesDuplicated++;
          continue;
        }
        loadedKeys.add(key);
        index.entries.push(entry);
        report.entriesAdded++;
        indexEntry(index, keyed, entry, screenWeakAliases, report);
      }
      const nameCount = index.names.length;
      index.informativeCounts = Uint8Array.from(index.names,
        (name) => name.prepared.informativeCount);
      index.stamps = new Uint32Array(nameCount);
      index.masks = new Uint32Array(nameCount);
      index.agreeing = new Uint8Array(nameCount);
      index.wordStamps = new Uint32Array(index.words.length);
      index.epochs = { stamps: 0, wordStamps: 0 };
      // New listed words may be similar to words already looked up.
      index.similarWordsCache.clear();
      return { ok: true, ...report };
    },
  };
  return index;
}

interface LoadCounts {
  namesIndexed: number;
  namesShortened: number;
  namesNotIndexed: number;
}

function indexEntry(
  index: NameIndex,
  keyed: Set<number>,
  entry: SanctionsEntry,
  screenWeakAliases: boolean,
  counts: LoadCounts,
): void {
  const entryIndex = index.entries.length - 1;
  const candidates: { text: string; nameType: NameType }[] = [
    { text: entry.primaryName, nameType: 'primary' },
    ...entry.aliases.map((text) => ({ text, nameType: 'alias' as const })),
    ...(screenWeakAliases
      ? entry.weakAliases.map((text) => ({ text, nameType: 'weak_alias' as const }))
      : []),
  ];
  if (candidates.length > NAMES_PER_ENTRY_MAX) {
    counts.namesNotIndexed += candidates.length - NAMES_PER_ENTRY_MAX;
    candidates.length = NAMES_PER_ENTRY_MAX;
  }
  // Names that read the same once normalised ("KHOROSHEV, Dmitry" / "Dmitry Khoroshev")
  // would only be scored twice. Glued words are marked in the key: "alzawahiri" glued
  // (exact only) and "alzawahiri" as written (fuzzy) do not score alike.
  const readingsSeen = new Set<string>();
  for (const { text, nameType } of candidates) {
    let words = normalizeName(text.slice(0, NAME_LENGTH_MAX));
    if (text.length > NAME_LENGTH_MAX || words.length > NAME_WORDS_MAX) counts.namesShortened++;
    words = words.slice(0, NAME_WORDS_MAX);
    if (words.length === 0) {
      counts.namesNotIndexed++;
      continue;
    }
    counts.namesIndexed++;
    for (const reading of nameReadings(words)) {
      const readingKey = reading.words
        .map((word, position) => (reading.glued[position] === true ? `+${word}` : word))
        .join(' ');
      if (readingsSeen.has(readingKey)) continue;
      readingsSeen.add(readingKey);
      addName(index, keyed, { entryIndex, text, nameType, reading });
    }
  }
}

function addName(
  index: NameIndex,
  keyed: Set<number>,
  name: { entryIndex: number; text: string; nameType: NameType; reading: NameReading },
): void {
  const nameId = index.names.length;
  const prepared = prepareName(name.reading);
  const wordIds = new Int32Array(prepared.words.length);
  for (const [position, word] of prepared.words.entries()) {
    let wordId = index.vocabulary.get(word);
    if (wordId === undefined) {
      wordId = index.words.length;
      index.vocabulary.set(word, wordId);
      index.words.push(word);
      index.postings.push([]);
    }
    wordIds[position] = wordId;
    const postings = index.postings[wordId] ?? [];
    // A word repeated in one name ("Saleh Mesfer Saleh") is posted once.
    if (postings[postings.length - 1] !== nameId) postings.push(nameId);
    if (prepared.fuzzy[position] === true && !keyed.has(wordId)) {
      keyed.add(wordId);
      for (const key of blockingKeys(word)) {
        const keyWords = index.keyedWords.get(key);
        if (keyWords === undefined) index.keyedWords.set(key, [wordId]);
        else keyWords.push(wordId);
      }
    }
  }
  index.names.push({ entryIndex: name.entryIndex, text: name.text, nameType: name.nameType,
    prepared, wordIds });
}

interface ScreenedReading {
  readonly name: string;
  readonly reading: NameReading;
}

function screeningError(code: ScreeningErrorCode, message: string): ScreeningError {
  return { ok: false, code, message };
}

/** Checks the screened names and returns their readings, or why they cannot be screened. */
function readScreenedNames(
  names: readonly string[],
): { readonly ok: true; readonly readings: ScreenedReading[] } | ScreeningError {
  if (names.length === 0) return screeningError('names_missing', 'No name was given to screen.');
  if (names.length > NAMES_PER_SCREENING_MAX) {
    return screeningError('names_too_many', `The screening was given ${names.length} names; ` +
      `at most ${NAMES_PER_SCREENING_MAX} are screened in one call.`);
  }
  const readings: ScreenedReading[] = [];
  for (const [position, name] of names.entries()) {
    const ordinal = `Name ${position + 1}`;
    if (name.length > NAME_LENGTH_MAX) {
      return screeningError('name_too_long', `${ordinal} is ${name.length} characters long; ` +
        `at most ${NAME_LENGTH_MAX} are screened.`);
    }
    const words = normalizeName(name);
    if (words.length === 0) {
      return screeningError('name_empty', `${ordinal} has no letters or digits to screen.`);
    }
    if (words.length > NAME_WORDS_MAX) {
      return screeningError('name_too_many_words', `${ordinal} has ${words.length} words; ` +
        `at most ${NAME_WORDS_MAX} are screened.`);
    }
    for (const reading of nameReadings(words)) readings.push({ name, reading });
  }
  return { ok: true, readings };
}

function screenNames(
  index: NameIndex,
  names: readonly string[],
  threshold: number,
  matchesMax: number,
): ScreeningResult {
  const read = readScreenedNames(names);
  if (!read.ok) return read;
  if (index.entries.length === 0) {
    return screeningError('screener_empty', 'No sanctions list is loaded, so nothing can be ' +
      'screened; load the lists before screening payments.');
  }
  const best = new Map<number, BestMatch>();
  for (const { name, reading } of read.readings) screenReading(index, name, reading, best);
  const matches: ScreeningMatch[] = [];
  for (const [entryIndex, match] of best) {
    const score = Math.round(match.score * 10_000) / 10_000;
    if (score < threshold) continue;
    const entry = index.entries[entryIndex];
    if (entry === undefined) continue;
    matches.push({
      source: entry.source,
      listId: entry.listId,
      kind: entry.kind,
      primaryName: entry.primaryName,
      matchedName: match.name.text,
      matchedNameType: match.name.nameType,
      screenedName: match.screenedName,
      score,
      programs: entry.programs,
    });
  }
  // Code-unit order, not locale order, so the same screening sorts the same everywhere.
  matches.sort((a, b) => b.score - a.score || compareText(a.source, b.source) ||
    compareText(a.listId, b.listId));
  return {
    ok: true,
    hit: matches.length > 0,
    matches: matches.slice(0, matchesMax),
    matchesNotReturned: Math.max(0, matches.length - matchesMax),
  };
}

function compareText(first: string, second: string): number {
  if (first === second) return 0;
  return first < second ? -1 : 1;
}

/** Listed words similar to each screened word: word id → similarity (exact words score 1). */
function similarListedWords(
  index: NameIndex,
  screened: PreparedName,
): ReadonlyMap<number, number>[] {
  return screened.words.map((word, position) => {
    if (screened.fuzzy[position] !== true) {
      const exactId = index.vocabulary.get(word);
      return exactId === undefined ? new Map() : new Map([[exactId, 1]]);
    }
    const cache = index.similarWordsCache;
    let similar = cache.get(word);
    if (similar !== undefined) {
      // Re-inserting moves the word to the most recently used end.
      cache.delete(word);
    } else {
      similar = findSimilarWords(index, word);
      if (cache.size >= SIMILAR_WORDS_CACHED_MAX) {
        const oldest = cache.keys().next();
        if (oldest.done !== true) cache.delete(oldest.value);
      }
    }
    cache.set(word, similar);
    return similar;
  });
}

/** The listed words equal to a fuzzy-eligible word or sharing a key with it and similar. */
function findSimilarWords(index: NameIndex, word: string): Map<number, number> {
  const similar = new Map<number, number>();
  const exactId = index.vocabulary.get(word);
  if (exactId !== undefined) similar.set(exactId, 1);
  // Words sharing several keys with this one (all six, when the first five letters agree)
  // are compared once.
  const epoch = nextEpoch(index, 'wordStamps');
  const stamps = index.wordStamps;
  for (const key of blockingKeys(word)) {
    for (const wordId of index.keyedWords.get(key) ?? []) {
      if (wordId === exactId || stamps[wordId] === epoch) continue;
      stamps[wordId] = epoch;
      const similarity = fuzzySimilarity(word, index.words[wordId] ?? '');
      if (similarity > 0) similar.set(wordId, similarity);
    }
  }
  return similar;
}

function screenReading(
  index: NameIndex,
  screenedName: string,
  reading: NameReading,
  best: Map<number, BestMatch>,
): void {
  const screened = prepareName(reading);
  const similar = similarListedWords(index, screened);
  for (const nameId of agreeingNames(index, screened, similar)) {
    const name = index.names[nameId];
    if (name === undefined) continue;
    const score = scoreAlignment(screened, name.prepared, (i, j) => {
      const wordId = name.wordIds[j] ?? -1;
      const similarity = similar[i]?.get(wordId) ?? 0;
      if (similarity === 1) return 1;
      return screened.fuzzy[i] === true && name.prepared.fuzzy[j] === true ? similarity : 0;
    });
    const current = best.get(name.entryIndex);
    if (score > 0 && (current === undefined || score > current.score)) {
      best.set(name.entryIndex, { score, name, screenedName });
    }
  }
}

/**
 * Walks the postings of the listed words similar to each informative screened word, counting
 * per listed name how many screened words it has a counterpart for, and returns the names
 * that reach the agreement the score requires (name-score.ts, step 3). Most names share a
 * single common word with the screened name and are dropped here without being scored.
 */
function agreeingNames(
  index: NameIndex,
  screened: PreparedName,
  similar: readonly ReadonlyMap<number, number>[],
): number[] {
  const epoch = nextEpoch(index, 'stamps');
  const { stamps, masks, agreeing, informativeCounts, postings } = index;
  const screenedRequired = Math.min(AGREEING_WORDS_MIN, screened.informativeCount);
  const qualified: number[] = [];
  for (let position = 0; position < screened.words.length; position++) {
    if (screened.informative[position] !== true) continue;
    const bit = 1 << position;
    for (const wordId of similar[position]?.keys() ?? []) {
      for (const nameId of postings[wordId] ?? []) {
        if (stamps[nameId] !== epoch) {
          stamps[nameId] = epoch;
          masks[nameId] = 0;
          agreeing[nameId] = 0;
        }
        const mask = masks[nameId] ?? 0;
        if ((mask & bit) !== 0) continue;
        masks[nameId] = mask | bit;
        const count = (agreeing[nameId] ?? 0) + 1;
        agreeing[nameId] = count;
        if (count === Math.min(screenedRequired, informativeCounts[nameId] ?? 0)) {
          qualified.push(nameId);
        }
      }
    }
  }
  return qualified;
}
