// Proves the engine holds live state only: a finished payment stays in full for the retention,
// then as a compact record for the return window (retries stay idempotent, returns still work),
// then leaves memory with its end-to-end id and ledger legs; that a replay holds the same; that
// the maps hold only live and windowed entries however many payments went through; and that a
// network configured before these settings (an old journal) forgets nothing it would refuse by.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { NetworkResult } from '../commands.js';
import { configToCommands } from '../../service/config.js';
import { NetworkEngine } from '../engine.js';
import { openNetwork } from '../../service/service.js';
import { SqliteStore } from '../../storage/sqlite/sqlite-store.js';
import {
  openTestNetwork, paymentInput, testNetworkConfig, TEST_EPOCH, type TestNetwork,
} from '../../testing/network-fixtures.js';
import type { Payment } from './model.js';

const HOUR = 3_600_000;
const UETR_NEW = '6a1c0e2d-3b4f-4a5e-9c8d-7e6f5a4b3c2d';
const DAY = 24 * HOUR;

function paymentOf(result: NetworkResult): Payment {
  assert.equal(result.code, 'ok', result.message);
  assert.ok(result.payment !== undefined);
  return result.payment;
}

/** The test network, finished payments in full for 1 hour and returnable for 2 days. */
function retentionConfig() {
  const config = testNetworkConfig();
  return {
    ...config,
    settings: { ...config.settings, paymentRetentionDays: 1 / 24, returnWindowDays: 2 },
  };
}

function domestic(fields: Record<string, unknown> = {}) {
  return paymentInput({ creditorAgent: 'br-bank', currency: 'BRL', amount: 1_000n, ...fields });
}

/** Counts of what the engine holds: what must stay bounded. */
function held(test: TestNetwork) {
  const state = test.network.engine.state;
  return {
    payments: state.payments.size,
    requests: state.paymentRequests.size,
    finished: state.finished.size,
    settled: state.settled.size,
    endToEndIds: state.endToEndIds.size,
    uetrs: state.uetrs.size,
    transfers: state.ledger.transfersHeld(),
  };
}

