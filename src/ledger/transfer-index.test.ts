// Proves the transfer index keeps ids, fingerprints, times and states across growth and undo.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PendingState, TransferIndex } from './transfer-index.js';

describe('TransferIndex', () => {
  it('append numbers transfers from 1 and remembers fingerprint, timestamp and state', () => {
    const index = new TransferIndex();
    assert.equal(index.nextSequence, 1);
    assert.equal(index.append('a', 123, 1_000, PendingState.pending), 1);
    assert.equal(index.append('b', 2 ** 53 - 1, 2_000, PendingState.none), 2);
    assert.equal(index.sequenceOf('a'), 1);
    assert.equal(index.sequenceOf('missing'), undefined);
    assert.equal(index.fingerprintAt(2), 2 ** 53 - 1);
    assert.equal(index.timestampAt(1), 1_000);
    assert.equal(index.stateAt(1), PendingState.pending);
    assert.equal(index.size, 2);
  });

  it('keeps every field of every transfer when it grows past its first capacity', () => {
    const index = new TransferIndex();
    const count = 5_000;
    for (let i = 0; i < count; i++) {
      index.append(`t${i}`, i * 7, 1_000 + i, (i % 5) as 0 | 1 | 2 | 3 | 4);
    }
    for (let i = 0; i < count; i++) {
      const sequence = index.sequenceOf(`t${i}`);
      assert.equal(sequence, i + 1);
      assert.equal(index.fingerprintAt(i + 1), i * 7);
      assert.equal(index.timestampAt(i + 1), 1_000 + i);
      assert.equal(index.stateAt(i + 1), i % 5);
    }
  });

  it('removeLast forgets the last transfer and hands its sequence out again', () => {
    const index = new TransferIndex();
    index.append('a', 1, 1, PendingState.none);
    index.append('b', 2, 2, PendingState.pending);
    index.removeLast('b');
    assert.equal(index.sequenceOf('b'), undefined);
    assert.equal(index.stateAt(2), PendingState.none);
    assert.equal(index.size, 1);
    assert.equal(index.append('c', 3, 3, PendingState.none), 2);
  });

  it('removeLast throws for a transfer that is not the last (a programmer error)', () => {
    const index = new TransferIndex();
    index.append('a', 1, 1, PendingState.none);
    index.append('b', 2, 2, PendingState.none);
    assert.throws(() => index.removeLast('a'), /not the last/);
    assert.throws(() => index.removeLast('missing'), /not the last/);
  });
});

describe('TransferIndex.forget', () => {
  it('forgets transfers recorded at or before the cutoff, oldest first; their ids are free again', () => {
    const index = new TransferIndex();
    for (let i = 0; i < 10; i++) index.append(`t${i}`, i, 1_000 + i, PendingState.none);
    index.forget(1_004);
    assert.equal(index.held, 5);
    assert.equal(index.size, 10);
    assert.equal(index.sequenceOf('t4'), undefined);
    assert.equal(index.sequenceOf('t5'), 6);
    assert.equal(index.fingerprintAt(6), 5);
    assert.equal(index.timestampAt(10), 1_009);
    // A forgotten id may be recorded again; sequences keep counting.
    assert.equal(index.append('t0', 99, 2_000, PendingState.none), 11);
    assert.equal(index.fingerprintAt(11), 99);
  });

  it('keeps a pending transfer past the cutoff until it is resolved, then forgets it', () => {
    const index = new TransferIndex();
    index.append('p', 7, 1_000, PendingState.pending);
    index.append('q', 8, 1_001, PendingState.none);
    index.forget(5_000);
    assert.equal(index.held, 1);
    assert.equal(index.sequenceOf('p'), 1);
    assert.equal(index.stateAt(1), PendingState.pending);
    assert.equal(index.fingerprintAt(1), 7);
    assert.equal(index.timestampAt(1), 1_000);
    index.setState(1, PendingState.posted);
    assert.equal(index.stateAt(1), PendingState.posted);
    // Made pending again (a chain rolled back) before the next forget: it stays.
    index.setState(1, PendingState.pending);
    index.forget(5_000);
    assert.equal(index.sequenceOf('p'), 1);
    index.setState(1, PendingState.voided);
    index.forget(5_000);
    assert.equal(index.sequenceOf('p'), undefined);
    assert.equal(index.held, 0);
  });

  it('reuses forgotten slots: a sliding window of a million transfers stays within its arrays', () => {
    const index = new TransferIndex();
    for (let i = 0; i < 1_000_000; i++) {
      index.append(`t${i}`, i, i, PendingState.none);
      if (i % 1_000 === 999) index.forget(i - 2_000);
    }
    assert.ok(index.held <= 3_001, String(index.held));
    assert.equal(index.size, 1_000_000);
    const last = index.sequenceOf('t999999');
    assert.equal(last, 1_000_000);
    assert.equal(index.fingerprintAt(1_000_000), 999_999);
    assert.equal(index.timestampAt(999_000), 998_999);
    assert.equal(index.sequenceOf('t990000'), undefined);
    // The arrays never held more than the window: the capacity stayed small.
    const capacity = (index as unknown as { fingerprints: Float64Array }).fingerprints.length;
    assert.ok(capacity <= 8_192, String(capacity));
  });
});
