// Proves that payments an ISO 20022 message carries arrive when the message did: their time
// to credit runs from the message's receipt, not from the batch that settled them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { timeToCreditMs } from '../../engine/payments/figures.js';
import { closeSchemaValidator } from '../schema-validation.js';
import {
  creditTransfer,
  startIsoServer,
  transaction,
  unique,
  type IsoServer,
} from './_test-support.js';
import { IsoGateway } from './gateway.js';

describe('ISO 20022 gateway: arrival of the payments a message carries', () => {
  let server: IsoServer;
  let gateway: IsoGateway;
  before(async () => {
    server = await startIsoServer();
    gateway = new IsoGateway(server.network);
  });
  after(async () => {
    gateway.close();
    await server.close();
    await closeSchemaValidator();
  });

  function paymentByEndToEnd(endToEndId: string) {
    return [...server.network.engine.state.payments.values()].find(
      (payment) => payment.endToEndId === endToEndId,
    );
  }

  it('a pacs.008 received earlier is timed from its receipt', async () => {
    const endToEndId = unique('E2E');
    const received = server.now();
    server.advance(75);
    const answer = await gateway.receive(creditTransfer([transaction({ endToEndId })]), 'br-bank', {
      receivedAt: received,
    });
    assert.equal(answer.httpStatus, 200, answer.xml);
    const payment = paymentByEndToEnd(endToEndId);
    assert.equal(payment?.status, 'ACCC');
    assert.equal(payment.receivedAt, received);
    assert.equal(payment.createdAt, received + 75);
    assert.equal(timeToCreditMs(payment), 75);
  });

  it('without a noted receipt, a message arrives when the gateway receives it', async () => {
    const endToEndId = unique('E2E');
    const answer = await gateway.receive(creditTransfer([transaction({ endToEndId })]), 'br-bank');
    assert.equal(answer.httpStatus, 200, answer.xml);
    assert.equal(paymentByEndToEnd(endToEndId)?.receivedAt, server.now());
  });
});
