// Proves the OpenSanctions FtM loader keeps listed parties, their names and programmes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findEntry, loadFtmSamples } from './_test-lists.js';
import { loadOpenSanctionsFtm } from './opensanctions-ftm.js';

describe('loadOpenSanctionsFtm()', () => {
  it('loadOpenSanctionsFtm() keeps the six target parties of the t1 sample, not the address', () => {
    const [t1] = loadFtmSamples();
    assert.ok(t1 !== undefined);
    assert.equal(t1.entries.length, 6);
    assert.equal(t1.entries.some((entry) => entry.listId === 'NK-2MQE6AmhAk4tqhENJAMUG9'), false);
    const kuzmenko = findEntry(t1, 'NK-2Ka3UvopqbpZmVDFjWd4LA');
    assert.equal(kuzmenko.kind, 'individual');
    assert.equal(kuzmenko.primaryName, 'Vitaly Yurievich KUZMENKO');
    assert.ok(kuzmenko.aliases.includes('Виталий Юрьевич КУЗЬМЕНКО'));
    assert.deepEqual(kuzmenko.birthDates, ['1971-01-22']);
    assert.deepEqual(kuzmenko.programs, ['eu_fsf']);
    assert.equal(findEntry(t1, 'NK-2PacmNpiLUmoz4XD2mSt7A').kind, 'entity');
  });

  it('loadOpenSanctionsFtm() keeps weak aliases apart and programme ids from Sanction entities', () => {
    const [, zala] = loadFtmSamples();
    assert.ok(zala !== undefined);
    assert.equal(zala.entries.length, 2);
    const cst = findEntry(zala, 'NK-abdzbEBkqyT29GyREbiURZ');
    assert.equal(cst.primaryName, 'LLC CST');
    assert.ok(cst.aliases.includes('Zala Aero Group'));
    assert.ok(cst.weakAliases.includes('ZALA'));
    assert.ok(cst.programs.includes('AU-RUSSIA') && cst.programs.includes('EU-UKR'));
    const zakharov = findEntry(zala, 'NK-aU5ybkbRFJucf8YMwsJvDw');
    assert.ok(zakharov.aliases.includes('ZAKHAROV, Aleksandr Vyacheslavovich'));
  });

  it('loadOpenSanctionsFtm() reports the line of text that is not JSON', () => {
    const result = loadOpenSanctionsFtm('{"id":"a","schema":"Person","properties":{}}\n{oops\n');
    assert.equal(!result.ok && result.code, 'json_malformed');
    assert.equal(!result.ok && result.message, 'Line 2 is not valid JSON.');
  });

  it('loadOpenSanctionsFtm() refuses a line whose properties are not lists of strings', () => {
    const result = loadOpenSanctionsFtm('{"id":"a","schema":"Person","properties":{"name":"X"}}');
    assert.equal(!result.ok && result.code, 'entry_malformed');
  });

  it('loadOpenSanctionsFtm() ignores blank lines and Windows line ends', () => {
    const line = '{"id":"p1","schema":"Person","target":true,"caption":"Ivan Doe",' +
      '"properties":{"name":["Ivan Doe"]}}';
    const result = loadOpenSanctionsFtm(`\r\n${line}\r\n\r\n`);
    assert.ok(result.ok);
    assert.equal(result.entries[0]?.primaryName, 'Ivan Doe');
  });
});
