// Proves pacs.008 (001.08 to .13) parses to the sample values, regenerates valid XML, round-trips,
// and reports unknown currencies and excess decimals per transaction.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureText, parseExpecting, SAMPLES, withPrefix } from './_test-fixtures.js';
import { controlSumOf } from './decimal.js';
import { parseMessage } from './inbound.js';
import type { CustomerCreditTransfer } from './pacs008.js';
import {
  generateCustomerCreditTransfer,
  type CustomerCreditTransferInput,
  type CustomerCreditTransferTransactionInput,
  type CustomerCreditTransferVersion,
} from './pacs008-write.js';
import { closeSchemaValidator, validateXmlText } from './schema-validation.js';

after(() => closeSchemaValidator());

const PACS008_SAMPLES = [
  SAMPLES.fedwireCrossCurrency,
  SAMPLES.fedwireIntermediary,
  SAMPLES.fednowPurpose,
  SAMPLES.fednowStructuredRemittance,
  SAMPLES.fednowUltimateDebtor,
];

function transfer(name: string): CustomerCreditTransfer {
  return parseExpecting(fixtureText(name), 'pacs.008').document;
}

function generate(input: CustomerCreditTransferInput, version?: CustomerCreditTransferVersion) {
  const generated = generateCustomerCreditTransfer(input, version === undefined ? {} : { version });
  if (!generated.ok) assert.fail(JSON.stringify(generated.errors));
  return generated.message;
}

describe('pacs.008 sample values', () => {
  test('reads the Fedwire cross-currency transfer with its FX terms, charges and BICs', () => {
    const {
      groupHeader,
      transactions,
      invalidTransactions,
    } = transfer(SAMPLES.fedwireCrossCurrency);
    assert.deepEqual(groupHeader, {
      messageId: '20250310B1QDRCQR000001',
      creationDateTime: '2025-03-10T09:00:00-04:00',
      numberOfTransactions: 1,
      settlementInformation: { settlementMethod: 'CLRG', clearingSystem: { code: 'FDW' } },
    });
    assert.equal(invalidTransactions.length, 0);
    const transaction = transactions[0];
    assert.ok(transaction);
    assert.equal(transaction.instructionId, 'Variation5InstrId001');
    assert.equal(transaction.endToEndId, 'Variation5EtoEId001');
    assert.equal(transaction.uetr, '8a562c67-ca16-48ba-b074-65581be6f011');
    assert.deepEqual(
      transaction.interbankSettlementAmount,
      { currency: 'USD', value: 100_985_899n },
    );
    assert.equal(transaction.interbankSettlementDate, '2025-03-10');
    assert.deepEqual(transaction.instructedAmount, { currency: 'EUR', value: 100_000_000n });
    assert.equal(transaction.exchangeRate, '0.9901');
    assert.equal(transaction.chargeBearer, 'CRED');
    assert.deepEqual(transaction.charges, [
      { amount: { currency: 'USD', value: 9_000n }, agent: { bic: 'BANZBEBB' } },
      { amount: { currency: 'USD', value: 4_000n }, agent: { bic: 'BANCUS33' } },
    ]);
    assert.deepEqual(
      transaction.instructingAgent,
      { clearingSystem: { code: 'USABA' }, memberId: '021307481' },
    );
    assert.deepEqual(transaction.debtorAgent, { bic: 'BANZBEBB' });
    assert.deepEqual(transaction.creditorAgent, { bic: 'BANYBRRJ' });
    assert.deepEqual(transaction.debtorAccount, { identification: { iban: 'BE34001216371411' } });
    assert.deepEqual(
      transaction.creditorAccount,
      { identification: { iban: 'BR9700360305000010009795493P1' } },
    );
    assert.deepEqual(transaction.debtor, {
      name: 'Corporation Z',
      postalAddress: {
        streetName: 'Avenue Moliere 70',
        postCode: '1180',
        townName: 'Brussels',
        country: 'BE',
      },
    });
    assert.equal(transaction.creditor.postalAddress?.buildingName, 'Barra da Tijuca');
    assert.deepEqual(
      transaction.paymentType,
      { serviceLevels: [{ code: 'G001' }], localInstrument: { proprietary: 'CTRC' } },
    );
    assert.deepEqual(transaction.remittanceInformation, {
      structured: [{ referredDocuments: [{
        type: { code: 'CMCN' },
        number: 'ABC-987',
        relatedDate: '2025-04-01',
      }] }],
    });
  });

  test('reads intermediary agent, purpose code and unstructured remittance', () => {
    const transaction = transfer(SAMPLES.fedwireIntermediary).transactions[0];
    assert.ok(transaction);
    assert.deepEqual(transaction.intermediaryAgents, [{ bic: 'BANYBRRJ' }]);
    assert.deepEqual(transaction.purpose, { code: 'INSC' });
    assert.deepEqual(
      transaction.remittanceInformation,
      { unstructured: ['Insurance Benefit/Policy XXAB9876/$500000.00'] },
    );
    assert.deepEqual(
      transaction.interbankSettlementAmount,
      { currency: 'USD', value: 50_000_000n },
    );
  });

  test('reads FedNow member ids, agent names, ultimate debtor and other account ids', () => {
    const purpose = transfer(SAMPLES.fednowPurpose).transactions[0];
    assert.deepEqual(
      purpose?.debtorAgent,
      { clearingSystem: { code: 'USABA' }, memberId: '011104238', name: 'BankA' },
    );
    assert.deepEqual(
      purpose?.debtorAccount,
      { identification: { other: { identification: '0031234567' } } },
    );
    assert.deepEqual(purpose?.paymentType?.categoryPurpose, { proprietary: 'CONS' });
    assert.deepEqual(purpose?.interbankSettlementAmount, { currency: 'USD', value: 5_174n });
    const ultimate = transfer(SAMPLES.fednowUltimateDebtor).transactions[0];
    assert.equal(ultimate?.ultimateDebtor?.name, 'Corporation Bb');
    assert.deepEqual(ultimate?.interbankSettlementAmount, { currency: 'USD', value: 4_502_175n });
    assert.equal(
      transfer(SAMPLES.fednowStructuredRemittance).transactions[0]?.creditor.postalAddress?.postBox,
      '6001',
    );
  });
});

