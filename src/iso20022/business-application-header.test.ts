// Proves messages are found bare or wrapped with a head.001 AppHdr, and headers round-trip.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureText, parseExpecting, SAMPLES, withPrefix } from './_test-fixtures.js';
import {
  generateBusinessApplicationHeader,
  generateEnvelope,
  type BusinessApplicationHeader,
} from './business-application-header.js';
import { locateMessage } from './envelope.js';
import { parseMessage, readMessage } from './inbound.js';
import { generateCustomerCreditTransfer } from './pacs008-write.js';
import { closeSchemaValidator, validateMessage, validateXmlText } from './schema-validation.js';
import { readXml } from './xml-reader.js';

after(() => closeSchemaValidator());

const header = fixtureText(SAMPLES.fednowHeader);
const documentText = fixtureText(SAMPLES.fednowPurpose);

/** FedNow's MQ framing: FedNowIncoming / FedNowIncomingMessage / <message> / AppHdr + Document. */
function fedNowFramed(headerText: string, document: string): string {
  return (
    '<FedNowIncoming xmlns="urn:corridor:test:fednow"><FedNowIncomingMessage>' +
    `<FedNowCustomerCreditTransfer>${headerText}${document}</FedNowCustomerCreditTransfer>` +
    '</FedNowIncomingMessage></FedNowIncoming>'
  );
}

function locate(xml: string) {
  const read = readXml(xml);
  assert.ok(read.ok);
  return locateMessage(read.root);
}

describe('locating the Document', () => {
  test('identifies a bare Document by its namespace', () => {
    const located = locate(documentText);
    assert.ok(located.ok);
    assert.equal(located.located.definition.identifier, 'pacs.008.001.08');
    assert.equal(located.located.enveloped, false);
    assert.equal(located.located.header, undefined);
  });

  test('finds the AppHdr and Document inside the FedNow wrapper and reads the header', () => {
    const message = parseExpecting(fedNowFramed(header, documentText), 'pacs.008');
    assert.equal(message.enveloped, true);
    assert.deepEqual(message.header, {
      from: { financialInstitution: { memberId: '011104238' } },
      to: { financialInstitution: { memberId: '021150706' } },
      businessMessageId: '20230604011104238Sc01Step1MsgId',
      messageDefinitionId: 'pacs.008.001.08',
      marketPractice: {
        registry: 'www2.swift.com/mystandards/#/group/Federal_Reserve_Financial_Services/FedNow_Service',
        identification: 'frb.fednow.01',
      },
      creationDate: '2023-06-04T10:55:26-04:00',
    });
    assert.equal(message.document.groupHeader.messageId, '20230604011104238Variation1MsgId');
  });

  test('finds prefixed parts in a CBPR+-style Envelope', () => {
    const xml =
      '<Envelope xmlns="urn:corridor:test:envelope">' +
      `${withPrefix(header, 'head')}${withPrefix(documentText, 'pacs')}</Envelope>`;
    const message = parseExpecting(xml, 'pacs.008');
    assert.equal(message.header?.businessMessageId, '20230604011104238Sc01Step1MsgId');
    assert.equal(message.document.transactions[0]?.endToEndId, 'Variation1EtoEId001');
  });

  test('refuses a header alone, a header naming another message, and two Documents', () => {
    const cases: [string, string][] = [
      [header, 'document_not_found'],
      [
        fedNowFramed(
          header.replace('pacs.008.001.08</MsgDefIdr>', 'pacs.009.001.08</MsgDefIdr>'),
          documentText,
        ),
        'header_mismatch',
      ],
      [`<E xmlns="urn:e">${documentText}${documentText}</E>`, 'document_ambiguous'],
      [
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.09"><FIToFICstmrCdtTrf/></Document>',
        'message_unsupported',
      ],
      ['<Document xmlns="urn:example:not-iso"><A/></Document>', 'document_not_found'],
    ];
    for (const [xml, code] of cases) {
      const located = locate(xml);
      assert.ok(!located.ok && located.error.code === code, `${code}: ${JSON.stringify(located)}`);
    }
  });

  test('validates both parts of a wrapped message against their own XSDs', async () => {
    assert.deepEqual(await validateMessage(fedNowFramed(header, documentText)), { ok: true });
    const broken = fedNowFramed(header.replace('<CreDt>', '<CreDt>x'), documentText);
    const result = await validateMessage(broken);
    assert.ok(!result.ok && result.violations[0]?.part === 'header');
  });
});

describe('generating headers and envelopes', () => {
  const sampleHeader = (): BusinessApplicationHeader => {
    const parsed = parseExpecting(fedNowFramed(header, documentText), 'pacs.008').header;
    assert.ok(parsed);
    return parsed;
  };

  test('regenerates the FedNow header as a valid head.001.001.02 that reads back the same', async () => {
    const generated = generateBusinessApplicationHeader(sampleHeader());
    assert.ok(generated.ok);
    assert.deepEqual(
      await validateXmlText(generated.xml, 'head.001.001.02', 'header'),
      { ok: true },
    );
    const again = parseExpecting(
      fedNowFramed(generated.xml.replace(/^<\?xml[^>]*>\s*/, ''), documentText),
      'pacs.008',
    );
    assert.deepEqual(again.header, sampleHeader());
  });

  test('wraps a generated pacs.008 with its header, filling MsgDefIdr from the Document', async () => {
    const transfer = parseExpecting(documentText, 'pacs.008').document;
    const generated = generateCustomerCreditTransfer(transfer);
    assert.ok(generated.ok);
    const { messageDefinitionId: _ignored, ...withoutIdentifier } = sampleHeader();
    const envelope = generateEnvelope(withoutIdentifier, generated.message);
    assert.ok(envelope.ok);
    const read = await readMessage(envelope.xml);
    assert.ok(read.ok && read.message.kind === 'pacs.008');
    assert.equal(read.message.header?.messageDefinitionId, 'pacs.008.001.08');
    assert.deepEqual(read.message.document, transfer);
  });

  test('refuses to wrap a Document with a header naming another message', () => {
    const transfer = parseExpecting(documentText, 'pacs.008').document;
    const generated = generateCustomerCreditTransfer(transfer);
    assert.ok(generated.ok);
    const envelope = generateEnvelope(
      { ...sampleHeader(), messageDefinitionId: 'pacs.009.001.08' },
      generated.message,
    );
    assert.ok(!envelope.ok && envelope.errors[0]?.code === 'value_mismatch');
  });

  test('reports header problems as content failures of the message', () => {
    const noFrom = fedNowFramed(header.replace(/<Fr>[\s\S]*<\/Fr>/, ''), documentText);
    const result = parseMessage(noFrom);
    assert.ok(!result.ok && result.failure.stage === 'content');
    assert.equal(result.failure.issues[0]?.path, 'AppHdr/Fr');
  });
});
