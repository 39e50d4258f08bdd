// Bilateral central-bank swap lines: set by the issuer of the currency, drawn by the holding
// central bank up to the limit, lent on to its FX providers and repaid with interest
// (actual/360, rounded in the lender's favour); refusals change nothing, supply stays equal to
// balances, and replaying the applied commands gives the same state.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { serialize, deserialize } from 'node:v8';
import type { NetworkCommand, NetworkResult } from './commands.js';
import { decodeNetworkCommands, encodeNetworkCommands } from './codec.js';
import { configToCommands, validateNetworkConfig } from '../service/config.js';
import { NetworkEngine } from './engine.js';
import { drawn, onLent, overdue, swapInterest, swapLineKey, swapLines } from './swap-lines.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import { openTestNetwork, testNetworkConfig } from '../testing/network-fixtures.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 5, 1, 9);

type Journal = { commands: NetworkCommand[]; now: number }[];

function network(): { engine: NetworkEngine; journal: Journal } {
  const engine = new NetworkEngine();
  const journal: Journal = [];
  const setup = engine.apply(configToCommands(testNetworkConfig(), START), START);
  assert.equal(setup.results.find((result) => result.code !== 'ok')?.message, undefined);
  journal.push({ commands: setup.applied, now: START });
  return { engine, journal };
}

function runner(net: ReturnType<typeof network>) {
  return (command: NetworkCommand, now = START): NetworkResult => {
    const batch = net.engine.apply([command], now);
    if (batch.applied.length > 0) net.journal.push({ commands: batch.applied, now });
    const result = batch.results[0];
    assert.ok(result !== undefined);
    return result;
  };
}

const balance = (engine: NetworkEngine, account: string) =>
  engine.ledger.balance(account)?.posted ?? 0n;

/** Everything a refusal could touch: balances, supply and the line. */
function fingerprint(engine: NetworkEngine): string {
  const accounts = [...engine.ledger.accountIds()].map((id) => `${id}=${balance(engine, id)}`);
  return JSON.stringify({ accounts, lines: [...(engine.state.swapLines ?? new Map()).values()] },
    (_key, value: unknown) => typeof value === 'bigint' ? value.toString()
      : value instanceof Map ? [...value.entries()] : value);
}

const SET = { type: 'set_swap_line' as const, actor: 'bcb', holder: 'rbi', currency: 'BRL',
  limit: 1_000_000_00n, rateBps: 720, tenorDays: 90 };

