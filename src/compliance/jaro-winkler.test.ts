// Proves the Jaro and Jaro-Winkler similarities against published reference values and laws.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { jaroSimilarity, jaroWinklerSimilarity } from './jaro-winkler.js';

function assertClose(actual: number, expected: number, label: string): void {
  assert.ok(Math.abs(actual - expected) < 0.001, `${label}: ${actual} is not ≈ ${expected}`);
}

describe('jaroWinklerSimilarity()', () => {
  it('jaroWinklerSimilarity() matches the textbook values when given Winkler\'s examples', () => {
    // Values from Winkler (1990) as reproduced in most references on the measure.
    assertClose(jaroSimilarity('martha', 'marhta'), 0.944, 'Jaro martha/marhta');
    assertClose(jaroWinklerSimilarity('martha', 'marhta'), 0.961, 'JW martha/marhta');
    assertClose(jaroSimilarity('dwayne', 'duane'), 0.822, 'Jaro dwayne/duane');
    assertClose(jaroWinklerSimilarity('dwayne', 'duane'), 0.84, 'JW dwayne/duane');
    assertClose(jaroSimilarity('dixon', 'dicksonx'), 0.767, 'Jaro dixon/dicksonx');
    assertClose(jaroWinklerSimilarity('dixon', 'dicksonx'), 0.813, 'JW dixon/dicksonx');
  });

  it('jaroWinklerSimilarity() is 1 for equal words and 0 when words share no letter', () => {
    assert.equal(jaroWinklerSimilarity('khoroshev', 'khoroshev'), 1);
    assert.equal(jaroWinklerSimilarity('abc', 'xyz'), 0);
    assert.equal(jaroWinklerSimilarity('', 'abc'), 0);
  });

  it('jaroWinklerSimilarity() stays within 0 and 1 and is symmetric for any two words', () => {
    fc.assert(fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (a, b) => {
      const forward = jaroWinklerSimilarity(a, b);
      const backward = jaroWinklerSimilarity(b, a);
      return forward >= 0 && forward <= 1 && Math.abs(forward - backward) < 1e-12;
    }));
  });

  it('jaroWinklerSimilarity() never scores below plain Jaro, since the prefix only adds', () => {
    fc.assert(fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (a, b) =>
      jaroWinklerSimilarity(a, b) >= jaroSimilarity(a, b)));
  });
});
