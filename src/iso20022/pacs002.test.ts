// Proves pacs.002 status reports parse to the FedNow sample values and generate valid XML in
// versions 001.10, .12, .13 and .15 with group and transaction statuses.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureText, parseExpecting, SAMPLES } from './_test-fixtures.js';
import type { PaymentStatusReport } from './pacs002.js';
import { generatePaymentStatusReport, type PaymentStatusReportVersion } from './pacs002-write.js';
import { closeSchemaValidator, validateXmlText } from './schema-validation.js';

after(() => closeSchemaValidator());

describe('pacs.002 sample values', () => {
  test('reads the FedNow settlement confirmation (ACSC)', () => {
    const report = parseExpecting(fixtureText(SAMPLES.fednowStatusAccepted), 'pacs.002').document;
    assert.deepEqual(report.groupHeader, {
      messageId: '20230604021150706Sc01Step4AMsgId',
      creationDateTime: '2023-06-04T10:55:32-04:00',
    });
    assert.deepEqual(report.transactionStatuses, [
      {
        originalGroup: {
          messageId: '20230604011104238Sc01Step1MsgId',
          messageNameId: 'pacs.008.001.08',
          creationDateTime: '2023-06-04T10:55:26-04:00',
        },
        originalInstructionId: 'Scenario01InstrId001',
        originalEndToEndId: 'Scenario01EtoEId001',
        originalUetr: '8a562c67-ca16-48ba-b074-65581be6f011',
        status: 'ACSC',
        acceptanceDateTime: '2023-06-04T10:55:32-04:00',
        effectiveInterbankSettlementDate: { date: '2023-06-04' },
        instructingAgent: { clearingSystem: { code: 'USABA' }, memberId: '021150706' },
        instructedAgent: { clearingSystem: { code: 'USABA' }, memberId: '011104238' },
      },
    ]);
  });

  test('reads the FedNow rejection with reason AC04', () => {
    const report = parseExpecting(fixtureText(SAMPLES.fednowStatusRejected), 'pacs.002').document;
    const status = report.transactionStatuses[0];
    assert.equal(status?.status, 'RJCT');
    assert.deepEqual(status?.statusReasons, [{ reason: { code: 'AC04' } }]);
    assert.equal(status?.originalEndToEndId, 'Scenario03EtoEId001');
  });

  for (const name of [SAMPLES.fednowStatusAccepted, SAMPLES.fednowStatusRejected]) {
    test(`regenerates ${name} as valid XML that parses to the same model`, async () => {
      const original = parseExpecting(fixtureText(name), 'pacs.002').document;
      const generated = generatePaymentStatusReport(original);
      assert.ok(generated.ok);
      assert.deepEqual(
        await validateXmlText(generated.message.xml, 'pacs.002.001.10'),
        { ok: true },
      );
      assert.deepEqual(parseExpecting(generated.message.xml, 'pacs.002').document, original);
    });
  }
});

const corridorReport: PaymentStatusReport = {
  groupHeader: {
    messageId: 'CORRIDOR-STS-0001',
    creationDateTime: '2025-03-10T09:00:05Z',
    instructingAgent: { bic: 'CRDRBRSP' },
  },
  originalGroupStatuses: [
    {
      original: {
        messageId: 'BANK-MSG-77',
        messageNameId: 'pacs.008.001.08',
        creationDateTime: '2025-03-10T09:00:00Z',
      },
      originalNumberOfTransactions: 3,
      groupStatus: 'PART',
      statusCounts: [
        { numberOfTransactions: 2, status: 'ACSC' },
        { numberOfTransactions: 1, status: 'RJCT' },
      ],
    },
  ],
  transactionStatuses: [
    {
      originalEndToEndId: 'E2E-1',
      originalUetr: '8a562c67-ca16-48ba-b074-65581be6f011',
      status: 'ACTC',
    },
    { originalEndToEndId: 'E2E-2', status: 'ACSP' },
    {
      originalEndToEndId: 'E2E-3',
      status: 'ACCC',
      effectiveInterbankSettlementDate: { date: '2025-03-10' },
    },
    {
      originalEndToEndId: 'E2E-4',
      status: 'PDNG',
      statusReasons: [{ additionalInformation: ['Awaiting liquidity'] }],
    },
    {
      originalEndToEndId: 'E2E-5',
      status: 'RJCT',
      statusReasons: [{
        reason: { code: 'AM03' },
        additionalInformation: ['JPY is not settled by Corridor'],
      }],
    },
  ],
};

describe('pacs.002 generation', () => {
  const versions: PaymentStatusReportVersion[] = [10, 12, 13, 15];
  for (const version of versions) {
    test(`generates ACTC/ACSP/ACCC/PDNG/RJCT statuses as valid pacs.002 version ${version}`, async () => {
      const generated = generatePaymentStatusReport(corridorReport, { version });
      assert.ok(generated.ok);
      const identifier = `pacs.002.001.${version}`;
      assert.equal(generated.message.definition.identifier, identifier);
      assert.deepEqual(await validateXmlText(generated.message.xml, identifier), { ok: true });
      assert.deepEqual(parseExpecting(generated.message.xml, 'pacs.002').document, corridorReport);
    });
  }

  test('defaults to version 001.10', () => {
    const generated = generatePaymentStatusReport(corridorReport);
    assert.ok(generated.ok && generated.message.definition.identifier === 'pacs.002.001.10');
  });

  test('refuses a rejection without a reason and an empty report', () => {
    const unexplained = generatePaymentStatusReport({
      ...corridorReport,
      transactionStatuses: [{ originalEndToEndId: 'E2E-9', status: 'RJCT' }],
    });
    assert.ok(!unexplained.ok);
    assert.deepEqual(unexplained.errors.map((error) => error.path), ['TxInfAndSts[1]/StsRsnInf']);
    const empty = generatePaymentStatusReport({
      ...corridorReport,
      originalGroupStatuses: [],
      transactionStatuses: [],
    });
    assert.ok(!empty.ok && empty.errors[0]?.code === 'value_missing');
  });
});
