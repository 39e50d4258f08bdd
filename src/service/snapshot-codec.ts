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
// The trailing SHA-256 covers everything before it; the header carries the journal entry
// (sequence and hash) the state is the result of.
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import type { JournalEntry } from '../journal/hash-chain.js';
import { ExpiryQueue } from '../ledger/expiry-queue.js';
import { LedgerEngine } from '../ledger/engine.js';
import { TransferIndex } from '../ledger/transfer-index.js';
import { NetworkEngine } from '../engine/engine.js';

/** Raise on any change of what the body holds that an older reader would misread. */
export const SNAPSHOT_FORMAT_VERSION = 1;
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

/** The state after `entry`, as snapshot bytes (deterministic: same state, same bytes). */
export function encodeSnapshot(
  content: CapturedState,
  entry: Pick<JournalEntry, 'sequence' | 'hash' | 'now'>,
): EncodedSnapshot {
  const header: SnapshotHeader = { sequence: entry.sequence, entryHash: entry.hash,
    entryNow: entry.now };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const body = serialize(toTagged({ engine: content.engine,
    eventsAssigned: content.eventsAssigned }));
  const prefix = Buffer.alloc(PREFIX_BYTES);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32BE(SNAPSHOT_FORMAT_VERSION, MAGIC.length);
  prefix.writeUInt32BE(headerBytes.length, MAGIC.length + 4);
  const digest = createHash('sha256').update(prefix).update(headerBytes).update(body).digest();
  const bytes = Buffer.concat([prefix, headerBytes, body, digest]);
  return { header, bytes, checksum: digest.toString('hex'), formatVersion: SNAPSHOT_FORMAT_VERSION };
}

/** The header of snapshot bytes, after checking their checksum (not the body: see decode). */
export function readSnapshotHeader(bytes: Uint8Array): SnapshotHeader {
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
  if (version !== SNAPSHOT_FORMAT_VERSION) {
    throw new SnapshotError('snapshot_version_unknown',
      `The snapshot has format version ${version}; this Corridor reads ${SNAPSHOT_FORMAT_VERSION}.`);
  }
  const headerLength = buffer.readUInt32BE(MAGIC.length + 4);
  if (PREFIX_BYTES + headerLength > end) {
    throw new SnapshotError('snapshot_undecodable', 'The snapshot\'s header is cut short.');
  }
  try {
    const header = JSON.parse(buffer.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength)
      .toString('utf8')) as SnapshotHeader;
    if (!Number.isSafeInteger(header.sequence) || typeof header.entryHash !== 'string' ||
      !Number.isSafeInteger(header.entryNow)) throw new Error('fields');
    return header;
  } catch {
    throw new SnapshotError('snapshot_undecodable', 'The snapshot\'s header is not readable.');
  }
}

/** Checks and decodes snapshot bytes; throws SnapshotError with a stable code. */
export function decodeSnapshot(
  bytes: Uint8Array,
): { header: SnapshotHeader; content: SnapshotContent } {
  const header = readSnapshotHeader(bytes);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const start = PREFIX_BYTES + buffer.readUInt32BE(MAGIC.length + 4);
  let decoded: unknown;
  try {
    decoded = fromTagged(deserialize(buffer.subarray(start, buffer.length - CHECKSUM_BYTES)));
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
