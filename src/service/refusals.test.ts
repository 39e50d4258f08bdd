// Proves refusals that leave no trace in the journal: a payment to its own sender or to a
// central bank, and a quote past the bound on open quotes per participant (the same on replay).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NetworkCommand } from '../engine/commands.js';
import { NETWORK_LIMITS } from '../engine/model.js';
import { rebuildNetwork } from './service.js';
import { openTestNetwork, paymentInput, type TestNetwork } from '../testing/network-fixtures.js';

function journalSequence(test: TestNetwork): number {
  return test.network.journalTail?.sequence ?? 0;
}

function quoteCommand(index: number, actor = 'br-bank'): NetworkCommand {
  return {
    type: 'create_quote',
    actor,
    quoteId: `q-${actor}-${index}`,
    source: 'BRL',
    target: 'INR',
    fixed: 'send',
    amount: 10_000n,
  };
}

describe('payments to a creditor agent that cannot receive them', () => {
  it('pay() to its own sender is refused with creditor_agent_is_sender and journals nothing', async () => {
    const test = await openTestNetwork();
    try {
      const before = journalSequence(test);
      const domestic = await test.network.pay(
        'br-bank',
        paymentInput({ creditorAgent: 'br-bank', currency: 'BRL', amount: 1_000n }),
      );
      assert.equal(domestic.code, 'creditor_agent_is_sender');
      assert.equal(domestic.field, 'creditorAgent');
      const quote = await test.network.quote('fx-one', {
        source: 'BRL',
        target: 'INR',
        fixed: 'send',
        amount: 10_000n,
      });
      assert.equal(quote.code, 'ok');
      const journalAfterQuote = journalSequence(test);
      const converted = await test.network.pay(
        'fx-one',
        paymentInput({ creditorAgent: 'fx-one', quoteId: quote.quote?.id ?? '' }),
      );
      assert.equal(converted.code, 'creditor_agent_is_sender');
      assert.equal(journalSequence(test), journalAfterQuote);
      assert.equal(journalAfterQuote, before + 1, 'only the quote was journaled');
      assert.equal((await test.network.reads.paymentCount()), 0);
    } finally {
      await test.network.close();
    }
  });

  it('pay() to a central bank is refused with creditor_agent_is_central_bank and journals nothing', async () => {
    const test = await openTestNetwork();
    try {
      const before = journalSequence(test);
      const result = await test.network.pay(
        'br-bank',
        paymentInput({ creditorAgent: 'bcb', currency: 'BRL', amount: 1_000n }),
      );
      assert.equal(result.code, 'creditor_agent_is_central_bank');
      assert.equal(result.field, 'creditorAgent');
      assert.equal(journalSequence(test), before);
      assert.equal(test.network.engine.state.ledger.balance('bcb:BRL')?.posted ?? 0n, 0n);
    } finally {
      await test.network.close();
    }
  });
});

describe('open quotes per participant', () => {
  const limit = NETWORK_LIMITS.openQuotesPerParticipantMax;

  it('past the limit of unused, unexpired quotes a quote is refused (too_many_open_quotes), journaling nothing; using or outliving one frees a place', async () => {
    const test = await openTestNetwork();
    try {
      const results = await test.network.submit(
        Array.from({ length: limit }, (_, index) => quoteCommand(index)),
      );
      assert.ok(results.every((result) => result.code === 'ok'));
      const before = journalSequence(test);
      const refused = await test.network.run(quoteCommand(limit));
      assert.equal(refused.code, 'too_many_open_quotes');
      assert.equal(journalSequence(test), before);
      // Another participant has its own bound; a replay of a quote already given still answers.
      assert.equal((await test.network.run(quoteCommand(0, 'fx-one'))).code, 'ok');
      const replayed = await test.network.run(quoteCommand(0));
      assert.equal(replayed.code, 'ok');
      assert.equal(replayed.replayed, true);
      // Using a quote closes it.
      const paid = await test.network.pay(
        'br-bank',
        paymentInput({ creditorAgent: 'in-bank', quoteId: 'q-br-bank-0' }),
      );
      assert.equal(paid.code, 'ok');
      assert.equal((await test.network.run(quoteCommand(limit))).code, 'ok');
      assert.equal((await test.network.run(quoteCommand(limit + 1))).code, 'too_many_open_quotes');
      // Expired quotes are closed too.
      test.advance(60_000);
      assert.equal((await test.network.run(quoteCommand(limit + 1))).code, 'ok');
    } finally {
      await test.network.close();
    }
  });

  it('a network rebuilt from the journal refuses the same quote (the bound is part of the engine)', async () => {
    const test = await openTestNetwork();
    try {
      await test.network.submit(Array.from({ length: limit }, (_, index) => quoteCommand(index)));
      const rebuilt = await rebuildNetwork(test.network.store);
      const batch = rebuilt.engine.apply([quoteCommand(limit)], test.now());
      assert.equal(batch.results[0]?.code, 'too_many_open_quotes');
      assert.equal(batch.applied.length, 0);
    } finally {
      await test.network.close();
    }
  });
});
