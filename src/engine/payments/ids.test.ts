// Proves that payment and quote ids are scoped per participant (the same id from two banks is
// two records, and one bank learns nothing of the other's), that a UETR is refused while an
// earlier payment holds it, and that an idempotent retry is judged on what the client sent.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { NetworkCommand, NetworkResult } from '../commands.js';
import { decodeNetworkEntry, encodeNetworkCommands } from '../codec.js';
import { NetworkEngine } from '../engine.js';
import { configToCommands } from '../../service/config.js';
import type { PartyScreener } from '../../service/service.js';
import { paymentKey, quoteKey, UETR_RETENTION_MS_DEFAULT } from './ids.js';
import { loadScreenerFromDirectory, SANCTIONS_SAMPLE_DIRECTORY } from '../../compliance/party-screener.js';
import {
  openTestNetwork, paymentInput, testNetworkConfig, TEST_EPOCH, type TestNetwork,
} from '../../testing/network-fixtures.js';
import type { Payment, ScreeningVerdict } from './model.js';

function paymentOf(result: NetworkResult): Payment {
  assert.equal(result.code, 'ok', result.message);
  assert.ok(result.payment !== undefined);
  return result.payment;
}

const UETR_A = '0f5b7c3e-1d2a-4b6c-8e9f-a0b1c2d3e4f5';
const UETR_B = '6a1c0e2d-3b4f-4a5e-9c8d-7e6f5a4b3c2d';

/** A domestic BRL payment of 10.00 from `from` to `to`. */
function domestic(to: string, fields: Record<string, unknown> = {}) {
  return paymentInput({ creditorAgent: to, currency: 'BRL', amount: 1_000n, ...fields });
}

describe('payment ids are scoped per participant', () => {
  it("pay() with another bank's id makes an independent payment, and tells nothing of the other", async () => {
    const test = await openTestNetwork();
    const network = test.network;
    const first = paymentOf(await network.pay('br-other', domestic('br-bank', { id: 'sec-b-instant-1' })));
    // br-bank cannot find it by that id…
    assert.equal((await network.reads.paymentOf('br-bank', 'sec-b-instant-1')), undefined);
    // …and using the id itself is a payment of its own, not a conflict with br-other's.
    const second = paymentOf(await network.pay('br-bank', domestic('br-other', { id: 'sec-b-instant-1' })));
    assert.notEqual(second.id, first.id);
    assert.equal(second.clientId, 'sec-b-instant-1');
    assert.equal(second.debtorAgent, 'br-bank');
    assert.equal(second.status, 'ACCC');
    assert.equal((await network.reads.paymentOf('br-other', 'sec-b-instant-1'))?.id, first.id);
    assert.equal((await network.reads.paymentOf('br-bank', 'sec-b-instant-1'))?.id, second.id);
    await network.close();
  });

  it('pay() retried by its owner returns the first result; other fields are still refused', async () => {
    const test = await openTestNetwork();
    const input = domestic('br-bank', { id: 'retry-1' });
    const first = paymentOf(await test.network.pay('br-other', input));
    const again = await test.network.pay('br-other', input);
    assert.equal(again.code, 'ok');
    assert.equal(again.replayed, true);
    assert.equal(again.payment?.id, first.id);
    const changed = await test.network.pay('br-other', { ...input, amount: 2_000n });
    assert.equal(changed.code, 'exists_with_different_fields');
    assert.equal(changed.isoReason, 'DUPL');
    await test.network.close();
  });

  it('the creditor agent acts on a payment by the network id it is shown', async () => {
    const test = await openTestNetwork();
    const network = test.network;
    const payment = paymentOf(await network.pay('br-bank', domestic('br-other', { id: 'two-1', mode: 'two_phase' })));
    assert.equal(payment.status, 'ACSP');
    // The debtor's own id means nothing to the creditor agent: it is not its payment.
    assert.equal((await network.accept('br-other', 'two-1')).code, 'payment_not_found');
    const accepted = paymentOf(await network.accept('br-other', payment.id));
    assert.equal(accepted.status, 'ACCC');
    await network.close();
  });

  it('returns are scoped to the returning agent: two creditors may use the same return id', async () => {
    const test = await openTestNetwork();
    const network = test.network;
    const toOther = paymentOf(await network.pay('br-bank', domestic('br-other')));
    const toBank = paymentOf(await network.pay('br-other', domestic('br-bank')));
    const one = paymentOf(await network.returnPayment('br-other', {
      originalPaymentId: toOther.id, amount: 100n, reason: 'CUST', returnId: 'rtn-1',
    }));
    const two = paymentOf(await network.returnPayment('br-bank', {
      originalPaymentId: toBank.id, amount: 100n, reason: 'CUST', returnId: 'rtn-1',
    }));
    assert.notEqual(one.id, two.id);
    assert.equal(one.returnOf, toOther.id);
    assert.equal(two.returnOf, toBank.id);
    await network.close();
  });
});

