// Proves that name normalisation makes case, accents, punctuation and spacing irrelevant.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldText, glueParticles, isLowInformationWord, normalizeName } from './normalize.js';

describe('foldText()', () => {
  it('foldText() removes accents and lowers case when a name has diacritics', () => {
    assert.equal(foldText('Raúl CASTRO Ruz'), 'raul castro ruz');
    assert.equal(foldText('Ñandú Ångström Øresund Łódź'), 'nandu angstrom oresund lodz');
  });

  it('foldText() spells out letters that have no decomposition', () => {
    assert.equal(foldText('Straße Æsir Œuvre Þór Đorđe'), 'strasse aesir oeuvre thor dorde');
  });

  it('foldText() removes Arabic short vowels and the tatweel when a name is in Arabic script', () => {
    assert.equal(foldText('مُحَمَّد'), 'محمد');
    assert.equal(foldText('مـحـمـد'), 'محمد');
  });

  it('foldText() decomposes compatibility characters such as ligatures and full-width letters', () => {
    assert.equal(foldText('ﬁnance ＡＢＣ'), 'finance abc');
  });
});

describe('normalizeName()', () => {
  it('normalizeName() splits on hyphens, commas and other punctuation', () => {
    assert.deepEqual(normalizeName('AL-ZAWAHIRI, Aiman'), ['al', 'zawahiri', 'aiman']);
    assert.deepEqual(normalizeName('"KOMID" (Korea)'), ['komid', 'korea']);
    assert.deepEqual(normalizeName('AIRCRAFT, AVIONICS, PARTS & SUPPORT'),
      ['aircraft', 'avionics', 'parts', 'and', 'support']);
  });

  it('normalizeName() joins letters around apostrophes when a transliteration uses them', () => {
    assert.deepEqual(normalizeName("Paek Ch'ang-Ho"), ['paek', 'chang', 'ho']);
    assert.deepEqual(normalizeName('Saleh al Sha’ir'), ['saleh', 'al', 'shair']);
    assert.deepEqual(normalizeName("O'Brien"), ['obrien']);
  });

  it('normalizeName() joins the letters of dotted abbreviations', () => {
    assert.deepEqual(normalizeName('SUEX OTC, S.R.O.'), ['suex', 'otc', 'sro']);
    assert.deepEqual(normalizeName('TNK TRADING INTERNATIONAL S.A.'),
      ['tnk', 'trading', 'international', 'sa']);
  });

  it('normalizeName() collapses runs of whitespace and ignores leading and trailing space', () => {
    assert.deepEqual(normalizeName('  Saddam \t\n  HUSSEIN  '), ['saddam', 'hussein']);
  });

  it('normalizeName() reduces legal-form spellings to one form', () => {
    assert.deepEqual(normalizeName('Gazprom Limited Company'), ['gazprom', 'ltd', 'co']);
    assert.deepEqual(normalizeName('Rosneft Corporation Incorporated'), ['rosneft', 'corp', 'inc']);
  });

  it('normalizeName() returns no words when a name has no letters or digits', () => {
    assert.deepEqual(normalizeName(' -- ,, '), []);
    assert.deepEqual(normalizeName(''), []);
  });

  it('normalizeName() keeps names in non-Latin scripts as words', () => {
    assert.deepEqual(normalizeName('Виталий Юрьевич КУЗЬМЕНКО'), ['виталии', 'юрьевич', 'кузьменко']);
    assert.deepEqual(normalizeName('أيمن محمد'), ['ايمن', 'محمد']);
  });
});

describe('isLowInformationWord()', () => {
  it('isLowInformationWord() is true for honorifics, legal forms, particles and connectives', () => {
    for (const word of ['mr', 'dr', 'ltd', 'llc', 'ooo', 'al', 'bin', 'de', 'von', 'and', 'of']) {
      assert.equal(isLowInformationWord(word), true, word);
    }
  });

  it('isLowInformationWord() is false for given names, family names and trade words', () => {
    for (const word of ['ayman', 'khoroshev', 'trading', 'ali', 'abu', 'bank']) {
      assert.equal(isLowInformationWord(word), false, word);
    }
  });
});

describe('glueParticles()', () => {
  it('glueParticles() joins Arabic particles to the next word when a name has them', () => {
    assert.deepEqual(glueParticles(['abdul', 'aziz', 'al', 'saud']),
      { words: ['abdulaziz', 'alsaud'], glued: [true, true] });
    assert.deepEqual(glueParticles(['ayman', 'al', 'zawahiri']),
      { words: ['ayman', 'alzawahiri'], glued: [false, true] });
  });

  it('glueParticles() joins a short letter group to the number after it', () => {
    assert.deepEqual(glueParticles(['p', '532'])?.words, ['p532']);
  });

  it('glueParticles() returns undefined when a name has nothing to glue', () => {
    assert.equal(glueParticles(['dmitry', 'khoroshev']), undefined);
    assert.equal(glueParticles(['saleh', 'al']), undefined);
  });
});
