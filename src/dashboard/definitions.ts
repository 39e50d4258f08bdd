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