describe('network ids are a digest of (kind, owner, client id)', () => {
  const expected = (kind: string, owner: string, clientId: string): string =>
    createHash('sha256').update(`${kind}\n${owner}\n${clientId}`).digest('hex').slice(0, 32);

  it('paymentKey and quoteKey give the same id however often and in whatever order asked', () => {
    // Many distinct ids, some asked twice: always the SHA-256 of (kind, owner, client id).
    for (let round = 0; round < 2; round++) {
      for (let index = 0; index < 20_000; index += 1) {
        if (index % 997 !== 0 && round === 1) continue;
        const id = `id-${index}`;
        assert.equal(paymentKey('scoped', 'bank-a', id), `pm:${expected('payment', 'bank-a', id)}`);
        assert.equal(quoteKey('scoped', 'bank-a', id), `qt:${expected('quote', 'bank-a', id)}`);
      }
    }
    assert.notEqual(paymentKey('scoped', 'bank-a', 'x'), paymentKey('scoped', 'bank-b', 'x'));
    assert.equal(paymentKey('global', 'bank-a', 'x'), 'x');
  });
});

describe('quote ids are scoped per participant', () => {
  it("quote() with another bank's quote id makes its own quote; each pays with its own", async () => {
    const test = await openTestNetwork();
    const network = test.network;
    const request = { source: 'BRL', target: 'INR', fixed: 'send' as const, amount: 100_000n, quoteId: 'q-shared' };
    const theirs = await network.quote('br-other', request);
    assert.equal(theirs.code, 'ok');
    const mine = await network.quote('br-bank', { ...request, amount: 50_000n });
    assert.equal(mine.code, 'ok', mine.message);
    assert.notEqual(mine.quote?.id, theirs.quote?.id);
    assert.equal(mine.quote?.clientId, 'q-shared');
    assert.equal((await network.reads.quoteOf('br-bank', 'q-shared'))?.sendAmount, 50_000n);
    const replayed = await network.quote('br-bank', { ...request, amount: 50_000n });
    assert.equal(replayed.replayed, true);
    const changed = await network.quote('br-bank', request);
    assert.equal(changed.code, 'exists_with_different_fields');
    const paid = paymentOf(await network.pay('br-bank', paymentInput({ creditorAgent: 'in-bank', quoteId: 'q-shared' })));
    assert.equal(paid.sendAmount, 50_000n);
    assert.equal(paid.quoteId, 'q-shared');
    assert.equal((await network.reads.quoteOf('br-other', 'q-shared'))?.usedBy, undefined);
    await network.close();
  });
});

