// A network batch may apply the ledger several times (once per command that moves money);
// storage wants one outcome per batch, so the pieces are concatenated in order.
import type { BatchOutcome } from '../ledger/engine.js';

export function mergeOutcomes(outcomes: readonly BatchOutcome[], now: number): BatchOutcome {
  if (outcomes.length === 1 && outcomes[0] !== undefined) return outcomes[0];
  const merged: BatchOutcome = {
    now, results: [], applied: [], accountsCreated: [], creditLimits: [], transfers: [],
    resolved: [], expired: [],
  };
  for (const outcome of outcomes) {
    merged.results.push(...outcome.results);
    merged.applied.push(...outcome.applied);
    merged.accountsCreated.push(...outcome.accountsCreated);
    merged.creditLimits.push(...outcome.creditLimits);
    merged.transfers.push(...outcome.transfers);
    merged.resolved.push(...outcome.resolved);
    merged.expired.push(...outcome.expired);
  }
  return merged;
}
