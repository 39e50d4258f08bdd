// Proves the expiry heap pops exactly the due deadlines, earliest first, ties broken by id.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ExpiryQueue } from './expiry-queue.js';

describe('ExpiryQueue', () => {
  it('popDue returns nothing when the queue is empty or nothing is due', () => {
    const queue = new ExpiryQueue();
    assert.deepEqual(queue.popDue(1_000), []);
    queue.push(10, 'a');
    assert.deepEqual(queue.popDue(9), []);
    assert.equal(queue.size, 1);
  });

  it('popDue includes a deadline equal to now', () => {
    const queue = new ExpiryQueue();
    queue.push(10, 'a');
    assert.deepEqual(queue.popDue(10), ['a']);
    assert.equal(queue.size, 0);
  });

  it('popDue orders equal deadlines by transfer id', () => {
    const queue = new ExpiryQueue();
    for (const id of ['d', 'b', 'c', 'a']) queue.push(5, id);
    assert.deepEqual(queue.popDue(5), ['a', 'b', 'c', 'd']);
  });

  it('popDue over random pushes equals filtering and sorting (deadline, id)', () => {
    const entry = fc.tuple(fc.integer({ min: 0, max: 50 }), fc.constantFrom('a', 'b', 'c', 'd',
      'e', 'f', 'g', 'h'));
    fc.assert(fc.property(fc.array(entry, { maxLength: 60 }),
      fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 6 }), (entries, cuts) => {
        const queue = new ExpiryQueue();
        for (const [at, id] of entries) queue.push(at, id);
        let left = [...entries].sort(([a, x], [b, y]) => a - b || (x < y ? -1 : x > y ? 1 : 0));
        for (const now of [...cuts].sort((a, b) => a - b)) {
          const due = left.filter(([at]) => at <= now);
          left = left.filter(([at]) => at > now);
          assert.deepEqual(queue.popDue(now), due.map(([, id]) => id));
          assert.equal(queue.size, left.length);
        }
      }));
  });
});