describe('UETRs are unique for the retention window', () => {
  it("pay() refuses another bank's UETR, and its own again under a new id (duplicate_uetr, DUPL)", async () => {
    const test = await openTestNetwork();
    const network = test.network;
    paymentOf(await network.pay('br-other', domestic('br-bank', { id: 'u-1', uetr: UETR_A })));
    const theirs = await network.pay('br-bank', domestic('br-other', { id: 'u-2', uetr: UETR_A }));
    assert.equal(theirs.code, 'duplicate_uetr');
    assert.equal(theirs.isoReason, 'DUPL');
    assert.equal(theirs.field, 'uetr');
    const own = await network.pay('br-other', domestic('br-bank', { id: 'u-3', uetr: UETR_A }));
    assert.equal(own.code, 'duplicate_uetr');
    assert.equal((await network.reads.paymentOf('br-other', 'u-3')), undefined);
    await network.close();
  });

  it('pay() retried with the same id and UETR is idempotent, not a duplicate UETR', async () => {
    const test = await openTestNetwork();
    const input = domestic('br-bank', { id: 'u-retry', uetr: UETR_B });
    const first = paymentOf(await test.network.pay('br-other', input));
    const again = await test.network.pay('br-other', input);
    assert.equal(again.code, 'ok');
    assert.equal(again.replayed, true);
    assert.equal(again.payment?.id, first.id);
    await test.network.close();
  });

  it('a UETR may be used again once the retention window has passed, and only then', async () => {
    const test: TestNetwork = await openTestNetwork();
    const network = test.network;
    paymentOf(await network.pay('br-other', domestic('br-bank', { uetr: UETR_A })));
    test.advance(UETR_RETENTION_MS_DEFAULT - 1);
    assert.equal((await network.pay('br-bank', domestic('br-other', { uetr: UETR_A }))).code, 'duplicate_uetr');
    test.advance(1);
    paymentOf(await network.pay('br-bank', domestic('br-other', { uetr: UETR_A })));
    assert.ok(network.engine.state.uetrs.size <= 2);
    await network.close();
  });

  it('the UETR window is a network setting (uetrRetentionDays)', async () => {
    const config = testNetworkConfig();
    config.settings = { ...config.settings, uetrRetentionDays: 1 };
    const test = await openTestNetwork({ config });
    paymentOf(await test.network.pay('br-other', domestic('br-bank', { uetr: UETR_B })));
    test.advance(86_400_000);
    paymentOf(await test.network.pay('br-bank', domestic('br-other', { uetr: UETR_B })));
    await test.network.close();
  });
});

describe('the idempotency fingerprint covers only what the client sent', () => {
  it('pay() retried after the sanctions list version changed returns the first result', async () => {
    const lists = loadScreenerFromDirectory(SANCTIONS_SAMPLE_DIRECTORY);
    let current: PartyScreener = lists.screener;
    const screener: PartyScreener = { screenParties: (parties) => current.screenParties(parties) };
    const test = await openTestNetwork({ screener });
    const input = domestic('br-bank', { id: 'fp-1' });
    const first = paymentOf(await test.network.pay('br-other', input));
    assert.match(first.screening?.listVersion ?? '', /un:/);
    // The same lists under a new version, as after a nightly reload.
    current = { screenParties: (parties) => ({ ...lists.screener.screenParties(parties), listVersion: 'reloaded' }) };
    const again = await test.network.pay('br-other', input);
    assert.equal(again.code, 'ok', again.message);
    assert.equal(again.replayed, true);
    assert.equal(again.payment?.id, first.id);
    await test.network.close();
  });

  it('pay() retried after the screening threshold changed the verdict returns the first result', async () => {
    let verdict: ScreeningVerdict = { hit: false, matches: [], listVersion: 'v1' };
    const screener = partyScreenerOf(() => verdict);
    const test = await openTestNetwork({ screener });
    const input = domestic('br-bank', { id: 'fp-2' });
    const first = paymentOf(await test.network.pay('br-other', input));
    assert.equal(first.status, 'ACCC');
    // A lower threshold now matches the creditor: the verdict differs, the request does not.
    verdict = {
      hit: true, listVersion: 'v1',
      matches: [{ party: 'creditor', source: 'un', listId: 'X', matchedName: 'CAFE', score: 0.8 }],
    };
    const again = await test.network.pay('br-other', input);
    assert.equal(again.code, 'ok', again.message);
    assert.equal(again.replayed, true);
    assert.equal(again.payment?.status, 'ACCC');
    await test.network.close();
  });
});

function partyScreenerOf(verdict: () => ScreeningVerdict): PartyScreener {
  return { screenParties: () => verdict() };
}

