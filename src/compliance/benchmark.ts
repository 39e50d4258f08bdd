// Screening speed on a list of realistic size. The sample lists hold a few dozen entries,
// so this builds a deterministic synthetic list of the size of the OFAC SDN list and times
// screenings against it. Like real name lists, it draws its names from a vocabulary of
// about 40,000 words, some very common (as "mohammed" or "trading" are) and most rare.
//
// Run: node --import tsx src/compliance/benchmark.ts [entries] [screenings]
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { SanctionsEntry } from './model.js';
import type { SanctionsScreener } from './screener.js';
import { createSanctionsScreener } from './screener.js';

const CONSONANTS = ['b', 'd', 'f', 'g', 'h', 'k', 'kh', 'l', 'm', 'n', 'p', 'r', 's', 'sh', 't',
  'v', 'z', 'ch', 'y', 'j'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'a', 'i', 'ou', 'ai'];
const CODAS = ['', '', '', 'n', 'r', 'l', 's', 'm', 'v', 'd', 'k', 'ov', 'in', 'ez'];

/** Distinct words the synthetic names are made of. */
const VOCABULARY_SIZE = 40_000;

/**
 * Flattens the head of the word frequencies, so the commonest word is in about 3% of names,
 * as the commonest given names are on real lists.
 */
const ZIPF_OFFSET = 10;

/** Small, seedable pseudo-random generator (mulberry32), so every run builds the same list. */
function randomGenerator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick(random: () => number, items: readonly string[]): string {
  return items[Math.floor(random() * items.length)] ?? '';
}

function syntheticWord(random: () => number): string {
  const syllables = 2 + Math.floor(random() * 3);
  let word = random() < 0.2 ? pick(random, VOWELS) : '';
  for (let index = 0; index < syllables; index++) {
    word += pick(random, CONSONANTS) + pick(random, VOWELS);
  }
  return (word + pick(random, CODAS)).toUpperCase();
}

/** Draws words with Zipf-like frequencies: the word of rank k is drawn ∝ 1 / (k + 10). */
function createWordSource(random: () => number): () => string {
  const vocabulary = Array.from({ length: VOCABULARY_SIZE }, () => syntheticWord(random));
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= VOCABULARY_SIZE; rank++) {
    total += 1 / (rank + ZIPF_OFFSET);
    cumulative.push(total);
  }
  return () => {
    const target = random() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((cumulative[middle] ?? total) < target) low = middle + 1;
      else high = middle;
    }
    return vocabulary[low] ?? '';
  };
}

function syntheticName(random: () => number, word: () => string): string {
  const words = 2 + Math.floor(random() * 3);
  return Array.from({ length: words }, word).join(' ');
}

/** A deterministic list of entries, each with a primary name and two aliases. */
export function syntheticEntries(count: number, seed = 20_260_227): SanctionsEntry[] {
  const random = randomGenerator(seed);
  const word = createWordSource(random);
  return Array.from({ length: count }, (_, index) => ({
    source: 'ofac' as const,
    listId: `synthetic-${index}`,
    kind: random() < 0.6 ? 'individual' as const : 'entity' as const,
    primaryName: syntheticName(random, word),
    aliases: [syntheticName(random, word), syntheticName(random, word)],
    weakAliases: [],
    programs: ['SYNTHETIC'],
    countries: [],
    birthDates: [],
  }));
}

export interface BenchmarkReport {
  readonly entries: number;
  readonly screenings: number;
  readonly loadMilliseconds: number;
  readonly averageMicroseconds: number;
  readonly medianMicroseconds: number;
  readonly p99Microseconds: number;
  readonly hits: number;
  /**
   * Time of a fixed arithmetic loop (ten million additions) on the same machine, so results
   * from different machines can be compared; roughly 10 ms on an idle, current laptop core.
   */
  readonly referenceLoopMilliseconds: number;
}

/** Iterations of the reference loop. */
const REFERENCE_LOOP_ITERATIONS = 10_000_000;

function referenceLoopMilliseconds(): number {
  const start = performance.now();
  let accumulator = 0;
  for (let index = 0; index < REFERENCE_LOOP_ITERATIONS; index++) {
    accumulator = (accumulator + index * 7) | 0;
  }
  const elapsed = performance.now() - start;
  return accumulator === 1 ? elapsed + 1 : elapsed;
}

/**
 * A mix of names as payments would bring: listed names with one letter dropped (should
 * hit) and fresh synthetic names drawn from the same vocabulary (mostly should not).
 */
function screenedNames(entries: readonly SanctionsEntry[], count: number): string[] {
  const random = randomGenerator(7);
  const word = createWordSource(randomGenerator(20_260_227));
  return Array.from({ length: count }, (_, index) => {
    if (index % 2 === 1) return syntheticName(random, word);
    const listed = entries[Math.floor(random() * entries.length)]?.primaryName ?? 'A B';
    const position = 1 + Math.floor(random() * (listed.length - 2));
    return listed.slice(0, position) + listed.slice(position + 1);
  });
}

function percentile(sorted: readonly number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0;
}

/** Loads a synthetic list and times screening each name once, after a short warm-up. */
export function runScreeningBenchmark(entryCount = 20_000, screenings = 2_000): BenchmarkReport {
  const entries = syntheticEntries(entryCount);
  const screener: SanctionsScreener = createSanctionsScreener();
  const loadStart = performance.now();
  screener.load(entries);
  const loadMilliseconds = performance.now() - loadStart;
  const names = screenedNames(entries, screenings + 100);
  // The warm-up lets the JIT compile the screening path; its names are not timed.
  for (const name of names.slice(screenings)) screener.screen([name]);
  const durations: number[] = [];
  let hits = 0;
  for (const name of names.slice(0, screenings)) {
    const before = performance.now();
    const result = screener.screen([name]);
    durations.push(performance.now() - before);
    if (result.ok && result.hit) hits++;
  }
  const total = durations.reduce((sum, duration) => sum + duration, 0);
  durations.sort((a, b) => a - b);
  return {
    entries: entryCount,
    screenings,
    loadMilliseconds: Math.round(loadMilliseconds),
    averageMicroseconds: Math.round((total / screenings) * 1000),
    medianMicroseconds: Math.round(percentile(durations, 0.5) * 1000),
    p99Microseconds: Math.round(percentile(durations, 0.99) * 1000),
    hits,
    referenceLoopMilliseconds: Math.round(referenceLoopMilliseconds()),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const entries = Number(process.argv[2] ?? 20_000);
  const screenings = Number(process.argv[3] ?? 2_000);
  console.log(runScreeningBenchmark(entries, screenings));
}
