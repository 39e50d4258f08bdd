// verify for a network's store: walks the hash chain, replays every network command into a
// fresh engine (which re-checks every ledger and supply invariant), then compares the result
// with what storage holds. Never throws for a damaged store: it reports.
//
// On a read-only view of a live store (SqliteSnapshot), the projections may include fewer
// entries than the journal: the comparison is made when the replay reaches the entry the
// projections end at (`projected`), and the replay then goes on to the journal's tail.
import { compareProjections, type VerifyProblem, type VerifyReport } from '../journal/verify.js';
import type { JournalEntry } from '../journal/hash-chain.js';
import { JournalCorruptError, replayJournal, type ReplayProgress } from '../journal/replay.js';
import type { Store, StoredSnapshotInfo } from '../storage/store.js';
import { decodeNetworkEntry } from '../engine/codec.js';
import { NetworkEngine } from '../engine/engine.js';
import { decodeSnapshot, SnapshotError, stateDigest } from './snapshot-codec.js';

export interface NetworkVerifyReport extends VerifyReport {
  readonly payments: number;
  readonly participants: number;
  /** The journal entry the projections were compared at (the tail, unless they lagged). */
  readonly projectedThrough: number;
  /** Stored snapshots compared with the state replayed to their entry. */
  readonly snapshots: number;
}

export interface NetworkVerifyOptions {
  readonly onProgress?: (progress: ReplayProgress) => void;
  /**
   * The last journal entry the store's projections include, when they may lag the journal
   * (a read-only view of a live store); absent, they are caught up with it first.
   */
  readonly projected?: { readonly sequence: number; readonly hash: string };
}

/** The journal up to `last` only. */
function journalThrough(store: Store, last: number): Pick<Store, 'readJournal'> {
  return {
    readJournal: async (after, limit) =>
      after >= last ? [] : (await store.readJournal(after, Math.min(limit, last - after))),
  };
}

function problemOf(error: unknown): VerifyProblem {
  const code =
    error instanceof JournalCorruptError
      ? error.problem.code
      : error instanceof Error && error.name === 'InvariantError'
        ? 'invariant_broken'
        : 'replay_failed';
  return { code, message: error instanceof Error ? error.message : String(error) };
}

/** The projections must end at an entry of this journal, with the same hash. */
function checkProjectedMark(
  mark: NonNullable<NetworkVerifyOptions['projected']>,
  reached: JournalEntry | undefined,
): VerifyProblem | undefined {
  if ((reached?.sequence ?? 0) === mark.sequence && (mark.sequence === 0 ||
      reached?.hash === mark.hash)) return undefined;
  return { code: 'projections_foreign', message: `The projections end at journal entry ` +
    `${mark.sequence}, which this journal ${(reached?.sequence ?? 0) < mark.sequence
      ? 'does not hold' : 'holds with another hash'}.` };
}

