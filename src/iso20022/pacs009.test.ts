// Proves the inbound-only pacs.009 reader maps the FedNow institution transfer to its values.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureText, parseExpecting, SAMPLES } from './_test-fixtures.js';

describe('pacs.009 sample values', () => {
  test('reads the FedNow FI credit transfer, with institutions as debtor and creditor', () => {
    const { document } = parseExpecting(fixtureText(SAMPLES.fednowInstitutionTransfer), 'pacs.009');
    assert.deepEqual(document.groupHeader, {
      messageId: '20230713021307481FISc01Step1MsgId',
      creationDateTime: '2023-07-13T16:18:14-04:00',
      numberOfTransactions: 1,
      settlementInformation: { settlementMethod: 'CLRG', clearingSystem: { code: 'FDN' } },
    });
    assert.deepEqual(document.transactions, [
      {
        index: 0,
        instructionId: 'Scenario01FIInstrId001',
        endToEndId: 'Scenario01FIEtoEId001',
        transactionId: 'Scenario01FITxId001',
        paymentType: { localInstrument: { proprietary: 'LMT1' } },
        // "500000" without decimals is 500,000.00 dollars.
        interbankSettlementAmount: { currency: 'USD', value: 50_000_000n },
        interbankSettlementDate: '2023-07-13',
        instructingAgent: { clearingSystem: { code: 'USABA' }, memberId: '021307481' },
        instructedAgent: { clearingSystem: { code: 'USABA' }, memberId: '231981435' },
        debtor: { clearingSystem: { code: 'USABA' }, memberId: '021307481', name: 'Bank C' },
        creditor: { clearingSystem: { code: 'USABA' }, memberId: '231981435', name: 'BANK D' },
      },
    ]);
    assert.deepEqual(document.invalidTransactions, []);
  });

  test('rejects a transaction whose amount has more decimals than the currency', () => {
    const xml = fixtureText(SAMPLES.fednowInstitutionTransfer).replace('>500000<', '>500000.001<');
    const { document } = parseExpecting(xml, 'pacs.009');
    assert.equal(document.transactions.length, 0);
    assert.deepEqual(document.invalidTransactions[0]?.references, {
      instructionId: 'Scenario01FIInstrId001',
      endToEndId: 'Scenario01FIEtoEId001',
      transactionId: 'Scenario01FITxId001',
    });
    assert.equal(document.invalidTransactions[0]?.issues[0]?.code, 'amount_too_many_decimals');
  });
});
