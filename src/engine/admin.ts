// Administration: configuring the network, participants and their accounts, currency rules,
// intraday credit, issuance and redemption. Only the operator administers the network; only
// a currency's issuing central bank issues, redeems, sets rules or grants credit in it.
import { checkQueueSettings } from './liquidity/commands.js';
import { AMOUNT_MAX } from '../money/amount.js';
import { isCurrencyCode } from '../money/currency.js';
import { AccountFlags, transferSpec, type Command } from '../ledger/types.js';
import { paymentRetentionMs } from './payments/retention.js';
import type { NetworkCommand, NetworkResult } from './commands.js';
import {
  feeAccountId,
  issuanceAccountId,
  NETWORK_LIMITS,
  settlementAccountId,
  type Participant,
  type ParticipantSpec,
} from './model.js';
import { refuse, type BatchContext, type NetworkState } from './state.js';

type Of<T extends NetworkCommand['type']> = Extract<NetworkCommand, { type: T }>;

const PARTICIPANT_ID = /^[a-z0-9][a-z0-9._-]*$/;
const COUNTRY = /^[A-Z]{2}$/;
const BIC = /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/;
const LEI = /^[A-Z0-9]{18}[0-9]{2}$/;
/** The largest FX tolerance a participant may set: 10 %. */
export const FX_TOLERANCE_BPS_MAX = 1_000;

export function isOperator(state: NetworkState, actor: string): boolean {
  return actor === state.settings.operatorId;
}

export function configure(state: NetworkState, command: Of<'configure'>): NetworkResult {
  if (state.configured) return refuse('already_configured', 'The network is already configured.');
  if (command.actor !== command.settings.operatorId) {
    return refuse('not_authorized', 'Only the operator configures the network.');
  }
  // Absent from networks configured before they existed; set, they bound engine memory.
  for (const field of ['paymentRetentionMs', 'returnWindowMs'] as const) {
    const value = command.settings[field];
    if (value !== undefined && (!Number.isSafeInteger(value) || value <= 0)) {
      return refuse('invalid_field', `${field} must be a positive whole number of ms.`, field);
    }
  }
  const window = command.settings.returnWindowMs;
  if (window !== undefined && window < paymentRetentionMs(command.settings)) {
    return refuse(
      'invalid_field',
      'The return window must be at least as long as the full retention of finished payments.',
      'returnWindowMs',
    );
  }
  const seen = new Set<string>();
  for (const [index, currency] of command.currencies.entries()) {
    if (!isCurrencyCode(currency.code)) {
      return refuse(
        'currency_unknown',
        `Currency ${currency.code} is not known.`,
        `currencies[${index}].code`,
      );
    }
    if (seen.has(currency.code)) {
      return refuse(
        'invalid_field',
        `Currency ${currency.code} is declared twice.`,
        `currencies[${index}].code`,
      );
    }
    seen.add(currency.code);
  }
  // Checked only when present: networks configured before the queue existed have none.
  const queue = command.settings.queue;
  const invalidQueue = queue === undefined ? undefined : checkQueueSettings(queue);
  if (invalidQueue !== undefined) return invalidQueue;
  state.configured = true;
  state.settings = command.settings;
  for (const currency of command.currencies) state.currencies.set(currency.code, currency);
  return { code: 'ok' };
}

function checkSpec(state: NetworkState, spec: ParticipantSpec): NetworkResult | undefined {
  if (spec.id.length > NETWORK_LIMITS.participantIdLengthMax || !PARTICIPANT_ID.test(spec.id)) {
    return refuse(
      'invalid_field',
      'A participant id is 1 to 32 lower-case letters, digits, ".", "_" or "-".',
      'id',
    );
  }
  if (spec.name.length === 0 || spec.name.length > NETWORK_LIMITS.nameLengthMax) {
    return refuse('invalid_field', 'The name must have 1 to 140 characters.', 'name');
  }
  if (spec.kind !== 'operator' && !COUNTRY.test(spec.country)) {
    return refuse('invalid_field', 'The country must be an ISO 3166 alpha-2 code.', 'country');
  }
  if (spec.bic !== undefined && !BIC.test(spec.bic))
    return refuse('invalid_field', 'The BIC is not valid.', 'bic');
  if (spec.lei !== undefined && !LEI.test(spec.lei))
    return refuse('invalid_field', 'The LEI is not valid.', 'lei');
  if (
    spec.fxToleranceBps !== undefined &&
    (!Number.isInteger(spec.fxToleranceBps) ||
      spec.fxToleranceBps < 0 ||
      spec.fxToleranceBps > FX_TOLERANCE_BPS_MAX)
  ) {
    return refuse(
      'invalid_field',
      `The FX tolerance is 0 to ${FX_TOLERANCE_BPS_MAX} basis points.`,
      'fxToleranceBps',
    );
  }
  if (spec.currencies.length > NETWORK_LIMITS.currenciesPerParticipantMax) {
    return refuse('invalid_field', 'A participant holds at most 32 currencies.', 'currencies');
  }
  for (const [index, currency] of spec.currencies.entries()) {
    if (!state.currencies.has(currency)) {
      return refuse(
        'currency_not_in_network',
        `The network does not settle ${currency}.`,
        `currencies[${index}]`,
      );
    }
  }
  if (state.participants.size >= NETWORK_LIMITS.participantsMax) {
    return refuse('invalid_field', 'The network has reached its participant limit.', 'id');
  }
  return undefined;
}

