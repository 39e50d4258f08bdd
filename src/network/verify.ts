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
import type { Store } from '../storage/store.js';
import { decodeNetworkCommands } from './codec.js';
import { NetworkEngine } from './engine.js';

export interface NetworkVerifyReport extends VerifyReport {
  readonly payments: number;
  readonly participants: number;
  /** The journal entry the projections were compared at (the tail, unless they lagged). */
  readonly projectedThrough: number;
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
  const apply = (entry: JournalEntry): void => {
    engine.apply(decodeNetworkCommands(entry.payload), entry.now);
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
  const stats = engine.ledger.stats();
  return {
    ok: problems.length === 0,
    entries: tail?.sequence ?? 0,
    accounts: stats.accounts,
    transfers: stats.transfers,
    payments: engine.state.payments.size,
    participants: engine.state.participants.size,
    projectedThrough,
    tailHash: tail?.hash,
    problems,
    durationMs: performance.now() - started,
  };
}
