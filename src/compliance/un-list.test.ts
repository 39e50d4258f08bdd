// Proves the UN consolidated list loader on the real sample and on malformed files.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findEntry, loadUnSample } from './_test-lists.js';
import { loadUnConsolidatedXml } from './un-list.js';

function individual(body: string): string {
  return `<CONSOLIDATED_LIST dateGenerated="2026-01-01T00:00:00Z"><INDIVIDUALS>` +
    `<INDIVIDUAL>${body}</INDIVIDUAL></INDIVIDUALS><ENTITIES/></CONSOLIDATED_LIST>`;
}

describe('loadUnConsolidatedXml()', () => {
  it('loadUnConsolidatedXml() reads the 8 individuals and 4 entities of the sample', () => {
    const list = loadUnSample();
    assert.equal(list.source, 'un');
    assert.equal(list.entries.filter((entry) => entry.kind === 'individual').length, 8);
    assert.equal(list.entries.filter((entry) => entry.kind === 'entity').length, 4);
    assert.equal(list.publishedAt, '2026-02-27T00:00:09.554Z');
    assert.deepEqual(list.warnings, []);
  });

  it('loadUnConsolidatedXml() joins FIRST_NAME to FOURTH_NAME into the primary name', () => {
    const zawahiri = findEntry(loadUnSample(), 'QDi.006');
    assert.equal(zawahiri.primaryName, 'AIMAN MUHAMMED RABI AL-ZAWAHIRI');
    assert.equal(zawahiri.kind, 'individual');
    assert.deepEqual(zawahiri.programs, ['Al-Qaida']);
    assert.equal(zawahiri.listedOn, '2001-01-25');
    assert.deepEqual(zawahiri.birthDates, ['1951-06-19']);
    assert.deepEqual(zawahiri.countries, ['Egypt']);
  });

  it('loadUnConsolidatedXml() keeps Good aliases and the original-script name as aliases', () => {
    const zawahiri = findEntry(loadUnSample(), 'QDi.006');
    for (const alias of ['Ayman Al-Zawahari', 'Dhawahri Ayman', 'Eddaouahiri Ayman',
      'أيمن محمد ربيع الظواهري']) {
      assert.ok(zawahiri.aliases.includes(alias), alias);
    }
  });

  it('loadUnConsolidatedXml() keeps Low-quality aliases apart as weak aliases', () => {
    const zawahiri = findEntry(loadUnSample(), 'QDi.006');
    assert.deepEqual(zawahiri.weakAliases, ['Abu Fatma', 'Abu Mohammed']);
    assert.ok(!zawahiri.aliases.includes('Abu Fatma'));
    const fitouri = findEntry(loadUnSample(), 'LYi.023');
    assert.ok(fitouri.weakAliases.includes('The Uncle'));
  });

  it('loadUnConsolidatedXml() splits an ALIAS_NAME holding several names separated by ";"', () => {
    const aghajani = findEntry(loadUnSample(), 'IRi.003');
    assert.deepEqual(aghajani.aliases, ['Azim Adhajani', 'Azim Agha-Jani']);
  });

  it('loadUnConsolidatedXml() reads entity names from FIRST_NAME with their aliases', () => {
    const komid = findEntry(loadUnSample(), 'KPe.001');
    assert.equal(komid.kind, 'entity');
    assert.equal(komid.primaryName, 'KOREA MINING DEVELOPMENT TRADING CORPORATION');
    assert.ok(komid.aliases.includes('"KOMID"'));
    assert.deepEqual(findEntry(loadUnSample(), 'QDe.003').aliases.slice(0, 2),
      ['Egyptian Al-Jihad', 'Jihad Group']);
  });

  it('loadUnConsolidatedXml() refuses an INDIVIDUAL block without a reference number', () => {
    const result = loadUnConsolidatedXml(individual('<FIRST_NAME>X</FIRST_NAME>'));
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.code, 'entry_malformed');
  });

  it('loadUnConsolidatedXml() warns and keeps one entry when a reference number repeats', () => {
    const block = '<FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER>QDi.1</REFERENCE_NUMBER>';
    const xml = `<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>${block}</INDIVIDUAL>` +
      `<INDIVIDUAL>${block}</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>`;
    const result = loadUnConsolidatedXml(xml);
    assert.ok(result.ok);
    assert.equal(result.entries.length, 1);
    assert.equal(result.warnings[0]?.code, 'entry_duplicated');
  });

  it('loadUnConsolidatedXml() refuses more entries than the caller allows', () => {
    const result = loadUnConsolidatedXml(individual(
      '<FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER>QDi.1</REFERENCE_NUMBER>'), { entriesMax: 0 });
    assert.equal(!result.ok && result.code, 'list_too_many_entries');
  });

  it('loadUnConsolidatedXml() refuses an OFAC file given in place of the UN list', () => {
    const result = loadUnConsolidatedXml('<sdnList><sdnEntry/></sdnList>');
    assert.equal(!result.ok && result.code, 'list_root_unexpected');
  });

  it('loadUnConsolidatedXml() refuses bytes that are not UTF-8 and an empty file', () => {
    const invalid = loadUnConsolidatedXml(new Uint8Array([0x3c, 0xff, 0xfe, 0x3e]));
    assert.equal(!invalid.ok && invalid.code, 'list_encoding_invalid');
    const empty = loadUnConsolidatedXml(new Uint8Array([0xef, 0xbb, 0xbf, 0x20]));
    assert.equal(!empty.ok && empty.code, 'list_empty');
  });
});