function accountsFor(state: NetworkState, spec: ParticipantSpec): Command[] {
  const commands: Command[] = [];
  const open = (id: string, currency: string, flags: number): void => {
    commands.push({
      type: 'create_account',
      account: { id, owner: spec.id, currency, flags, creditLimit: 0n },
    });
  };
  const held = spec.kind === 'operator' ? [...state.currencies.keys()] : spec.currencies;
  for (const currency of held) {
    if (spec.kind === 'operator') {
      open(feeAccountId(spec.id, currency), currency, AccountFlags.none);
      continue;
    }
    open(settlementAccountId(spec.id, currency), currency, AccountFlags.none);
    if (spec.kind === 'fx_provider')
      open(feeAccountId(spec.id, currency), currency, AccountFlags.none);
  }
  if (spec.kind === 'central_bank') {
    for (const currency of state.currencies.values()) {
      if (currency.issuer === spec.id)
        open(issuanceAccountId(spec.id, currency.code), currency.code, AccountFlags.issuer);
    }
  }
  return commands;
}

export function addParticipant(
  state: NetworkState,
  command: Of<'add_participant'>,
  context: BatchContext,
): NetworkResult {
  if (!isOperator(state, command.actor))
    return refuse('not_authorized', 'Only the operator adds participants.');
  const spec = command.participant;
  const invalid = checkSpec(state, spec);
  if (invalid !== undefined) return invalid;
  const existing = state.participants.get(spec.id);
  if (existing !== undefined) {
    const same = JSON.stringify(specOf(existing)) === JSON.stringify(specOf(spec));
    return same
      ? { code: 'ok', replayed: true }
      : refuse('participant_exists', `Participant ${spec.id} exists.`, 'id');
  }
  const accounts = accountsFor(state, spec).map(
    (command, index, all) => ({ ...command, linked: index < all.length - 1 }) as Command,
  );
  const results = context.applyLedger(accounts);
  const failed = results.find((result) => result.code !== 'ok');
  if (failed !== undefined)
    return refuse('ledger_refused', `The ledger refused an account: ${failed.code}.`);
  const participant: Participant = { ...specOf(spec), status: 'active', createdAt: context.now };
  state.participants.set(spec.id, participant);
  context.changes.participants.set(spec.id, participant);
  return { code: 'ok' };
}

function specOf(spec: ParticipantSpec): ParticipantSpec {
  return {
    id: spec.id,
    name: spec.name,
    kind: spec.kind,
    country: spec.country,
    ...(spec.bic === undefined ? {} : { bic: spec.bic }),
    ...(spec.lei === undefined ? {} : { lei: spec.lei }),
    ...(spec.fxToleranceBps === undefined ? {} : { fxToleranceBps: spec.fxToleranceBps }),
    currencies: [...spec.currencies],
  };
}

export function setParticipantStatus(
  state: NetworkState,
  command: Of<'set_participant_status'>,
  context: BatchContext,
): NetworkResult {
  if (!isOperator(state, command.actor))
    return refuse('not_authorized', 'Only the operator suspends or reactivates participants.');
  const participant = state.participants.get(command.participantId);
  if (participant === undefined)
    return refuse(
      'participant_not_found',
      `No participant ${command.participantId}.`,
      'participantId',
    );
  if (participant.kind === 'operator')
    return refuse('invalid_field', 'The operator cannot be suspended.', 'participantId');
  participant.status = command.status;
  context.changes.participants.set(participant.id, participant);
  return { code: 'ok' };
}

