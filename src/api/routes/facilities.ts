// The central banks' standing facility over REST (src/engine/facilities.ts): the issuing
// central bank sets a participant's facility; the participant draws on it and repays it with
// interest; each sees the facilities it is party to (the operator all of them).
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { formatAmount } from '../../money/amount.js';
import {
  facilities,
  interestDue,
  outstanding,
  type Facility,
} from '../../service/domain.js';
import type { Network } from '../../service/service.js';
import { callerOf, isOperator, issuedBy, type Caller } from '../context.js';
import { Responses } from '../contract.js';
import { fromResult, notFound, routeResponses } from '../errors.js';
import { minorUnits, positiveMinorUnits } from '../input.js';
import { CurrencyParams, DrawBody, FacilityBody } from '../schemas.js';

export function facilityView(facility: Facility, now: number) {
  const amount = (value: bigint) => formatAmount(value, facility.currency);
  return {
    participantId: facility.participantId,
    currency: facility.currency,
    limit: amount(facility.limit),
    rateBps: facility.rateBps,
    outstanding: amount(outstanding(facility)),
    interestDue: amount(interestDue(facility, now)),
    interestPaid: amount(facility.interestPaid),
    overdue: amount(facility.overdue),
    loans: facility.loans.map((loan) => ({
      id: loan.id,
      principal: amount(loan.principal),
      drawnAt: new Date(loan.drawnAt).toISOString(),
      origin: loan.origin,
    })),
  };
}

function visible(network: Network, caller: Caller): (facility: Facility) => boolean {
  if (isOperator(caller)) return () => true;
  const id = caller.participant.id;
  if (caller.participant.kind === 'central_bank') {
    const issued = new Set(issuedBy(network, id));
    return (facility) => issued.has(facility.currency);
  }
  return (facility) => facility.participantId === id;
}

function own(network: Network, participantId: string, currency: string): Facility {
  const facility = facilities(network.engine.state).get(`${participantId}|${currency}`);
  if (facility === undefined) throw notFound(`A standing facility in ${currency}`);
  return facility;
}

const ERRORS = [
  'not_authorized', 'actor_suspended', 'participant_not_found', 'account_not_found',
  'currency_not_in_network', 'credit_limit_below_usage', 'facility_limit_exceeded',
  'insufficient_funds', 'not_found', 'invalid_field', 'ledger_refused', 'amount_malformed',
  'amount_too_many_decimals', 'amount_too_large', 'amount_must_be_positive', 'currency_unknown',
] as const;

export function facilityRoutes(app: FastifyInstance, network: Network): void {
  app.get('/v1/facilities', {
    schema: {
      tags: ['central banks'],
      summary: 'Standing facilities: limits, loans outstanding, interest, overdue',
      response: routeResponses({ 200: Responses.facilities }, [], 'read'),
    },
  }, async (request) => {
    const show = visible(network, callerOf(request));
    const now = network.now();
    return {
      facilities: [...facilities(network.engine.state).values()]
        .filter(show)
        .map((facility) => facilityView(facility, now)),
    };
  });

  app.put<{ Body: Static<typeof FacilityBody> }>('/v1/facilities', {
    schema: {
      tags: ['central banks'],
      summary: "Set a participant's standing facility: limit and rate (issuing central bank)",
      body: FacilityBody,
      response: routeResponses({ 200: Responses.facility }, [...ERRORS], 'write'),
    },
  }, async (request) => {
    const caller = callerOf(request);
    const body = request.body;
    const result = await network.setFacility(caller.participant.id, {
      participantId: body.participantId,
      currency: body.currency,
      limit: minorUnits(body.limit, body.currency, 'limit'),
      rateBps: body.rateBps,
    });
    if (result.code !== 'ok') throw fromResult(result);
    return facilityView(own(network, body.participantId, body.currency), network.now());
  });

  borrowerRoutes(app, network);
}

/** What the participant does: draw and repay. */
function borrowerRoutes(app: FastifyInstance, network: Network): void {
  app.post<{ Params: Static<typeof CurrencyParams>; Body: Static<typeof DrawBody> }>(
    '/v1/facilities/:currency/draw',
    {
      schema: {
        tags: ['central banks'],
        summary: 'Borrow on your standing facility (the money is lent into your account)',
        params: CurrencyParams,
        body: DrawBody,
        response: routeResponses({ 201: Responses.facility }, [...ERRORS], 'write'),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { currency } = request.params;
      const amount = positiveMinorUnits(request.body.amount, currency, 'amount');
      const result = await network.drawFacility(caller.participant.id, currency, amount);
      if (result.code !== 'ok') throw fromResult(result);
      return reply
        .code(201)
        .send(facilityView(own(network, caller.participant.id, currency), network.now()));
    },
  );

  app.post<{ Params: Static<typeof CurrencyParams> }>('/v1/facilities/:currency/repay', {
    schema: {
      tags: ['central banks'],
      summary: 'Repay every loan of your standing facility with its interest',
      params: CurrencyParams,
      response: routeResponses({ 200: Responses.facility }, [...ERRORS], 'write'),
    },
  }, async (request) => {
    const caller = callerOf(request);
    const { currency } = request.params;
    const result = await network.repayFacility(caller.participant.id, currency);
    if (result.code !== 'ok') throw fromResult(result);
    return facilityView(own(network, caller.participant.id, currency), network.now());
  });
}
