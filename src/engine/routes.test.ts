// Quotes and payments through a third member currency (ETB → CNY → BRL): the route is chosen
// only when no provider quotes the pair or when it gives more, never through USD; its amounts
// follow each hop's firm rate and fee; it settles as one linked chain, all or nothing, with the
// supply of every currency unchanged; and quotes journaled without routing replay as before.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NetworkCommand, NetworkResult, PaymentRequest } from './commands.js';
import { configToCommands } from '../service/config.js';
import type { NetworkConfigFile } from '../service/config-schema.js';
import fc from 'fast-check';
import type { Offer, PublishedRate } from './fx/quotes.js';
import { formatRate } from './fx/rate.js';
import { NetworkEngine } from './engine.js';
import { rateKey } from './quoting.js';
import { bestRoute, betterThanDirect } from './routes.js';
import { costBps, MID_VALUE_SCALE, midValuesOf } from './payments/figures.js';
import { feeAccountId, settlementAccountId } from './model.js';

const NOW = Date.UTC(2026, 5, 1, 10);

function routesConfig(extraRates: NetworkConfigFile['rates'] = []): NetworkConfigFile {
  return {
    operator: { id: 'operator', name: 'Operator' },
    currencies: [
      { code: 'ETB', issuer: 'nbe', schemeFee: '0.10' },
      { code: 'CNY', issuer: 'pboc' },
      { code: 'BRL', issuer: 'bcb' },
      { code: 'USD', issuer: 'fed' },
    ],
    participants: [
      { id: 'nbe', name: 'National Bank of Ethiopia', kind: 'central_bank', country: 'ET',
        currencies: ['ETB'] },
      { id: 'pboc', name: "People's Bank of China", kind: 'central_bank', country: 'CN',
        currencies: ['CNY'] },
      { id: 'bcb', name: 'Banco Central do Brasil', kind: 'central_bank', country: 'BR',
        currencies: ['BRL'] },
      { id: 'fed', name: 'Federal Reserve', kind: 'central_bank', country: 'US',
        currencies: ['USD'] },
      { id: 'et-bank', name: 'Addis Bank', kind: 'bank', country: 'ET', currencies: ['ETB'] },
      { id: 'br-bank', name: 'Banco Teste', kind: 'bank', country: 'BR', currencies: ['BRL'] },
      { id: 'fx-a', name: 'FX A', kind: 'fx_provider', country: 'AE',
        currencies: ['ETB', 'CNY', 'USD'] },
      { id: 'fx-b', name: 'FX B', kind: 'fx_provider', country: 'SG',
        currencies: ['CNY', 'BRL', 'USD'] },
      { id: 'fx-c', name: 'FX C', kind: 'fx_provider', country: 'ZA',
        currencies: ['ETB', 'BRL'] },
    ],
    rates: [
      { provider: 'fx-a', source: 'ETB', target: 'CNY', rate: '0.05', fee: '2.00' },
      { provider: 'fx-b', source: 'CNY', target: 'BRL', rate: '0.7', fee: '1.00' },
      // Far better through USD: never taken.
      { provider: 'fx-a', source: 'ETB', target: 'USD', rate: '0.02' },
      { provider: 'fx-b', source: 'USD', target: 'BRL', rate: '6' },
      ...extraRates,
    ],
    issuance: [
      { currency: 'ETB', participant: 'et-bank', amount: '1000000.00' },
      { currency: 'CNY', participant: 'fx-a', amount: '100000.00' },
      { currency: 'USD', participant: 'fx-a', amount: '100000.00' },
      { currency: 'USD', participant: 'fx-b', amount: '100000.00' },
      { currency: 'BRL', participant: 'fx-b', amount: '100000.00' },
      { currency: 'BRL', participant: 'fx-c', amount: '100000.00' },
      { currency: 'BRL', participant: 'br-bank', amount: '1000.00' },
    ],
  };
}

