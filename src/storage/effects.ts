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
/** Text lengths, and the number of texts, are 32 bits (version 2's lengths were 16). */
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

/** What a block holds, counted before it is allocated (it is allocated once, at its size). */
interface Census {
  numbers: number;
  bigints: number;
  texts: number;
  tags: number;
  /** UTF-16 code units of all its texts. */
  units: number;
  /** Whether any text has a code unit beyond Latin-1. */
  wide: boolean;
}

function censusText(census: Census, value: string): void {
  census.units += value.length;
  // On a one-byte string V8 answers without reading it.
  if (!census.wide && BEYOND_LATIN1.test(value)) census.wide = true;
}

function countAll(transfers: BatchOutcome['transfers'], writes: readonly TableWrite[]): Census {
  const count = transfers.length;
  const census: Census = { numbers: count * NUMBERS_PER_TRANSFER + 1, bigints: count,
    texts: count * TEXTS_PER_TRANSFER, tags: 0, units: 0, wide: false };
  for (const transfer of transfers) {
    censusText(census, transfer.id);
    censusText(census, transfer.debitAccountId);
    censusText(census, transfer.creditAccountId);
    censusText(census, transfer.pendingId);
    censusText(census, transfer.reference);
  }
  for (const write of writes) {
    census.numbers += NUMBERS_PER_WRITE;
    census.texts += 1 + write.columns.length + (write.keep?.length ?? 0);
    censusText(census, write.table);
    for (const column of write.columns) censusText(census, column);
    for (const column of write.keep ?? []) censusText(census, column);
    for (const row of write.rows) {
      if (row.length !== write.columns.length) {
        throw new Error(`encodeEffects: a row of ${write.table} does not match its columns.`);
      }
      census.tags += row.length;
      for (const value of row) {
        if (typeof value === 'string') {
          census.texts += 1;
          censusText(census, value);
        } else if (typeof value === 'number') census.numbers += 1;
        else if (typeof value === 'bigint') census.bigints += 1;
      }
    }
  }
  return census;
}

/**
 * Texts shorter than this are gathered into one string and written together; longer ones are
 * written on their own. One string of every text would be cheaper to write, but a batch's
 * texts run to megabytes, and such a string costs V8 several times its copy to build.
 */
const GATHERED_TEXT_MAX = 64;

/** Fills a block allocated at its size, in one pass over transfers and rows. */
class Filler {
  private number = 0;
  private bigint = 0;
  private length = 0;
  private tag = 0;
  /** Where the next text goes, in bytes from the block's start. */
  private textAt: number;
  private gathered = '';

  constructor(
    private readonly block: Buffer,
    private readonly numbers: Float64Array,
    private readonly bigints: BigInt64Array,
    private readonly lengths: Uint32Array,
    private readonly tags: Uint8Array,
    textAt: number,
    private readonly encoding: typeof LATIN1 | typeof UTF16,
  ) {
    this.textAt = textAt;
  }

  addNumber(value: number): void {
    this.numbers[this.number++] = value;
  }

  addBigint(value: bigint): void {
    this.bigints[this.bigint++] = value;
  }

  addText(value: string): void {
    this.lengths[this.length++] = value.length;
    if (value.length < GATHERED_TEXT_MAX) {
      this.gathered += value;
      return;
    }
    this.flush();
    this.write(value);
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

  /** Writes the gathered texts; the block is complete after the last flush. */
  flush(): void {
    if (this.gathered === '') return;
    this.write(this.gathered);
    this.gathered = '';
  }

  private write(text: string): void {
    this.textAt += this.block.write(text, this.textAt,
      this.encoding === LATIN1 ? 'latin1' : 'utf16le');
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
  const census = countAll(transfers, writes);
  if (census.units > Number.MAX_SAFE_INTEGER || census.texts > TEXT_LENGTH_MAX) {
    throw new Error('encodeEffects: too many texts.');
  }
  const jsonBytes = rare === '' ? 0 : Buffer.byteLength(rare, 'utf8');
  // UTF-16 keeps every JavaScript string exactly, lone surrogates included.
  const encoding = census.wide ? UTF16 : LATIN1;
  const at = layout(census, census.units * encoding, jsonBytes);
  const block = Buffer.allocUnsafeSlow(at.total);
  new Float64Array(block.buffer, 0, HEADER_FIELDS).set([FORMAT, count, census.units, jsonBytes,
    encoding, census.numbers, census.bigints, census.texts, census.tags]);
  block.fill(0, at.tags + census.tags, at.text);
  const fill = new Filler(block,
    new Float64Array(block.buffer, at.numbers, census.numbers),
    new BigInt64Array(block.buffer, at.bigints, census.bigints),
    new Uint32Array(block.buffer, at.lengths, census.texts),
    new Uint8Array(block.buffer, at.tags, census.tags), at.text, encoding);
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
    for (const row of write.rows) for (const value of row) fill.addCell(value);
  }
  fill.flush();
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

/**
 * The texts of a version 3 block, read as they were written: a run of short ones as one
 * string, cut; a long one on its own (one string of the whole text would cost more).
 */
function readTexts(
  bytes: Buffer,
  start: number,
  end: number,
  encoding: typeof LATIN1 | typeof UTF16,
  lengths: Uint32Array,
): string[] {
  const name = encoding === LATIN1 ? 'latin1' : 'utf16le';
  const texts = new Array<string>(lengths.length);
  let at = start;
  let index = 0;
  while (index < lengths.length) {
    const length = lengths[index] as number;
    if (length >= GATHERED_TEXT_MAX) {
      texts[index++] = readText(bytes, at, length * encoding, end, name);
      at += length * encoding;
      continue;
    }
    let last = index;
    let units = 0;
    while (last < lengths.length && (lengths[last] as number) < GATHERED_TEXT_MAX) {
      units += lengths[last] as number;
      last += 1;
    }
    const run = readText(bytes, at, units * encoding, end, name);
    at += units * encoding;
    let position = 0;
    for (; index < last; index++) {
      const short = lengths[index] as number;
      texts[index] = run.slice(position, position + short);
      position += short;
    }
  }
  if (at !== end) throw new Error('decodeEffects: text lengths do not add up.');
  return texts;
}

function readText(
  bytes: Buffer,
  at: number,
  size: number,
  end: number,
  encoding: 'latin1' | 'utf16le',
): string {
  if (at + size > end) throw new Error('decodeEffects: text lengths do not add up.');
  return bytes.toString(encoding, at, at + size);
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
  const texts = readTexts(aligned, at.text, at.json, encoding, lengths);
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