describe('finished payments: full, then compact, then gone', () => {
  it('a retry is idempotent in full and compact; a return works on a compact payment', async () => {
    const test = await openTestNetwork({ config: retentionConfig() });
    const network = test.network;
    const input = domestic({ id: 'keep-1', endToEndId: 'E2E-KEEP-1' });
    const first = paymentOf(await network.pay('br-other', input));
    assert.equal(first.status, 'ACCC');
    assert.equal(network.engine.state.payments.get(first.id), first);

    // Inside the full retention: the very same record answers a retry.
    test.advance(HOUR - 1);
    const retried = await network.pay('br-other', input);
    assert.equal(retried.replayed, true);
    assert.equal(retried.payment, first);

    // Past it: compacted (the request replaced by its fingerprint), still idempotent.
    test.advance(1);
    const compactRetry = await network.pay('br-other', input);
    assert.equal(compactRetry.code, 'ok');
    assert.equal(compactRetry.replayed, true);
    assert.equal(compactRetry.payment?.id, first.id);
    const state = network.engine.state;
    assert.equal(state.payments.has(first.id), false);
    assert.equal(state.paymentRequests.has(first.id), false);
    const record = state.settled.get(first.id);
    assert.ok(record !== undefined);
    assert.deepEqual(record.payment.legs, first.legs);
    assert.deepEqual(record.payment.events, first.events);
    assert.equal((await network.reads.paymentOf('br-other', 'keep-1'))?.id, first.id);
    assert.equal(network.payment(first.id)?.status, 'ACCC');
    // Other fields under the same id are still refused, and so is the end-to-end id.
    const changed = await network.pay('br-other', { ...input, amount: 2_000n });
    assert.equal(changed.code, 'exists_with_different_fields');
    const reused = await network.pay('br-other', domestic({ endToEndId: 'E2E-KEEP-1' }));
    assert.equal(reused.code, 'duplicate_end_to_end_id');

    // A return of the compact payment moves the money back and is counted on it.
    const before = network.balance('br-other', 'BRL')?.posted ?? 0n;
    const returned = paymentOf(await network.returnPayment('br-bank', {
      originalPaymentId: first.id, amount: 400n, reason: 'CUST', returnId: 'rt-keep-1',
    }));
    assert.equal(returned.status, 'ACCC');
    assert.equal(network.balance('br-other', 'BRL')?.posted, before + 400n);
    assert.equal(state.settled.get(first.id)?.payment.returnedAmount, 400n);
    assert.deepEqual(state.settled.get(first.id)?.payment.returns, [returned.id]);
    // The stored view of the original, upserted from the compact record, keeps its legs and
    // its whole timeline (reads come from storage: src/service/reads.ts).
    const stored = await network.reads.payment(first.id);
    assert.equal(stored?.returnedAmount, 400n);
    assert.equal(stored?.legs.length, first.legs.length);
    assert.ok(first.legs.length > 0);
    assert.deepEqual(stored?.events.map((event) => event.status),
      first.events.map((event) => event.status));
    const tooMuch = await network.returnPayment('br-bank', {
      originalPaymentId: first.id, amount: 601n, reason: 'CUST',
    });
    assert.equal(tooMuch.code, 'return_amount_exceeds_remaining');
    await network.close();
  });

  it('after the return window the payment, its end-to-end id and its ledger legs are forgotten', async () => {
    const test = await openTestNetwork({ config: retentionConfig() });
    const network = test.network;
    const input = domestic({ id: 'gone-1', endToEndId: 'E2E-GONE-1' });
    const first = paymentOf(await network.pay('br-other', input));
    const legs = first.legs.map((leg) => leg.transferId);
    test.advance(2 * DAY - 1);
    const late = await network.pay('br-other', domestic({ endToEndId: 'E2E-GONE-1' }));
    assert.equal(late.code, 'duplicate_end_to_end_id');
    assert.ok(legs.every((leg) => network.engine.ledger.hasTransfer(leg)));
    test.advance(1);
    // The documented behaviour past the window: not found, not returnable, ids free again.
    const returned = await network.returnPayment('br-bank', {
      originalPaymentId: first.id, amount: 1n, reason: 'CUST',
    });
    assert.equal(returned.code, 'payment_not_found');
    // The engine forgot it; storage still answers reads of it (src/service/reads.ts).
    assert.equal(network.payment(first.id), undefined);
    assert.equal((await network.reads.payment(first.id))?.status, 'ACCC');
    assert.ok(legs.every((leg) => !network.engine.ledger.hasTransfer(leg)));
    const again = paymentOf(await network.pay('br-other', { ...input, uetr: UETR_NEW }));
    assert.equal(again.id, first.id, 'the same client id names a new payment');
    assert.notEqual(again, first);
    assert.equal(again.status, 'ACCC');
    assert.equal(network.balance('br-bank', 'BRL')?.posted !== undefined, true);
    await network.close();
  });

  it('open payments are never compacted: a two-phase payment waits past the retention', async () => {
    const config = retentionConfig();
    config.settings = { ...config.settings, acceptTimeoutSeconds: 86_400 };
    const test = await openTestNetwork({ config });
    const network = test.network;
    const pending = paymentOf(await network.pay('br-other', domestic({ mode: 'two_phase' })));
    assert.equal(pending.status, 'ACSP');
    test.advance(2 * HOUR);
    await network.pay('br-other', domestic());
    assert.equal(network.engine.state.payments.get(pending.id), pending);
    const accepted = paymentOf(await network.accept('br-bank', pending.id));
    assert.equal(accepted.status, 'ACCC');
    await network.close();
  });
});

