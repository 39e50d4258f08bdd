// Jaro-Winkler string similarity: the per-word measure behind name screening.
//
// Jaro counts the characters two words share within a sliding window and the
// transpositions among them; Winkler then rewards a common prefix, because
// spelling variants of names (Mohammed / Muhammad, Khoroshev / Khoroshov) tend
// to agree at the start and drift at the end.

/** Winkler's prefix scaling factor; 0.1 is the value from Winkler's paper and most tools. */
const PREFIX_SCALE = 0.1;

/** Longest common prefix Winkler rewards; longer prefixes would let long shared stems dominate. */
const PREFIX_LENGTH_MAX = 4;

/**
 * Jaro similarity below which no prefix bonus is given (Winkler's "boost threshold"):
 * two words that are not alike must not become alike only because they start the same way.
 */
const BOOST_THRESHOLD = 0.7;

/** Longest word compared; callers bound name length well below this. */
const WORD_LENGTH_MAX = 1024;

// Reused match flags: screening compares many short words, and allocating two arrays per
// comparison would dominate the cost. Safe because JavaScript runs this synchronously.
const firstMatched = new Uint8Array(WORD_LENGTH_MAX);
const secondMatched = new Uint8Array(WORD_LENGTH_MAX);

/** Jaro similarity of two words, 0 (nothing in common) to 1 (identical). */
export function jaroSimilarity(first: string, second: string): number {
  if (first === second) return 1;
  const firstLength = first.length;
  const secondLength = second.length;
  if (firstLength === 0 || secondLength === 0) return 0;
  if (firstLength > WORD_LENGTH_MAX || secondLength > WORD_LENGTH_MAX) {
    throw new RangeError(`jaroSimilarity: words longer than ${WORD_LENGTH_MAX} are not compared.`);
  }
  const window = Math.max(0, Math.floor(Math.max(firstLength, secondLength) / 2) - 1);
  // Plain loops: for words this short, a fill() call costs more than the stores.
  for (let i = 0; i < firstLength; i++) firstMatched[i] = 0;
  for (let j = 0; j < secondLength; j++) secondMatched[j] = 0;
  let matches = 0;
  for (let i = 0; i < firstLength; i++) {
    const start = Math.max(0, i - window);
    const end = Math.min(secondLength - 1, i + window);
    const code = first.charCodeAt(i);
    for (let j = start; j <= end; j++) {
      if (secondMatched[j] === 1 || second.charCodeAt(j) !== code) continue;
      firstMatched[i] = 1;
      secondMatched[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let halfTranspositions = 0;
  let k = 0;
  for (let i = 0; i < firstLength; i++) {
    if (firstMatched[i] !== 1) continue;
    while (secondMatched[k] !== 1) k++;
    if (first.charCodeAt(i) !== second.charCodeAt(k)) halfTranspositions++;
    k++;
  }
  const transpositions = halfTranspositions / 2;
  return (
    matches / firstLength + matches / secondLength + (matches - transpositions) / matches
  ) / 3;
}

/** Jaro-Winkler similarity of two words, 0 to 1, with the standard 0.1 × prefix (≤ 4) bonus. */
export function jaroWinklerSimilarity(first: string, second: string): number {
  const jaro = jaroSimilarity(first, second);
  if (jaro < BOOST_THRESHOLD) return jaro;
  const prefixLimit = Math.min(PREFIX_LENGTH_MAX, first.length, second.length);
  let prefix = 0;
  while (prefix < prefixLimit && first.charCodeAt(prefix) === second.charCodeAt(prefix)) prefix++;
  return jaro + prefix * PREFIX_SCALE * (1 - jaro);
}
