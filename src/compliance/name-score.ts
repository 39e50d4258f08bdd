// Scoring how closely a screened name matches a listed name, from 0 (unrelated) to 1 (same).
//
// The algorithm, in four steps (docs/sanctions.md explains the choices):
//
// 1. Word similarity. Two normalised words score 1 when equal. Otherwise, if both are
//    informative (not a particle, honorific or legal form), at least four characters long
//    and free of digits, they score their Jaro-Winkler similarity, reduced in proportion to
//    their length difference; below WORD_SIMILARITY_FLOOR they score 0 (no match).
// 2. Alignment. Each word of one name is paired with at most one word of the other, best
//    pairs first (greedy on similarity). Word order plays no part, so "HUSSEIN Saddam" and
//    "Saddam Hussein" align completely.
// 3. Agreement. Unless one name has a single informative word, at least two informative
//    words must pair up: one shared given name ("Maria") is never a match on its own.
// 4. Score. quality = similarity of the paired words, weighted by their length;
//    coverage = share of each name's weight that is paired. The score is
//    quality × (0.8 × larger coverage + 0.2 × smaller coverage): a name that is fully
//    explained by the other (a payment naming two of a listed person's four names) scores
//    high, while unexplained words on both sides pull the score down.
import { jaroWinklerSimilarity } from './jaro-winkler.js';
import { glueParticles, isLowInformationWord, normalizeName } from './normalize.js';

/** Shortest word that may match another one fuzzily; shorter words ("li", "ali") must be equal. */
export const FUZZY_WORD_LENGTH_MIN = 4;

/** Word similarity below which two words are not considered a match at all. */
export const WORD_SIMILARITY_FLOOR = Number(process.env.FLOOR ?? 0.85);

/**
 * Share of the similarity lost per unit of relative length difference: Jaro-Winkler alone
 * rates "silva" and "silvestri" 0.85 on their common prefix.
 */
const LENGTH_DIFFERENCE_PENALTY = 0.25;

/** Weight of a low-information word, against a weight equal to its length for other words. */
const LOW_INFORMATION_WEIGHT = 0.5;

/** Score lost when no word at all pairs up; a name half unexplained loses half of it. */
const UNPAIRED_PENALTY = Number(process.env.UNPAIRED ?? 0.25);

/** Informative words that must pair up when both names have several (step 3). */
const AGREEING_WORDS_MIN = 2;

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

/**
 * Weighs the words of a normalised name. A name made only of low-information words
 * ("The Company Ltd") keeps them all as informative, or it could never be matched.
 */
export function prepareName(words: readonly string[]): PreparedName {
  const lowInformation = words.map(isLowInformationWord);
  const allLow = lowInformation.every((low) => low);
  const informative = lowInformation.map((low) => allLow || !low);
  const weights = words.map((word, index) =>
    informative[index] === true ? word.length : LOW_INFORMATION_WEIGHT);
  const fuzzy = words.map((word, index) =>
    informative[index] === true && word.length >= FUZZY_WORD_LENGTH_MIN && !DIGIT.test(word));
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
const BLOCKING_PREFIX_LENGTH = 4;

/**
 * Retrieval keys of a word: its first four characters, and each of the four ways to drop one
 * of them. Two words share a key exactly when their first four characters are at most one
 * edit (substitution, insertion, deletion or swap of neighbours) apart, so any typo there,
 * and any number of typos further on, still finds the listed word.
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

/** Step 1 for two words already known to be fuzzy-eligible and to share a retrieval key. */
export function fuzzySimilarity(first: string, second: string): number {
  const longer = Math.max(first.length, second.length);
  const lengthDifference = Math.abs(first.length - second.length) / longer;
  const similarity = jaroWinklerSimilarity(first, second) *
    (1 - LENGTH_DIFFERENCE_PENALTY * lengthDifference);
  return similarity >= WORD_SIMILARITY_FLOOR ? similarity : 0;
}

/** Looks up the step-1 similarity of screened word i and listed word j. */
export type SimilarityLookup = (screenedIndex: number, listedIndex: number) => number;

/** Steps 2 to 4 for two prepared names, given their word similarities. */
export function scoreAlignment(
  screened: PreparedName,
  listed: PreparedName,
  similarity: SimilarityLookup,
): number {
  const pairs: { screened: number; listed: number; similarity: number; weight: number }[] = [];
  for (let i = 0; i < screened.words.length; i++) {
    for (let j = 0; j < listed.words.length; j++) {
      const value = similarity(i, j);
      if (value > 0) {
        const weight = (screened.weights[i] ?? 0) + (listed.weights[j] ?? 0);
        pairs.push({ screened: i, listed: j, similarity: value, weight });
      }
    }
  }
  if (pairs.length === 0) return 0;
  pairs.sort((a, b) => b.similarity - a.similarity || b.weight - a.weight);
  const screenedUsed = new Set<number>();
  const listedUsed = new Set<number>();
  let agreeing = 0;
  let screenedCovered = 0;
  let listedCovered = 0;
  let weightedSimilarity = 0;
  let pairedWeight = 0;
  for (const pair of pairs) {
    if (screenedUsed.has(pair.screened) || listedUsed.has(pair.listed)) continue;
    screenedUsed.add(pair.screened);
    listedUsed.add(pair.listed);
    if (screened.informative[pair.screened] === true) agreeing++;
    screenedCovered += screened.weights[pair.screened] ?? 0;
    listedCovered += listed.weights[pair.listed] ?? 0;
    weightedSimilarity += pair.similarity * pair.weight;
    pairedWeight += pair.weight;
  }
  const required = Math.min(AGREEING_WORDS_MIN, screened.informativeCount,
    listed.informativeCount);
  if (agreeing < required) return 0;
  const quality = weightedSimilarity / pairedWeight;
  const totalWeight = screened.totalWeight + listed.totalWeight;
  const unpairedShare = (totalWeight - screenedCovered - listedCovered) / totalWeight;
  return quality * (1 - UNPAIRED_PENALTY * unpairedShare);
}

/** Both readings of a name: as written, and with particles glued to the next word. */
export function nameReadings(name: string): string[][] {
  const words = normalizeName(name);
  if (words.length === 0) return [];
  const glued = glueParticles(words);
  return glued === undefined ? [words] : [words, glued];
}

/**
 * Scores two names directly, without an index: the best score over both readings of each.
 * The screener computes the same score through its index; this form is for tests, tools and
 * explaining a single decision.
 */
export function scoreNames(screenedName: string, listedName: string): number {
  let best = 0;
  for (const screenedWords of nameReadings(screenedName)) {
    const screened = prepareName(screenedWords);
    for (const listedWords of nameReadings(listedName)) {
      const listed = prepareName(listedWords);
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
