// Name normalisation: turns a name as written on a list or in a payment into comparable words.
//
// Both sides of a comparison pass through the same steps, so "Raúl O'Brien-Castro" on a
// payment and "O BRIEN CASTRO, Raul" on a list become the same set of words.

/**
 * Letters that Unicode decomposition (NFKD) leaves whole but that writers replace by a
 * Latin letter or pair when a keyboard lacks them ("Straße" is also written "Strasse").
 */
const LETTER_FOLDS: ReadonlyMap<string, string> = new Map([
  ['ß', 'ss'], ['ẞ', 'ss'], ['æ', 'ae'], ['Æ', 'ae'], ['œ', 'oe'], ['Œ', 'oe'],
  ['ø', 'o'], ['Ø', 'o'], ['đ', 'd'], ['Đ', 'd'], ['ð', 'd'], ['Ð', 'd'],
  ['þ', 'th'], ['Þ', 'th'], ['ł', 'l'], ['Ł', 'l'], ['ı', 'i'], ['ħ', 'h'], ['Ħ', 'h'],
]);
const LETTER_FOLD_PATTERN = /[ßẞæÆœŒøØđĐðÐþÞłŁıħĦ]/gu;

/** Combining marks left by NFKD (accents, Arabic short vowels) and the Arabic tatweel. */
const MARKS_PATTERN = /[\p{M}\u0640]/gu;

/**
 * Apostrophes and their look-alikes join the letters around them (O'Brien → obrien,
 * Ch'ang-Ho → chang ho, Sha’ir → shair): transliterations use them inconsistently.
 */
const APOSTROPHE_PATTERN = /['’‘ʼʻ`´′]/gu;

/** Dots mark abbreviations (S.R.O., Jr., P.O.) whose letters belong together. */
const DOT_PATTERN = /[.．]/gu;

/** "&" is the word "and" written short ("Parts & Support" / "Parts and Support"). */
const AMPERSAND_PATTERN = /[&＆]/gu;

/** Everything that is not a letter or a digit separates words (hyphens, commas, quotes …). */
const SEPARATOR_PATTERN = /[^\p{L}\p{N}]+/u;

/** Legal-form and other spellings reduced to one form so "Limited" and "Ltd" are one word. */
const WORD_SYNONYMS: ReadonlyMap<string, string> = new Map([
  ['limited', 'ltd'], ['company', 'co'], ['corporation', 'corp'], ['incorporated', 'inc'],
  ['doctor', 'dr'], ['junior', 'jr'], ['senior', 'sr'],
]);

/**
 * Words that say little about who a party is: connectives, honorifics, legal forms and name
 * particles. They still take part in matching, but with a small weight and only when spelled
 * exactly, so "Bank of Kunlun" ≈ "Kunlun Bank" and "Mr Ivan Petrov" ≈ "Ivan Petrov", while
 * "Al" cannot fuzzily match "Ali".
 */
const LOW_INFORMATION_WORDS: ReadonlySet<string> = new Set([
  // Connectives.
  'and', 'of', 'the', 'for', 'in', 'on', 'und', 'et', 'y', 'e',
  // Honorifics and titles.
  'mr', 'mrs', 'ms', 'miss', 'mister', 'dr', 'prof', 'professor', 'sir', 'dame', 'lord',
  'lady', 'mme', 'mlle', 'herr', 'frau', 'sheikh', 'shaikh', 'sheik', 'haji', 'hajji',
  'mullah', 'mulla', 'maulavi', 'mawlawi', 'maulana', 'jr', 'sr',
  // Legal forms.
  'ltd', 'llc', 'llp', 'lp', 'inc', 'corp', 'co', 'plc', 'sa', 'sas', 'sarl', 'srl', 'sro',
  'spa', 'gmbh', 'ag', 'kg', 'bv', 'nv', 'jsc', 'pjsc', 'ojsc', 'cjsc', 'oao', 'zao', 'ooo',
  'pao', 'pte', 'pty', 'bhd', 'fze', 'fzco', 'fzc', 'jv',
  // Name particles.
  'al', 'el', 'ul', 'ur', 'ad', 'ash', 'az', 'bin', 'ibn', 'bint', 'ben', 'de', 'da', 'do',
  'dos', 'das', 'del', 'della', 'di', 'du', 'van', 'von', 'der', 'den', 'la', 'le',
]);

/**
 * Particles that writers attach to the next word or not ("Al-Zawahiri" / "Alzawahiri",
 * "Abdul Aziz" / "Abdulaziz"); a second, glued reading of each name covers both habits.
 */
const GLUED_PARTICLES: ReadonlySet<string> = new Set([
  'al', 'el', 'ul', 'ur', 'ad', 'as', 'ash', 'at', 'az', 'abd', 'abdul', 'abdel', 'abdal',
  'abu', 'bin', 'ibn', 'bint', 'ben',
]);

/**
 * Folds a text for comparison: compatibility decomposition (NFKD, so "ﬁ" is "fi" and "é" is
 * "e" plus an accent), accents removed, letters outside decomposition folded, lower case.
 */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(MARKS_PATTERN, '')
    .replace(LETTER_FOLD_PATTERN, (letter) => LETTER_FOLDS.get(letter) ?? letter)
    .toLowerCase();
}

/**
 * Splits a name into normalised words: folded, apostrophes and dots joined, "&" read as
 * "and", every other punctuation mark a separator, synonyms reduced. Word order is kept;
 * matching ignores it.
 */
export function normalizeName(name: string): string[] {
  const folded = foldText(name)
    .replace(APOSTROPHE_PATTERN, '')
    .replace(DOT_PATTERN, '')
    .replace(AMPERSAND_PATTERN, ' and ');
  const words: string[] = [];
  for (const word of folded.split(SEPARATOR_PATTERN)) {
    if (word.length === 0) continue;
    words.push(WORD_SYNONYMS.get(word) ?? word);
  }
  return words;
}

/** Tells whether a normalised word carries little identifying information (see the list). */
export function isLowInformationWord(word: string): boolean {
  return LOW_INFORMATION_WORDS.has(word);
}

/** A name's words with particles glued on; glued[i] tells whether word i was made by gluing. */
export interface GluedWords {
  readonly words: string[];
  readonly glued: boolean[];
}

/**
 * The glued reading of a name: each particle joined to the word after it ("abdul aziz al
 * saud" → "abdulaziz alsaud"), and a short letter group joined to a following number
 * ("p 532" → "p532") as in aircraft and vessel marks. Undefined when nothing would change.
 */
export function glueParticles(words: readonly string[]): GluedWords | undefined {
  const glued: GluedWords = { words: [], glued: [] };
  for (let index = 0; index < words.length; index++) {
    const word = words[index] ?? '';
    const next = words[index + 1];
    const joins = next !== undefined && joinsNextWord(word, next);
    glued.words.push(joins ? word + next : word);
    glued.glued.push(joins);
    if (joins) index++;
  }
  return glued.glued.includes(true) ? glued : undefined;
}

function joinsNextWord(word: string, next: string): boolean {
  if (GLUED_PARTICLES.has(word)) return true;
  return word.length <= 2 && /^\p{L}+$/u.test(word) && /^\p{N}/u.test(next);
}
