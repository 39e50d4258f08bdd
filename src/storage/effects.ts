// The effects of a batch: what the projector needs beyond the journal payload (accounts,
// transfers with their sequences, resolutions, and the TableWrite rows of upper layers), in
// one compact binary block. It is built on the writer's thread, so it must be cheap there:
// transfers and rows go value by value into typed arrays (numbers, 64-bit integers, text
// lengths, one type byte per row cell) and every text into one Latin-1 or UTF-16 text, with
// no object per value and no JSON (a payment's view, already JSON, is copied as it is, not
// escaped again); only accounts, credit limits and resolutions, which are rare, go as one JSON
// text. The block crosses to the storage threads without a copy, and is kept with its journal
// entry until the entry is projected. Layout: docs/storage.md.
import type { BatchOutcome, ResolvedState } from '../ledger/engine.js';
import type { TransferKind } from '../ledger/types.js';
import type { SqlValue, TableWrite } from './store.js';

/**
 * Changes whenever the layout changes; an unknown version is refused. Version 3 is written;
 * version 2 blocks (upper layers' rows as JSON) may still wait in a journal written before it,
 * and are read.
 */
const FORMAT = 0x45_46_46_03;
const FORMAT_V2 = 0x45_46_46_02;
/** format, transfers, text units, JSON bytes, text encoding, numbers, bigints, texts, tags. */
const HEADER_FIELDS = 9;
/** Version 2: format, transfers, text length, JSON bytes, text encoding. */
const HEADER_FIELDS_V2 = 5;
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
/** Text lengths are 32 bits (version 2's were 16). */
const TEXT_LENGTH_MAX = 0xffff_ffff;
/** A TableWrite cell's type, one byte each (version 3). */
const NULL = 0;
const NUMBER = 1;
const STRING = 2;
const BIGINT = 3;
/** onConflict as a number (version 3). */
const ON_CONFLICT: readonly NonNullable<TableWrite['onConflict']>[] = ['error', 'replace'];
/** A write's keep list when it has none. */
const NO_KEEP = -1;
/** Per write, in the numbers: columns, keep (or NO_KEEP), rows, onConflict. */
const NUMBERS_PER_WRITE = 4;

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

/** The rare parts as JSON. Version 2 also put the upper layers' rows here (`w`). */
interface RareParts {
  a?: (string | number)[][];
  c?: string[][];
  r?: string[][];
  w?: ([string, readonly string[], unknown[][], string] |
    [string, readonly string[], unknown[][], string, readonly string[]])[];
}

function rareParts(outcome: BatchOutcome): string {
  if (outcome.accountsCreated.length === 0 && outcome.creditLimits.length === 0 &&
    outcome.resolved.length === 0) return '';
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
  return JSON.stringify(parts);
}

function align8(bytes: number): number {
  return (bytes + 7) & ~7;
}

/** How many of each the block holds (version 3). */
interface Counts {
  readonly numbers: number;
  readonly bigints: number;
  readonly texts: number;
  readonly tags: number;
}

interface Layout {
  readonly numbers: number;
  readonly bigints: number;
  readonly lengths: number;
  readonly tags: number;
  readonly text: number;
  readonly json: number;
  readonly total: number;
}

function layout(counts: Counts, textBytes: number, jsonBytes: number): Layout {
  const numbers = HEADER_FIELDS * 8;
  const bigints = numbers + counts.numbers * 8;
  const lengths = bigints + counts.bigints * 8;
  const tags = lengths + counts.texts * 4;
  const text = align8(tags + counts.tags);
  const json = text + textBytes;
  return { numbers, bigints, lengths, tags, text, json, total: json + jsonBytes };
}

/** What the rows of `writes` hold, counted, so that the block is allocated once. */
function countWrites(writes: readonly TableWrite[], transfers: number): Counts {
  let numbers = transfers * NUMBERS_PER_TRANSFER + 1;
  let bigints = transfers;
  let texts = transfers * TEXTS_PER_TRANSFER;
  let tags = 0;
  for (const write of writes) {
    numbers += NUMBERS_PER_WRITE;
    texts += 1 + write.columns.length + (write.keep?.length ?? 0);
    for (const row of write.rows) {
      tags += row.length;
      for (const value of row) {
        if (typeof value === 'string') texts += 1;
        else if (typeof value === 'number') numbers += 1;
        else if (typeof value === 'bigint') bigints += 1;
      }
    }
  }
  return { numbers, bigints, texts, tags };
}