export async function verifyNetwork(
  store: Store,
  optionsOrProgress: NetworkVerifyOptions | ((progress: ReplayProgress) => void) = {},
): Promise<NetworkVerifyReport> {
  // A function alone is the progress callback (the earlier signature, kept for callers).
  const options: NetworkVerifyOptions = typeof optionsOrProgress === 'function'
    ? { onProgress: optionsOrProgress } : optionsOrProgress;
  const started = performance.now();
  const problems: VerifyProblem[] = [];
  const engine = new NetworkEngine();
  let eventsAssigned = 0;
  // Each stored snapshot is compared with the state replayed to its entry: the digest of the
  // replayed state is taken as the replay passes the entry, the stored one read afterwards.
  const snapshots = await storedSnapshots(store, problems);
  const replayed = new Map<number, { hash: string; digest: string }>();
  let nextSnapshot = 0;
  const apply = (entry: JournalEntry): void => {
    const { commands, ids } = decodeNetworkEntry(entry.payload);
    const batch = engine.apply(commands, entry.now, ids);
    eventsAssigned += batch.context.changes.events.length;
    while ((snapshots[nextSnapshot]?.sequence ?? Infinity) <= entry.sequence) {
      if (snapshots[nextSnapshot]?.sequence === entry.sequence) {
        replayed.set(entry.sequence,
          { hash: entry.hash, digest: stateDigest({ engine, eventsAssigned }) });
      }
      nextSnapshot += 1;
    }
  };
  let tail: JournalEntry | undefined;
  let projectedThrough = 0;
  try {
    const { projected } = options;
    const head = await replayJournal(
      projected === undefined ? store : journalThrough(store, projected.sequence),
      apply, options.onProgress);
    tail = head.tail;
    engine.checkAllInvariants();
    const foreign = projected === undefined ? undefined : checkProjectedMark(projected, tail);
    if (foreign === undefined) {
      projectedThrough = tail?.sequence ?? 0;
      await compareProjections(store, engine.ledger, problems);
    } else {
      problems.push(foreign);
    }
    if (projected !== undefined) {
      // The entries the projections do not include yet: chain and invariants only.
      const rest = await replayJournal(store, apply, (progress) => options.onProgress?.(
        { entries: head.entries + progress.entries, tail: progress.tail }), tail);
      tail = rest.tail;
      engine.checkAllInvariants();
    }
  } catch (error) {
    problems.push(problemOf(error));
  }
  await compareSnapshots(store, snapshots, replayed, problems);
  const stats = engine.ledger.stats();
  return {
    ok: problems.length === 0,
    entries: tail?.sequence ?? 0,
    accounts: stats.accounts,
    transfers: stats.transfers,
    payments: engine.state.payments.size,
    participants: engine.state.participants.size,
    projectedThrough,
    snapshots: snapshots.length,
    tailHash: tail?.hash,
    problems,
    durationMs: performance.now() - started,
  };
}

/** The store's snapshots, oldest first; a store that cannot list them is a problem. */
async function storedSnapshots(
  store: Store,
  problems: VerifyProblem[],
): Promise<StoredSnapshotInfo[]> {
  try {
    return (await store.snapshots()).sort((left, right) => left.sequence - right.sequence);
  } catch (error) {
    problems.push({ code: 'snapshot_unreadable', message: 'The snapshots cannot be listed: ' +
      `${error instanceof Error ? error.message : String(error)}.` });
    return [];
  }
}

/**
 * Each snapshot must verify (checksum, format), be bound to the journal's entry at its
 * sequence, and hold exactly the state the replay reached there (snapshot_mismatch).
 */
async function compareSnapshots(
  store: Store,
  snapshots: readonly StoredSnapshotInfo[],
  replayed: ReadonlyMap<number, { hash: string; digest: string }>,
  problems: VerifyProblem[],
): Promise<void> {
  for (const info of snapshots) {
    const at = `The snapshot at journal entry ${info.sequence}`;
    const reached = replayed.get(info.sequence);
    if (reached === undefined || reached.hash !== info.entryHash) {
      problems.push({ code: 'snapshot_entry_mismatch', message: `${at} is bound to an entry ` +
        `this journal ${reached === undefined ? 'does not hold (or the replay did not reach)'
          : 'holds with another hash'}.` });
      continue;
    }
    try {
      const stored = await store.readSnapshot(info.sequence);
      if (stored === undefined) continue;
      const { header, content } = decodeSnapshot(stored.bytes);
      if (header.sequence !== info.sequence || header.entryHash !== info.entryHash) {
        throw new SnapshotError('snapshot_entry_mismatch', 'its header names another entry.');
      }
      if (stateDigest(content) !== reached.digest) {
        problems.push({ code: 'snapshot_mismatch', message: `${at} differs from the state ` +
          'replayed from genesis to that entry.' });
      }
    } catch (error) {
      problems.push({ code: error instanceof SnapshotError ? error.code : 'snapshot_unreadable',
        message: `${at}: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
}
