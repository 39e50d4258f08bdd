// Errors at the HTTP edge: one JSON shape, a stable code, a message and the field at fault.
// Every network result code maps to an HTTP status through a table that is exhaustive over the
// code list, so a new code cannot ship without its mapping.
import { Type, type TSchema } from '@sinclair/typebox';
import type { NetworkCode, NetworkResult } from '../service/domain.js';
import { ErrorDetail } from './contract.js';

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
  queue_full: 503,
  payment_not_queued: 409,
  credit_limit_below_usage: 409,
  facility_limit_exceeded: 409,
  swap_line_limit_exceeded: 409,
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

/** A response in a media type other than JSON (XML, text, an event stream). */
export interface OtherContent {
  readonly description: string;
  readonly content: Readonly<Record<string, { readonly schema: object }>>;
}

/** A text response of `mediaType`, for routeResponses. */
export function textContent(mediaType: string, description: string): OtherContent {
  return { description, content: { [mediaType]: { schema: { type: 'string' } } } };
}

/** Codes the HTTP edge itself answers with, beside the network's, and their statuses. */
export const EDGE_CODE_STATUS = {
  invalid_request: 400,
  malformed_json: 400,
  json_too_deep: 400,
  invalid_unicode: 400,
  invalid_utf8: 400,
  duplicate_key: 400,
  invalid_content_length: 400,
  bad_request: 400,
  invalid_cursor: 400,
  invalid_idempotency_key: 400,
  amount_empty: 400,
  amount_whitespace: 400,
  amount_sign_not_allowed: 400,
  amount_exponent_notation: 400,
  amount_malformed: 400,
  amount_too_many_decimals: 400,
  amount_too_large: 400,
  amount_must_be_positive: 400,
  key_in_url: 400,
  webhook_url_not_allowed: 400,
  unauthenticated: 401,
  route_not_found: 404,
  idempotency_request_in_progress: 409,
  webhook_limit: 409,
  cursor_expired: 410,
  body_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
  quote_conflict: 422,
  history_too_long: 422,
  simulation_too_large: 422,
  rate_limited: 429,
  too_many_stream_tokens: 429,
  internal_error: 500,
  not_writer: 503,
  queue_full: 503,
  pipeline_closed: 503,
  pipeline_failed: 503,
  group_too_large: 503,
  validator_unavailable: 503,
  too_many_streams: 503,
  simulation_busy: 503,
} as const;

export type ErrorCode = keyof typeof EDGE_CODE_STATUS | NetworkCode;

/** A code a route answers with, at its usual status or, as a pair, at another. */
export type RouteError = Exclude<ErrorCode, 'ok'> | readonly [Exclude<ErrorCode, 'ok'>, number];

/** What can refuse any request: authentication, the rate limit, a bug. */
const ANY_REQUEST: readonly RouteError[] = ['unauthenticated', 'rate_limited', 'internal_error'];
/** What can refuse a request that carries input (path, query or a JSON body). */
const WITH_INPUT: readonly RouteError[] = ['invalid_request'];
/** What can refuse a write: its body, its Idempotency-Key, the commit pipeline, a standby. */
const WRITE: readonly RouteError[] = [
  'malformed_json', 'json_too_deep', 'invalid_unicode', 'invalid_utf8', 'duplicate_key',
  'invalid_content_length', 'body_too_large', 'unsupported_media_type',
  'invalid_idempotency_key', 'idempotency_key_reused', 'idempotency_request_in_progress',
  'not_configured', 'not_writer', 'queue_full', 'pipeline_closed', 'pipeline_failed', 'group_too_large',
];

export const ROUTE_ERRORS = { ANY_REQUEST, WITH_INPUT, WRITE } as const;

function statusOf(error: RouteError): [string, number] {
  if (typeof error !== 'string') return [error[0], error[1]];
  const code = error as Exclude<ErrorCode, 'ok'>;
  const status = code in EDGE_CODE_STATUS
    ? EDGE_CODE_STATUS[code as keyof typeof EDGE_CODE_STATUS]
    : NETWORK_CODE_STATUS[code as NetworkCode];
  return [code, status];
}

/** The error envelope of one status, its possible codes listed as an enum. */
function envelope(status: number, codes: readonly string[]): TSchema {
  return Type.Object(
    {
      error: Type.Object({
        ...ErrorDetail.properties,
        code: Type.Unsafe<string>({ type: 'string', enum: [...codes].sort() }),
      }),
    },
    { description: `Refused (${status}): error.code is one of ${[...codes].sort().join(', ')}.` },
  );
}

/**
 * A route's `response` schema: its success bodies by status, and an error envelope for each
 * status its codes fall under. `kind` adds what refuses every request of that kind.
 */
export function routeResponses(
  success: Readonly<Record<number, TSchema | OtherContent>>,
  errors: readonly RouteError[],
  kind: 'public' | 'read' | 'write' = 'read',
): Record<number, TSchema | OtherContent> {
  const all = [
    ...ANY_REQUEST,
    ...(kind === 'public' ? [] : WITH_INPUT),
    ...(kind === 'write' ? WRITE : []),
    ...errors,
  ];
  const byStatus = new Map<number, Set<string>>();
  for (const error of all) {
    const [code, status] = statusOf(error);
    byStatus.set(status, (byStatus.get(status) ?? new Set()).add(code));
  }
  const responses: Record<number, TSchema | OtherContent> = {};
  for (const [status, schema] of Object.entries(success)) {
    responses[Number(status)] = schema.description === undefined
      ? { ...schema, description: 'Done.' } : schema;
  }
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const declared = responses[status];
    const error = envelope(status, [...codes]);
    // A status that also answers in another media type (XML) lists the JSON envelope beside it.
    responses[status] = declared !== undefined && 'content' in declared
      ? { ...declared, content: { ...declared.content, 'application/json': { schema: error } } }
      : error;
  }
  return responses;
}
