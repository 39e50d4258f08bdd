// Rates, quotes and payments: create (one or a batch), read, list, accept, reject, return,
// and the review of payments held by screening.
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { NetworkCommand, NetworkResult } from '../../service/domain.js';
import {
  combineQuoteAndPay, type InlineQuoteRequest, type Network, type PaymentInput,
} from '../../service/service.js';
import type { Payment, PaymentReason, ReturnReason } from '../../service/domain.js';
import { arrivalOf } from '../arrival.js';
import { callerOf, requireActive, viewerOfCaller, type Caller } from '../context.js';
import { canSeePayment, isReviewer } from '../../service/domain.js';
import { Responses } from '../contract.js';
import { fromResult, HttpError, notFound, routeResponses, type RouteError } from '../errors.js';
import { listCursor, positiveMinorUnits, timestamp } from '../input.js';
import {
  BATCH_PAYMENTS_MAX,
  BatchBody,
  IdParams,
  PageQuery,
  PaymentBody,
  PaymentQuery,
  QuoteBody,
  RateBody,
  RejectBody,
  ReturnBody,
  ReviewBody,
  type PaymentBodyType,
} from '../schemas.js';
import { paymentView, quoteView } from '../views.js';

/** Why a payment is refused; a batch gives each of its items one of these. */
const PAYMENT_ERRORS: readonly RouteError[] = [
  'not_authorized', 'actor_suspended', 'participant_not_found', 'creditor_agent_is_sender',
  'creditor_agent_is_central_bank', 'currency_unknown', 'currency_not_in_network',
  'account_not_found', 'quote_required', ['quote_required', 422], 'quote_not_found',
  'quote_expired', 'quote_already_used', 'quote_mismatch', 'duplicate_end_to_end_id',
  'duplicate_uetr', 'exists_with_different_fields', 'insufficient_funds', 'ledger_refused',
  'invalid_field', 'amount_malformed', 'amount_too_many_decimals', 'amount_too_large', 'amount_must_be_positive',
  // With an inline quote: those of POST /v1/quotes, and quoteId or amount/currency beside it.
  'no_offer', 'too_many_open_quotes', 'quote_conflict',
];

const DECISION_ERRORS: readonly RouteError[] = [
  'not_authorized', 'actor_suspended', 'payment_not_found', 'payment_not_pending',
  'payment_under_review', 'insufficient_funds', 'ledger_refused', 'invalid_field',
];

/** A batch of 8,000 payments with long party names fits in 16 MiB. */
const SERVER_BATCH_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * The inline quote of a payment body, checked: it replaces quoteId, amount and currency (the
 * quote fixes the amount and both currencies), so none of them may come with it.
 */
function inlineQuote(body: PaymentBodyType): InlineQuoteRequest | undefined {
  const quote = body.quote;
  if (quote === undefined) return undefined;
  for (const field of ['quoteId', 'amount', 'currency'] as const) {
    if (body[field] !== undefined) {
      throw new HttpError(
        422,
        'quote_conflict',
        field === 'quoteId'
          ? 'Give either quoteId (a quote you have) or quote (to ask for one now), not both.'
          : `With an inline quote, the quote sets the ${field}: leave ${field} out.`,
        field,
      );
    }
  }
  const fixedCurrency = quote.fixed === 'send' ? quote.sourceCurrency : quote.targetCurrency;
  return {
    source: quote.sourceCurrency,
    target: quote.targetCurrency,
    fixed: quote.fixed,
    amount: positiveMinorUnits(
      quote.amount,
      fixedCurrency,
      'quote.amount',
      quote.fixed === 'send' ? 'quote.sourceCurrency' : 'quote.targetCurrency',
    ),
    routing: quote.routing ?? 'best',
  };
}

/** The body field of an inline quote that a quote refusal's field names. */
const INLINE_QUOTE_FIELDS: Readonly<Record<string, string>> = {
  source: 'quote.sourceCurrency',
  target: 'quote.targetCurrency',
  amount: 'quote.amount',
  routing: 'quote.routing',
  // The same payment id asked again with another quote.
  quoteId: 'quote',
};

/** The result of a body's commands (one, or an inline quote's and the payment's). */
function resultOf(results: readonly NetworkResult[], at: number, count: number) {
  if (count === 1) return results[at];
  const quoted = results[at];
  const result = combineQuoteAndPay(quoted, results[at + 1]);
  if (result === quoted && result.field !== undefined) {
    return { ...result, field: INLINE_QUOTE_FIELDS[result.field] ?? result.field };
  }
  return result;
}