/** Fills the columns of a block; one pass over transfers and rows, the text as one string. */
class Filler {
  readonly numbers: Float64Array;
  readonly bigints: BigInt64Array;
  readonly lengths: Uint32Array;
  readonly tags: Uint8Array;
  text = '';
  private number = 0;
  private bigint = 0;
  private length = 0;
  private tag = 0;

  constructor(counts: Counts) {
    this.numbers = new Float64Array(counts.numbers);
    this.bigints = new BigInt64Array(counts.bigints);
    this.lengths = new Uint32Array(counts.texts);
    this.tags = new Uint8Array(counts.tags);
  }

  addNumber(value: number): void {
    this.numbers[this.number++] = value;
  }

  addBigint(value: bigint): void {
    this.bigints[this.bigint++] = value;
  }

  addText(value: string): void {
    if (value.length > TEXT_LENGTH_MAX) throw new Error('encodeEffects: a text is too long.');
    this.lengths[this.length++] = value.length;
    this.text += value;
  }

  addCell(value: SqlValue): void {
    if (typeof value === 'string') {
      this.tags[this.tag++] = STRING;
      this.addText(value);
    } else if (typeof value === 'number') {
      this.tags[this.tag++] = NUMBER;
      this.addNumber(value);
    } else if (typeof value === 'bigint') {
      // checkRows() keeps a row's bigints within 64 bits signed; BigInt64Array wraps beyond.
      this.tags[this.tag++] = BIGINT;
      this.addBigint(value);
    } else {
      this.tags[this.tag++] = NULL;
    }
  }
}

