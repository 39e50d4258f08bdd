// Proves the gateway's small rules on their own: agent resolution by BIC, member id and other id;
// the rates XchgRate may carry; the pacs.002 version answering each pacs.008 generation; the
// message id memory's bound and its in-flight claims; and the length of ISO payment ids.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openTestNetwork, type TestNetwork } from '../../testing/network-fixtures.js';
import { AgentDirectory } from './agents.js';
import { MessageMemory } from './message-memory.js';
import { ISO_IDENTIFIER_LENGTH_MAX, statusVersionFor } from './outbound.js';
import { REASON_OF_NETWORK_CODE } from './reasons.js';
import { carriableRates, isoPaymentId } from './transfers.js';

describe('agent resolution', () => {
  let test: TestNetwork;
  let directory: AgentDirectory;
  before(async () => {
    test = await openTestNetwork();
    for (const [id, bic] of [
      ['bank-a', 'BANKBRSP'],
      ['bank-b', 'BANKBRSP001'],
      ['bank-c', 'OTHRBRSPXXX'],
    ]) {
      const added = await test.network.addParticipant('operator', {
        id: id ?? '',
        name: id ?? '',
        kind: 'bank',
        country: 'BR',
        bic: bic ?? '',
        currencies: ['BRL'],
      });
      assert.equal(added.code, 'ok');
    }
    directory = new AgentDirectory(test.network);
  });
  after(async () => {
    await test.network.close();
  });

  const resolved = (agent: Parameters<AgentDirectory['resolve']>[0]) => {
    const result = directory.resolve(agent);
    return result.ok ? result.participant.id : result.problem;
  };

  it('resolves a BIC with or without its branch, and a full BIC before its institution', () => {
    assert.equal(resolved({ bic: 'OTHRBRSP' }), 'bank-c');
    assert.equal(resolved({ bic: 'OTHRBRSPXXX' }), 'bank-c');
    assert.equal(resolved({ bic: 'OTHRBRSP123' }), 'bank-c');
    assert.equal(resolved({ bic: 'BANKBRSPXXX' }), 'bank-a');
    assert.equal(resolved({ bic: 'BANKBRSP001' }), 'bank-b');
    // Two participants share the institution code: a third branch names neither.
    assert.equal(resolved({ bic: 'BANKBRSP777' }), 'unknown');
  });

  it('resolves member ids and other ids; identifiers naming two participants are ambiguous', () => {
    assert.equal(resolved({ memberId: 'br-bank' }), 'br-bank');
    assert.equal(resolved({ other: { identification: 'in-bank' } }), 'in-bank');
    assert.equal(resolved({ bic: 'NOTABICX', memberId: 'br-bank' }), 'br-bank');
    assert.equal(resolved({ bic: 'OTHRBRSP', memberId: 'br-bank' }), 'ambiguous');
    assert.equal(resolved({ bic: 'OTHRBRSP', memberId: 'bank-c' }), 'bank-c');
    assert.equal(resolved({ name: 'Banco Teste' }), 'unknown');
    assert.equal(resolved(undefined), 'unknown');
  });

  it('sees participants added later', async () => {
    await test.network.addParticipant('operator', {
      id: 'late',
      name: 'Late',
      kind: 'bank',
      country: 'BR',
      bic: 'LATEBRSP',
      currencies: ['BRL'],
    });
    assert.equal(resolved({ bic: 'LATEBRSP' }), 'late');
  });
});

describe('gateway rules', () => {
  it("XchgRate may carry the quote's rate, or that rate cut to 11 digits", () => {
    assert.deepEqual(carriableRates('15.4225'), ['15.4225', '15.4225']);
    assert.deepEqual(carriableRates('15.1234567891'), ['15.1234567891', '15.123456789']);
    assert.deepEqual(carriableRates('0.0636812345678'), ['0.0636812345678', '0.0636812345']);
    assert.deepEqual(carriableRates('123456789012'), ['123456789012', '123456789012']);
  });

  it('answers each pacs.008 generation with the pacs.002 of its ISO release', () => {
    assert.equal(statusVersionFor('pacs.008.001.08'), 10);
    assert.equal(statusVersionFor('pacs.008.001.10'), 12);
    assert.equal(statusVersionFor('pacs.008.001.11'), 13);
    assert.equal(statusVersionFor('pacs.008.001.12'), 13);
    assert.equal(statusVersionFor('pacs.008.001.13'), 15);
    assert.equal(statusVersionFor('pacs.009.001.08'), 10);
    assert.equal(statusVersionFor(undefined), 10);
  });

  it('remembers a bounded number of message ids per sender, and holds those in flight', () => {
    const memory = new MessageMemory(2);
    assert.equal(memory.claim('a', 'M1'), true);
    assert.equal(memory.claim('a', 'M1'), false, 'in flight');
    assert.equal(memory.claim('b', 'M1'), true, 'another sender');
    memory.release('a', 'M1', true);
    memory.release('b', 'M1', false);
    assert.equal(memory.claim('a', 'M1'), false, 'used');
    assert.equal(memory.claim('b', 'M1'), true, 'nothing recorded: free again');
    memory.remember('a', 'M2');
    memory.remember('a', 'M3');
    assert.equal(memory.claim('a', 'M1'), true, 'the oldest is forgotten first');
  });

  it('gives ISO payments ids that fit a Max35Text ClrSysRef, the same for the same message', () => {
    const id = isoPaymentId('iso', 'br-bank', 'M'.repeat(35), 999);
    assert.ok(id.length <= ISO_IDENTIFIER_LENGTH_MAX, id);
    assert.equal(id, isoPaymentId('iso', 'br-bank', 'M'.repeat(35), 999));
    assert.notEqual(id, isoPaymentId('iso', 'br-other', 'M'.repeat(35), 999));
  });

  it('maps every network refusal to an ISO status reason of four characters', () => {
    for (const [code, reason] of Object.entries(REASON_OF_NETWORK_CODE))
      assert.match(reason, /^[A-Z0-9]{4}$/, code);
  });
});
