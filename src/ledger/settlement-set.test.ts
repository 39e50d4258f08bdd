// Proves applySet(): a set of transfers is checked net after its last transfer, all or nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accountCommand, postedTransfer } from '../testing/ledger-fixtures.js';
import { LedgerEngine } from './engine.js';
import type { Command } from './types.js';

const T0 = 1_700_000_000_000;

/** Three banks, 10 each in INR, funded by the issuer. */
function gridlocked(): LedgerEngine {
  const engine = new LedgerEngine();
  const setup: Command[] = [accountCommand('cb', 'INR', { issuer: true })];
  for (const bank of ['a', 'b', 'c']) setup.push(accountCommand(bank, 'INR'));
  for (const bank of ['a', 'b', 'c']) setup.push(postedTransfer(`fund-${bank}`, 'cb', bank, 10n, 'INR'));
  engine.apply(setup, T0);
  return engine;
}

/** a owes b 100, b owes c 100, c owes a 100: each can fund only 10% of it. */
const cycle: Command[] = [
  postedTransfer('ab', 'a', 'b', 100n, 'INR'),
  postedTransfer('bc', 'b', 'c', 100n, 'INR'),
  postedTransfer('ca', 'c', 'a', 100n, 'INR'),
];

describe('LedgerEngine.applySet()', () => {
  it('settles a gridlock that a linked chain checked per transfer refuses', () => {
    const chain = gridlocked();
    const linked = cycle.map((command, index) =>
      command.type === 'create_transfer'
        ? { ...command, transfer: { ...command.transfer, linked: index < cycle.length - 1 } }
        : command);
    const gross = chain.apply(linked, T0 + 1);
    assert.deepEqual(gross.results.map((result) => result.code),
      ['insufficient_funds', 'linked_event_failed', 'linked_event_failed']);

    const engine = gridlocked();
    const outcome = engine.applySet(cycle, T0 + 1);
    assert.deepEqual(outcome.results.map((result) => result.code), ['ok', 'ok', 'ok']);
    // Every payment keeps its own gross transfer: three transfers, no net one.
    assert.equal(outcome.transfers.length, 3);
    for (const bank of ['a', 'b', 'c']) assert.equal(engine.balance(bank)?.posted, 10n);
    engine.checkAllInvariants();
  });

  it('undoes every transfer when one account ends below its limit', () => {
    const engine = gridlocked();
    const set = [...cycle, postedTransfer('ab2', 'a', 'b', 11n, 'INR')];
    const outcome = engine.applySet(set, T0 + 1);
    assert.deepEqual(outcome.results.map((result) => result.code),
      ['insufficient_funds', 'linked_event_failed', 'linked_event_failed', 'linked_event_failed']);
    assert.equal(outcome.transfers.length, 0);
    assert.equal(outcome.applied.length, 0);
    for (const bank of ['a', 'b', 'c']) assert.equal(engine.balance(bank)?.posted, 10n);
    assert.equal(engine.hasTransfer('ab'), false);
    engine.checkAllInvariants();
  });

  it('accepts a set that leaves an account exactly at its credit limit', () => {
    const engine = gridlocked();
    engine.apply([{ type: 'set_credit_limit', accountId: 'a', creditLimit: 5n }], T0 + 1);
    const outcome = engine.applySet([postedTransfer('x', 'a', 'b', 15n, 'INR')], T0 + 2);
    assert.equal(outcome.results[0]?.code, 'ok');
    assert.equal(engine.balance('a')?.available, 0n);
  });

  it('fails as a whole on any other refusal, and keeps the per-transfer check elsewhere', () => {
    const engine = gridlocked();
    const outcome = engine.applySet([...cycle, postedTransfer('bad', 'a', 'nobody', 1n, 'INR')],
      T0 + 1);
    assert.equal(outcome.results[3]?.code, 'credit_account_not_found');
    assert.equal(outcome.results[0]?.code, 'linked_event_failed');
    assert.equal(engine.balance('a')?.posted, 10n);
    // apply() after a set is gross again.
    assert.equal(engine.apply([postedTransfer('ab', 'a', 'b', 100n, 'INR')], T0 + 2).results[0]
      ?.code, 'insufficient_funds');
  });

  it('refuses commands that are not transfers as a programmer error', () => {
    const engine = gridlocked();
    assert.throws(() => engine.applySet([accountCommand('d', 'INR')], T0 + 1), /applySet/);
  });
});
