// Proves the commit pipeline batches by size and time, acknowledges only after a durable
// commit, keeps several batches in flight yet acknowledges them strictly in order, pushes back
// when its queue is full, and stops cleanly on a fatal storage error.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import type { CommitRecord } from '../storage/store.js';
import { accountCommand, postedTransfer } from '../testing/ledger-fixtures.js';
import type { JournalEntry } from '../journal/hash-chain.js';
import { CommitPipeline, PipelineError, type BatchStats } from './commit-pipeline.js';
import { openLedger } from './ledger-service.js';

/** A real SQLite store whose commits wait at a gate the test opens. */
class GatedStore extends SqliteStore {
  private gate: Promise<void> = Promise.resolve();
  private openGate: () => void = () => undefined;
  commits = 0;

  close_gate(): void {
    this.gate = new Promise((resolve) => { this.openGate = resolve; });
  }

  open_gate(): void {
    this.openGate();
  }

  override async commit(record: CommitRecord): Promise<void> {
    await this.gate;
    await super.commit(record);
    this.commits += 1;
  }
}

async function ledgerWith(options: Parameters<typeof openLedger>[0]) {
  const ledger = await openLedger(options);
  await ledger.submit([accountCommand('issuer', 'CNY', { issuer: true }), accountCommand('bank', 'CNY')]);
  return ledger;
}

function issue(id: string, amount = 1n) {
  return postedTransfer(id, 'issuer', 'bank', amount, 'CNY');
}

/** A pipeline over a toy machine (result = command × 10) whose commits the test settles. */
function manualPipeline(batchesInFlightMax: number) {
  type Persisted = { entry: JournalEntry; resolve: () => void; reject: (error: Error) => void };
  const persisted: Persisted[] = [];
  const pipeline = new CommitPipeline<number, number, null>({
    machine: { applyBatch: (commands) => ({ results: commands.map((command) => command * 10),
      batch: { payload: JSON.stringify(commands), output: null } }) },
    persist: (entry) => new Promise((resolve, reject) => {
      persisted.push({ entry, resolve, reject });
    }),
    tail: undefined,
  }, { batchDelayMs: 0, batchesInFlightMax });
  const acknowledged: number[] = [];
  /** Submits one group and waits until its batch is handed to storage. */
  const inFlight = async (command: number): Promise<{ reply: Promise<number[]> }> => {
    const before = persisted.length;
    const reply = pipeline.submit([command]);
    reply.then((results) => acknowledged.push(...results), () => undefined);
    while (persisted.length === before) await new Promise((resolve) => setImmediate(resolve));
    return { reply };
  };
  return { pipeline, persisted, acknowledged, inFlight };
}

async function turns(count: number): Promise<void> {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setImmediate(resolve));
}

describe('CommitPipeline with several batches in flight', () => {
  it('acknowledges in batch order, each only once it and every earlier batch are durable', async () => {
    const { persisted, acknowledged, inFlight } = manualPipeline(3);
    const replies: Promise<number[]>[] = [];
    for (const command of [1, 2, 3]) replies.push((await inFlight(command)).reply);
    assert.deepEqual(persisted.map((commit) => commit.entry.sequence), [1, 2, 3]);
    assert.equal(persisted[1]?.entry.previousHash, persisted[0]?.entry.hash);
    persisted[2]?.resolve();
    persisted[1]?.resolve();
    await turns(5);
    assert.deepEqual(acknowledged, [], 'a batch was acknowledged before an earlier one was durable');
    persisted[0]?.resolve();
    assert.deepEqual(await Promise.all(replies), [[10], [20], [30]]);
    assert.deepEqual(acknowledged, [10, 20, 30]);
  });

  it('starts no batch beyond batchesInFlightMax until the oldest is acknowledged', async () => {
    const { pipeline, persisted, inFlight } = manualPipeline(2);
    await inFlight(1);
    await inFlight(2);
    const third = pipeline.submit([3]);
    await turns(5);
    assert.equal(persisted.length, 2);
    assert.equal(pipeline.batchesInFlight, 2);
    persisted[0]?.resolve();
    while (persisted.length < 3) await turns(1);
    persisted[1]?.resolve();
    persisted[2]?.resolve();
    assert.deepEqual(await third, [30]);
  });

  it('a failed commit fails every later batch in flight, even one already durable', async () => {
    const { pipeline, persisted, acknowledged, inFlight } = manualPipeline(3);
    const first = (await inFlight(1)).reply;
    const second = (await inFlight(2)).reply;
    persisted[1]?.resolve();
    persisted[0]?.reject(new Error('disk full'));
    for (const reply of [first, second]) {
      await assert.rejects(reply, (error: unknown) =>
        error instanceof PipelineError && error.code === 'pipeline_failed');
    }
    assert.deepEqual(acknowledged, []);
    await assert.rejects(pipeline.submit([4]), /stopped/);
    await pipeline.close();
  });
});

