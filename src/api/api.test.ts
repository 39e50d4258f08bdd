// Proves every endpoint of the HTTP API works as documented, against the real server over HTTP:
// directory and administration, accounts and statements, central-bank operations, rates and
// quotes, payments (create, read, list, batch, two-phase, returns, review), keys, the event
// feed, signed webhooks with dead letters, operations endpoints and the OpenAPI document.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dashboardPlugin } from '../dashboard/plugin.js';
import type { PartyScreener } from '../service/service.js';
import { startTestServer, type TestServer } from '../testing/server-fixtures.js';
import {
  assertError,
  assertStatus,
  crossBorderBody,
  domesticBody,
  e2e,
  eventually,
  pay,
  quote,
  routeList,
  signatureValid,
  RECEIVER_ALLOW,
  startReceiver,
  typed,
  type BalanceView,
  type EventView,
  type Http,
  type KeyView,
  type ParticipantView,
  type PaymentView,
  type QuoteView,
  type StatementTransfer,
} from '../testing/api-helpers.js';

interface Accounts {
  participantId: string;
  accounts: BalanceView[];
}
interface Statement {
  accountId: string;
  balance: BalanceView;
  transfers: StatementTransfer[];
  next: string | null;
}
interface PaymentPage {
  payments: PaymentView[];
  next: string | null;
}
interface Currency {
  code: string;
  issuer: string;
  paymentAmountMax: string;
  dailyOutflowMax: string;
  schemeFee: string;
  supply: string;
}
interface Money {
  amount: string;
  currency: string;
}

/** "1234.56" → 123456n: exact, for comparing balances. */
function cents(amount: string): bigint {
  assert.match(amount, /^-?[0-9]+\.[0-9]{2}$/);
  return BigInt(amount.replace('.', ''));
}

async function serverFor(screener?: PartyScreener): Promise<{ server: TestServer; http: Http }> {
  const server = await startTestServer(screener === undefined ? {} : { screener });
  return { server, http: typed(server) };
}

async function balance(
  http: Http,
  as: string,
  participant: string,
  currency: string,
): Promise<BalanceView> {
  const answer = await http.get<Accounts>(as, `/v1/participants/${participant}/accounts`);
  assertStatus(answer, 200);
  const found = answer.body.accounts.find((account) => account.currency === currency);
  assert.ok(found !== undefined, `${participant} has no ${currency} account`);
  return found;
}

/** Pages through a list endpoint until `next` is null, asserting each page's size bound. */
async function allPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; next: string | null }>,
  limit: number,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await fetchPage(cursor);
    pages += 1;
    assert.ok(page.items.length <= limit);
    items.push(...page.items);
    if (page.next === null) return { items, pages };
    assert.ok(pages < 100, 'paging does not end');
    cursor = page.next;
  }
}

