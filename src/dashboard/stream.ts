// The dashboard's live feed: GET /v1/stream, Server-Sent Events. It pushes the caller's
// payment status changes as each batch becomes durable (network.subscribe), and once a second
// a stats frame (src/dashboard/stats.ts). A reconnecting client passes the last event sequence
// it saw (?after= or Last-Event-ID) and gets what it missed from the event log.
//
// Authentication: the Authorization header as everywhere, or, because EventSource cannot send
// headers, a short-lived single-use token from POST /v1/stream/tokens in the query string. The
// API key itself is refused in a URL: URLs end up in proxy logs and browser history, a key
// lives until revoked, a token for 30 seconds and one connection. See docs/dashboard.md.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from '../api/context.js';
import { canSeePayment, type Viewer as DomainViewer } from '../service/domain.js';
import type { Payment } from '../service/domain.js';
import { Responses } from '../api/contract.js';
import { HttpError, routeResponses, textContent } from '../api/errors.js';
import { money } from '../api/views.js';
import type { CommittedBatch, Network } from '../service/service.js';
import type { PaymentEventRecord } from '../service/domain.js';
import type { HelloMessage, PaymentChange, StreamTokenResponse } from './protocol.js';
import { QueueStats } from './queue-stats.js';
import { STATS_LIMITS, viewerOf, type StatsCollector, type Viewer } from './stats.js';

export const STREAM_LIMITS = {
  tokenTtlMs: 30_000,
  tokensOutstandingMax: 10_000,
  /** Unused tokens one participant may hold (all its keys together). */
  tokensPerParticipantMax: 20,
  connectionsMax: 1_000,
  /** Open streams of one participant: a few dashboards each, not the server's whole budget. */
  connectionsPerParticipantMax: 20,
  /** Events replayed to a reconnecting client; beyond, it is told to reload (resync). */
  replayMax: 2_000,
  /** A client this far behind (unsent bytes) is disconnected; it reconnects with its cursor. */
  bufferedBytesMax: 4 * 1024 * 1024,
} as const;

const StreamQuery = Type.Object(
  {
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    after: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
    /** Accepted by the schema only to be refused with a clear message. */
    key: Type.Optional(Type.String({ maxLength: 256 })),
  },
  { additionalProperties: false },
);

interface Grant {
  readonly keyId: string;
  readonly participantId: string;
  readonly expiresAt: number;
}

/** Single-use stream tokens, in memory (a token outlives nothing: a restart voids them). */
export class StreamTokens {
  private readonly grants = new Map<string, Grant>();

  constructor(private readonly clock: () => number = Date.now) {}

  issue(caller: Caller): StreamTokenResponse {
    this.prune();
    if (this.grants.size >= STREAM_LIMITS.tokensOutstandingMax) {
      throw new HttpError(
        429,
        'rate_limited',
        'Too many stream tokens outstanding; retry shortly.',
      );
    }
    if (this.outstandingOf(caller.participant.id) >= STREAM_LIMITS.tokensPerParticipantMax) {
      throw new HttpError(
        429,
        'too_many_stream_tokens',
        `A participant holds at most ${STREAM_LIMITS.tokensPerParticipantMax} unused stream ` +
          'tokens; use them or let them expire (30 s).',
        undefined,
        undefined,
        { 'retry-after': String(STREAM_LIMITS.tokenTtlMs / 1000) },
      );
    }
    const token = `st_${randomBytes(24).toString('base64url')}`;
    const expiresAt = this.clock() + STREAM_LIMITS.tokenTtlMs;
    this.grants.set(token, {
      keyId: caller.keyId,
      participantId: caller.participant.id,
      expiresAt,
    });
    return { token, expiresAt: new Date(expiresAt).toISOString() };
  }

  /** The grant a token carries, once: a second use, or a late one, gets nothing. */
  redeem(token: string): Grant | undefined {
    const grant = this.grants.get(token);
    this.grants.delete(token);
    return grant === undefined || grant.expiresAt < this.clock() ? undefined : grant;
  }

  private outstandingOf(participantId: string): number {
    let count = 0;
    for (const grant of this.grants.values()) if (grant.participantId === participantId) count++;
    return count;
  }

  private prune(): void {
    const now = this.clock();
    for (const [token, grant] of this.grants) if (grant.expiresAt < now) this.grants.delete(token);
  }
}

function keyValid(network: Network, keyId: string): boolean {
  const key = network.engine.state.apiKeys.get(keyId);
  return key !== undefined && key.revokedAt === undefined;
}

