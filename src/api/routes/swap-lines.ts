// Bilateral central-bank swap lines over REST (src/engine/swap-lines.ts): the issuer of a
// currency sets a line to another central bank; that central bank draws on it, lends the funds
// on to its FX providers and repays; a provider repays what it borrowed. The operator and the
// two central banks see a line whole; an FX provider sees only its own borrowing.
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { formatAmount } from '../../money/amount.js';
import type { Network } from '../../service/service.js';
import {
  drawn,
  onLent,
  overdue,
  swapInterest,
  swapLineKey,
  type SwapLine,
  type SwapLoan,
} from '../../service/domain.js';
import { callerOf, isOperator, type Caller } from '../context.js';
import { Responses } from '../contract.js';
import { fromResult, notFound, routeResponses } from '../errors.js';
import { minorUnits, positiveMinorUnits } from '../input.js';
import {
  CurrencyParams,
  DrawBody,
  HolderCurrencyParams,
  SwapLendBody,
  SwapLineBody,
} from '../schemas.js';

/** A line as `viewer` may see it: undefined sees everything, a provider only its borrowing. */
export function swapLineView(line: SwapLine, now: number, provider?: string) {
  const amount = (value: bigint) => formatAmount(value, line.currency);
  const loans = (list: readonly SwapLoan[]) => list.map((loan) => ({
    id: loan.id, principal: amount(loan.principal), at: new Date(loan.at).toISOString(),
  }));
  const whole = provider === undefined;
  return {
    holder: line.holder,
    issuer: line.issuer,
    currency: line.currency,
    limit: amount(line.limit),
    rateBps: line.rateBps,
    tenorDays: line.tenorDays,
    drawn: amount(whole ? drawn(line) : 0n),
    onLent: amount(onLent(line, provider)),
    available: amount(whole ? line.limit - drawn(line) : 0n),
    interestDue: amount(whole ? swapInterest(line.draws, line.rateBps, now) : 0n),
    interestPaid: amount(whole ? line.interestPaid : 0n),
    overdue: amount(whole ? overdue(line, now) : 0n),
    draws: whole ? loans(line.draws) : [],
    borrowers: [...line.onLent.entries()]
      .filter(([id]) => whole || id === provider)
      .map(([providerId, list]) => ({
        providerId,
        outstanding: amount(onLent(line, providerId)),
        interestDue: amount(swapInterest(list, line.rateBps, now)),
        loans: loans(list),
      })),
  };
}

function lines(network: Network): SwapLine[] {
  return [...(network.engine.state.swapLines?.values() ?? [])];
}

/** The lines the caller may see, each shown as the caller may see it. */
function visibleViews(network: Network, caller: Caller, now: number) {
  if (isOperator(caller)) return lines(network).map((line) => swapLineView(line, now));
  const id = caller.participant.id;
  if (caller.participant.kind === 'central_bank') {
    return lines(network)
      .filter((line) => line.holder === id || line.issuer === id)
      .map((line) => swapLineView(line, now));
  }
  return lines(network)
    .filter((line) => line.onLent.has(id))
    .map((line) => swapLineView(line, now, id));
}

function lineOf(network: Network, holder: string, currency: string): SwapLine {
  const line = network.engine.state.swapLines?.get(swapLineKey(holder, currency));
  if (line === undefined) throw notFound(`A swap line in ${currency}`);
  return line;
}

const ERRORS = [
  'not_authorized', 'actor_suspended', 'participant_not_found', 'account_not_found',
  'currency_not_in_network', 'credit_limit_below_usage', 'swap_line_limit_exceeded',
  'insufficient_funds', 'not_found', 'invalid_field', 'ledger_refused', 'amount_malformed',
  'amount_too_many_decimals', 'amount_too_large', 'amount_must_be_positive', 'currency_unknown',
] as const;

const HolderParams = CurrencyParams;
const ProviderRepayParams = HolderCurrencyParams;

