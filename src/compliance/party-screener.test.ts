// Proves the payment-facing screener loads the shipped UN and OFAC samples and turns hits,
// misses and unscreenable names into the verdict a payment carries.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createSanctionsScreener } from './screener.js';
import { loadScreenerFromDirectory, partyScreener, SANCTIONS_SAMPLE_DIRECTORY } from './party-screener.js';

describe('party screener', () => {
  const { screener, entries } = loadScreenerFromDirectory(SANCTIONS_SAMPLE_DIRECTORY);

  it('loadScreenerFromDirectory() loads both the UN and the OFAC samples', () => {
    assert.ok(entries >= 12 + 17 + 2, `only ${entries} entries`);
  });

  it('names each list by the date its file states (UN dateGenerated, OFAC Publish_Date)', () => {
    const { listVersion } = loadScreenerFromDirectory(SANCTIONS_SAMPLE_DIRECTORY);
    assert.equal(listVersion, 'un:2026-02-27T00:00:09.554Z,ofac:2026-06-22');
    const verdict = screener.screenParties({ debtor: 'Soja Exportadora Ltda', creditor: 'Ningbo Solar Ltd' });
    assert.equal(verdict.listVersion, listVersion);
    // The legacy CSV states no date: it says so, rather than "unknown".
    const directory = mkdtempSync(join(tmpdir(), 'corridor-lists-'));
    try {
      for (const name of ['ofac_sdn_sample.csv', 'ofac_alt_sample.csv'])
        copyFileSync(join(SANCTIONS_SAMPLE_DIRECTORY, name), join(directory, name));
      assert.equal(loadScreenerFromDirectory(directory).listVersion, 'ofac:undated');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('screenParties() flags a listed creditor and names the party and the list entry', () => {
    const verdict = screener.screenParties({ debtor: 'Soja Exportadora Ltda', creditor: 'Aviatrans Anstalt' });
    assert.equal(verdict.hit, true);
    assert.equal(verdict.matches[0]?.party, 'creditor');
    assert.equal(verdict.matches[0]?.source, 'un');
    assert.match(verdict.listVersion ?? '', /un:.*ofac:/);
  });

  it('screenParties() clears ordinary trade names', () => {
    const verdict = screener.screenParties({ debtor: 'Pune Foods Private Limited', creditor: 'Minas Iron Ore SA' });
    assert.equal(verdict.hit, false);
    assert.deepEqual(verdict.matches, []);
  });

  it('screenParties() treats a name it cannot screen as a hit, so it goes to review', () => {
    const empty = partyScreener(createSanctionsScreener(), 'none');
    const verdict = empty.screenParties({ debtor: 'A', creditor: 'B' });
    assert.equal(verdict.hit, true);
    assert.equal(verdict.matches[0]?.listId, 'screener_empty');
  });
});
