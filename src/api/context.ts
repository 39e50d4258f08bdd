// Who is calling, and what they may see. Every route asks these questions in one place, so the
// rules (a bank sees its own; a central bank sees its currency; the operator administers) are
// written once.
import type { FastifyRequest } from 'fastify';
// Brings in the OpenAPI fields (tags, summary…) of route schemas.
import type {} from '@fastify/swagger';
import type { Participant } from '../network/model.js';
import type { Network } from '../network/service.js';
import type { Payment } from '../payments/model.js';
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
  const issued: string[] = [];
  for (const currency of network.engine.state.currencies.values()) {
    if (currency.issuer === participantId) issued.push(currency.code);
  }
  return issued;
}

export function canSeePayment(network: Network, caller: Caller, payment: Payment): boolean {
  const id = caller.participant.id;
  if (isOperator(caller)) return true;
  if (payment.debtorAgent === id || payment.creditorAgent === id || payment.fxProvider === id)
    return true;
  if (caller.participant.kind !== 'central_bank') return false;
  const issued = issuedBy(network, id);
  return issued.includes(payment.sourceCurrency) || issued.includes(payment.targetCurrency);
}

export function canSeeAccount(
  network: Network,
  caller: Caller,
  participantId: string,
  currency: string,
): boolean {
  if (isOperator(caller) || caller.participant.id === participantId) return true;
  return (
    caller.participant.kind === 'central_bank' &&
    issuedBy(network, caller.participant.id).includes(currency)
  );
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
