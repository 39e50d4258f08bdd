// Snapshots of the network's state: the whole engine (network state and the ledger engine's
// internals) plus the event feed, as bytes bound to the journal entry they cover, so that a
// restart replays only the journal's tail. Format (docs/storage.md, "Snapshots"):
//
//   "CRSNAP01" | u32 format version | u32 header length | header (JSON) | body | SHA-256
//
// The body is V8's structured-clone serialisation (node:v8): it walks Maps, Sets, arrays,
// plain objects, typed arrays and bigints natively, keeps every insertion order (which the
// engine's behaviour depends on: uetrs oldest first, quotes, the expiry heap's array) and
// shared references, and is deterministic: the same state gives the same bytes. It drops
// prototypes, so class instances go through explicit hooks: a registered class is written as
// { $class, fields } with its own fields (walked the same way) and restored without running
// its constructor. A class instance nobody registered is refused, not silently flattened.
// From format version 2 the body is stored deflated (raw DEFLATE, level 1: about 8x smaller on
// a live state, so it reads from storage in a fraction of the time and inflates faster than
// the bytes saved would read). Only the V8 serialisation runs on the engine thread: the writer
// compresses on libuv's thread pool (sealSnapshotOffThread). Version 1 bodies
// (uncompressed) are still read. The trailing SHA-256 covers everything before it (the stored,
// compressed bytes); the header carries the journal entry (sequence and hash) the state is the
// result of.
import { kMaxLength } from 'node:buffer';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { deflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';
import { deserialize, serialize } from 'node:v8';
import type { JournalEntry } from '../journal/hash-chain.js';
import { ExpiryQueue } from '../ledger/expiry-queue.js';
import { LedgerEngine } from '../ledger/engine.js';
import { TransferIndex } from '../ledger/transfer-index.js';
import { NetworkEngine } from '../engine/engine.js';

/**
 * Raise on any change of what the body holds that an older reader would misread. Version 1:
 * the body is V8's serialisation (still read); version 2: the same, deflated (raw DEFLATE,
 * level 1).
 */
export const SNAPSHOT_FORMAT_VERSION = 2;
/** The versions this build reads. */
const READABLE_VERSIONS: readonly number[] = [1, 2];
const MAGIC = Buffer.from('CRSNAP01', 'latin1');
const CHECKSUM_BYTES = 32;
const PREFIX_BYTES = MAGIC.length + 8;

/**
 * The classes a snapshot may hold, by a stable name (not the constructor's name, which a
 * bundler may change). Another class in the state must be added here (the codec's tests fail
 * until it is).
 */
const CLASSES: ReadonlyMap<string, abstract new (...args: never[]) => object> = new Map<
  string,
  abstract new (...args: never[]) => object
>([
  ['NetworkEngine', NetworkEngine],
  ['LedgerEngine', LedgerEngine],
  ['TransferIndex', TransferIndex],
  ['ExpiryQueue', ExpiryQueue],
]);
const NAMES = new Map([...CLASSES].map(([name, type]) => [type.prototype as object, name]));

/** A stable code for each way a snapshot can fail to load. */
export type SnapshotProblemCode =
  | 'snapshot_checksum_mismatch'
  | 'snapshot_entry_mismatch'
  | 'snapshot_undecodable'
  | 'snapshot_version_unknown';

export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
  constructor(
    readonly code: SnapshotProblemCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SnapshotHeader {
  /** The journal entry whose state this is. */
  readonly sequence: number;
  readonly entryHash: string;
  /** When the batch of that entry was applied (the entry's `now`). */
  readonly entryNow: number;
  /** Version 2: the body's length once inflated (so it inflates in one pass). */
  readonly bodyBytes?: number;
}

/**
 * What a snapshot restores: the engine as it was after its entry, and the event feed's
 * numbering there (the feed itself is a storage projection, src/service/projections.ts).
 */
export interface SnapshotContent {
  readonly engine: NetworkEngine;
  /** Status changes numbered up to and including the entry (EventNumbering.assigned). */
  readonly eventsAssigned: number;
}

export type CapturedState = SnapshotContent;

export interface EncodedSnapshot {
  readonly header: SnapshotHeader;
  readonly bytes: Buffer;
  /** SHA-256 of the bytes before the checksum, hex: what the trailing 32 bytes hold. */
  readonly checksum: string;
  readonly formatVersion: number;
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Replaces class instances reachable through plain objects and other class instances with
 * { $class, fields }. Maps, Sets, arrays and typed arrays are V8's to walk: what they hold
 * must be data (the round-trip test checks every value of a real state keeps its prototype).
 */
function toTagged(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Map || value instanceof Set || Array.isArray(value) ||
    ArrayBuffer.isView(value)) return value;
  const fields: Record<string, unknown> = {};
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) fields[key] = toTagged(record[key]);
  if (isPlainObject(value)) return fields;
  const name = NAMES.get(Object.getPrototypeOf(value) as object);
  if (name === undefined) {
    throw new Error(`snapshot: no hook for class ${value.constructor.name}; register it ` +
      'in src/service/snapshot-codec.ts.');
  }
  return { $class: name, fields };
}

function fromTagged(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Map || value instanceof Set || Array.isArray(value) ||
    ArrayBuffer.isView(value)) return value;
  const record = value as Record<string, unknown>;
  const name = record.$class;
  const restored: Record<string, unknown> = typeof name === 'string'
    ? Object.create(classOf(name).prototype as object) as Record<string, unknown>
    : {};
  const fields = (typeof name === 'string' ? record.fields : record) as Record<string, unknown>;
  for (const key of Object.keys(fields)) restored[key] = fromTagged(fields[key]);
  return restored;
}

