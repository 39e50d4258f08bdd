// Proves that the genuine FedNow and Fedwire samples, adapted to the test network's participants
// and currencies, go through POST /v1/iso20022/messages end to end: each becomes the payment,
// return or cancellation it describes, with its fields carried, and every answer passes its XSD.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { formatAmount } from '../../money/amount.js';
import { fixtureText, SAMPLES } from '../_test-fixtures.js';
import { assertValid, isoServerPerSuite, parsed, rejectReason, statuses } from './_test-support.js';

const FEDNOW_UETR = '8a562c67-ca16-48ba-b074-65581be6f011';

/** A sample with its identifiers replaced (members, currency, UETR…), declaration dropped. */
function adapt(name: string, replacements: readonly (readonly [string, string])[]): string {
  let xml = fixtureText(name).replace(/^<\?xml[^>]*\?>\s*/, '');
  for (const [from, to] of replacements) xml = xml.replaceAll(from, to);
  return xml;
}

/** FedNow's bank A and bank B as br-bank and br-other, in BRL. */
function fedNow(name: string, uetr: string, extra: readonly (readonly [string, string])[] = []) {
  return adapt(name, [
    ['011104238', 'br-bank'],
    ['021040078', 'br-other'],
    ['Ccy="USD"', 'Ccy="BRL"'],
    [FEDNOW_UETR, uetr],
    ...extra,
  ]);
}

function camt029(xml: string) {
  const message = parsed(xml);
  assert.equal(message.kind, 'camt.029');
  if (message.kind !== 'camt.029') throw new Error('not a camt.029');
  const status = message.document.cancellationDetails[0]?.transactions[0];
  const reason = status?.cancellationStatusReasons?.[0]?.reason;
  return {
    confirmation:
      'confirmation' in message.document.status ? message.document.status.confirmation : '',
    status: status?.transactionCancellationStatus,
    reason: reason !== undefined && 'code' in reason ? reason.code : undefined,
  };
}

