// Snapshots: the codec restores every field of the engine exactly; a restart loads the newest
// snapshot that verifies and replays only the tail (same state as a replay from genesis); a
// corrupt or unbound snapshot is passed over, and said so; a failed write never stops the writer.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import { FaultyStore } from '../testing/faulty-store.js';
import { openTestNetwork, paymentInput } from '../testing/network-fixtures.js';
import type { Network } from './service.js';
import { createHash } from 'node:crypto';
import {
  captureSnapshot, decodeSnapshot, encodeSnapshot, readSnapshotHeader, sealSnapshot,
  sealSnapshotOffThread, SnapshotError, SNAPSHOT_FORMAT_VERSION, stateDigest,
} from './snapshot-codec.js';
import { recoverNetwork, type SnapshotEvent } from './snapshots.js';
import { decodeNetworkEntry } from '../engine/codec.js';

const directory = mkdtempSync(join(tmpdir(), 'corridor-snapshots-'));
after(() => rmSync(directory, { recursive: true, force: true }));
let files = 0;
function freshPath(): string {
  files += 1;
  return join(directory, `journal-${files}.db`);
}

/** Payments of every shape the state keeps: instant, two-phase (pending), FX, returned. */
async function traffic(network: Network, prefix: string, count: number): Promise<void> {
  for (let index = 0; index < count; index++) {
    const twoPhase = index % 3 === 1;
    const result = await network.pay('br-bank', paymentInput({ id: `${prefix}-${index}`,
      creditorAgent: index % 2 === 0 ? 'br-other' : 'br-other', currency: 'BRL',
      amount: 100n + BigInt(index), mode: twoPhase ? 'two_phase' : 'instant' }));
    assert.equal(result.code, 'ok', `${result.code}: ${result.message ?? ''}`);
  }
  const quote = await network.quote('br-bank', { source: 'BRL', target: 'INR', fixed: 'send',
    amount: 10_000n });
  assert.equal(quote.code, 'ok');
}

function contentOf(network: Network) {
  return { engine: network.engine, eventsAssigned: network.lastEventSequence };
}

describe('snapshot codec', () => {
  it('restores every field of the engine and the event feed, prototypes included', async () => {
    const { network } = await openTestNetwork({ snapshots: { everyEntries: 0 } });
    await traffic(network, 'codec', 12);
    const tail = network.journalTail;
    assert.ok(tail !== undefined);
    const encoded = encodeSnapshot(contentOf(network), tail);
    const { header, content } = decodeSnapshot(encoded.bytes);
    const { bodyBytes, ...bound } = header;
    assert.deepEqual(bound, { sequence: tail.sequence, entryHash: tail.hash, entryNow: tail.now });
    assert.ok(Number.isSafeInteger(bodyBytes) && (bodyBytes ?? 0) > 0);
    // Every key of NetworkState and of the ledger's internals, with its type and order.
    assert.deepStrictEqual(content.engine, network.engine);
    assert.equal(content.eventsAssigned, network.lastEventSequence);
    for (const key of Object.keys(network.engine.state)) {
      assert.ok(key in content.engine.state, `state.${key} survives a snapshot`);
    }
    assert.equal(stateDigest(content), stateDigest(contentOf(network)));
    // Same state, same bytes (V8 writes numbers by how they are held: the digest is canonical).
    assert.ok(encodeSnapshot(contentOf(network), tail).bytes.equals(encoded.bytes));
    // The restored engine goes on like the original.
    content.engine.checkAllInvariants();
    await network.close();
  });

  it('refuses a class it has no hook for, and bytes that are not a snapshot', async () => {
    const { network } = await openTestNetwork({ snapshots: { everyEntries: 0 } });
    class Unknown { value = 1; }
    (network.engine.state as unknown as Record<string, unknown>).extra = new Unknown();
    assert.throws(() => encodeSnapshot(contentOf(network), { sequence: 1, hash: 'x', now: 0 }),
      /no hook for class Unknown/);
    delete (network.engine.state as unknown as Record<string, unknown>).extra;
    const good = encodeSnapshot(contentOf(network), { sequence: 1, hash: 'x', now: 0 }).bytes;
    const flipped = Buffer.from(good);
    flipped[flipped.length >> 1] = (flipped[flipped.length >> 1] ?? 0) ^ 1;
    assert.throws(() => decodeSnapshot(flipped),
      (error: unknown) => error instanceof SnapshotError && error.code === 'snapshot_checksum_mismatch');
    assert.throws(() => readSnapshotHeader(Buffer.from('not a snapshot at all, really not')),
      (error: unknown) => error instanceof SnapshotError && error.code === 'snapshot_undecodable');
    await network.close();
  });
});

