// Proves the effects block carries a batch's projection exactly: every transfer field the
// projections keep (any JavaScript string, lone surrogates included; amounts up to 2^63 − 1),
// accounts, credit limits, resolutions and TableWrite rows with bigints, and that it refuses
// blocks it did not write.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { BatchOutcome } from '../ledger/engine.js';
import type { Transfer } from '../ledger/types.js';
import { decodeEffects, encodeEffects, TRANSFER_FIELDS, TRANSFER_KINDS } from './effects.js';
import type { TableWrite } from './store.js';

const text = fc.string({ unit: 'binary', maxLength: 64 });

const transferArbitrary: fc.Arbitrary<Transfer> = fc.record({
  id: text, kind: fc.constantFrom(...TRANSFER_KINDS), debitAccountId: text, creditAccountId: text,
  amount: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), currency: text, pendingId: text,
  timeoutMs: fc.nat(), reference: text, timestamp: fc.nat(), sequence: fc.nat(),
}, { noNullPrototype: true });

function outcomeWith(transfers: Transfer[]): BatchOutcome {
  return {
    now: 1, results: [], applied: [], transfers, expired: [],
    accountsCreated: [{ id: 'acct', owner: 'owner \u{1F3E6}', currency: 'BRL', flags: 1,
      creditLimit: 10n ** 30n, debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n,
      creditsPending: 0n, createdAt: 5 }],
    creditLimits: [{ accountId: 'acct', creditLimit: 7n }],
    resolved: [{ transferId: 'p', state: 'expired' }],
  };
}

/** A transfer as the effects carry it: its currency is its accounts'. */
function projected(transfer: Transfer): Transfer {
  return { ...transfer, currency: '' };
}

function decodedTransfers(block: Uint8Array): Transfer[] {
  const { count, numbers, amounts, texts } = decodeEffects(block).transfers;
  return Array.from({ length: count }, (_, index): Transfer => {
    const at = index * TRANSFER_FIELDS.numbers;
    const field = index * TRANSFER_FIELDS.texts;
    return {
      sequence: numbers[at] as number, kind: TRANSFER_KINDS[numbers[at + 1] as number] as Transfer['kind'],
      timeoutMs: numbers[at + 2] as number, timestamp: numbers[at + 3] as number,
      amount: amounts[index] as bigint, id: texts[field] as string,
      debitAccountId: texts[field + 1] as string, creditAccountId: texts[field + 2] as string,
      currency: '', pendingId: texts[field + 3] as string, reference: texts[field + 4] as string,
    };
  });
}

describe('effects', () => {
  it('decodeEffects(encodeEffects(x)) gives back every transfer exactly', () => {
    fc.assert(fc.property(fc.array(transferArbitrary, { maxLength: 30 }), (transfers) => {
      const block = encodeEffects(outcomeWith(transfers));
      assert.ok(block !== null);
      assert.deepEqual(decodedTransfers(block), transfers.map(projected));
    }));
  });

  it('carries accounts, credit limits, resolutions and TableWrite rows with bigints', () => {
    const writes: TableWrite[] = [{ table: 'notes', columns: ['a', 'b', 'c', 'd'],
      rows: [['x', 1.5, -(2n ** 63n), null]], onConflict: 'replace' }];
    const decoded = decodeEffects(encodeEffects(outcomeWith([]), writes) as Uint8Array);
    assert.deepEqual(decoded.accounts, [{ id: 'acct', owner: 'owner \u{1F3E6}', currency: 'BRL',
      flags: 1, creditLimit: 10n ** 30n, createdAt: 5 }]);
    assert.deepEqual(decoded.creditLimits, [{ accountId: 'acct', creditLimit: 7n }]);
    assert.deepEqual(decoded.resolved, [{ transferId: 'p', state: 'expired' }]);
    assert.deepEqual(decoded.writes, writes);
  });

  it('encodes nothing for a batch that projects nothing', () => {
    const empty: BatchOutcome = { now: 1, results: [], applied: [], accountsCreated: [],
      creditLimits: [], transfers: [], resolved: [], expired: [] };
    assert.equal(encodeEffects(empty), null);
  });

  it('decodes a block stored at an unaligned offset, and refuses foreign or cut blocks', () => {
    const block = encodeEffects(outcomeWith([])) as Uint8Array;
    const shifted = new Uint8Array(block.byteLength + 3);
    shifted.set(block, 3);
    assert.equal(decodeEffects(shifted.subarray(3)).accounts.length, 1);
    assert.throws(() => decodeEffects(new Uint8Array(64)), /unknown effects format/);
    assert.throws(() => decodeEffects(block.subarray(0, block.byteLength - 1)), /size mismatch/);
  });

  it('writes text of Latin-1 code units one byte each, and any other text as UTF-16', () => {
    const one = (id: string): Transfer => ({ id, kind: 'posted', debitAccountId: 'a',
      creditAccountId: 'b', amount: 1n, currency: 'BRL', pendingId: '', timeoutMs: 0,
      reference: '', timestamp: 1, sequence: 1 });
    const latin = encodeEffects(outcomeWith([one('caf\u00e9-0001')])) as Uint8Array;
    const wide = encodeEffects(outcomeWith([one('caf\u0119-0001')])) as Uint8Array;
    assert.equal(wide.byteLength - latin.byteLength, 8 + 3);
    assert.equal(decodedTransfers(wide)[0]?.id, 'caf\u0119-0001');
  });
});