describe('pacs.008 round trip', () => {
  for (const name of PACS008_SAMPLES) {
    test(`regenerates ${name} as valid XML that parses to the same model`, async () => {
      const original = transfer(name);
      const message = generate(original);
      assert.deepEqual(await validateXmlText(message.xml, 'pacs.008.001.08'), { ok: true });
      assert.deepEqual(parseExpecting(message.xml, 'pacs.008').document, original);
    });
  }

  test('generates compact XML on request: smaller, still valid, same model', async () => {
    const original = transfer(SAMPLES.fedwireCrossCurrency);
    const indented = generate(original).xml;
    const compact = generateCustomerCreditTransfer(original, { layout: 'compact' });
    assert.ok(compact.ok);
    assert.ok(compact.message.xml.length < indented.length * 0.8);
    assert.deepEqual(await validateXmlText(compact.message.xml, 'pacs.008.001.08'), { ok: true });
    assert.deepEqual(parseExpecting(compact.message.xml, 'pacs.008').document, original);
  });

  test('reads the same model from a prefixed copy of a sample', () => {
    const prefixed = withPrefix(fixtureText(SAMPLES.fedwireCrossCurrency), 'pacs');
    assert.match(prefixed, /<pacs:FIToFICstmrCdtTrf>/);
    assert.deepEqual(
      parseExpecting(prefixed, 'pacs.008').document,
      transfer(SAMPLES.fedwireCrossCurrency),
    );
  });
});