/** Snapshot bytes with their header (and format version) rewritten, checksum made right. */
function rewritten(bytes: Buffer, version: number, header: Record<string, unknown>): Buffer {
  const headerLength = bytes.readUInt32BE(12);
  const body = bytes.subarray(16 + headerLength, bytes.length - 32);
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(16);
  bytes.copy(prefix, 0, 0, 8);
  prefix.writeUInt32BE(version, 8);
  prefix.writeUInt32BE(headerBytes.length, 12);
  const whole = Buffer.concat([prefix, headerBytes, body]);
  return Buffer.concat([whole, createHash('sha256').update(whole).digest()]);
}

function isProblem(code: string): (error: unknown) => boolean {
  return (error: unknown) => error instanceof SnapshotError && error.code === code;
}

describe('snapshot formats', () => {
  it('writes format 2 (deflated), the same bytes on or off the engine thread, and reads 1',
    async () => {
      const { network } = await openTestNetwork({ snapshots: { everyEntries: 0 } });
      await traffic(network, 'fmt', 9);
      const tail = network.journalTail;
      assert.ok(tail !== undefined);
      const digest = stateDigest(contentOf(network));
      const captured = captureSnapshot(contentOf(network), tail);
      assert.equal(captured.formatVersion, SNAPSHOT_FORMAT_VERSION);
      assert.equal(SNAPSHOT_FORMAT_VERSION, 2);
      const current = sealSnapshot(captured);
      const offThread = await sealSnapshotOffThread(captured);
      assert.ok(offThread.bytes.equals(current.bytes));
      assert.equal(offThread.checksum, current.checksum);
      assert.equal(readSnapshotHeader(current.bytes).bodyBytes, captured.body.length);
      // Format 1 (a snapshot an older Corridor wrote): V8's bytes as they are, still read.
      const old = encodeSnapshot(contentOf(network), tail, 1);
      assert.equal(old.bytes.readUInt32BE(8), 1);
      assert.ok(current.bytes.length < old.bytes.length);
      for (const bytes of [current.bytes, old.bytes]) {
        const { header, content } = decodeSnapshot(bytes);
        assert.equal(header.sequence, tail.sequence);
        assert.equal(stateDigest(content), digest);
        assert.deepStrictEqual(content.engine, network.engine);
      }
      await network.close();
    });

  it('refuses an unknown version and a body that does not inflate to its stated length',
    async () => {
      const { network } = await openTestNetwork({ snapshots: { everyEntries: 0 } });
      await traffic(network, 'bad', 3);
      const tail = network.journalTail;
      assert.ok(tail !== undefined);
      const good = encodeSnapshot(contentOf(network), tail).bytes;
      const header = { ...readSnapshotHeader(good) };
      assert.throws(() => decodeSnapshot(rewritten(good, 3, header)),
        isProblem('snapshot_version_unknown'));
      assert.throws(() => decodeSnapshot(rewritten(good, 2, { ...header,
        bodyBytes: (header.bodyBytes ?? 0) - 1 })), isProblem('snapshot_undecodable'));
      assert.throws(() => decodeSnapshot(rewritten(good, 2, { ...header,
        bodyBytes: undefined })), isProblem('snapshot_undecodable'));
      // Format 1 bytes labelled 2: not deflate.
      const old = encodeSnapshot(contentOf(network), tail, 1).bytes;
      assert.throws(() => decodeSnapshot(rewritten(old, 2, { ...header, bodyBytes: 10 })),
        isProblem('snapshot_undecodable'));
      await network.close();
    });

  it('a store holding a format-1 snapshot restarts from it', async () => {
    const path = freshPath();
    const first = await openTestNetwork({ store: new SqliteStore({ path, threads: false }),
      snapshots: { everyEntries: 0 } });
    await traffic(first.network, 'old', 6);
    const tail = first.network.journalTail;
    assert.ok(tail !== undefined);
    const old = encodeSnapshot(contentOf(first.network), tail, 1);
    await first.network.store.writeSnapshot({ sequence: tail.sequence, entryHash: tail.hash,
      createdAt: first.now(), formatVersion: 1, checksum: old.checksum, size: old.bytes.length,
      bytes: old.bytes }, 2);
    await first.network.close();
    const second = await openTestNetwork({ store: new SqliteStore({ path, threads: false }),
      configure: false, start: first.now(), snapshots: { everyEntries: 0 } });
    assert.equal(second.network.recovery?.snapshot?.sequence, tail.sequence);
    assert.equal(second.network.recovery.replayedEntries, 0);
    assert.deepEqual(second.network.recovery.rejected, []);
    const digest = stateDigest(contentOf(second.network));
    await second.network.close();
    assert.equal(digest, await genesisDigest(path));
  });
});

