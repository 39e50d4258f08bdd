// The HTTP server: Fastify, JSON over REST under /v1, every request authenticated by API key
// except health, readiness and docs (access.ts, with the rate limits and who reads metrics).
// Bad input always gets a 4xx with a stable code; a 5xx means a bug, and is logged as one.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  LogController,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Network } from '../service/service.js';
import { PipelineError } from '../pipeline/commit-pipeline.js';
import {
  ACCESS_DEFAULTS,
  checkAccessOptions,
  checkMetricsAccess,
  registerAccess,
  type AccessOptions,
} from './access.js';
import { HttpError, routeResponses, textContent } from './errors.js';
import { registerIdempotency } from './idempotency.js';
import { normaliseCurrencyCodes } from './input.js';
import { duplicateKey } from './json-keys.js';
import { registerArrival } from './arrival.js';
import { CorridorMetrics } from './metrics.js';
import { liquidityReport } from '../service/domain.js';
import { adminRoutes } from './routes/admin.js';
import { operationsRoutes } from './routes/operations.js';
import { participantRoutes } from './routes/participants.js';
import { paymentRoutes } from './routes/payments.js';
import { queueRoutes } from './routes/queue.js';
import { simulationRoutes } from './routes/simulations.js';
import { validationError } from './validation.js';
import {
  WebhookDispatcher,
  type WebhookDeliveryOptions,
  type WebhookLog,
} from './webhooks.js';

export interface ServerOptions {
  readonly network: Network;
  /** pino log level, or false for no logs. */
  readonly logLevel?: string | false;
  readonly bodyLimitBytes?: number;
  /** Requests a minute per participant, all its keys together (src/api/access.ts). */
  readonly rateLimitPerMinute?: number;
  /** Requests a minute per IP address of requests without a valid API key. */
  readonly unauthenticatedRateLimitPerMinute?: number;
  /** Serve /metrics to anyone; by default it needs the operator's key or `metricsToken`. */
  readonly publicMetrics?: boolean;
  /** A bearer token (16+ characters) that reads /metrics and nothing else. */
  readonly metricsToken?: string;
  /** Where webhook registrations persist; undefined keeps them in memory. */
  readonly webhooksPath?: string;
  /** Webhook retry schedule and timeout; the defaults are WEBHOOK_LIMITS (tests shorten them). */
  readonly webhookDelivery?: WebhookDeliveryOptions;
  /**
   * Addresses, CIDR ranges and host names webhooks may reach although they are not public,
   * for test set-ups ("127.0.0.1/32", "::1", "receiver.test"). Empty by default: only public
   * addresses. A bad entry makes buildServer throw.
   */
  readonly webhookAllow?: readonly string[];
  /** Extra routes (ISO 20022, the dashboard) registered by their own modules. */
  readonly plugins?: readonly ((app: FastifyInstance, network: Network) => void | Promise<void>)[];
  /**
   * Whether this node is a standby now (src/service/follower.ts): it serves reads, refuses
   * writes with 503 not_writer, and leaves webhook deliveries to the writer.
   */
  readonly standby?: () => boolean;
}

export const SERVER_DEFAULTS = {
  bodyLimitBytes: 1024 * 1024,
  batchBodyLimitBytes: 16 * 1024 * 1024,
  rateLimitPerMinute: ACCESS_DEFAULTS.rateLimitPerMinute,
  unauthenticatedRateLimitPerMinute: ACCESS_DEFAULTS.unauthenticatedRateLimitPerMinute,
  jsonDepthMax: 32,
} as const;

/** Requests a standby serves: reads, and the node-local stream tokens of the dashboard. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const STANDBY_WRITABLE = [/^\/v1\/stream\/tokens$/];

/** On a standby, every request that would change state is refused before it is parsed. */
function refuseWritesOnStandby(standby: () => boolean) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!standby() || READ_METHODS.has(request.method)) return;
    const path = request.url.split('?')[0] ?? '';
    if (STANDBY_WRITABLE.some((pattern) => pattern.test(path))) return;
    throw new HttpError(503, 'not_writer',
      'This node is a standby: it serves reads only. Send writes to the writer, or retry ' +
      'here shortly (a standby takes over within seconds).', undefined, undefined,
      { 'retry-after': '1' });
  };
}

/** What a validation error was about: the body, the query string or the path parameters. */
function validatedInput(request: FastifyRequest, error: FastifyError): unknown {
  if (error.validationContext === 'querystring') return request.query;
  if (error.validationContext === 'params') return request.params;
  return request.body;
}

