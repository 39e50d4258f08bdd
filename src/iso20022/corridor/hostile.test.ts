// Proves that hostile or broken input sent to POST /v1/iso20022/messages (entity bombs,
// external entities, deep nesting, oversized bodies, garbage, wrong media types, no key) gets a
// clean 4xx answer, admi.002 where the body was ours to read, and changes nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { snapshot } from '../../testing/api-helpers.js';
import {
  creditTransfer,
  isoServerPerSuite,
  rejectReason,
  statuses,
  transaction,
} from './_test-support.js';

const PACS008 = 'urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08';

const ENTITY_BOMB =
  '<?xml version="1.0"?><!DOCTYPE bomb [<!ENTITY a "aaaaaaaaaa">' +
  '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>' +
  `<Document xmlns="${PACS008}"><FIToFICstmrCdtTrf>&c;</FIToFICstmrCdtTrf></Document>`;
const EXTERNAL_ENTITY =
  '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
  `<Document xmlns="${PACS008}"><FIToFICstmrCdtTrf>&xxe;</FIToFICstmrCdtTrf></Document>`;
const DEEP = `<Document xmlns="${PACS008}">${'<a>'.repeat(200)}${'</a>'.repeat(200)}</Document>`;

describe('ISO 20022 gateway: hostile and broken input over HTTP', () => {
  const server = isoServerPerSuite();

  async function refused(
    body: string | Uint8Array,
    status: number,
    reason: string,
    headers?: Record<string, string>,
  ) {
    const before = snapshot(server.network);
    const answer = await server.post('br-bank', body, headers);
    assert.equal(answer.status, status, answer.text.slice(0, 500));
    assert.match(answer.contentType, /^application\/xml/);
    assert.equal(rejectReason(answer.text), reason);
    assert.equal(snapshot(server.network), before, 'hostile input must change nothing');
  }

  it('an entity bomb and an external entity are refused before parsing (admi.002 HOSTILE)', async () => {
    await refused(ENTITY_BOMB, 400, 'HOSTILE');
    await refused(EXTERNAL_ENTITY, 400, 'HOSTILE');
  });

  it('nesting deeper than the bound is refused (admi.002 HOSTILE)', async () => {
    await refused(DEEP, 400, 'HOSTILE');
  });

  it('a body over the message bound gets 413 admi.002, whether Corridor or Fastify stops it', async () => {
    const padded = (bytes: number) =>
      `<Document xmlns="${PACS008}"><x>${'y'.repeat(bytes)}</x></Document>`;
    await refused(padded(1_500_000), 413, 'HOSTILE');
    await refused(padded(3_000_000), 413, 'HOSTILE');
  });

  it('garbage, empty bodies, bad encodings and unknown entities get admi.002 with their reason', async () => {
    await refused('this is not xml', 400, 'NOT_XML');
    await refused('', 400, 'UNREADABLE');
    await refused(
      new Uint8Array([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e]),
      400,
      'UNREADABLE',
    );
    await refused(`<Document xmlns="${PACS008}">&unknown;</Document>`, 400, 'NOT_XML');
    await refused(
      '<Invoice xmlns="urn:example:invoice"><Total>1</Total></Invoice>',
      400,
      'UNKNOWN_MESSAGE_TYPE',
    );
  });

  it("a JSON body gets 415 and no key gets 401, in the API's JSON error shape", async () => {
    const before = snapshot(server.network);
    const json = await server.post('br-bank', '{"a":1}', { 'content-type': 'application/json' });
    assert.equal(json.status, 415);
    assert.equal(
      (JSON.parse(json.text) as { error: { code: string } }).error.code,
      'unsupported_media_type',
    );
    const anonymous = await server.post(undefined, creditTransfer([transaction()]));
    assert.equal(anonymous.status, 401);
    assert.equal(snapshot(server.network), before);
  });

  it('an Idempotency-Key is ignored: the MsgId is what makes a message idempotent', async () => {
    const answer = await server.post('br-bank', creditTransfer([transaction()]), {
      'idempotency-key': 'k-1',
    });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(statuses(answer.text)[0]?.status, 'ACCC');
  });
});
