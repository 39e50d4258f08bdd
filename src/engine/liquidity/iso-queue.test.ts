// Proves the settlement queue through the ISO 20022 gateway: a pacs.008 that cannot be funded
// is answered pacs.002 ACSP with the pending reason (AM04), InstrPrty HIGH makes it urgent, and
// a camt.056 for it is answered camt.029 CNCL at once, the payment RJCT DS02 with nothing moved.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeSchemaValidator } from '../../iso20022/schema-validation.js';
import { fixtureText, SAMPLES } from '../../iso20022/_test-fixtures.js';
import {
  assertValid, creditTransfer, parsed, startIsoServer, statuses, transaction, unique,
  type IsoServer,
} from '../../iso20022/corridor/_test-support.js';
import { QUEUE_DEFAULTS } from './queue.js';

function cancellationRequest(endToEndId: string): string {
  return fixtureText(SAMPLES.fednowCancellationRequest)
    .replaceAll('011104238', 'br-bank')
    .replaceAll('021040078', 'operator')
    .replace('<OrgnlUETR>8a562c67-ca16-48ba-b074-65581be6f011</OrgnlUETR>', '')
    .replaceAll('Scenario01EtoEId001', endToEndId)
    .replaceAll('Ccy="USD"', 'Ccy="BRL"');
}

describe('ISO 20022 gateway with the settlement queue on', () => {
  let server: IsoServer;
  before(async () => {
    server = await startIsoServer();
    const [set] = await server.network.submit([{ type: 'set_queue_settings', actor: 'operator',
      queue: QUEUE_DEFAULTS }]);
    assert.equal(set?.code, 'ok');
  });
  after(async () => {
    await server.close();
    await closeSchemaValidator();
  });

  it('pacs.002 ACSP AM04 for a queued payment; camt.056 cancels it (camt.029 CNCL)', async () => {
    // br-bank holds 1,000,000.00 BRL: the first payment takes almost all of it.
    const first = await server.post('br-bank', creditTransfer([transaction({
      amount: { currency: 'BRL', value: 99_990_000n } })]));
    assert.equal(statuses(first.text)[0]?.status, 'ACCC');
    const endToEndId = unique('E2E');
    const urgent = { ...transaction({ endToEndId, amount: { currency: 'BRL', value: 5_000_000n } }),
      paymentType: { instructionPriority: 'HIGH' as const } };
    const queued = await server.post('br-bank', creditTransfer([urgent]));
    await assertValid(queued.text);
    const [status] = statuses(queued.text);
    assert.equal(status?.status, 'ACSP');
    assert.equal(status?.reason, 'AM04');
    const payment = [...server.network.engine.state.queue.entries.values()][0];
    assert.equal(payment?.priority, 'urgent');
    const answer = await server.post('br-bank', cancellationRequest(endToEndId));
    await assertValid(answer.text);
    const resolution = parsed(answer.text);
    assert.equal(resolution.kind, 'camt.029');
    if (resolution.kind !== 'camt.029') return;
    assert.deepEqual(resolution.document.status, { confirmation: 'CNCL' });
    assert.equal(
      resolution.document.cancellationDetails[0]?.transactions[0]?.transactionCancellationStatus,
      'ACCR',
    );
    assert.equal(server.network.engine.state.queue.entries.size, 0);
    const cancelled = server.network.engine.state.payments.get(payment?.paymentId ?? '');
    assert.equal(cancelled?.status, 'RJCT');
    assert.equal(cancelled?.reason, 'DS02');
  });
});