describe('participants, accounts and statements', () => {
  let server: TestServer;
  let http: Http;
  before(async () => ({ server, http } = await serverFor()));
  after(async () => server.close());

  it('GET /v1/participants lists the directory (without the operator) and GET /v1/participants/:id one entry', async () => {
    const list = await http.get<{ participants: ParticipantView[] }>('in-bank', '/v1/participants');
    assertStatus(list, 200);
    assert.deepEqual(list.body.participants.map((p) => p.id).sort(), [
      'bcb',
      'br-bank',
      'br-other',
      'cn-bank',
      'fx-one',
      'fx-two',
      'in-bank',
      'pboc',
      'rbi',
    ]);
    const one = await http.get<ParticipantView>('in-bank', '/v1/participants/br-bank');
    assertStatus(one, 200);
    assert.deepEqual(
      { ...one.body, createdAt: undefined },
      {
        id: 'br-bank',
        name: 'Banco Teste',
        kind: 'bank',
        country: 'BR',
        currencies: ['BRL'],
        status: 'active',
        createdAt: undefined,
      },
    );
    assertError(await http.get('in-bank', '/v1/participants/nobody'), 404, 'not_found', 'id');
  });

  it('POST /v1/participants by the operator adds a participant with its accounts; suspend and reactivate change its status', async () => {
    const spec = {
      id: 'br-new',
      name: 'Banco Novo',
      kind: 'bank',
      country: 'BR',
      bic: 'BNOVBRSP',
      currencies: ['BRL'],
    };
    const added = await http.post<ParticipantView>('operator', '/v1/participants', spec);
    assertStatus(added, 201);
    assert.equal(added.body.status, 'active');
    assert.equal(added.body.bic, 'BNOVBRSP');
    assert.equal((await balance(http, 'operator', 'br-new', 'BRL')).posted, '0.00');
    assertError(
      await http.post('operator', '/v1/participants', { ...spec, name: 'Other' }),
      409,
      'participant_exists',
      'id',
    );
    const suspended = await http.post<ParticipantView>(
      'operator',
      '/v1/participants/br-other/suspend',
    );
    assertStatus(suspended, 200);
    assert.equal(suspended.body.status, 'suspended');
    assertError(
      await http.post('br-other', '/v1/payments', domesticBody({ creditorAgent: 'br-bank' })),
      403,
      'actor_suspended',
    );
    const reactivated = await http.post<ParticipantView>(
      'operator',
      '/v1/participants/br-other/reactivate',
    );
    assert.equal(reactivated.body.status, 'active');
    await pay(http, 'br-other', domesticBody({ creditorAgent: 'br-bank' }));
    assertError(
      await http.post('operator', '/v1/participants/nobody/suspend'),
      404,
      'participant_not_found',
    );
  });

  it('GET /v1/participants/:id/accounts shows balances as exact decimal strings', async () => {
    const before = await balance(http, 'br-bank', 'br-bank', 'BRL');
    await pay(http, 'br-bank', domesticBody({ amount: '12.34' }));
    const afterPay = await balance(http, 'br-bank', 'br-bank', 'BRL');
    assert.deepEqual(Object.keys(afterPay).sort(), [
      'accountId',
      'available',
      'creditLimit',
      'currency',
      'incoming',
      'participantId',
      'posted',
      'reserved',
    ]);
    assert.equal(afterPay.accountId, 'br-bank:BRL');
    // 12.34 plus the 0.50 scheme fee.
    assert.equal(cents(before.posted) - cents(afterPay.posted), 1284n);
    assert.match(afterPay.posted, /^[0-9]+\.[0-9]{2}$/);
    const issuer = await http.get<Accounts>('bcb', '/v1/participants/bcb/accounts');
    assert.deepEqual(
      issuer.body.accounts.map((account) => account.accountId),
      ['bcb:BRL:issuance'],
    );
  });

  it('GET …/statement pages with a cursor through every transfer of the account, oldest first, none twice', async () => {
    for (let index = 0; index < 5; index++)
      await pay(http, 'br-other', domesticBody({ creditorAgent: 'br-bank' }));
    const path = '/v1/participants/br-other/accounts/BRL/statement';
    const full = await http.get<Statement>('br-other', `${path}?limit=1000`);
    assertStatus(full, 200);
    assert.equal(full.body.next, null);
    assert.ok(full.body.transfers.length >= 11);
    const paged = await allPages(async (cursor) => {
      const page = await http.get<Statement>(
        'br-other',
        `${path}?limit=3${cursor === undefined ? '' : `&cursor=${cursor}`}`,
      );
      assertStatus(page, 200);
      return { items: page.body.transfers, next: page.body.next };
    }, 3);
    assert.ok(paged.pages >= 4);
    assert.deepEqual(
      paged.items.map((transfer) => transfer.id),
      full.body.transfers.map((transfer) => transfer.id),
    );
    const sequences = paged.items.map((transfer) => transfer.sequence);
    assert.deepEqual(
      sequences,
      [...sequences].sort((a, b) => a - b),
    );
    assert.equal(new Set(sequences).size, sequences.length);
    const first = paged.items[0];
    assert.ok(first !== undefined);
    assert.deepEqual(
      [first.kind, first.direction, first.amount, first.currency],
      ['posted', 'credit', '1000000.00', 'BRL'],
    );
    assert.ok(paged.items.some((transfer) => transfer.direction === 'debit'));
  });

  it('GET /v1/currencies lists issuers, rules and supply; GET /v1/currencies/:currency/supply one currency', async () => {
    const currencies = await http.get<{ currencies: Currency[] }>('cn-bank', '/v1/currencies');
    assertStatus(currencies, 200);
    const brl = currencies.body.currencies.find((currency) => currency.code === 'BRL');
    assert.deepEqual(brl, {
      code: 'BRL',
      issuer: 'bcb',
      paymentAmountMax: '1000000.00',
      dailyOutflowMax: '5000000.00',
      schemeFee: '0.50',
      supply: '12000000.00',
    });
    assert.deepEqual(currencies.body.currencies.map((currency) => currency.code).sort(), [
      'BRL',
      'CNY',
      'INR',
    ]);
    const supply = await http.get<Money>('cn-bank', '/v1/currencies/CNY/supply');
    assert.deepEqual(supply.body, { amount: '6000000.00', currency: 'CNY' });
    assertError(await http.get('cn-bank', '/v1/currencies/USD/supply'), 404, 'not_found');
  });
});

describe('central bank operations', () => {
  let server: TestServer;
  let http: Http;
  before(async () => ({ server, http } = await serverFor()));
  after(async () => server.close());

  it("POST /v1/issuances and /v1/redemptions move supply and the holder's balance", async () => {
    const supply = async (): Promise<string> =>
      (await http.get<Money>('bcb', '/v1/currencies/BRL/supply')).body.amount;
    assert.equal(await supply(), '12000000.00');
    const issued = await http.post<Money & { kind: string; supply: string }>(
      'bcb',
      '/v1/issuances',
      { id: 'iss-1', participantId: 'br-bank', currency: 'BRL', amount: '250.00' },
    );
    assertStatus(issued, 201);
    assert.deepEqual(issued.body, {
      kind: 'issue',
      participantId: 'br-bank',
      amount: '250.00',
      currency: 'BRL',
      supply: '12000250.00',
    });
    assert.equal((await balance(http, 'br-bank', 'br-bank', 'BRL')).posted, '1000250.00');
    const redeemed = await http.post<{ supply: string }>('bcb', '/v1/redemptions', {
      participantId: 'br-bank',
      currency: 'BRL',
      amount: '50.00',
    });
    assertStatus(redeemed, 201);
    assert.equal(redeemed.body.supply, '12000200.00');
    assert.equal(await supply(), '12000200.00');
    assertError(
      await http.post('bcb', '/v1/redemptions', {
        participantId: 'br-bank',
        currency: 'BRL',
        amount: '9999999.00',
      }),
      422,
      'insufficient_funds',
    );
  });

  it('POST /v1/credit-limits grants intraday credit that shows in the balance and lets the bank overdraw', async () => {
    const granted = await http.post('bcb', '/v1/credit-limits', {
      participantId: 'br-other',
      currency: 'BRL',
      limit: '500.00',
    });
    assertStatus(granted, 200);
    assert.deepEqual(granted.body, { participantId: 'br-other', currency: 'BRL', limit: '500.00' });
    const account = await balance(http, 'br-other', 'br-other', 'BRL');
    assert.equal(account.creditLimit, '500.00');
    assert.equal(account.available, '1000500.00');
    assert.equal(
      (await pay(http, 'br-other', domesticBody({ creditorAgent: 'br-bank', amount: '999999.00' })))
        .status,
      'ACCC',
    );
    assert.equal(
      (await pay(http, 'br-other', domesticBody({ creditorAgent: 'br-bank', amount: '299.50' })))
        .status,
      'ACCC',
    );
    assert.equal((await balance(http, 'br-other', 'br-other', 'BRL')).posted, '-299.50');
    assertError(
      await http.post('bcb', '/v1/credit-limits', {
        participantId: 'br-other',
        currency: 'BRL',
        limit: '100.00',
      }),
      409,
      'credit_limit_below_usage',
    );
  });

  it('PUT /v1/currencies/:currency/rules sets the maximum, the daily cap and the scheme fee payments then follow', async () => {
    const rules = { paymentAmountMax: '50.00', dailyOutflowMax: '0.00', schemeFee: '0.25' };
    const set = await http.put('bcb', '/v1/currencies/BRL/rules', rules);
    assertStatus(set, 200);
    assert.deepEqual(set.body, { currency: 'BRL', ...rules });
    const brl = (
      await http.get<{ currencies: Currency[] }>('br-bank', '/v1/currencies')
    ).body.currencies.find((currency) => currency.code === 'BRL');
    assert.equal(brl?.schemeFee, '0.25');
    assert.equal(brl?.paymentAmountMax, '50.00');
    const tooBig = await pay(http, 'br-bank', domesticBody({ amount: '50.01' }));
    assert.deepEqual([tooBig.status, tooBig.reason], ['RJCT', 'AM02']);
    const fine = await pay(http, 'br-bank', domesticBody({ amount: '50.00' }));
    assert.equal(fine.status, 'ACCC');
    assert.deepEqual(
      fine.fees.map((fee) => fee.amount),
      ['0.25'],
    );
  });
});