function classOf(name: string): abstract new (...args: never[]) => object {
  const type = CLASSES.get(name);
  if (type === undefined) {
    throw new SnapshotError('snapshot_undecodable', `The snapshot holds an unknown class ${name}.`);
  }
  return type;
}

/** A snapshot's header and V8 body, before compression, prefix and checksum. */
export interface CapturedSnapshot {
  readonly header: SnapshotHeader;
  readonly formatVersion: number;
  /** V8's serialisation of the state (uncompressed, whatever the version). */
  readonly body: Buffer;
}

/** Deflate level: 1 is ~8x on a live state at a fraction of the cost of higher levels. */
const DEFLATE = { level: 1 } as const;
const deflateRawAsync = promisify(deflateRaw);

/**
 * The state after `entry` as V8's serialisation: the only part of taking a snapshot that must
 * run on the engine thread, before the next batch is applied (compression, checksum and the
 * write can follow elsewhere). `version` 1 is the old format (tests of reading it).
 */
export function captureSnapshot(
  content: CapturedState,
  entry: Pick<JournalEntry, 'sequence' | 'hash' | 'now'>,
  version: number = SNAPSHOT_FORMAT_VERSION,
): CapturedSnapshot {
  if (version !== 1 && version !== 2) {
    throw new RangeError(`snapshot: no format version ${version} to write.`);
  }
  const body = serialize(toTagged({ engine: content.engine,
    eventsAssigned: content.eventsAssigned }));
  const header: SnapshotHeader = { sequence: entry.sequence, entryHash: entry.hash,
    entryNow: entry.now, ...(version === 1 ? {} : { bodyBytes: body.length }) };
  return { header, formatVersion: version, body };
}

function prefixOf(captured: CapturedSnapshot): Buffer {
  const headerBytes = Buffer.from(JSON.stringify(captured.header), 'utf8');
  const prefix = Buffer.alloc(PREFIX_BYTES + headerBytes.length);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32BE(captured.formatVersion, MAGIC.length);
  prefix.writeUInt32BE(headerBytes.length, MAGIC.length + 4);
  headerBytes.copy(prefix, PREFIX_BYTES);
  return prefix;
}

/** Prefix, header, stored body and checksum around a captured body, on the calling thread. */
export function sealSnapshot(captured: CapturedSnapshot): EncodedSnapshot {
  return sealed(captured, captured.formatVersion === 1 ? captured.body
    : deflateRawSync(captured.body, DEFLATE));
}