/** Encodes what a batch projects; null when it projects nothing. */
export function encodeEffects(
  outcome: BatchOutcome,
  writes: readonly TableWrite[] = [],
): Uint8Array | null {
  const transfers = outcome.transfers;
  const count = transfers.length;
  const rare = rareParts(outcome);
  if (count === 0 && rare === '' && writes.length === 0) return null;
  const fill = new Filler(countWrites(writes, count));
  for (let index = 0; index < count; index++) {
    const transfer = transfers[index] as BatchOutcome['transfers'][number];
    fill.addNumber(transfer.sequence);
    fill.addNumber(TRANSFER_KINDS.indexOf(transfer.kind));
    fill.addNumber(transfer.timeoutMs);
    fill.addNumber(transfer.timestamp);
    if (transfer.amount < 0n || transfer.amount > AMOUNT_MAX) {
      throw new Error('encodeEffects: an amount is outside 0..2^63-1.');
    }
    fill.addBigint(transfer.amount);
    fill.addText(transfer.id);
    fill.addText(transfer.debitAccountId);
    fill.addText(transfer.creditAccountId);
    fill.addText(transfer.pendingId);
    fill.addText(transfer.reference);
  }
  fill.addNumber(writes.length);
  for (const write of writes) {
    fill.addNumber(write.columns.length);
    fill.addNumber(write.keep?.length ?? NO_KEEP);
    fill.addNumber(write.rows.length);
    fill.addNumber(write.onConflict === 'replace' ? 1 : 0);
    fill.addText(write.table);
    for (const column of write.columns) fill.addText(column);
    for (const column of write.keep ?? []) fill.addText(column);
    for (const row of write.rows) {
      if (row.length !== write.columns.length) {
        throw new Error(`encodeEffects: a row of ${write.table} does not match its columns.`);
      }
      for (const value of row) fill.addCell(value);
    }
  }
  const { text } = fill;
  const jsonBytes = rare === '' ? 0 : Buffer.byteLength(rare, 'utf8');
  // UTF-16 keeps every JavaScript string exactly, lone surrogates included.
  const encoding = BEYOND_LATIN1.test(text) ? UTF16 : LATIN1;
  const counts = { numbers: fill.numbers.length, bigints: fill.bigints.length,
    texts: fill.lengths.length, tags: fill.tags.length };
  const at = layout(counts, text.length * encoding, jsonBytes);
  const block = Buffer.allocUnsafeSlow(at.total);
  new Float64Array(block.buffer, 0, HEADER_FIELDS).set([FORMAT, count, text.length, jsonBytes,
    encoding, counts.numbers, counts.bigints, counts.texts, counts.tags]);
  new Float64Array(block.buffer, at.numbers, counts.numbers).set(fill.numbers);
  new BigInt64Array(block.buffer, at.bigints, counts.bigints).set(fill.bigints);
  new Uint32Array(block.buffer, at.lengths, counts.texts).set(fill.lengths);
  block.set(fill.tags, at.tags);
  block.fill(0, at.tags + counts.tags, at.text);
  block.write(text, at.text, encoding === LATIN1 ? 'latin1' : 'utf16le');
  if (jsonBytes > 0) block.write(rare, at.json, 'utf8');
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

/** The block, as a Buffer whose offset typed arrays may use (copied if it is not aligned). */
function alignedBytes(block: Uint8Array): Buffer {
  const bytes = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
  return bytes.byteOffset % 8 === 0 ? bytes : Buffer.from(bytes);
}

/** Cuts `text` into strings of the given lengths. */
function cut(text: string, lengths: Uint32Array | Uint16Array, units: number): string[] {
  const texts = new Array<string>(lengths.length);
  let position = 0;
  for (let index = 0; index < lengths.length; index++) {
    const length = lengths[index] as number;
    texts[index] = text.slice(position, position + length);
    position += length;
  }
  if (position !== units) throw new Error('decodeEffects: text lengths do not add up.');
  return texts;
}

/** Decodes a block of encodeEffects() (either version); throws on a block it did not write. */
export function decodeEffects(block: Uint8Array): Effects {
  const aligned = alignedBytes(block);
  if (aligned.byteLength < HEADER_FIELDS_V2 * 8) throw new Error('decodeEffects: truncated block.');
  const format = new Float64Array(aligned.buffer, aligned.byteOffset, 1)[0];
  if (format === FORMAT_V2) return decodeV2(aligned);
  if (format !== FORMAT || aligned.byteLength < HEADER_FIELDS * 8) {
    throw new Error('decodeEffects: unknown effects format.');
  }
  const header = new Float64Array(aligned.buffer, aligned.byteOffset, HEADER_FIELDS);
  const [, count, textUnits, jsonBytes, encoding, numberCount, bigintCount, textCount, tagCount] =
    header as unknown as number[] as [number, number, number, number, number, number, number,
      number, number];
  if (encoding !== LATIN1 && encoding !== UTF16) {
    throw new Error('decodeEffects: unknown effects format.');
  }
  const counts = { numbers: numberCount, bigints: bigintCount, texts: textCount, tags: tagCount };
  const at = layout(counts, textUnits * encoding, jsonBytes);
  if (aligned.byteLength !== at.total || count * NUMBERS_PER_TRANSFER >= numberCount ||
    count > bigintCount || count * TEXTS_PER_TRANSFER > textCount) {
    throw new Error('decodeEffects: block size mismatch.');
  }
  const base = aligned.byteOffset;
  const numbers = new Float64Array(aligned.buffer, base + at.numbers, numberCount);
  const bigints = new BigInt64Array(aligned.buffer, base + at.bigints, bigintCount);
  const lengths = new Uint32Array(aligned.buffer, base + at.lengths, textCount);
  const tags = aligned.subarray(at.tags, at.tags + tagCount);
  const text = aligned.toString(encoding === LATIN1 ? 'latin1' : 'utf16le', at.text, at.json);
  const texts = cut(text, lengths, textUnits);
  const rare = decodeRare(jsonBytes === 0 ? '' : aligned.toString('utf8', at.json, at.total));
  const cursor = { number: count * NUMBERS_PER_TRANSFER, bigint: count,
    text: count * TEXTS_PER_TRANSFER, tag: 0 };
  const writes = decodeWrites(numbers, bigints, texts, tags, cursor);
  if (cursor.number !== numberCount || cursor.bigint !== bigintCount ||
    cursor.text !== textCount || cursor.tag !== tagCount) {
    throw new Error('decodeEffects: the rows do not add up.');
  }
  return {
    ...rare,
    writes,
    transfers: {
      count,
      numbers: numbers.subarray(0, count * NUMBERS_PER_TRANSFER),
      amounts: bigints.subarray(0, count),
      texts: count * TEXTS_PER_TRANSFER === textCount ? texts
        : texts.slice(0, count * TEXTS_PER_TRANSFER),
    },
  };
}

interface Cursor {
  number: number;
  bigint: number;
  text: number;
  tag: number;
}

function decodeWrites(
  numbers: Float64Array,
  bigints: BigInt64Array,
  texts: readonly string[],
  tags: Uint8Array,
  cursor: Cursor,
): TableWrite[] {
  const take = (): number => {
    if (cursor.number >= numbers.length) throw new Error('decodeEffects: the rows do not add up.');
    return numbers[cursor.number++] as number;
  };
  const name = (): string => {
    if (cursor.text >= texts.length) throw new Error('decodeEffects: the rows do not add up.');
    return texts[cursor.text++] as string;
  };
  const writeCount = take();
  const writes: TableWrite[] = [];
  for (let write = 0; write < writeCount; write++) {
    const columnCount = take();
    const keepCount = take();
    const rowCount = take();
    const onConflict = ON_CONFLICT[take()];
    if (onConflict === undefined) throw new Error('decodeEffects: unknown effects format.');
    const table = name();
    const columns = Array.from({ length: columnCount }, name);
    const keep = keepCount === NO_KEEP ? undefined : Array.from({ length: keepCount }, name);
    if (cursor.tag + rowCount * columnCount > tags.length) {
      throw new Error('decodeEffects: the rows do not add up.');
    }
    const rows = new Array<SqlValue[]>(rowCount);
    for (let index = 0; index < rowCount; index++) {
      const row = new Array<SqlValue>(columnCount);
      for (let column = 0; column < columnCount; column++) {
        const tag = tags[cursor.tag++];
        if (tag === STRING) row[column] = name();
        else if (tag === NUMBER) row[column] = take();
        else if (tag === BIGINT) {
          if (cursor.bigint >= bigints.length) throw new Error('decodeEffects: the rows do not add up.');
          row[column] = bigints[cursor.bigint++] as bigint;
        } else if (tag === NULL) row[column] = null;
        else throw new Error('decodeEffects: unknown effects format.');
      }
      rows[index] = row;
    }
    writes.push({ table, columns, rows, onConflict,
      ...(keep === undefined || keep.length === 0 ? {} : { keep }) });
  }
  return writes;
}

/** A version 2 block: transfers as in version 3 with 16-bit text lengths, rows in the JSON. */
function decodeV2(aligned: Buffer): Effects {
  const header = new Float64Array(aligned.buffer, aligned.byteOffset, HEADER_FIELDS_V2);
  const [, count, textUnits, jsonBytes, encoding] =
    header as unknown as [number, number, number, number, number];
  if (encoding !== LATIN1 && encoding !== UTF16) {
    throw new Error('decodeEffects: unknown effects format.');
  }
  const numbersAt = HEADER_FIELDS_V2 * 8;
  const amountsAt = numbersAt + count * NUMBERS_PER_TRANSFER * 8;
  const lengthsAt = amountsAt + count * 8;
  const textAt = align8(lengthsAt + count * TEXTS_PER_TRANSFER * 2);
  const jsonAt = textAt + textUnits * encoding;
  if (aligned.byteLength !== jsonAt + jsonBytes) throw new Error('decodeEffects: block size mismatch.');
  const base = aligned.byteOffset;
  const lengths = new Uint16Array(aligned.buffer, base + lengthsAt, count * TEXTS_PER_TRANSFER);
  const text = aligned.toString(encoding === LATIN1 ? 'latin1' : 'utf16le', textAt, jsonAt);
  return {
    ...decodeRare(aligned.toString('utf8', jsonAt, jsonAt + jsonBytes)),
    transfers: {
      count,
      numbers: new Float64Array(aligned.buffer, base + numbersAt, count * NUMBERS_PER_TRANSFER),
      amounts: new BigInt64Array(aligned.buffer, base + amountsAt, count),
      texts: cut(text, lengths, textUnits),
    },
  };
}

export const TRANSFER_FIELDS = {
  numbers: NUMBERS_PER_TRANSFER, texts: TEXTS_PER_TRANSFER,
} as const;
