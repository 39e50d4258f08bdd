// Proves that screening on threads gives exactly the in-thread screener's verdicts, answers a
// name it has seen without a thread, asks a thread once for a name many payments carry, holds
// what a failed thread was screening for review and replaces the thread, refuses lists it
// cannot load, and lets nothing through once closed.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadScreenerFromDirectory, SANCTIONS_SAMPLE_DIRECTORY } from './party-screener.js';
import { openScreeningPool } from './screening-pool.js';

const PARTIES = [
  { debtor: 'Soja Exportadora Ltda', creditor: 'Aviatrans Anstalt' },
  { debtor: 'Pune Foods Private Limited', creditor: 'Minas Iron Ore SA' },
  { debtor: '', creditor: 'Minas Iron Ore SA' },
  { debtor: 'x'.repeat(600), creditor: 'Ningbo Solar Ltd' },
  { debtor: 'AVIATRANS ANSTALT', creditor: 'Soja Exportadora Ltda' },
];

describe('screening pool', () => {
  it('gives the in-thread screener\'s verdicts, on one thread and on two', async () => {
    const inThread = loadScreenerFromDirectory(SANCTIONS_SAMPLE_DIRECTORY);
    const expected = PARTIES.map((parties) => inThread.screener.screenParties(parties));
    assert.ok(expected.some((verdict) => verdict.hit && verdict.matches[0]?.source === 'un'));
    assert.ok(expected.some((verdict) => !verdict.hit));
    for (const threads of [1, 2]) {
      const pool = await openScreeningPool({ directory: SANCTIONS_SAMPLE_DIRECTORY, threads });
      try {
        assert.equal(pool.threads, threads);
        assert.equal(pool.listVersion, inThread.listVersion);
        assert.equal(pool.entries, inThread.entries);
        const verdicts = await Promise.all(PARTIES.map((parties) => pool.screenParties(parties)));
        assert.deepEqual(verdicts, expected);
      } finally {
        await pool.close();
      }
    }
  });

  it('answers names it has screened at once, and asks once for a name many payments carry',
    async () => {
      const pool = await openScreeningPool({ directory: SANCTIONS_SAMPLE_DIRECTORY, threads: 1 });
      try {
        const [worker] = pool.threadsForTest();
        let requests = 0;
        worker?.on('message', () => (requests += 1));
        const parties = { debtor: 'Shanghai Textile Co', creditor: 'Aviatrans Anstalt' };
        const pending = Array.from({ length: 50 }, () => pool.screenParties(parties));
        assert.ok(pending.every((item) => item instanceof Promise));
        const verdicts = await Promise.all(pending);
        assert.equal(requests, 1);
        assert.ok(verdicts.every((verdict) => verdict.hit));
        const again = pool.screenParties(parties);
        assert.ok(!(again instanceof Promise), 'a screened name answers without a thread');
        assert.deepEqual(again, verdicts[0]);
      } finally {
        await pool.close();
      }
    });

  it('holds what a failed thread was screening for review, and screens again on a new thread',
    async () => {
      const problems: string[] = [];
      const pool = await openScreeningPool({ directory: SANCTIONS_SAMPLE_DIRECTORY, threads: 1,
        onProblem: (message) => problems.push(message) });
      try {
        const [worker] = pool.threadsForTest();
        // A request the thread cannot read makes it throw and die before it reaches ours.
        worker?.postMessage({ id: 0, names: null });
        const held = pool.screenParties({ debtor: 'Pune Foods Private Limited',
          creditor: 'Minas Iron Ore SA' });
        const verdict = await held;
        assert.equal(verdict.hit, true, 'not known to be clear: held');
        // screening_failed if ours reached the thread before it died, else unavailable.
        const codes = new Set(verdict.matches.map((match) => match.listId));
        assert.equal(codes.size, 1);
        assert.ok(codes.has('screening_failed') || codes.has('screening_unavailable'), [...codes].join());
        assert.match(problems[0] ?? '', /screening thread failed/);
        // The failure was not remembered: the same names screen clear on the new thread.
        for (let tries = 0; pool.threadsForTest().length === 0 && tries < 500; tries++)
          await new Promise((resolve) => setTimeout(resolve, 10));
        const next = await pool.screenParties({ debtor: 'Pune Foods Private Limited',
          creditor: 'Minas Iron Ore SA' });
        assert.equal(next.hit, false);
      } finally {
        await pool.close();
      }
    });

  it('refuses to open on a list it cannot load, saying why', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'corridor-pool-'));
    try {
      writeFileSync(join(directory, 'consolidated.xml'), '<CONSOLIDATED_LIST><broken');
      await assert.rejects(openScreeningPool({ directory, threads: 1 }), /UN list/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('once closed, answers screening_failed: nothing goes through unscreened', async () => {
    const pool = await openScreeningPool({ directory: SANCTIONS_SAMPLE_DIRECTORY, threads: 1 });
    const pending = pool.screenParties({ debtor: 'Cape Wine Estates', creditor: 'Nile Cotton Co' });
    await pool.close();
    const verdict = await pending;
    assert.equal(verdict.hit, true);
    assert.equal(verdict.matches[0]?.listId, 'screening_failed');
    const after = await pool.screenParties({ debtor: 'Delhi Steel', creditor: 'Lagos Cocoa' });
    assert.equal(after.hit, true);
  });
});