describe('ISO 20022 gateway: the genuine samples, adapted to the test network', () => {
  const server = isoServerPerSuite();

  async function accepted(as: string, xml: string) {
    const answer = await server.post(as, xml);
    assert.equal(answer.status, 200, answer.text);
    assert.match(answer.contentType, /^application\/xml/);
    await assertValid(answer.text);
    const [status] = statuses(answer.text);
    assert.ok(status !== undefined, answer.text);
    const payment = (await server.network.reads.payment(status.reference ?? ''));
    assert.ok(payment !== undefined, answer.text);
    return { answer, status, payment };
  }

  it('FedNow pacs.008 (purpose): settles, with parties, purpose, ids and charge bearer carried', async () => {
    const uetr = randomUUID();
    const { status, payment } = await accepted('br-bank', fedNow(SAMPLES.fednowPurpose, uetr));
    assert.equal(status.status, 'ACCC');
    assert.equal(status.endToEndId, 'Variation1EtoEId001');
    assert.deepEqual(payment.debtor, {
      name: 'Individual A',
      account: '0031234567',
      country: 'US',
    });
    assert.deepEqual(payment.creditor, {
      name: 'Corporation B',
      account: '56478374687',
      country: 'US',
    });
    assert.equal(payment.purpose, 'ELEC');
    assert.equal(payment.uetr, uetr);
    assert.equal(payment.creditAmount, 5174n);
    assert.equal(payment.targetCurrency, 'BRL');
    assert.equal(payment.mode, 'instant');
    assert.deepEqual(payment.iso, {
      messageId: '20230604br-bankVariation1MsgId',
      messageNameId: 'pacs.008.001.08',
      creationDateTime: '2023-06-04T10:55:26-04:00',
      instructionId: 'Variation101InstrId001',
      chargeBearer: 'SLEV',
    });
  });

  it('FedNow pacs.008 framed with its AppHdr: the pacs.002 comes framed too, relating to it', async () => {
    const header = adapt(SAMPLES.fednowHeader, [
      ['011104238', 'br-bank'],
      ['021150706', 'operator'],
    ]);
    const document = fedNow(SAMPLES.fednowStructuredRemittance, randomUUID());
    const framed =
      '<FedNowIncoming xmlns="urn:corridor:test:fednow"><FedNowIncomingMessage>' +
      `<FedNowCustomerCreditTransfer>${header}${document}</FedNowCustomerCreditTransfer>` +
      '</FedNowIncomingMessage></FedNowIncoming>';
    const { answer, status, payment } = await accepted('br-bank', framed);
    assert.equal(status.status, 'ACCC');
    const reply = parsed(answer.text);
    assert.equal(reply.header?.related?.[0]?.businessMessageId, '20230604br-bankSc01Step1MsgId');
    assert.deepEqual(reply.header?.to, {
      financialInstitution: { clearingSystem: { proprietary: 'CORRIDOR' }, memberId: 'br-bank' },
    });
    // Structured remittance is not carried: Corridor keeps one unstructured text.
    assert.equal(payment.remittanceInformation, undefined);
  });

  it('FedNow pacs.008 (ultimate debtor), sent by the other bank, settles', async () => {
    const { status, payment } = await accepted(
      'br-other',
      fedNow(SAMPLES.fednowUltimateDebtor, randomUUID()),
    );
    assert.equal(status.status, 'ACCC');
    assert.equal(payment.debtorAgent, 'br-other');
    assert.equal(payment.creditorAgent, 'br-bank');
  });

  it('Fedwire cross-currency pacs.008 priced with a Corridor quote settles PvP; charges are kept', async () => {
    const result = await server.network.quote('br-bic', {
      source: 'BRL',
      target: 'INR',
      fixed: 'send',
      amount: 100_000n,
    });
    const quote = result.quote;
    assert.ok(quote !== undefined, result.code);
    const supplementary =
      '<SplmtryData><PlcAndNm>/Document/FIToFICstmrCdtTrf/CdtTrfTxInf</PlcAndNm><Envlp>' +
      `<CorridorQuote xmlns="urn:corridor:iso20022:quote:1"><QuoteIdentifier>${quote.clientId}</QuoteIdentifier>` +
      '</CorridorQuote></Envlp></SplmtryData></CdtTrfTxInf>';
    const xml = adapt(SAMPLES.fedwireCrossCurrency, [
      [
        '<IntrBkSttlmAmt Ccy="USD">1009858.99',
        `<IntrBkSttlmAmt Ccy="INR">${formatAmount(quote.creditAmount, 'INR')}`,
      ],
      [
        '<InstdAmt Ccy="EUR">1000000.00',
        `<InstdAmt Ccy="BRL">${formatAmount(quote.sendAmount, 'BRL')}`,
      ],
      ['<XchgRate>0.9901', `<XchgRate>${quote.rate}`],
      ['Ccy="USD"', 'Ccy="INR"'],
      ['BANZBEBB', 'BANZBRSP'],
      ['BANYBRRJ', 'BANYININ'],
      ['021307481', 'br-bic'],
      ['231981435', 'operator'],
      [FEDNOW_UETR, randomUUID()],
      ['</CdtTrfTxInf>', supplementary],
    ]);
    const { status, payment } = await accepted('br-bic', xml);
    assert.equal(status.status, 'ACCC');
    assert.equal(payment.creditorAgent, 'in-bic');
    assert.equal(payment.quoteId, quote.clientId);
    assert.equal(payment.sourceCurrency, 'BRL');
    assert.equal(payment.creditAmount, quote.creditAmount);
    assert.deepEqual(payment.debtor, {
      name: 'Corporation Z',
      account: 'BE34001216371411',
      country: 'BE',
    });
    assert.equal(payment.iso?.chargeBearer, 'CRED');
    assert.deepEqual(payment.iso?.charges, [
      { amount: 9_000n, currency: 'INR', agent: 'BANZBRSP' },
      { amount: 4_000n, currency: 'INR', agent: 'BANCUS33' },
    ]);
  });

  it('Fedwire pacs.008 with an intermediary: instructing agent by member id, agents by BIC', async () => {
    const xml = adapt(SAMPLES.fedwireIntermediary, [
      ['Ccy="USD">500000.00', 'Ccy="BRL">5000.00'],
      ['021307481', 'br-bic'],
      ['231981435', 'operator'],
      ['BANZBEBB', 'BANZBRSPXXX'],
      ['<BICFI>BANXBRRJ</BICFI>', '<ClrSysMmbId><MmbId>br-other</MmbId></ClrSysMmbId>'],
      ['20250310B1QDRCQR000001', '20250310B1QDRCQR000006'],
      [FEDNOW_UETR, randomUUID()],
    ]);
    const { status, payment } = await accepted('br-bic', xml);
    assert.equal(status.status, 'ACCC');
    assert.equal(payment.debtorAgent, 'br-bic');
    assert.equal(payment.creditorAgent, 'br-other');
    assert.equal(payment.creditAmount, 500_000n);
  });

  it('FedNow pacs.009 between two banks settles, the institutions as parties', async () => {
    const xml = adapt(SAMPLES.fednowInstitutionTransfer, [
      ['021307481', 'br-bank'],
      ['231981435', 'br-other'],
      ['<IntrBkSttlmAmt Ccy="USD">500000', '<IntrBkSttlmAmt Ccy="BRL">5000'],
    ]);
    const { status, payment } = await accepted('br-bank', xml);
    assert.equal(status.status, 'ACCC');
    assert.equal(payment.debtor.name, 'Bank C');
    assert.equal(payment.creditor.name, 'BANK D');
    assert.equal(payment.iso?.messageNameId, 'pacs.009.001.08');
    assert.equal(payment.iso?.transactionId, 'Scenario01FITxId001');
  });

  it('FedNow return scenario: camt.056 on a settled payment is refused (AGNT), pacs.004 returns it, then ARDT', async () => {
    const uetr = randomUUID();
    const original = fedNow(SAMPLES.fednowPurpose, uetr, [
      ['Variation1EtoEId001', 'Scenario01EtoEId001'],
      ['Variation1MsgId', 'Sc01RTStep1MsgId'],
    ]);
    const { payment } = await accepted('br-bank', original);
    const cancellation = fedNow(SAMPLES.fednowCancellationRequest, uetr);
    const refused = await server.post('br-bank', cancellation);
    assert.equal(refused.status, 200, refused.text);
    await assertValid(refused.text);
    assert.deepEqual(camt029(refused.text), {
      confirmation: 'RJCR',
      status: 'RJCR',
      reason: 'AGNT',
    });
    const returned = await server.post('br-other', fedNow(SAMPLES.fednowReturn, uetr));
    assert.equal(returned.status, 200, returned.text);
    await assertValid(returned.text);
    const [status] = statuses(returned.text);
    assert.equal(status?.status, 'ACCC');
    assert.equal(status?.endToEndId, 'Scenario01EtoEId001');
    const refund = (await server.network.reads.payment(status?.reference ?? ''));
    assert.equal(refund?.returnOf, payment.id);
    assert.equal(refund?.returnReason, 'DUPL');
    assert.equal((await server.network.reads.payment(payment.id))?.returnedAmount, 5174n);
    const again = await server.post('br-bank', fedNow(SAMPLES.fednowCancellationRequest, uetr));
    assert.deepEqual(camt029(again.text), { confirmation: 'RJCR', status: 'RJCR', reason: 'ARDT' });
  });

  it('Fedwire pacs.004 returns part of a payment, found by its UETR', async () => {
    const uetr = randomUUID();
    const original = adapt(SAMPLES.fedwireIntermediary, [
      ['Ccy="USD">500000.00', 'Ccy="BRL">5000.00'],
      ['021307481', 'br-bic'],
      ['231981435', 'operator'],
      ['BANZBEBB', 'BANZBRSP'],
      ['<BICFI>BANXBRRJ</BICFI>', '<ClrSysMmbId><MmbId>br-other</MmbId></ClrSysMmbId>'],
      ['Variation6EtoEId001', 'Scenario05EtoEId001'],
      ['20250310B1QDRCQR000001', '20250310B1QDRCQR000450'],
      [FEDNOW_UETR, uetr],
    ]);
    const { payment } = await accepted('br-bic', original);
    const xml = adapt(SAMPLES.fedwireReturn, [
      ['Ccy="USD">2234578.88', 'Ccy="BRL">2234.58'],
      ['231981435', 'br-other'],
      ['021307481', 'br-bic'],
      [FEDNOW_UETR, uetr],
    ]);
    const { status } = await accepted('br-other', xml);
    assert.equal(status.status, 'ACCC');
    assert.equal((await server.network.reads.payment(payment.id))?.returnedAmount, 223_458n);
  });

  it('samples of messages Corridor sends, not takes, get admi.002 UNKNOWN_MESSAGE_TYPE', async () => {
    for (const name of [
      SAMPLES.fednowStatusAccepted,
      SAMPLES.fednowResolution,
      SAMPLES.fednowNotification,
      SAMPLES.postFinanceStatement,
    ]) {
      const answer = await server.post('br-bank', fixtureText(name));
      assert.equal(answer.status, 400, `${name}: ${answer.text}`);
      assert.equal(rejectReason(answer.text), 'UNKNOWN_MESSAGE_TYPE', name);
    }
  });
});