function network(extraRates: NetworkConfigFile['rates'] = []): NetworkEngine {
  const engine = new NetworkEngine();
  const setup = engine.apply(configToCommands(routesConfig(extraRates), NOW), NOW);
  const refused = setup.results.find((result) => result.code !== 'ok');
  assert.equal(refused, undefined, JSON.stringify(refused));
  return engine;
}

function run(engine: NetworkEngine, command: NetworkCommand): NetworkResult {
  const result = engine.apply([command], NOW).results[0];
  assert.ok(result !== undefined);
  return result;
}

let quotes = 0;
function quote(
  engine: NetworkEngine,
  fields: Partial<Extract<NetworkCommand, { type: 'create_quote' }>> = {},
): NetworkResult {
  quotes += 1;
  return run(engine, {
    type: 'create_quote', actor: 'et-bank', quoteId: `q-${quotes}`, source: 'ETB',
    target: 'BRL', fixed: 'send', amount: 100_000n, routing: 'best', ...fields,
  });
}

function pay(engine: NetworkEngine, quoteId: string, id: string): NetworkResult {
  const payment: PaymentRequest = {
    id, mode: 'instant', creditorAgent: 'br-bank', quoteId,
    debtor: { name: 'Addis Coffee Exporters' }, creditor: { name: 'Torrefacao Paulista' },
    endToEndId: `e2e-${id}`, uetr: `8a562c67-ca16-48ba-b074-65581be6f0${id.padStart(2, '0').slice(-2)}`,
    debtorAgent: 'et-bank',
  };
  return run(engine, {
    type: 'create_payment', actor: 'et-bank', payment,
    screening: { hit: false, matches: [] }, receivedAt: NOW,
  });
}

const ACCOUNTS = [
  settlementAccountId('et-bank', 'ETB'),
  settlementAccountId('fx-a', 'ETB'),
  feeAccountId('fx-a', 'ETB'),
  feeAccountId('operator', 'ETB'),
  settlementAccountId('fx-a', 'CNY'),
  settlementAccountId('fx-b', 'CNY'),
  feeAccountId('fx-b', 'CNY'),
  settlementAccountId('fx-b', 'BRL'),
  settlementAccountId('br-bank', 'BRL'),
];

function balances(engine: NetworkEngine): Map<string, bigint> {
  return new Map(ACCOUNTS.map((id) => [id, engine.ledger.balance(id)?.posted ?? -1n]));
}

function supplies(engine: NetworkEngine): bigint[] {
  return ['ETB', 'CNY', 'BRL', 'USD'].map((currency) => engine.supply(currency) ?? -1n);
}