/** Prefix and header, the stored body, and the checksum over both. */
function sealed(captured: CapturedSnapshot, stored: Buffer): EncodedSnapshot {
  const whole = Buffer.concat([prefixOf(captured), stored]);
  const digest = createHash('sha256').update(whole).digest();
  return { header: captured.header, formatVersion: captured.formatVersion,
    bytes: Buffer.concat([whole, digest]), checksum: digest.toString('hex') };
}

/**
 * The same bytes as sealSnapshot, with the compression run on libuv's thread pool: what a
 * writer does after the capture, off its engine thread. Each hop back to the calling thread
 * waits for it to be free (a batch being applied), so there is one: the SHA-256 of the deflated
 * bytes (~8 MB, a few ms with SHA extensions) is taken here rather than on the pool.
 */
export async function sealSnapshotOffThread(captured: CapturedSnapshot): Promise<EncodedSnapshot> {
  // One output chunk big enough for the whole (a live state deflates ~8x): zlib's async mode
  // goes back to the calling thread's event loop after every chunk, so with its 16 KB default
  // a busy engine thread would hold the compression up for hundreds of round trips.
  const chunkSize = Math.min(2 ** 28, Math.max(1 << 16, Math.ceil(captured.body.length / 4)));
  return sealed(captured, captured.formatVersion === 1 ? captured.body
    : await deflateRawAsync(captured.body, { ...DEFLATE, chunkSize }));
}

/** The state after `entry`, as snapshot bytes (deterministic: same state, same bytes). */
export function encodeSnapshot(
  content: CapturedState,
  entry: Pick<JournalEntry, 'sequence' | 'hash' | 'now'>,
  version: number = SNAPSHOT_FORMAT_VERSION,
): EncodedSnapshot {
  return sealSnapshot(captureSnapshot(content, entry, version));
}

/** The header of snapshot bytes, after checking their checksum (not the body: see decode). */
export function readSnapshotHeader(bytes: Uint8Array): SnapshotHeader {
  return readChecked(bytes).header;
}

function readChecked(bytes: Uint8Array): { header: SnapshotHeader; version: number } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < PREFIX_BYTES + CHECKSUM_BYTES ||
    !buffer.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new SnapshotError('snapshot_undecodable', 'The bytes are not a Corridor snapshot.');
  }
  const end = buffer.length - CHECKSUM_BYTES;
  const digest = createHash('sha256').update(buffer.subarray(0, end)).digest();
  if (!digest.equals(buffer.subarray(end))) {
    throw new SnapshotError('snapshot_checksum_mismatch',
      'The snapshot\'s SHA-256 checksum does not match its bytes.');
  }
  const version = buffer.readUInt32BE(MAGIC.length);
  if (!READABLE_VERSIONS.includes(version)) {
    throw new SnapshotError('snapshot_version_unknown', `The snapshot has format version ` +
      `${version}; this Corridor reads ${READABLE_VERSIONS.join(' and ')}.`);
  }
  const headerLength = buffer.readUInt32BE(MAGIC.length + 4);
  if (PREFIX_BYTES + headerLength > end) {
    throw new SnapshotError('snapshot_undecodable', 'The snapshot\'s header is cut short.');
  }
  try {
    const header = JSON.parse(buffer.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength)
      .toString('utf8')) as SnapshotHeader;
    if (!Number.isSafeInteger(header.sequence) || typeof header.entryHash !== 'string' ||
      !Number.isSafeInteger(header.entryNow) || (version !== 1 &&
        !(Number.isSafeInteger(header.bodyBytes) && (header.bodyBytes ?? -1) >= 0 &&
          (header.bodyBytes ?? 0) <= kMaxLength))) throw new Error('fields');
    return { header, version };
  } catch {
    throw new SnapshotError('snapshot_undecodable', 'The snapshot\'s header is not readable.');
  }
}

/** A version-2 body inflated in one pass into a buffer of the length its header gives. */
function inflated(body: Buffer, header: SnapshotHeader): Buffer {
  const length = header.bodyBytes ?? 0;
  const output = inflateRawSync(body, { chunkSize: Math.max(64, length),
    maxOutputLength: Math.max(1, length) });
  if (output.length !== length) {
    throw new Error(`it inflates to ${output.length} bytes, not the ${length} its header says`);
  }
  return output;
}

