// Proves the payment network end to end through the library API: quotes with fees shown up
// front, PvP settlement (instant and two-phase), every status and reason code, and returns.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openTestNetwork, paymentInput, type TestNetwork } from '../../testing/network-fixtures.js';
import type { NetworkResult } from '../commands.js';
import type { Payment } from './model.js';

function paymentOf(result: NetworkResult): Payment {
  assert.equal(result.code, 'ok', JSON.stringify(result, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}` : v)));
  assert.ok(result.payment !== undefined);
  return result.payment;
}

async function quoteBrlToInr(test: TestNetwork, amount = 100_000n, fixed: 'send' | 'receive' = 'send') {
  const result = await test.network.quote('br-bank', { source: 'BRL', target: 'INR', fixed, amount });
  assert.equal(result.code, 'ok');
  assert.ok(result.quote !== undefined);
  return result.quote;
}

describe('quotes', () => {
  it('quote() picks the best offer across providers and shows every fee and both amounts', async () => {
    const test = await openTestNetwork();
    const quote = await quoteBrlToInr(test);
    // fx-one: 15.5 less 50 bps = 15.4225; fx-two: 15.6 less 100 bps = 15.444 but a 1.00 BRL fee.
    assert.equal(quote.providerId, 'fx-two');
    assert.equal(quote.rate, '15.444');
    assert.equal(quote.creditAmount, 1_544_400n);
    assert.deepEqual(quote.fees.map((fee) => [fee.kind, fee.amount]), [['scheme', 50n], ['fx_provider', 100n]]);
    assert.equal(quote.debitAmount, 100_150n);
    assert.equal(quote.expiresAt - quote.createdAt, 60_000);
    await test.network.close();
  });

  it('quote() fixed on the amount received rounds the amount sent up, for the provider', async () => {
    const test = await openTestNetwork();
    const quote = await quoteBrlToInr(test, 1_000_000n, 'receive');
    // fx-one (15.4225, no provider fee) now costs least: 10,000.00 INR needs 648.406… BRL,
    // so 648.41 is charged, never 648.40.
    assert.equal(quote.providerId, 'fx-one');
    assert.equal(quote.creditAmount, 1_000_000n);
    assert.equal(quote.sendAmount, 64_841n);
    assert.ok(quote.sendAmount * 154_225n >= quote.creditAmount * 10_000n);
    assert.ok((quote.sendAmount - 1n) * 154_225n < quote.creditAmount * 10_000n);
    await test.network.close();
  });

  it('quote() answers no_offer when no provider quotes the pair directly', async () => {
    const test = await openTestNetwork();
    const result = await test.network.quote('cn-bank', { source: 'CNY', target: 'INR', fixed: 'send', amount: 100n });
    assert.equal(result.code, 'no_offer');
    await test.network.close();
  });

  it('quote() refuses a currency outside the network and a non-bank asker', async () => {
    const test = await openTestNetwork();
    const usd = await test.network.quote('br-bank', { source: 'BRL', target: 'USD', fixed: 'send', amount: 100n });
    assert.equal(usd.code, 'currency_not_in_network');
    assert.equal(usd.isoReason, 'AM03');
    const central = await test.network.quote('bcb', { source: 'BRL', target: 'INR', fixed: 'send', amount: 100n });
    assert.equal(central.code, 'not_authorized');
    await test.network.close();
  });
});

describe('cross-border payments', () => {
  it('pay() settles instantly as one PvP group: debtor → provider, provider → creditor, fees', async () => {
    const test = await openTestNetwork();
    const quote = await quoteBrlToInr(test);
    const before = { debtor: test.network.balance('br-bank', 'BRL')?.posted ?? 0n,
      creditor: test.network.balance('in-bank', 'INR')?.posted ?? 0n };
    const payment = paymentOf(await test.network.pay('br-bank', paymentInput({ creditorAgent: 'in-bank', quoteId: quote.id })));
    assert.equal(payment.status, 'ACCC');
    assert.deepEqual(payment.events.map((event) => event.status), ['ACTC', 'ACSC', 'ACCC']);
    assert.equal(payment.legs.length, 4);
    assert.equal(test.network.balance('br-bank', 'BRL')?.posted, before.debtor - quote.debitAmount);
    assert.equal(test.network.balance('in-bank', 'INR')?.posted, before.creditor + quote.creditAmount);
    assert.equal(test.network.balance('operator', 'BRL'), undefined);
    test.network.engine.checkAllInvariants();
    await test.network.close();
  });

  it('pay() refuses a quote used twice (DUPL) and an expired quote (AB03), changing nothing', async () => {
    const test = await openTestNetwork();
    const quote = await quoteBrlToInr(test);
    paymentOf(await test.network.pay('br-bank', paymentInput({ creditorAgent: 'in-bank', quoteId: quote.id })));
    const reuse = await test.network.pay('br-bank', paymentInput({ creditorAgent: 'in-bank', quoteId: quote.id }));
    assert.equal(reuse.code, 'quote_already_used');
    assert.equal(reuse.isoReason, 'DUPL');
    const late = await quoteBrlToInr(test);
    test.advance(60_001);
    const balance = test.network.balance('br-bank', 'BRL');
    const expired = await test.network.pay('br-bank', paymentInput({ creditorAgent: 'in-bank', quoteId: late.id }));
    assert.equal(expired.code, 'quote_expired');
    assert.equal(expired.isoReason, 'AB03');
    assert.deepEqual(test.network.balance('br-bank', 'BRL'), balance);
    await test.network.close();
  });

  it('pay() refuses another bank\'s quote as not found', async () => {
    const test = await openTestNetwork();
    const quote = await quoteBrlToInr(test);
    const result = await test.network.pay('br-other', paymentInput({ creditorAgent: 'in-bank', quoteId: quote.id }));
    assert.equal(result.code, 'quote_not_found');
    await test.network.close();
  });

  it('pay() rejects with AM04 when the debtor agent lacks funds, and nothing posts', async () => {
    const test = await openTestNetwork();
    paymentOf(await test.network.pay('br-bank', paymentInput({ creditorAgent: 'br-other', currency: 'BRL', amount: 50_000_000n })));
    const quote = await test.network.quote('br-bank', { source: 'BRL', target: 'INR', fixed: 'send', amount: 60_000_000n });
    assert.equal(quote.code, 'ok');
    const payment = paymentOf(await test.network.pay('br-bank', paymentInput({ creditorAgent: 'in-bank', quoteId: quote.quote?.id ?? '' })));
    assert.equal(payment.status, 'RJCT');
    assert.equal(payment.reason, 'AM04');
    assert.equal(test.network.balance('br-bank', 'BRL')?.posted, 49_999_950n);
    assert.equal((await test.network.reads.quote(quote.quote?.id ?? ''))?.usedBy, undefined);
    await test.network.close();
  });

  it('pay() rejects with AC06 while either agent is suspended, and works again once reactivated', async () => {
    const test = await openTestNetwork();
    assert.equal((await test.network.setParticipantStatus('operator', 'in-bank', 'suspended')).code, 'ok');
    const quote = await quoteBrlToInr(test);
    const blocked = paymentOf(await test.network.pay('br-bank', paymentInput({ creditorAgent: 'in-bank', quoteId: quote.id })));
    assert.deepEqual([blocked.status, blocked.reason], ['RJCT', 'AC06']);
    assert.equal((await test.network.setParticipantStatus('br-bank', 'in-bank', 'active')).code, 'not_authorized');
    assert.equal((await test.network.setParticipantStatus('operator', 'in-bank', 'active')).code, 'ok');
    const again = await quoteBrlToInr(test);
    assert.equal(paymentOf(await test.network.pay('br-bank', paymentInput({ creditorAgent: 'in-bank', quoteId: again.id }))).status, 'ACCC');
    await test.network.close();
  });

  it('pay() refuses an unknown creditor agent (RC01) and a duplicate end-to-end id (DUPL)', async () => {
    const test = await openTestNetwork();
    const unknown = await test.network.pay('br-bank', paymentInput({ creditorAgent: 'nobody', currency: 'BRL', amount: 100n }));
    assert.deepEqual([unknown.code, unknown.isoReason], ['participant_not_found', 'RC01']);
    const first = paymentInput({ creditorAgent: 'br-other', currency: 'BRL', amount: 100n });
    paymentOf(await test.network.pay('br-bank', first));
    const duplicate = await test.network.pay('br-bank', { ...first, amount: 200n });
    assert.deepEqual([duplicate.code, duplicate.isoReason], ['duplicate_end_to_end_id', 'DUPL']);
    await test.network.close();
  });

  it('pay() with the same id and fields replays the first result; other fields are refused', async () => {
    const test = await openTestNetwork();
    const input = paymentInput({ id: 'pay-1', uetr: '5f1e2d3c-4b5a-4697-8877-665544332211', creditorAgent: 'br-other', currency: 'BRL', amount: 100n });
    const first = paymentOf(await test.network.pay('br-bank', input));
    const again = await test.network.pay('br-bank', input);
    assert.equal(again.replayed, true);
    assert.equal(again.payment?.id, first.id);
    const changed = await test.network.pay('br-bank', { ...input, amount: 101n });
    assert.equal(changed.code, 'exists_with_different_fields');
    await test.network.close();
  });

  it('pay() rejects above the currency maximum (AM02) and beyond the daily outflow cap (AM14)', async () => {
    const test = await openTestNetwork();
    const big = paymentOf(await test.network.pay('br-bank', paymentInput({ creditorAgent: 'br-other', currency: 'BRL', amount: 100_000_001n })));
    assert.deepEqual([big.status, big.reason], ['RJCT', 'AM02']);
    for (let index = 0; index < 4; index++) {
      await test.network.issue('bcb', { participantId: 'br-bank', currency: 'BRL', amount: 100_000_000n });
      paymentOf(await test.network.pay('br-bank', paymentInput({ creditorAgent: 'br-other', currency: 'BRL', amount: 100_000_000n })));
    }
    const capped = paymentOf(await test.network.pay('br-bank', paymentInput({ creditorAgent: 'br-other', currency: 'BRL', amount: 100_000_000n })));
    assert.deepEqual([capped.status, capped.reason], ['RJCT', 'AM14']);
    test.advance(24 * 60 * 60 * 1000);
    await test.network.issue('bcb', { participantId: 'br-bank', currency: 'BRL', amount: 100_000_000n });
    const nextDay = paymentOf(await test.network.pay('br-bank', paymentInput({ creditorAgent: 'br-other', currency: 'BRL', amount: 100_000_000n })));
    assert.equal(nextDay.status, 'ACCC');
    await test.network.close();
  });
});

describe('two-phase payments', () => {
  async function reserved(test: TestNetwork): Promise<Payment> {
    const quote = await quoteBrlToInr(test);
    const payment = paymentOf(await test.network.pay('br-bank', paymentInput({ creditorAgent: 'in-bank', quoteId: quote.id, mode: 'two_phase' })));
    assert.equal(payment.status, 'ACSP');
    assert.equal(test.network.balance('br-bank', 'BRL')?.pendingDebits, quote.debitAmount);
    return payment;
  }

  it('accept() by the creditor agent posts every reserved leg: ACCC', async () => {
    const test = await openTestNetwork();
    const payment = await reserved(test);
    assert.equal((await test.network.accept('br-bank', payment.id)).code, 'payment_not_found');
    const accepted = paymentOf(await test.network.accept('in-bank', payment.id));
    assert.deepEqual(accepted.events.map((event) => event.status), ['ACTC', 'ACSP', 'ACSC', 'ACCC']);
    assert.equal(test.network.balance('br-bank', 'BRL')?.pendingDebits, 0n);
    assert.equal(test.network.balance('in-bank', 'INR')?.posted, 1_000_000_000n + payment.creditAmount);
    await test.network.close();
  });

  it('reject() by the creditor agent voids every leg with its reason', async () => {
    const test = await openTestNetwork();
    const payment = await reserved(test);
    const rejected = paymentOf(await test.network.reject('in-bank', payment.id, 'AC01', 'creditor_account_unknown'));
    assert.deepEqual([rejected.status, rejected.reason], ['RJCT', 'AC01']);
    assert.equal(test.network.balance('br-bank', 'BRL')?.posted, 100_000_000n);
    assert.equal(test.network.balance('br-bank', 'BRL')?.pendingDebits, 0n);
    assert.equal((await test.network.accept('in-bank', payment.id)).code, 'payment_not_pending');
    await test.network.close();
  });

  it('a two-phase payment nobody accepts is voided at its deadline: RJCT AB05', async () => {
    const test = await openTestNetwork();
    const payment = await reserved(test);
    test.advance(30_000);
    await test.network.quote('br-bank', { source: 'BRL', target: 'INR', fixed: 'send', amount: 1n });
    const expired = (await test.network.reads.payment(payment.id));
    assert.deepEqual([expired?.status, expired?.reason], ['RJCT', 'AB05']);
    assert.equal(test.network.balance('br-bank', 'BRL')?.pendingDebits, 0n);
    assert.equal(test.network.balance('br-bank', 'BRL')?.posted, 100_000_000n);
    await test.network.close();
  });
});

describe('sanctions holds', () => {
  const screener = {
    screenParties(parties: { debtor: string; creditor: string }) {
      const hit = parties.creditor.includes('Listed');
      return { hit, matches: hit ? [{ party: 'creditor' as const, source: 'un', listId: 'QDi.001', matchedName: 'LISTED PERSON', score: 0.97 }] : [] };
    },
  };

  it('a screening hit holds the payment (BLCK, RR04) with funds reserved; release settles it', async () => {
    const test = await openTestNetwork({ screener });
    const quote = await quoteBrlToInr(test);
    const held = paymentOf(await test.network.pay('br-bank', paymentInput({ creditorAgent: 'in-bank', quoteId: quote.id,
      creditor: { name: 'Listed Person Trading' } })));
    assert.deepEqual([held.status, held.reason], ['BLCK', 'RR04']);
    assert.equal(held.screening?.matches[0]?.listId, 'QDi.001');
    assert.equal((await test.network.accept('in-bank', held.id)).code, 'payment_under_review');
    assert.equal((await test.network.review('br-bank', held.id, 'release')).code, 'payment_not_found');
    const released = paymentOf(await test.network.review('rbi', held.id, 'release'));
    assert.equal(released.status, 'ACCC');
    await test.network.close();
  });

  it('a reviewer rejecting a held payment voids it: RJCT RR04', async () => {
    const test = await openTestNetwork({ screener });
    const held = paymentOf(await test.network.pay('br-bank', paymentInput({ creditorAgent: 'br-other', currency: 'BRL', amount: 1_000n,
      creditor: { name: 'Listed Person Trading' } })));
    const rejected = paymentOf(await test.network.review('operator', held.id, 'reject'));
    assert.deepEqual([rejected.status, rejected.reason, rejected.detail], ['RJCT', 'RR04', 'rejected_by_reviewer']);
    assert.equal(test.network.balance('br-bank', 'BRL')?.pendingDebits, 0n);
    assert.equal((await test.network.review('operator', held.id, 'release')).code, 'payment_not_under_review');
    await test.network.close();
  });
});

describe('returns', () => {
  it('returnPayment() sends part of a settled payment back at the original rate, then refuses too much', async () => {
    const test = await openTestNetwork();
    const quote = await test.network.quote('br-bank', { source: 'BRL', target: 'INR', fixed: 'send', amount: 100_000n });
    const original = paymentOf(await test.network.pay('br-bank', paymentInput({ creditorAgent: 'in-bank', quoteId: quote.quote?.id ?? '' })));
    const debtorBefore = test.network.balance('br-bank', 'BRL')?.posted ?? 0n;
    const partial = paymentOf(await test.network.returnPayment('in-bank', { originalPaymentId: original.id, amount: 500_000n, reason: 'AC04' }));
    assert.equal(partial.kind, 'return');
    assert.equal(partial.returnOf, original.id);
    assert.equal(partial.status, 'ACCC');
    // 5,000.00 INR back at 15.444 INR per BRL is 323.7503… BRL: 323.75, rounded down for the
    // provider.
    assert.equal(partial.creditAmount, 32_375n);
    assert.equal(test.network.balance('br-bank', 'BRL')?.posted, debtorBefore + 32_375n);
    assert.equal((await test.network.reads.payment(original.id))?.returnedAmount, 500_000n);
    const tooMuch = await test.network.returnPayment('in-bank', { originalPaymentId: original.id, amount: original.creditAmount, reason: 'AC04' });
    assert.deepEqual([tooMuch.code, tooMuch.isoReason], ['return_amount_exceeds_remaining', 'AM09']);
    const notYours = await test.network.returnPayment('br-other', { originalPaymentId: original.id, amount: 1n, reason: 'AC04' });
    assert.equal(notYours.code, 'payment_not_found');
    await test.network.close();
  });
});

describe('issuance, credit and supply', () => {
  it('issue() and redeem() are the issuing central bank\'s alone; supply equals the balances', async () => {
    const test = await openTestNetwork();
    const before = test.network.supply('BRL') ?? 0n;
    assert.equal((await test.network.issue('rbi', { participantId: 'br-bank', currency: 'BRL', amount: 1n })).code, 'not_authorized');
    assert.equal((await test.network.issue('br-bank', { participantId: 'br-bank', currency: 'BRL', amount: 1n })).code, 'not_authorized');
    assert.equal((await test.network.issue('bcb', { participantId: 'br-bank', currency: 'BRL', amount: 500n })).code, 'ok');
    assert.equal((await test.network.redeem('bcb', { participantId: 'br-bank', currency: 'BRL', amount: 200n })).code, 'ok');
    assert.equal(test.network.supply('BRL'), before + 300n);
    const tooMuch = await test.network.redeem('bcb', { participantId: 'br-bank', currency: 'BRL', amount: 10n ** 15n });
    assert.equal(tooMuch.code, 'insufficient_funds');
    test.network.engine.checkAllInvariants();
    await test.network.close();
  });

  it('grantCredit() lets a bank pay beyond its balance up to the limit, and only the issuer grants it', async () => {
    const test = await openTestNetwork();
    assert.equal((await test.network.grantCredit('rbi', 'br-bank', 'BRL', 1_000n)).code, 'not_authorized');
    assert.equal((await test.network.grantCredit('bcb', 'br-bank', 'BRL', 50_000_000n)).code, 'ok');
    const spend = (amount: bigint) => test.network.pay('br-bank', paymentInput({ creditorAgent: 'br-other', currency: 'BRL', amount }));
    assert.equal(paymentOf(await spend(99_000_000n)).status, 'ACCC');
    assert.equal(paymentOf(await spend(50_000_000n)).status, 'ACCC');
    assert.ok((test.network.balance('br-bank', 'BRL')?.posted ?? 0n) < 0n);
    assert.equal(paymentOf(await spend(1_000_000n)).reason, 'AM04');
    assert.equal((await test.network.grantCredit('bcb', 'br-bank', 'BRL', 0n)).code, 'credit_limit_below_usage');
    await test.network.close();
  });
});