describe('routes through a third member currency', () => {
  it('with no direct offer, a quote goes ETB → CNY → BRL (not through USD), showing every hop', () => {
    const engine = network();
    const result = quote(engine);
    assert.equal(result.code, 'ok', result.message);
    const q = result.quote;
    assert.ok(q !== undefined);
    // 1,000.00 ETB at 0.05 is 50.00 CNY; FX B's 1.00 CNY fee leaves 49.00, at 0.7 34.30 BRL.
    assert.equal(q.providerId, 'fx-a');
    assert.equal(q.sendAmount, 100_000n);
    assert.equal(q.creditAmount, 3_430n);
    assert.deepEqual(q.fees.map((fee) => [fee.kind, fee.amount, fee.currency, fee.payee]), [
      ['scheme', 10n, 'ETB', feeAccountId('operator', 'ETB')],
      ['fx_provider', 200n, 'ETB', feeAccountId('fx-a', 'ETB')],
    ]);
    assert.equal(q.debitAmount, 100_210n);
    assert.equal(q.rate, '0.035');
    assert.equal(q.midRate, '0.035');
    assert.deepEqual(q.route, [
      { providerId: 'fx-a', source: 'ETB', target: 'CNY', rate: '0.05', midRate: '0.05',
        spreadBps: 0, sendAmount: 100_000n, creditAmount: 5_000n, fee: 200n },
      { providerId: 'fx-b', source: 'CNY', target: 'BRL', rate: '0.7', midRate: '0.7',
        spreadBps: 0, sendAmount: 4_900n, creditAmount: 3_430n, fee: 100n },
    ]);
    assert.ok(q.route.every((hop) => hop.source !== 'USD' && hop.target !== 'USD'));
  });

  it('fixed receive delivers exactly the amount asked, each hop rounded for its provider', () => {
    const engine = network();
    const q = quote(engine, { fixed: 'receive', amount: 3_431n }).quote;
    assert.ok(q?.route !== undefined);
    assert.equal(q.creditAmount, 3_431n);
    // 34.31 BRL needs ceil(3431 / 0.7) = 4902 CNY, plus the 100 fee: 5002; ceil(5002 / 0.05).
    assert.equal(q.route[1]?.sendAmount, 4_902n);
    assert.equal(q.route[0]?.creditAmount, 5_002n);
    assert.equal(q.sendAmount, 100_040n);
  });

  it('is refused with no_offer when no route avoids USD, and routing direct never routes', () => {
    const engine = network();
    const noRoute = quote(engine, { target: 'CNY', actor: 'et-bank', source: 'ETB', amount: 1n });
    // 0.01 ETB at 0.05 rounds to nothing.
    assert.equal(noRoute.code, 'no_offer');
    // Only USD links ETB to BRL once CNY → BRL is gone: no route.
    const withoutCny = network();
    run(withoutCny, { type: 'publish_rate', actor: 'fx-b', rate: { providerId: 'fx-b',
      source: 'CNY', target: 'BRL', rate: '0.7', spreadBps: 0, amountMax: 0n, fee: 0n,
      validUntil: NOW + 1 } });
    const later = withoutCny.apply([{ type: 'create_quote', actor: 'et-bank', quoteId: 'late',
      source: 'ETB', target: 'BRL', fixed: 'send', amount: 100_000n, routing: 'best' }], NOW + 2);
    assert.equal(later.results[0]?.code, 'no_offer');
    assert.match(later.results[0]?.message ?? '', /third member currency/);
    const direct = quote(engine, { routing: 'direct' });
    assert.equal(direct.code, 'no_offer');
    // Absent routing (every quote journaled before routes existed) is direct: replay unchanged.
    const { routing: _routing, ...old } = {
      type: 'create_quote' as const, actor: 'et-bank', quoteId: 'old', source: 'ETB',
      target: 'BRL', fixed: 'send' as const, amount: 100_000n, routing: 'best' as const };
    assert.equal(run(engine, old).code, 'no_offer');
    assert.equal(quote(engine, { routing: 'any' as never }).code, 'invalid_field');
  });

  it('a direct offer wins when it gives more, the route when it gives more; a tie goes direct', () => {
    const worse = network([{ provider: 'fx-c', source: 'ETB', target: 'BRL', rate: '0.03' }]);
    assert.equal(quote(worse).quote?.route?.length, 2);
    const better = network([{ provider: 'fx-c', source: 'ETB', target: 'BRL', rate: '0.04' }]);
    const direct = quote(better).quote;
    assert.equal(direct?.route, undefined);
    assert.equal(direct?.providerId, 'fx-c');
    assert.equal(direct?.creditAmount, 4_000n);
    // 3430 per 100,200 debited (route) against 3423 per 100,000 (direct): the route is better.
    const close = network([{ provider: 'fx-c', source: 'ETB', target: 'BRL', rate: '0.03423' }]);
    assert.equal(quote(close).quote?.route?.length, 2);
    // Exactly as good for the payer (3430 for 100,200 either way): direct.
    const tie = network([{ provider: 'fx-c', source: 'ETB', target: 'BRL', rate: '0.0343',
      fee: '2.00' }]);
    assert.equal(quote(tie).quote?.providerId, 'fx-c');
  });

  it('between equal routes, the lower provider id is chosen, whatever the order of publishing', () => {
    for (const order of [['fx-b', 'fx-d'], ['fx-d', 'fx-b']] as const) {
      const config = routesConfig();
      config.participants.push({ id: 'fx-d', name: 'FX D', kind: 'fx_provider', country: 'HK',
        currencies: ['CNY', 'BRL'] });
      config.issuance?.push({ currency: 'BRL', participant: 'fx-d', amount: '100000.00' });
      config.rates = (config.rates ?? []).filter((rate) => rate.target !== 'BRL');
      for (const provider of order) {
        config.rates.push({ provider, source: 'CNY', target: 'BRL', rate: '0.7', fee: '1.00' });
      }
      const engine = new NetworkEngine();
      engine.apply(configToCommands(config, NOW), NOW);
      assert.equal(quote(engine).quote?.route?.[1]?.providerId, 'fx-b', order.join());
    }
  });

  it('settles as one linked chain across three currencies: every account, supply unchanged', () => {
    const engine = network();
    const q = quote(engine).quote;
    assert.ok(q !== undefined);
    const before = balances(engine);
    const supply = supplies(engine);
    const result = pay(engine, q.clientId, '1');
    assert.equal(result.code, 'ok', result.message);
    const payment = result.payment;
    assert.ok(payment !== undefined);
    assert.equal(payment.status, 'ACCC');
    assert.deepEqual(payment.route, q.route);
    assert.equal(payment.fxProvider, 'fx-a');
    assert.deepEqual(payment.legs.map((leg) => [leg.role, leg.debitAccountId, leg.creditAccountId,
      leg.amount, leg.currency]), [
      ['debtor_to_provider', 'et-bank:ETB', 'fx-a:ETB', 100_000n, 'ETB'],
      ['provider_to_provider', 'fx-a:CNY', 'fx-b:CNY', 4_900n, 'CNY'],
      ['fee', 'fx-a:CNY', 'fx-b:CNY:fees', 100n, 'CNY'],
      ['provider_to_creditor', 'fx-b:BRL', 'br-bank:BRL', 3_430n, 'BRL'],
      ['fee', 'et-bank:ETB', 'operator:ETB:fees', 10n, 'ETB'],
      ['fee', 'et-bank:ETB', 'fx-a:ETB:fees', 200n, 'ETB'],
    ]);
    const after = balances(engine);
    const moved = new Map(
      ACCOUNTS.map((id) => [id, (after.get(id) ?? 0n) - (before.get(id) ?? 0n)]),
    );
    assert.deepEqual(Object.fromEntries(moved), {
      'et-bank:ETB': -100_210n,
      'fx-a:ETB': 100_000n,
      'fx-a:ETB:fees': 200n,
      'operator:ETB:fees': 10n,
      'fx-a:CNY': -5_000n,
      'fx-b:CNY': 4_900n,
      'fx-b:CNY:fees': 100n,
      'fx-b:BRL': -3_430n,
      'br-bank:BRL': 3_430n,
    });
    assert.deepEqual(supplies(engine), supply);
    assert.equal(engine.state.quotes.get(q.id)?.usedBy, payment.id);
    // Cost at the route's mid (0.05 × 0.7): 3430 BRL is worth 98,000 ETB of the 100,210 debited.
    // Both spreads (none here) and all fees: 10 + 200 ETB, and FX B's 1.00 CNY (20.00 ETB).
    const values = midValuesOf(payment);
    assert.deepEqual(values, { debitedAtMid: 100_210n * MID_VALUE_SCALE,
      creditedAtMid: 98_000n * MID_VALUE_SCALE });
    assert.equal(costBps(values), 220.536872);
  });

  it('all or nothing: the second provider short of BRL rejects the whole payment, nothing moves', () => {
    const engine = network();
    const q = quote(engine).quote;
    assert.ok(q !== undefined);
    // FX B pays away all but 10.00 BRL of its liquidity after quoting.
    const drain = run(engine, { type: 'create_payment', actor: 'fx-b', payment: {
      id: 'drain', mode: 'instant', creditorAgent: 'br-bank', debtorAgent: 'fx-b',
      currency: 'BRL', amount: 9_999_000n, debtor: { name: 'FX B' },
      creditor: { name: 'Banco Teste' }, endToEndId: 'drain',
      uetr: '8a562c67-ca16-48ba-b074-65581be6f0ff' },
    screening: { hit: false, matches: [] }, receivedAt: NOW });
    assert.equal(drain.payment?.status, 'ACCC', drain.message);
    const before = balances(engine);
    const supply = supplies(engine);
    const payment = pay(engine, q.clientId, '2').payment;
    assert.equal(payment?.status, 'RJCT');
    assert.equal(payment?.reason, 'AM04');
    assert.equal(payment?.detail, 'fx_provider_insufficient_liquidity');
    assert.deepEqual(balances(engine), before);
    assert.deepEqual(supplies(engine), supply);
    assert.equal(engine.state.quotes.get(q.id)?.usedBy, undefined);
  });

  it('a suspended second provider rejects the payment (AC06), nothing moves', () => {
    const engine = network();
    const q = quote(engine).quote;
    assert.ok(q !== undefined);
    run(engine, { type: 'set_participant_status', actor: 'operator', participantId: 'fx-b',
      status: 'suspended' });
    const before = balances(engine);
    const payment = pay(engine, q.clientId, '3').payment;
    assert.equal(payment?.status, 'RJCT');
    assert.equal(payment?.reason, 'AC06');
    assert.deepEqual(balances(engine), before);
  });

  it('a routed payment is not returned through its route: refused, nothing moves', () => {
    const engine = network();
    const q = quote(engine).quote;
    assert.ok(q !== undefined);
    const payment = pay(engine, q.clientId, '4').payment;
    assert.ok(payment !== undefined);
    const result = run(engine, { type: 'return_payment', actor: 'br-bank', returnId: 'r-1',
      originalPaymentId: payment.id, amount: 1_000n, reason: 'CUST',
      uetr: '8a562c67-ca16-48ba-b074-65581be6f0aa', receivedAt: NOW });
    assert.equal(result.code, 'payment_not_returnable');
  });
});

