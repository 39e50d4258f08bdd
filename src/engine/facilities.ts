// Central-bank lending: a standing facility per participant and currency, and what becomes of
// intraday credit left unrepaid at day end. The issuing central bank sets a participant's
// facility (its limit, standing for the collateral pledged, and its rate); the participant
// draws on it when it needs liquidity, as money lent into its settlement account, and repays
// the loans with interest. At the first batch of a new UTC day (engine time, so replay gives
// the same result), intraday credit still used (a negative balance under grant_credit) is
// converted into an overnight facility loan, as far as the facility's limit allows; what is
// beyond it stays flagged as overdue. Only participants with a facility are concerned, so a
// journal from before facilities replays as it was.
import { transferSpec } from '../ledger/types.js';
import { AMOUNT_MAX } from '../money/amount.js';
import type { NetworkCommand, NetworkResult } from './commands.js';
import { issuanceAccountId, settlementAccountId } from './model.js';
import { dayOf, refuse, type BatchContext, type NetworkState } from './state.js';

type Of<T extends NetworkCommand['type']> = Extract<NetworkCommand, { type: T }>;

const DAY_MS = 86_400_000;
/** Interest is simple, on an actual/360 basis, as central banks' overnight rates are quoted. */
const DAYS_PER_YEAR = 360n;

export interface FacilityLoan {
  /** The ledger transfer that lent it. */
  readonly id: string;
  readonly principal: bigint;
  readonly drawnAt: number;
  /** draw: asked for; day_end: intraday credit converted at day end. */
  readonly origin: 'draw' | 'day_end';
}

export interface Facility {
  readonly participantId: string;
  readonly currency: string;
  /** The most that may be outstanding: the collateral's lending value. */
  limit: bigint;
  /** Yearly rate in basis points, simple interest, actual/360. */
  rateBps: number;
  readonly loans: FacilityLoan[];
  /** Loans lent so far, for transfer ids. */
  sequence: number;
  /** The UTC day the facility was last rolled (see rollFacilities). */
  day: number;
  /** Intraday credit found in use at a day end beyond what the facility could lend. */
  overdue: bigint;
  /** Interest paid so far. */
  interestPaid: bigint;
}

export function facilityKey(participantId: string, currency: string): string {
  return `${participantId}|${currency}`;
}

/**
 * The facilities of a state, by facilityKey: part of the engine's state (plain data), so that
 * snapshots (src/service/snapshot-codec.ts) carry them like every other field.
 */
export function facilities(state: NetworkState): Map<string, Facility> {
  return state.facilities;
}

export function outstanding(facility: Facility): bigint {
  let total = 0n;
  for (const loan of facility.loans) total += loan.principal;
  return total;
}

/** Interest on a loan at `now`: whole days, at least one, rounded up in the lender's favour. */
export function interestOn(loan: FacilityLoan, rateBps: number, now: number): bigint {
  const days = BigInt(Math.max(1, Math.ceil((now - loan.drawnAt) / DAY_MS)));
  const numerator = loan.principal * BigInt(rateBps) * days;
  const denominator = 10_000n * DAYS_PER_YEAR;
  return (numerator + denominator - 1n) / denominator;
}

export function interestDue(facility: Facility, now: number): bigint {
  let total = 0n;
  for (const loan of facility.loans) total += interestOn(loan, facility.rateBps, now);
  return total;
}

function issuerOf(state: NetworkState, currency: string): string | undefined {
  return state.currencies.get(currency)?.issuer;
}

export function setFacility(
  state: NetworkState,
  command: Of<'set_facility'>,
  context: BatchContext,
): NetworkResult {
  const issuer = issuerOf(state, command.currency);
  if (issuer === undefined) {
    return refuse('currency_not_in_network', `The network does not settle ${command.currency}.`,
      'currency');
  }
  if (command.actor !== issuer) {
    return refuse('not_authorized', 'Only the issuing central bank sets a standing facility.');
  }
  const participant = state.participants.get(command.participantId);
  if (participant === undefined || participant.kind === 'operator' ||
    participant.kind === 'central_bank') {
    return refuse('participant_not_found', `No bank or FX provider ${command.participantId}.`,
      'participantId');
  }
  if (!participant.currencies.includes(command.currency)) {
    return refuse('account_not_found', 'The participant holds no account in that currency.',
      'currency');
  }
  if (command.limit < 0n || command.limit > AMOUNT_MAX) {
    return refuse('invalid_field', 'The limit is out of range.', 'limit');
  }
  if (!Number.isInteger(command.rateBps) || command.rateBps < 0 || command.rateBps > 10_000) {
    return refuse('invalid_field', 'The rate is 0 to 10,000 basis points a year.', 'rateBps');
  }
  const key = facilityKey(command.participantId, command.currency);
  const existing = facilities(state).get(key);
  if (existing !== undefined && outstanding(existing) > command.limit) {
    return refuse('credit_limit_below_usage', 'More than that is already lent on the facility.',
      'limit');
  }
  if (existing !== undefined) {
    existing.limit = command.limit;
    existing.rateBps = command.rateBps;
  } else {
    facilities(state).set(key, {
      participantId: command.participantId, currency: command.currency, limit: command.limit,
      rateBps: command.rateBps, loans: [], sequence: 0, day: dayOf(context.now), overdue: 0n,
      interestPaid: 0n,
    });
  }
  return { code: 'ok' };
}

