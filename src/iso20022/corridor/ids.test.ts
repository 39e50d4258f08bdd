// Proves over HTTP that a pacs.008 may not reuse a UETR another payment holds (RJCT DUPL, nothing
// recorded), so that a pacs.004 or camt.056 naming that UETR always finds one payment.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { snapshot } from '../../testing/api-helpers.js';
import { creditTransfer, isoServerPerSuite, statuses, transaction } from './_test-support.js';

describe('ISO 20022 gateway: UETRs are unique', () => {
  const server = isoServerPerSuite();

  const reasons = (xml: string) => statuses(xml).map((line) => [line.status, line.reason]);

  it("DUPL: a pacs.008 with another bank's UETR, or its own again, is rejected and changes nothing", async () => {
    const uetr = '5e0c1b2a-3d4f-4a6b-8c7d-9e0f1a2b3c4d';
    const first = await server.post('br-bank', creditTransfer([transaction({ uetr })]));
    assert.deepEqual(reasons(first.text), [['ACCC', undefined]]);
    const before = snapshot(server.network);
    const theirs = await server.post(
      'br-other',
      creditTransfer([transaction({ uetr, from: 'br-other', to: 'br-bank' })]),
    );
    assert.deepEqual(reasons(theirs.text), [['RJCT', 'DUPL']]);
    const own = await server.post('br-bank', creditTransfer([transaction({ uetr })]));
    assert.deepEqual(reasons(own.text), [['RJCT', 'DUPL']]);
    assert.equal(snapshot(server.network), before);
  });

  it('DUPL: two transactions of one message with one UETR: the first settles, the second is rejected', async () => {
    const uetr = '7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d';
    const answer = await server.post('br-bank', creditTransfer([transaction({ uetr }), transaction({ uetr })]));
    assert.deepEqual(reasons(answer.text), [['ACCC', undefined], ['RJCT', 'DUPL']]);
  });
});
