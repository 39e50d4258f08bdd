// The journal's hash chain. Each entry commits to the previous entry's hash, so that anyone
// holding a copy (a central bank, an auditor) can tell whether history was rewritten.
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface JournalEntry {
  /** Batch number, from 1, without gaps. */
  readonly sequence: number;
  /** The batch's time in ms since the epoch: the only clock the engine ever sees. */
  readonly now: number;
  /** The commands that took effect, encoded by the state machine that applied them. */
  readonly payload: string;
  readonly previousHash: string;
  readonly hash: string;
}

export function hashEntry(
  previousHash: string,
  sequence: number,
  now: number,
  payload: string,
): string {
  return createHash('sha256')
    .update(previousHash)
    .update(`\n${sequence}\n${now}\n`)
    .update(payload)
    .digest('hex');
}

export function chainEntry(
  previous: Pick<JournalEntry, 'sequence' | 'hash'> | undefined,
  now: number,
  payload: string,
): JournalEntry {
  const sequence = (previous?.sequence ?? 0) + 1;
  const previousHash = previous?.hash ?? GENESIS_HASH;
  return {
    sequence,
    now,
    payload,
    previousHash,
    hash: hashEntry(previousHash, sequence, now, payload),
  };
}

export type ChainProblem =
  | { readonly code: 'sequence_gap'; readonly sequence: number; readonly expected: number }
  | { readonly code: 'previous_hash_mismatch'; readonly sequence: number }
  | { readonly code: 'hash_mismatch'; readonly sequence: number };

/** Checks one entry against its predecessor; returns the problem, or undefined if it holds. */
export function checkLink(
  previous: Pick<JournalEntry, 'sequence' | 'hash'> | undefined,
  entry: JournalEntry,
): ChainProblem | undefined {
  const expected = (previous?.sequence ?? 0) + 1;
  if (entry.sequence !== expected) {
    return { code: 'sequence_gap', sequence: entry.sequence, expected };
  }
  if (entry.previousHash !== (previous?.hash ?? GENESIS_HASH)) {
    return { code: 'previous_hash_mismatch', sequence: entry.sequence };
  }
  if (hashEntry(entry.previousHash, entry.sequence, entry.now, entry.payload) !== entry.hash) {
    return { code: 'hash_mismatch', sequence: entry.sequence };
  }
  return undefined;
}
