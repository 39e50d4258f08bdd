// The effects of a batch: what the projector needs beyond the journal payload (accounts,
// transfers with their sequences, resolutions, and the TableWrite rows of upper layers), in
// one compact binary block. It is built on the writer's thread, so it must be cheap there:
// transfers go column by column into typed arrays and one UTF-16 text, with no object per
// transfer and no JSON; the rarer parts go as one JSON text. The block crosses to the storage
// threads without a copy, and is kept with its journal entry until the entry is projected.
import type { BatchOutcome, ResolvedState } from '../ledger/engine.js';
import type { TransferKind } from '../ledger/types.js';
import type { SqlValue, TableWrite } from './store.js';

/** Changes whenever the layout changes; an unknown version is refused. */
const FORMAT = 0x45_46_46_02;
/** format, transfers, text length, JSON bytes, text encoding. */
const HEADER_FIELDS = 5;
/** Per transfer: sequence, kind, timeoutMs, timestamp. */
const NUMBERS_PER_TRANSFER = 4;
/**
 * Per transfer: id, debit, credit, pendingId, reference. Not the currency: a transfer's
 * currency is its accounts' (the engine checks it), and the projections keep it there.
 */
const TEXTS_PER_TRANSFER = 5;
/** Text of code units up to 0xff is written one byte a unit; any other as UTF-16. */
const LATIN1 = 1;
const UTF16 = 2;
const BEYOND_LATIN1 = /[\u0100-\uffff]/;
const AMOUNT_MAX = 2n ** 63n - 1n;
const TEXT_LENGTH_MAX = 0xffff;

export const TRANSFER_KINDS: readonly TransferKind[] =
  ['posted', 'pending', 'post_pending', 'void_pending'];

export interface AccountEffect {
  readonly id: string;
  readonly owner: string;
  readonly currency: string;
  readonly flags: number;
  readonly creditLimit: bigint;
  readonly createdAt: number;
}

/** Transfers, column by column (TRANSFER_FIELDS values per transfer in each array). */
export interface TransferColumns {
  readonly count: number;
  /** sequence, kind (index in TRANSFER_KINDS), timeoutMs, timestamp of every transfer. */
  readonly numbers: Float64Array;
  readonly amounts: BigInt64Array;
  /** id, debitAccountId, creditAccountId, pendingId, reference of every transfer. */
  readonly texts: readonly string[];
}

export interface Effects {
  readonly accounts: readonly AccountEffect[];
  readonly creditLimits: readonly { readonly accountId: string; readonly creditLimit: bigint }[];
  readonly transfers: TransferColumns;
  readonly resolved: readonly { readonly transferId: string; readonly state: ResolvedState }[];
  readonly writes: readonly TableWrite[];
}

/** Rows the projector will write for these effects: the unit of the projection lag bound. */
export function effectRows(
  outcome: BatchOutcome,
  writes: readonly TableWrite[] | undefined,
): number {
  let rows = outcome.transfers.length + outcome.accountsCreated.length +
    outcome.creditLimits.length + outcome.resolved.length;
  for (const write of writes ?? []) rows += write.rows.length;
  return rows;
}

interface RareParts {
  a?: (string | number)[][];
  c?: string[][];
  r?: string[][];
  w?: ([string, readonly string[], unknown[][], string] |
    [string, readonly string[], unknown[][], string, readonly string[]])[];
}

function taggedRows(rows: readonly (readonly SqlValue[])[]): unknown[][] {
  return rows.map((row) => row.map((value) =>
    (typeof value === 'bigint' ? { b: value.toString() } : value)));
}

function rareParts(outcome: BatchOutcome, writes: readonly TableWrite[]): string {
  const parts: RareParts = {};
  if (outcome.accountsCreated.length > 0) {
    parts.a = outcome.accountsCreated.map((account) => [account.id, account.owner,
      account.currency, account.flags, account.creditLimit.toString(), account.createdAt]);
  }
  if (outcome.creditLimits.length > 0) {
    parts.c = outcome.creditLimits.map((change) =>
      [change.accountId, change.creditLimit.toString()]);
  }
  if (outcome.resolved.length > 0) {
    parts.r = outcome.resolved.map((change) => [change.transferId, change.state]);
  }
  if (writes.length > 0) {
    parts.w = writes.map((write) => (write.keep === undefined || write.keep.length === 0
      ? [write.table, write.columns, taggedRows(write.rows), write.onConflict ?? 'error']
      : [write.table, write.columns, taggedRows(write.rows), write.onConflict ?? 'error',
        write.keep]));
  }
  return Object.keys(parts).length === 0 ? '' : JSON.stringify(parts);
}

function textLength(text: string): number {
  if (text.length > TEXT_LENGTH_MAX) throw new Error('encodeEffects: a text field is too long.');
  return text.length;
}

function align8(bytes: number): number {
  return (bytes + 7) & ~7;
}

interface Layout {
  readonly numbers: number;
  readonly amounts: number;
  readonly lengths: number;
  readonly text: number;
  readonly json: number;
  readonly total: number;
}

function layout(count: number, textBytes: number, jsonBytes: number): Layout {
  const numbers = HEADER_FIELDS * 8;
  const amounts = numbers + count * NUMBERS_PER_TRANSFER * 8;
  const lengths = amounts + count * 8;
  const text = align8(lengths + count * TEXTS_PER_TRANSFER * 2);
  const json = text + textBytes;
  return { numbers, amounts, lengths, text, json, total: json + jsonBytes };
}

