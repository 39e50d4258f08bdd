// Proves the screener finds listed parties under name variants and leaves other names alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { allSampleEntries } from './_test-lists.js';
import { NAME_LENGTH_MAX, NAMES_PER_SCREENING_MAX, SCREENER_ENTRIES_MAX } from './limits.js';
import type { SanctionsEntry } from './model.js';
import { scoreNames } from './name-score.js';
import {
  createSanctionsScreener,
  type ScreenerOptions,
  type ScreeningErrorCode,
  type ScreeningOutcome,
  type ScreeningResult,
} from './screener.js';

const SAMPLE_ENTRIES = allSampleEntries();

function sampleScreener(options: ScreenerOptions = {}) {
  const screener = createSanctionsScreener(options);
  const report = screener.load(SAMPLE_ENTRIES);
  assert.ok(report.ok);
  return screener;
}

const DEFAULT_SCREENER = sampleScreener();

function expectScreened(result: ScreeningResult): ScreeningOutcome {
  if (!result.ok) assert.fail(`expected a screening, got ${result.code}: ${result.message}`);
  return result;
}

/** Asserts that screening the name hits the given entry (and returns that match). */
function expectHit(name: string, listId: string, screener = DEFAULT_SCREENER) {
  const outcome = expectScreened(screener.screen([name]));
  const match = outcome.matches.find((candidate) => candidate.listId === listId);
  assert.ok(outcome.hit && match !== undefined, `"${name}" should hit ${listId}; got ` +
    JSON.stringify(outcome.matches.map((item) => [item.listId, item.score])));
  return match;
}

function expectClear(name: string, screener = DEFAULT_SCREENER): void {
  const outcome = expectScreened(screener.screen([name]));
  assert.equal(outcome.hit, false, `"${name}" should be clear; got ` +
    JSON.stringify(outcome.matches.map((item) => [item.matchedName, item.score])));
}

function expectScreeningError(names: string[], code: ScreeningErrorCode): void {
  const result = DEFAULT_SCREENER.screen(names);
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.code, code);
  assert.match(!result.ok ? result.message : '', /^[A-Z].*\.$/);
}

describe('createSanctionsScreener().load()', () => {
  it('load() indexes every sample entry and reports what it did', () => {
    const screener = createSanctionsScreener();
    const report = screener.load(SAMPLE_ENTRIES);
    assert.ok(report.ok);
    assert.equal(report.entriesAdded, SAMPLE_ENTRIES.length);
    assert.equal(report.entriesDuplicated, 0);
    assert.ok(report.namesIndexed > SAMPLE_ENTRIES.length);
    assert.equal(screener.size, SAMPLE_ENTRIES.length);
  });

  it('load() skips entries already loaded when the same list is loaded twice', () => {
    const screener = sampleScreener();
    const again = screener.load(SAMPLE_ENTRIES);
    assert.ok(again.ok);
    assert.equal(again.entriesAdded, 0);
    assert.equal(again.entriesDuplicated, SAMPLE_ENTRIES.length);
    assert.equal(screener.size, SAMPLE_ENTRIES.length);
  });

  it('load() refuses the whole batch when it would exceed the capacity', () => {
    const screener = createSanctionsScreener();
    const tooMany = new Array<SanctionsEntry>(SCREENER_ENTRIES_MAX + 1);
    const result = screener.load(tooMany);
    assert.equal(!result.ok && result.code, 'screener_full');
    assert.equal(screener.size, 0);
  });

  it('load() indexes an overlong listed name on its first characters and says so', () => {
    const screener = createSanctionsScreener();
    const entry = { ...SAMPLE_ENTRIES[0], listId: 'long', primaryName: 'X '.repeat(400),
      aliases: [], weakAliases: [] } as SanctionsEntry;
    const report = screener.load([entry]);
    assert.ok(report.ok);
    assert.equal(report.namesShortened, 1);
  });
});

