// Proves admi.002.001.01 message rejects are generated per the ISO definition, read back, and
// are knowingly not XSD-validated (no XSD for them is in the repository).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpecting } from './_test-fixtures.js';
import { generateMessageReject, type MessageReject } from './admi002.js';
import { readMessage } from './inbound.js';
import { closeSchemaValidator, validateXmlText } from './schema-validation.js';

after(() => closeSchemaValidator());

const reject: MessageReject = {
  relatedReference: '20250310B1QDRCQR000001',
  rejectingPartyReason: 'HOSTILE',
  rejectionDateTime: '2025-03-10T09:00:01Z',
  errorLocation: 'line 1, column 22',
  reasonDescription: 'DOCTYPE declarations are refused.',
  additionalData: 'Resend the message without a DOCTYPE.',
};

describe('admi.002 message reject', () => {
  test('generates the ISO structure and reads it back to the same model', () => {
    const generated = generateMessageReject(reject);
    assert.ok(generated.ok);
    const xml = generated.message.xml;
    assert.match(xml, /<Document xmlns="urn:iso:std:iso:20022:tech:xsd:admi\.002\.001\.01">/);
    assert.match(xml, /<admi\.002\.001\.01>\s*<RltdRef>\s*<Ref>20250310B1QDRCQR000001<\/Ref>/);
    assert.match(xml, /<Rsn>\s*<RjctgPtyRsn>HOSTILE<\/RjctgPtyRsn>\s*<RjctnDtTm>/);
    assert.deepEqual(parseExpecting(xml, 'admi.002').document, reject);
  });

  test('enforces the ISO lengths itself since no XSD checks them', () => {
    const generated = generateMessageReject({
      ...reject,
      rejectingPartyReason: 'X'.repeat(36),
      reasonDescription: '',
    });
    assert.ok(!generated.ok);
    assert.deepEqual(
      generated.errors.map((error) => error.path),
      ['rejectingPartyReason', 'reasonDescription'],
    );
  });

  test('reports that no schema is available and reads the message without one', async () => {
    const generated = generateMessageReject(reject);
    assert.ok(generated.ok);
    const validation = await validateXmlText(generated.message.xml, 'admi.002.001.01');
    assert.ok(!validation.ok && validation.code === 'schema_unavailable');
    const read = await readMessage(generated.message.xml);
    assert.ok(read.ok && read.message.kind === 'admi.002');
  });
});
