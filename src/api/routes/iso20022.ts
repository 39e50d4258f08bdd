// ISO 20022 over HTTP: messages in (pacs.008, pacs.009, pacs.004, camt.056) answered in XML,
// the participant's feed of outgoing messages, end-of-day statements (camt.053) and the
// cancellation requests passed on to a creditor agent. A plugin (ServerOptions.plugins): the
// XML body parser is registered for these routes only. Same API keys as the JSON API; the
// sender of a message must be the authenticated participant (src/iso20022/corridor).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { generateMessageReject } from '../../iso20022/admi002.js';
import { feedElement, feedPage, FEED_PAGE_EVENTS_MAX } from '../../iso20022/corridor/feed.js';
import { IsoGateway, type GatewayOptions } from '../../iso20022/corridor/gateway.js';
import { expectGenerated, isoDateTime } from '../../iso20022/corridor/outbound.js';
import { buildStatement } from '../../iso20022/corridor/statement.js';
import { MESSAGE_BYTES_MAX } from '../../iso20022/limits.js';
import { serializeXml } from '../../iso20022/xml-writer.js';
import type { Network } from '../../service/service.js';
import { arrivalOf } from '../arrival.js';
import { callerOf, canSeeAccount, isOperator } from '../context.js';
import { forbidden, HttpError, notFound, routeResponses, textContent } from '../errors.js';
import { integerCursor } from '../input.js';

/**
 * Twice the library's bound: a message up to MESSAGE_BYTES_MAX is read; one above it and up to
 * this gets the library's own answer (admi.002 HOSTILE, 413); above this Fastify stops reading
 * and the same answer is given.
 */
export const ISO_BODY_LIMIT_BYTES = 2 * MESSAGE_BYTES_MAX;
const XML = 'application/xml; charset=utf-8';

const FeedQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: FEED_PAGE_EVENTS_MAX })),
  },
  { additionalProperties: false },
);

const StatementQuery = Type.Object(
  {
    participant: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]*$', minLength: 1, maxLength: 32 }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    date: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);

function tooLarge(reply: FastifyReply): FastifyReply {
  const xml = expectGenerated(
    generateMessageReject({
      relatedReference: 'NONREF',
      rejectingPartyReason: 'HOSTILE',
      rejectionDateTime: isoDateTime(Date.now()),
      reasonDescription: `The message is larger than ${ISO_BODY_LIMIT_BYTES} bytes.`,
    }),
  ).xml;
  return reply.code(413).type(XML).send(xml);
}

/** A calendar date that exists (2026-02-30 does not). */
function checkedDate(text: string): string {
  const time = Date.parse(`${text}T00:00:00.000Z`);
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== text)
    throw new HttpError(
      400,
      'invalid_field',
      'The date is not a calendar date (YYYY-MM-DD).',
      'date',
    );
  return text;
}

