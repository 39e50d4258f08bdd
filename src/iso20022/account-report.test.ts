// Proves camt.054 and camt.053 parse to the sample values, round-trip, and that a Corridor
// statement (opening and closing balances, booked entries) generates valid camt.053.001.08.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureText, parseExpecting, SAMPLES, WITH_SWISS_FRANC } from './_test-fixtures.js';
import type { BankToCustomerStatement } from './account-report.js';
import {
  generateBankToCustomerDebitCreditNotification,
  generateBankToCustomerStatement,
} from './account-report-write.js';
import { parseMessage } from './inbound.js';
import { closeSchemaValidator, validateXmlText } from './schema-validation.js';

after(() => closeSchemaValidator());

describe('camt.054 notification', () => {
  test('reads the FedNow debit notification with its references and related agents', () => {
    const { document } = parseExpecting(fixtureText(SAMPLES.fednowNotification), 'camt.054');
    assert.deepEqual(document.groupHeader, {
      messageId: 'ADCN',
      creationDateTime: '2023-06-04T10:57:39-04:00',
      pagination: { pageNumber: '1', lastPage: true },
    });
    const notification = document.notifications[0];
    assert.equal(notification?.identification, 'FedNowServiceApplicationRef001');
    assert.deepEqual(
      notification?.account,
      { identification: { other: { identification: '011104238' } } },
    );
    const entry = notification?.entries[0];
    assert.deepEqual(entry?.amount, { currency: 'USD', value: 5_174n });
    assert.equal(entry?.creditDebit, 'DBIT');
    assert.deepEqual(entry?.status, { code: 'BOOK' });
    assert.deepEqual(entry?.bankTransactionCode, { proprietary: { code: 'DBIT' } });
    const transaction = entry?.transactions?.[0];
    assert.deepEqual(transaction?.references, {
      messageId: '20230604011104238Sc01Step1MsgId',
      instructionId: 'Scenario01InstrId001',
      endToEndId: 'Scenario01EtoEId001',
      uetr: '8a562c67-ca16-48ba-b074-65581be6f011',
    });
    assert.deepEqual(transaction?.relatedAgents?.proprietary, [
      { type: 'RESP', agent: { clearingSystem: { code: 'USABA' }, memberId: '011104238' } },
    ]);
    assert.deepEqual(transaction?.localInstrument, { proprietary: 'FDNA' });
    assert.deepEqual(transaction?.relatedDates, {
      acceptanceDateTime: '2023-06-04T10:55:26-04:00',
      interbankSettlementDate: '2023-06-04',
    });
  });

  test('regenerates the notification as valid XML that parses to the same model', async () => {
    const original = parseExpecting(fixtureText(SAMPLES.fednowNotification), 'camt.054').document;
    const generated = generateBankToCustomerDebitCreditNotification(original);
    assert.ok(generated.ok);
    assert.deepEqual(await validateXmlText(generated.message.xml, 'camt.054.001.08'), { ok: true });
    assert.deepEqual(parseExpecting(generated.message.xml, 'camt.054').document, original);
  });
});

describe('camt.053 statement', () => {
  const statementText = fixtureText(SAMPLES.postFinanceStatement);

  test('reports CHF as an unknown currency with Corridor’s own currency table', () => {
    const result = parseMessage(statementText);
    assert.ok(!result.ok && result.failure.stage === 'content');
    assert.equal(result.failure.issues[0]?.code, 'currency_unknown');
  });

  test('reads the PostFinance statement given CHF’s exponent', () => {
    const {
      document,
      definition,
    } = parseExpecting(statementText, 'camt.053', { currencies: WITH_SWISS_FRANC });
    assert.equal(definition.identifier, 'camt.053.001.04');
    assert.equal(document.groupHeader.messageId, '20201124375204229003967');
    assert.equal(document.groupHeader.additionalInformation, 'SPS/1.7/PROD');
    const statement = document.statements[0];
    assert.ok(statement);
    assert.equal(statement.electronicSequenceNumber, '118');
    assert.deepEqual(statement.account.identification, { iban: 'CH2909000000250094239' });
    assert.equal(statement.account.owner?.name, 'Robert Schneider SA Grands magasins Biel/Bienne');
    assert.deepEqual(
      statement.balances?.map((balance) => [balance.type, balance.amount.value]),
      [
        [{ code: 'OPBD' }, 21_199_319n],
        [{ code: 'CLBD' }, 21_511_221n],
        [{ code: 'CLAV' }, 21_511_221n],
        [{ code: 'FWAV' }, 21_664_921n],
      ],
    );
    assert.equal(statement.entries.length, 5);
    assert.deepEqual(statement.entries[1]?.amount, { currency: 'CHF', value: 7_770n });
    assert.equal(statement.entries[1]?.creditDebit, 'DBIT');
    assert.deepEqual(statement.entries[0]?.bankTransactionCode, {
      domain: { code: 'PMNT', familyCode: 'IDDT', subFamilyCode: 'PMDD' },
    });
  });

  test('round-trips the statement in its own version and into 001.08', async () => {
    const options = { currencies: WITH_SWISS_FRANC };
    const original = parseExpecting(statementText, 'camt.053', options).document;
    for (const version of [4, 8] as const) {
      const generated = generateBankToCustomerStatement(original, { ...options, version });
      assert.ok(generated.ok);
      const identifier = generated.message.definition.identifier;
      assert.deepEqual(
        await validateXmlText(generated.message.xml, identifier),
        { ok: true },
        identifier,
      );
      assert.deepEqual(
        parseExpecting(generated.message.xml, 'camt.053', options).document,
        original,
      );
    }
  });
});