describe('rates and quotes', () => {
  let server: TestServer;
  let http: Http;
  before(async () => ({ server, http } = await serverFor()));
  after(async () => server.close());

  it('GET /v1/rates lists published rates; POST /v1/rates by an FX provider publishes one that quotes then use', async () => {
    interface Rate {
      fxProvider: string;
      sourceCurrency: string;
      targetCurrency: string;
      rate: string;
      spreadBps: number;
    }
    const rates = await http.get<{ rates: Rate[] }>('cn-bank', '/v1/rates');
    assertStatus(rates, 200);
    assert.equal(rates.body.rates.length, 4);
    assertError(
      await http.post('cn-bank', '/v1/quotes', {
        sourceCurrency: 'CNY',
        targetCurrency: 'INR',
        fixed: 'send',
        amount: '100.00',
      }),
      422,
      'no_offer',
    );
    const published = await http.post('fx-one', '/v1/rates', {
      source: 'CNY',
      target: 'INR',
      rate: '11.8',
      spreadBps: 25,
      amountMax: '100000.00',
      validSeconds: 3600,
    });
    assertStatus(published, 201);
    const after = await http.get<{ rates: Rate[] }>('cn-bank', '/v1/rates');
    assert.ok(
      after.body.rates.some(
        (rate) =>
          rate.fxProvider === 'fx-one' &&
          rate.sourceCurrency === 'CNY' &&
          rate.targetCurrency === 'INR' &&
          rate.rate === '11.8' &&
          rate.spreadBps === 25,
      ),
    );
    const cny = await quote(http, '100.00', 'cn-bank', ['CNY', 'INR']);
    assert.equal(cny.fxProvider, 'fx-one');
    // 11.8 less 25 bps = 11.7705.
    assert.equal(cny.rate, '11.7705');
    assert.deepEqual(cny.creditAmount, { amount: '1177.05', currency: 'INR' });
  });

  it('POST /v1/quotes gives the best firm quote with its fees; GET /v1/quotes/:id reads it back', async () => {
    // fx-one's CNY → INR rate, published above, makes BRL → CNY → INR the better offer.
    const best = await quote(http, '1000.00');
    assert.deepEqual(best.route?.map((hop) => hop.fxProvider), ['fx-two', 'fx-one']);
    assert.ok(BigInt(best.creditAmount.amount.replace('.', '')) > 1_544_400n);
    const direct = await http.post<QuoteView>('br-bank', '/v1/quotes', {
      sourceCurrency: 'BRL', targetCurrency: 'INR', fixed: 'send', amount: '1000.00',
      routing: 'direct',
    });
    assertStatus(direct, 201);
    const given = direct.body;
    assert.equal(given.route, undefined);
    assert.equal(given.fxProvider, 'fx-two');
    assert.equal(given.rate, '15.444');
    assert.deepEqual(given.sendAmount, { amount: '1000.00', currency: 'BRL' });
    assert.deepEqual(given.creditAmount, { amount: '15444.00', currency: 'INR' });
    assert.deepEqual(
      given.fees.map((fee) => [fee.kind, fee.amount]),
      [
        ['scheme', '0.50'],
        ['fx_provider', '1.00'],
      ],
    );
    assert.deepEqual(given.debitAmount, { amount: '1001.50', currency: 'BRL' });
    assert.equal(Date.parse(given.expiresAt) - Date.parse(given.createdAt), 60_000);
    assert.equal(given.used, false);
    const read = await http.get<QuoteView>('br-bank', `/v1/quotes/${given.id}`);
    assertStatus(read, 200);
    assert.deepEqual(read.body, given);
    const receive = await http.post<QuoteView>('br-bank', '/v1/quotes', {
      id: 'q-receive',
      sourceCurrency: 'BRL',
      targetCurrency: 'INR',
      fixed: 'receive',
      amount: '10000.00',
      routing: 'direct',
    });
    assertStatus(receive, 201);
    assert.deepEqual(
      [receive.body.id, receive.body.creditAmount.amount, receive.body.sendAmount.amount],
      ['q-receive', '10000.00', '648.41'],
    );
    const again = await http.post<QuoteView>('br-bank', '/v1/quotes', {
      id: 'q-receive',
      sourceCurrency: 'BRL',
      targetCurrency: 'INR',
      fixed: 'receive',
      amount: '10000.00',
      routing: 'direct',
    });
    assertStatus(again, 200);
    assertError(await http.get('br-bank', '/v1/quotes/unknown'), 404, 'not_found');
  });
});