function streamCaller(
  network: Network,
  tokens: StreamTokens,
  request: FastifyRequest,
  query: Static<typeof StreamQuery>,
): Caller {
  if (query.key !== undefined) {
    throw new HttpError(
      400,
      'key_in_url',
      'Do not put an API key in a URL: send it in the ' +
        'Authorization header, or exchange it for a short-lived token at POST /v1/stream/tokens.',
      'key',
    );
  }
  if (request.caller !== undefined) return request.caller;
  const grant = query.token === undefined ? undefined : tokens.redeem(query.token);
  const participant = grant === undefined ? undefined : network.participant(grant.participantId);
  if (grant === undefined || participant === undefined || !keyValid(network, grant.keyId)) {
    throw new HttpError(
      401,
      'unauthenticated',
      'A valid API key ("Authorization: Bearer ck_…") or ' +
        'an unused stream token from POST /v1/stream/tokens (valid 30 s) is required.',
      'token',
    );
  }
  return { participant, keyId: grant.keyId };
}

interface Connection {
  readonly caller: Caller;
  readonly viewer: Viewer;
  readonly raw: ServerResponse;
  lastLiquidity: string;
  lastQueue: string;
  /** While the missed changes are read: live messages, sent after them. */
  held?: { event: string; data: unknown; id: number | undefined }[] | undefined;
}