/** The issuing central bank of `currency`, when `actor` is it; else a refusal. */
function issuerCheck(
  state: NetworkState,
  actor: string,
  currency: string,
): NetworkResult | undefined {
  const definition = state.currencies.get(currency);
  if (definition === undefined)
    return refuse(
      'currency_not_in_network',
      `The network does not settle ${currency}.`,
      'currency',
    );
  if (definition.issuer !== actor || !state.participants.has(actor)) {
    return refuse(
      'not_authorized',
      `Only ${definition.issuer}, the issuer of ${currency}, may do this.`,
    );
  }
  return undefined;
}

/** An issuer acting on a participant's account in its currency: both must exist. */
function issuerToParticipantCheck(
  state: NetworkState,
  command: { actor: string; currency: string; participantId: string },
): NetworkResult | undefined {
  const refused = issuerCheck(state, command.actor, command.currency);
  if (refused !== undefined) return refused;
  if (state.participants.has(command.participantId)) return undefined;
  return refuse('participant_not_found', `No participant ${command.participantId}.`,
    'participantId');
}

export function setCurrencyRules(
  state: NetworkState,
  command: Of<'set_currency_rules'>,
): NetworkResult {
  const refused = issuerCheck(state, command.actor, command.currency);
  if (refused !== undefined) return refused;
  const { rules } = command;
  for (const field of ['paymentAmountMax', 'dailyOutflowMax', 'schemeFee'] as const) {
    if (rules[field] < 0n || rules[field] > AMOUNT_MAX)
      return refuse('invalid_field', `${field} is out of range.`, field);
  }
  const definition = state.currencies.get(command.currency);
  if (definition !== undefined) state.currencies.set(command.currency, { ...definition, rules });
  return { code: 'ok' };
}

export function grantCredit(
  state: NetworkState,
  command: Of<'grant_credit'>,
  context: BatchContext,
): NetworkResult {
  const refused = issuerToParticipantCheck(state, command);
  if (refused !== undefined) return refused;
  const [result] = context.applyLedger([
    {
      type: 'set_credit_limit',
      accountId: settlementAccountId(command.participantId, command.currency),
      creditLimit: command.limit,
    },
  ]);
  if (result?.code === 'account_not_found')
    return refuse('account_not_found', 'The participant holds no account in that currency.');
  if (result?.code === 'credit_limit_below_usage')
    return refuse(
      'credit_limit_below_usage',
      'The participant already uses more credit than that.',
    );
  if (result?.code !== 'ok')
    return refuse('invalid_field', `The credit limit was refused: ${result?.code}.`, 'limit');
  return { code: 'ok' };
}

export function issueOrRedeem(
  state: NetworkState,
  command: Of<'issue' | 'redeem'>,
  context: BatchContext,
): NetworkResult {
  const refused = issuerToParticipantCheck(state, command);
  if (refused !== undefined) return refused;
  const issuance = issuanceAccountId(command.actor, command.currency);
  const holder = settlementAccountId(command.participantId, command.currency);
  const issuing = command.type === 'issue';
  const [result] = context.applyLedger([
    {
      type: 'create_transfer',
      transfer: transferSpec({
        id: `${command.type}:${command.id}`,
        debitAccountId: issuing ? issuance : holder,
        creditAccountId: issuing ? holder : issuance,
        amount: command.amount,
        currency: command.currency,
        reference: command.id,
      }),
    },
  ]);
  return ledgerAnswer(result?.code ?? 'ok', result?.replayed === true);
}

export function ledgerAnswer(code: string, replayed: boolean): NetworkResult {
  if (code === 'ok') return replayed ? { code: 'ok', replayed } : { code: 'ok' };
  if (code === 'insufficient_funds')
    return refuse('insufficient_funds', 'The account has insufficient funds.');
  if (code === 'credit_account_not_found' || code === 'debit_account_not_found') {
    return refuse('account_not_found', 'The participant holds no account in that currency.');
  }
  if (code === 'exists_with_different_fields')
    return refuse('exists_with_different_fields', 'This id was used with different fields.', 'id');
  if (code === 'amount_must_be_positive' || code === 'amount_too_large') {
    return refuse(
      'invalid_field',
      'The amount must be positive and within the supported maximum.',
      'amount',
    );
  }
  if (code === 'id_too_long' || code === 'id_must_not_be_empty')
    return refuse('invalid_field', 'The id is empty or too long.', 'id');
  return refuse('ledger_refused', `The ledger refused the transfer: ${code}.`);
}