describe('journals written before ids were scoped still replay', () => {
  const at = TEST_EPOCH;
  const legacyCreate = (actor: string, id: string, uetr: string): NetworkCommand => ({
    type: 'create_payment',
    actor,
    payment: {
      id, mode: 'two_phase', debtorAgent: actor, creditorAgent: actor === 'br-bank' ? 'br-other' : 'br-bank',
      debtor: { name: 'Soja Exportadora Ltda' }, creditor: { name: 'Cafe do Sul Ltda' },
      currency: 'BRL', amount: 1_000n, endToEndId: `E2E-${id}`, uetr,
    },
    screening: { hit: false, matches: [] },
  });

  it('an entry in the old encoding keeps its global ids, its leg ids and its references', () => {
    const engine = new NetworkEngine();
    const setup = configToCommands(testNetworkConfig(), at);
    const oldSetup = (JSON.parse(encodeNetworkCommands(setup)) as { commands: unknown }).commands;
    const decodedSetup = decodeNetworkEntry(JSON.stringify(oldSetup));
    assert.equal(decodedSetup.ids, 'global');
    engine.apply(decodedSetup.commands, at, decodedSetup.ids);
    // Old entries: a payment named "old-1", accepted by its creditor agent by that name, and a
    // second payment that reused its UETR (accepted then; it must replay the same way).
    const legacy = decodeNetworkEntry(JSON.stringify([
      legacyCreate('br-bank', 'old-1', UETR_A),
      legacyCreate('br-bank', 'old-2', UETR_A),
    ], (_key, value: unknown) => (typeof value === 'bigint' ? { $n: value.toString() } : value)));
    assert.equal(legacy.ids, 'global');
    const created = engine.apply(legacy.commands, at + 1, legacy.ids);
    assert.deepEqual(created.results.map((result) => result.code), ['ok', 'ok']);
    const accept = decodeNetworkEntry(JSON.stringify([{ type: 'accept_payment', actor: 'br-other', paymentId: 'old-1' }]));
    engine.apply(accept.commands, at + 2, accept.ids);
    const old = engine.state.payments.get('old-1');
    assert.equal(old?.status, 'ACCC');
    assert.equal(old.legs[0]?.transferId, 'p:old-1:1');
    // After the upgrade, new entries are scoped; the owner's retry of an old payment is still
    // idempotent, and the creditor agent can still name it as it always did.
    const current = decodeNetworkEntry(encodeNetworkCommands([legacyCreate('br-bank', 'old-2', UETR_A)]));
    assert.equal(current.ids, 'scoped');
    const retried = engine.apply(current.commands, at + 3, current.ids);
    assert.equal(retried.results[0]?.replayed, true);
    assert.equal(retried.results[0]?.payment?.id, 'old-2');
    const accepted = engine.apply([{ type: 'accept_payment', actor: 'br-other', paymentId: 'old-2' }], at + 4);
    assert.equal(accepted.results[0]?.payment?.status, 'ACCC');
    // A payment to its own sender, journaled before such payments were refused up front, still
    // replays as it was recorded then (rejected by the ledger); a new one is refused.
    const toSelf = (id: string, uetr: string): NetworkCommand => ({
      type: 'create_payment',
      actor: 'br-bank',
      payment: {
        id, mode: 'instant', debtorAgent: 'br-bank', creditorAgent: 'br-bank',
        debtor: { name: 'Soja Exportadora Ltda' }, creditor: { name: 'Soja Exportadora Ltda' },
        currency: 'BRL', amount: 1_000n, endToEndId: `E2E-${id}`, uetr,
      },
      screening: { hit: false, matches: [] },
    });
    const oldSelf = engine.apply([toSelf('old-self', UETR_B)], at + 5, 'global');
    assert.equal(oldSelf.results[0]?.code, 'ok');
    assert.equal(engine.state.payments.get('old-self')?.status, 'RJCT');
    const newSelf = engine.apply([toSelf('new-self', '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d')],
      at + 6);
    assert.equal(newSelf.results[0]?.code, 'creditor_agent_is_sender');
  });
});
