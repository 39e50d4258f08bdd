// The demo participants' identifiers: every one a well-formed test BIC of its own country and
// an LEI with valid ISO 17442 check digits, none shared, and accepted by the network.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openTestNetwork } from '../testing/network-fixtures.js';
import { demoNetworkConfig } from './demo.js';
import { isValidLei, leiWithCheckDigits } from './demo-identifiers.js';

describe('demo participant identifiers', () => {
  it('the check digits agree with published LEIs', () => {
    // Published LEIs (GLEIF): their check digits must come out the same.
    for (const lei of ['HWUPKR0MPOU8FGXBT394', '5493001KJTIIGC8Y1R12']) {
      assert.equal(leiWithCheckDigits(lei.slice(0, 18)), lei);
      assert.ok(isValidLei(lei));
    }
    assert.equal(isValidLei('HWUPKR0MPOU8FGXBT393'), false);
  });

  it('every demo participant has a unique test BIC of its country and a valid, unique LEI', () => {
    const config = demoNetworkConfig();
    const bics = new Set<string>();
    const leis = new Set<string>();
    for (const participant of config.participants) {
      const { bic, lei, country, id } = participant;
      assert.ok(bic !== undefined && lei !== undefined, id);
      assert.match(bic, /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/, id);
      assert.equal(bic.slice(4, 6), country, `${id}: letters 5–6 are the country`);
      assert.equal(bic[7], '0', `${id}: a "0" in second place of the location marks a test BIC`);
      assert.ok(isValidLei(lei), `${id}: ${lei}`);
      bics.add(bic);
      leis.add(lei);
    }
    assert.equal(bics.size, config.participants.length);
    assert.equal(leis.size, config.participants.length);
  });

  it('the network accepts the demo configuration with its identifiers', async () => {
    const test = await openTestNetwork({ config: demoNetworkConfig() });
    try {
      const bank = test.network.participant('br-atlantico');
      assert.equal(bank?.bic, 'ATLABRT0');
      assert.ok(bank?.lei !== undefined && isValidLei(bank.lei));
    } finally {
      await test.network.close();
    }
  });
});
