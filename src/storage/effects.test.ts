// Proves the effects block carries a batch's projection exactly: every transfer field the
// projections keep (any JavaScript string, lone surrogates included; amounts up to 2^63 − 1),
// accounts, credit limits, resolutions and TableWrite rows of every value type (a JSON text
// kept as it is, not escaped again), that a version 2 block (rows as JSON) written before
// version 3 still decodes, and that it refuses blocks it did not write.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { BatchOutcome } from '../ledger/engine.js';
import type { Transfer } from '../ledger/types.js';
import { decodeEffects, encodeEffects, TRANSFER_FIELDS, TRANSFER_KINDS } from './effects.js';
import type { SqlValue, TableWrite } from './store.js';

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

const sqlValue: fc.Arbitrary<SqlValue> = fc.oneof(text, fc.constant(null),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((value) => !Object.is(value, -0)),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }));

const writeArbitrary: fc.Arbitrary<TableWrite> = fc.integer({ min: 1, max: 5 }).chain((columns) =>
  fc.record({
    table: fc.constantFrom('payments', 'quotes', 'payment_events'),
    columns: fc.constant(Array.from({ length: columns }, (_, index) => `c${index}`)),
    rows: fc.array(fc.array(sqlValue, { minLength: columns, maxLength: columns }),
      { maxLength: 6 }),
    onConflict: fc.constantFrom('replace' as const, 'error' as const),
    keep: fc.option(fc.constant(['c0']), { nil: undefined }),
  }, { requiredKeys: ['table', 'columns', 'rows', 'onConflict'], noNullPrototype: true }));

/** A write as it comes back: onConflict always said, keep only when it keeps something. */
function normal(write: TableWrite): TableWrite {
  const { keep, ...rest } = write;
  return { ...rest, onConflict: write.onConflict ?? 'error',
    ...(keep === undefined || keep.length === 0 ? {} : { keep }) };
}

/**
 * A version 2 block (written by effects.ts before version 3): two transfers (one reference
 * "café"), an account, a credit limit, a resolution, and rows as JSON, one a payment's view
 * escaped inside it, one a bigint as {"b": "…"}.
 */
const V2_BLOCK = 'AACAgJFR0UEAAAAAAAAAQAAAAAAAAERAAAAAAAAwd0AAAAAAAADwPwAAAAAAABxAAAAAAAAAAAAAAAAAAAAAAAAAgF' +
  'b+vHhCAAAAAAAAIEAAAAAAAADwPwAAAAAATO1AABCAVv68eEI5MAAAAAAAAP////////9/BAAIAAYAAAAEAAQABgAIAAAA' +
  'AAAAAAAAdHItMUJSTDpici1hQlJMOmZ4Y2Fm6XRyLTJJTlI6ZnhJTlI6aW4tYnsiYSI6W1siYWNjdCIsIm93bmVyIiwiQl' +
  'JMIiwxLCIxMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwIiw1XV0sImMiOltbImFjY3QiLCI3Il1dLCJyIjpbWyJw' +
  'IiwiZXhwaXJlZCJdXSwidyI6W1sicGF5bWVudHMiLFsib3JkaW5hbCIsImlkIiwidmlldyIsImZ4Il0sW1sxMDQ4NTc2LC' +
  'JwbS0xIiwie1wiaWRcIjpcInBtLTFcIixcIm5hbWVcIjpcIlpvw6sgXFxcIlFcXFwiXCIsXCJhbW91bnRcIjpcIjEwXCJ9' +
  'IixudWxsXSxbMTA0ODU3NywicG0tMiIsInt9IiwiZngtZ3VsZiJdXSwicmVwbGFjZSIsWyJvcmRpbmFsIiwiaWQiXV0sWy' +
  'Jub3RlcyIsWyJhIiwiYiJdLFtbeyJiIjoiLTkyMjMzNzIwMzY4NTQ3NzU4MDgifSwxLjVdXSwiZXJyb3IiXV19';

