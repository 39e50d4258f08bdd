// Proves inbound failures map to the right ISO answer (admi.002 reason or pacs.002 RJCT code)
// and that the answers built from the table generate valid messages.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureText, parseExpecting, SAMPLES } from './_test-fixtures.js';
import { generateMessageReject } from './admi002.js';
import { parseMessage, readMessage, type InboundFailure } from './inbound.js';
import { generatePaymentStatusReport } from './pacs002-write.js';
import {
  buildTransactionRejections,
  classifyCause,
  classifyInboundFailure,
  REJECT_RULES,
  respondToFailure,
  type RejectDecision,
} from './reject-mapping.js';
import { closeSchemaValidator, validateMessage, validateXmlText } from './schema-validation.js';

after(() => closeSchemaValidator());

const identity = { messageId: 'CORRIDOR-RSP-1', creationDateTime: '2025-03-10T09:00:01Z' };
const sample = fixtureText(SAMPLES.fedwireCrossCurrency);

async function failureOf(input: string): Promise<InboundFailure> {
  const result = await readMessage(input);
  assert.ok(!result.ok, 'expected a failure');
  return result.failure;
}

function summary(decision: RejectDecision): string {
  if (decision.response === 'admi.002') return `admi.002 ${decision.reason}`;
  if (decision.response === 'pacs.002') return `pacs.002 ${decision.statusReason}`;
  return 'none';
}

describe('classifying inbound failures', () => {
  const cases: [string, string, string][] = [
    ['hostile XML (billion laughs)', '<!DOCTYPE l [<!ENTITY a "a">]><l>&a;</l>', 'admi.002 HOSTILE'],
    ['hostile XML (deep nesting)', '<a>'.repeat(100) + '</a>'.repeat(100), 'admi.002 HOSTILE'],
    ['bytes that are not text', '\u0000\u0001', 'admi.002 UNREADABLE'],
    ['text that is not XML', 'amount=100&currency=USD', 'admi.002 NOT_XML'],
    [
      'XML that is not an ISO message',
      '<order><id>1</id></order>',
      'admi.002 UNKNOWN_MESSAGE_TYPE',
    ],
    [
      'an unsupported ISO version',
      sample.replaceAll('pacs.008.001.08', 'pacs.008.001.09'),
      'admi.002 UNKNOWN_MESSAGE_TYPE',
    ],
    [
      'an XSD-invalid pacs.008',
      sample.replace('<ChrgBr>CRED</ChrgBr>', '<ChrgBr>XXXX</ChrgBr>'),
      'pacs.002 FF01',
    ],
    [
      'a wrong NbOfTxs',
      sample.replace('<NbOfTxs>1</NbOfTxs>', '<NbOfTxs>2</NbOfTxs>'),
      'pacs.002 AM18',
    ],
    [
      'a wrong CtrlSum',
      sample.replace('<NbOfTxs>1</NbOfTxs>', '<NbOfTxs>1</NbOfTxs><CtrlSum>1</CtrlSum>'),
      'pacs.002 AM10',
    ],
  ];
  for (const [what, input, expected] of cases) {
    test(`answers ${what} with ${expected}`, async () => {
      assert.equal(summary(classifyInboundFailure(await failureOf(input))), expected);
    });
  }

  test('answers an XSD-invalid camt.056 with admi.002, since pacs.002 does not report on it', async () => {
    const invalid = fixtureText(SAMPLES.fednowCancellationRequest).replace(
      '<Cd>DUPL</Cd>',
      '<Cd>TOOLONG</Cd>',
    );
    assert.equal(
      summary(classifyInboundFailure(await failureOf(invalid))),
      'admi.002 SCHEMA_INVALID',
    );
  });

  test('falls back to admi.002 when the rejected message has no readable MsgId', () => {
    const result = parseMessage(sample.replace(/<MsgId>[^<]*<\/MsgId>/, ''));
    assert.ok(!result.ok);
    assert.equal(summary(classifyInboundFailure(result.failure)), 'admi.002 CONTENT_INVALID');
  });

  test('classifies duplicates, which only the caller can detect, as DUPL', () => {
    assert.equal(
      summary(classifyCause('duplicate_message', 'MsgId seen on 2025-03-09', 'pacs.008')),
      'pacs.002 DUPL',
    );
    assert.equal(
      summary(classifyCause('duplicate_message', 'Case seen before', 'camt.056')),
      'admi.002 DUPLICATE',
    );
  });

  test('maps currencies and decimals to AM03 and AM12, with a rule for every failure code', () => {
    assert.deepEqual(REJECT_RULES.currency_unknown, { response: 'pacs.002', statusReason: 'AM03' });
    assert.deepEqual(
      REJECT_RULES.amount_too_many_decimals,
      { response: 'pacs.002', statusReason: 'AM12' },
    );
    assert.deepEqual(REJECT_RULES.validator_failed, { response: 'none' });
  });
});

