// Proves pacs.004 returns parse to the Fed sample values, round-trip, and generate valid XML in
// 001.09 and 001.10, refusing return-chain accounts in 001.09.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureText, parseExpecting, SAMPLES } from './_test-fixtures.js';
import { generatePaymentReturn } from './pacs004-write.js';
import { closeSchemaValidator, validateXmlText } from './schema-validation.js';

after(() => closeSchemaValidator());

describe('pacs.004 sample values', () => {
  test('reads the FedNow duplicate-payment return', () => {
    const { document, definition } = parseExpecting(fixtureText(SAMPLES.fednowReturn), 'pacs.004');
    assert.equal(definition.identifier, 'pacs.004.001.10');
    assert.equal(document.groupHeader.messageId, '20230604021040078Sc01RTStep4MsgId');
    assert.deepEqual(document.groupHeader.settlementInformation, {
      settlementMethod: 'CLRG',
      clearingSystem: { code: 'FDN' },
    });
    const returned = document.transactions[0];
    assert.ok(returned);
    assert.deepEqual(returned.originalGroup, {
      messageId: '20230604011104238Sc01RTStep1MsgId',
      messageNameId: 'pacs.008.001.08',
      creationDateTime: '2023-06-04T10:55:26-04:00',
    });
    assert.equal(returned.originalEndToEndId, 'Scenario01EtoEId001');
    assert.deepEqual(
      returned.originalInterbankSettlementAmount,
      { currency: 'USD', value: 5_174n },
    );
    assert.deepEqual(
      returned.returnedInterbankSettlementAmount,
      { currency: 'USD', value: 5_174n },
    );
    assert.equal(returned.chargeBearer, 'SLEV');
    assert.deepEqual(returned.returnReasons, [
      {
        reason: { code: 'DUPL' },
        additionalInformation: ['Already Paid. Ref 20230603011104238MsgIdFirstPayment'],
      },
    ]);
    assert.deepEqual(returned.returnChain?.debtor, {
      party: {
        name: 'Corporation B',
        postalAddress: {
          postBox: '6001',
          postCode: '60197',
          townName: 'Carol Stream',
          countrySubDivision: 'IL',
          country: 'US',
        },
      },
    });
    assert.deepEqual(
      returned.returnChain?.creditorAccount,
      { identification: { other: { identification: '0031234567' } } },
    );
    assert.deepEqual(
      returned.originalTransactionReference,
      { paymentType: { localInstrument: { proprietary: 'FDNA' } } },
    );
  });

  test('reads the Fedwire return with BICs, a member id and returned instructed amount', () => {
    const returned = parseExpecting(
      fixtureText(SAMPLES.fedwireReturn),
      'pacs.004',
    ).document.transactions[0];
    assert.deepEqual(
      returned?.returnedInterbankSettlementAmount,
      { currency: 'USD', value: 223_457_888n },
    );
    assert.deepEqual(returned?.returnedInstructedAmount, { currency: 'USD', value: 223_457_888n });
    assert.deepEqual(returned?.returnChain?.creditorAgent, {
      bic: 'BANZBEBB',
      clearingSystem: { code: 'USABA' },
      memberId: '000000000',
    });
    assert.deepEqual(returned?.returnReasons, [{ reason: { code: 'MD06' } }]);
  });

  for (const name of [SAMPLES.fednowReturn, SAMPLES.fedwireReturn]) {
    test(`regenerates ${name} as valid pacs.004.001.10 that parses to the same model`, async () => {
      const original = parseExpecting(fixtureText(name), 'pacs.004').document;
      const generated = generatePaymentReturn(original, { version: 10 });
      assert.ok(generated.ok);
      assert.deepEqual(
        await validateXmlText(generated.message.xml, 'pacs.004.001.10'),
        { ok: true },
      );
      assert.deepEqual(parseExpecting(generated.message.xml, 'pacs.004').document, original);
    });
  }
});

describe('pacs.004 versions', () => {
  test('generates 001.09 by default once the return chain carries no accounts', async () => {
    const original = parseExpecting(fixtureText(SAMPLES.fednowReturn), 'pacs.004').document;
    const refused = generatePaymentReturn(original);
    assert.ok(!refused.ok);
    assert.deepEqual(
      refused.errors.map((error) => error.path),
      ['TxInf[1]/RtrChain/DbtrAcct', 'TxInf[1]/RtrChain/CdtrAcct'],
    );
    const withoutAccounts = original.transactions.map(({ returnChain, ...rest }) => {
      if (returnChain === undefined) return rest;
      const { debtorAccount: _debtor, creditorAccount: _creditor, ...chain } = returnChain;
      return { ...rest, returnChain: chain };
    });
    const generated = generatePaymentReturn({ ...original, transactions: withoutAccounts });
    assert.ok(generated.ok && generated.message.definition.identifier === 'pacs.004.001.09');
    assert.deepEqual(await validateXmlText(generated.message.xml, 'pacs.004.001.09'), { ok: true });
  });
});