describe('createSanctionsScreener().screen() finds listed parties', () => {
  it('screen() finds a listed person whose given and family names are swapped', () => {
    expectHit('Dmitry Yuryevich Khoroshev', '48603');
    expectHit('Aziz Tariq', 'IQi.025');
  });

  it('screen() finds a listed person when case, accents, hyphens and spacing differ', () => {
    expectHit('aimán  muhammed rabí al zawahiri', 'QDi.006');
    expectHit('KHOROSHEV ,  dmitry-yuryevich', '48603');
    expectHit('Ahmad Oumar Imhamad AL FITOURI', 'LYi.023');
  });

  it('screen() finds a listed party through one of its aliases', () => {
    assert.equal(expectHit('LockBitSupp', '48603').matchedNameType, 'alias');
    assert.equal(expectHit('Aero Caribbean', '36').matchedName, 'AERO-CARIBBEAN');
    assert.equal(expectHit('Shamsurrahman', 'TAi.008').matchedName, 'Shamsurrahman');
    expectHit('Eddaouahiri Ayman', 'QDi.006');
    expectHit('Zala Aero Group', 'NK-abdzbEBkqyT29GyREbiURZ');
  });

  it('screen() finds a listed person by the name in its original script', () => {
    expectHit('أيمن محمد ربيع الظواهري', 'QDi.006');
    expectHit('Виталий Юрьевич Кузьменко', 'NK-2Ka3UvopqbpZmVDFjWd4LA');
  });

  it('screen() finds listed names with a typo or two swapped letters', () => {
    expectHit('Dmitry Khoroshov', '48603');
    expectHit('Egyptain Islamic Jihad', 'QDe.003');
    expectHit('Azim Agajani', 'IRi.003');
    expectHit('Banco Nacinal de Cuba', '306');
    expectHit('Tairq Aziz', 'IQi.025');
    expectHit('Iran Aircraft Manufactoring Industrial Company', '11195');
  });

  it('screen() finds a listed person when the payment leaves out a middle name', () => {
    expectHit('Dmitry Khoroshev', '48603');
    expectHit('Saleh Al Shaer', 'YEi.007');
  });

  it('screen() finds a listed company when the payment writes its legal form differently', () => {
    expectHit('Aircraft Avionics Parts and Support Limited', '19709');
    expectHit('Suex OTC sro', '33151');
    expectHit('TNK Trading International SA', '28603');
  });

  it('screen() reports the best match per entry with its programmes, highest score first', () => {
    const outcome = expectScreened(DEFAULT_SCREENER.screen(['Tariq Aziz', 'Dmitry Khoroshov']));
    assert.deepEqual(outcome.matches.map((match) => match.listId), ['IQi.025', '48603']);
    const [aziz, khoroshev] = outcome.matches;
    assert.equal(aziz?.score, 1);
    assert.equal(aziz?.screenedName, 'Tariq Aziz');
    assert.deepEqual(aziz?.programs, ['Iraq']);
    assert.equal(khoroshev?.source, 'ofac');
    assert.ok((khoroshev?.score ?? 0) < 1);
  });

  it('screen() returns at most matchesMax matches and counts the rest', () => {
    const screener = sampleScreener({ matchesMax: 1 });
    const outcome = expectScreened(screener.screen(['Tariq Aziz', 'Dmitry Khoroshov']));
    assert.equal(outcome.matches.length, 1);
    assert.equal(outcome.matchesNotReturned, 1);
    assert.equal(outcome.hit, true);
  });
});

describe('createSanctionsScreener().screen() leaves other names alone', () => {
  it('screen() does not flag common names from BRICS countries and elsewhere', () => {
    const names = [
      'Maria Silva', 'João Pereira', 'Ana Oliveira', 'Francisca Souza', // Brazil
      'Ivan Petrov', 'Olga Smirnova', 'Ekaterina Volkova', 'Dmitry Smirnov', // Russia
      'Rahul Sharma', 'Priya Patel', 'Amit Kumar', 'Sunita Devi', // India
      'Li Wei', 'Wang Fang', 'Zhang Wei', 'Chen Jing', // China
      'Sipho Dlamini', 'Lerato Mokoena', 'Nomvula Khumalo', // South Africa
      'Ahmed Hassan', 'Mariam Saleh', 'Fatima Hassan', // Egypt
      'Tesfaye Bekele', 'Abebe Girma', // Ethiopia
      'Ali Reza Karimi', 'Ahmad Karimi', // Iran
      'Mohammed Abdullah', 'Abdul Rahman Al Saud', 'Saleh Al Harbi', // Saudi Arabia, UAE
      'Siti Aminah', 'Nguyen Van An', 'Mehmet Yilmaz', 'Daniel Garcia', 'Eric Johnson',
    ];
    for (const name of names) expectClear(name);
  });

  it('screen() does not flag well-known companies that are not listed', () => {
    for (const name of ['Banco do Brasil SA', 'State Bank of India', 'Commercial Bank of Ethiopia',
      'Industrial and Commercial Bank of China', 'Standard Bank Group', 'Emirates NBD',
      'Egyptair', 'Korea Trading Company']) {
      expectClear(name);
    }
  });

  it('screen() does not flag weak aliases unless asked to', () => {
    expectClear('Abu Fatma');
    expectClear('The Uncle');
    const screener = sampleScreener({ screenWeakAliases: true });
    assert.equal(expectHit('Abu Fatma', 'QDi.006', screener).matchedNameType, 'weak_alias');
  });

  it('screen() hits or not depending on the threshold for the same name', () => {
    expectHit('Dmitry Khoroshev', '48603', sampleScreener({ threshold: 0.9 }));
    expectClear('Dmitry Khoroshev', sampleScreener({ threshold: 0.95 }));
    expectClear('Artem Lifshitz');
    expectHit('Artem Lifshitz', '29702', sampleScreener({ threshold: 0.85 }));
  });
});