/** Checks and decodes snapshot bytes (format 1 or 2); throws SnapshotError with a stable code. */
export function decodeSnapshot(
  bytes: Uint8Array,
): { header: SnapshotHeader; content: SnapshotContent } {
  const { header, version } = readChecked(bytes);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = PREFIX_BYTES + buffer.readUInt32BE(MAGIC.length + 4);
  const body = buffer.subarray(start, buffer.length - CHECKSUM_BYTES);
  let decoded: unknown;
  try {
    decoded = fromTagged(deserialize(version === 1 ? body : inflated(body, header)));
  } catch (error) {
    if (error instanceof SnapshotError) throw error;
    throw new SnapshotError('snapshot_undecodable', 'The snapshot\'s body cannot be decoded: ' +
      `${error instanceof Error ? error.message : String(error)}.`);
  }
  const content = decoded as Partial<CapturedState> | null;
  if (!(content?.engine instanceof NetworkEngine) ||
    !Number.isSafeInteger(content.eventsAssigned) || (content.eventsAssigned ?? -1) < 0) {
    throw new SnapshotError('snapshot_undecodable', 'The snapshot holds no network engine.');
  }
  return { header,
    content: { engine: content.engine, eventsAssigned: content.eventsAssigned ?? 0 } };
}

/**
 * SHA-256 of the state's structure: compares two states (live, replayed, restored) without
 * keeping both. Not of V8's bytes, which also record how the heap holds a value: whether two
 * places share one object (an event's audience list is shared with the payment's next event
 * live, copied after a restore) and whether a whole number is held as a double. Here every
 * value is walked as a tree, in iteration order, with its kind, so equal states have equal
 * digests however they were built.
 */
export function stateDigest(content: SnapshotContent): string {
  const digest = new StructureDigest();
  digest.value({ engine: content.engine, eventsAssigned: content.eventsAssigned }, 0);
  return digest.finish();
}

/** Nesting deeper than this is a cycle or a state no engine builds: refused. */
const DIGEST_DEPTH_MAX = 64;

class StructureDigest {
  private readonly hash = createHash('sha256');
  private text = '';

  private put(part: string): void {
    this.text += part;
    if (this.text.length > 65_536) this.flush();
  }

  private flush(): void {
    this.hash.update(this.text, 'utf8');
    this.text = '';
  }

  finish(): string {
    this.flush();
    return this.hash.digest('hex');
  }

  value(value: unknown, depth: number): void {
    if (depth > DIGEST_DEPTH_MAX) throw new Error('stateDigest: the state nests too deep.');
    switch (typeof value) {
      case 'undefined': this.put('u'); return;
      case 'boolean': this.put(value ? 't' : 'f'); return;
      case 'number': this.put(`d${Object.is(value, -0) ? '-0' : String(value)};`); return;
      case 'bigint': this.put(`b${value.toString()};`); return;
      case 'string': this.put(`s${value.length}:${value}`); return;
      case 'object': break;
      default: throw new Error(`stateDigest: a ${typeof value} in the state.`);
    }
    if (value === null) {
      this.put('n');
    } else if (Array.isArray(value)) {
      this.put(`a${value.length};`);
      for (const item of value) this.value(item, depth + 1);
    } else if (value instanceof Map) {
      this.put(`M${value.size};`);
      for (const [key, item] of value) {
        this.value(key, depth + 1);
        this.value(item, depth + 1);
      }
    } else if (value instanceof Set) {
      this.put(`S${value.size};`);
      for (const item of value) this.value(item, depth + 1);
    } else if (ArrayBuffer.isView(value)) {
      this.put(`T${value.constructor.name}${value.byteLength};`);
      this.flush();
      this.hash.update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    } else {
      const name = isPlainObject(value) ? 'O'
        : NAMES.get(Object.getPrototypeOf(value) as object) ?? `?${value.constructor.name}`;
      const keys = Object.keys(value);
      this.put(`${name}${keys.length};`);
      for (const key of keys) {
        this.put(`k${key.length}:${key}`);
        this.value((value as Record<string, unknown>)[key], depth + 1);
      }
    }
  }
}