describe('payments', () => {
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
                matchedName: 'SANCTIONED TRADING',
                score: 0.97,
              },
            ]
          : [],
      };
    },
  };
  let server: TestServer;
  let http: Http;
  before(async () => ({ server, http } = await serverFor(screener)));
  after(async () => server.close());

  it('POST /v1/payments settles a domestic payment at once (201, ACCC) and GET /v1/payments/:id shows its timeline', async () => {
    const payment = await pay(http, 'br-bank', domesticBody({ id: 'dom-1', amount: '100.00' }));
    assert.equal(payment.id, 'dom-1');
    assert.deepEqual([payment.kind, payment.mode, payment.status], ['payment', 'instant', 'ACCC']);
    assert.deepEqual(
      payment.events.map((event) => event.status),
      ['ACTC', 'ACSC', 'ACCC'],
    );
    assert.deepEqual(payment.debitAmount, { amount: '100.50', currency: 'BRL' });
    assert.deepEqual(payment.fees, [
      { kind: 'scheme', payee: 'operator:BRL:fees', amount: '0.50', currency: 'BRL' },
    ]);
    assert.deepEqual(
      payment.legs.map((leg) => leg.role),
      ['debtor_to_creditor', 'fee'],
    );
    assert.match(payment.uetr, /^[0-9a-f]{8}-[0-9a-f]{4}-4/);
    // The creditor agent sees it under its network id; the debtor agent under its own.
    assert.equal(payment.id, 'dom-1');
    const read = await http.get<PaymentView>('br-other', `/v1/payments/${payment.networkId}`);
    assertStatus(read, 200);
    assert.deepEqual(read.body, { ...payment, id: payment.networkId });
    assertError(await http.get('br-other', '/v1/payments/dom-1'), 404, 'not_found', 'id');
    assertError(await http.get('br-bank', '/v1/payments/nothing-here'), 404, 'not_found', 'id');
  });

  it('POST /v1/payments with a quote settles a cross-border payment as one PvP group', async () => {
    const given = await quote(http, '1000.00');
    const before = await balance(http, 'in-bank', 'in-bank', 'INR');
    const payment = await pay(http, 'br-bank', crossBorderBody(given.id));
    assert.deepEqual(
      [payment.status, payment.fxProvider, payment.quoteId, payment.rate],
      ['ACCC', 'fx-two', given.id, '15.444'],
    );
    assert.deepEqual(
      payment.legs.map((leg) => leg.role),
      ['debtor_to_provider', 'provider_to_creditor', 'fee', 'fee'],
    );
    assert.deepEqual(payment.creditAmount, { amount: '15444.00', currency: 'INR' });
    const after = await balance(http, 'in-bank', 'in-bank', 'INR');
    assert.equal(cents(after.posted) - cents(before.posted), 1_544_400n);
    assert.equal((await http.get<QuoteView>('br-bank', `/v1/quotes/${given.id}`)).body.used, true);
  });

  it('POST /v1/payments/batch answers every item: payments for good ones, an error each for bad ones', async () => {
    const paymentsBefore = (await server.network.reads.paymentCount());
    const first = domesticBody({ amount: '1.00' });
    const items = [
      first,
      domesticBody({ amount: '1.001' }),
      domesticBody({ amount: '2.00', creditorAgent: 'fx-one' }),
      domesticBody({ creditorAgent: 'nobody' }),
      { ...domesticBody({ amount: '3.00' }), endToEndId: first['endToEndId'] },
      domesticBody({ amount: '0.00' }),
      domesticBody({ currency: 'USD' }),
    ];
    interface Item {
      index: number;
      payment?: PaymentView;
      error?: { code: string; field?: string };
    }
    const answer = await http.post<{ results: Item[] }>('br-bank', '/v1/payments/batch', {
      payments: items,
    });
    assertStatus(answer, 200);
    const summary = answer.body.results.map((item) => [
      item.index,
      item.payment?.status ?? item.error?.code,
    ]);
    assert.deepEqual(summary, [
      [0, 'ACCC'],
      [1, 'amount_too_many_decimals'],
      [2, 'ACCC'],
      [3, 'participant_not_found'],
      [4, 'duplicate_end_to_end_id'],
      [5, 'amount_must_be_positive'],
      [6, 'currency_not_in_network'],
    ]);
    assert.equal(answer.body.results[1]?.error?.field, 'amount');
    assert.equal((await server.network.reads.paymentCount()), paymentsBefore + 2);
  });

  it("POST /v1/payments/:id/accept settles a two-phase payment; …/reject voids one with the creditor's reason", async () => {
    const held = await pay(http, 'br-bank', domesticBody({ mode: 'two_phase', amount: '40.00' }));
    assert.equal(held.status, 'ACSP');
    const reserved = await balance(http, 'br-bank', 'br-bank', 'BRL');
    assert.equal(reserved.reserved, '40.50');
    const accepted = await http.post<PaymentView>('br-other', `/v1/payments/${held.networkId}/accept`);
    assertStatus(accepted, 200);
    assert.equal(accepted.body.status, 'ACCC');
    assertStatus(await http.post('br-other', `/v1/payments/${held.networkId}/accept`), 200);
    const other = await pay(http, 'br-bank', domesticBody({ mode: 'two_phase' }));
    const rejected = await http.post<PaymentView>('br-other', `/v1/payments/${other.networkId}/reject`, {
      reason: 'NARR',
      detail: 'Beneficiary unknown',
    });
    assertStatus(rejected, 200);
    assert.deepEqual(
      [rejected.body.status, rejected.body.reason, rejected.body.detail],
      ['RJCT', 'NARR', 'Beneficiary unknown'],
    );
    assert.equal((await balance(http, 'br-bank', 'br-bank', 'BRL')).reserved, '0.00');
    assertError(
      await http.post('br-other', `/v1/payments/${other.networkId}/accept`),
      409,
      'payment_not_pending',
    );
  });

  it('POST /v1/payments/:id/return sends a settled payment back in part, linked to the original', async () => {
    const given = await quote(http, '100.00');
    const original = await pay(http, 'br-bank', crossBorderBody(given.id));
    const returned = await http.post<PaymentView>('in-bank', `/v1/payments/${original.networkId}/return`, {
      id: 'ret-1',
      amount: '500.00',
      reason: 'AC04',
    });
    assertStatus(returned, 201);
    assert.deepEqual(
      [
        returned.body.kind,
        returned.body.status,
        returned.body.returnOf,
        returned.body.returnReason,
      ],
      ['return', 'ACCC', original.networkId, 'AC04'],
    );
    assert.deepEqual(
      [returned.body.debtorAgent, returned.body.creditorAgent],
      ['in-bank', 'br-bank'],
    );
    assert.equal(returned.body.sendAmount.currency, 'INR');
    assert.equal(returned.body.creditAmount.currency, 'BRL');
    const after = (await http.get<PaymentView>('br-bank', `/v1/payments/${original.id}`)).body;
    assert.equal(returned.body.id, 'ret-1', 'the returning agent sees its own id');
    assert.deepEqual(
      [after.returns, after.returnedAmount.amount],
      [[returned.body.networkId], '500.00'],
    );
    assertError(
      await http.post('in-bank', `/v1/payments/${original.networkId}/return`, {
        amount: '99999.00',
        reason: 'AC04',
      }),
      422,
      'return_amount_exceeds_remaining',
    );
  });

  it('GET /v1/reviews lists payments held by screening to reviewers; POST …/review releases or rejects them', async () => {
    const blocked = await pay(
      http,
      'br-bank',
      domesticBody({ creditor: { name: 'Sanctioned Trading LLC' } }),
    );
    assert.deepEqual([blocked.status, blocked.reason], ['BLCK', 'RR04']);
    assert.equal(blocked.screening?.hit, true);
    const second = await pay(
      http,
      'br-bank',
      domesticBody({ creditor: { name: 'Sanctioned Trading LLC' } }),
    );
    const reviews = await http.get<PaymentPage>('bcb', '/v1/reviews');
    assertStatus(reviews, 200);
    assert.deepEqual(
      reviews.body.payments.map((payment) => payment.id).sort(),
      [blocked.networkId, second.networkId].sort(),
    );
    assert.deepEqual((await http.get<PaymentPage>('br-bank', '/v1/reviews')).body.payments, []);
    assert.deepEqual((await http.get<PaymentPage>('rbi', '/v1/reviews')).body.payments, []);
    assert.equal(
      (await http.get<PaymentPage>('operator', '/v1/reviews?limit=1')).body.payments.length,
      1,
    );
    const released = await http.post<PaymentView>('bcb', `/v1/payments/${blocked.networkId}/review`, {
      decision: 'release',
    });
    assertStatus(released, 200);
    assert.equal(released.body.status, 'ACCC');
    const rejected = await http.post<PaymentView>('operator', `/v1/payments/${second.networkId}/review`, {
      decision: 'reject',
    });
    assert.deepEqual([rejected.body.status, rejected.body.reason], ['RJCT', 'RR04']);
    assertError(
      await http.post('bcb', `/v1/payments/${second.networkId}/review`, { decision: 'release' }),
      409,
      'payment_not_under_review',
    );
    assert.deepEqual((await http.get<PaymentPage>('bcb', '/v1/reviews')).body.payments, []);
  });
});