async function genesisDigest(path: string): Promise<string> {
  const store = new SqliteStore({ path, threads: false });
  await store.open();
  const { engine, numbering } = await recoverNetwork(store, { useSnapshots: false });
  await store.close();
  return stateDigest({ engine, eventsAssigned: numbering.assigned });
}

describe('snapshot cadence by commands', () => {
  /** The commands each journal entry holds, by sequence. */
  async function commandsByEntry(network: Network): Promise<Map<number, number>> {
    const counts = new Map<number, number>();
    for (const entry of await network.store.readJournal(0, 10_000)) {
      counts.set(entry.sequence, decodeNetworkEntry(entry.payload).commands.length);
    }
    return counts;
  }

  it('takes one once that many commands were journaled, whatever the entry count', async () => {
    const written: number[] = [];
    const { network } = await openTestNetwork({ store: new SqliteStore({ path: freshPath(),
      threads: false }), snapshots: { everyEntries: 1_000_000, everyMinutes: 0, everyCommands: 6,
      keep: 10, onEvent: (event) => { if (event.type === 'written') written.push(event.sequence); } } });
    await traffic(network, 'k', 20);
    const counts = await commandsByEntry(network);
    await network.close();
    assert.ok(written.length >= 3, `snapshots at ${written.join(', ')}`);
    let previous = 0;
    for (const sequence of written) {
      let commands = 0;
      for (let entry = previous + 1; entry <= sequence; entry++) commands += counts.get(entry) ?? 0;
      assert.ok(commands >= 6, `${commands} commands from entry ${previous + 1} to ${sequence}`);
      previous = sequence;
    }
  });

  it('counts what a restart replayed: a long tail is snapshotted at the first entry after it',
    async () => {
      const path = freshPath();
      const first = await openTestNetwork({ store: new SqliteStore({ path, threads: false }),
        snapshots: { everyEntries: 0 } });
      await traffic(first.network, 'm', 8);
      await first.network.close();
      for (const [everyCommands, expected] of [[0, 0], [6, 1]] as const) {
        const written: number[] = [];
        const again = await openTestNetwork({ store: new SqliteStore({ path, threads: false }),
          configure: false, start: first.now(), snapshots: { everyEntries: 1_000_000,
            everyMinutes: 0, everyCommands,
            onEvent: (event) => { if (event.type === 'written') written.push(event.sequence); } } });
        const replayed = again.network.recovery?.replayedCommands ?? 0;
        assert.ok(replayed >= 9, `replayed ${replayed} commands`);
        const tail = again.network.journalTail?.sequence ?? 0;
        await traffic(again.network, `n${everyCommands}`, 1);
        await again.network.close();
        assert.equal(written.length, expected, `everyCommands ${everyCommands}: ${written.join()}`);
        if (expected === 1) assert.equal(written[0], tail + 1);
      }
    });
});

