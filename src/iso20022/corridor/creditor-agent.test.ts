// Proves that a pacs.008 to its own sender, or to a central bank, gets a pacs.002 RJCT (AG01)
// and leaves no trace: no payment, no journal entry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { snapshot } from '../../testing/api-helpers.js';
import {
  assertValid,
  creditTransfer,
  isoServerPerSuite,
  statuses,
  transaction,
} from './_test-support.js';

describe('ISO 20022 gateway: creditor agents that cannot receive a payment', () => {
  const server = isoServerPerSuite();

  it('a pacs.008 to its own sender or to a central bank is rejected (AG01), journaling nothing', async () => {
    const before = snapshot(server.network);
    const xml = creditTransfer([transaction({ to: 'br-bank' }), transaction({ to: 'bcb' })]);
    const answer = await server.post('br-bank', xml);
    assert.equal(answer.status, 200, answer.text);
    await assertValid(answer.text);
    assert.deepEqual(
      statuses(answer.text).map((status) => [status.status, status.reason]),
      [
        ['RJCT', 'AG01'],
        ['RJCT', 'AG01'],
      ],
    );
    assert.equal(snapshot(server.network), before, 'a refusal must change nothing');
  });
});
