// The ISO 20022 status reason of each network refusal, for a refusal that names none itself
// (NetworkResult.isoReason wins). Exhaustive over the network's codes, so that a new code
// cannot ship without its ISO reason.
import type { NetworkCode, NetworkResult } from '../../service/domain.js';
import type { FinancialInstitution, TransactionReferences } from '../model.js';
import type { TransactionStatus } from '../pacs002.js';
import { paymentStatus, rejectionStatus } from './outbound.js';
import type { Rejection } from './transfers.js';

export const REASON_OF_NETWORK_CODE: { readonly [code in NetworkCode]: string } = {
  ok: 'NARR',
  invalid_field: 'FF01',
  not_configured: 'NARR',
  already_configured: 'NARR',
  not_authorized: 'AG01',
  actor_suspended: 'AC06',
  participant_not_found: 'RC01',
  participant_exists: 'NARR',
  creditor_agent_is_sender: 'AG01',
  creditor_agent_is_central_bank: 'AG01',
  currency_unknown: 'AM03',
  currency_not_in_network: 'AM03',
  account_not_found: 'AC01',
  exists_with_different_fields: 'DUPL',
  rate_invalid: 'NARR',
  no_offer: 'NARR',
  too_many_open_quotes: 'NARR',
  quote_required: 'AB03',
  quote_not_found: 'AB03',
  quote_expired: 'AB03',
  quote_already_used: 'DUPL',
  quote_mismatch: 'AM09',
  duplicate_end_to_end_id: 'DUPL',
  duplicate_uetr: 'DUPL',
  payment_not_found: 'NARR',
  payment_not_pending: 'NARR',
  payment_under_review: 'NARR',
  payment_not_under_review: 'NARR',
  payment_not_returnable: 'NARR',
  return_amount_exceeds_remaining: 'AM09',
  insufficient_funds: 'AM04',
  queue_full: 'AM04',
  payment_not_queued: 'NARR',
  credit_limit_below_usage: 'NARR',
  facility_limit_exceeded: 'NARR',
  swap_line_limit_exceeded: 'NARR',
  ledger_refused: 'NARR',
  not_found: 'NARR',
};

/** A refusal (nothing recorded) as an ISO rejection. */
export function rejectionOf(result: NetworkResult): Rejection {
  const field = result.field === undefined ? '' : ` (${result.field})`;
  return {
    reason: result.isoReason ?? REASON_OF_NETWORK_CODE[result.code],
    message: `${result.message ?? result.code}${field}`,
  };
}

/** The status a network result gives a transaction: recorded, replayed (DUPL) or refused. */
export function resultStatus(
  result: NetworkResult,
  references: TransactionReferences,
  agentOf?: (participantId: string) => FinancialInstitution,
): TransactionStatus {
  if (result.replayed === true) {
    const message = `This transaction was already received (${result.payment?.id ?? ''}).`;
    return rejectionStatus(references, { reason: 'DUPL', message });
  }
  if (result.code === 'ok' && result.payment !== undefined)
    return paymentStatus(result.payment, {
      references,
      ...(agentOf === undefined ? {} : { agentOf }),
    });
  return rejectionStatus(references, rejectionOf(result));
}