describe('restart from a snapshot (SQLite)', () => {
  it('loads the newest snapshot and replays only the tail, to the genesis state', async () => {
    const path = freshPath();
    const written: SnapshotEvent[] = [];
    const first = await openTestNetwork({ store: new SqliteStore({ path, threads: false }),
      snapshots: { everyEntries: 5, keep: 2, onEvent: (event) => written.push(event) } });
    await traffic(first.network, 'a', 23);
    await first.network.close();
    assert.ok(written.some((event) => event.type === 'written'));
    assert.ok(written.every((event) => event.type === 'written'));

    const second = await openTestNetwork({ store: new SqliteStore({ path, threads: false }),
      configure: false,
      start: first.now(), snapshots: { everyEntries: 0 }, });
    const report = second.network.recovery;
    assert.ok(report?.snapshot !== undefined, `a snapshot was used: ${JSON.stringify(report)}`);
    const tail = second.network.journalTail?.sequence ?? 0;
    assert.equal(report.snapshot.sequence + report.replayedEntries, tail);
    assert.ok(report.replayedEntries < 5);
    assert.deepEqual(report.rejected, []);
    // Where the time went: every phase measured, none more than the whole (the store's open
    // comes before it).
    const phases = report.phases;
    assert.ok(phases !== undefined);
    for (const [phase, ms] of Object.entries(phases)) assert.ok(ms >= 0, `${phase}: ${ms}`);
    assert.ok(phases.snapshotReadMs + phases.snapshotDecodeMs + phases.snapshotCheckMs +
      phases.replayMs + phases.checkMs <= report.ms + 1);
    assert.equal((await second.network.store.snapshots()).length, 2, 'pruned to keep: 2');
    // It carries on: a payment after the restart, then the same state as a genesis replay.
    await traffic(second.network, 'b', 2);
    const digest = stateDigest(contentOf(second.network));
    await second.network.close();
    assert.equal(digest, await genesisDigest(path));
  });

  it('passes over a corrupt snapshot (a flipped byte) to an older one, and says why', async () => {
    const path = freshPath();
    const first = await openTestNetwork({ store: new SqliteStore({ path, threads: false }),
      snapshots: { everyEntries: 4, keep: 3 } });
    await traffic(first.network, 'c', 20);
    await first.network.close();
    const database = new Database(`${path}-snapshots`);
    const rows = database.prepare('SELECT sequence, bytes FROM snapshots ORDER BY sequence DESC')
      .all() as { sequence: number; bytes: Buffer }[];
    assert.ok(rows.length >= 2);
    const [newest, older] = rows as [typeof rows[0], typeof rows[0]];
    const bytes = Buffer.from(newest.bytes);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
    database.prepare('UPDATE snapshots SET bytes = ? WHERE sequence = ?').run(bytes, newest.sequence);
    database.close();

    const second = await openTestNetwork({ store: new SqliteStore({ path, threads: false }),
      configure: false,
      start: first.now(), snapshots: { everyEntries: 0 } });
    const report = second.network.recovery;
    assert.equal(report?.snapshot?.sequence, older.sequence);
    assert.deepEqual(report.rejected.map((item) => [item.sequence, item.code]),
      [[newest.sequence, 'snapshot_checksum_mismatch']]);
    const digest = stateDigest(contentOf(second.network));
    await second.network.close();
    assert.equal(digest, await genesisDigest(path));
  });

  it('passes over snapshots not bound to the journal, down to genesis', async () => {
    const path = freshPath();
    const first = await openTestNetwork({ store: new SqliteStore({ path, threads: false }),
      snapshots: { everyEntries: 4, keep: 2 } });
    await traffic(first.network, 'd', 12);
    await first.network.close();
    const database = new Database(`${path}-snapshots`);
    database.prepare('UPDATE snapshots SET entry_hash = ?').run('e'.repeat(64));
    database.close();
    let line = '';
    const store = new SqliteStore({ path, threads: false });
    const { openNetwork } = await import('./service.js');
    const network = await openNetwork({ store, batchDelayMs: 0, clock: () => first.now(),
      onRecovered: (_report, text) => {
        line = text;
      } });
    const report = network.recovery;
    assert.ok(report !== undefined);
    assert.equal(report.snapshot, undefined);
    assert.equal(report.replayedEntries, network.journalTail?.sequence);
    assert.equal(report.rejected.length, 2);
    assert.ok(report.rejected.every((item) => item.code === 'snapshot_entry_mismatch'));
    assert.match(line, /Recovered from genesis.*Passed over the snapshot at entry \d+ \(snapshot_entry_mismatch\)/);
    await network.close();
  });

  it('a snapshot write that fails is reported and retried; the writer goes on', async () => {
    const path = freshPath();
    const faulty = new FaultyStore(new SqliteStore({ path }));
    faulty.failSnapshotWrites(2, 'EIO');
    const events: SnapshotEvent[] = [];
    const first = await openTestNetwork({ store: faulty,
      snapshots: { everyEntries: 3, retryMs: 0, onEvent: (event) => events.push(event) } });
    await traffic(first.network, 'e', 15);
    await first.network.close();
    const kinds = events.map((event) => event.type);
    assert.deepEqual(kinds.slice(0, 2), ['failed', 'failed']);
    assert.ok(kinds.includes('written'));
    assert.equal(first.network.failure, undefined);
    const check = new SqliteStore({ path, threads: false });
    await check.open();
    assert.ok((await check.snapshots()).length > 0);
    await check.close();
  });
});


