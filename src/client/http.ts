// The client's transport: JSON over fetch, an Idempotency-Key per logical write reused on every
// retry, and retries on 429 and 503 (and on a connection that failed) that honour Retry-After.
import type { ErrorDetailBody } from '../api/contract.js';
import type { ErrorCode } from '../api/errors.js';

export interface RetryOptions {
  /** Attempts in all, the first included (default 4; 1 turns retries off). */
  readonly attemptsMax?: number;
  /** The first wait when the server gives no Retry-After; doubled each time (default 250). */
  readonly delayMs?: number;
  /** No wait is longer, whatever Retry-After says (default 30 000). */
  readonly delayMsMax?: number;
}

export interface ClientOptions {
  /** The server, such as "https://corridor.example.com" (no trailing /v1). */
  readonly baseUrl: string;
  /** "ck_<id>_<secret>", sent as a bearer token. */
  readonly apiKey: string;
  readonly retry?: RetryOptions;
  /** Another fetch (a proxy agent, a test recorder); the global fetch by default. */
  readonly fetch?: typeof fetch;
  /** How to wait between attempts; tests record the waits instead. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Makes an Idempotency-Key; a random UUID by default. */
  readonly idempotencyKey?: () => string;
}

/** A refusal from the API: its HTTP status and the stable code of the error envelope. */
export class CorridorApiError extends Error {
  override readonly name = 'CorridorApiError';
  readonly code: ErrorCode | (string & {});
  readonly field: string | undefined;
  readonly isoReason: string | undefined;

  constructor(
    readonly status: number,
    detail: ErrorDetailBody,
    /** Retry-After in seconds, when the server gave one. */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail.message);
    this.code = detail.code;
    this.field = detail.field;
    this.isoReason = detail.isoReason;
  }
}

export interface RequestOptions {
  /** Your own key for this logical request: the same key returns the first answer again. */
  readonly idempotencyKey?: string;
}

const RETRIED = new Set([429, 503]);
const DEFAULTS = { attemptsMax: 4, delayMs: 250, delayMsMax: 30_000 } as const;

/** Retry-After as milliseconds: delta seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  if (/^[0-9]{1,9}$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

async function errorOf(response: Response): Promise<CorridorApiError> {
  const text = await response.text();
  let detail: ErrorDetailBody = {
    code: 'http_error',
    message: `The server answered ${response.status} without an error envelope.`,
  };
  try {
    const parsed = JSON.parse(text) as { error?: ErrorDetailBody };
    if (typeof parsed.error?.code === 'string') detail = parsed.error;
  } catch {
    // Not JSON (a proxy's page): the generic detail above says so.
  }
  const after = retryAfterMs(response.headers.get('retry-after'), Date.now());
  return new CorridorApiError(response.status, detail,
    after === undefined ? undefined : after / 1000);
}

export class Transport {
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly newKey: () => string;
  private readonly retry: Required<RetryOptions>;
  private readonly baseUrl: string;

  constructor(private readonly options: ClientOptions) {
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.newKey = options.idempotencyKey ?? (() => globalThis.crypto.randomUUID());
    this.retry = { ...DEFAULTS, ...options.retry };
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /**
   * One logical request: a POST gets one Idempotency-Key, sent again on every retry, so a
   * payment the server took before its answer was lost is not made twice.
   */
  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<T> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.apiKey}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(method === 'POST' ? { 'idempotency-key': options.idempotencyKey ?? this.newKey() } : {}),
    };
    const init = { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= this.retry.attemptsMax;
      let response: Response;
      try {
        response = await this.fetch(`${this.baseUrl}${path}`, init);
      } catch (error) {
        if (last) throw error;
        await this.sleep(this.backoff(attempt, undefined));
        continue;
      }
      if (response.ok) {
        const text = await response.text();
        return (text.length === 0 ? undefined : JSON.parse(text)) as T;
      }
      const error = await errorOf(response);
      if (last || !RETRIED.has(response.status)) throw error;
      const after = error.retryAfterSeconds === undefined ? undefined
        : error.retryAfterSeconds * 1000;
      await this.sleep(this.backoff(attempt, after));
    }
  }

  private backoff(attempt: number, retryAfter: number | undefined): number {
    const wait = retryAfter ?? this.retry.delayMs * 2 ** (attempt - 1);
    return Math.min(wait, this.retry.delayMsMax);
  }
}

/** A query string of the defined values. */
export function query(values: Readonly<Record<string, string | number | undefined>>): string {
  const defined = Object.entries(values).filter(
    (entry): entry is [string, string | number] => entry[1] !== undefined,
  );
  if (defined.length === 0) return '';
  const pairs = defined.map(([key, value]): [string, string] => [key, String(value)]);
  return `?${new URLSearchParams(pairs).toString()}`;
}
