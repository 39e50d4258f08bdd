// Proves the inbound entry points identify every sample by namespace, validate before mapping
// unless told to skip, and report each failure stage as a typed result.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FIXTURE_NAMES, fixtureText, SAMPLES, WITH_SWISS_FRANC } from './_test-fixtures.js';
import { parseMessage, parseMessageOfKind, readMessage } from './inbound.js';
import { closeSchemaValidator } from './schema-validation.js';

after(() => closeSchemaValidator());

const EXPECTED_IDENTIFIERS: Record<string, string> = {
  [SAMPLES.fedwireCrossCurrency]: 'pacs.008.001.08',
  [SAMPLES.fedwireIntermediary]: 'pacs.008.001.08',
  [SAMPLES.fedwireReturn]: 'pacs.004.001.10',
  [SAMPLES.fednowPurpose]: 'pacs.008.001.08',
  [SAMPLES.fednowStructuredRemittance]: 'pacs.008.001.08',
  [SAMPLES.fednowUltimateDebtor]: 'pacs.008.001.08',
  [SAMPLES.fednowStatusAccepted]: 'pacs.002.001.10',
  [SAMPLES.fednowStatusRejected]: 'pacs.002.001.10',
  [SAMPLES.fednowCancellationRequest]: 'camt.056.001.08',
  [SAMPLES.fednowResolution]: 'camt.029.001.09',
  [SAMPLES.fednowReturn]: 'pacs.004.001.10',
  [SAMPLES.fednowInstitutionTransfer]: 'pacs.009.001.08',
  [SAMPLES.fednowNotification]: 'camt.054.001.08',
  [SAMPLES.postFinanceStatement]: 'camt.053.001.04',
};

describe('readMessage', () => {
  for (const name of FIXTURE_NAMES.filter((fixture) => fixture !== SAMPLES.fednowHeader)) {
    test(`validates and maps ${name} as ${EXPECTED_IDENTIFIERS[name]}`, async () => {
      const result = await readMessage(
        Buffer.from(fixtureText(name)),
        { currencies: WITH_SWISS_FRANC },
      );
      assert.ok(result.ok, JSON.stringify(!result.ok && result.failure));
      assert.equal(result.message.definition.identifier, EXPECTED_IDENTIFIERS[name]);
    });
  }

  test('stops at the schema stage for an XSD-invalid message, quoting its MsgId', async () => {
    const invalid = fixtureText(SAMPLES.fednowPurpose).replace('<SttlmMtd>CLRG', '<SttlmMtd>XXXX');
    const result = await readMessage(invalid);
    assert.ok(!result.ok && result.failure.stage === 'schema');
    assert.equal(result.failure.original.messageId, '20230604011104238Variation1MsgId');
    assert.equal(result.failure.violations[0]?.element, 'SttlmMtd');
  });

  test('skips XSD validation on request, leaving the mapper to catch what it must', async () => {
    const invalid = fixtureText(SAMPLES.fednowPurpose).replace('<SttlmMtd>CLRG', '<SttlmMtd>XXXX');
    const result = await readMessage(invalid, { schemaValidation: 'skip' });
    assert.ok(!result.ok && result.failure.stage === 'content');
    assert.equal(result.failure.issues[0]?.code, 'code_not_allowed');
    assert.equal(result.failure.issues[0]?.path, 'GrpHdr/SttlmInf/SttlmMtd');
  });
});

describe('parseMessage', () => {
  test('reports read and identify failures with their stage', () => {
    const unreadable = parseMessage('<a');
    assert.ok(!unreadable.ok && unreadable.failure.stage === 'read');
    const unknown = parseMessage('<Document xmlns="urn:example"><X/></Document>');
    assert.ok(!unknown.ok && unknown.failure.stage === 'identify' && unknown.failure.code === 'document_not_found');
  });

  test('insists on the expected kind when asked to', () => {
    const status = fixtureText(SAMPLES.fednowStatusAccepted);
    const wrong = parseMessageOfKind(status, 'pacs.008');
    assert.ok(!wrong.ok && wrong.failure.stage === 'identify' && wrong.failure.code === 'message_unexpected');
    const right = parseMessageOfKind(status, 'pacs.002');
    assert.ok(right.ok && right.message.document.transactionStatuses[0]?.status === 'ACSC');
  });

  test('applies custom read limits', () => {
    const result = parseMessage(
      fixtureText(SAMPLES.fednowPurpose),
      { limits: { messageBytesMax: 1000 } },
    );
    assert.ok(!result.ok && result.failure.stage === 'read' && result.failure.code === 'input_too_large');
  });
});
