// Proves duplicateKey(): it finds a key given twice in one object at any depth (escaped
// spellings included), and never flags what JSON.stringify writes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { duplicateKey } from './json-keys.js';

describe('duplicateKey()', () => {
  it('finds a key twice in one object, at the top, deep down, in arrays, or spelled with escapes', () => {
    assert.equal(duplicateKey('{"amount":"10.00","amount":"20.00"}'), 'amount');
    assert.equal(duplicateKey('{"a":{"b":[{"c":1,"c":2}]}}'), 'c');
    assert.equal(duplicateKey('[{"x":1},{"y":1,"y":[]}]'), 'y');
    assert.equal(duplicateKey('{"amount":1,"\\u0061mount":2}'), 'amount');
    assert.equal(duplicateKey('{"q\\"":1,"q\\"":2}'), 'q"');
    assert.equal(duplicateKey('{"a\\\\":{},"a\\\\":0}'), 'a\\');
  });

  it('accepts equal keys in different objects, and keys that only look alike', () => {
    assert.equal(duplicateKey('{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}'), undefined);
    assert.equal(duplicateKey('{"a":"a","b":"\\"a\\":","c":["a","a"]}'), undefined);
    assert.equal(duplicateKey('{"a\\\\":1,"a":2}'), undefined);
    assert.equal(duplicateKey('"a"'), undefined);
    assert.equal(duplicateKey('[]'), undefined);
  });

  it('never flags what JSON.stringify wrote, and finds a key repeated into any object', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        assert.equal(duplicateKey(JSON.stringify(value)), undefined);
      }),
      { numRuns: 500, seed: 7 },
    );
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1 }),
        fc.jsonValue({ maxDepth: 2 }),
        (object, extra) => {
          const key = Object.keys(object)[0] ?? '';
          const text = JSON.stringify(object);
          const repeated = `${text.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(extra)}}`;
          assert.equal(duplicateKey(`[${repeated}]`), key);
        },
      ),
      { numRuns: 500, seed: 7 },
    );
  });
});