describe('snapshot write failures', () => {
  it('are tried again after retryMs, doubling with each failure in a row', async () => {
    const faulty = new FaultyStore(new SqliteStore({ path: freshPath(), threads: false }));
    const failed: number[] = [];
    const test = await openTestNetwork({ store: faulty, snapshots: { everyEntries: 1,
      retryMs: 1_000, onEvent: (event) => {
        if (event.type === 'failed') failed.push(event.sequence);
      } } });
    // The configuration's snapshot is stored before the fault (a capture may wait behind a
    // write, so it would otherwise count as a second failure).
    await test.network.snapshotter?.lastWrite;
    faulty.failSnapshotWrites(10, 'ENOSPC');
    let serial = 0;
    const attemptsAfterPaying = async (): Promise<number> => {
      serial += 1;
      const result = await test.network.pay('br-bank', paymentInput({ id: `f-${serial}`,
        creditorAgent: 'br-other', currency: 'BRL', amount: 100n }));
      assert.equal(result.code, 'ok');
      await test.network.snapshotter?.lastWrite;
      return faulty.snapshotWrites;
    };
    const first = await attemptsAfterPaying();
    assert.equal(failed.length, 1, 'the write after the fault failed');
    assert.equal(await attemptsAfterPaying(), first, 'not before retryMs');
    test.advance(1_000);
    assert.equal(await attemptsAfterPaying(), first + 1, 'after retryMs');
    test.advance(1_000);
    assert.equal(await attemptsAfterPaying(), first + 1, 'the second wait is twice as long');
    test.advance(1_000);
    assert.equal(await attemptsAfterPaying(), first + 2);
    await test.network.close();
  });
});