describe('payment listing', () => {
  let server: TestServer;
  let http: Http;
  const early: string[] = [];
  const late: string[] = [];
  let crossBorder = '';
  let rejected = '';
  let returned = '';
  let boundary = '';

  before(async () => {
    ({ server, http } = await serverFor());
    for (let index = 0; index < 3; index++)
      early.push((await pay(http, 'br-bank', domesticBody())).networkId);
    crossBorder = (await pay(http, 'br-bank', crossBorderBody((await quote(http, '200.00')).id)))
      .networkId;
    rejected = (await pay(http, 'br-bank', domesticBody({ mode: 'two_phase' }))).networkId;
    assertStatus(
      await http.post('br-other', `/v1/payments/${rejected}/reject`, { reason: 'NARR' }),
      200,
    );
    early.push(crossBorder, rejected);
    server.advance(60 * 60 * 1000);
    boundary = new Date(server.now()).toISOString();
    for (let index = 0; index < 2; index++) {
      late.push((await pay(http, 'br-other', domesticBody({ creditorAgent: 'br-bank' }))).networkId);
    }
    const answer = await http.post<PaymentView>('in-bank', `/v1/payments/${crossBorder}/return`, {
      amount: '10.00',
      reason: 'MD06',
    });
    assertStatus(answer, 201);
    returned = answer.body.networkId;
    late.push(returned);
  });
  after(async () => server.close());

  async function list(as: string, query: string): Promise<string[]> {
    const answer = await http.get<PaymentPage>(as, `/v1/payments?limit=500${query}`);
    assertStatus(answer, 200);
    return answer.body.payments.map((payment) => payment.networkId);
  }

  it('GET /v1/payments lists newest first, and filters by status, currency, participant, kind, from and to', async () => {
    const everything = [...early, ...late].reverse();
    assert.deepEqual(await list('operator', ''), everything);
    assert.deepEqual(await list('operator', '&status=RJCT'), [rejected]);
    assert.deepEqual(await list('operator', '&currency=INR'), [returned, crossBorder]);
    assert.deepEqual(await list('operator', '&participant=in-bank'), [returned, crossBorder]);
    assert.deepEqual(await list('operator', '&kind=return'), [returned]);
    assert.deepEqual(await list('operator', `&from=${boundary}`), [...late].reverse());
    assert.deepEqual(await list('operator', `&to=${boundary}`), [...early].reverse());
    assert.deepEqual(
      await list('operator', `&from=${boundary}&kind=payment&status=ACCC`),
      late.slice(0, 2).reverse(),
    );
    assert.deepEqual(await list('in-bank', ''), [returned, crossBorder]);
    assert.deepEqual(await list('rbi', ''), [returned, crossBorder]);
    assert.deepEqual(await list('cn-bank', ''), []);
  });

  it('GET /v1/payments pages with a cursor through several pages, each payment once', async () => {
    const everything = await list('operator', '');
    const paged = await allPages(async (cursor) => {
      const answer = await http.get<PaymentPage>(
        'operator',
        `/v1/payments?limit=3${cursor === undefined ? '' : `&cursor=${cursor}`}`,
      );
      assertStatus(answer, 200);
      const items = answer.body.payments.map((payment) => payment.networkId);
      return { items, next: answer.body.next };
    }, 3);
    assert.ok(paged.pages >= 3);
    assert.deepEqual(paged.items, everything);
    const filtered = await allPages(async (cursor) => {
      const answer = await http.get<PaymentPage>(
        'br-bank',
        `/v1/payments?limit=2&currency=BRL${cursor === undefined ? '' : `&cursor=${cursor}`}`,
      );
      const items = answer.body.payments.map((payment) => payment.networkId);
      return { items, next: answer.body.next };
    }, 2);
    assert.deepEqual(filtered.items, await list('br-bank', '&currency=BRL'));
  });
});

