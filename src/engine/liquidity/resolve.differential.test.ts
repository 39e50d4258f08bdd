// Proves the flat-array gridlock resolution (resolve.ts, queue.ts planResolution) settles
// exactly the set of the map-based implementation before it (_test-reference.ts), on random
// queues and on random engine states: journals replay through it, so any difference is a bug.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { configToCommands } from '../../service/config.js';
import type { NetworkConfigFile } from '../../service/config-schema.js';
import type { NetworkCommand } from '../commands.js';
import { NetworkEngine } from '../engine.js';
import { uetrOf } from '../../testing/gridlock.js';
import {
  Positions as ReferencePositions, planResolution as referencePlan,
  resolveSet as referenceResolveSet,
} from './_test-reference.js';
import { planResolution } from './queue.js';
import { Positions, resolveSet, type Candidate } from './resolve.js';

const ACCOUNTS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const SENDERS = ['s1', 's2', 's3'];

interface Case {
  /** Per account: what it holds; huge stands for an issuer's unbounded balance. */
  readonly available: readonly bigint[];
  readonly payments: readonly {
    readonly legs: readonly { from: number; to: number; amount: bigint }[];
    readonly sender: number | undefined;
  }[];
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  available: fc.array(fc.oneof(
    { weight: 6, arbitrary: fc.bigInt(0n, 300n) },
    { weight: 1, arbitrary: fc.bigInt(-50n, -1n) },
    { weight: 1, arbitrary: fc.constant(2n ** 127n - 1n) },
  ), { minLength: ACCOUNTS.length, maxLength: ACCOUNTS.length }),
  payments: fc.array(fc.record({
    legs: fc.array(fc.record({ from: fc.nat(ACCOUNTS.length - 1),
      to: fc.nat(ACCOUNTS.length - 1), amount: fc.bigInt(1n, 120n) }),
    { minLength: 1, maxLength: 4 }),
    sender: fc.option(fc.nat(SENDERS.length - 1), { nil: undefined }),
  }), { minLength: 0, maxLength: 40, size: 'max' }),
});

/** The candidates as netsOf builds them (a leg from an account to itself nets to zero). */
function candidatesOf(testCase: Case): Candidate[] {
  return testCase.payments.map(({ legs, sender }) => {
    const nets = new Map<string, bigint>();
    for (const leg of legs) {
      const from = ACCOUNTS[leg.from] as string;
      const to = ACCOUNTS[leg.to] as string;
      nets.set(from, (nets.get(from) ?? 0n) - leg.amount);
      nets.set(to, (nets.get(to) ?? 0n) + leg.amount);
    }
    return sender === undefined ? { nets } : { nets, sender: SENDERS[sender] as string };
  });
}

describe('resolveSet() against the reference implementation', () => {
  it('settles the same set and leaves the same positions on random queues', () => {
    let payments = 0;
    fc.assert(fc.property(caseArb, (testCase) => {
      const available = (account: string): bigint =>
        testCase.available[ACCOUNTS.indexOf(account)] ?? 0n;
      const candidates = candidatesOf(testCase);
      const positions = new Positions(available);
      const reference = new ReferencePositions(available);
      assert.deepEqual(resolveSet(candidates, positions),
        referenceResolveSet(candidates, reference));
      for (const account of ACCOUNTS) assert.equal(positions.get(account), reference.get(account));
      payments += candidates.length;
    }), { numRuns: 5_000, seed: 20_261_213 });
    assert.ok(payments >= 90_000, `${payments} payments`);
  });
});

const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);
const CURRENCIES = ['BRL', 'INR', 'CNY'] as const;
const BANKS = 3;
const PROVIDERS = ['fx-a', 'fx-b'];
const bankOf = (currency: number, index: number): string =>
  `b-${(CURRENCIES[currency] as string).toLowerCase()}-${index}`;

