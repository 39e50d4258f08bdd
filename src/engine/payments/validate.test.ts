// Proves that fingerprintRequest's direct writer gives, byte for byte, the text of its definition
// (JSON.stringify with a key-sorting replacer): fingerprints stored in compact payments and
// snapshots before it existed must still match the requests retried after it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fingerprintRequest, referenceFingerprint } from './validate.js';
import { Random } from '../../simulate/random.js';

const KEYS = ['id', 'mode', 'Z', 'a', 'é', '', ' x', 'endToEndId', '_', '$n', 'b\u0000', '😀',
  '__proto__', 'amount', 'debtor'];
const TEXTS = ['', 'Soja "Ltda"', 'line\nbreak', '\ud800 lone', 'ünï ₹', '\\', '123', 'x'.repeat(40)];

function value(next: () => number, depth: number): unknown {
  const kind = Math.floor(next() * (depth > 3 ? 8 : 11));
  switch (kind) {
    case 0: return TEXTS[Math.floor(next() * TEXTS.length)];
    case 1: return Math.floor(next() * 1e9) - 5e8;
    case 2: return [0.5, -0, 1e21, Number.NaN, Number.POSITIVE_INFINITY][Math.floor(next() * 5)];
    case 3: return next() < 0.5;
    case 4: return null;
    case 5: return undefined;
    case 6: return BigInt(Math.floor(next() * 1e12)) * (next() < 0.5 ? -1n : 10n ** 20n);
    case 7: return next() < 0.5 ? (): void => undefined : Symbol('s');
    case 8:
    case 9: {
      const record: Record<string, unknown> = {};
      const count = Math.floor(next() * 6);
      for (let index = 0; index < count; index++) {
        Object.defineProperty(record, KEYS[Math.floor(next() * KEYS.length)] as string, {
          value: value(next, depth + 1), enumerable: true, writable: true, configurable: true });
      }
      return record;
    }
    default: {
      const list: unknown[] = [];
      const count = Math.floor(next() * 4);
      for (let index = 0; index < count; index++) list.push(value(next, depth + 1));
      return list;
    }
  }
}

describe('fingerprintRequest', () => {
  it('gives the text of its definition for a payment request, whatever the order of its fields', () => {
    const request = {
      mode: 'instant', id: 'pmt_1', debtorAgent: 'br-bank', creditorAgent: 'in-bank',
      debtor: { name: 'Soja Exportadora Ltda', account: 'BR18', identifiers: { LEI: 'X', BIC: 'Y' } },
      creditor: { name: 'Pune Foods', account: 'IN00', country: 'IN' },
      amount: 12_345n, currency: 'BRL', endToEndId: 'E2E-1', purpose: 'GDDS',
      remittanceInformation: undefined, uetr: 'd21e0c6e-56a8-40be-a790-f6b468b47473',
      iso: { messageId: 'M1', charges: [{ amount: 5n, currency: 'BRL', agent: 'A' }] },
    };
    const text = fingerprintRequest(request);
    assert.equal(text, referenceFingerprint(request));
    const reordered = Object.fromEntries(Object.entries(request).reverse());
    assert.equal(fingerprintRequest(reordered), text);
    assert.match(text, /^\{"amount":"12345n","creditor":\{"account":"IN00",/);
  });

  it('gives the text of its definition for random values, and falls back to it for the rest', () => {
    const generator = new Random(12);
    const next = (): number => generator.next();
    for (let round = 0; round < 5_000; round++) {
      const sample = value(next, 0);
      assert.equal(fingerprintRequest(sample), referenceFingerprint(sample));
    }
    class Shaped { constructor(readonly b = 1, readonly a = 2) {} }
    const holes: unknown[] = [1];
    holes[2] = 3;
    const odd: unknown[] = [
      undefined, { 10: 'x', 9: 'y', b: 1, a: 2 }, { '1a': 1, a: 2 }, new Shaped(),
      { when: new Date(0) }, { toJSON: () => 'custom' },
      Object.assign(Object.create(null), { b: 1, a: 2 }),
      holes, new String('boxed'), { nested: [[[{ z: 1, y: [2n] }]]] },
      JSON.parse('{"b":1,"__proto__":{"d":1,"c":2}}'),
    ];
    let deep: unknown = { leaf: 1n };
    for (let level = 0; level < 40; level++) deep = { level, deep };
    odd.push(deep);
    for (const sample of odd) {
      assert.equal(fingerprintRequest(sample), referenceFingerprint(sample));
    }
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    // The definition's sorted copies are new objects each time: a cycle overflows the stack.
    assert.throws(() => referenceFingerprint(cyclic), RangeError);
    assert.throws(() => fingerprintRequest(cyclic), RangeError);
  });
});