const corridorStatement: BankToCustomerStatement = {
  groupHeader: { messageId: 'CORRIDOR-STMT-20250310', creationDateTime: '2025-03-11T00:05:00Z' },
  statements: [
    {
      identification: 'STMT-BRL-0001-20250310',
      creationDateTime: '2025-03-11T00:05:00Z',
      fromToDate: { fromDateTime: '2025-03-10T00:00:00Z', toDateTime: '2025-03-10T23:59:59Z' },
      account: {
        identification: { other: { identification: 'CORRIDOR-SETTLEMENT-BRL-0001' } },
        currency: 'BRL',
      },
      balances: [
        {
          type: { code: 'OPBD' },
          amount: { currency: 'BRL', value: 1_000_000n },
          creditDebit: 'CRDT',
          date: { date: '2025-03-10' },
        },
        {
          type: { code: 'CLBD' },
          amount: { currency: 'BRL', value: 876_544n },
          creditDebit: 'CRDT',
          date: { date: '2025-03-10' },
        },
      ],
      entries: [
        {
          reference: 'LEDGER-42',
          amount: { currency: 'BRL', value: 123_456n },
          creditDebit: 'DBIT',
          status: { code: 'BOOK' },
          bookingDate: { dateTime: '2025-03-10T09:00:02Z' },
          valueDate: { date: '2025-03-10' },
          accountServicerReference: 'CORRIDOR-ENTRY-42',
          bankTransactionCode: { domain: {
            code: 'PMNT',
            familyCode: 'ICDT',
            subFamilyCode: 'XBCT',
          } },
          transactions: [
            {
              references: {
                messageId: 'BANK-MSG-77',
                endToEndId: 'E2E-BRL',
                uetr: '8a562c67-ca16-48ba-b074-65581be6f011',
              },
              amount: { currency: 'BRL', value: 123_456n },
              creditDebit: 'DBIT',
              relatedParties: { creditor: { party: { name: 'Corporation Y' } } },
              relatedAgents: { instructingAgent: { bic: 'BANYBRRJ' } },
              remittanceInformation: { unstructured: ['Invoice ABC-987'] },
            },
          ],
        },
      ],
    },
  ],
};

describe('camt.053 generation', () => {
  test('generates a Corridor statement that is valid 001.08 and reads back the same', async () => {
    const generated = generateBankToCustomerStatement(corridorStatement);
    assert.ok(generated.ok);
    assert.deepEqual(await validateXmlText(generated.message.xml, 'camt.053.001.08'), { ok: true });
    assert.deepEqual(parseExpecting(generated.message.xml, 'camt.053').document, corridorStatement);
  });

  test('refuses a statement without balances and 001.08-only fields in 001.04', () => {
    const [first] = corridorStatement.statements;
    assert.ok(first);
    const noBalances = generateBankToCustomerStatement({
      ...corridorStatement,
      statements: [{ ...first, balances: [] }],
    });
    assert.ok(!noBalances.ok && noBalances.errors[0]?.path === 'Stmt[1]/Bal');
    const legacy = generateBankToCustomerStatement(corridorStatement, { version: 4 });
    assert.ok(!legacy.ok);
    assert.deepEqual(legacy.errors.map((error) => error.path).sort(), [
      'Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]/Refs/UETR',
      'Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]/RltdAgts/InstgAgt',
    ]);
  });
});
