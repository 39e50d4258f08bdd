// verify for a network's store: walks the hash chain, replays every network command into a
// fresh engine (which re-checks every ledger and supply invariant), then compares the result
// with what storage holds. Never throws for a damaged store: it reports.
import { compareProjections, type VerifyProblem, type VerifyReport } from '../journal/verify.js';
import { JournalCorruptError, type ReplayProgress } from '../journal/replay.js';
import type { Store } from '../storage/store.js';
import { rebuildNetwork } from './service.js';

export interface NetworkVerifyReport extends VerifyReport {
  readonly payments: number;
  readonly participants: number;
}

export async function verifyNetwork(
  store: Store,
  onProgress?: (progress: ReplayProgress) => void,
): Promise<NetworkVerifyReport> {
  const started = performance.now();
  const problems: VerifyProblem[] = [];
  let summary = { entries: 0, accounts: 0, transfers: 0, payments: 0, participants: 0 };
  let tailHash: string | undefined;
  try {
    const rebuilt = await rebuildNetwork(store, onProgress);
    const stats = rebuilt.engine.ledger.stats();
    summary = {
      entries: rebuilt.tail?.sequence ?? 0,
      accounts: stats.accounts,
      transfers: stats.transfers,
      payments: rebuilt.engine.state.payments.size,
      participants: rebuilt.engine.state.participants.size,
    };
    tailHash = rebuilt.tail?.hash;
    await compareProjections(store, rebuilt.engine.ledger, problems);
  } catch (error) {
    const code =
      error instanceof JournalCorruptError
        ? error.problem.code
        : error instanceof Error && error.name === 'InvariantError'
          ? 'invariant_broken'
          : 'replay_failed';
    problems.push({ code, message: error instanceof Error ? error.message : String(error) });
  }
  return {
    ok: problems.length === 0,
    ...summary,
    tailHash,
    problems,
    durationMs: performance.now() - started,
  };
}