function crossCurrencyTransaction(): CustomerCreditTransferTransactionInput {
  const first = transfer(SAMPLES.fedwireCrossCurrency).transactions[0] ?? assert.fail();
  const { index: _index, ...transaction } = first;
  return transaction;
}

describe('pacs.008 versions', () => {
  const versions: CustomerCreditTransferVersion[] = [8, 10, 11, 12, 13];
  for (const version of versions) {
    test(`generates version ${version}, valid against its XSD, and reads it back`, async () => {
      // CareOf and UnitNb exist only from version 12 on.
      const address = version >= 12 ? { careOf: 'Treasury', unitNumber: '4B', country: 'BE' } : {};
      const transaction = {
        ...crossCurrencyTransaction(),
        acceptanceDateTime: '2025-03-10T08:59:00-04:00',
        remittanceInformation: { unstructured: ['Invoice ABC-987'] },
        debtor: { name: 'Corporation Z', postalAddress: { streetName: 'Avenue Moliere 70', ...address } },
      };
      const input = {
        groupHeader: transfer(SAMPLES.fedwireCrossCurrency).groupHeader,
        transactions: [transaction],
      };
      const message = generate(input, version);
      assert.equal(
        message.definition.identifier,
        `pacs.008.001.${String(version).padStart(2, '0')}`,
      );
      assert.deepEqual(
        await validateXmlText(message.xml, message.definition.identifier),
        { ok: true },
      );
      const parsed = parseExpecting(message.xml, 'pacs.008');
      assert.equal(parsed.definition.version, version);
      assert.deepEqual(parsed.document.transactions[0], { index: 0, ...transaction });
    });
  }

  test('carries the typed related date and the agreed rate only where the version has them', async () => {
    const transaction: CustomerCreditTransferTransactionInput = {
      ...crossCurrencyTransaction(),
      remittanceInformation: {
        structured: [{ referredDocuments: [{
          number: 'ABC-987',
          relatedDate: '2025-04-01',
          relatedDateType: { proprietary: 'INVOICE' },
        }] }],
      },
      agreedRate: {
        exchangeRate: '0.9901',
        unitCurrency: 'EUR',
        quotedCurrency: 'USD',
        quoteId: '3f0b3c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e',
      },
    };
    const input = {
      groupHeader: transfer(SAMPLES.fedwireCrossCurrency).groupHeader,
      transactions: [transaction],
    };
    const latest = generate(input, 13);
    assert.deepEqual(await validateXmlText(latest.xml, 'pacs.008.001.13'), { ok: true });
    assert.deepEqual(
      parseExpecting(latest.xml, 'pacs.008').document.transactions[0]?.agreedRate,
      transaction.agreedRate,
    );
    const older = generateCustomerCreditTransfer(input, { version: 11 });
    assert.ok(!older.ok);
    assert.deepEqual(
      older.errors.map((error) => error.code).sort(),
      ['field_not_supported_in_version', 'field_not_supported_in_version'],
    );
  });
});

