// Taking snapshots on a writer, and recovering from them. The writer captures the state on the
// engine thread right after a batch is applied (the state is then exactly the state after its
// journal entry), and hands the bytes to storage once that entry is durable, without waiting:
// a write that fails is reported and tried again later, it never stops the writer. Recovery
// loads the newest snapshot that verifies (checksum, and the journal holds its entry with the
// same hash), else an older one, else genesis, and says which and why (docs/storage.md).
import type { JournalEntry } from '../journal/hash-chain.js';
import { replayJournal } from '../journal/replay.js';
import type { Store, StoredSnapshot } from '../storage/store.js';
import type { EventNumbering } from './service.js';
import { decodeNetworkEntry } from '../engine/codec.js';
import { NetworkEngine } from '../engine/engine.js';
import {
  captureSnapshot, decodeSnapshot, sealSnapshotOffThread, SnapshotError, type CapturedSnapshot,
  type SnapshotProblemCode,
} from './snapshot-codec.js';

export const SNAPSHOT_DEFAULTS = {
  /** A snapshot at least every this many journal entries (batches). */
  everyEntries: 10_000,
  /** … or every this many minutes, if at least one entry was journaled since the last. */
  everyMinutes: 10,
  /**
   * … or once this many commands were journaled since the last: entries hold 1 to 8,190
   * commands, and a restart's tail replay costs by the command (~60 µs each), so this bounds
   * it (~60 s) under any load, where entries or minutes alone let it grow with the load. Lower
   * bounds the restart more tightly, at a price: each capture stalls the engine thread (~1 s),
   * and at 50,000 a node at full load lost a quarter of its throughput (docs/storage.md).
   */
  everyCommands: 1_000_000,
  /** Snapshots kept; older ones are deleted after each write. */
  keep: 3,
  /** After a failed write, the next attempt waits at least this long (doubling, up to an hour). */
  retryMs: 60_000,
} as const;

/** What one SQLite or PostgreSQL value holds at most (1 GB, with room for the row). */
export const SNAPSHOT_BYTES_MAX = 1_000_000_000 - 1_000_000;
const RETRY_MS_MAX = 3_600_000;

export interface SnapshotPolicy {
  /** 0 turns snapshots off. */
  readonly everyEntries?: number;
  /** 0: no time trigger. */
  readonly everyMinutes?: number;
  /** 0: no command-count trigger. */
  readonly everyCommands?: number;
  readonly keep?: number;
  readonly retryMs?: number;
  /** Where failures and writes are told (the node logs them). */
  readonly onEvent?: (event: SnapshotEvent) => void;
}

export type SnapshotEvent =
  | { readonly type: 'written'; readonly sequence: number; readonly bytes: number;
    /** On the engine thread: V8's serialisation of the state (the stall a snapshot causes). */
    readonly encodeMs: number;
    /** Off it: compression and checksum on the thread pool (wall ms). */
    readonly sealMs: number;
    /** The store's write (wall ms). */
    readonly writeMs: number }
  | { readonly type: 'failed'; readonly sequence: number; readonly error: Error };

/** Captures and writes a writer's snapshots (one write in flight at most). */
export class Snapshotter {
  private readonly everyEntries: number;
  private readonly everyMs: number;
  private readonly everyCommands: number;
  private readonly keep: number;
  private readonly retryMs: number;
  /** The entry of the newest capture (or write): the interval counts from it. */
  private lastSequence: number;
  /** The entry of the newest snapshot stored. */
  private written: number;
  /** When the newest capture was taken, and when the newest snapshot stored was. */
  private lastAt: number;
  private writtenAt: number;
  /**
   * Commands journaled, counted from this writer's start less those replayed after the snapshot
   * it recovered from; and that count at the newest capture and at the newest snapshot stored.
   */
  private commands: number;
  private lastCommands = 0;
  private writtenCommands = 0;
  private notBefore = 0;
  private failures = 0;
  /**
   * Captures not yet stored or failed: one being written and one waiting behind it at most, so
   * that a slow write (compression and storage wait for a busy engine thread) does not stretch
   * the interval between snapshots.
   */
  private pending = 0;
  /** The last write (for tests and shutdown). */
  lastWrite: Promise<void> = Promise.resolve();
  /**
   * Per capture: how long it held the engine thread (reported when it is written), and the
   * command count at it (writtenCommands once it is stored).
   */
  private readonly captures = new WeakMap<CapturedSnapshot,
    { readonly encodeMs: number; readonly commands: number }>();