/**
 * The commands a payment body becomes: the payment's, or with an inline quote the quote's then
 * the payment's (one batch; combineQuoteAndPay makes one result of the two).
 */
async function paymentCommands(
  network: Network,
  actor: string,
  body: PaymentBodyType,
  idempotencyId: string | undefined,
  arrival: ReturnType<typeof arrivalOf>,
): Promise<NetworkCommand[]> {
  const quote = inlineQuote(body);
  const input = paymentInput(network, actor, body, idempotencyId);
  return quote === undefined
    ? [await network.paymentCommand(actor, input, arrival)]
    : network.quoteAndPayCommands(actor, quote, input, arrival);
}

function paymentInput(
  network: Network,
  actor: string,
  body: PaymentBodyType,
  idempotencyId: string | undefined,
): PaymentInput {
  const quote = body.quoteId === undefined ? undefined : network.liveQuoteOf(actor, body.quoteId);
  if (body.quoteId === undefined && body.currency !== undefined)
    refuseCrossCurrencyWithoutQuote(network, body.creditorAgent, body.currency);
  const currency = body.currency ?? quote?.target;
  const amount =
    body.amount === undefined || currency === undefined
      ? undefined
      : positiveMinorUnits(body.amount, currency, 'amount');
  return {
    mode: body.mode ?? 'instant',
    creditorAgent: body.creditorAgent,
    debtor: body.debtor,
    creditor: body.creditor,
    endToEndId: body.endToEndId,
    ...((body.id ?? idempotencyId) === undefined ? {} : { id: body.id ?? idempotencyId }),
    ...(body.uetr === undefined ? {} : { uetr: body.uetr }),
    ...(body.quoteId === undefined ? {} : { quoteId: body.quoteId }),
    ...(currency === undefined ? {} : { currency }),
    ...(amount === undefined ? {} : { amount }),
    ...(body.purpose === undefined ? {} : { purpose: body.purpose }),
    ...(body.remittanceInformation === undefined
      ? {}
      : { remittanceInformation: body.remittanceInformation }),
    ...(body.priority === undefined ? {} : { priority: body.priority }),
    ...(body.latestSettlementTime === undefined
      ? {}
      : { latestSettlementAt: timestamp(body.latestSettlementTime, 'latestSettlementTime') }),
  };
}

/**
 * A payment without a quote is domestic: a creditor agent that holds no account in its currency
 * means the sender wanted FX, so the answer says how to get a quote rather than naming a
 * missing account.
 */
function refuseCrossCurrencyWithoutQuote(network: Network, agentId: string, currency: string) {
  const agent = network.participant(agentId);
  // A currency outside the network gets currency_not_in_network from the engine instead.
  if (!network.hasCurrency(currency)) return;
  if (agent === undefined || agent.currencies.length === 0 || agent.currencies.includes(currency))
    return;
  const target = agent.currencies.join('/');
  throw new HttpError(
    422,
    'quote_required',
    `${agent.id} settles ${target}, not ${currency}: get a quote first ` +
      `(POST /v1/quotes, corridor quote --from ${currency} --to ${agent.currencies[0] ?? target} ` +
      `--amount …, or corridor send --to ${agent.id} --from ${currency} --amount …).`,
    'quoteId',
  );
}

/** The payment the caller names by its own id or by a network id, if the caller may see it. */
async function visiblePayment(network: Network, caller: Caller, id: string): Promise<Payment> {
  const payment = await network.reads.paymentOf(caller.participant.id, id);
  if (payment === undefined || !canSeePayment(viewerOfCaller(network, caller), payment))
    throw notFound('The payment', 'id');
  return payment;
}

function answer(reply: FastifyReply, viewer: string, result: NetworkResult, created = false) {
  if (result.code !== 'ok' || result.payment === undefined) throw fromResult(result);
  return reply
    .code(created && result.replayed !== true ? 201 : 200)
    .send(paymentView(result.payment, viewer));
}