export function swapLineRoutes(app: FastifyInstance, network: Network): void {
  app.get('/v1/swap-lines', {
    schema: {
      tags: ['central banks'],
      summary: 'Central-bank swap lines: limit, drawn, on-lent, interest, overdue',
      response: routeResponses({ 200: Responses.swapLines }, [], 'read'),
    },
  }, async (request) => ({
    swapLines: visibleViews(network, callerOf(request), network.now()),
  }));

  app.put<{ Body: Static<typeof SwapLineBody> }>('/v1/swap-lines', {
    schema: {
      tags: ['central banks'],
      summary: 'Set a swap line to another central bank: limit, rate, tenor (issuing central bank)',
      body: SwapLineBody,
      response: routeResponses({ 200: Responses.swapLine }, [...ERRORS], 'write'),
    },
  }, async (request) => {
    const caller = callerOf(request);
    const body = request.body;
    const result = await network.setSwapLine(caller.participant.id, {
      holder: body.holder,
      currency: body.currency,
      limit: minorUnits(body.limit, body.currency, 'limit'),
      rateBps: body.rateBps,
      tenorDays: body.tenorDays,
    });
    if (result.code !== 'ok') throw fromResult(result);
    return swapLineView(lineOf(network, body.holder, body.currency), network.now());
  });

  holderRoutes(app, network);
  borrowerRoutes(app, network);
}

/** What the holding central bank does: draw, lend on, repay. */
function holderRoutes(app: FastifyInstance, network: Network): void {

  app.post<{ Params: Static<typeof HolderParams>; Body: Static<typeof DrawBody> }>(
    '/v1/swap-lines/:currency/draw',
    {
      schema: {
        tags: ['central banks'],
        summary: 'Draw on your swap line (the issuer issues the currency into your account)',
        params: HolderParams,
        body: DrawBody,
        response: routeResponses({ 201: Responses.swapLine }, [...ERRORS], 'write'),
      },
    },
    async (request, reply) => {
      const id = callerOf(request).participant.id;
      const { currency } = request.params;
      const amount = positiveMinorUnits(request.body.amount, currency, 'amount');
      const result = await network.drawSwapLine(id, currency, amount);
      if (result.code !== 'ok') throw fromResult(result);
      return reply.code(201).send(swapLineView(lineOf(network, id, currency), network.now()));
    },
  );

  app.post<{ Params: Static<typeof HolderParams>; Body: Static<typeof SwapLendBody> }>(
    '/v1/swap-lines/:currency/lend',
    {
      schema: {
        tags: ['central banks'],
        summary: 'Lend swap-line funds on to one of your FX providers',
        params: HolderParams,
        body: SwapLendBody,
        response: routeResponses({ 201: Responses.swapLine }, [...ERRORS], 'write'),
      },
    },
    async (request, reply) => {
      const id = callerOf(request).participant.id;
      const { currency } = request.params;
      const result = await network.lendSwapFunds(id, {
        providerId: request.body.providerId,
        currency,
        amount: positiveMinorUnits(request.body.amount, currency, 'amount'),
      });
      if (result.code !== 'ok') throw fromResult(result);
      return reply.code(201).send(swapLineView(lineOf(network, id, currency), network.now()));
    },
  );

  app.post<{ Params: Static<typeof HolderParams> }>('/v1/swap-lines/:currency/repay', {
    schema: {
      tags: ['central banks'],
      summary: 'Repay everything drawn on your swap line, with interest, to the issuer',
      params: HolderParams,
      response: routeResponses({ 200: Responses.swapLine }, [...ERRORS], 'write'),
    },
  }, async (request) => {
    const id = callerOf(request).participant.id;
    const { currency } = request.params;
    const result = await network.repaySwapLine(id, currency);
    if (result.code !== 'ok') throw fromResult(result);
    return swapLineView(lineOf(network, id, currency), network.now());
  });

}

/** What an FX provider does: repay what it borrowed. */
function borrowerRoutes(app: FastifyInstance, network: Network): void {
  app.post<{ Params: Static<typeof ProviderRepayParams> }>(
    '/v1/swap-borrowings/:holder/:currency/repay',
    {
      schema: {
        tags: ['central banks'],
        summary: "Repay, with interest, what a central bank lent you from its swap line (FX provider)",
        params: ProviderRepayParams,
        response: routeResponses({ 200: Responses.swapLine }, [...ERRORS], 'write'),
      },
    },
    async (request) => {
      const id = callerOf(request).participant.id;
      const { holder, currency } = request.params;
      const result = await network.repaySwapFunds(id, holder, currency);
      if (result.code !== 'ok') throw fromResult(result);
      return swapLineView(lineOf(network, holder, currency), network.now(), id);
    },
  );
}