function errorHandler(
  error: FastifyError | HttpError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (error instanceof HttpError) {
    void reply.code(error.statusCode).headers(error.headers).send(error.body());
    return;
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation !== undefined) {
    void reply.code(400).send(validationError(fastifyError, validatedInput(request, fastifyError))
      .body());
    return;
  }
  if (error instanceof PipelineError) {
    const status = 503;
    // A writer that stopped (pipeline_failed) does not come back by waiting: no Retry-After;
    // its node exits so that a supervisor restarts it (docs/cli.md).
    if (error.code !== 'pipeline_failed') void reply.header('retry-after', '1');
    void reply.code(status).send(new HttpError(status, error.code, error.message).body());
    return;
  }
  const known: Record<string, [number, string]> = {
    FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed_json'],
    FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed_json'],
    FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body_too_large'],
    FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type'],
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_content_length'],
    FST_ERR_BAD_URL: [400, 'bad_url'],
    FST_ERR_ASYNC_CONSTRAINT: [400, 'bad_request'],
  };
  const mapped = fastifyError.code === undefined ? undefined : known[fastifyError.code];
  if (mapped !== undefined || error instanceof SyntaxError) {
    const [status, code] = mapped ?? [400, 'malformed_json'];
    void reply.code(status).send(new HttpError(status, code, error.message).body());
    return;
  }
  if (
    fastifyError.statusCode !== undefined &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    void reply
      .code(fastifyError.statusCode)
      .send(
        new HttpError(
          fastifyError.statusCode,
          fastifyError.code ?? 'bad_request',
          error.message,
        ).body(),
      );
    return;
  }
  request.log.error({ err: error }, 'unhandled error');
  void reply
    .code(500)
    .send(
      new HttpError(500, 'internal_error', 'An internal error occurred; it was logged.').body(),
    );
}

/** What is wrong with a parsed JSON body; walked iteratively, so it cannot overflow the stack. */
export function jsonProblem(
  value: unknown,
  depthMax: number,
): 'too_deep' | 'ill_formed' | undefined {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current === 'string' && LONE_SURROGATE.test(current)) return 'ill_formed';
    if (current === null || typeof current !== 'object') continue;
    if (depth >= depthMax) return 'too_deep';
    for (const [key, child] of Object.entries(current)) {
      if (LONE_SURROGATE.test(key)) return 'ill_formed';
      stack.push([child, depth + 1]);
    }
  }
  return undefined;
}

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * JSON bodies: strict UTF-8, Fastify's own parser (with its prototype-poisoning checks), then
 * a depth bound, well-formed strings (no lone surrogate) and no key twice in one object, so
 * that what was sent reaches screening, the journal and ISO 20022 messages exactly as sent.
 */
function registerJsonParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const depthMax = SERVER_DEFAULTS.jsonDepthMax;
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = typeof body === 'string' ? body : utf8.decode(body);
    } catch {
      return done(new HttpError(400, 'invalid_utf8', 'The body is not valid UTF-8.'), undefined);
    }
    return parse(request, text, (error, value) => {
      if (error !== null) return done(error, undefined);
      const problem = jsonProblem(value, depthMax);
      if (problem === 'too_deep') {
        return done(
          new HttpError(
            400,
            'json_too_deep',
            `The JSON body nests deeper than ${depthMax} levels.`,
          ),
          undefined,
        );
      }
      if (problem === 'ill_formed') {
        return done(
          new HttpError(400, 'invalid_unicode', 'A string holds a lone UTF-16 surrogate.'),
          undefined,
        );
      }
      const duplicate = duplicateKey(text);
      if (duplicate !== undefined) {
        return done(
          new HttpError(400, 'duplicate_key', `The key ${JSON.stringify(duplicate.slice(0, 64))} ` +
            'appears twice in one object of the JSON body; send each field once.', duplicate
            .slice(0, 64)),
          undefined,
        );
      }
      return done(null, value);
    });
  });
}

/**
 * Query strings are text: integer parameters are converted before validation, as their schema
 * says, while bodies stay strict (a JSON "5" is not the number 5).
 */
async function coerceQueryIntegers(request: FastifyRequest): Promise<void> {
  type QuerySchema = { properties?: Record<string, { type?: unknown }> } | undefined;
  const schema = request.routeOptions.schema?.querystring as QuerySchema;
  const query = request.query as Record<string, unknown> | undefined;
  if (schema?.properties === undefined || query === undefined || query === null) return;
  for (const [name, property] of Object.entries(schema.properties)) {
    const value = query[name];
    if (property.type === 'integer' && typeof value === 'string' && /^-?[0-9]{1,15}$/.test(value)) {
      query[name] = Number(value);
    }
  }
}

/** Before validation: numbers in query strings, currency codes in any case. */
async function normaliseInput(request: FastifyRequest): Promise<void> {
  await coerceQueryIntegers(request);
  await normaliseCurrencyCodes(request);
}

