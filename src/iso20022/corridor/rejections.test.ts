// Proves each ISO 20022 reject reason end to end over HTTP: what a pacs.008 gets when its
// format, currency, amount, agents, quote, funds or ids are wrong, that refusals change nothing,
// that one bad transaction is rejected alone, and the two-phase cancellation flow (camt.056).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PartyScreener } from '../../service/service.js';
import { snapshot } from '../../testing/api-helpers.js';
import { closeSchemaValidator } from '../schema-validation.js';
import { fixtureText, SAMPLES } from '../_test-fixtures.js';
import {
  assertValid,
  creditTransfer,
  feedMessages,
  groupStatus,
  parsed,
  rejectReason,
  startIsoServer,
  statuses,
  transaction,
  unique,
  type IsoServer,
} from './_test-support.js';

const screener: PartyScreener = {
  screenParties: ({ debtor, creditor }) => {
    const hit = [debtor, creditor].some((name) => name.includes('Sanctioned'));
    return {
      hit,
      listVersion: 'test-1',
      matches: hit
        ? [
            {
              party: 'creditor',
              source: 'test',
              listId: 'T-1',
              matchedName: 'SANCTIONED',
              score: 1,
            },
          ]
        : [],
    };
  },
};

/** FedNow's camt.056 sample, from br-bank, for the payment with this end-to-end id. */
function cancellationRequest(endToEndId: string): string {
  return fixtureText(SAMPLES.fednowCancellationRequest)
    .replaceAll('011104238', 'br-bank')
    .replaceAll('021040078', 'operator')
    .replace('<OrgnlUETR>8a562c67-ca16-48ba-b074-65581be6f011</OrgnlUETR>', '')
    .replaceAll('Scenario01EtoEId001', endToEndId)
    .replaceAll('Ccy="USD"', 'Ccy="BRL"');
}

