// Test support: reads the sample lists kept in data/sanctions/, relative to this file so
// tests pass from any working directory.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { LoadedList, ListResult, SanctionsEntry } from './model.js';
import { loadOfacSdnCsv } from './ofac-csv.js';
import { loadOfacSdnXml } from './ofac-xml.js';
import { loadOpenSanctionsFtm } from './opensanctions-ftm.js';
import { loadUnConsolidatedXml } from './un-list.js';

export const SAMPLE_DIRECTORY = new URL('../../data/sanctions/', import.meta.url);

export function readSample(fileName: string): Uint8Array {
  return readFileSync(new URL(fileName, SAMPLE_DIRECTORY));
}

export function expectLoaded(result: ListResult): LoadedList {
  if (!result.ok) assert.fail(`expected the list to load, got ${result.code}: ${result.message}`);
  return result;
}

export function findEntry(list: LoadedList, listId: string): SanctionsEntry {
  const entry = list.entries.find((candidate) => candidate.listId === listId);
  if (entry === undefined) assert.fail(`expected entry ${listId} in the ${list.source} list`);
  return entry;
}

export function loadUnSample(): LoadedList {
  return expectLoaded(loadUnConsolidatedXml(readSample('un_consolidated_sample.xml')));
}

export function loadOfacCsvSample(): LoadedList {
  return expectLoaded(loadOfacSdnCsv({
    sdn: readSample('ofac_sdn_sample.csv'),
    alt: readSample('ofac_alt_sample.csv'),
    add: readSample('ofac_add_sample.csv'),
    comments: readSample('ofac_sdn_comments_sample.csv'),
  }));
}

export function loadOfacXmlSample(): LoadedList {
  return expectLoaded(loadOfacSdnXml(readSample('ofac_sdn_xml_sample.xml')));
}

export function loadFtmSamples(): LoadedList[] {
  return ['opensanctions_ftm_sample.ftm.json', 'opensanctions_ftm_zala_sample.ftm.json']
    .map((fileName) => expectLoaded(loadOpenSanctionsFtm(readSample(fileName))));
}

/** Every entry of every sample list. */
export function allSampleEntries(): SanctionsEntry[] {
  return [loadUnSample(), loadOfacCsvSample(), loadOfacXmlSample(), ...loadFtmSamples()]
    .flatMap((list) => list.entries);
}