describe('snapshot writes in flight', () => {
  it('a capture waits behind a slow write (one at most), and both are stored in order',
    async () => {
      let open: () => void = () => undefined;
      let gate: Promise<void> = Promise.resolve();
      class SlowStore extends FaultyStore {
        override async writeSnapshot(...args: Parameters<FaultyStore['writeSnapshot']>):
          Promise<void> {
          await gate;
          return super.writeSnapshot(...args);
        }
      }
      const store = new SlowStore(new SqliteStore({ path: freshPath(), threads: false }));
      const written: number[] = [];
      const test = await openTestNetwork({ store, snapshots: { everyEntries: 1,
        onEvent: (event) => {
          if (event.type === 'written') written.push(event.sequence);
        } } });
      await test.network.snapshotter?.lastWrite;
      const before = written.length;
      gate = new Promise((resolve) => {
        open = resolve;
      });
      const pay = async (id: string): Promise<number> => {
        const result = await test.network.pay('br-bank', paymentInput({ id,
          creditorAgent: 'br-other', currency: 'BRL', amount: 100n }));
        assert.equal(result.code, 'ok');
        return test.network.journalTail?.sequence ?? 0;
      };
      const first = await pay('w-1');
      const second = await pay('w-2');
      await pay('w-3');
      assert.equal(written.length, before, 'nothing stored while the gate is shut');
      open();
      await test.network.snapshotter?.lastWrite;
      assert.deepEqual(written.slice(before), [first, second],
        'the third entry found two captures pending and took none');
      const fourth = await pay('w-4');
      await test.network.snapshotter?.lastWrite;
      assert.deepEqual(written.slice(before), [first, second, fourth]);
      await test.network.close();
    });
});

describe('verify and snapshots', () => {
  it('checks each snapshot against the replay, and reports a tampered one', async () => {
    const path = freshPath();
    const first = await openTestNetwork({ store: new SqliteStore({ path, threads: false }),
      snapshots: { everyEntries: 4, keep: 3 } });
    await traffic(first.network, 'v', 14);
    await first.network.close();
    const { verifyNetwork } = await import('./verify.js');
    const { SqliteSnapshot } = await import('../storage/sqlite/snapshot.js');
    const verify = async () => {
      const view = new SqliteSnapshot({ path });
      await view.open();
      try {
        return await verifyNetwork(view, { projected: view.projected });
      } finally {
        await view.close();
      }
    };
    const clean = await verify();
    assert.deepEqual(clean.problems, []);
    assert.equal(clean.snapshots, 3);

    // A well-formed snapshot (checksum right, bound to the right entry) of another state.
    const database = new Database(`${path}-snapshots`);
    const [newest, older] = database.prepare('SELECT sequence, bytes FROM snapshots ORDER BY ' +
      'sequence DESC').all() as { sequence: number; bytes: Buffer }[];
    assert.ok(newest !== undefined && older !== undefined);
    const { header, content } = decodeSnapshot(newest.bytes);
    const account = content.engine.state.participants.get('br-bank');
    assert.ok(account !== undefined);
    (account as { name: string }).name = 'Someone Else';
    const forged = encodeSnapshot(content, { sequence: header.sequence, hash: header.entryHash,
      now: header.entryNow });
    database.prepare('UPDATE snapshots SET bytes = ?, checksum = ? WHERE sequence = ?')
      .run(forged.bytes, forged.checksum, newest.sequence);
    const flipped = Buffer.from(older.bytes);
    flipped[60] = (flipped[60] ?? 0) ^ 1;
    database.prepare('UPDATE snapshots SET bytes = ? WHERE sequence = ?').run(flipped, older.sequence);
    database.close();

    const tampered = await verify();
    assert.equal(tampered.ok, false);
    assert.deepEqual(tampered.problems.map((problem) => problem.code).sort(),
      ['snapshot_checksum_mismatch', 'snapshot_mismatch']);
    assert.match(tampered.problems.find((problem) => problem.code === 'snapshot_mismatch')
      ?.message ?? '', new RegExp(`entry ${newest.sequence} differs`));
  });
});
