// What each service figure means, in one place: the dashboard's service view shows these
// beside its figures and /metrics uses them as HELP text, so the two cannot say different
// things. Plain strings, no imports: the web app bundles this file too.
export const SERVICE_DEFINITIONS = {
  timeToCredit:
    "Time to credit: from the request's arrival (REST request received, ISO 20022 message " +
    'received, or library call) to the creditor agent credited (ACCC).',
  withinHour:
    'Credited within 1 hour: payments credited within one hour of arrival, over every ' +
    'payment that has finished or has been open for an hour; payments credited later, ' +
    'rejected, or still held, queued or pending after an hour count against it.',
  cost:
    'Cost: the FX spread against the mid rate plus fees, in basis points of the value sent: ' +
    '(value at mid of what was debited - value at mid of what was credited) / value at mid ' +
    'of what was debited x 10,000, value-weighted over the payments credited.',
  fees:
    'Fees: every fee over the value at mid of what was debited, in basis points (part of the ' +
    'cost; the rest is the FX spread).',
} as const;

// What each liquidity figure means (the dashboard's Liquidity view shows these beside its
// figures; docs/liquidity.md and docs/dashboard.md say the same). Figures are of the network's
// UTC day, from the engine's own counts (src/engine/liquidity/figures.ts), per currency (the sum
// over
// its participants) or per participant.
export const LIQUIDITY_DEFINITIONS = {
  queued:
    'Queued: payments that passed every check but cannot be funded yet, waiting in the ' +
    'settlement queue now (by the currency their sender pays in).',
  queuedValue: 'Queued value: what the queued payments would debit from their senders.',
  queueTime:
    "Queue time: from a payment's submission to its settlement, over the day's settled " +
    'payments (0 for those that settled at once); p50 and p99 are the upper edges of the ' +
    'histogram buckets that hold the median and the 99th percentile.',
  withinHour:
    "Settled within 1 hour: the share of the day's settled payments that settled within an " +
    'hour of submission.',
  offset:
    'Settled through offsetting: value (sent amounts) of the payments that settled in a ' +
    'bilateral offset or a multilateral (gridlock) set, each still as its own gross transfers.',
  gridlocks:
    'Gridlocks resolved: resolution passes that settled queued payments through offsetting, ' +
    'counted by this server since it started today.',
  peak:
    'Peak liquidity used: the most by which settled payments took balances below where they ' +
    'started the day (central-bank funding during the day excluded; summed over participants).',
  used: 'Liquidity used now: start-of-day balance − current balance, where positive.',
  upper:
    'Upper bound: the liquidity needed to settle every payment of the day gross, at once, on ' +
    'submission, with no queue (BoF-PSS upper bound).',
  lower:
    "Lower bound: the day's multilateral net debit position, what settling only the net at " +
    'the end of the day would need (BoF-PSS lower bound).',
  saved:
    'Saved against gross settlement: upper bound − peak liquidity used, the liquidity the ' +
    'queue and offsetting spared.',
} as const;

/** A definition without its leading "Term: ", for showing under the term's own label. */
export function meaning(definition: string): string {
  const colon = definition.indexOf(': ');
  const text = colon < 0 ? definition : definition.slice(colon + 2);
  return text.charAt(0).toUpperCase() + text.slice(1);
}