function send(connection: Connection, event: string, data: unknown, id?: number): void {
  const head = id === undefined ? '' : `id: ${id}\n`;
  connection.raw.write(`${head}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function changeOf(
  payment: Payment | undefined,
  sequence: number,
  event: PaymentEventRecord,
): PaymentChange | undefined {
  if (payment === undefined) return undefined;
  return {
    sequence,
    paymentId: event.paymentId,
    status: event.status,
    ...(event.reason === undefined ? {} : { reason: event.reason }),
    at: new Date(event.at).toISOString(),
    kind: payment.kind,
    debtorAgent: payment.debtorAgent,
    creditorAgent: payment.creditorAgent,
    sendAmount: money(payment.sendAmount, payment.sourceCurrency),
    creditAmount: money(payment.creditAmount, payment.targetCurrency),
  };
}

/** The live connections, fed by the network (payments) and the collector's tick (stats). */
export class StreamHub {
  private readonly connections = new Set<Connection>();
  private readonly unsubscribe: () => void;
  private readonly untick: () => void;

  constructor(
    private readonly network: Network,
    private readonly collector: StatsCollector,
    /** The settlement queue's and the day's liquidity figures (the Liquidity view). */
    private readonly queue: QueueStats = new QueueStats(network),
  ) {
    this.unsubscribe = network.subscribe((committed) => this.onCommitted(committed));
    this.queue.sample();
    this.untick = collector.onTick(() => this.onTick());
  }

  get size(): number {
    return this.connections.size;
  }

  open(caller: Caller, raw: ServerResponse, after: number | undefined): void {
    if (this.connections.size >= STREAM_LIMITS.connectionsMax) {
      throw new HttpError(
        503,
        'too_many_streams',
        'The server has too many open streams; retry later.',
      );
    }
    const participantId = caller.participant.id;
    let mine = 0;
    for (const open of this.connections) if (open.caller.participant.id === participantId) mine++;
    if (mine >= STREAM_LIMITS.connectionsPerParticipantMax) {
      throw new HttpError(
        429,
        'too_many_streams',
        `A participant may hold at most ${STREAM_LIMITS.connectionsPerParticipantMax} open ` +
          'streams; close one first.',
      );
    }
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    const connection: Connection = {
      caller,
      viewer: viewerOf(this.network, caller),
      raw,
      lastLiquidity: '',
      lastQueue: '',
    };
    raw.write('retry: 2000\n\n');
    const hello: HelloMessage = {
      participantId: caller.participant.id,
      kind: caller.participant.kind,
      sequence: this.network.lastEventSequence,
      history: this.collector.history(connection.viewer),
      liquidity: this.collector.liquidityHistory(connection.viewer),
      queue: this.queue.history(connection.viewer),
    };
    send(connection, 'hello', hello);
    raw.on('close', () => this.connections.delete(connection));
    if (after === undefined) {
      this.frame(connection);
      this.connections.add(connection);
      return;
    }
    // Live batches wait while the missed ones are read from storage; then the replay, the
    // first stats frame and what was held go out in that order.
    connection.held = [];
    this.connections.add(connection);
    void this.replay(connection, after, hello.sequence).finally(() => {
      const held = connection.held ?? [];
      connection.held = undefined;
      if (raw.destroyed || raw.writableEnded) return;
      this.frame(connection);
      for (const item of held) this.write(connection, item.event, item.data, item.id);
    });
  }

  /** What the connection missed after `after`, up to `through` (the hello's sequence). */
  private async replay(connection: Connection, after: number, through: number): Promise<void> {
    try {
      const viewer = connection.viewer.domain;
      const page = await this.network.reads.events(after, STREAM_LIMITS.replayMax, viewer);
      if (page.cursor < through) {
        send(connection, 'resync', { reason: 'too_far_behind' });
        return;
      }
      const events = page.events.filter(({ sequence }) => sequence <= through);
      const payments = await this.network.reads.paymentsById(
        events.map(({ event }) => event.paymentId));
      const changes = events.flatMap(({ sequence, event }) =>
        changeOf(payments.get(event.paymentId), sequence, event) ?? []);
      if (changes.length > 0) send(connection, 'payments', { changes }, through);
    } catch {
      send(connection, 'resync', { reason: 'replay_failed' });
    }
  }

  private onCommitted({ events, payments }: CommittedBatch): void {
    if (this.connections.size === 0 || events.length === 0) return;
    const changes: { change: PaymentChange; visibleTo: (viewer: DomainViewer) => boolean }[] = [];
    for (const { sequence, event } of events) {
      const payment = payments.get(event.paymentId);
      const change = changeOf(payment, sequence, event);
      if (change === undefined || payment === undefined) continue;
      changes.push({ change, visibleTo: (viewer) => canSeePayment(viewer, payment) });
    }
    const last = events[events.length - 1]?.sequence;
    for (const connection of this.connections) {
      const mine = changes
        .filter((item) => item.visibleTo(connection.viewer.domain))
        .map((item) => item.change);
      if (mine.length > 0) this.write(connection, 'payments', { changes: mine }, last);
    }
  }

  private onTick(): void {
    const second = Math.floor(this.network.clock() / 1_000);
    if (second % STATS_LIMITS.liquidityEverySeconds === 0) this.queue.sample();
    for (const connection of this.connections) {
      if (!keyValid(this.network, connection.caller.keyId)) {
        send(connection, 'revoked', { message: 'The API key of this stream was revoked.' });
        connection.raw.end();
        this.connections.delete(connection);
        continue;
      }
      this.frame(connection);
    }
  }

  private frame(connection: Connection): void {
    const liquidity = this.collector.liquidityFor(connection.viewer);
    const text = JSON.stringify(liquidity);
    const changed = text !== connection.lastLiquidity;
    connection.lastLiquidity = text;
    const queue = this.queue.frameFor(connection.viewer);
    const queueText = JSON.stringify(queue);
    const queueChanged = queueText !== connection.lastQueue;
    connection.lastQueue = queueText;
    this.write(connection, 'stats', {
      ...this.collector.frame(connection.viewer),
      ...(changed ? { liquidity } : {}),
      ...(queueChanged ? { queue } : {}),
    });
  }

  private write(connection: Connection, event: string, data: unknown, id?: number): void {
    if (connection.held !== undefined) {
      connection.held.push({ event, data, id });
      return;
    }
    if (connection.raw.writableLength > STREAM_LIMITS.bufferedBytesMax) {
      connection.raw.destroy();
      this.connections.delete(connection);
      return;
    }
    send(connection, event, data, id);
  }

  close(): void {
    this.unsubscribe();
    this.untick();
    this.queue.close();
    for (const connection of this.connections) connection.raw.end();
    this.connections.clear();
  }
}

export function streamRoutes(
  app: FastifyInstance,
  network: Network,
  hub: StreamHub,
  tokens: StreamTokens,
): void {
  app.post(
    '/v1/stream/tokens',
    {
      schema: {
        tags: ['events'],
        summary: 'A single-use token (30 s) to open the event stream where headers cannot be sent',
        response: routeResponses({ 201: Responses.streamToken }, ['too_many_stream_tokens']),
      },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.caller === undefined)
        throw new HttpError(401, 'unauthenticated', 'An API key is required.');
      return reply.code(201).header('cache-control', 'no-store').send(tokens.issue(request.caller));
    },
  );

  app.get<{ Querystring: Static<typeof StreamQuery> }>(
    '/v1/stream',
    {
      schema: {
        tags: ['events'],
        summary: 'Server-Sent Events: your payment status changes, and a stats frame every second',
        querystring: StreamQuery,
        response: routeResponses({
          200: textContent('text/event-stream', 'Server-Sent Events until the client leaves.'),
        }, ['key_in_url', ['too_many_streams', 429]]),
      },
    },
    async (request, reply) => {
      const caller = streamCaller(network, tokens, request, request.query);
      const lastEventId = request.headers['last-event-id'];
      const cursor =
        request.query.after ??
        (typeof lastEventId === 'string' && /^[0-9]{1,15}$/.test(lastEventId)
          ? lastEventId
          : undefined);
      reply.hijack();
      try {
        hub.open(caller, reply.raw, cursor === undefined ? undefined : Number(cursor));
      } catch (error) {
        const status = error instanceof HttpError ? error.statusCode : 500;
        const body =
          error instanceof HttpError
            ? error.body()
            : { error: { code: 'internal_error', message: 'The stream could not start.' } };
        if (!reply.raw.headersSent)
          reply.raw.writeHead(status, { 'content-type': 'application/json' });
        reply.raw.end(JSON.stringify(body));
        if (!(error instanceof HttpError)) request.log.error({ err: error }, 'stream failed');
      }
    },
  );
}