describe('API keys', () => {
  let server: TestServer;
  let http: Http;
  before(async () => ({ server, http } = await serverFor()));
  after(async () => server.close());

  it('POST /v1/keys for yourself rotates: the new key works, the old one stops at once when revoked', async () => {
    const created = await http.post<{ keyId: string; participantId: string; key: string }>(
      'br-bank',
      '/v1/keys',
      { label: 'rotation 2026-11' },
    );
    assertStatus(created, 201);
    assert.equal(created.body.participantId, 'br-bank');
    assert.match(created.body.key, /^ck_[a-z0-9]+_[A-Za-z0-9_-]{43}$/);
    const fresh = created.body.key;
    const mine = await http.get<{ keys: KeyView[] }>(fresh, '/v1/keys');
    assertStatus(mine, 200);
    assert.deepEqual(mine.body.keys.map((key) => key.label).sort(), [
      'initial',
      'rotation 2026-11',
    ]);
    assert.ok(
      mine.body.keys.every(
        (key) => key.participantId === 'br-bank' && !('hash' in key) && !('key' in key),
      ),
    );
    const old = mine.body.keys.find((key) => key.label === 'initial');
    assert.ok(old !== undefined);
    const revoked = await http.del<KeyView>(fresh, `/v1/keys/${old.keyId}`);
    assertStatus(revoked, 200);
    assert.equal(typeof revoked.body.revokedAt, 'string');
    assertError(await http.get('br-bank', '/v1/status'), 401, 'unauthenticated');
    const you = await http.get<{ you: { id: string } }>(fresh, '/v1/status');
    assert.equal(you.body.you.id, 'br-bank');
  });

  it('POST /v1/keys by the operator creates a key for another participant; GET /v1/keys shows the operator every key', async () => {
    const created = await http.post<{ key: string; participantId: string }>(
      'operator',
      '/v1/keys',
      { participantId: 'in-bank', label: 'ops' },
    );
    assertStatus(created, 201);
    assert.equal(created.body.participantId, 'in-bank');
    assert.equal(
      (await http.get<{ you: { id: string } }>(created.body.key, '/v1/status')).body.you.id,
      'in-bank',
    );
    const all = await http.get<{ keys: KeyView[] }>('operator', '/v1/keys');
    assert.ok(all.body.keys.length >= 12);
    assert.ok(new Set(all.body.keys.map((key) => key.participantId)).size >= 10);
    assertError(
      await http.post('operator', '/v1/keys', { participantId: 'nobody' }),
      404,
      'participant_not_found',
    );
    assertError(await http.del('operator', '/v1/keys/unknownkey1'), 404, 'not_found', 'id');
  });
});