/** Encodes what a batch projects; null when it projects nothing. */
export function encodeEffects(
  outcome: BatchOutcome,
  writes: readonly TableWrite[] = [],
): Uint8Array | null {
  const transfers = outcome.transfers;
  const count = transfers.length;
  const rare = rareParts(outcome, writes);
  if (count === 0 && rare === '') return null;
  const numbers = new Float64Array(count * NUMBERS_PER_TRANSFER);
  const amounts = new BigInt64Array(count);
  const lengths = new Uint16Array(count * TEXTS_PER_TRANSFER);
  let text = '';
  for (let index = 0; index < count; index++) {
    const transfer = transfers[index] as BatchOutcome['transfers'][number];
    const at = index * NUMBERS_PER_TRANSFER;
    numbers[at] = transfer.sequence;
    numbers[at + 1] = TRANSFER_KINDS.indexOf(transfer.kind);
    numbers[at + 2] = transfer.timeoutMs;
    numbers[at + 3] = transfer.timestamp;
    if (transfer.amount < 0n || transfer.amount > AMOUNT_MAX) {
      throw new Error('encodeEffects: an amount is outside 0..2^63-1.');
    }
    amounts[index] = transfer.amount;
    const field = index * TEXTS_PER_TRANSFER;
    lengths[field] = textLength(transfer.id);
    lengths[field + 1] = textLength(transfer.debitAccountId);
    lengths[field + 2] = textLength(transfer.creditAccountId);
    lengths[field + 3] = textLength(transfer.pendingId);
    lengths[field + 4] = textLength(transfer.reference);
    text += transfer.id + transfer.debitAccountId + transfer.creditAccountId +
      transfer.pendingId + transfer.reference;
  }
  const jsonBytes = Buffer.byteLength(rare, 'utf8');
  // UTF-16 keeps every JavaScript string exactly, lone surrogates included.
  const encoding = BEYOND_LATIN1.test(text) ? UTF16 : LATIN1;
  const at = layout(count, text.length * encoding, jsonBytes);
  const block = Buffer.allocUnsafeSlow(at.total);
  new Float64Array(block.buffer, 0, HEADER_FIELDS)
    .set([FORMAT, count, text.length, jsonBytes, encoding]);
  new Float64Array(block.buffer, at.numbers, numbers.length).set(numbers);
  new BigInt64Array(block.buffer, at.amounts, count).set(amounts);
  new Uint16Array(block.buffer, at.lengths, lengths.length).set(lengths);
  block.fill(0, at.lengths + lengths.length * 2, at.text);
  block.write(text, at.text, encoding === LATIN1 ? 'latin1' : 'utf16le');
  block.write(rare, at.json, 'utf8');
  return block;
}

function untagged(rows: unknown[][]): SqlValue[][] {
  return rows.map((row) => row.map((value): SqlValue => {
    if (value !== null && typeof value === 'object') return BigInt((value as { b: string }).b);
    return value as SqlValue;
  }));
}

function decodeRare(json: string): Omit<Effects, 'transfers'> {
  const parts = (json === '' ? {} : JSON.parse(json)) as RareParts;
  return {
    accounts: (parts.a ?? []).map((row) => ({
      id: String(row[0]), owner: String(row[1]), currency: String(row[2]), flags: Number(row[3]),
      creditLimit: BigInt(String(row[4])), createdAt: Number(row[5]),
    })),
    creditLimits: (parts.c ?? []).map((row) => ({
      accountId: String(row[0]), creditLimit: BigInt(String(row[1])),
    })),
    resolved: (parts.r ?? []).map((row) => ({
      transferId: String(row[0]), state: String(row[1]) as ResolvedState,
    })),
    writes: (parts.w ?? []).map(([table, columns, rows, onConflict, keep]): TableWrite => ({
      table, columns, rows: untagged(rows), onConflict: onConflict === 'replace' ? 'replace' : 'error',
      ...(keep === undefined ? {} : { keep }),
    })),
  };
}

/** Decodes a block of encodeEffects(); throws on a block it did not write. */
export function decodeEffects(block: Uint8Array): Effects {
  const bytes = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
  // Typed arrays need aligned offsets: copy a block that does not start on 8 bytes.
  const aligned = bytes.byteOffset % 8 === 0 ? bytes : Buffer.from(bytes);
  if (aligned.byteLength < HEADER_FIELDS * 8) throw new Error('decodeEffects: truncated block.');
  const header = new Float64Array(aligned.buffer, aligned.byteOffset, HEADER_FIELDS);
  const [format, count, textUnits, jsonBytes, encoding] =
    header as unknown as [number, number, number, number, number];
  if (format !== FORMAT || (encoding !== LATIN1 && encoding !== UTF16)) {
    throw new Error('decodeEffects: unknown effects format.');
  }
  const at = layout(count, textUnits * encoding, jsonBytes);
  if (aligned.byteLength !== at.total) throw new Error('decodeEffects: block size mismatch.');
  const base = aligned.byteOffset;
  const lengths = new Uint16Array(aligned.buffer, base + at.lengths, count * TEXTS_PER_TRANSFER);
  const text = aligned.toString(encoding === LATIN1 ? 'latin1' : 'utf16le', at.text, at.json);
  const texts = new Array<string>(lengths.length);
  let position = 0;
  for (let index = 0; index < lengths.length; index++) {
    const length = lengths[index] as number;
    texts[index] = text.slice(position, position + length);
    position += length;
  }
  if (position !== textUnits) throw new Error('decodeEffects: text lengths do not add up.');
  return {
    ...decodeRare(aligned.toString('utf8', at.json, at.total)),
    transfers: {
      count,
      numbers: new Float64Array(aligned.buffer, base + at.numbers, count * NUMBERS_PER_TRANSFER),
      amounts: new BigInt64Array(aligned.buffer, base + at.amounts, count),
      texts,
    },
  };
}

export const TRANSFER_FIELDS = {
  numbers: NUMBERS_PER_TRANSFER, texts: TEXTS_PER_TRANSFER,
} as const;
