// Quotes with fees taken out of the amount (feesIncluded, from ISO ChrgBr CRED/SHAR), and the
// participant's FX tolerance field: validated, kept, and replayed the same.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import { openTestNetwork, testNetworkConfig } from '../testing/network-fixtures.js';
import { validateNetworkConfig } from '../service/config.js';

const BRL_SCHEME_FEE = 50n;

describe('quotes with fees included', () => {
  it('fixed send: the debit is the amount, whichever fees are included', async () => {
    const { network } = await openTestNetwork();
    try {
      for (const [feesIncluded, extra] of [
        ['all', 0n],
        ['fx_provider', BRL_SCHEME_FEE],
      ] as const) {
        const [result] = await network.submit([
          {
            type: 'create_quote',
            actor: 'br-bank',
            quoteId: `q-${feesIncluded}`,
            source: 'BRL',
            target: 'INR',
            fixed: 'send',
            amount: 100_000n,
            feesIncluded,
          },
        ]);
        const quote = result?.quote;
        assert.ok(quote !== undefined, result?.code);
        assert.equal(quote.debitAmount, 100_000n + extra);
        assert.equal(quote.feesIncluded, feesIncluded);
        assert.equal(quote.requestedAmount, 100_000n);
      }
    } finally {
      await network.close();
    }
  });

  it('fixed receive: the fees come out of what converts, so less than asked is credited', async () => {
    const { network } = await openTestNetwork();
    try {
      const plain = await network.quote('br-bank', {
        source: 'BRL',
        target: 'INR',
        fixed: 'receive',
        amount: 1_000_000n,
      });
      const [included] = await network.submit([
        {
          type: 'create_quote',
          actor: 'br-bank',
          quoteId: 'q-receive',
          source: 'BRL',
          target: 'INR',
          fixed: 'receive',
          amount: 1_000_000n,
          feesIncluded: 'all',
        },
      ]);
      assert.equal(plain.quote?.creditAmount, 1_000_000n);
      const quote = included?.quote;
      assert.ok(quote !== undefined);
      assert.ok(quote.creditAmount < 1_000_000n);
      assert.ok(quote.debitAmount <= (plain.quote?.sendAmount ?? 0n) + 1n);
    } finally {
      await network.close();
    }
  });

  it('the same request again is the same quote; other fees included is another request', async () => {
    const { network } = await openTestNetwork();
    try {
      const command = {
        type: 'create_quote' as const,
        actor: 'br-bank',
        quoteId: 'q-same',
        source: 'BRL',
        target: 'INR',
        fixed: 'send' as const,
        amount: 100_000n,
        feesIncluded: 'all' as const,
      };
      const [first] = await network.submit([command]);
      const [again] = await network.submit([command]);
      assert.equal(again?.replayed, true);
      assert.deepEqual(again?.quote, first?.quote);
      const [other] = await network.submit([{ ...command, feesIncluded: 'fx_provider' }]);
      assert.equal(other?.code, 'exists_with_different_fields');
      const { feesIncluded: _dropped, ...plain } = command;
      const [none] = await network.submit([plain]);
      assert.equal(none?.code, 'exists_with_different_fields');
    } finally {
      await network.close();
    }
  });

  it('a restart replays the journal to the same quote, fees included', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'corridor-quote-fees-'));
    const path = join(directory, 'network.db');
    try {
      const first = await openTestNetwork({ store: new SqliteStore({ path }) });
      const [created] = await first.network.submit([
        {
          type: 'create_quote',
          actor: 'br-bank',
          quoteId: 'q-replay',
          source: 'BRL',
          target: 'INR',
          fixed: 'send',
          amount: 100_000n,
          feesIncluded: 'all',
        },
      ]);
      await first.network.close();
      const second = await openTestNetwork({
        store: new SqliteStore({ path }),
        configure: false,
      });
      try {
        assert.deepEqual((await second.network.reads.quoteOf('br-bank', 'q-replay')), created?.quote);
      } finally {
        await second.network.close();
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('fxToleranceBps in a configuration file: validated by the schema, given to the participant', async () => {
    const config = testNetworkConfig();
    const bank = config.participants.find((participant) => participant.id === 'br-bank');
    assert.ok(bank !== undefined);
    bank.fxToleranceBps = 1_001;
    assert.equal(validateNetworkConfig(config).ok, false);
    bank.fxToleranceBps = 40;
    assert.equal(validateNetworkConfig(config).ok, true);
    const { network } = await openTestNetwork({ config });
    try {
      assert.equal(network.participant('br-bank')?.fxToleranceBps, 40);
    } finally {
      await network.close();
    }
  });

  it('fxToleranceBps: kept on the participant; out of range is refused and changes nothing', async () => {
    const { network } = await openTestNetwork();
    try {
      const spec = {
        id: 'br-tolerant',
        name: 'Banco Tolerante',
        kind: 'bank' as const,
        country: 'BR',
        currencies: ['BRL'],
      };
      for (const bad of [-1, 1.5, 1_001]) {
        const refused = await network.addParticipant('operator', { ...spec, fxToleranceBps: bad });
        assert.equal(refused.code, 'invalid_field');
        assert.equal(refused.field, 'fxToleranceBps');
        assert.equal(network.participant('br-tolerant'), undefined);
      }
      const added = await network.addParticipant('operator', { ...spec, fxToleranceBps: 25 });
      assert.equal(added.code, 'ok');
      assert.equal(network.participant('br-tolerant')?.fxToleranceBps, 25);
    } finally {
      await network.close();
    }
  });
});