describe('CommitPipeline', () => {
  it('closes a batch at batchSizeMax commands', async () => {
    const batches: BatchStats[] = [];
    const ledger = await ledgerWith({
      store: new SqliteStore({ path: ':memory:' }), batchSizeMax: 3, batchDelayMs: 50,
      onBatch: (stats) => batches.push(stats),
    });
    batches.length = 0;
    const results = await Promise.all(Array.from({ length: 7 }, (_, i) => ledger.submit([issue(`t${i}`)])));
    assert.ok(results.every((result) => result[0]?.code === 'ok'));
    assert.deepEqual(batches.map((batch) => batch.commands), [3, 3, 1]);
    await ledger.close();
  });

  it('closes a batch after batchDelayMs when it is not full', async () => {
    const batches: BatchStats[] = [];
    const ledger = await ledgerWith({
      store: new SqliteStore({ path: ':memory:' }), batchDelayMs: 40,
      onBatch: (stats) => batches.push(stats),
    });
    batches.length = 0;
    const first = ledger.submit([issue('a')]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = ledger.submit([issue('b')]);
    await Promise.all([first, second]);
    assert.deepEqual(batches.map((batch) => batch.commands), [2]);
    await ledger.close();
  });

  it('acknowledges no command before its batch is committed', async () => {
    const store = new GatedStore({ path: ':memory:' });
    const ledger = await ledgerWith({ store, batchDelayMs: 0 });
    store.close_gate();
    let acknowledged = false;
    const pending = ledger.submit([issue('t1')]).then((result) => { acknowledged = true; return result; });
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(acknowledged, false);
    assert.equal(await store.transfer('t1'), undefined);
    store.open_gate();
    const result = await pending;
    assert.equal(result[0]?.code, 'ok');
    assert.equal((await store.transfer('t1'))?.amount, 1n);
    await ledger.close();
  });

  it('refuses with queue_full when the queue is at its bound, and changes nothing', async () => {
    const store = new GatedStore({ path: ':memory:' });
    const ledger = await ledgerWith({ store, batchDelayMs: 0, queueDepthMax: 4 });
    store.close_gate();
    const inFlight = ledger.submit([issue('t0')]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const queued = [ledger.submit([issue('t1'), issue('t2')]), ledger.submit([issue('t3'), issue('t4')])];
    await assert.rejects(ledger.submit([issue('t5')]),
      (error: unknown) => error instanceof PipelineError && error.code === 'queue_full');
    assert.equal(ledger.queueDepth, 4);
    store.open_gate();
    await Promise.all([inFlight, ...queued]);
    assert.equal(await store.transfer('t5'), undefined);
    assert.equal(ledger.balance('bank')?.posted, 5n);
    await ledger.close();
  });

  it('refuses a group larger than a batch, and answers an empty group at once', async () => {
    const ledger = await ledgerWith({ store: new SqliteStore({ path: ':memory:' }), batchSizeMax: 2 });
    await assert.rejects(ledger.submit([issue('a'), issue('b'), issue('c')]),
      (error: unknown) => error instanceof PipelineError && error.code === 'group_too_large');
    assert.deepEqual(await ledger.submit([]), []);
    await ledger.close();
  });

  it('answers a group that ends inside a linked chain without queueing it', async () => {
    const ledger = await ledgerWith({ store: new SqliteStore({ path: ':memory:' }) });
    const results = await ledger.submit([postedTransfer('a', 'issuer', 'bank', 1n, 'CNY', true)]);
    assert.deepEqual(results.map((result) => result.code), ['linked_event_chain_open']);
    assert.equal(ledger.engine.hasTransfer('a'), false);
    await ledger.close();
  });

  it('stops the writer when a commit fails: nothing is acknowledged after it', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    let fatal: Error | undefined;
    const ledger = await ledgerWith({ store, batchDelayMs: 0,
      onFatal: (error) => { fatal = error; } });
    store.database.close();
    await assert.rejects(ledger.submit([issue('t1')]),
      (error: unknown) => error instanceof PipelineError && error.code === 'pipeline_failed');
    assert.ok(fatal instanceof Error);
    await assert.rejects(ledger.submit([issue('t2')]),
      (error: unknown) => error instanceof PipelineError && error.code === 'pipeline_failed');
  });

  it('close() commits what is queued, then refuses new commands', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    const ledger = await ledgerWith({ store, batchDelayMs: 200 });
    const queued = ledger.submit([issue('late')]);
    const engine = ledger.engine;
    await ledger.pipelineClose();
    assert.equal((await queued)[0]?.code, 'ok');
    assert.equal(engine.hasTransfer('late'), true);
    await assert.rejects(ledger.submit([issue('after')]),
      (error: unknown) => error instanceof PipelineError && error.code === 'pipeline_closed');
    await store.close();
  });

  it('rejects options outside their bounds', async () => {
    await assert.rejects(openLedger({ store: new SqliteStore({ path: ':memory:' }), batchSizeMax: 0 }), RangeError);
    await assert.rejects(openLedger({ store: new SqliteStore({ path: ':memory:' }), batchDelayMs: 5_000 }), RangeError);
    await assert.rejects(openLedger({ store: new SqliteStore({ path: ':memory:' }), queueDepthMax: -1 }), RangeError);
  });
});
