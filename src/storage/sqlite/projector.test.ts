// Proves the projector's lag is safe, on the storage threads and inline: a read after an
// acknowledged commit waits for the projections and then sees it; commits wait while the
// projections are more than the bound behind (and the pipeline refuses work once its queue
// fills); and after a restart the projections catch up from the journal alone.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { verifyLedger } from '../../journal/verify.js';
import { PipelineError } from '../../pipeline/commit-pipeline.js';
import { openLedger, type Ledger } from '../../pipeline/ledger-service.js';
import { accountCommand, postedTransfer } from '../../testing/ledger-fixtures.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';

const directory = mkdtempSync(join(tmpdir(), 'corridor-projector-'));
let counter = 0;

function pathFor(): string {
  return join(directory, `ledger-${counter++}.db`);
}

async function seeded(options: SqliteStoreOptions): Promise<Ledger> {
  const ledger = await openLedger({ store: new SqliteStore(options), batchDelayMs: 0 });
  await ledger.submit([accountCommand('issuer', 'INR', { issuer: true }), accountCommand('bank', 'INR')]);
  return ledger;
}

function issue(id: string) {
  return postedTransfer(id, 'issuer', 'bank', 1n, 'INR');
}

/** Resolves true if the promise settles within a few turns of the event loop (no timing). */
async function settlesSoon(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(() => { settled = true; }, () => { settled = true; });
  for (let turn = 0; turn < 20 && !settled; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  return settled;
}

for (const threads of [true, false]) {
  describe(`the projector (${threads ? 'storage threads' : 'inline'})`, () => {
    it('a read after an acknowledged commit waits for the projections, then sees it', async () => {
      const ledger = await seeded({ path: pathFor(), threads, projectionPaused: true });
      const store = ledger.store as SqliteStore;
      assert.equal((await ledger.submit([issue('t1')]))[0]?.code, 'ok');
      const read = store.transfer('t1');
      assert.equal(await settlesSoon(read), false, 'the read did not wait for the projections');
      assert.ok(store.projectionLag.projected < store.projectionLag.durable);
      store.pauseProjection(false);
      assert.equal((await read)?.amount, 1n);
      await ledger.close();
    });

    it('commits wait while the projections lag by more than the bound', async () => {
      // The accounts' entry projects 3 rows (2 accounts + the entry), each entry below 3.
      const ledger = await seeded({ path: pathFor(), threads, projectionLagRowsMax: 6,
        projectionPaused: true });
      const store = ledger.store as SqliteStore;
      assert.equal((await ledger.submit([issue('a1'), issue('a2')]))[0]?.code, 'ok');
      const held = ledger.submit([issue('b1'), issue('b2')]);
      assert.equal(await settlesSoon(held), false, 'a commit beyond the lag bound was acknowledged');
      assert.equal(store.projectionLag.durable, 2);
      store.pauseProjection(false);
      assert.deepEqual((await held).map((result) => result.code), ['ok', 'ok']);
      assert.equal(await store.transferCount(), 4);
      await ledger.close();
    });

    it('the pipeline refuses work once the lag holds its batches and its queue is full', async () => {
      const store = new SqliteStore({ path: pathFor(), threads, projectionLagRowsMax: 2,
        projectionPaused: true });
      const ledger = await openLedger({ store, batchDelayMs: 0, queueDepthMax: 2,
        batchesInFlightMax: 1 });
      await ledger.submit([accountCommand('issuer', 'INR', { issuer: true }), accountCommand('bank', 'INR')]);
      const held = ledger.submit([issue('b1')]);
      while (ledger.queueDepth > 0) await new Promise((resolve) => setImmediate(resolve));
      assert.equal(await settlesSoon(held), false);
      assert.equal(store.projectionLag.durable, 1);
      const queued = ledger.submit([issue('c1'), issue('c2')]);
      await assert.rejects(ledger.submit([issue('d1')]),
        (error: unknown) => error instanceof PipelineError && error.code === 'queue_full');
      store.pauseProjection(false);
      await Promise.all([held, queued]);
      assert.equal(ledger.balance('bank')?.posted, 3n);
      await ledger.close();
    });

    it('after a restart the projections catch up from the journal', async () => {
      const path = pathFor();
      const ledger = await seeded({ path, threads, projectionPaused: true });
      for (let batch = 0; batch < 5; batch++) {
        await ledger.submit([issue(`x${batch}-1`), issue(`x${batch}-2`)]);
      }
      const lag = (ledger.store as SqliteStore).projectionLag;
      assert.equal(lag.projected, 0);
      assert.equal(lag.durable, 6);
      await ledger.close();
      const reopened = new SqliteStore({ path, threads });
      await reopened.open();
      assert.equal((await reopened.transfer('x4-2'))?.state, 'posted');
      assert.equal(await reopened.transferCount(), 10);
      assert.equal((await reopened.history('bank', { limit: 100 })).transfers.length, 10);
      assert.equal((await verifyLedger(reopened)).ok, true);
      assert.equal(reopened.projectionLag.projected, 6);
      await reopened.close();
    });
  });
}