  constructor(
    private readonly store: Store,
    private readonly engine: NetworkEngine,
    private readonly numbering: EventNumbering,
    private readonly policy: SnapshotPolicy,
    private readonly clock: () => number,
    /** Where the interval starts: the entry, and the commands journaled since it (0 default). */
    after: { sequence: number; now: number; commands?: number },
  ) {
    this.everyEntries = policy.everyEntries ?? SNAPSHOT_DEFAULTS.everyEntries;
    this.everyMs = (policy.everyMinutes ?? SNAPSHOT_DEFAULTS.everyMinutes) * 60_000;
    this.everyCommands = policy.everyCommands ?? SNAPSHOT_DEFAULTS.everyCommands;
    this.commands = after.commands ?? 0;
    this.keep = policy.keep ?? SNAPSHOT_DEFAULTS.keep;
    this.retryMs = policy.retryMs ?? SNAPSHOT_DEFAULTS.retryMs;
    this.lastSequence = after.sequence;
    this.written = after.sequence;
    this.lastAt = clock();
    this.writtenAt = this.lastAt;
  }

  private due(entry: JournalEntry, now: number): boolean {
    if (this.everyEntries <= 0 || this.pending >= 2 || now < this.notBefore) return false;
    const entries = entry.sequence - this.lastSequence;
    if (entries <= 0) return false;
    return entries >= this.everyEntries || (this.everyMs > 0 && now - this.lastAt >= this.everyMs)
      || (this.everyCommands > 0 && this.commands - this.lastCommands >= this.everyCommands);
  }

  /**
   * Called on the engine thread right after `entry` was applied (before the next batch), with
   * the number of commands it journaled: encodes the state if a snapshot is due (the event
   * numbering already counts the entry's).
   */
  capture(entry: JournalEntry, commands: number): CapturedSnapshot | undefined {
    this.commands += commands;
    const now = this.clock();
    if (!this.due(entry, now)) return undefined;
    this.pending += 1;
    this.lastSequence = entry.sequence;
    this.lastAt = now;
    this.lastCommands = this.commands;
    const started = performance.now();
    try {
      const captured = captureSnapshot({ engine: this.engine,
        eventsAssigned: this.numbering.assigned }, entry);
      this.captures.set(captured, { encodeMs: performance.now() - started,
        commands: this.commands });
      return captured;
    } catch (error) {
      this.failed(entry.sequence, error);
      return undefined;
    }
  }

  /**
   * Hands a captured snapshot to storage once its entry is durable; never throws. Compression
   * and checksum run on the thread pool, not the engine thread.
   */
  write(captured: CapturedSnapshot): void {
    const { encodeMs, commands: commandsAt } = this.captures.get(captured) ??
      { encodeMs: 0, commands: this.lastCommands };
    const store = async () => {
      const sealing = performance.now();
      const encoded = await sealSnapshotOffThread(captured);
      if (encoded.bytes.length > SNAPSHOT_BYTES_MAX) {
        throw new Error(`The snapshot is ${encoded.bytes.length} bytes; a store holds at most ` +
          `${SNAPSHOT_BYTES_MAX} in one value.`);
      }
      const sealMs = performance.now() - sealing;
      const started = performance.now();
      const snapshot: StoredSnapshot = {
        sequence: encoded.header.sequence, entryHash: encoded.header.entryHash,
        createdAt: this.clock(), formatVersion: encoded.formatVersion, checksum: encoded.checksum,
        size: encoded.bytes.length, bytes: encoded.bytes,
      };
      await this.store.writeSnapshot(snapshot, this.keep);
      return { snapshot, sealMs, writeMs: performance.now() - started };
    };
    // One write at a time, in capture order (a failed one settles too: `failed` never throws).
    this.lastWrite = this.lastWrite.then(store).then(({ snapshot, sealMs, writeMs }) => {
      this.pending -= 1;
      this.failures = 0;
      this.written = Math.max(this.written, snapshot.sequence);
      this.writtenAt = this.clock();
      this.lastSequence = Math.max(this.lastSequence, snapshot.sequence);
      this.writtenCommands = Math.max(this.writtenCommands, commandsAt);
      this.lastCommands = Math.max(this.lastCommands, commandsAt);
      this.policy.onEvent?.({ type: 'written', sequence: snapshot.sequence, bytes: snapshot.size,
        encodeMs, sealMs, writeMs });
    }, (error: unknown) => this.failed(captured.header.sequence, error));
  }

