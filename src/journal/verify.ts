// verify: re-checks from storage alone that history was not rewritten and that the ledger
// is sound. It walks the hash chain, replays every entry into a fresh engine, asserts every
// invariant, and compares the replayed state with the stored projections, once the store's
// projector has caught up with the journal (the projections may lag it after a crash).
import { decodeCommands } from '../ledger/codec.js';
import { LedgerEngine } from '../ledger/engine.js';
import type { Store } from '../storage/store.js';
import { JournalCorruptError, replayJournal } from './replay.js';

export interface VerifyProblem {
  readonly code: string;
  readonly message: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly entries: number;
  readonly accounts: number;
  readonly transfers: number;
  readonly tailHash: string | undefined;
  readonly problems: VerifyProblem[];
  readonly durationMs: number;
}

/** Problems reported at most: a badly damaged store should not produce an unbounded report. */
const PROBLEMS_MAX = 100;

/** Compares the projections with a replayed engine, once they include the whole journal. */
export async function compareProjections(
  store: Store,
  engine: LedgerEngine,
  problems: VerifyProblem[],
): Promise<void> {
  try {
    await store.caughtUp();
  } catch (error) {
    problems.push({ code: 'projections_unavailable', message: 'The projections cannot catch up ' +
      `with the journal: ${error instanceof Error ? error.message : String(error)}` });
    return;
  }
  const stored = await store.accounts();
  if (stored.length !== engine.stats().accounts) {
    problems.push({ code: 'account_count_mismatch',
      message: `Storage holds ${stored.length} accounts; the journal creates ${engine.stats().accounts}.` });
  }
  const sums = new Map((await store.postedSums()).map((sum) => [sum.accountId, sum]));
  for (const account of stored) {
    if (problems.length >= PROBLEMS_MAX) return;
    const live = engine.account(account.id);
    if (live === undefined) {
      problems.push({ code: 'account_not_in_journal', message: `Account ${account.id} is not in the journal.` });
      continue;
    }
    const sum = sums.get(account.id);
    if ((sum?.debits ?? 0n) !== live.debitsPosted || (sum?.credits ?? 0n) !== live.creditsPosted) {
      problems.push({ code: 'balance_mismatch',
        message: `The stored transfers of ${account.id} do not add up to its journal balance.` });
    }
    if (account.creditLimit !== live.creditLimit) {
      problems.push({ code: 'credit_limit_mismatch',
        message: `The stored credit limit of ${account.id} differs from the journal's.` });
    }
  }
  const transferCount = await store.transferCount();
  if (transferCount !== engine.stats().transfers) {
    problems.push({ code: 'transfer_count_mismatch',
      message: `Storage holds ${transferCount} transfers; the journal commits ${engine.stats().transfers}.` });
  }
}

/** Verifies the store; never throws for a damaged store, it reports. */
export async function verifyLedger(
  store: Store,
  replay: (engine: LedgerEngine, payload: string, now: number) => void = defaultReplay,
): Promise<VerifyReport> {
  const started = performance.now();
  const engine = new LedgerEngine();
  const problems: VerifyProblem[] = [];
  let entries = 0;
  let tailHash: string | undefined;
  try {
    const progress = await replayJournal(store,
      (entry) => replay(engine, entry.payload, entry.now));
    entries = progress.entries;
    tailHash = progress.tail?.hash;
    engine.checkAllInvariants();
    await compareProjections(store, engine, problems);
  } catch (error) {
    const code = error instanceof JournalCorruptError ? error.problem.code : 'replay_failed';
    problems.push({ code, message: error instanceof Error ? error.message : String(error) });
  }
  return {
    ok: problems.length === 0, entries, accounts: engine.stats().accounts,
    transfers: engine.stats().transfers, tailHash, problems,
    durationMs: performance.now() - started,
  };
}

function defaultReplay(engine: LedgerEngine, payload: string, now: number): void {
  engine.apply(decodeCommands(payload), now);
}