describe('building the answers', () => {
  test('builds a valid pacs.002 group rejection for an XSD-invalid pacs.008', async () => {
    const failure = await failureOf(sample.replace(
      '<ChrgBr>CRED</ChrgBr>',
      '<ChrgBr>XXXX</ChrgBr>',
    ));
    const response = respondToFailure(failure, identity);
    assert.ok(response.response === 'pacs.002');
    const group = response.report.originalGroupStatuses[0];
    assert.deepEqual(group?.original, {
      messageId: '20250310B1QDRCQR000001',
      messageNameId: 'pacs.008.001.08',
      creationDateTime: '2025-03-10T09:00:00-04:00',
    });
    assert.equal(group?.groupStatus, 'RJCT');
    assert.deepEqual(group?.statusReasons?.[0]?.reason, { code: 'FF01' });
    const generated = generatePaymentStatusReport(response.report);
    assert.ok(generated.ok);
    assert.deepEqual(await validateXmlText(generated.message.xml, 'pacs.002.001.10'), { ok: true });
  });

  test('builds an admi.002 for hostile input that names no message', async () => {
    const response = respondToFailure(await failureOf('<!DOCTYPE x><x/>'), identity);
    assert.ok(response.response === 'admi.002');
    assert.deepEqual(response.reject, {
      relatedReference: 'NONREF',
      rejectingPartyReason: 'HOSTILE',
      rejectionDateTime: '2025-03-10T09:00:01Z',
      reasonDescription: 'DOCTYPE declarations are refused.',
    });
    assert.ok(generateMessageReject(response.reject).ok);
  });

  test('answers nothing when the validator itself failed, so the message is retried', () => {
    const failure: InboundFailure = {
      stage: 'schema',
      code: 'validator_failed',
      message: 'worker crashed',
      definition: parseExpecting(sample, 'pacs.008').definition,
      original: { messageNameId: 'pacs.008.001.08', messageId: 'X' },
      violations: [],
    };
    assert.equal(respondToFailure(failure, identity).response, 'none');
  });

  test('rejects each invalid transaction with AM03 or AM12, quoting its identifiers', async () => {
    const one = sample.slice(
      sample.indexOf('<CdtTrfTxInf>'),
      sample.indexOf('</CdtTrfTxInf>') + 14,
    );
    const currency = one.replace(
      'Variation5EtoEId001',
      'E2E-XAU',
    ).replace('Ccy="USD">1009858.99', 'Ccy="XAU">1');
    const decimals = one.replace('Variation5EtoEId001', 'E2E-DEC').replace('1009858.99', '1.001');
    const message = sample.replace(one, currency + decimals).replace('<NbOfTxs>1<', '<NbOfTxs>2<');
    const parsed = parseExpecting(message, 'pacs.008');
    const statuses = buildTransactionRejections(
      {
        messageNameId: parsed.definition.identifier,
        messageId: parsed.document.groupHeader.messageId,
      },
      parsed.document.invalidTransactions,
    );
    assert.deepEqual(
      statuses.map((status) => [status.originalEndToEndId, status.statusReasons?.[0]?.reason]),
      [['E2E-XAU', { code: 'AM03' }], ['E2E-DEC', { code: 'AM12' }]],
    );
    const generated = generatePaymentStatusReport({
      groupHeader: identity,
      originalGroupStatuses: [],
      transactionStatuses: statuses,
    });
    assert.ok(generated.ok);
    assert.deepEqual(await validateXmlText(generated.message.xml, 'pacs.002.001.10'), { ok: true });
  });
});

describe('malformed identifications', () => {
  const messageId = /<MsgId>[^<]*<\/MsgId>/;
  const variants = {
    empty: '<MsgId></MsgId>',
    blank: '<MsgId> \t </MsgId>',
    element: '<MsgId><x/></MsgId>',
    overlong: `<MsgId>${'A'.repeat(36)}</MsgId>`,
  };

  test('a MsgId that cannot be quoted gets an admi.002 that generates, relating to NONREF', async () => {
    for (const [name, replacement] of Object.entries(variants)) {
      const failure = await failureOf(sample.replace(messageId, replacement));
      const answer = respondToFailure(failure, identity);
      assert.equal(answer.response, 'admi.002', name);
      if (answer.response !== 'admi.002') continue;
      assert.equal(answer.reject.relatedReference, 'NONREF', name);
      assert.ok(generateMessageReject(answer.reject).ok, name);
    }
  });

  test('a blank MsgId fails the mapping with value_empty even without XSD validation', () => {
    const result = parseMessage(sample.replace(messageId, variants.blank));
    assert.ok(!result.ok && result.failure.stage === 'content');
    assert.equal(result.failure.original.messageId, undefined);
    assert.deepEqual(
      result.failure.issues.map((issue) => [issue.code, issue.path]),
      [['value_empty', 'GrpHdr/MsgId']],
    );
  });

  test('an OrgnlCreDtTm that is no ISODateTime is left out of the group rejection', async () => {
    const failure = await failureOf(
      sample
        .replace(/<CreDtTm>[^<]*<\/CreDtTm>/, '<CreDtTm>2025-02-30T10:00:00</CreDtTm>')
        .replace('<ChrgBr>CRED</ChrgBr>', '<ChrgBr>NONE</ChrgBr>'),
    );
    const answer = respondToFailure(failure, identity);
    assert.equal(answer.response, 'pacs.002');
    if (answer.response !== 'pacs.002') return;
    assert.equal(answer.report.originalGroupStatuses[0]?.original.creationDateTime, undefined);
    const generated = generatePaymentStatusReport(answer.report);
    assert.ok(generated.ok);
    assert.deepEqual(await validateMessage(generated.message.xml), { ok: true });
  });

  test('transaction rejections quote no blank or over-long identifier', () => {
    const [status] = buildTransactionRejections({ messageNameId: 'pacs.008.001.08', messageId: ' ' }, [
      {
        index: 0,
        references: { endToEndId: ' ', instructionId: 'B'.repeat(36), transactionId: 'T-1' },
        issues: [],
      },
    ]);
    assert.equal(status?.originalGroup?.messageId, 'NONREF');
    assert.equal(status?.originalEndToEndId, undefined);
    assert.equal(status?.originalInstructionId, undefined);
    assert.equal(status?.originalTransactionId, 'T-1');
  });
});