  /** The entry of a captured snapshot never became durable: nothing to write. */
  abandon(): void {
    this.pending -= 1;
    this.lastSequence = this.written;
    this.lastAt = this.writtenAt;
    this.lastCommands = this.writtenCommands;
  }

  /** Tried again after retryMs, doubling with each failure in a row: a stall per try is bounded. */
  private failed(sequence: number, error: unknown): void {
    this.pending -= 1;
    this.lastSequence = this.written;
    this.lastAt = this.writtenAt;
    this.lastCommands = this.writtenCommands;
    this.failures += 1;
    this.notBefore = this.clock() +
      Math.min(RETRY_MS_MAX, this.retryMs * 2 ** Math.min(this.failures - 1, 16));
    this.policy.onEvent?.({ type: 'failed', sequence,
      error: error instanceof Error ? error : new Error(String(error)) });
  }
}

export interface RejectedSnapshot {
  readonly sequence: number;
  readonly code: SnapshotProblemCode | 'snapshot_unreadable';
  readonly reason: string;
}

/** How a node rebuilt its state: from which snapshot, how much journal, what it passed over. */
export interface RecoveryReport {
  /** The snapshot used, or undefined for a replay from genesis. */
  readonly snapshot: { readonly sequence: number; readonly createdAt: number } | undefined;
  /** Journal entries replayed after it. */
  readonly replayedEntries: number;
  /** The commands those entries held (what the replay cost is counted in); set by a writer. */
  readonly replayedCommands?: number;
  readonly rejected: readonly RejectedSnapshot[];
  readonly ms: number;
  /** Where the time went, in ms (what a restart's length is made of); set by a writer. */
  readonly phases?: RecoveryPhases;
}

/** The parts of a recovery, in ms; `storeOpenMs` is set by openNetwork (0 otherwise). */
export interface RecoveryPhases {
  /** Opening the store (migrations, the projector's catch-up started). */
  storeOpenMs: number;
  /** Listing the snapshots and reading the chosen one's bytes (and its journal entry). */
  snapshotReadMs: number;
  /** Checksum and decode of the snapshot. */
  snapshotDecodeMs: number;
  /** The invariants of the decoded snapshot's state (before it is trusted). */
  snapshotCheckMs: number;
  /** Replaying the journal after the snapshot (or from genesis). */
  replayMs: number;
  /** The invariants of the state after the replay (skipped when nothing was replayed). */
  checkMs: number;
}

export function noPhases(): RecoveryPhases {
  return { storeOpenMs: 0, snapshotReadMs: 0, snapshotDecodeMs: 0, snapshotCheckMs: 0,
    replayMs: 0, checkMs: 0 };
}

export interface Recovered {
  readonly engine: NetworkEngine;
  /** The event feed's numbering as of the tail. */
  readonly numbering: EventNumbering;
  readonly tail: JournalEntry | undefined;
  readonly report: RecoveryReport;
}

function describe(error: unknown): { code: RejectedSnapshot['code']; reason: string } {
  if (error instanceof SnapshotError) return { code: error.code, reason: error.message };
  return { code: 'snapshot_unreadable',
    reason: `It could not be read: ${error instanceof Error ? error.message : String(error)}.` };
}

