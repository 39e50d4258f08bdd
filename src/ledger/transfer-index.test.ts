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