describe('pacs.008 with several transactions', () => {
  test('generates and reads three transactions in three currencies with a control sum', async () => {
    const base = crossCurrencyTransaction();
    const transactions = [
      {
        ...base,
        endToEndId: 'E2E-BRL',
        interbankSettlementAmount: { currency: 'BRL', value: 123_456n },
      },
      {
        ...base,
        endToEndId: 'E2E-INR',
        interbankSettlementAmount: { currency: 'INR', value: 99_900n },
      },
      { ...base, endToEndId: 'E2E-CNY', interbankSettlementAmount: { currency: 'CNY', value: 1n } },
    ];
    const amounts = transactions.map((transaction) => transaction.interbankSettlementAmount);
    const controlSum = controlSumOf(amounts);
    assert.equal(controlSum, '2233.57');
    const header = { ...transfer(SAMPLES.fedwireCrossCurrency).groupHeader, controlSum };
    const { numberOfTransactions: _count, ...headerInput } = header;
    const message = generate({ groupHeader: headerInput, transactions });
    assert.deepEqual(await validateXmlText(message.xml, 'pacs.008.001.08'), { ok: true });
    const parsed = parseExpecting(message.xml, 'pacs.008').document;
    assert.equal(parsed.groupHeader.numberOfTransactions, 3);
    assert.deepEqual(parsed.transactions.map((transaction) => [
      transaction.index,
      transaction.endToEndId,
    ]), [[0, 'E2E-BRL'], [1, 'E2E-INR'], [2, 'E2E-CNY']]);
  });

  test('rejects only the transactions whose currency is unknown or has too many decimals', () => {
    const xml = fixtureText(SAMPLES.fedwireCrossCurrency);
    const one = xml.slice(
      xml.indexOf('<CdtTrfTxInf>'),
      xml.indexOf('</CdtTrfTxInf>') + '</CdtTrfTxInf>'.length,
    );
    const withAmount = (endToEnd: string, amount: string) =>
      one.replace(
        'Variation5EtoEId001',
        endToEnd,
      ).replace('<IntrBkSttlmAmt Ccy="USD">1009858.99', `<IntrBkSttlmAmt ${amount}`);
    const body = [
      withAmount('E2E-GOOD', 'Ccy="USD">10.00'),
      withAmount('E2E-JPY', 'Ccy="JPY">1000'),
      withAmount('E2E-DECIMALS', 'Ccy="USD">1.234'),
    ].join('');
    const message = xml.replace(one, body).replace('<NbOfTxs>1</NbOfTxs>', '<NbOfTxs>3</NbOfTxs>');
    const parsed = parseExpecting(message, 'pacs.008').document;
    assert.deepEqual(
      parsed.transactions.map((transaction) => transaction.endToEndId),
      ['E2E-GOOD'],
    );
    assert.deepEqual(
      parsed.invalidTransactions.map((invalid) => [
        invalid.index,
        invalid.references.endToEndId,
        invalid.issues[0]?.code,
      ]),
      [[1, 'E2E-JPY', 'currency_unknown'], [2, 'E2E-DECIMALS', 'amount_too_many_decimals']],
    );
    assert.equal(parsed.invalidTransactions[1]?.issues[0]?.path, 'CdtTrfTxInf[3]/IntrBkSttlmAmt');
    assert.equal(
      parsed.invalidTransactions[0]?.references.uetr,
      '8a562c67-ca16-48ba-b074-65581be6f011',
    );
  });

  test('fails the whole message when NbOfTxs or CtrlSum disagree with the transactions', () => {
    const xml = fixtureText(SAMPLES.fedwireCrossCurrency);
    const wrongCount = parseMessage(xml.replace('<NbOfTxs>1</NbOfTxs>', '<NbOfTxs>2</NbOfTxs>'));
    assert.ok(!wrongCount.ok && wrongCount.failure.stage === 'content');
    assert.equal(wrongCount.failure.issues[0]?.code, 'transaction_count_mismatch');
    const wrongSum = parseMessage(xml.replace(
      '<NbOfTxs>1</NbOfTxs>',
      '<NbOfTxs>1</NbOfTxs><CtrlSum>1009858.98</CtrlSum>',
    ));
    assert.ok(!wrongSum.ok && wrongSum.failure.stage === 'content');
    assert.equal(wrongSum.failure.issues[0]?.code, 'control_sum_mismatch');
    const rightSum = parseMessage(xml.replace(
      '<NbOfTxs>1</NbOfTxs>',
      '<NbOfTxs>1</NbOfTxs><CtrlSum>1009858.990</CtrlSum>',
    ));
    assert.ok(rightSum.ok);
  });
});