describe('ISO 20022 gateway: every reject reason over HTTP', () => {
  let server: IsoServer;
  before(async () => {
    server = await startIsoServer({ screener });
  });
  after(async () => {
    await server.close();
    await closeSchemaValidator();
  });

  /** Sends a message, checks the answer passes its XSD, and returns its statuses. */
  async function send(xml: string, as = 'br-bank') {
    const answer = await server.post(as, xml);
    assert.match(answer.contentType, /^application\/xml/, answer.text);
    await assertValid(answer.text);
    return answer;
  }

  async function unchangedBy(xml: string, as = 'br-bank') {
    const before = snapshot(server.network);
    const answer = await send(xml, as);
    assert.equal(snapshot(server.network), before, 'a refusal must change nothing');
    return answer;
  }

  const reasons = (xml: string) => statuses(xml).map((status) => [status.status, status.reason]);

  it('FF01: a message its XSD refuses is rejected whole (group RJCT) and changes nothing', async () => {
    const xml = creditTransfer([transaction()]).replace(
      '<ChrgBr>SLEV</ChrgBr>',
      '<ChrgBr>NONE</ChrgBr>',
    );
    const answer = await unchangedBy(xml);
    assert.equal(answer.status, 200);
    assert.deepEqual(groupStatus(answer.text), { status: 'RJCT', reason: 'FF01' });
  });

  it('AM03: a currency the network does not settle', async () => {
    const answer = await unchangedBy(
      creditTransfer([transaction({ amount: { currency: 'USD', value: 100n } })]),
    );
    assert.deepEqual(reasons(answer.text), [['RJCT', 'AM03']]);
  });

  it('AM12: an amount with more decimals than its currency has', async () => {
    const xml = creditTransfer([transaction()]).replace(
      '>10.00</IntrBkSttlmAmt>',
      '>10.001</IntrBkSttlmAmt>',
    );
    const answer = await unchangedBy(xml);
    assert.deepEqual(reasons(answer.text), [['RJCT', 'AM12']]);
  });

  it('AC01: a domestic payment in a currency the debtor agent holds no account in', async () => {
    const xml = creditTransfer([
      transaction({ to: 'in-bank', amount: { currency: 'INR', value: 10_000n } }),
    ]);
    assert.deepEqual(reasons((await unchangedBy(xml)).text), [['RJCT', 'AC01']]);
  });

  it('RC01: a creditor agent that is no participant, by BIC or by member id', async () => {
    const xml = creditTransfer([
      transaction({ to: { bic: 'UNKNBRSP' } }),
      transaction({ to: 'nobody' }),
    ]);
    assert.deepEqual(reasons((await unchangedBy(xml)).text), [
      ['RJCT', 'RC01'],
      ['RJCT', 'RC01'],
    ]);
  });

  it("RR04: a sanctioned party holds the payment (BLCK); the reviewer's rejection reaches the feed", async () => {
    const answer = await send(
      creditTransfer([transaction({ creditorName: 'Sanctioned Trading Co' })]),
    );
    const [status] = statuses(answer.text);
    assert.deepEqual([status?.status, status?.reason], ['BLCK', 'RR04']);
    const held = parsed((await send(cancellationRequest(status?.endToEndId ?? ''))).text);
    assert.deepEqual(held.kind === 'camt.029' ? held.document.status : undefined, {
      confirmation: 'PDCR',
    });
    const open = await server.get('br-other', '/v1/iso20022/cancellation-requests');
    assert.equal(feedMessages(open.text).length, 0, 'the reviewer decides, not the creditor agent');
    const cursor = server.network.lastEventSequence;
    const review = await server.call('bcb', 'POST', `/v1/payments/${status?.reference}/review`, {
      decision: 'reject',
    });
    assert.equal(review.status, 200, JSON.stringify(review.body));
    const feed = await server.get('br-bank', `/v1/iso20022/events?cursor=${cursor}`);
    const [message] = feedMessages(feed.text);
    await assertValid(message ?? '');
    assert.deepEqual(reasons(message ?? ''), [['RJCT', 'RR04']]);
  });

  it('AM04: more than the debtor agent holds is rejected, and the rejection recorded', async () => {
    const xml = creditTransfer([
      transaction({
        from: 'in-bank',
        to: 'fx-one',
        amount: { currency: 'INR', value: 2_000_000_000n },
      }),
    ]);
    const answer = await send(xml, 'in-bank');
    const [status] = statuses(answer.text);
    assert.deepEqual([status?.status, status?.reason], ['RJCT', 'AM04']);
    assert.equal((await server.network.reads.payment(status?.reference ?? ''))?.status, 'RJCT');
  });

  it('AB03: an unknown quote, and an expired one', async () => {
    const unknown = creditTransfer([
      transaction({
        to: 'in-bank',
        amount: { currency: 'INR', value: 1_000n },
        quoteId: 'qt_unknown',
      }),
    ]);
    assert.deepEqual(reasons((await unchangedBy(unknown)).text), [['RJCT', 'AB03']]);
    const quote = (
      await server.network.quote('br-bank', {
        source: 'BRL',
        target: 'INR',
        fixed: 'send',
        amount: 10_000n,
      })
    ).quote;
    server.advance(61_000);
    const expired = creditTransfer([
      transaction({
        to: 'in-bank',
        amount: { currency: 'INR', value: quote?.creditAmount ?? 0n },
        quoteId: quote?.id ?? '',
      }),
    ]);
    assert.deepEqual(reasons((await unchangedBy(expired)).text), [['RJCT', 'AB03']]);
  });

  it("AM09: settlement amount, instructed amount or rate other than the quote's; DUPL: the quote twice", async () => {
    const quote = (
      await server.network.quote('br-bank', {
        source: 'BRL',
        target: 'INR',
        fixed: 'send',
        amount: 20_000n,
      })
    ).quote;
    assert.ok(quote !== undefined, 'quote');
    const terms = {
      to: 'in-bank',
      quoteId: quote.id,
      amount: { currency: 'INR', value: quote.creditAmount },
      instructedAmount: { currency: 'BRL', value: quote.sendAmount },
      exchangeRate: quote.rate,
    };
    const xml = creditTransfer([
      transaction({ ...terms, amount: { currency: 'INR', value: quote.creditAmount + 1n } }),
      transaction({
        ...terms,
        instructedAmount: { currency: 'BRL', value: quote.sendAmount - 1n },
      }),
      transaction({ ...terms, exchangeRate: '99.5' }),
      transaction(terms),
      transaction(terms),
    ]);
    assert.deepEqual(reasons((await send(xml)).text), [
      ['RJCT', 'AM09'],
      ['RJCT', 'AM09'],
      ['RJCT', 'AM09'],
      ['ACCC', undefined],
      ['RJCT', 'DUPL'],
    ]);
  });

  it('DUPL: a message id used twice by its sender is rejected whole; another sender may use it', async () => {
    const messageId = unique('MSG');
    assert.deepEqual(reasons((await send(creditTransfer([transaction()], { messageId }))).text), [
      ['ACCC', undefined],
    ]);
    const again = await unchangedBy(creditTransfer([transaction()], { messageId }));
    assert.deepEqual(groupStatus(again.text), { status: 'RJCT', reason: 'DUPL' });
    const other = await send(
      creditTransfer([transaction({ from: 'br-other', to: 'br-bank' })], { messageId }),
      'br-other',
    );
    assert.deepEqual(reasons(other.text), [['ACCC', undefined]]);
  });

  it('DUPL: an end-to-end id used twice by its debtor agent, in one message or in two', async () => {
    const endToEndId = unique('E2E');
    const first = await send(
      creditTransfer([transaction({ endToEndId }), transaction({ endToEndId })]),
    );
    assert.deepEqual(reasons(first.text), [
      ['ACCC', undefined],
      ['RJCT', 'DUPL'],
    ]);
    const second = await unchangedBy(creditTransfer([transaction({ endToEndId })]));
    assert.deepEqual(reasons(second.text), [['RJCT', 'DUPL']]);
  });

  it('AC06: a payment to a suspended creditor agent is rejected and recorded', async () => {
    assert.equal(
      (await server.network.setParticipantStatus('operator', 'cn-bank', 'suspended')).code,
      'ok',
    );
    const xml = creditTransfer([
      transaction({ to: 'cn-bank', from: 'fx-two', amount: { currency: 'CNY', value: 100n } }),
    ]);
    assert.deepEqual(reasons((await send(xml, 'fx-two')).text), [['RJCT', 'AC06']]);
    await server.network.setParticipantStatus('operator', 'cn-bank', 'active');
  });

  it('AG01 and RR02: a debtor agent other than the sender; a debtor without a name', async () => {
    const xml = creditTransfer([
      transaction({ from: 'br-other' }),
      transaction({ debtorName: null }),
    ]);
    assert.deepEqual(reasons((await unchangedBy(xml)).text), [
      ['RJCT', 'AG01'],
      ['RJCT', 'RR02'],
    ]);
  });

  it('403 admi.002: a message whose instructing agent is another participant changes nothing', async () => {
    const answer = await unchangedBy(
      creditTransfer([transaction()], { instructingAgent: 'br-other' }),
    );
    assert.equal(answer.status, 403);
    assert.equal(rejectReason(answer.text), 'SENDER_NOT_AUTHENTICATED');
  });

  it('one bad transaction among good ones is rejected alone; the good ones settle', async () => {
    const balance = () => server.network.balance('br-other', 'BRL')?.posted ?? 0n;
    const before = balance();
    const xml = creditTransfer([
      transaction({ amount: { currency: 'BRL', value: 1_500n } }),
      transaction({ amount: { currency: 'USD', value: 1_500n } }),
      transaction({ amount: { currency: 'BRL', value: 2_222n } }),
      transaction({ amount: { currency: 'BRL', value: 2_500n } }),
    ]).replace('>22.22</IntrBkSttlmAmt>', '>22.222</IntrBkSttlmAmt>');
    const answer = await send(xml);
    assert.deepEqual(reasons(answer.text), [
      ['ACCC', undefined],
      ['RJCT', 'AM03'],
      ['RJCT', 'AM12'],
      ['ACCC', undefined],
    ]);
    assert.equal(balance() - before, 4_000n);
  });

  it('pacs.008.001.10 and .13 are answered in pacs.002.001.12 and .15, of the same ISO release', async () => {
    for (const [version, answerVersion] of [
      [10, '12'],
      [13, '15'],
    ] as const) {
      const answer = await send(creditTransfer([transaction()], { version }));
      assert.equal(parsed(answer.text).definition.identifier, `pacs.002.001.${answerVersion}`);
      assert.deepEqual(reasons(answer.text), [['ACCC', undefined]]);
    }
  });

  it('two-phase: camt.056 gets PDCR, reaches the creditor agent, who rejects (FOCR): feed has camt.029 CNCL', async () => {
    const endToEndId = unique('E2E');
    const sent = await send(creditTransfer([transaction({ endToEndId, twoPhase: true })]));
    const [status] = statuses(sent.text);
    assert.equal(status?.status, 'ACSP');
    const answer = await send(cancellationRequest(endToEndId));
    const resolution = parsed(answer.text);
    assert.equal(resolution.kind, 'camt.029');
    if (resolution.kind !== 'camt.029') return;
    assert.deepEqual(resolution.document.status, { confirmation: 'PDCR' });
    assert.equal(
      resolution.document.cancellationDetails[0]?.transactions[0]?.transactionCancellationStatus,
      'PDCR',
    );
    const open = await server.get('br-other', '/v1/iso20022/cancellation-requests');
    const [forwarded] = feedMessages(open.text);
    await assertValid(forwarded ?? '');
    assert.equal(parsed(forwarded ?? '').kind, 'camt.056');
    assert.equal(
      feedMessages((await server.get('in-bank', '/v1/iso20022/cancellation-requests')).text).length,
      0,
    );
    const cursor = server.network.lastEventSequence;
    const rejected = await server.call(
      'br-other',
      'POST',
      `/v1/payments/${status?.reference}/reject`,
      { reason: 'FOCR' },
    );
    assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
    const feed = feedMessages(
      (await server.get('br-bank', `/v1/iso20022/events?cursor=${cursor}`)).text,
    );
    assert.deepEqual(
      feed.map((message) => parsed(message).kind),
      ['pacs.002', 'camt.029'],
    );
    for (const message of feed) await assertValid(message);
    assert.deepEqual(reasons(feed[0] ?? ''), [['RJCT', 'FOCR']]);
    assert.equal(
      feedMessages((await server.get('br-other', '/v1/iso20022/cancellation-requests')).text)
        .length,
      0,
    );
  });
});