function quoteRoutes(app: FastifyInstance, network: Network): void {
  app.get('/v1/rates', {
    schema: {
      tags: ['fx'],
      summary: 'Published FX rates',
      response: routeResponses({ 200: Responses.rates }, []),
    },
  }, async () => ({
    rates: [...network.engine.state.rates.values()].map((rate) => ({
      fxProvider: rate.providerId,
      sourceCurrency: rate.source,
      targetCurrency: rate.target,
      rate: rate.published,
      spreadBps: rate.spreadBps,
      validUntil: new Date(rate.validUntil).toISOString(),
    })),
  }));

  app.post<{ Body: Static<typeof RateBody> }>(
    '/v1/rates',
    {
      schema: {
        tags: ['fx'],
        summary: 'Publish a rate (FX provider)',
        body: RateBody,
        response: routeResponses({ 201: Responses.ratePublished }, [
          'not_authorized', 'actor_suspended', 'rate_invalid', 'currency_unknown',
          'currency_not_in_network', 'account_not_found', 'invalid_field', 'amount_malformed', 'amount_too_many_decimals', 'amount_too_large', 'amount_must_be_positive',
        ], 'write'),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const body = request.body;
      const result = await network.publishRate(caller.participant.id, {
        providerId: caller.participant.id,
        source: body.source,
        target: body.target,
        rate: body.rate,
        spreadBps: body.spreadBps,
        amountMax: positiveMinorUnits(body.amountMax, body.source, 'amountMax', 'source'),
        fee: body.fee === undefined ? 0n : positiveMinorUnitsOrZero(body.fee, body.source),
        validUntil: Date.now() + body.validSeconds * 1000,
      });
      if (result.code !== 'ok') throw fromResult(result);
      return reply.code(201).send({ published: true });
    },
  );

}

function firmQuoteRoutes(app: FastifyInstance, network: Network): void {
  app.post<{ Body: Static<typeof QuoteBody> }>(
    '/v1/quotes',
    {
      schema: {
        tags: ['fx'],
        summary: 'Ask for a firm FX quote',
        body: QuoteBody,
        response: routeResponses({ 201: Responses.quote, 200: Responses.quote }, [
          'not_authorized', 'actor_suspended', 'no_offer', 'too_many_open_quotes',
          'currency_unknown', 'currency_not_in_network', 'account_not_found',
          'exists_with_different_fields', 'invalid_field', 'amount_malformed', 'amount_too_many_decimals', 'amount_too_large', 'amount_must_be_positive',
        ], 'write'),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const body = request.body;
      const fixedCurrency = body.fixed === 'send' ? body.sourceCurrency : body.targetCurrency;
      const result = await network.quote(caller.participant.id, {
        source: body.sourceCurrency,
        target: body.targetCurrency,
        fixed: body.fixed,
        amount: positiveMinorUnits(
          body.amount,
          fixedCurrency,
          'amount',
          body.fixed === 'send' ? 'sourceCurrency' : 'targetCurrency',
        ),
        ...(body.id === undefined ? {} : { quoteId: body.id }),
        routing: body.routing ?? 'best',
      });
      if (result.code !== 'ok' || result.quote === undefined) throw fromResult(result);
      return reply.code(result.replayed === true ? 200 : 201).send(quoteView(result.quote));
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/v1/quotes/:id',
    {
      schema: {
        tags: ['fx'],
        summary: 'A quote you asked for',
        params: IdParams,
        response: routeResponses({ 200: Responses.quote }, ['not_found']),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const operator = caller.participant.kind === 'operator';
      const quote =
        (await network.reads.quoteOf(caller.participant.id, request.params.id)) ??
        (operator ? await network.reads.quote(request.params.id) : undefined);
      if (quote === undefined || (quote.debtorAgent !== caller.participant.id && !operator)) {
        throw notFound('The quote', 'id');
      }
      return quoteView(quote);
    },
  );
}

function positiveMinorUnitsOrZero(text: string, currency: string): bigint {
  return /^0(\.0+)?$/.test(text) ? 0n : positiveMinorUnits(text, currency, 'fee', 'source');
}

/**
 * Submits a batch's commands as one group when they fit in one (at most BATCH_PAYMENTS_MAX
 * commands, as every batch without inline quotes does); else in several, in order, each
 * holding whole items, so that an inline quote always shares its payment's batch.
 */
async function submitGroups(
  network: Network,
  items: readonly NetworkCommand[][],
): Promise<NetworkResult[]> {
  const groups: NetworkCommand[][] = [[]];
  for (const item of items) {
    let group = groups[groups.length - 1] as NetworkCommand[];
    if (group.length + item.length > BATCH_PAYMENTS_MAX) groups.push((group = []));
    group.push(...item);
  }
  const answers = await Promise.all(groups.map((group) => network.submit(group)));
  return answers.flat();
}

function createRoutes(app: FastifyInstance, network: Network): void {
  app.post<{ Body: Static<typeof PaymentBody> }>(
    '/v1/payments',
    {
      schema: {
        tags: ['payments'],
        summary: 'Send a payment (domestic, or cross-border with a quote: by id, or inline)',
        body: PaymentBody,
        response: routeResponses({ 201: Responses.payment, 200: Responses.payment },
          PAYMENT_ERRORS, 'write'),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      requireActive(caller);
      const actor = caller.participant.id;
      const commands = await paymentCommands(network, actor, request.body, request.idempotencyId,
        arrivalOf(request));
      const results = await network.submit(commands);
      const result = resultOf(results, 0, commands.length);
      if (result === undefined) throw new Error('payment: no result');
      return answer(reply, actor, result, true);
    },
  );

  app.post<{ Body: Static<typeof BatchBody> }>(
    '/v1/payments/batch',
    {
      schema: {
        tags: ['payments'],
        summary: 'Send many payments in one request',
        description: 'Each result holds its payment or its own error (with the codes of ' +
          'POST /v1/payments); the request as a whole fails only as listed.',
        body: BatchBody,
        response: routeResponses({ 200: Responses.batch }, [], 'write'),
      },
      bodyLimit: SERVER_BATCH_BODY_LIMIT_BYTES,
    },
    async (request) => {
      const caller = callerOf(request);
      requireActive(caller);
      // An item the edge refuses (an amount the currency cannot hold…) gets its own error;
      // the others still go, in one group.
      const actor = caller.participant.id;
      // An item with an inline quote is two commands (its quote's, then its own).
      const arrival = arrivalOf(request);
      const prepared = await Promise.all(request.body.payments.map(
        async (body): Promise<NetworkCommand[] | HttpError> => {
          try {
            return await paymentCommands(network, actor, body, undefined, arrival);
          } catch (error) {
            if (error instanceof HttpError) return error;
            throw error;
          }
        }));
      const results = await submitGroups(network,
        prepared.filter((item): item is NetworkCommand[] => !(item instanceof HttpError)));
      let next = 0;
      return {
        results: prepared.map((item, index) => {
          if (item instanceof HttpError) return { index, ...item.body() };
          const result = resultOf(results, next, item.length);
          next += item.length;
          if (result === undefined) throw new Error('batch: a result is missing');
          return result.code === 'ok' && result.payment !== undefined
            ? { index, payment: paymentView(result.payment, actor) }
            : { index, ...fromResult(result).body() };
        }),
      };
    },
  );
}

function paymentReadRoutes(app: FastifyInstance, network: Network): void {
  app.get<{ Params: Static<typeof IdParams> }>(
    '/v1/payments/:id',
    {
      schema: {
        tags: ['payments'],
        summary: 'A payment with its whole timeline',
        params: IdParams,
        response: routeResponses({ 200: Responses.payment }, ['not_found']),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      return paymentView(await visiblePayment(network, caller, request.params.id),
        caller.participant.id);
    },
  );

  app.get<{ Querystring: Static<typeof PaymentQuery> }>(
    '/v1/payments',
    {
      schema: {
        tags: ['payments'],
        summary: 'Payments, newest first, with filters and a cursor',
        querystring: PaymentQuery,
        response: routeResponses({ 200: Responses.paymentPage }, [
          'invalid_cursor', 'invalid_field',
        ]),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const query = request.query;
      const from = timestamp(query.from, 'from');
      const to = timestamp(query.to, 'to');
      const page = await network.reads.payments(
        {
          ...(query.status === undefined ? {} : { status: query.status as Payment['status'] }),
          ...(query.currency === undefined ? {} : { currency: query.currency }),
          ...(query.participant === undefined ? {} : { participant: query.participant }),
          ...(query.kind === undefined ? {} : { kind: query.kind }),
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
          viewer: viewerOfCaller(network, caller),
        },
        {
          limit: query.limit ?? 50,
          ...(query.cursor === undefined ? {} : { cursor: listCursor(query.cursor) }),
        },
      );
      return {
        payments: page.payments.map((payment) => paymentView(payment, caller.participant.id)),
        next: page.next ?? null,
      };
    },
  );
}

function reviewListRoutes(app: FastifyInstance, network: Network): void {
  app.get<{ Querystring: Static<typeof PageQuery> }>(
    '/v1/reviews',
    {
      schema: {
        tags: ['reviews'],
        summary: 'Payments held by screening that you may review',
        querystring: PageQuery,
        response: routeResponses({ 200: Responses.paymentPage }, ['invalid_cursor']),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const viewer = viewerOfCaller(network, caller);
      const cursor = request.query.cursor === undefined ? undefined
        : listCursor(request.query.cursor);
      // Only the operator and central banks review; each lists the holds it may see.
      const page = !isReviewer(viewer) ? { payments: [], next: undefined }
        : await network.reads.payments({ status: 'BLCK', viewer },
          { limit: request.query.limit ?? 100, ...(cursor === undefined ? {} : { cursor }) });
      return {
        payments: page.payments.map((payment) => paymentView(payment, caller.participant.id)),
        next: page.next ?? null,
      };
    },
  );
}

function readRoutes(app: FastifyInstance, network: Network): void {
  paymentReadRoutes(app, network);
  reviewListRoutes(app, network);
}

function decisionRoutes(app: FastifyInstance, network: Network): void {
  app.post<{ Params: Static<typeof IdParams> }>(
    '/v1/payments/:id/accept',
    {
      schema: {
        tags: ['payments'],
        summary: 'Accept a two-phase payment (creditor agent)',
        params: IdParams,
        response: routeResponses({ 200: Responses.payment }, DECISION_ERRORS, 'write'),
      },
    },
    async (request, reply) => {
      const actor = callerOf(request).participant.id;
      return answer(reply, actor, await network.accept(actor, request.params.id));
    },
  );

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof RejectBody> }>(
    '/v1/payments/:id/reject',
    {
      schema: {
        tags: ['payments'],
        summary: 'Reject a two-phase payment (creditor agent)',
        params: IdParams,
        body: RejectBody,
        response: routeResponses({ 200: Responses.payment }, DECISION_ERRORS, 'write'),
      },
    },
    async (request, reply) => {
      const actor = callerOf(request).participant.id;
      const { reason, detail } = request.body;
      const id = request.params.id;
      const result = await network.reject(actor, id, reason as PaymentReason, detail);
      return answer(reply, actor, result);
    },
  );
}

function reviewAndReturnRoutes(app: FastifyInstance, network: Network): void {
  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof ReviewBody> }>(
    '/v1/payments/:id/review',
    {
      schema: {
        tags: ['reviews'],
        summary: 'Release or reject a held payment',
        params: IdParams,
        body: ReviewBody,
        response: routeResponses({ 200: Responses.payment }, [
          'not_authorized', 'actor_suspended', 'payment_not_found', 'payment_not_under_review',
          'insufficient_funds', 'ledger_refused',
        ], 'write'),
      },
    },
    async (request, reply) => {
      const actor = callerOf(request).participant.id;
      const result = await network.review(actor, request.params.id, request.body.decision);
      return answer(reply, actor, result);
    },
  );

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof ReturnBody> }>(
    '/v1/payments/:id/return',
    {
      schema: {
        tags: ['payments'],
        summary: 'Return a settled payment, in full or in part',
        params: IdParams,
        body: ReturnBody,
        response: routeResponses({ 201: Responses.payment, 200: Responses.payment }, [
          'not_found', 'not_authorized', 'actor_suspended', 'payment_not_found',
          'payment_not_returnable', 'return_amount_exceeds_remaining', 'quote_not_found',
          'quote_expired', 'quote_already_used', 'quote_mismatch', 'no_offer',
          'insufficient_funds', 'exists_with_different_fields', 'ledger_refused',
          'rate_invalid', 'invalid_field', 'amount_malformed', 'amount_too_many_decimals', 'amount_too_large', 'amount_must_be_positive',
        ], 'write'),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const original = await visiblePayment(network, caller, request.params.id);
      const result = await network.returnPayment(caller.participant.id, {
        originalPaymentId: original.id,
        reason: request.body.reason as ReturnReason,
        amount: positiveMinorUnits(request.body.amount, original.targetCurrency, 'amount'),
        ...(request.body.id === undefined ? {} : { returnId: request.body.id }),
        ...(request.body.quoteId === undefined ? {} : { quoteId: request.body.quoteId }),
        ...arrivalOf(request),
      });
      return answer(reply, caller.participant.id, result, true);
    },
  );
}

function actionRoutes(app: FastifyInstance, network: Network): void {
  decisionRoutes(app, network);
  reviewAndReturnRoutes(app, network);
}

export function paymentRoutes(app: FastifyInstance, network: Network): void {
  quoteRoutes(app, network);
  firmQuoteRoutes(app, network);
  createRoutes(app, network);
  readRoutes(app, network);
  actionRoutes(app, network);
}