describe('event feed', () => {
  let server: TestServer;
  let http: Http;
  before(async () => ({ server, http } = await serverFor()));
  after(async () => server.close());

  async function feed(as: string, limit: number): Promise<{ events: EventView[]; pages: number }> {
    const events: EventView[] = [];
    let cursor = '0';
    for (let pages = 1; ; pages++) {
      const answer = await http.get<{ events: EventView[]; cursor: string }>(
        as,
        `/v1/events?limit=${limit}&cursor=${cursor}`,
      );
      assertStatus(answer, 200);
      assert.ok(answer.body.events.length <= limit);
      events.push(...answer.body.events);
      if (answer.body.cursor === cursor && answer.body.events.length === 0)
        return { events, pages };
      cursor = answer.body.cursor;
    }
  }

  it('GET /v1/events pages from cursor 0 to the end and misses nothing: every sequence, in order', async () => {
    for (let index = 0; index < 4; index++) await pay(http, 'br-bank', domesticBody());
    await pay(
      http,
      'in-bank',
      domesticBody({ creditorAgent: 'fx-one', currency: 'INR', amount: '100.00' }),
    );
    const held = await pay(
      http,
      'br-other',
      domesticBody({ creditorAgent: 'br-bank', mode: 'two_phase' }),
    );
    assertStatus(await http.post('br-bank', `/v1/payments/${held.networkId}/accept`), 200);
    const { events, pages } = await feed('operator', 4);
    assert.ok(pages >= 5);
    const last = server.network.lastEventSequence;
    assert.equal(last, 4 * 3 + 3 + 4);
    assert.deepEqual(
      events.map((event) => event.sequence),
      Array.from({ length: last }, (_, index) => index + 1),
    );
    assert.deepEqual(
      events.filter((event) => event.paymentId === held.networkId).map((event) => event.status),
      ['ACTC', 'ACSP', 'ACSC', 'ACCC'],
    );
    assert.ok(
      events.every(
        (event) => event.type === 'payment.status_changed' && !Number.isNaN(Date.parse(event.at)),
      ),
    );
  });

  it("GET /v1/events gives each participant its own payments' events, and the cursor resumes after new ones", async () => {
    const mine = await feed('br-other', 2);
    assert.equal(mine.events.length, 4 * 3 + 4);
    const inr = await feed('rbi', 2);
    assert.deepEqual([...new Set(inr.events.map((event) => event.paymentId))].length, 1);
    const end = await http.get<{ cursor: string }>('in-bank', '/v1/events?cursor=0&limit=1000');
    const more = await pay(
      http,
      'in-bank',
      domesticBody({ creditorAgent: 'fx-one', currency: 'INR', amount: '1.00' }),
    );
    const next = await http.get<{ events: EventView[] }>(
      'in-bank',
      `/v1/events?cursor=${end.body.cursor}`,
    );
    assert.deepEqual(
      next.body.events.map((event) => [event.paymentId, event.status]),
      [
        [more.networkId, 'ACTC'],
        [more.networkId, 'ACSC'],
        [more.networkId, 'ACCC'],
      ],
    );
  });
});

describe('webhooks', () => {
  it('POST /v1/webhooks registers an endpoint that receives each status change, signed with the returned secret', async () => {
    const receiver = await startReceiver(200);
    const server = await startTestServer({ webhookAllow: RECEIVER_ALLOW });
    const http = typed(server);
    try {
      const registered = await http.post<{ id: string; url: string; secret: string }>(
        'br-other',
        '/v1/webhooks',
        { url: receiver.url },
      );
      assertStatus(registered, 201);
      assert.match(registered.body.secret, /^whsec_/);
      const listed = await http.get<{ webhooks: Record<string, unknown>[] }>(
        'br-other',
        '/v1/webhooks',
      );
      assert.deepEqual(
        listed.body.webhooks.map((hook) => [hook['id'], hook['url'], 'secret' in hook]),
        [[registered.body.id, receiver.url, false]],
      );
      const payment = await pay(http, 'br-bank', domesticBody());
      await pay(
        http,
        'in-bank',
        domesticBody({ creditorAgent: 'fx-one', currency: 'INR', amount: '1.00' }),
      );
      await eventually('three deliveries', () => receiver.received.length >= 3);
      for (const delivery of receiver.received) {
        assert.equal(delivery.headers['content-type'], 'application/json');
        assert.ok(
          signatureValid(
            registered.body.secret,
            delivery.headers['corridor-signature'],
            delivery.body,
          ),
          `bad signature ${String(delivery.headers['corridor-signature'])}`,
        );
        assert.ok(
          !signatureValid('whsec_wrong', delivery.headers['corridor-signature'], delivery.body),
        );
      }
      const bodies = receiver.received.map(
        (delivery) =>
          JSON.parse(delivery.body) as { paymentId: string; status: string; type: string },
      );
      assert.deepEqual(bodies.map((body) => [body.paymentId, body.status, body.type]).sort(), [
        [payment.networkId, 'ACCC', 'payment.status_changed'],
        [payment.networkId, 'ACSC', 'payment.status_changed'],
        [payment.networkId, 'ACTC', 'payment.status_changed'],
      ]);
      assertStatus(await http.del('br-other', `/v1/webhooks/${registered.body.id}`), 204);
      assertError(
        await http.del('br-other', `/v1/webhooks/${registered.body.id}`),
        404,
        'not_found',
      );
    } finally {
      await server.close();
      await receiver.close();
    }
  });

  it('an endpoint that keeps failing gets every retry, then its deliveries land in the dead letters', async () => {
    const receiver = await startReceiver(500);
    const server = await startTestServer({
      webhookDelivery: { attemptsMax: 3, firstRetryMs: 5, retryMsMax: 20 },
      webhookAllow: RECEIVER_ALLOW,
    });
    const http = typed(server);
    try {
      const registered = await http.post<{ id: string }>('br-bank', '/v1/webhooks', {
        url: receiver.url,
      });
      assertStatus(registered, 201);
      const payment = await pay(http, 'br-bank', domesticBody());
      interface DeadLetter {
        endpointId: string;
        body: string;
        attempts: number;
        lastError: string;
      }
      let letters: DeadLetter[] = [];
      await eventually('three dead letters', async () => {
        letters = (
          await http.get<{ deadLetters: DeadLetter[] }>('br-bank', '/v1/webhooks/dead-letters')
        ).body.deadLetters;
        return letters.length >= 3;
      });
      assert.equal(receiver.received.length, 9);
      assert.ok(
        letters.every(
          (letter) =>
            letter.endpointId === registered.body.id &&
            letter.attempts === 3 &&
            letter.lastError === 'delivery failed' &&
            letter.body.includes(payment.networkId),
        ),
      );
      assert.deepEqual(
        (await http.get<{ deadLetters: DeadLetter[] }>('br-other', '/v1/webhooks/dead-letters'))
          .body.deadLetters,
        [],
      );
    } finally {
      await server.close();
      await receiver.close();
    }
  });
});