describe('createSanctionsScreener().screen() refusals', () => {
  it('screen() refuses to screen before any list is loaded', () => {
    const result = createSanctionsScreener().screen(['Maria Silva']);
    assert.equal(!result.ok && result.code, 'screener_empty');
  });

  it('screen() refuses no names, too many names, and names with nothing to screen', () => {
    expectScreeningError([], 'names_missing');
    expectScreeningError(new Array<string>(NAMES_PER_SCREENING_MAX + 1).fill('A B'),
      'names_too_many');
    expectScreeningError(['Maria Silva', ' -- '], 'name_empty');
  });

  it('screen() handles words that NFKD expands far beyond their written length', () => {
    // Each "㍿" decomposes to four letters, so this is one word of 2,000 letters.
    const outcome = expectScreened(DEFAULT_SCREENER.screen(['㍿'.repeat(500)]));
    assert.equal(outcome.hit, false);
    const screener = createSanctionsScreener();
    const entry = { ...SAMPLE_ENTRIES[0], listId: 'wide', primaryName: '㍿'.repeat(500),
      aliases: [], weakAliases: [] } as SanctionsEntry;
    assert.ok(screener.load([entry]).ok);
    assert.equal(expectScreened(screener.screen(['㍿'.repeat(500)])).hit, true);
  });

  it('screen() refuses a name that is too long or has too many words rather than cut it', () => {
    expectScreeningError(['A'.repeat(NAME_LENGTH_MAX + 1)], 'name_too_long');
    expectScreeningError(['Ab '.repeat(30)], 'name_too_many_words');
  });

  it('createSanctionsScreener() throws a RangeError for a threshold outside (0, 1]', () => {
    assert.throws(() => createSanctionsScreener({ threshold: 0 }), RangeError);
    assert.throws(() => createSanctionsScreener({ threshold: 1.5 }), RangeError);
    assert.throws(() => createSanctionsScreener({ threshold: Number.NaN }), RangeError);
    assert.throws(() => createSanctionsScreener({ matchesMax: 0 }), RangeError);
  });
});

describe('createSanctionsScreener().screen() and scoreNames() agree', () => {
  it('screen() keeps an alias written as one word when another name glues to the same words', () => {
    const screener = createSanctionsScreener({ threshold: 0.0001 });
    const entry: SanctionsEntry = { source: 'un', listId: 'QDi.test', kind: 'individual',
      primaryName: 'Al Zawahiri Ayman', aliases: ['Alzawahiri Ayman'], weakAliases: [],
      programs: [], countries: [], birthDates: [] };
    assert.ok(screener.load([entry]).ok);
    const query = 'Alzawahiry Ayman';
    const expected = Math.max(scoreNames(query, entry.primaryName),
      scoreNames(query, 'Alzawahiri Ayman'));
    const outcome = expectScreened(screener.screen([query]));
    assert.equal(outcome.matches[0]?.score, Math.round(expected * 10_000) / 10_000);
    assert.equal(outcome.matches[0]?.matchedName, 'Alzawahiri Ayman');
  });

  it('screen() scores every entry as scoreNames() does on its best name, for edited names', () => {
    const screener = sampleScreener({ threshold: 0.0001, matchesMax: 500 });
    const named = SAMPLE_ENTRIES.flatMap((entry) =>
      [entry.primaryName, ...entry.aliases].map((name) => ({ entry, name })));
    const edit = fc.record({
      pick: fc.nat(named.length - 1),
      position: fc.nat(40),
      letter: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz -'.split('')),
      kind: fc.constantFrom('replace', 'insert', 'delete', 'none'),
    });
    fc.assert(fc.property(edit, ({ pick, position, letter, kind }) => {
      const { name } = named[pick] ?? { name: '' };
      const at = Math.min(position, name.length);
      const removed = kind === 'insert' || kind === 'none' ? 0 : 1;
      const added = kind === 'delete' || kind === 'none' ? '' : letter;
      const query = name.slice(0, at) + added + name.slice(at + removed);
      const result = screener.screen([query]);
      if (!result.ok) return result.code === 'name_empty';
      for (const entry of SAMPLE_ENTRIES) {
        const expected = Math.max(...[entry.primaryName, ...entry.aliases]
          .map((listed) => scoreNames(query, listed)));
        const match = result.matches.find((item) =>
          item.listId === entry.listId && item.source === entry.source);
        const actual = match?.score ?? 0;
        if (Math.abs(actual - Math.round(expected * 10_000) / 10_000) > 1e-9 &&
          !(match === undefined && expected < 0.0001)) {
          return false;
        }
      }
      return true;
    }), { numRuns: 150 });
  });
});
