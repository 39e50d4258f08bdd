// Who is calling, and what they may see. The rules themselves (a bank sees its own; a central
// bank sees its currency; the operator everything) are the domain's (src/engine/payments/
// visibility.ts); this module puts the caller of a request into them.
import type { FastifyRequest } from 'fastify';
// Brings in the OpenAPI fields (tags, summary…) of route schemas.
import type {} from '@fastify/swagger';
import type { Participant } from '../service/domain.js';
import type { Network } from '../service/service.js';
import type { Payment } from '../service/domain.js';
import {
  canSeeAccount as canSeeAccountOf, canSeePayment as canSee, issuedCurrencies, viewerOf,
  type Viewer,
} from '../service/domain.js';
import { HttpError } from './errors.js';

export interface Caller {
  readonly participant: Participant;
  readonly keyId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

export function callerOf(request: FastifyRequest): Caller {
  if (request.caller === undefined)
    throw new HttpError(401, 'unauthenticated', 'An API key is required.');
  return request.caller;
}

export function isOperator(caller: Caller): boolean {
  return caller.participant.kind === 'operator';
}

/** The currencies a central bank issues on this network. */
export function issuedBy(network: Network, participantId: string): string[] {
  return issuedCurrencies(network.currencies(), participantId);
}

/** The caller as the visibility rules see it (src/engine/payments/visibility.ts). */
export function viewerOfCaller(network: Network, caller: Caller): Viewer {
  return viewerOf(caller.participant, network.currencies());
}

export function canSeePayment(network: Network, caller: Caller, payment: Payment): boolean {
  return canSee(viewerOfCaller(network, caller), payment);
}

export function canSeeAccount(
  network: Network,
  caller: Caller,
  participantId: string,
  currency: string,
): boolean {
  return canSeeAccountOf(viewerOfCaller(network, caller), participantId, currency);
}

export function requireOperator(caller: Caller): void {
  if (!isOperator(caller))
    throw new HttpError(403, 'not_authorized', 'Only the operator may do this.');
}

export function requireActive(caller: Caller): void {
  if (caller.participant.status !== 'active') {
    throw new HttpError(403, 'actor_suspended', 'The participant is suspended.');
  }
}