function lend(
  state: NetworkState,
  facility: Facility,
  amount: bigint,
  origin: FacilityLoan['origin'],
  context: BatchContext,
): NetworkResult {
  const issuer = issuerOf(state, facility.currency) ?? '';
  const id = `facility:${facility.participantId}:${facility.currency}:${facility.sequence + 1}`;
  const [result] = context.applyLedger([{
    type: 'create_transfer',
    transfer: transferSpec({
      id,
      debitAccountId: issuanceAccountId(issuer, facility.currency),
      creditAccountId: settlementAccountId(facility.participantId, facility.currency),
      amount,
      currency: facility.currency,
      reference: id,
    }),
  }]);
  if (result?.code !== 'ok') {
    return refuse('ledger_refused', `The loan was refused: ${result?.code ?? 'unknown'}.`);
  }
  facility.sequence += 1;
  facility.loans.push({ id, principal: amount, drawnAt: context.now, origin });
  return { code: 'ok' };
}

export function drawFacility(
  state: NetworkState,
  command: Of<'draw_facility'>,
  context: BatchContext,
): NetworkResult {
  const facility = facilities(state).get(facilityKey(command.actor, command.currency));
  if (facility === undefined) {
    return refuse('not_found', `You have no standing facility in ${command.currency}.`,
      'currency');
  }
  if (state.participants.get(command.actor)?.status !== 'active') {
    return refuse('actor_suspended', 'The participant is suspended.');
  }
  if (command.amount <= 0n || command.amount > AMOUNT_MAX) {
    return refuse('invalid_field', 'The amount must be positive and within range.', 'amount');
  }
  const room = facility.limit - outstanding(facility);
  if (command.amount > room) {
    return refuse('facility_limit_exceeded',
      `The facility can lend ${room} more minor units, not ${command.amount}.`, 'amount');
  }
  return lend(state, facility, command.amount, 'draw', context);
}

/** Repays every loan of the facility with its interest, or nothing if the account is short. */
export function repayFacility(
  state: NetworkState,
  command: Of<'repay_facility'>,
  context: BatchContext,
): NetworkResult {
  const facility = facilities(state).get(facilityKey(command.actor, command.currency));
  if (facility === undefined || facility.loans.length === 0) {
    return refuse('not_found', `Nothing is lent to you in ${command.currency}.`, 'currency');
  }
  const issuer = issuerOf(state, facility.currency) ?? '';
  const principal = outstanding(facility);
  const interest = interestDue(facility, context.now);
  const id = `facility:${facility.participantId}:${facility.currency}:repay:${facility.sequence}`;
  // Principal back to issuance (the money lent ceases to exist); interest too: the central
  // bank's income is money withdrawn from circulation, as with any payment to it.
  const [result] = context.applyLedger([{
    type: 'create_transfer',
    transfer: transferSpec({
      id,
      debitAccountId: settlementAccountId(facility.participantId, facility.currency),
      creditAccountId: issuanceAccountId(issuer, facility.currency),
      amount: principal + interest,
      currency: facility.currency,
      reference: id,
    }),
  }]);
  if (result?.code === 'insufficient_funds') {
    return refuse('insufficient_funds',
      `Repaying takes ${principal + interest} minor units (interest ${interest}).`);
  }
  if (result?.code !== 'ok') {
    return refuse('ledger_refused', `The repayment was refused: ${result?.code ?? 'unknown'}.`);
  }
  facility.loans.length = 0;
  facility.interestPaid += interest;
  // A new sequence number, so the next repayment's transfer id differs.
  facility.sequence += 1;
  return { code: 'ok' };
}

/**
 * At the first batch of each new UTC day: every facility's participant still using intraday
 * credit (its settlement balance below zero) gets that much lent on its facility, as far as
 * the limit allows, so the intraday credit is repaid and becomes an overnight loan with
 * interest; what the limit does not cover is flagged as overdue (it stays on the account).
 */
export function rollFacilities(state: NetworkState, context: BatchContext): void {
  const map = state.facilities;
  if (map.size === 0) return;
  const today = dayOf(context.now);
  for (const facility of map.values()) {
    if (facility.day >= today) continue;
    facility.day = today;
    const balance = state.ledger.balance(
      settlementAccountId(facility.participantId, facility.currency),
    );
    if (balance === undefined || balance.posted >= 0n) {
      facility.overdue = 0n;
      continue;
    }
    const used = -balance.posted;
    const lent = used < facility.limit - outstanding(facility)
      ? used
      : facility.limit - outstanding(facility);
    if (lent > 0n) lend(state, facility, lent, 'day_end', context);
    facility.overdue = used - (lent > 0n ? lent : 0n);
  }
}
