// Scoring how closely a screened name matches a listed name, from 0 (unrelated) to 1 (same).
//
// The algorithm, in four steps (docs/sanctions.md explains the choices):
//
// 1. Word similarity. Two normalised words score 1 when equal. Otherwise, if both are
//    informative (not a particle, honorific or legal form), 4 to 64 characters long,
//    free of digits, and share a retrieval key (true whenever their first five letters
//    are at most one edit apart), they score
//    their Jaro-Winkler similarity, reduced in proportion to their length difference;
//    below WORD_SIMILARITY_FLOOR they score 0 (no match).
// 2. Alignment. Each word of one name is paired with at most one word of the other, best
//    pairs first (greedy on similarity). Word order plays no part, so "HUSSEIN Saddam" and
//    "Saddam Hussein" align completely.
// 3. Agreement. Unless one name has a single informative word, at least two informative
//    words must pair up: one shared given name ("Maria") is never a match on its own.
// 4. Score. Words weigh their length (low-information words 0.5).
//      quality  = mean similarity of the paired words, weighted by the pairs' weights
//      coverage = share of a name's weight that is paired, for each of the two names
//      score    = quality × (0.8 × larger coverage + 0.2 × smaller coverage)
//    A name contained in the other (a payment naming two of a listed person's four names,
//    or adding a trade name to a listed company's) keeps a high score; two names that each
//    keep unexplained words (different people sharing two common names) score low.
import { jaroWinklerSimilarity } from './jaro-winkler.js';
import { NAME_WORDS_MAX } from './limits.js';
import { glueParticles, isLowInformationWord, normalizeName } from './normalize.js';

/** Shortest word that may match another one fuzzily; shorter words ("li", "ali") must be equal. */
export const FUZZY_WORD_LENGTH_MIN = 4;

/** Word similarity below which two words are not considered a match at all. */
export const WORD_SIMILARITY_FLOOR = 0.85;

/**
 * Share of the similarity lost per unit of relative length difference: Jaro-Winkler alone
 * rates "silva" and "silvestri" 0.85 on their common prefix.
 */
const LENGTH_DIFFERENCE_PENALTY = 0.25;

/** Weight of a low-information word, against a weight equal to its length for other words. */
const LOW_INFORMATION_WEIGHT = 0.5;

/**
 * Weight of the better-covered name in the coverage blend (step 4). High, because a name
 * contained in the other (a payment naming two of a listed person's four names) is the
 * usual shape of a true match; the rest goes to the less-covered name, so a pair of names
 * that each keep unexplained words (two people sharing two common names) scores low.
 */
const COVERAGE_BLEND = 0.8;

/** Informative words that must pair up when both names have several (step 3). */
export const AGREEING_WORDS_MIN = 2;

/**
 * Longest word that may match fuzzily. Real name words are far shorter; the bound keeps
 * Jaro-Winkler's cost small even for hostile input whose characters expand under NFKD
 * ("㍿" becomes four letters).
 */
export const FUZZY_WORD_LENGTH_MAX = 64;

const DIGIT = /\p{N}/u;

/** A name prepared for scoring: its words, their weights and whether each may match fuzzily. */
export interface PreparedName {
  readonly words: readonly string[];
  readonly weights: readonly number[];
  readonly fuzzy: readonly boolean[];
  readonly informative: readonly boolean[];
  readonly informativeCount: number;
  readonly totalWeight: number;
}

/** One way of reading a name: its words, and which of them were glued from a particle. */
export interface NameReading {
  readonly words: readonly string[];
  readonly glued: readonly boolean[];
}

/**
 * Weighs the words of a normalised name. A name made only of low-information words
 * ("The Company Ltd") keeps them all as informative, or it could never be matched.
 * Glued words match only when equal: their shared particle ("al…") would otherwise earn
 * them Jaro-Winkler's prefix bonus, making "alharbi" look like "alshair".
 */
export function prepareName({ words, glued }: NameReading): PreparedName {
  const lowInformation = words.map(isLowInformationWord);
  const allLow = lowInformation.every((low) => low);
  const informative = lowInformation.map((low) => allLow || !low);
  const weights = words.map((word, index) =>
    informative[index] === true ? word.length : LOW_INFORMATION_WEIGHT);
  const fuzzy = words.map((word, index) => informative[index] === true &&
    glued[index] !== true && word.length >= FUZZY_WORD_LENGTH_MIN &&
    word.length <= FUZZY_WORD_LENGTH_MAX && !DIGIT.test(word));
  return {
    words,
    weights,
    fuzzy,
    informative,
    informativeCount: informative.filter((flag) => flag).length,
    totalWeight: weights.reduce((sum, weight) => sum + weight, 0),
  };
}

/** Leading characters of a word that candidate retrieval keys on. */
const BLOCKING_PREFIX_LENGTH = 5;

/**
 * Retrieval keys of a word: its first five characters (the whole word if shorter), and each
 * way to drop one of them. Two words whose prefixes are at most one edit (substitution,
 * insertion, deletion or swap of neighbours) apart always share a key, so any single typo
 * there, and any number of typos further on, still finds the listed word. (Some prefixes
 * two edits apart share one too; similarity then decides.)
 */
export function blockingKeys(word: string): string[] {
  const prefix = word.slice(0, BLOCKING_PREFIX_LENGTH);
  const keys = [prefix];
  for (let index = 0; index < prefix.length; index++) {
    keys.push(prefix.slice(0, index) + prefix.slice(index + 1));
  }
  return keys;
}

function shareBlockingKey(first: string, second: string): boolean {
  const keys = new Set(blockingKeys(first));
  return blockingKeys(second).some((key) => keys.has(key));
}