function messageRoute(scope: FastifyInstance, gateway: IsoGateway): void {
  scope.post(
    '/v1/iso20022/messages',
    {
      bodyLimit: ISO_BODY_LIMIT_BYTES,
      schema: {
        tags: ['iso20022'],
        summary: 'Send an ISO 20022 message (pacs.008, pacs.009, pacs.004, camt.056); XML answer',
        consumes: ['application/xml', 'text/xml'],
        response: routeResponses({
          200: textContent('application/xml', 'The status report (pacs.002) or answer (camt.029).'),
          400: textContent('application/xml', 'A message reject (admi.002).'),
          403: textContent('application/xml', 'A message reject (admi.002): the sender is not the caller.'),
          413: textContent('application/xml', 'A message reject (admi.002): the message is too large.'),
        }, ['unsupported_media_type', 'body_too_large', 'validator_unavailable', 'not_writer']),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const body: unknown = request.body ?? Buffer.alloc(0);
      if (!Buffer.isBuffer(body))
        throw new HttpError(415, 'unsupported_media_type', 'Send the message as application/xml.');
      const answer = await gateway.receive(body, caller.participant.id, arrivalOf(request));
      if (answer.kind === 'none') {
        throw new HttpError(
          503,
          'validator_unavailable',
          answer.description ?? 'Retry later.',
          undefined,
          undefined,
          { 'retry-after': '1' },
        );
      }
      return reply.code(answer.httpStatus).type(XML).send(answer.xml);
    },
  );
}

function feedRoutes(scope: FastifyInstance, network: Network, gateway: IsoGateway): void {
  scope.get<{ Querystring: Static<typeof FeedQuery> }>(
    '/v1/iso20022/events',
    {
      schema: {
        tags: ['iso20022'],
        summary: 'Your outgoing ISO 20022 messages after a cursor (pacs.002, camt.054, camt.029)',
        querystring: FeedQuery,
        response: routeResponses({
          200: textContent('application/xml', 'The messages; the corridor-cursor header is the next cursor.'),
        }, ['invalid_cursor', 'cursor_expired']),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const page = await feedPage(
        network,
        caller.participant,
        integerCursor(request.query.cursor),
        request.query.limit ?? 50,
      );
      if (page.expired)
        throw new HttpError(
          410,
          'cursor_expired',
          'Events before this cursor are no longer kept.',
          'cursor',
        );
      return reply
        .code(200)
        .type(XML)
        .header('corridor-cursor', String(page.cursor))
        .send(page.xml);
    },
  );

  scope.get(
    '/v1/iso20022/cancellation-requests',
    {
      schema: {
        tags: ['iso20022'],
        summary: 'Open cancellation requests (camt.056) for payments waiting for you',
        response: routeResponses({ 200: textContent('application/xml', 'The open camt.056 requests.') }, []),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const open = gateway.cancellations.openFor(caller.participant.id, isOperator(caller));
      const root = feedElement(
        open.map((item) => item.message),
        { messages: String(open.length) },
      );
      return reply.code(200).type(XML).send(serializeXml(root));
    },
  );
}

function statementRoute(scope: FastifyInstance, network: Network): void {
  scope.get<{ Querystring: Static<typeof StatementQuery> }>(
    '/v1/iso20022/statements',
    {
      schema: {
        tags: ['iso20022'],
        summary: 'End-of-day statement (camt.053) of an account for a UTC date',
        querystring: StatementQuery,
        response: routeResponses({
          200: textContent('application/xml', 'The camt.053; corridor-statement-pages says how many pages.'),
        }, ['invalid_field', 'not_found', 'not_authorized', 'history_too_long']),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { participant, currency, page } = request.query;
      const date = checkedDate(request.query.date);
      if (network.participant(participant) === undefined)
        throw notFound('The participant', 'participant');
      if (!canSeeAccount(network, caller, participant, currency))
        throw forbidden('You may not see this account.');
      const result = await buildStatement(network, {
        participantId: participant,
        currency,
        date,
        ...(page === undefined ? {} : { page }),
      });
      if (!result.ok) {
        if (result.code === 'history_too_long')
          throw new HttpError(422, result.code, result.message);
        throw new HttpError(
          404,
          'not_found',
          result.message,
          result.code === 'page_not_found' ? 'page' : 'currency',
        );
      }
      return reply
        .code(200)
        .type(XML)
        .header('corridor-statement-pages', String(result.pages))
        .send(result.xml);
    },
  );
}

/** The ISO 20022 routes, for ServerOptions.plugins. */
export function iso20022Plugin(options: GatewayOptions = {}) {
  return async (app: FastifyInstance, network: Network): Promise<void> => {
    const gateway = new IsoGateway(network, options);
    await gateway.ready;
    app.addHook('onClose', async () => gateway.close());
    await app.register(async (scope) => {
      scope.addContentTypeParser(
        ['application/xml', 'text/xml'],
        { parseAs: 'buffer', bodyLimit: ISO_BODY_LIMIT_BYTES },
        (
          _request: FastifyRequest,
          body: Buffer,
          done: (error: Error | null, body?: Buffer) => void,
        ) => done(null, body),
      );
      // Messages are idempotent by their MsgId: an Idempotency-Key is not used on these routes.
      scope.addHook('onRequest', async (request) => {
        delete request.headers['idempotency-key'];
      });
      scope.setErrorHandler((error: FastifyError, _request, reply) => {
        if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return tooLarge(reply);
        throw error;
      });
      messageRoute(scope, gateway);
      feedRoutes(scope, network, gateway);
      statementRoute(scope, network);
    });
  };
}