describe('central-bank swap lines', () => {
  it('only the issuer sets a line, to another central bank, within range', () => {
    const net = network();
    const run = runner(net);
    const before = fingerprint(net.engine);
    assert.equal(run({ ...SET, actor: 'rbi' }).code, 'not_authorized');
    assert.equal(run({ ...SET, holder: 'br-bank' }).code, 'participant_not_found');
    assert.equal(run({ ...SET, holder: 'bcb' }).code, 'participant_not_found');
    assert.equal(run({ ...SET, currency: 'XYZ' }).code, 'currency_not_in_network');
    assert.equal(run({ ...SET, rateBps: 10_001 }).code, 'invalid_field');
    assert.equal(run({ ...SET, tenorDays: 0 }).code, 'invalid_field');
    assert.equal(run({ ...SET, limit: -1n }).code, 'invalid_field');
    assert.equal(fingerprint(net.engine), before);
    assert.equal(net.engine.ledger.balance('rbi:BRL'), undefined);
    assert.equal(run(SET).code, 'ok');
    // The holder's account in the currency is opened with the line.
    assert.equal(balance(net.engine, 'rbi:BRL'), 0n);
  });

  it('draws up to the limit, lends on to a provider, and both repay with interest', () => {
    const net = network();
    const { engine } = net;
    const run = runner(net);
    assert.equal(run({ type: 'draw_swap_line', actor: 'rbi', currency: 'BRL', amount: 1n }).code,
      'not_found');
    assert.equal(run(SET).code, 'ok');
    const supply = engine.supply('BRL') ?? 0n;
    const draw = { type: 'draw_swap_line' as const, actor: 'rbi', currency: 'BRL' };
    let before = fingerprint(engine);
    assert.equal(run({ ...draw, amount: 1_000_000_01n }).code, 'swap_line_limit_exceeded');
    assert.equal(run({ ...draw, amount: 0n }).code, 'invalid_field');
    assert.equal(run({ ...draw, actor: 'pboc', amount: 1n }).code, 'not_found');
    assert.equal(fingerprint(engine), before);
    assert.equal(run({ ...draw, amount: 600_000_00n }).code, 'ok');
    before = fingerprint(engine);
    assert.equal(run({ ...draw, amount: 400_000_01n }).code, 'swap_line_limit_exceeded');
    assert.equal(fingerprint(engine), before);
    assert.equal(balance(engine, 'rbi:BRL'), 600_000_00n);
    assert.equal(engine.supply('BRL'), supply + 600_000_00n);
    assert.equal(run({ ...SET, limit: 500_000_00n }).code, 'credit_limit_below_usage');
    // A suspended holder can neither draw nor lend on.
    assert.equal(run({ type: 'set_participant_status', actor: 'operator', participantId: 'rbi',
      status: 'suspended' }).code, 'ok');
    before = fingerprint(engine);
    assert.equal(run({ ...draw, amount: 1n }).code, 'actor_suspended');
    assert.equal(run({ type: 'lend_swap_funds', actor: 'rbi', currency: 'BRL',
      providerId: 'fx-one', amount: 1n }).code, 'actor_suspended');
    assert.equal(fingerprint(engine), before);
    assert.equal(run({ type: 'set_participant_status', actor: 'operator', participantId: 'rbi',
      status: 'active' }).code, 'ok');

    // On-lending: only to an FX provider of the holder's currency, from what it holds.
    const lend = { type: 'lend_swap_funds' as const, actor: 'rbi', currency: 'BRL',
      providerId: 'fx-one' };
    const providerBefore = balance(engine, 'fx-one:BRL');
    before = fingerprint(engine);
    assert.equal(run({ ...lend, providerId: 'br-bank', amount: 1n }).code, 'participant_not_found');
    assert.equal(run({ ...lend, amount: 600_000_01n }).code, 'insufficient_funds');
    assert.equal(run({ ...lend, actor: 'bcb', amount: 1n }).code, 'not_found');
    assert.equal(fingerprint(engine), before);
    assert.equal(run({ ...lend, amount: 250_000_00n }).code, 'ok');
    assert.equal(balance(engine, 'fx-one:BRL'), providerBefore + 250_000_00n);
    assert.equal(balance(engine, 'rbi:BRL'), 350_000_00n);
    const line = swapLines(engine.state).get(swapLineKey('rbi', 'BRL'));
    assert.ok(line !== undefined);
    assert.equal(drawn(line), 600_000_00n);
    assert.equal(onLent(line), 250_000_00n);
    assert.equal(onLent(line, 'fx-one'), 250_000_00n);
    // The rest goes to fx-two.
    assert.equal(run({ ...lend, providerId: 'fx-two', amount: 350_000_00n }).code, 'ok');
    assert.equal(balance(engine, 'rbi:BRL'), 0n);
    assert.equal(onLent(line), 600_000_00n);

    // Ten days later: the provider repays 250,000.00 + 250,000.00 × 7.20% × 10 / 360 = 500.00.
    const later = START + 9 * DAY + 1;
    assert.equal(swapInterest(line.onLent.get('fx-one') ?? [], line.rateBps, later), 500_00n);
    const repayFunds = { type: 'repay_swap_funds' as const, actor: 'fx-one', holder: 'rbi',
      currency: 'BRL' };
    assert.equal(run({ ...repayFunds, actor: 'br-bank' }, later).code, 'not_found');
    assert.equal(run(repayFunds, later).code, 'ok');
    assert.equal(balance(engine, 'fx-one:BRL'), providerBefore - 500_00n);
    assert.equal(balance(engine, 'rbi:BRL'), 250_500_00n);
    assert.equal(onLent(line), 350_000_00n);
    assert.equal(line.interestReceived, 500_00n);

    // The holder repays the issuer: 600,000.00 × 7.20% × 10 / 360 = 1,200.00 of interest,
    // which fx-one's interest covers only in part: refused, nothing changes.
    assert.equal(swapInterest(line.draws, line.rateBps, later), 1_200_00n);
    const repayLine = { type: 'repay_swap_line' as const, actor: 'rbi', currency: 'BRL' };
    before = fingerprint(engine);
    assert.equal(run(repayLine, later).code, 'insufficient_funds');
    assert.equal(fingerprint(engine), before);
    // fx-two repays 350,000.00 × 7.20% × 10 / 360 = 700.00 of interest.
    assert.equal(run({ ...repayFunds, actor: 'fx-two' }, later).code, 'ok');
    assert.equal(balance(engine, 'rbi:BRL'), 601_200_00n);
    const supplyBefore = engine.supply('BRL') ?? 0n;
    assert.equal(run(repayLine, later).code, 'ok');
    assert.equal(balance(engine, 'rbi:BRL'), 0n);
    // The principal ceases to exist and the interest is the issuer's income.
    assert.equal(engine.supply('BRL'), supplyBefore - 601_200_00n);
    assert.equal(engine.supply('BRL'), supply - 1_200_00n);
    assert.equal(drawn(line), 0n);
    assert.equal(line.interestPaid, 1_200_00n);
    assert.equal(run(repayLine, later).code, 'not_found');
    engine.checkAllInvariants();
  });

  it('a line past its tenor shows overdue; journal replay gives the same state; a snapshot round-trips', () => {
    const net = network();
    const { engine } = net;
    const run = runner(net);
    assert.equal(run({ ...SET, tenorDays: 7 }).code, 'ok');
    assert.equal(run({ type: 'draw_swap_line', actor: 'rbi', currency: 'BRL',
      amount: 360_000_00n }).code, 'ok');
    assert.equal(run({ type: 'lend_swap_funds', actor: 'rbi', providerId: 'fx-two',
      currency: 'BRL', amount: 100_000_00n }, START + DAY).code, 'ok');
    const line = swapLines(engine.state).get(swapLineKey('rbi', 'BRL'));
    assert.ok(line !== undefined);
    assert.equal(overdue(line, START + 6 * DAY), 0n);
    assert.equal(overdue(line, START + 7 * DAY), 360_000_00n);
    // Repaying after 30 days: 360,000.00 × 7.20% × 30 / 360 = 2,160.00.
    const later = START + 30 * DAY;
    assert.equal(run({ type: 'repay_swap_funds', actor: 'fx-two', holder: 'rbi',
      currency: 'BRL' }, later).code, 'ok');
    assert.equal(run({ type: 'issue', actor: 'rbi', id: 'x', participantId: 'in-bank',
      currency: 'INR', amount: 1n }, later).code, 'ok');
    const held = balance(engine, 'rbi:BRL');
    assert.equal(held, 360_000_00n + 580_00n);
    engine.checkAllInvariants();

    const replayed = new NetworkEngine();
    // Through the journal's encoding, as a restart or a standby reads it.
    for (const entry of net.journal) {
      replayed.apply(decodeNetworkCommands(encodeNetworkCommands(entry.commands)), entry.now);
    }
    assert.equal(fingerprint(replayed), fingerprint(engine));
    replayed.checkAllInvariants();

    const copy = deserialize(serialize(engine.state.swapLines)) as typeof engine.state.swapLines;
    assert.deepEqual(copy, engine.state.swapLines);
  });

  it('config swapLines[] sets lines at genesis; a holder that is not another central bank is refused', () => {
    const config = { ...testNetworkConfig(), swapLines: [{ currency: 'BRL', holder: 'rbi',
      limit: '1000.00', rateBps: 500, tenorDays: 30 }] };
    const valid = validateNetworkConfig(config);
    assert.ok(valid.ok, JSON.stringify(valid));
    const engine = new NetworkEngine();
    const setup = engine.apply(configToCommands(config, START), START);
    assert.equal(setup.results.find((result) => result.code !== 'ok')?.message, undefined);
    const line = swapLines(engine.state).get(swapLineKey('rbi', 'BRL'));
    assert.equal(line?.issuer, 'bcb');
    assert.equal(line?.limit, 1_000_00n);
    assert.equal(line?.tenorDays, 30);
    for (const holder of ['bcb', 'fx-one']) {
      const bad = { ...config, swapLines: [{ ...config.swapLines[0], holder }] };
      const result = validateNetworkConfig(bad);
      assert.ok(!result.ok);
      assert.deepEqual(result.errors.map((error) => error.field), ['/swapLines/0/holder'], holder);
    }
  });

  it('a restart on SQLite replays the journal to the same line and balances', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'corridor-swap-lines-'));
    const path = join(directory, 'network.db');
    try {
      const first = await openTestNetwork({ store: new SqliteStore({ path }) });
      const results = await first.network.submit([
        SET,
        { type: 'draw_swap_line', actor: 'rbi', currency: 'BRL', amount: 500_000_00n },
        { type: 'lend_swap_funds', actor: 'rbi', providerId: 'fx-one', currency: 'BRL',
          amount: 200_000_00n },
      ]);
      assert.deepEqual(results.map((result) => result.code), ['ok', 'ok', 'ok']);
      const expected = fingerprint(first.network.engine);
      await first.network.close();
      const second = await openTestNetwork({ store: new SqliteStore({ path }), configure: false });
      try {
        assert.equal(fingerprint(second.network.engine), expected);
        const line = second.network.engine.state.swapLines?.get(swapLineKey('rbi', 'BRL'));
        assert.equal(line === undefined ? undefined : onLent(line, 'fx-one'), 200_000_00n);
        second.network.engine.checkAllInvariants();
      } finally {
        await second.network.close();
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
