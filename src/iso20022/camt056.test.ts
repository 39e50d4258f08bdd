// Proves the inbound-only camt.056 reader maps the FedNow return request to its values.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureText, parseExpecting, SAMPLES } from './_test-fixtures.js';

describe('camt.056 sample values', () => {
  test('reads the FedNow cancellation request: assignment, case and the underlying payment', () => {
    const { document } = parseExpecting(fixtureText(SAMPLES.fednowCancellationRequest), 'camt.056');
    const usaba = (memberId: string) => ({ agent: {
      clearingSystem: { code: 'USABA' },
      memberId,
    } });
    assert.deepEqual(document.assignment, {
      identification: '20230604011104238Sc01RTStep2MsgId',
      assigner: usaba('011104238'),
      assignee: usaba('021040078'),
      creationDateTime: '2023-06-04T13:55:26-04:00',
    });
    assert.deepEqual(
      document.case,
      { identification: '20230604011104238Sc01Step1MsgIdDUP', creator: usaba('011104238') },
    );
    assert.deepEqual(document.groupCancellations, []);
    assert.deepEqual(document.transactions, [
      {
        index: 0,
        originalGroup: {
          messageId: '20230604011104238Sc01RTStep1MsgId',
          messageNameId: 'pacs.008.001.08',
          creationDateTime: '2023-06-04T10:55:26-04:00',
        },
        originalInstructionId: 'Scenario01InstrId001',
        originalEndToEndId: 'Scenario01EtoEId001',
        originalUetr: '8a562c67-ca16-48ba-b074-65581be6f011',
        originalInterbankSettlementAmount: { currency: 'USD', value: 5_174n },
        originalInterbankSettlementDate: '2023-06-04',
        cancellationReasons: [
          {
            originator: {
              name: 'Individual A',
              contactDetails: { mobileNumber: '+1-6465315555', preferredMethod: 'CELL' },
            },
            reason: { code: 'DUPL' },
            additionalInformation: ['Already Paid. Ref 20230603011104238MsgIdFirstPayment'],
          },
        ],
      },
    ]);
  });

  test('rejects only the request whose original amount is in an unknown currency', () => {
    const xml = fixtureText(SAMPLES.fednowCancellationRequest).replace('Ccy="USD"', 'Ccy="XAU"');
    const { document } = parseExpecting(xml, 'camt.056');
    assert.equal(document.transactions.length, 0);
    assert.equal(document.invalidTransactions[0]?.references.endToEndId, 'Scenario01EtoEId001');
    assert.equal(document.invalidTransactions[0]?.issues[0]?.code, 'currency_unknown');
  });
});
