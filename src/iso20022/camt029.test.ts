// Proves camt.029 resolutions parse to the FedNow sample values, round-trip, and that the answer
// Corridor builds for a camt.056 validates against camt.029.001.09.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureText, parseExpecting, SAMPLES } from './_test-fixtures.js';
import type { ResolutionOfInvestigation } from './camt029.js';
import { generateResolutionOfInvestigation } from './camt029-write.js';
import { closeSchemaValidator, validateXmlText } from './schema-validation.js';

after(() => closeSchemaValidator());

describe('camt.029 sample values', () => {
  test('reads the FedNow resolution: IPAY confirmation and the resolved payment', () => {
    const { document } = parseExpecting(fixtureText(SAMPLES.fednowResolution), 'camt.029');
    assert.equal(document.assignment.identification, '20230604021040078Sc01RTStep3MsgId');
    assert.deepEqual(document.status, { confirmation: 'IPAY' });
    assert.equal(document.resolvedCase?.identification, '20230604011104238Sc01Step1MsgIdDUP');
    const resolved = document.cancellationDetails[0]?.transactions[0];
    assert.equal(resolved?.originalEndToEndId, 'Scenario01EtoEId001');
    assert.deepEqual(resolved?.resolutionRelatedInformation, {
      uetr: '8a562c67-ca16-48ba-b074-65581be6f011',
      interbankSettlementAmount: { currency: 'USD', value: 5_174n },
      interbankSettlementDate: '2023-06-04',
    });
  });

  test('regenerates the sample as valid XML that parses to the same model', async () => {
    const original = parseExpecting(fixtureText(SAMPLES.fednowResolution), 'camt.029').document;
    const generated = generateResolutionOfInvestigation(original);
    assert.ok(generated.ok);
    assert.deepEqual(await validateXmlText(generated.message.xml, 'camt.029.001.09'), { ok: true });
    assert.deepEqual(parseExpecting(generated.message.xml, 'camt.029').document, original);
  });
});

describe('camt.029 answering a camt.056', () => {
  const request = parseExpecting(
    fixtureText(SAMPLES.fednowCancellationRequest),
    'camt.056',
  ).document;
  const asked = request.transactions[0];
  assert.ok(asked);

  const refusal: ResolutionOfInvestigation = {
    assignment: {
      identification: 'CORRIDOR-RSLTN-1',
      assigner: request.assignment.assignee,
      assignee: request.assignment.assigner,
      creationDateTime: '2023-06-04T14:00:00-04:00',
    },
    ...(request.case === undefined ? {} : { resolvedCase: request.case }),
    status: { confirmation: 'RJCR' },
    cancellationDetails: [
      {
        transactions: [
          {
            ...(asked.originalGroup === undefined ? {} : { originalGroup: asked.originalGroup }),
            originalEndToEndId: 'Scenario01EtoEId001',
            originalUetr: '8a562c67-ca16-48ba-b074-65581be6f011',
            transactionCancellationStatus: 'RJCR',
            cancellationStatusReasons: [{
              reason: { code: 'ARDT' },
              additionalInformation: ['Already returned'],
            }],
          },
        ],
      },
    ],
  };

  test('generates a valid rejection of the cancellation that reads back the same', async () => {
    const generated = generateResolutionOfInvestigation(refusal);
    assert.ok(generated.ok);
    assert.deepEqual(await validateXmlText(generated.message.xml, 'camt.029.001.09'), { ok: true });
    assert.deepEqual(parseExpecting(generated.message.xml, 'camt.029').document, refusal);
  });

  test('refuses a rejected cancellation (RJCR) without a reason', () => {
    const detail = refusal.cancellationDetails[0];
    const transaction = detail?.transactions[0];
    assert.ok(transaction);
    const { cancellationStatusReasons: _reasons, ...unexplained } = transaction;
    const generated = generateResolutionOfInvestigation({
      ...refusal,
      cancellationDetails: [{ transactions: [unexplained] }],
    });
    assert.ok(!generated.ok && generated.errors[0]?.path === 'CxlDtls[1]/TxInfAndSts[1]/CxlStsRsnInf');
  });
});
