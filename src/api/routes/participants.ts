// Participants, their accounts and balances, statements, and supply per currency.
import type { FastifyInstance } from 'fastify';
import { LIMITS } from '../../ledger/types.js';
import { issuanceAccountId, settlementAccountId } from '../../service/domain.js';
import type { Network } from '../../service/service.js';
import { canSeeAccount, callerOf, requireOperator } from '../context.js';
import { Responses } from '../contract.js';
import { forbidden, fromResult, notFound, routeResponses } from '../errors.js';
import { integerCursor } from '../input.js';
import { AccountParams, CurrencyParams, IdParams, PageQuery, ParticipantBody } from '../schemas.js';
import { balanceView, money, participantView, transferView } from '../views.js';
import type { Static } from '@sinclair/typebox';

function directoryRoutes(app: FastifyInstance, network: Network): void {
  app.get(
    '/v1/participants',
    {
      schema: {
        tags: ['participants'],
        summary: 'The network directory',
        response: routeResponses({ 200: Responses.participants }, []),
      },
    },
    async () => ({
      participants: network
        .participants()
        .filter((p) => p.kind !== 'operator')
        .map(participantView),
    }),
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/v1/participants/:id',
    {
      schema: {
        tags: ['participants'],
        summary: 'A participant',
        params: IdParams,
        response: routeResponses({ 200: Responses.participant }, ['not_found']),
      },
    },
    async (request) => {
      const participant = network.participant(request.params.id);
      if (participant === undefined) throw notFound('The participant', 'id');
      return participantView(participant);
    },
  );

  app.post<{ Body: Static<typeof ParticipantBody> }>(
    '/v1/participants',
    {
      schema: {
        tags: ['participants'],
        summary: 'Add a participant (operator)',
        body: ParticipantBody,
        response: routeResponses({ 201: Responses.participant }, [
          'not_authorized', 'actor_suspended', 'participant_exists', 'invalid_field',
          'currency_unknown', 'currency_not_in_network',
        ], 'write'),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      requireOperator(caller);
      const result = await network.addParticipant(caller.participant.id, request.body);
      if (result.code !== 'ok') throw fromResult(result);
      const participant = network.participant(request.body.id);
      return reply.code(201).send(participant === undefined ? {} : participantView(participant));
    },
  );

}

function statusRoutes(app: FastifyInstance, network: Network): void {
  for (const [action, status] of [
    ['suspend', 'suspended'],
    ['reactivate', 'active'],
  ] as const) {
    app.post<{ Params: Static<typeof IdParams> }>(
      `/v1/participants/:id/${action}`,
      {
        schema: {
          tags: ['participants'],
          summary: `${action} a participant (operator)`,
          params: IdParams,
          response: routeResponses({ 200: Responses.participant }, [
            'not_authorized', 'participant_not_found', 'invalid_field',
          ], 'write'),
        },
      },
      async (request) => {
        const caller = callerOf(request);
        requireOperator(caller);
        const result = await network.setParticipantStatus(
          caller.participant.id,
          request.params.id,
          status,
        );
        if (result.code !== 'ok') throw fromResult(result);
        return participantView(network.participant(request.params.id) ?? caller.participant);
      },
    );
  }

}

function accountRoutes(app: FastifyInstance, network: Network): void {
  app.get<{ Params: Static<typeof IdParams> }>(
    '/v1/participants/:id/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Balances of a participant',
        params: IdParams,
        response: routeResponses({ 200: Responses.accounts }, ['not_found', 'not_authorized']),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const participant = network.participant(request.params.id);
      if (participant === undefined) throw notFound('The participant', 'id');
      const currencies =
        participant.kind === 'central_bank'
          ? [...network.engine.state.currencies.values()]
              .filter((c) => c.issuer === participant.id)
              .map((c) => c.code)
          : participant.currencies;
      const visible = currencies.filter((currency) =>
        canSeeAccount(network, caller, participant.id, currency),
      );
      if (visible.length === 0 && currencies.length > 0)
        throw forbidden('You may not see these accounts.');
      const accounts = visible.flatMap((currency) => {
        const balance = network.balance(participant.id, currency);
        return balance === undefined ? [] : [balanceView(participant.id, balance)];
      });
      return { participantId: participant.id, accounts };
    },
  );

}

function statementRoutes(app: FastifyInstance, network: Network): void {
  app.get<{ Params: Static<typeof AccountParams>; Querystring: Static<typeof PageQuery> }>(
    '/v1/participants/:id/accounts/:currency/statement',
    {
      schema: {
        tags: ['accounts'],
        summary: "Statement: the account's transfers, oldest first",
        params: AccountParams,
        querystring: PageQuery,
        response: routeResponses({ 200: Responses.statement }, [
          'not_found', 'not_authorized', 'invalid_cursor',
        ]),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { id, currency } = request.params;
      if (network.participant(id) === undefined) throw notFound('The participant', 'id');
      if (!canSeeAccount(network, caller, id, currency))
        throw forbidden('You may not see this account.');
      const issuer = network.engine.state.currencies.get(currency)?.issuer === id;
      const accountId = issuer
        ? issuanceAccountId(id, currency)
        : settlementAccountId(id, currency);
      const balance = network.engine.ledger.balance(accountId);
      if (balance === undefined) throw notFound('The account', 'currency');
      const page = await network.store.history(accountId, {
        after: integerCursor(request.query.cursor),
        limit: request.query.limit ?? 100,
      });
      return {
        accountId,
        currency,
        balance: balanceView(id, balance),
        transfers: page.transfers.map((transfer) => ({
          ...transferView(transfer),
          direction: transfer.debitAccountId === accountId ? 'debit' : 'credit',
        })),
        next: page.next === undefined ? null : String(page.next),
        pageMax: LIMITS.historyPageMax,
      };
    },
  );

}

function currencyRoutes(app: FastifyInstance, network: Network): void {
  app.get(
    '/v1/currencies',
    {
      schema: {
        tags: ['currencies'],
        summary: 'Currencies, issuers, rules and supply',
        response: routeResponses({ 200: Responses.currencies }, []),
      },
    },
    async () => ({
      currencies: [...network.engine.state.currencies.values()].map((currency) => ({
        code: currency.code,
        issuer: currency.issuer,
        paymentAmountMax: money(currency.rules.paymentAmountMax, currency.code).amount,
        dailyOutflowMax: money(currency.rules.dailyOutflowMax, currency.code).amount,
        schemeFee: money(currency.rules.schemeFee, currency.code).amount,
        supply: money(network.supply(currency.code) ?? 0n, currency.code).amount,
      })),
    }),
  );

  app.get<{ Params: Static<typeof CurrencyParams> }>(
    '/v1/currencies/:currency/supply',
    {
      schema: {
        tags: ['currencies'],
        summary: 'Supply in circulation',
        params: CurrencyParams,
        response: routeResponses({ 200: Responses.supply }, ['not_found']),
      },
    },
    async (request) => {
      const supply = network.supply(request.params.currency);
      if (supply === undefined) throw notFound('The currency', 'currency');
      return money(supply, request.params.currency);
    },
  );
}

export function participantRoutes(app: FastifyInstance, network: Network): void {
  directoryRoutes(app, network);
  statusRoutes(app, network);
  accountRoutes(app, network);
  statementRoutes(app, network);
  currencyRoutes(app, network);
}