/** The newest snapshot that verifies against the journal, with its entry; else undefined. */
export async function loadSnapshot(
  store: Pick<Store, 'snapshots' | 'readSnapshot' | 'readJournal'>,
  rejected: RejectedSnapshot[],
  phases: RecoveryPhases = noPhases(),
): Promise<{ content: ReturnType<typeof decodeSnapshot>['content']; entry: JournalEntry;
  createdAt: number } | undefined> {
  let list;
  let mark = performance.now();
  const lap = (): number => {
    const now = performance.now();
    const ms = now - mark;
    mark = now;
    return ms;
  };
  try {
    list = await store.snapshots();
  } catch (error) {
    rejected.push({ sequence: 0, ...describe(error) });
    return undefined;
  }
  for (const info of list) {
    try {
      const [entry] = await store.readJournal(info.sequence - 1, 1);
      if (entry?.sequence !== info.sequence || entry.hash !== info.entryHash) {
        throw new SnapshotError('snapshot_entry_mismatch', `The journal does not hold entry ` +
          `${info.sequence} with the hash the snapshot is bound to.`);
      }
      const stored = await store.readSnapshot(info.sequence);
      if (stored === undefined) throw new Error('it was deleted while being read');
      phases.snapshotReadMs += lap();
      const { header, content } = decodeSnapshot(stored.bytes);
      phases.snapshotDecodeMs += lap();
      if (header.sequence !== entry.sequence || header.entryHash !== entry.hash) {
        throw new SnapshotError('snapshot_entry_mismatch', 'The snapshot\'s own header names ' +
          `entry ${header.sequence}, not the journal's entry ${entry.sequence}.`);
      }
      content.engine.checkAllInvariants();
      phases.snapshotCheckMs += lap();
      return { content, entry, createdAt: info.createdAt };
    } catch (error) {
      lap();
      rejected.push({ sequence: info.sequence, ...describe(error) });
    }
  }
  return undefined;
}

/**
 * Rebuilds the network: the newest snapshot that verifies, then the journal after it (from
 * genesis when none does). `useSnapshots: false` replays from genesis.
 */
export async function recoverNetwork(
  store: Store,
  options: { useSnapshots?: boolean; onProgress?: Parameters<typeof replayJournal>[2] } = {},
): Promise<Recovered> {
  const started = performance.now();
  const rejected: RejectedSnapshot[] = [];
  const phases = noPhases();
  const loaded = options.useSnapshots === false ? undefined
    : await loadSnapshot(store, rejected, phases);
  const replayStarted = performance.now();
  const engine = loaded?.content.engine ?? new NetworkEngine();
  const numbering: EventNumbering = { assigned: loaded?.content.eventsAssigned ?? 0 };
  let replayedCommands = 0;
  const { tail, entries } = await replayJournal(
    store,
    (entry) => {
      const { commands, ids } = decodeNetworkEntry(entry.payload);
      replayedCommands += commands.length;
      const batch = engine.apply(commands, entry.now, ids);
      numbering.assigned += batch.context.changes.events.length;
    },
    options.onProgress,
    loaded?.entry,
  );
  const checkStarted = performance.now();
  phases.replayMs = checkStarted - replayStarted;
  // A snapshot's state was checked as it was loaded: with no entry replayed after it, the
  // state is that one.
  if (loaded === undefined || entries > 0) engine.checkAllInvariants();
  phases.checkMs = performance.now() - checkStarted;
  return { engine, numbering, tail, report: {
    snapshot: loaded === undefined ? undefined
      : { sequence: loaded.entry.sequence, createdAt: loaded.createdAt },
    replayedEntries: entries, replayedCommands, rejected, ms: performance.now() - started, phases,
  } };
}

/** One line for the log: which snapshot, how many entries, what was passed over and why. */
export function describeRecovery(report: RecoveryReport): string {
  const from = report.snapshot === undefined ? 'from genesis'
    : `from the snapshot at entry ${report.snapshot.sequence}`;
  const passed = report.rejected.map((item) =>
    ` Passed over the snapshot at entry ${item.sequence} (${item.code}): ${item.reason}`).join('');
  const commands = report.replayedCommands === undefined ? ''
    : ` (${report.replayedCommands} commands)`;
  return `Recovered ${from}, replaying ${report.replayedEntries} journal entries${commands} in ` +
    `${Math.round(report.ms)} ms.${passed}`;
}