async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Corridor API',
        version: '1',
        description:
          'Cross-border payments in local currencies, settled payment-versus-payment. Amounts are decimal strings in major units.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'ck_<id>_<secret>' },
        },
      },
      security: [{ apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

/** Metrics and webhooks follow the network's batches; the answer stops them following. */
function followNetwork(
  network: Network,
  metrics: CorridorMetrics,
  webhooks: WebhookDispatcher,
  standby: () => boolean,
): () => void {
  const unsubscribe = network.subscribe(({ events, payments, batch }) => {
    // Every payment whose status changed is one the batch changed.
    metrics.onEvents(batch.context.changes.events, (id) => payments.get(id));
    // A quote is given by an applied create_quote (a replay is not applied), and used when a
    // payment of this batch marked it.
    const given = batch.applied.filter((command) => command.type === 'create_quote').length;
    const used = [...batch.context.changes.quotes.values()].filter(
      (quote) => quote.usedBy !== undefined,
    ).length;
    metrics.onQuotes(given, used);
    if (!standby()) webhooks.publish(events);
  });
  const unwatch = network.onBatchStats((stats) => metrics.onBatch(stats));
  return () => {
    unsubscribe();
    unwatch();
  };
}

/** The shortest interval between two queue ticks, in ms (a cycle of 0 runs every batch). */
const QUEUE_TICK_MS_MIN = 250;

/**
 * While payments wait in the settlement queue, the writer ticks it every cycle so that the
 * resolution pass and deadlines run without traffic (src/engine/liquidity/queue.ts). A tick that
 * fails (closing, a standby) is dropped: the next one, or the next batch, runs the queue.
 */
function queueTicks(network: Network, standby: () => boolean): () => void {
  const cycleMs = network.engine.state.settings.queue?.cycleMs ?? 0;
  const timer = setInterval(() => {
    if (standby() || network.engine.state.queue.entries.size === 0) return;
    network.runQueue().catch(() => undefined);
  }, Math.max(QUEUE_TICK_MS_MIN, cycleMs));
  timer.unref();
  return () => clearInterval(timer);
}

/** Deliveries to public addresses only, unless the operator allows more; failures logged. */
function webhookDispatcher(options: ServerOptions, log: WebhookLog): WebhookDispatcher {
  return new WebhookDispatcher(options.webhooksPath, Date.now, {
    ...options.webhookDelivery,
    ...(options.webhookAllow === undefined ? {} : { allow: options.webhookAllow }),
    log,
  });
}

/** Prometheus metrics, for the operator's key or the scrape token (access.ts). */
function metricsRoute(
  app: FastifyInstance,
  network: Network,
  metrics: CorridorMetrics,
  access: AccessOptions,
): void {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (the operator key or the metrics token)',
        response: routeResponses({
          200: textContent('text/plain', 'Metrics in the Prometheus text format.'),
        }, ['not_authorized'], 'public'),
      },
    },
    async (request, reply) => {
      checkMetricsAccess(request, access);
      metrics.queueDepth.set(network.queueDepth);
      metrics.refresh();
      if (network.engine.state.settings.queue !== undefined)
        metrics.onLiquidity(liquidityReport(network.engine.state, network.now()).currencies);
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    },
  );
}

export async function buildServer(
  options: ServerOptions,
): Promise<{ app: FastifyInstance; metrics: CorridorMetrics; webhooks: WebhookDispatcher }> {
  const { network } = options;
  checkAccessOptions(options);
  const app = Fastify({
    logger: options.logLevel === false ? false : { level: options.logLevel ?? 'info' },
    bodyLimit: options.bodyLimitBytes ?? SERVER_DEFAULTS.bodyLimitBytes,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    return503OnClosing: true,
    // Per-request lines would drown the log at thousands of requests a second; errors and
    // lifecycle events are still logged.
    logController: new LogController({ disableRequestLogging: true }),
  });
  registerArrival(app, network.clock);
  const metrics = new CorridorMetrics({ clock: network.clock });
  const webhooks = webhookDispatcher(options, app.log);
  const standby = options.standby ?? ((): boolean => false);
  const unfollow = followNetwork(network, metrics, webhooks, standby);
  app.setErrorHandler(errorHandler);
  registerJsonParser(app);
  app.addHook('preValidation', normaliseInput);
  app.setNotFoundHandler((request, reply) => {
    void reply
      .code(404)
      .send(
        new HttpError(
          404,
          'route_not_found',
          `No route ${request.method} ${request.url.split('?')[0]}.`,
        ).body(),
      );
  });
  await registerDocs(app);
  const access: AccessOptions = {
    rateLimitPerMinute: options.rateLimitPerMinute ?? SERVER_DEFAULTS.rateLimitPerMinute,
    unauthenticatedRateLimitPerMinute:
      options.unauthenticatedRateLimitPerMinute ??
      SERVER_DEFAULTS.unauthenticatedRateLimitPerMinute,
    publicMetrics: options.publicMetrics ?? false,
    metricsToken: options.metricsToken,
  };
  await registerAccess(app, network, access);
  app.addHook('onRequest', refuseWritesOnStandby(standby));
  registerIdempotency(app);
  metricsRoute(app, network, metrics, access);
  const startedAt = Date.now();
  let closing = false;
  const stopQueueTicks = queueTicks(network, standby);
  app.addHook('onClose', async () => {
    closing = true;
    stopQueueTicks();
    unfollow();
    webhooks.close();
  });
  participantRoutes(app, network);
  paymentRoutes(app, network);
  queueRoutes(app, network);
  adminRoutes(app, network);
  simulationRoutes(app);
  operationsRoutes(app, network, { startedAt, ready: () => !closing, webhooks, standby });
  for (const plugin of options.plugins ?? []) await plugin(app, network);
  return { app, metrics, webhooks };
}
