// Who may call, and how often. Every request is identified by its API key (or not at all), then
// counted against its budget — per participant when identified, however many keys it holds,
// and per IP address otherwise (failed keys included, so guessing keys is slow) — and only then
// refused when it needs a key it lacks. /metrics needs the operator's key or, for a scraper
// that should hold no API key, a separate scrape token, unless the operator makes it public.
import { createHash, timingSafeEqual } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Network } from '../service/service.js';
import { verifyKey } from '../service/api-keys.js';
import { HttpError } from './errors.js';

export interface AccessOptions {
  /** Requests a minute per participant (all its keys together). */
  readonly rateLimitPerMinute: number;
  /** Requests a minute per IP address of requests without a valid key. */
  readonly unauthenticatedRateLimitPerMinute: number;
  /** Serve /metrics to anyone (off by default). */
  readonly publicMetrics: boolean;
  /** A bearer token that reads /metrics and nothing else; undefined: the operator's key only. */
  readonly metricsToken?: string | undefined;
}

export const ACCESS_DEFAULTS = {
  rateLimitPerMinute: 6_000,
  unauthenticatedRateLimitPerMinute: 600,
  rateLimitWindowMs: 60_000,
  /** A scrape token shorter than this is refused at start: it would be guessable. */
  metricsTokenLengthMin: 16,
} as const;

const PUBLIC = [
  /^\/health$/,
  /^\/ready$/,
  /^\/openapi\.json$/,
  /^\/docs(\/.*)?$/,
  /^\/$/,
  /^\/assets\//,
  /^\/favicon/,
];
/**
 * Routes that authenticate themselves when no key is presented: the dashboard's event stream
 * (EventSource cannot send headers, so it takes a short-lived token; src/dashboard/stream.ts).
 * A key that is presented is still checked here.
 */
const SELF_AUTHENTICATING = [/^\/v1\/stream$/];
const METRICS_PATH = '/metrics';

/** Requests that presented the scrape token on /metrics. */
const scrapers = new WeakSet<FastifyRequest>();

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? '';
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ') === true) return header.slice(7).trim();
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey.trim() : undefined;
}

/** Equal texts, compared in constant time (digests first, so lengths leak nothing either). */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Sets request.caller from a valid key; never refuses (the budget is counted first). */
function identify(network: Network, options: AccessOptions) {
  return async (request: FastifyRequest): Promise<void> => {
    const presented = bearer(request);
    if (presented === undefined) return;
    if (
      options.metricsToken !== undefined &&
      pathOf(request) === METRICS_PATH &&
      sameSecret(presented, options.metricsToken)
    ) {
      scrapers.add(request);
      return;
    }
    const record = verifyKey(presented, (keyId) => network.engine.state.apiKeys.get(keyId));
    const participant =
      record === undefined ? undefined : network.participant(record.participantId);
    if (record !== undefined && participant !== undefined)
      request.caller = { participant, keyId: record.keyId };
  };
}

/** Refuses a request that needs a key and has no valid one. */
function requireCaller(options: AccessOptions) {
  return async (request: FastifyRequest): Promise<void> => {
    if (request.caller !== undefined || scrapers.has(request)) return;
    const path = pathOf(request);
    if (PUBLIC.some((pattern) => pattern.test(path))) return;
    if (path === METRICS_PATH && options.publicMetrics) return;
    if (bearer(request) === undefined && SELF_AUTHENTICATING.some((pattern) => pattern.test(path)))
      return;
    throw new HttpError(
      401,
      'unauthenticated',
      path === METRICS_PATH
        ? 'Metrics need the operator\'s API key or the metrics scrape token: ' +
            '"Authorization: Bearer …".'
        : 'A valid API key is required: "Authorization: Bearer ck_…".',
    );
  };
}

/** Who /metrics answers to: anyone when public, the scrape token, or the operator's key. */
export function checkMetricsAccess(request: FastifyRequest, options: AccessOptions): void {
  if (options.publicMetrics || scrapers.has(request)) return;
  if (request.caller?.participant.kind !== 'operator')
    throw new HttpError(403, 'not_authorized', 'Only the operator reads metrics.');
}

/** Refuses settings that would leave the server open: checked before anything starts. */
export function checkAccessOptions(options: Pick<AccessOptions, 'metricsToken'>): void {
  if (
    options.metricsToken !== undefined &&
    options.metricsToken.length < ACCESS_DEFAULTS.metricsTokenLengthMin
  ) {
    throw new Error(
      `The metrics token must have at least ${ACCESS_DEFAULTS.metricsTokenLengthMin} characters.`,
    );
  }
}

/** The access hooks, in order: identify, count against the budget, then require a key. */
export async function registerAccess(
  app: FastifyInstance,
  network: Network,
  options: AccessOptions,
): Promise<void> {
  checkAccessOptions(options);
  app.addHook('onRequest', identify(network, options));
  await app.register(rateLimit, {
    // Not per route: one application-wide hook (below), so that unknown routes and refused
    // keys are counted too.
    global: false,
    max: (request) =>
      request.caller === undefined
        ? options.unauthenticatedRateLimitPerMinute
        : options.rateLimitPerMinute,
    timeWindow: ACCESS_DEFAULTS.rateLimitWindowMs,
    keyGenerator: (request) =>
      request.caller === undefined
        ? `ip:${request.ip}`
        : `participant:${request.caller.participant.id}`,
    // Thrown by the plugin, so it must be an error with its status (a plain body became a 500).
    errorResponseBuilder: (request, context) =>
      new HttpError(
        context.statusCode,
        'rate_limited',
        `Too many requests: at most ${context.max} a minute ` +
          `${request.caller === undefined ? 'from one address without an API key' : 'per participant'}` +
          '; retry after the time in Retry-After.',
      ),
  });
  app.addHook('onRequest', app.rateLimit());
  app.addHook('onRequest', requireCaller(options));
}