function config(held: readonly string[]): NetworkConfigFile {
  const banks = CURRENCIES.flatMap((code, currency) => Array.from({ length: BANKS },
    (_, index) => ({ id: bankOf(currency, index), currency: code })));
  return {
    operator: { id: 'operator', name: 'Operator' },
    settings: { quoteTtlSeconds: 3600,
      queue: { enabled: true, capacity: 10_000, cycleMs: 60_000 } },
    currencies: CURRENCIES.map((code) => ({ code, issuer: `cb-${code.toLowerCase()}` })),
    participants: [
      ...CURRENCIES.map((code) => ({ id: `cb-${code.toLowerCase()}`, name: `CB ${code}`,
        kind: 'central_bank' as const, country: 'AE', currencies: [code] })),
      ...banks.map(({ id, currency }) => ({ id, name: id, kind: 'bank' as const, country: 'AE',
        currencies: [currency] })),
      ...PROVIDERS.map((id) => ({ id, name: id, kind: 'fx_provider' as const, country: 'AE',
        currencies: [...CURRENCIES] })),
    ],
    rates: PROVIDERS.flatMap((provider, rank) => CURRENCIES.flatMap((source) => CURRENCIES
      .filter((target) => target !== source)
      .map((target) => ({ provider, source, target, rate: rank === 0 ? '1' : '1.1',
        spreadBps: 10 * rank, amountMax: '1000000.00' })))),
    issuance: [
      ...banks.map(({ id, currency }, index) => ({ currency, participant: id,
        amount: held[index] ?? '0.00' })),
      ...PROVIDERS.flatMap((participant, rank) => CURRENCIES.map((currency, index) => ({
        currency, participant, amount: held[BANKS * CURRENCIES.length + rank * 3 + index] ?? '0.00',
      }))),
    ].filter(({ amount }) => amount !== '0.00'), // nothing issued: holds nothing
  };
}

interface Pay {
  readonly from: [number, number];
  readonly to: [number, number];
  readonly amount: bigint;
  readonly urgent: boolean;
}

const payArb: fc.Arbitrary<Pay> = fc.record({
  from: fc.tuple(fc.nat(CURRENCIES.length - 1), fc.nat(BANKS - 1)),
  to: fc.tuple(fc.nat(CURRENCIES.length - 1), fc.nat(BANKS - 1)),
  amount: fc.bigInt(100n, 6_000n),
  urgent: fc.boolean(),
}).filter((pay) => pay.from[0] !== pay.to[0] || pay.from[1] !== pay.to[1]);

/** A payment's commands: domestic, or a quote then the payment across currencies. */
function commandsOf(pay: Pay, id: string): NetworkCommand[] {
  const from = bankOf(pay.from[0], pay.from[1]);
  const to = bankOf(pay.to[0], pay.to[1]);
  const source = CURRENCIES[pay.from[0]] as string;
  const target = CURRENCIES[pay.to[0]] as string;
  const payment = {
    id, mode: 'instant' as const, debtorAgent: from, creditorAgent: to,
    debtor: { name: 'Debtor' }, creditor: { name: 'Creditor' }, endToEndId: id,
    uetr: uetrOf(id), priority: pay.urgent ? 'urgent' as const : 'normal' as const,
  };
  const screening = { hit: false, matches: [] };
  if (source === target) {
    return [{ type: 'create_payment', actor: from, screening,
      payment: { ...payment, currency: source, amount: pay.amount } }];
  }
  return [
    { type: 'create_quote', actor: from, quoteId: `q-${id}`, source, target, fixed: 'send',
      amount: pay.amount },
    { type: 'create_payment', actor: from, screening, payment: { ...payment, quoteId: `q-${id}` } },
  ];
}

/** The plan as (payment id, how) pairs, in order. */
function planOf(plan: readonly { payment: { id: string }; how: string }[]): string[] {
  return plan.map(({ payment, how }) => `${payment.id}:${how}`);
}

describe('planResolution() against the reference implementation', () => {
  it('decides the same set, in the same order and the same way, on random engine states', () => {
    let compared = 0;
    let settled = 0;
    const heldArb = fc.array(fc.constantFrom('0.00', '5.00', '20.00', '60.00', '1000.00'),
      { minLength: 15, maxLength: 15 });
    const roundsArb = fc.array(fc.array(payArb, { minLength: 1, maxLength: 25 }),
      { minLength: 1, maxLength: 4 });
    fc.assert(fc.property(heldArb, roundsArb, (held, rounds) => {
      const engine = new NetworkEngine();
      const setup = engine.apply(configToCommands(config(held), T0), T0);
      const refused = setup.results.find((result) => result.code !== 'ok');
      assert.equal(refused, undefined, JSON.stringify(refused));
      engine.state.queue.lastRunAt = T0;
      let now = T0 + 1;
      let sequence = 0;
      for (const round of rounds) {
        const commands = round.flatMap((pay) => commandsOf(pay, `p${sequence++}`));
        const batch = engine.apply(commands, now);
        const failed = batch.results.find((result) => result.code !== 'ok');
        assert.equal(failed, undefined, JSON.stringify(failed));
        const plan = planOf(planResolution(engine.state));
        assert.deepEqual(plan, planOf(referencePlan(engine.state)));
        compared += engine.state.queue.entries.size;
        settled += plan.length;
        // The pass settles the plan; the next round starts from what is left.
        now += 60_000;
        engine.apply([{ type: 'run_queue', actor: 'operator' }], now);
        engine.checkAllInvariants();
      }
    }), { numRuns: 150, seed: 20_261_214 });
    assert.ok(compared >= 2_000 && settled > 0, `${compared} queued, ${settled} settled`);
  });
});
