// Central-bank and operator actions: issuance, redemption, intraday credit, currency rules,
// and API keys (created, rotated and revoked; the secret is shown once).
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Network } from '../../service/service.js';
import { issueKey } from '../../service/api-keys.js';
import { callerOf, isOperator } from '../context.js';
import { Responses } from '../contract.js';
import { forbidden, fromResult, notFound, routeResponses } from '../errors.js';
import { minorUnits, positiveMinorUnits } from '../input.js';
import {
  CreditBody,
  CurrencyParams,
  IdParams,
  IssuanceBody,
  KeyBody,
  RulesBody,
} from '../schemas.js';
import { keyView, money } from '../views.js';
import { facilityRoutes } from './facilities.js';
import { swapLineRoutes } from './swap-lines.js';

function mintRoutes(app: FastifyInstance, network: Network): void {
  for (const [path, kind] of [
    ['/v1/issuances', 'issue'],
    ['/v1/redemptions', 'redeem'],
  ] as const) {
    app.post<{ Body: Static<typeof IssuanceBody> }>(
      path,
      {
        schema: {
          tags: ['central banks'],
          summary: `${kind} settlement money (issuing central bank)`,
          body: IssuanceBody,
          response: routeResponses({ 201: Responses.issuance }, [
            'not_authorized', 'actor_suspended', 'participant_not_found', 'account_not_found',
            'currency_unknown', 'currency_not_in_network', 'insufficient_funds',
            'exists_with_different_fields', 'invalid_field', 'ledger_refused', 'amount_malformed', 'amount_too_many_decimals', 'amount_too_large', 'amount_must_be_positive',
          ], 'write'),
        },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        const body = request.body;
        const fields = {
          participantId: body.participantId,
          currency: body.currency,
          amount: positiveMinorUnits(body.amount, body.currency, 'amount'),
          ...(body.id === undefined ? {} : { id: body.id }),
        };
        const result =
          kind === 'issue'
            ? await network.issue(caller.participant.id, fields)
            : await network.redeem(caller.participant.id, fields);
        if (result.code !== 'ok') throw fromResult(result);
        return reply
          .code(201)
          .send({
            kind,
            participantId: body.participantId,
            ...money(fields.amount, body.currency),
            supply: money(network.supply(body.currency) ?? 0n, body.currency).amount,
          });
      },
    );
  }

}

function creditAndRuleRoutes(app: FastifyInstance, network: Network): void {
  app.post<{ Body: Static<typeof CreditBody> }>(
    '/v1/credit-limits',
    {
      schema: {
        tags: ['central banks'],
        summary: 'Grant intraday credit (issuing central bank)',
        body: CreditBody,
        response: routeResponses({ 200: Responses.credit }, [
          'not_authorized', 'actor_suspended', 'participant_not_found', 'account_not_found',
          'currency_unknown', 'currency_not_in_network', 'credit_limit_below_usage',
          'invalid_field', 'amount_malformed', 'amount_too_many_decimals', 'amount_too_large',
        ], 'write'),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const body = request.body;
      const result = await network.grantCredit(
        caller.participant.id,
        body.participantId,
        body.currency,
        minorUnits(body.limit, body.currency, 'limit'),
      );
      if (result.code !== 'ok') throw fromResult(result);
      return { participantId: body.participantId, currency: body.currency, limit: body.limit };
    },
  );

  app.put<{ Params: Static<typeof CurrencyParams>; Body: Static<typeof RulesBody> }>(
    '/v1/currencies/:currency/rules',
    {
      schema: {
        tags: ['central banks'],
        summary: "Set a currency's payment rules (issuing central bank)",
        params: CurrencyParams,
        body: RulesBody,
        response: routeResponses({ 200: Responses.rules }, [
          'not_authorized', 'actor_suspended', 'currency_unknown', 'currency_not_in_network',
          'invalid_field', 'amount_malformed', 'amount_too_many_decimals', 'amount_too_large',
        ], 'write'),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { currency } = request.params;
      const body = request.body;
      const result = await network.setCurrencyRules(caller.participant.id, currency, {
        paymentAmountMax: minorUnits(body.paymentAmountMax, currency, 'paymentAmountMax'),
        dailyOutflowMax: minorUnits(body.dailyOutflowMax, currency, 'dailyOutflowMax'),
        schemeFee: minorUnits(body.schemeFee, currency, 'schemeFee'),
      });
      if (result.code !== 'ok') throw fromResult(result);
      return { currency, ...body };
    },
  );
}

function issuanceRoutes(app: FastifyInstance, network: Network): void {
  mintRoutes(app, network);
  creditAndRuleRoutes(app, network);
}

function keyRoutes(app: FastifyInstance, network: Network): void {
  app.get(
    '/v1/keys',
    {
      schema: {
        tags: ['keys'],
        summary: 'Your API keys (the operator sees all)',
        response: routeResponses({ 200: Responses.keys }, []),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const keys = [...network.engine.state.apiKeys.values()].filter(
        (key) => isOperator(caller) || key.participantId === caller.participant.id,
      );
      return { keys: keys.map(keyView) };
    },
  );

  app.post<{ Body: Static<typeof KeyBody> }>(
    '/v1/keys',
    {
      schema: {
        tags: ['keys'],
        summary: 'Create a key: for yourself (rotation), or for anyone (operator)',
        body: KeyBody,
        response: routeResponses({ 201: Responses.createdKey }, [
          'not_authorized', 'actor_suspended', 'participant_not_found', 'invalid_field',
          'exists_with_different_fields',
        ], 'write'),
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const participantId = request.body.participantId ?? caller.participant.id;
      if (participantId !== caller.participant.id && !isOperator(caller)) {
        throw forbidden('Only the operator creates keys for other participants.');
      }
      const issued = issueKey();
      const result = await network.run({
        type: 'create_api_key',
        actor: caller.participant.id,
        keyId: issued.keyId,
        participantId,
        hash: issued.hash,
        label: request.body.label ?? '',
      });
      if (result.code !== 'ok') throw fromResult(result);
      return reply
        .code(201)
        .send({
          keyId: issued.keyId,
          participantId,
          key: issued.key,
          notice: 'This is the only time the key is shown. Store it safely.',
        });
    },
  );

  revokeKeyRoute(app, network);
}

function revokeKeyRoute(app: FastifyInstance, network: Network): void {
  app.delete<{ Params: Static<typeof IdParams> }>(
    '/v1/keys/:id',
    {
      schema: {
        tags: ['keys'],
        summary: 'Revoke a key',
        params: IdParams,
        response: routeResponses({ 200: Responses.key }, ['not_found', 'not_authorized'], 'write'),
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const result = await network.run({
        type: 'revoke_api_key',
        actor: caller.participant.id,
        keyId: request.params.id,
      });
      if (result.code === 'not_found') throw notFound('The key', 'id');
      if (result.code !== 'ok') throw fromResult(result);
      const key = network.engine.state.apiKeys.get(request.params.id);
      return key === undefined ? {} : keyView(key);
    },
  );
}

export function adminRoutes(app: FastifyInstance, network: Network): void {
  issuanceRoutes(app, network);
  facilityRoutes(app, network);
  swapLineRoutes(app, network);
  keyRoutes(app, network);
}