describe('pacs.008 Corridor quote and supplementary data', () => {
  test('carries the Corridor quote id in SplmtryData and reads it back apart from other data', async () => {
    const transaction = {
      ...crossCurrencyTransaction(),
      corridorQuoteId: 'Q-2025-03-10-000042',
      supplementaryData: [{
        placeAndName: '/Document/Other',
        envelope: {
          namespace: 'urn:bank:x',
          name: 'Note',
          attributes: [],
          children: [],
          text: 'kept',
        },
      }],
    };
    const message = generate({
      groupHeader: transfer(SAMPLES.fedwireCrossCurrency).groupHeader,
      transactions: [transaction],
    });
    assert.match(message.xml, /<CorridorQuote xmlns="urn:corridor:iso20022:quote:1">/);
    assert.deepEqual(await validateXmlText(message.xml, 'pacs.008.001.08'), { ok: true });
    const read = parseExpecting(message.xml, 'pacs.008').document.transactions[0];
    assert.equal(read?.corridorQuoteId, 'Q-2025-03-10-000042');
    assert.deepEqual(read?.supplementaryData, transaction.supplementaryData);
  });

  test('refuses a malformed quote id when generating and when reading', () => {
    const bad = generateCustomerCreditTransfer({
      groupHeader: transfer(SAMPLES.fedwireCrossCurrency).groupHeader,
      transactions: [{ ...crossCurrencyTransaction(), corridorQuoteId: 'has spaces' }],
    });
    assert.ok(!bad.ok && bad.errors[0]?.code === 'value_malformed');
    const good = generate({
      groupHeader: transfer(SAMPLES.fedwireCrossCurrency).groupHeader,
      transactions: [{ ...crossCurrencyTransaction(), corridorQuoteId: 'Q1' }],
    });
    const tampered = parseExpecting(good.xml.replace('>Q1<', '>Q 1<'), 'pacs.008').document;
    assert.equal(tampered.invalidTransactions[0]?.issues[0]?.code, 'value_malformed');
  });
});

describe('pacs.008 generation errors', () => {
  test('reports unknown currencies, negative amounts and forbidden characters instead of emitting XML', () => {
    const base = crossCurrencyTransaction();
    const result = generateCustomerCreditTransfer({
      groupHeader: transfer(SAMPLES.fedwireCrossCurrency).groupHeader,
      transactions: [
        { ...base, interbankSettlementAmount: { currency: 'XXX', value: 1n } },
        { ...base, interbankSettlementAmount: { currency: 'USD', value: -1n } },
        { ...base, endToEndId: 'bad\u0000id' },
      ],
      // The header says 1 transaction but 3 are given.
    });
    assert.ok(!result.ok);
    assert.deepEqual(
      result.errors.map((error) => [error.code, error.path]),
      [
        ['value_mismatch', 'GrpHdr/NbOfTxs'],
        ['currency_unknown', 'CdtTrfTxInf[1]/IntrBkSttlmAmt'],
        ['amount_negative', 'CdtTrfTxInf[2]/IntrBkSttlmAmt'],
        ['text_invalid', 'CdtTrfTxInf[3]/PmtId/EndToEndId'],
      ],
    );
  });

  test('refuses address fields a version does not have and an unknown version', () => {
    const result = generateCustomerCreditTransfer(
      {
        groupHeader: transfer(SAMPLES.fedwireCrossCurrency).groupHeader,
        transactions: [{
          ...crossCurrencyTransaction(),
          debtor: { postalAddress: { careOf: 'Treasury' } },
        }],
      },
      { version: 10 },
    );
    assert.ok(!result.ok && result.errors[0]?.path === 'CdtTrfTxInf[1]/Dbtr/PstlAdr/CareOf');
    const unknown = generateCustomerCreditTransfer(
      transfer(SAMPLES.fedwireCrossCurrency),
      { version: 9 as 8 },
    );
    assert.ok(!unknown.ok && unknown.errors[0]?.code === 'version_unsupported');
  });
});