describe('the route search', () => {
  const CURRENCIES = ['ETB', 'CNY', 'BRL', 'INR', 'USD'] as const;
  const ISSUERS = ['nbe', 'pboc', 'bcb', 'rbi', 'fed'] as const;
  const PROVIDERS = ['fx-a', 'fx-b', 'fx-c', 'fx-d'] as const;

  function book(
    rates: { provider: number; source: number; target: number; noise: number; spreadBps: number;
      fee: number }[],
    liquidity: number[],
  ): NetworkEngine {
    const config: NetworkConfigFile = {
      operator: { id: 'operator', name: 'Operator' },
      currencies: CURRENCIES.map((code, index) => ({ code, issuer: ISSUERS[index] ?? '' })),
      participants: [
        ...CURRENCIES.map((code, index) => ({ id: ISSUERS[index] ?? '', name: code,
          kind: 'central_bank' as const, country: 'ZZ', currencies: [code] })),
        { id: 'et-bank', name: 'Addis Bank', kind: 'bank', country: 'ET', currencies: ['ETB'] },
        ...PROVIDERS.map((id) => ({ id, name: id, kind: 'fx_provider' as const, country: 'ZZ',
          currencies: [...CURRENCIES] })),
      ],
      rates: rates.filter((rate) => rate.source !== rate.target).map((rate) => ({
        provider: PROVIDERS[rate.provider] ?? '', source: CURRENCIES[rate.source] ?? '',
        target: CURRENCIES[rate.target] ?? '', rate: rateNear(rate.source, rate.target, rate.noise),
        spreadBps: rate.spreadBps,
        fee: (rate.fee / 100).toFixed(2) })),
      issuance: [
        { currency: 'ETB', participant: 'et-bank', amount: '1000000.00' },
        ...PROVIDERS.flatMap((participant, p) => CURRENCIES.map((currency, c) => ({
          currency, participant,
          amount: ((liquidity[p * CURRENCIES.length + c] ?? 0) / 100).toFixed(2) })))
          .filter((issue) => issue.amount !== '0.00'),
      ],
    };
    const engine = new NetworkEngine();
    const setup = engine.apply(configToCommands(config, NOW), NOW);
    assert.equal(setup.results.find((result) => result.code !== 'ok')?.message, undefined);
    return engine;
  }

  /** Value of a unit in millionths of a dollar: rates are near these cross rates. */
  const VALUES = [17_500n, 140_000n, 200_000n, 12_000n, 1_000_000n];

  /** A rate near the cross rate of its pair, `noise` basis points off, at 8 decimals. */
  function rateNear(source: number, target: number, noise: number): string {
    const numerator = (VALUES[source] ?? 1n) * BigInt(10_000 + noise);
    return formatRate({ numerator, denominator: (VALUES[target] ?? 1n) * 10_000n }, 8);
  }

  it('skipping pairs that cannot win never changes the route (random rate books)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({
          provider: fc.integer({ min: 0, max: PROVIDERS.length - 1 }),
          // ETB is every request's source: half the rates leave it, to make routes likely.
          source: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: CURRENCIES.length - 1 })),
          target: fc.integer({ min: 1, max: CURRENCIES.length - 1 }),
          noise: fc.integer({ min: -300, max: 300 }),
          spreadBps: fc.integer({ min: 0, max: 100 }),
          fee: fc.integer({ min: 0, max: 500 }),
        }), { minLength: 12, maxLength: 40 }),
        fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 10_000_000_000 })), {
          minLength: PROVIDERS.length * CURRENCIES.length,
          maxLength: PROVIDERS.length * CURRENCIES.length,
        }),
        fc.record({
          target: fc.constantFrom('CNY', 'BRL', 'INR'),
          fixed: fc.constantFrom('send' as const, 'receive' as const),
          amount: fc.bigInt({ min: 1n, max: 1_000_000n }),
          feesIncluded: fc.constantFrom(undefined, 'all' as const, 'fx_provider' as const),
        }),
        (rates, liquidity, request) => {
          const engine = book(rates, liquidity);
          const state = engine.state;
          const command = { type: 'create_quote' as const, actor: 'et-bank', quoteId: 'q',
            source: 'ETB', target: request.target, fixed: request.fixed,
            amount: request.amount, routing: 'best' as const,
            ...(request.feesIncluded === undefined ? {} : { feesIncluded: request.feesIncluded }) };
          const ratesOf = (_state: unknown, source: string, target: string,
          ): Map<string, PublishedRate> =>
            new Map([...state.rates].filter(([, rate]) =>
              rate.source === source && rate.target === target));
          const directQuote = engine.apply([{ ...command, quoteId: 'direct',
            routing: 'direct' }], NOW).results[0]?.quote;
          const directRate = directQuote === undefined ? undefined
            : state.rates.get(rateKey(directQuote.providerId, 'ETB', request.target));
          const direct: Offer | undefined = directQuote === undefined || directRate === undefined
            ? undefined
            : { rate: directRate, sendAmount: directQuote.sendAmount,
              creditAmount: directQuote.creditAmount };
          const every = bestRoute(state, command, NOW, ratesOf, undefined, false);
          const expected =
            every !== undefined && (direct === undefined || betterThanDirect(every, direct))
              ? every : undefined;
          assert.deepEqual(bestRoute(state, command, NOW, ratesOf, direct), expected);
          assert.deepEqual(bestRoute(state, command, NOW, ratesOf), every);
          // The quote the engine gives is that route, or else the direct offer.
          const quote = engine.apply([{ ...command, quoteId: 'best' }], NOW).results[0]?.quote;
          assert.equal(quote?.route?.[0]?.providerId, expected?.first.providerId);
          assert.equal(quote?.route?.[1]?.providerId, expected?.second.providerId);
          assert.equal(quote?.creditAmount, (expected ?? direct)?.creditAmount);
          for (const hop of quote?.route ?? []) assert.notEqual(hop.target, 'USD');
        },
      ),
      { numRuns: 150, seed: 13 },
    );
  });
});