describe('the engine holds only live and windowed entries', () => {
  it('after payments across several retention periods, maps hold only what the windows allow', async () => {
    const test = await openTestNetwork({ config: retentionConfig() });
    const network = test.network;
    // 6 simulated hours per round, 12 rounds (3 days): more than the return window.
    const perRound = 20;
    for (let round = 0; round < 12; round++) {
      const inputs = Array.from({ length: perRound }, () => domestic());
      const results = await Promise.all(inputs.map((input) => network.pay('br-other', input)));
      for (const result of results) assert.equal(paymentOf(result).status, 'ACCC');
      test.advance(6 * HOUR);
    }
    await network.pay('br-other', domestic());
    const now = test.now();
    const state = network.engine.state;
    // Full: only the last batch's payment (finished less than 1 hour ago).
    assert.equal(held(test).payments, 1);
    assert.equal(held(test).requests, 1);
    assert.equal(held(test).finished, 1);
    // Compact: the rounds that finished less than 2 days before the last batch (at 72 hours):
    // those at 30, 36 … 66 hours, 7 of them.
    assert.equal(held(test).settled, 7 * perRound);
    for (const record of state.settled.values()) assert.ok(record.finishedAt + 2 * DAY > now);
    assert.equal(held(test).endToEndIds, 7 * perRound + 1);
    // Ledger: one leg per domestic payment with no scheme fee, within the window; the rest gone.
    const total = network.engine.ledger.stats().transfers;
    assert.ok(held(test).transfers < total, `${held(test).transfers} of ${total}`);
    assert.ok(held(test).transfers <= total - 4 * perRound);
    await network.close();
  });

  it('a replay of the journal holds the same payments, compact records and windows', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'corridor-retention-'));
    const path = join(directory, 'network.db');
    let now = TEST_EPOCH;
    const open = () =>
      openNetwork({ store: new SqliteStore({ path }), batchDelayMs: 0, clock: () => now });
    try {
      const network = await open();
      await network.configureFrom(retentionConfig(), now);
      const ids: string[] = [];
      for (let step = 0; step < 10; step++) {
        ids.push(paymentOf(await network.pay('br-other', domestic())).id);
        now += 7 * HOUR;
      }
      // Paid at 56 hours: compact at 70 hours, inside its return window.
      const first = ids[8] ?? '';
      paymentOf(await network.returnPayment('br-bank', {
        originalPaymentId: first, amount: 10n, reason: 'CUST',
      }));
      const view = (state: NetworkEngine['state']) =>
        JSON.stringify({
          payments: [...state.payments.keys()],
          finished: [...state.finished],
          settled: [...state.settled.values()].map((record) => [
            record.payment.id, record.finishedAt, record.fingerprint, `${record.payment.returnedAmount}`,
          ]),
          endToEndIds: [...state.endToEndIds],
          transfers: state.ledger.transfersHeld(),
        });
      const before = view(network.engine.state);
      await network.close();
      const reopened = await open();
      assert.equal(view(reopened.engine.state), before);
      await reopened.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('a network configured before retention settings (an old journal)', () => {
  it('compacts but forgets nothing: ids, end-to-end ids, returns and ledger legs stay', () => {
    const engine = new NetworkEngine();
    const commands = configToCommands(testNetworkConfig(), TEST_EPOCH);
    const [configure, ...rest] = commands;
    assert.ok(configure?.type === 'configure');
    // As journaled before the settings existed: neither field.
    const {
      paymentRetentionMs: _retention, returnWindowMs: _window, ...oldSettings
    } = configure.settings;
    const setup = engine.apply([{ ...configure, settings: oldSettings }, ...rest], TEST_EPOCH);
    assert.ok(setup.results.every((result) => result.code === 'ok'));
    const request = (fields: Record<string, unknown>) => ({
      ...domestic(), id: `old-${Math.random()}`, debtorAgent: 'br-other',
      uetr: '0f5b7c3e-1d2a-4b6c-8e9f-a0b1c2d3e4f5', ...fields,
    });
    const input = request({ id: 'old-1', endToEndId: 'E2E-OLD-1' });
    const pay = (now: number, payment = input) =>
      engine.apply([{
        type: 'create_payment', actor: 'br-other', payment, screening: { hit: false, matches: [] },
      }], now).results[0];
    const first = pay(TEST_EPOCH)?.payment;
    assert.equal(first?.status, 'ACCC');
    const later = TEST_EPOCH + 400 * DAY;
    // A year later: compact (the default full retention still applies), never forgotten.
    assert.equal(pay(later)?.replayed, true);
    assert.equal(engine.state.settled.has(first.id), true);
    const reused = request({ endToEndId: 'E2E-OLD-1', uetr: UETR_NEW });
    assert.equal(pay(later, reused)?.code, 'duplicate_end_to_end_id');
    assert.ok(first.legs.every((leg) => engine.ledger.hasTransfer(leg.transferId)));
    const returned = engine.apply([{
      type: 'return_payment', actor: 'br-bank', returnId: 'old-rt-1', originalPaymentId: first.id,
      amount: 1n, reason: 'CUST', uetr: '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d',
    }], later).results[0];
    assert.equal(returned?.code, 'ok');
  });
});

describe('retention settings', () => {
  it('configure refuses a window that is not a positive whole number, or shorter than the retention', () => {
    const [configure] = configToCommands(testNetworkConfig(), TEST_EPOCH);
    assert.ok(configure?.type === 'configure');
    const attempt = (settings: Record<string, unknown>) =>
      new NetworkEngine().apply(
        [{ ...configure, settings: { ...configure.settings, ...settings } }], TEST_EPOCH,
      ).results[0];
    assert.equal(attempt({ returnWindowMs: 0 })?.code, 'invalid_field');
    assert.equal(attempt({ paymentRetentionMs: 1.5 })?.code, 'invalid_field');
    const shorter = attempt({ paymentRetentionMs: 2 * DAY, returnWindowMs: DAY });
    assert.equal(shorter?.code, 'invalid_field');
    assert.equal(shorter?.field, 'returnWindowMs');
    assert.equal(attempt({ paymentRetentionMs: DAY, returnWindowMs: DAY })?.code, 'ok');
  });

  it('the configuration file sets both, in days', () => {
    const config = retentionConfig();
    const [configure] = configToCommands(config, TEST_EPOCH);
    assert.ok(configure?.type === 'configure');
    assert.equal(configure.settings.paymentRetentionMs, HOUR);
    assert.equal(configure.settings.returnWindowMs, 2 * DAY);
    const [defaults] = configToCommands(testNetworkConfig(), TEST_EPOCH);
    assert.ok(defaults?.type === 'configure');
    assert.equal(defaults.settings.paymentRetentionMs, DAY);
    assert.equal(defaults.settings.returnWindowMs, 90 * DAY);
  });
});
