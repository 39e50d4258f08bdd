// The settlement queue over REST: a bank lists, reorders, re-prioritises and cancels its own
// queued payments; the operator and central banks see the queue's depth and value per currency;
// everyone reads the liquidity figures it may see (GET /v1/liquidity).
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { liquidityReport, type LiquidityFigure } from '../../service/domain.js';
import { queueOrder } from '../../service/domain.js';
import type { NetworkResult } from '../../service/domain.js';
import type { Network } from '../../service/service.js';
import { callerOf, isOperator, issuedBy, type Caller } from '../context.js';
import { Responses } from '../contract.js';
import { fromResult, routeResponses, type RouteError } from '../errors.js';
import { IdParams, QueueOrderBody, QueuePriorityBody } from '../schemas.js';
import { money, paymentView } from '../views.js';

const CHANGE_ERRORS: readonly RouteError[] = [
  'not_authorized', 'payment_not_found', 'payment_not_queued', 'invalid_field',
];

/** Which currencies' and participants' figures a caller sees: operator all, central bank its
 * currencies, anyone else itself. */
function visible(network: Network, caller: Caller): (figure: LiquidityFigure) => boolean {
  if (isOperator(caller)) return () => true;
  if (caller.participant.kind === 'central_bank') {
    const issued = new Set(issuedBy(network, caller.participant.id));
    return (figure) => issued.has(figure.currency);
  }
  return (figure) => figure.participant === caller.participant.id;
}

function figureView(figure: LiquidityFigure) {
  const amount = (value: bigint): string => money(value, figure.currency).amount;
  return {
    currency: figure.currency,
    ...(figure.participant === undefined ? {} : { participant: figure.participant }),
    peakLiquidityUsed: amount(figure.peakLiquidityUsed),
    upperBound: amount(figure.upperBound),
    lowerBound: amount(figure.lowerBound),
    offsetValue: amount(figure.offsetValue),
    queuedCount: figure.queuedCount,
    queuedValue: amount(figure.queuedValue),
    settledCount: figure.settledCount,
    queueTimeP50Ms: figure.queueTimeP50Ms,
    queueTimeP99Ms: figure.queueTimeP99Ms,
    settledWithinHourShare: figure.settledWithinHourShare,
  };
}

function changed(result: NetworkResult, viewer: string) {
  if (result.code !== 'ok') throw fromResult(result);
  return result.payment === undefined ? { ok: true } : paymentView(result.payment, viewer);
}

function readRoutes(app: FastifyInstance, network: Network): void {
  app.get('/v1/queue', {
    schema: {
      tags: ['liquidity'],
      summary: 'The settlement queue: your queued payments in order; depth and value per currency',
      response: routeResponses({ 200: Responses.queue }, []),
    },
  }, async (request) => {
    const caller = callerOf(request);
    const id = caller.participant.id;
    const state = network.engine.state;
    const see = visible(network, caller);
    const payments = [];
    const depth = new Map<string, { count: number; value: bigint }>();
    let position = 0;
    for (const entry of queueOrder(state.queue)) {
      position += 1;
      const payment = state.payments.get(entry.paymentId);
      if (payment === undefined) continue;
      if (payment.debtorAgent === id) {
        payments.push({ position, payment: paymentView(payment, id) });
      }
      const shown = isOperator(caller) || payment.debtorAgent === id ||
        see({ currency: entry.sourceCurrency } as LiquidityFigure);
      if (!shown) continue;
      const current = depth.get(entry.sourceCurrency) ?? { count: 0, value: 0n };
      current.count += 1;
      current.value += payment.debitAmount;
      depth.set(entry.sourceCurrency, current);
    }
    return {
      payments,
      depth: [...depth.entries()].sort(([left], [right]) => (left < right ? -1 : 1))
        .map(([currency, { count, value }]) => ({
          currency, count, value: money(value, currency).amount,
        })),
    };
  });

  liquidityRoute(app, network);
}

function changeRoutes(app: FastifyInstance, network: Network): void {
  app.post<{ Body: Static<typeof QueueOrderBody> }>('/v1/queue/order', {
    schema: {
      tags: ['liquidity'],
      summary: 'Reorder your queued payments (within each priority, among their places)',
      body: QueueOrderBody,
      response: routeResponses({ 200: Responses.queue }, CHANGE_ERRORS, 'write'),
    },
  }, async (request) => {
    const actor = callerOf(request).participant.id;
    const result = await network.reorderQueue(actor, request.body.paymentIds);
    if (result.code !== 'ok') throw fromResult(result);
    const state = network.engine.state;
    return {
      payments: queueOrder(state.queue).flatMap((entry, index) => {
        const payment = state.payments.get(entry.paymentId);
        return payment?.debtorAgent === actor
          ? [{ position: index + 1, payment: paymentView(payment, actor) }] : [];
      }),
      depth: [],
    };
  });

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof QueuePriorityBody> }>(
    '/v1/queue/:id/priority', {
      schema: {
        tags: ['liquidity'],
        summary: 'Change the priority of your queued payment',
        params: IdParams,
        body: QueuePriorityBody,
        response: routeResponses({ 200: Responses.payment }, CHANGE_ERRORS, 'write'),
      },
    }, async (request) => {
      const actor = callerOf(request).participant.id;
      return changed(
        await network.setQueuePriority(actor, request.params.id, request.body.priority), actor);
    });

  app.post<{ Params: Static<typeof IdParams> }>('/v1/queue/:id/cancel', {
    schema: {
      tags: ['liquidity'],
      summary: 'Cancel your queued payment (RJCT DS02; nothing of it has moved)',
      params: IdParams,
      response: routeResponses({ 200: Responses.payment }, CHANGE_ERRORS, 'write'),
    },
  }, async (request) => {
    const actor = callerOf(request).participant.id;
    return changed(await network.cancelQueued(actor, request.params.id), actor);
  });

}

function liquidityRoute(app: FastifyInstance, network: Network): void {
  app.get('/v1/liquidity', {
    schema: {
      tags: ['liquidity'],
      summary: "The day's liquidity figures (operator: all; central bank: its currencies; " +
        'others: their own)',
      response: routeResponses({ 200: Responses.liquidity }, []),
    },
  }, async (request) => {
    const caller = callerOf(request);
    const now = network.now();
    const report = liquidityReport(network.engine.state, now);
    const see = visible(network, caller);
    const participant = caller.participant.id;
    return {
      day: new Date(now).toISOString().slice(0, 10),
      currencies: isOperator(caller) || caller.participant.kind === 'central_bank'
        ? report.currencies.filter(see).map(figureView) : [],
      participants: report.participants.filter((figure) =>
        see(figure) || figure.participant === participant).map(figureView),
    };
  });
}

export function queueRoutes(app: FastifyInstance, network: Network): void {
  readRoutes(app, network);
  changeRoutes(app, network);
}
