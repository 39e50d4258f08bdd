// Proves the OFAC SDN.XML loader on the real sample, older namespaces and malformed entries.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findEntry, loadOfacXmlSample } from './_test-lists.js';
import { loadOfacSdnXml } from './ofac-xml.js';

function sdnList(entries: string, namespace = 'http://tempuri.org/sdnList.xsd'): string {
  return `<?xml version="1.0" standalone="yes"?>\n<sdnList xmlns="${namespace}">` +
    `<publshInformation><Publish_Date>03/01/2014</Publish_Date></publshInformation>` +
    `${entries}</sdnList>`;
}

describe('loadOfacSdnXml()', () => {
  it('loadOfacSdnXml() reads uid 36 and uid 306 of the sample with the publish date', () => {
    const list = loadOfacXmlSample();
    assert.equal(list.entries.length, 2);
    assert.equal(list.publishedAt, '2026-06-22');
    const aerocaribbean = findEntry(list, '36');
    assert.equal(aerocaribbean.primaryName, 'AEROCARIBBEAN AIRLINES');
    assert.equal(aerocaribbean.kind, 'entity');
    assert.deepEqual(aerocaribbean.aliases, ['AERO-CARIBBEAN']);
    assert.deepEqual(aerocaribbean.programs, ['CUBA']);
    assert.deepEqual(findEntry(list, '306').countries, ['Switzerland', 'Spain']);
  });

  it('loadOfacSdnXml() reads the 2014 namespace and writes people "LASTNAME, First"', () => {
    const result = loadOfacSdnXml(sdnList(`<sdnEntry><uid>7</uid><firstName>Juan</firstName>
      <lastName>PEREZ</lastName><sdnType>Individual</sdnType>
      <programList><program>SDNTK</program><program>SDGT</program></programList>
      <akaList><aka><uid>1</uid><type>a.k.a.</type><category>strong</category>
        <lastName>EL FLACO</lastName></aka>
        <aka><uid>2</uid><type>a.k.a.</type><category>weak</category>
        <lastName>CHUCHO</lastName></aka></akaList>
      <dateOfBirthList><dateOfBirthItem><uid>3</uid><dateOfBirth>01 Jan 1970</dateOfBirth>
      </dateOfBirthItem></dateOfBirthList></sdnEntry>`));
    assert.ok(result.ok, result.ok ? '' : result.message);
    const perez = result.entries[0];
    assert.equal(perez?.primaryName, 'PEREZ, Juan');
    assert.equal(perez?.kind, 'individual');
    assert.deepEqual(perez?.programs, ['SDNTK', 'SDGT']);
    assert.deepEqual(perez?.aliases, ['EL FLACO']);
    assert.deepEqual(perez?.weakAliases, ['CHUCHO']);
    assert.deepEqual(perez?.birthDates, ['01 Jan 1970']);
    assert.equal(result.publishedAt, '2014-03-01');
  });

  it('loadOfacSdnXml() refuses an sdnEntry without a uid', () => {
    const result = loadOfacSdnXml(sdnList('<sdnEntry><lastName>X</lastName></sdnEntry>'));
    assert.equal(!result.ok && result.code, 'entry_malformed');
    assert.equal(!result.ok && result.message, 'The sdnEntry number 1 has no uid or no name.');
  });

  it('loadOfacSdnXml() refuses the UN list given in its place', () => {
    const result = loadOfacSdnXml('<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>');
    assert.equal(!result.ok && result.code, 'list_root_unexpected');
  });
});
