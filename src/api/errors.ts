// Errors at the HTTP edge: one JSON shape, a stable code, a message and the field at fault.
// Every network result code maps to an HTTP status through a table that is exhaustive over the
// code list, so a new code cannot ship without its mapping.
import type { NetworkCode, NetworkResult } from '../network/commands.js';

export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly field?: string;
    readonly isoReason?: string;
  };
}

export const NETWORK_CODE_STATUS: { readonly [code in NetworkCode]: number } = {
  ok: 200,
  invalid_field: 400,
  not_configured: 503,
  already_configured: 409,
  not_authorized: 403,
  actor_suspended: 403,
  participant_not_found: 404,
  participant_exists: 409,
  creditor_agent_is_sender: 422,
  creditor_agent_is_central_bank: 422,
  currency_unknown: 400,
  currency_not_in_network: 422,
  account_not_found: 422,
  exists_with_different_fields: 409,
  rate_invalid: 400,
  no_offer: 422,
  too_many_open_quotes: 429,
  quote_required: 400,
  quote_not_found: 404,
  quote_expired: 410,
  quote_already_used: 409,
  quote_mismatch: 422,
  duplicate_end_to_end_id: 409,
  duplicate_uetr: 409,
  payment_not_found: 404,
  payment_not_pending: 409,
  payment_under_review: 409,
  payment_not_under_review: 409,
  payment_not_returnable: 409,
  return_amount_exceeds_remaining: 422,
  insufficient_funds: 422,
  credit_limit_below_usage: 409,
  ledger_refused: 422,
  not_found: 404,
};

/** An error thrown at the HTTP edge (the only place exceptions carry business meaning). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly isoReason?: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }

  body(): ErrorBody {
    return { error: { code: this.code, message: this.message,
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.isoReason === undefined ? {} : { isoReason: this.isoReason }) } };
  }
}

export function fromResult(result: NetworkResult): HttpError {
  return new HttpError(NETWORK_CODE_STATUS[result.code], result.code, result.message ?? result.code,
    result.field, result.isoReason);
}

export function notFound(what: string, field?: string): HttpError {
  return new HttpError(404, 'not_found', `${what} was not found.`, field);
}

export function forbidden(message: string): HttpError {
  return new HttpError(403, 'not_authorized', message);
}
