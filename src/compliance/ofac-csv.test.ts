// Proves the OFAC legacy CSV loader joins the real sample files and refuses malformed ones.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findEntry, loadOfacCsvSample, readSample } from './_test-lists.js';
import { loadOfacSdnCsv } from './ofac-csv.js';

const NULLS = '-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ';

describe('loadOfacSdnCsv()', () => {
  it('loadOfacSdnCsv() reads all 17 sdn.csv rows of the sample with their types', () => {
    const list = loadOfacCsvSample();
    assert.equal(list.source, 'ofac');
    assert.equal(list.entries.length, 17);
    assert.equal(findEntry(list, '48603').kind, 'individual');
    assert.equal(findEntry(list, '11195').kind, 'entity');
    assert.equal(findEntry(list, '40716').kind, 'vessel');
    assert.equal(findEntry(list, '20540').kind, 'aircraft');
  });

  it('loadOfacSdnCsv() keeps OFAC\'s "SURNAME, Given" name and reads "-0- " as empty', () => {
    const khoroshev = findEntry(loadOfacCsvSample(), '48603');
    assert.equal(khoroshev.primaryName, 'KHOROSHEV, Dmitry Yuryevich');
    assert.deepEqual(khoroshev.programs, ['CYBER2']);
    assert.ok(!khoroshev.countries.includes('-0-'));
    assert.deepEqual(khoroshev.birthDates, ['17 Apr 1993']);
  });

  it('loadOfacSdnCsv() joins alt.csv aliases to their entry on ent_num', () => {
    const khoroshev = findEntry(loadOfacCsvSample(), '48603');
    for (const alias of ['KHOROSHEV, Dmitriy Yurevich', 'YURIEVICH, Dmitry',
      'KHOROSHEV, Dmitrii Yuryevich']) {
      assert.ok(khoroshev.aliases.includes(alias), alias);
    }
  });

  it('loadOfacSdnCsv() also reads the a.k.a. names quoted in the remarks', () => {
    const list = loadOfacCsvSample();
    assert.ok(findEntry(list, '48603').aliases.includes('LOCKBITSUPP'));
    const hesa = findEntry(list, '11195');
    assert.ok(hesa.aliases.includes('HESA') && hesa.aliases.includes('SHAHIN CO.'));
    assert.ok(findEntry(list, '40716').aliases.includes('MAKRAN'));
  });

  it('loadOfacSdnCsv() splits several programmes written "NPWMD] [IFSR"', () => {
    assert.deepEqual(findEntry(loadOfacCsvSample(), '11195').programs,
      ['NPWMD', 'IFSR', 'IRAN-CON-ARMS-EO']);
  });

  it('loadOfacSdnCsv() takes address countries from add.csv and the vessel flag', () => {
    const list = loadOfacCsvSample();
    assert.deepEqual(findEntry(list, '33151').countries, ['Russia', 'Czech Republic']);
    assert.deepEqual(findEntry(list, '47371').countries, ['Gabon']);
  });

  it('loadOfacSdnCsv() appends sdn_comments.csv to the remarks it continues', () => {
    const suex = findEntry(loadOfacCsvSample(), '33151');
    assert.match(suex.remarks ?? '', /1B64QRxfaa35MVkf7sDjuGUYAP5izQt7Qi/);
    assert.ok(suex.aliases.includes('SUCCESSFUL EXCHANGE'));
  });

  it('loadOfacSdnCsv() warns about alias and address rows whose ent_num is not listed', () => {
    const list = loadOfacCsvSample();
    const orphans = list.warnings.filter((warning) => warning.code === 'alias_without_entry');
    assert.equal(orphans.length, 5);
    assert.match(orphans[1]?.message ?? '', /ent_num 11935/);
    assert.ok(list.warnings.some((warning) => warning.code === 'address_without_entry'));
  });

  it('loadOfacSdnCsv() works on sdn.csv alone', () => {
    const result = loadOfacSdnCsv({ sdn: readSample('ofac_sdn_sample.csv') });
    assert.ok(result.ok);
    assert.equal(result.entries.length, 17);
  });

  it('loadOfacSdnCsv() ignores a byte order mark and a trailing end-of-file character', () => {
    const sdn = `\uFEFF1,"DOE, John","individual","SDGT",${NULLS},-0- \r\n\u001a`;
    const result = loadOfacSdnCsv({ sdn });
    assert.ok(result.ok, result.ok ? '' : result.message);
    assert.equal(result.entries[0]?.primaryName, 'DOE, John');
  });

  it('loadOfacSdnCsv() reads records separated by carriage returns alone, as OFAC specifies', () => {
    const sdn = `1,"DOE, John","individual","SDGT",${NULLS},"Line one;\rstill remarks"\r` +
      `2,"ROE CORP",-0- ,"SDGT",${NULLS},-0- \r`;
    const result = loadOfacSdnCsv({ sdn });
    assert.ok(result.ok, result.ok ? '' : result.message);
    assert.deepEqual(result.entries.map((entry) => entry.primaryName), ['DOE, John', 'ROE CORP']);
    assert.equal(result.entries[0]?.remarks, 'Line one;\rstill remarks');
  });

  it('loadOfacSdnCsv() refuses a row whose quote is never closed', () => {
    const result = loadOfacSdnCsv({ sdn: `1,"DOE, John,"individual","SDGT",${NULLS},-0- \n` });
    assert.equal(!result.ok && result.code, 'csv_malformed');
    assert.match(!result.ok ? result.message : '', /^sdn\.csv is not valid CSV: .*\.$/);
  });

  it('loadOfacSdnCsv() refuses a row with the wrong number of columns', () => {
    const result = loadOfacSdnCsv({ sdn: '1,"DOE, John","individual"\n' });
    assert.equal(!result.ok && result.code, 'csv_malformed');
    assert.equal(!result.ok && result.message,
      'Row 1 of sdn.csv has 3 fields; 12 are expected.');
  });

  it('loadOfacSdnCsv() refuses a row whose ent_num is not a number', () => {
    const result = loadOfacSdnCsv({ sdn: `x1,"DOE, John","individual","SDGT",${NULLS},-0- \n` });
    assert.equal(!result.ok && result.code, 'entry_malformed');
  });

  it('loadOfacSdnCsv() refuses a malformed alias file even when sdn.csv is fine', () => {
    const result = loadOfacSdnCsv({ sdn: readSample('ofac_sdn_sample.csv'), alt: '1,2,"aka\n' });
    assert.equal(!result.ok && result.code, 'csv_malformed');
    assert.match(!result.ok ? result.message : '', /^alt\.csv/);
  });

  it('loadOfacSdnCsv() warns about an unknown SDN_Type and treats the row as an entity', () => {
    const result = loadOfacSdnCsv({ sdn: `7,"X CORP","spaceship","SDGT",${NULLS},-0- \n` });
    assert.ok(result.ok);
    assert.equal(result.entries[0]?.kind, 'entity');
    assert.equal(result.warnings[0]?.code, 'entity_type_unknown');
  });
});