describe('operations, metrics and documentation', () => {
  let server: TestServer;
  let http: Http;
  // The server as a node runs it, with the dashboard's routes too.
  before(async () => {
    server = await startTestServer({ plugins: [dashboardPlugin()] });
    http = typed(server);
  });
  after(async () => server.close());

  it('GET /health, /ready and /v1/status answer; status describes the network and the caller', async () => {
    assert.deepEqual((await http.get(undefined, '/health')).body, { status: 'ok' });
    assert.deepEqual((await http.get(undefined, '/ready')).body, { status: 'ready' });
    interface Status {
      network: { participants: number; currencies: number; payments: number };
      journal: { sequence: number; hash: string };
      store: string;
      recovery: { snapshotSequence: number | null; replayedEntries: number;
        replayedCommands: number | null; rejected: unknown[] };
      you: { id: string; kind: string; issues: string[] };
    }
    const status = await http.get<Status>('bcb', '/v1/status');
    assertStatus(status, 200);
    assert.deepEqual([status.body.network.participants, status.body.network.currencies], [9, 3]);
    assert.deepEqual(status.body.you, {
      id: 'bcb',
      kind: 'central_bank',
      status: 'active',
      issues: ['BRL'],
    });
    assert.match(status.body.journal.hash, /^[0-9a-f]{64}$/);
    // A fresh node: nothing to recover, no snapshot passed over.
    assert.equal(status.body.recovery.snapshotSequence, null);
    assert.equal(status.body.recovery.replayedEntries, 0);
    assert.equal(status.body.recovery.replayedCommands, 0);
    assert.deepEqual(status.body.recovery.rejected, []);
  });

  it('GET /metrics exposes payments by status, settlement latency, batch sizes, queue depth and the quote hit rate', async () => {
    await pay(http, 'br-bank', domesticBody());
    await pay(http, 'br-bank', crossBorderBody((await quote(http)).id));
    await quote(http);
    await pay(http, 'br-bank', crossBorderBody((await quote(http)).id));
    const answer = await server.call('operator', 'GET', '/metrics');
    assertStatus(answer, 200);
    assert.match(answer.headers.get('content-type') ?? '', /^text\/plain/);
    const text = String(answer.body);
    const value = (series: string): number => {
      const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
      assert.ok(line !== undefined, `no series ${series}`);
      return Number(line.slice(series.length + 1));
    };
    assert.equal(value('corridor_payment_status_changes_total{status="ACCC"}'), 3);
    assert.equal(value('corridor_payment_status_changes_total{status="ACTC"}'), 3);
    assert.equal(value('corridor_settlement_latency_seconds_count'), 3);
    assert.ok(value('corridor_batch_commands_count') >= 6);
    assert.ok(value('corridor_batch_commands_sum') >= 6);
    assert.equal(value('corridor_queue_depth'), 0);
    assert.equal(value('corridor_quotes_total'), 3);
    assert.equal(value('corridor_quotes_used_total'), 2);
    assert.equal(value('corridor_quote_hit_rate'), 2 / 3);
  });

  it('GET /openapi.json is OpenAPI 3.1 and documents every /v1 route the server has', async () => {
    interface OpenApi {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { securitySchemes: Record<string, unknown> };
    }
    const doc = await http.get<OpenApi>(undefined, '/openapi.json');
    assertStatus(doc, 200);
    assert.equal(doc.body.openapi, '3.1.0');
    assert.ok('apiKey' in doc.body.components.securitySchemes);
    const routes = routeList(server.app).filter((route) => route.url.startsWith('/v1/'));
    assert.ok(routes.length >= 30, `only ${routes.length} routes found`);
    const missing = routes.filter((route) => {
      const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
      return doc.body.paths[path]?.[route.method.toLowerCase()] === undefined;
    });
    assert.deepEqual(missing, []);
    for (const path of ['/v1/payments', '/v1/quotes', '/v1/participants']) {
      const post = doc.body.paths[path]?.['post'] as { requestBody?: unknown } | undefined;
      assert.ok(post?.requestBody !== undefined, `${path} has no documented body`);
    }
  });

  it('GET /docs serves the HTML documentation without a key', async () => {
    const response = await fetch(`${server.url}/docs`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await response.text(), /<html/i);
  });

  it('an unknown route answers 404 route_not_found in the error shape', async () => {
    assertError(await http.get('br-bank', '/v1/nothing'), 404, 'route_not_found');
    assertError(await http.get('br-bank', `/v1/payments/${e2e()}/nope`), 404, 'route_not_found');
  });
});