/**
 * Similarity of two words under step 1. Unequal words score above 0 only when both may match
 * fuzzily and they share a retrieval key, so the index and this function always agree.
 */
export function wordSimilarity(first: string, second: string, fuzzy: boolean): number {
  if (first === second) return 1;
  if (!fuzzy || !shareBlockingKey(first, second)) return 0;
  return fuzzySimilarity(first, second);
}

/**
 * Shortest-to-longest length ratio below which two words cannot reach the similarity floor:
 * even with every letter of the shorter word matched and the full prefix bonus, the length
 * penalty keeps them under it. Checked first because it is far cheaper than Jaro-Winkler.
 */
const LENGTH_RATIO_MIN = 0.65;

/** Step 1 for two words already known to be fuzzy-eligible and to share a retrieval key. */
export function fuzzySimilarity(first: string, second: string): number {
  const longer = Math.max(first.length, second.length);
  const shorter = Math.min(first.length, second.length);
  if (shorter < LENGTH_RATIO_MIN * longer) return 0;
  const lengthDifference = (longer - shorter) / longer;
  const similarity = jaroWinklerSimilarity(first, second) *
    (1 - LENGTH_DIFFERENCE_PENALTY * lengthDifference);
  return similarity >= WORD_SIMILARITY_FLOOR ? similarity : 0;
}

/** Looks up the step-1 similarity of screened word i and listed word j. */
export type SimilarityLookup = (screenedIndex: number, listedIndex: number) => number;

// Scratch space for the candidate word pairs of one alignment: at most NAME_WORDS_MAX² pairs.
// Reused because screening aligns many names; safe because JavaScript runs this synchronously.
const PAIRS_MAX = NAME_WORDS_MAX * NAME_WORDS_MAX;
const pairSimilarities = new Float64Array(PAIRS_MAX);
const pairScreened = new Uint8Array(PAIRS_MAX);
const pairListed = new Uint8Array(PAIRS_MAX);
const pairOrder: number[] = [];

/** Steps 2 to 4 for two prepared names, given their word similarities. */
export function scoreAlignment(
  screened: PreparedName,
  listed: PreparedName,
  similarity: SimilarityLookup,
): number {
  const screenedCount = Math.min(screened.words.length, NAME_WORDS_MAX);
  const listedCount = Math.min(listed.words.length, NAME_WORDS_MAX);
  pairOrder.length = 0;
  for (let i = 0; i < screenedCount; i++) {
    for (let j = 0; j < listedCount; j++) {
      const value = similarity(i, j);
      if (value <= 0) continue;
      const pair = pairOrder.length;
      pairSimilarities[pair] = value;
      pairScreened[pair] = i;
      pairListed[pair] = j;
      pairOrder.push(pair);
    }
  }
  if (pairOrder.length === 0) return 0;
  const pairWeight = (pair: number): number => (screened.weights[pairScreened[pair] ?? 0] ?? 0) +
    (listed.weights[pairListed[pair] ?? 0] ?? 0);
  // Best pairs first; among equal ones the heavier, then the earlier, for a stable result.
  pairOrder.sort((a, b) => (pairSimilarities[b] ?? 0) - (pairSimilarities[a] ?? 0) ||
    pairWeight(b) - pairWeight(a) || a - b);
  let screenedUsed = 0;
  let listedUsed = 0;
  let agreeing = 0;
  let screenedCovered = 0;
  let listedCovered = 0;
  let weightedSimilarity = 0;
  for (const pair of pairOrder) {
    const i = pairScreened[pair] ?? 0;
    const j = pairListed[pair] ?? 0;
    if ((screenedUsed & (1 << i)) !== 0 || (listedUsed & (1 << j)) !== 0) continue;
    screenedUsed |= 1 << i;
    listedUsed |= 1 << j;
    if (screened.informative[i] === true) agreeing++;
    screenedCovered += screened.weights[i] ?? 0;
    listedCovered += listed.weights[j] ?? 0;
    weightedSimilarity += (pairSimilarities[pair] ?? 0) * pairWeight(pair);
  }
  const required = Math.min(AGREEING_WORDS_MIN, screened.informativeCount,
    listed.informativeCount);
  if (agreeing < required) return 0;
  const quality = weightedSimilarity / (screenedCovered + listedCovered);
  const screenedCoverage = screenedCovered / screened.totalWeight;
  const listedCoverage = listedCovered / listed.totalWeight;
  const larger = Math.max(screenedCoverage, listedCoverage);
  const smaller = Math.min(screenedCoverage, listedCoverage);
  return quality * (COVERAGE_BLEND * larger + (1 - COVERAGE_BLEND) * smaller);
}

/** Both readings of a name's words: as written, and with particles glued to the next word. */
export function nameReadings(words: readonly string[]): NameReading[] {
  if (words.length === 0) return [];
  const plain: NameReading = { words, glued: words.map(() => false) };
  const glued = glueParticles(words);
  return glued === undefined ? [plain] : [plain, glued];
}

/**
 * Scores two names directly, without an index: the best score over both readings of each.
 * The screener computes the same score through its index; this form is for tests, tools and
 * explaining a single decision.
 */
export function scoreNames(screenedName: string, listedName: string): number {
  let best = 0;
  for (const screenedReading of nameReadings(normalizeName(screenedName))) {
    const screened = prepareName(screenedReading);
    for (const listedReading of nameReadings(normalizeName(listedName))) {
      const listed = prepareName(listedReading);
      const score = scoreAlignment(screened, listed, (i, j) => wordSimilarity(
        screened.words[i] ?? '',
        listed.words[j] ?? '',
        screened.fuzzy[i] === true && listed.fuzzy[j] === true,
      ));
      best = Math.max(best, score);
    }
  }
  return best;
}
