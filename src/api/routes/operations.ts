// The event feed, webhooks, network status, health and readiness.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Network } from '../../service/service.js';
import { callerOf, issuedBy, viewerOfCaller } from '../context.js';
import { Responses } from '../contract.js';
import { HttpError, notFound, routeResponses } from '../errors.js';
import { integerCursor } from '../input.js';
import { IdParams, PageQuery, WebhookBody } from '../schemas.js';
import { eventView } from '../views.js';
import type { Registration, WebhookDispatcher } from '../webhooks.js';

/** Each way a registration is refused, as its HTTP status and the field at fault. */
const REFUSED_REGISTRATION: {
  readonly [code in Extract<Registration, { ok: false }>['code']]: [number, string | undefined];
} = {
  webhook_url_not_allowed: [400, 'url'],
  webhook_limit: [409, undefined],
};

export interface OperationsOptions {
  readonly startedAt: number;
  readonly ready: () => boolean;
  readonly webhooks: WebhookDispatcher;
  readonly standby: () => boolean;
}

function eventFeedRoutes(
  app: FastifyInstance,
  network: Network,
  _options: OperationsOptions,
): void {
  app.get<{ Querystring: Static<typeof PageQuery> }>(
    '/v1/events',
    {
      schema: {
        tags: ['events'],
        summary: "Your payments' status changes after a cursor, oldest first",
        querystring: PageQuery,
        response: routeResponses({ 200: Responses.events }, ['invalid_cursor', 'cursor_expired']),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      // The feed is kept in storage whole: no cursor expires.
      const page = await network.reads.events(
        integerCursor(request.query.cursor),
        request.query.limit ?? 100,
        viewerOfCaller(network, caller),
      );
      return {
        events: page.events.map(({ sequence, event }) => eventView(sequence, event)),
        cursor: String(page.cursor),
      };
    },
  );
}

function webhookRoutes(app: FastifyInstance, _network: Network, options: OperationsOptions): void {
  app.get(
    '/v1/webhooks',
    {
      schema: {
        tags: ['events'],
        summary: 'Your webhook endpoints',
        response: routeResponses({ 200: Responses.webhooks }, []),
      },
    },
    async (request) => ({
      webhooks: options.webhooks
        .endpoints(callerOf(request).participant.id)
        .map(({ secret: _secret, ...rest }) => rest),
    }),
  );

  app.post<{ Body: Static<typeof WebhookBody> }>(
    '/v1/webhooks',
    {
      schema: {
        tags: ['events'],
        summary: 'Register a webhook endpoint; its signing secret is shown once',
        body: WebhookBody,
        response: routeResponses({ 201: Responses.webhook }, [
          'webhook_url_not_allowed', 'webhook_limit',
        ], 'write'),
      },
    },
    async (request, reply) => {
      const registration = options.webhooks.register(
        callerOf(request).participant.id,
        request.body.url,
      );
      if (!registration.ok) {
        const [status, field] = REFUSED_REGISTRATION[registration.code];
        throw new HttpError(status, registration.code, registration.message, field);
      }
      return reply.code(201).send(registration.endpoint);
    },
  );

  webhookRemovalRoutes(app, options);
}

function webhookRemovalRoutes(app: FastifyInstance, options: OperationsOptions): void {
  app.delete<{ Params: Static<typeof IdParams> }>(
    '/v1/webhooks/:id',
    {
      schema: {
        tags: ['events'],
        summary: 'Remove a webhook endpoint',
        params: IdParams,
        response: routeResponses({ 204: Type.Null({ description: 'Removed.' }) }, ['not_found'],
          'write'),
      },
    },
    async (request, reply) => {
      if (!options.webhooks.remove(callerOf(request).participant.id, request.params.id))
        throw notFound('The webhook', 'id');
      return reply.code(204).send();
    },
  );

  app.get(
    '/v1/webhooks/dead-letters',
    {
      schema: {
        tags: ['events'],
        summary: 'Deliveries that failed every retry',
        response: routeResponses({ 200: Responses.deadLetters }, []),
      },
    },
    async (request) => ({
      deadLetters: options.webhooks.deadLetters(callerOf(request).participant.id),
    }),
  );
}

function feedRoutes(app: FastifyInstance, network: Network, options: OperationsOptions): void {
  eventFeedRoutes(app, network, options);
  webhookRoutes(app, network, options);
}

/** Why this node takes no writes for good: its writer stopped (see Network.failure). */
function writerStopped(network: Network): { code: 'writer_stopped'; message: string } | null {
  const failure = network.failure;
  if (failure === undefined) return null;
  return { code: 'writer_stopped', message: `The writer stopped: ${failure.message} ` +
    'Writes are refused until the node is restarted (after the fault is cleared).' };
}

export function operationsRoutes(
  app: FastifyInstance,
  network: Network,
  options: OperationsOptions,
): void {
  feedRoutes(app, network, options);
  healthRoutes(app, network, options);
  statusRoute(app, network, options);
}

function healthRoutes(app: FastifyInstance, network: Network, options: OperationsOptions): void {
  app.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness (no authentication)',
        security: [],
        response: routeResponses({ 200: Responses.health }, [], 'public'),
      },
    },
    async () => {
      // Still live (reads are served), but it says why it takes no writes; /ready fails.
      const reason = writerStopped(network);
      return reason === null ? { status: 'ok' } : { status: 'writer_stopped', reason };
    },
  );
  app.get(
    '/ready',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness (no authentication)',
        security: [],
        response: routeResponses({
          200: Responses.ready,
          503: Type.Object(Responses.ready.properties, { description: 'Not ready.' }),
        }, [], 'public'),
      },
    },
    async (_request, reply) => {
      const reason = writerStopped(network);
      if (reason !== null) return reply.code(503).send({ status: 'not_ready', reason });
      return options.ready() ? { status: 'ready' } : reply.code(503).send({ status: 'not_ready' });
    },
  );

}

function statusRoute(app: FastifyInstance, network: Network, options: OperationsOptions): void {
  app.get(
    '/v1/status',
    {
      schema: {
        tags: ['operations'],
        summary: 'Network status',
        response: routeResponses({ 200: Responses.status }, []),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const state = network.engine.state;
      const stats = state.ledger.stats();
      return {
        network: {
          participants: state.participants.size - 1,
          currencies: state.currencies.size,
          payments: await network.reads.paymentCount(),
          accounts: stats.accounts,
          transfers: stats.transfers,
          pending: stats.pending,
        },
        journal: {
          sequence: network.journalTail?.sequence ?? 0,
          hash: network.journalTail?.hash ?? null,
        },
        queueDepth: network.queueDepth,
        eventSequence: network.lastEventSequence,
        uptimeSeconds: Math.round((Date.now() - options.startedAt) / 1000),
        store: network.store.kind,
        role: network.failure !== undefined ? 'stopped'
          : options.standby() ? 'standby' : 'writer',
        failure: writerStopped(network),
        recovery: network.recovery === undefined ? null : {
          snapshotSequence: network.recovery.snapshot?.sequence ?? null,
          replayedEntries: network.recovery.replayedEntries,
          replayedCommands: network.recovery.replayedCommands ?? null,
          ms: Math.round(network.recovery.ms),
          rejected: network.recovery.rejected.map(({ sequence, code, reason }) =>
            ({ sequence, code, reason })),
        },
        you: {
          id: caller.participant.id,
          kind: caller.participant.kind,
          status: caller.participant.status,
          issues: issuedBy(network, caller.participant.id),
        },
      };
    },
  );
}
