// Rebuilds memory from storage: reads the journal in pages, checks every link of the hash
// chain, and hands each entry to the state machine that wrote it.
import type { Store } from '../storage/store.js';
import { checkLink, type ChainProblem, type JournalEntry } from './hash-chain.js';

/** Journal entries read per page during recovery: bounds memory while replaying. */
export const REPLAY_PAGE_ENTRIES = 256;

export class JournalCorruptError extends Error {
  override readonly name = 'JournalCorruptError';
  constructor(readonly problem: ChainProblem) {
    super(`The journal is corrupt at entry ${problem.sequence}: ${problem.code}.`);
  }
}

export interface ReplayProgress {
  readonly entries: number;
  readonly tail: JournalEntry | undefined;
}

/**
 * Replays every journal entry in order (or those after `from`, an entry already applied);
 * throws JournalCorruptError on a broken link.
 */
export async function replayJournal(
  store: Pick<Store, 'readJournal'>,
  apply: (entry: JournalEntry) => void,
  onProgress?: (progress: ReplayProgress) => void,
  from?: JournalEntry,
): Promise<ReplayProgress> {
  let tail = from;
  let entries = 0;
  for (;;) {
    const page = await store.readJournal(tail?.sequence ?? 0, REPLAY_PAGE_ENTRIES);
    for (const entry of page) {
      const problem = checkLink(tail, entry);
      if (problem !== undefined) throw new JournalCorruptError(problem);
      apply(entry);
      tail = entry;
      entries += 1;
    }
    onProgress?.({ entries, tail });
    if (page.length < REPLAY_PAGE_ENTRIES) return { entries, tail };
  }
}