describe('effects', () => {
  it('decodes a version 2 block exactly as version 2 did', () => {
    const block = Buffer.from(V2_BLOCK, 'base64');
    const decoded = decodeEffects(new Uint8Array(block));
    assert.deepEqual(decodedTransfers(block), [
      { sequence: 7, kind: 'posted', timeoutMs: 0, timestamp: 1_700_000_000_000, amount: 12345n,
        id: 'tr-1', debitAccountId: 'BRL:br-a', creditAccountId: 'BRL:fx', currency: '',
        pendingId: '', reference: 'caf\u00e9' },
      { sequence: 8, kind: 'pending', timeoutMs: 60_000, timestamp: 1_700_000_000_001,
        amount: 2n ** 63n - 1n, id: 'tr-2', debitAccountId: 'INR:fx', creditAccountId: 'INR:in-b',
        currency: '', pendingId: '', reference: '' },
    ]);
    assert.deepEqual(decoded.accounts, [{ id: 'acct', owner: 'owner', currency: 'BRL', flags: 1,
      creditLimit: 10n ** 30n, createdAt: 5 }]);
    assert.deepEqual(decoded.creditLimits, [{ accountId: 'acct', creditLimit: 7n }]);
    assert.deepEqual(decoded.resolved, [{ transferId: 'p', state: 'expired' }]);
    assert.deepEqual(decoded.writes, [
      { table: 'payments', columns: ['ordinal', 'id', 'view', 'fx'], onConflict: 'replace',
        keep: ['ordinal', 'id'], rows: [
          [1_048_576, 'pm-1', '{"id":"pm-1","name":"Zo\u00eb \\"Q\\"","amount":"10"}', null],
          [1_048_577, 'pm-2', '{}', 'fx-gulf']] },
      { table: 'notes', columns: ['a', 'b'], onConflict: 'error', rows: [[-(2n ** 63n), 1.5]] },
    ]);
  });

  it('decodeEffects(encodeEffects(x)) gives back every TableWrite row exactly', () => {
    fc.assert(fc.property(fc.array(transferArbitrary, { maxLength: 5 }),
      fc.array(writeArbitrary, { maxLength: 4 }), (transfers, writes) => {
        const block = encodeEffects(outcomeWith(transfers), writes);
        assert.ok(block !== null);
        const decoded = decodeEffects(block);
        assert.deepEqual(decoded.writes, writes.map(normal));
        assert.deepEqual(decodedTransfers(block), transfers.map(projected));
      }));
  });

  it('copies a JSON text into the block as it is, not escaped again', () => {
    const view = JSON.stringify({ id: 'pm-1', name: 'Zo\u00eb "Q"', amount: '10' });
    const writes: TableWrite[] = [{ table: 'payments', columns: ['id', 'view'],
      rows: [['pm-1', view]], onConflict: 'replace' }];
    const empty: BatchOutcome = { now: 1, results: [], applied: [], accountsCreated: [],
      creditLimits: [], transfers: [], resolved: [], expired: [] };
    const block = encodeEffects(empty, writes) as Uint8Array;
    assert.ok(Buffer.from(block).includes(Buffer.from(view, 'latin1')));
    assert.deepEqual(decodeEffects(block).writes, writes);
  });

  it('keeps long and short texts apart and in order, Latin-1 or wide', () => {
    for (const mark of ['\u00e9', '\u4e2d', '\ud800']) {
      const long = `{"name":"${mark}${'x'.repeat(5000)}"}`;
      const writes: TableWrite[] = [{ table: 'payments', columns: ['a', 'b', 'c', 'd', 'e'],
        rows: [['s1', long, 's2', 's3', `${'y'.repeat(63)}${mark}`], [long, '', null, 'z'.repeat(64), 'w']],
        onConflict: 'error' }];
      const transfer: Transfer = { id: 'tr', kind: 'posted', debitAccountId: 'a',
        creditAccountId: 'b', amount: 1n, currency: 'BRL', pendingId: '', timeoutMs: 0,
        reference: 'r'.repeat(100), timestamp: 1, sequence: 1 };
      const block = encodeEffects(outcomeWith([transfer]), writes) as Uint8Array;
      assert.deepEqual(decodeEffects(block).writes, writes);
      assert.deepEqual(decodedTransfers(block), [projected(transfer)]);
    }
  });

  it('encodes a batch whose only effects are rows', () => {
    const empty: BatchOutcome = { now: 1, results: [], applied: [], accountsCreated: [],
      creditLimits: [], transfers: [], resolved: [], expired: [] };
    const writes: TableWrite[] = [{ table: 'notes', columns: ['a'], rows: [] }];
    assert.deepEqual(decodeEffects(encodeEffects(empty, writes) as Uint8Array).writes,
      writes.map(normal));
  });

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
