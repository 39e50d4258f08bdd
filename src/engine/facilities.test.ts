// The standing facility: set by the issuing central bank, drawn and repaid with interest by a
// participant; intraday credit left in use at day end becomes an overnight facility loan as far
// as the limit allows, the rest flagged overdue; all deterministic in engine time.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NetworkCommand, NetworkResult } from './commands.js';
import { configToCommands, validateNetworkConfig } from '../service/config.js';
import { NetworkEngine } from './engine.js';
import { facilities, facilityKey, interestDue, outstanding } from './facilities.js';
import { testNetworkConfig } from '../testing/network-fixtures.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 5, 1, 9);

function network(): NetworkEngine {
  const engine = new NetworkEngine();
  const setup = engine.apply(configToCommands(testNetworkConfig(), START), START);
  assert.equal(setup.results.find((result) => result.code !== 'ok')?.message, undefined);
  return engine;
}

function run(engine: NetworkEngine, command: NetworkCommand, now = START): NetworkResult {
  const result = engine.apply([command], now).results[0];
  assert.ok(result !== undefined);
  return result;
}

const balance = (engine: NetworkEngine, account: string) =>
  engine.ledger.balance(account)?.posted ?? 0n;

describe('the standing facility', () => {
  it('only the issuer sets it, within range; a participant draws up to its limit and repays with interest', () => {
    const engine = network();
    const set = { type: 'set_facility' as const, actor: 'bcb', participantId: 'br-bank',
      currency: 'BRL', limit: 100_000_00n, rateBps: 1_080 };
    assert.equal(run(engine, { ...set, actor: 'rbi' }).code, 'not_authorized');
    assert.equal(run(engine, { ...set, participantId: 'in-bank' }).code, 'account_not_found');
    assert.equal(run(engine, { ...set, rateBps: 10_001 }).code, 'invalid_field');
    assert.equal(run(engine, { ...set, participantId: 'bcb' }).code, 'participant_not_found');
    assert.equal(run(engine, set).code, 'ok');
    assert.equal(run(engine, { type: 'draw_facility', actor: 'br-other', currency: 'BRL',
      amount: 1n }).code, 'not_found');
    const supply = engine.supply('BRL') ?? 0n;
    const before = balance(engine, 'br-bank:BRL');
    const draw = { type: 'draw_facility' as const, actor: 'br-bank', currency: 'BRL' };
    assert.equal(run(engine, { ...draw, amount: 100_000_01n }).code, 'facility_limit_exceeded');
    assert.equal(run(engine, { ...draw, amount: 0n }).code, 'invalid_field');
    assert.equal(run(engine, { ...draw, amount: 60_000_00n }).code, 'ok');
    assert.equal(run(engine, { ...draw, amount: 40_000_01n }).code, 'facility_limit_exceeded');
    assert.equal(balance(engine, 'br-bank:BRL'), before + 60_000_00n);
    assert.equal(engine.supply('BRL'), supply + 60_000_00n);
    // The limit may not fall below what is lent.
    assert.equal(run(engine, { ...set, limit: 50_000_00n }).code, 'credit_limit_below_usage');
    // Three days later: 60,000.00 × 10.80% × 3 / 360 = 54.00 BRL of interest.
    const later = START + 2 * DAY + 1;
    const facility = facilities(engine.state).get(facilityKey('br-bank', 'BRL'));
    assert.ok(facility !== undefined);
    assert.equal(interestDue(facility, later), 54_00n);
    assert.equal(run(engine, { type: 'repay_facility', actor: 'br-bank', currency: 'BRL' }, later)
      .code, 'ok');
    assert.equal(balance(engine, 'br-bank:BRL'), before - 54_00n);
    assert.equal(engine.supply('BRL'), supply - 54_00n);
    assert.equal(outstanding(facility), 0n);
    assert.equal(facility.interestPaid, 54_00n);
    assert.equal(run(engine, { type: 'repay_facility', actor: 'br-bank', currency: 'BRL' }, later)
      .code, 'not_found');
    engine.checkAllInvariants();
  });

  it('a repayment the account cannot cover changes nothing', () => {
    const engine = network();
    run(engine, { type: 'set_facility', actor: 'bcb', participantId: 'br-bank', currency: 'BRL',
      limit: 10_00n, rateBps: 500 });
    run(engine, { type: 'draw_facility', actor: 'br-bank', currency: 'BRL', amount: 10_00n });
    const held = balance(engine, 'br-bank:BRL');
    run(engine, { type: 'redeem', actor: 'bcb', id: 'r', participantId: 'br-bank',
      currency: 'BRL', amount: held - 5_00n });
    const result = run(engine, { type: 'repay_facility', actor: 'br-bank', currency: 'BRL' });
    assert.equal(result.code, 'insufficient_funds');
    assert.equal(balance(engine, 'br-bank:BRL'), 5_00n);
    assert.equal(outstanding(facilities(engine.state).get('br-bank|BRL') ?? { loans: [] } as never),
      10_00n);
  });

  it('at day end, intraday credit in use becomes an overnight loan up to the limit; the rest is overdue', () => {
    const engine = network();
    run(engine, { type: 'grant_credit', actor: 'bcb', participantId: 'br-bank', currency: 'BRL',
      limit: 2_000_000_00n });
    run(engine, { type: 'set_facility', actor: 'bcb', participantId: 'br-bank', currency: 'BRL',
      limit: 300_000_00n, rateBps: 1_000 });
    // br-bank pays away all it holds and 500,000.00 more, on intraday credit.
    const held = balance(engine, 'br-bank:BRL');
    const pay = (id: string, amount: bigint) => run(engine, { type: 'create_payment',
      actor: 'br-bank', payment: { id, mode: 'instant', debtorAgent: 'br-bank',
        creditorAgent: 'br-other', currency: 'BRL', amount, debtor: { name: 'A' },
        creditor: { name: 'B' }, endToEndId: id,
        uetr: `8a562c67-ca16-48ba-b074-65581be6f0${id}` },
      screening: { hit: false, matches: [] }, receivedAt: START });
    // The BRL scheme fee is 0.50 a payment.
    assert.equal(pay('01', held - 50n).payment?.status, 'ACCC');
    assert.equal(pay('02', 500_000_00n - 50n).payment?.status, 'ACCC');
    assert.equal(balance(engine, 'br-bank:BRL'), -500_000_00n);
    // Same day: nothing happens.
    engine.apply([], START + 3_600_000);
    assert.equal(balance(engine, 'br-bank:BRL'), -500_000_00n);
    // The first batch of the next day converts 300,000.00; 200,000.00 stays overdue.
    const supply = engine.supply('BRL') ?? 0n;
    const batch = engine.apply([], Date.UTC(2026, 5, 2, 0, 0, 1));
    assert.equal(balance(engine, 'br-bank:BRL'), -200_000_00n);
    assert.equal(engine.supply('BRL'), supply + 300_000_00n);
    const facility = facilities(engine.state).get('br-bank|BRL');
    assert.equal(facility?.overdue, 200_000_00n);
    assert.deepEqual(facility?.loans.map((loan) => [loan.origin, loan.principal]),
      [['day_end', 300_000_00n]]);
    assert.ok(batch.context.ledgerOutcomes.some((outcome) => outcome.applied.length > 0));
    // Once a day: a later batch the same day changes nothing more.
    engine.apply([], Date.UTC(2026, 5, 2, 12));
    assert.equal(facility?.loans.length, 1);
    engine.checkAllInvariants();
  });

  it('replaying the same batches gives the same facilities, and a network without one is untouched', () => {
    const batches: [NetworkCommand[], number][] = [
      [configToCommands(testNetworkConfig(), START), START],
      [[{ type: 'grant_credit', actor: 'bcb', participantId: 'br-bank', currency: 'BRL',
        limit: 10_000_000_00n }], START],
      [[{ type: 'set_facility', actor: 'bcb', participantId: 'br-bank', currency: 'BRL',
        limit: 1_000_000_00n, rateBps: 700 }], START],
      [[{ type: 'draw_facility', actor: 'br-bank', currency: 'BRL', amount: 5_00n }], START + 1],
      [[], START + DAY],
      [[{ type: 'repay_facility', actor: 'br-bank', currency: 'BRL' }], START + 2 * DAY],
    ];
    const snapshot = (engine: NetworkEngine) => JSON.stringify(
      [...facilities(engine.state).values()], (_key, value: unknown) =>
        typeof value === 'bigint' ? value.toString() : value);
    const first = new NetworkEngine();
    const second = new NetworkEngine();
    for (const [commands, now] of batches) {
      first.apply(commands, now);
      second.apply(commands, now);
    }
    assert.equal(snapshot(first), snapshot(second));
    assert.equal(first.supply('BRL'), second.supply('BRL'));
    const plain = network();
    plain.apply([], START + 5 * DAY);
    assert.equal(facilities(plain.state).size, 0);
  });

  it('is configured per network at genesis (facilities[]), validated like credit[]', () => {
    const config = testNetworkConfig();
    config.facilities = [{ currency: 'INR', participant: 'fx-one', limit: '5000000.00',
      rateBps: 650 }];
    assert.equal(validateNetworkConfig(config).ok, true);
    const engine = new NetworkEngine();
    engine.apply(configToCommands(config, START), START);
    const facility = facilities(engine.state).get('fx-one|INR');
    assert.equal(facility?.limit, 5_000_000_00n);
    assert.equal(facility?.rateBps, 650);
    config.facilities = [{ currency: 'CNY', participant: 'br-bank', limit: '1.00', rateBps: 1 }];
    assert.equal(validateNetworkConfig(config).ok, false);
    config.facilities = [{ currency: 'BRL', participant: 'br-bank', limit: '1.00',
      rateBps: 10_001 }];
    assert.equal(validateNetworkConfig(config).ok, false);
  });
});
