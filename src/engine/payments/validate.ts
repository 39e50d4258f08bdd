// Field checks of a payment request, before anything is looked up. Each refusal names the
// field at fault.
import { AMOUNT_MAX } from '../../money/amount.js';
import type { NetworkResult, PaymentRequest } from '../commands.js';
import { NETWORK_LIMITS } from '../model.js';
import { refuse } from '../state.js';
import { PAYMENT_ID_LENGTH_MAX } from './legs.js';
import type { IsoOrigin, Party } from './model.js';

export const PAYMENT_ID = /^[A-Za-z0-9._-]+$/;
export const UETR = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TEXT_35 = 35;
const NOT_BLANK = /\S/;

export function checkPaymentId(id: string, field: string): NetworkResult | undefined {
  if (id.length === 0 || id.length > PAYMENT_ID_LENGTH_MAX || !PAYMENT_ID.test(id)) {
    return refuse(
      'invalid_field',
      `The id must have 1 to ${PAYMENT_ID_LENGTH_MAX} letters, digits, ".", "_" or "-".`,
      field,
    );
  }
  return undefined;
}

function checkParty(party: Party, field: string): NetworkResult | undefined {
  // NOT_BLANK.test(name) is name.trim().length > 0 (\s is what trim() strips), without a copy.
  if (!NOT_BLANK.test(party.name) || party.name.length > NETWORK_LIMITS.nameLengthMax) {
    return refuse('invalid_field', 'A party name must have 1 to 140 characters.', `${field}.name`);
  }
  if (party.account !== undefined && (party.account.length === 0 || party.account.length > 34)) {
    return refuse('invalid_field', 'An account must have 1 to 34 characters.', `${field}.account`);
  }
  if (party.country !== undefined && !/^[A-Z]{2}$/.test(party.country)) {
    return refuse(
      'invalid_field',
      'The country must be an ISO 3166 alpha-2 code.',
      `${field}.country`,
    );
  }
  if (party.identifiers === undefined) return undefined;
  const identifiers = Object.entries(party.identifiers);
  if (identifiers.length > NETWORK_LIMITS.partyIdentifiersMax) {
    return refuse('invalid_field', 'A party has at most 8 identifiers.', `${field}.identifiers`);
  }
  for (const [type, value] of identifiers) {
    if (
      type.length === 0 ||
      type.length > TEXT_35 ||
      value.length === 0 ||
      value.length > TEXT_35
    ) {
      return refuse(
        'invalid_field',
        'An identifier type and value have 1 to 35 characters.',
        `${field}.identifiers`,
      );
    }
  }
  return undefined;
}

function checkTexts(request: PaymentRequest): NetworkResult | undefined {
  if (request.endToEndId.length === 0 || request.endToEndId.length > TEXT_35) {
    return refuse('invalid_field', 'The end-to-end id must have 1 to 35 characters.', 'endToEndId');
  }
  if (!UETR.test(request.uetr)) {
    return refuse('invalid_field', 'The UETR must be a lower-case UUID version 4.', 'uetr');
  }
  if (
    request.purpose !== undefined &&
    (request.purpose.length === 0 || request.purpose.length > TEXT_35)
  ) {
    return refuse('invalid_field', 'The purpose must have 1 to 35 characters.', 'purpose');
  }
  if (
    request.remittanceInformation !== undefined &&
    request.remittanceInformation.length > NETWORK_LIMITS.remittanceLengthMax
  ) {
    return refuse(
      'invalid_field',
      'Remittance information has at most 140 characters.',
      'remittanceInformation',
    );
  }
  return undefined;
}

/** ISO 20022 texts are Max35Text; ChrgsInf is unbounded in ISO, bounded here. */
export const ISO_CHARGES_MAX = 16;

export function checkIsoOrigin(iso: IsoOrigin): NetworkResult | undefined {
  const texts = [iso.messageId, iso.messageNameId, iso.instructionId, iso.transactionId];
  if (texts.some((text) => text !== undefined && (text.length === 0 || text.length > TEXT_35))) {
    return refuse('invalid_field', 'ISO 20022 references have 1 to 35 characters.', 'iso');
  }
  const charges = iso.charges ?? [];
  const chargeInvalid = (charge: NonNullable<IsoOrigin['charges']>[number]): boolean =>
    charge.amount < 0n ||
    charge.amount > AMOUNT_MAX ||
    !/^[A-Z]{3}$/.test(charge.currency) ||
    charge.agent.length === 0 ||
    charge.agent.length > NETWORK_LIMITS.nameLengthMax;
  if (charges.length > ISO_CHARGES_MAX || charges.some(chargeInvalid)) {
    return refuse(
      'invalid_field',
      `At most ${ISO_CHARGES_MAX} declared charges, each with an amount, a currency and an agent.`,
      'iso.charges',
    );
  }
  return undefined;
}

export function validatePaymentRequest(request: PaymentRequest): NetworkResult | undefined {
  const idProblem = checkPaymentId(request.id, 'id');
  if (idProblem !== undefined) return idProblem;
  if (request.mode !== 'instant' && request.mode !== 'two_phase') {
    return refuse('invalid_field', 'The mode is instant or two_phase.', 'mode');
  }
  const party = checkParty(request.debtor, 'debtor') ?? checkParty(request.creditor, 'creditor');
  if (party !== undefined) return party;
  const texts =
    checkTexts(request) ?? (request.iso === undefined ? undefined : checkIsoOrigin(request.iso));
  if (texts !== undefined) return texts;
  if (request.amount !== undefined && (request.amount <= 0n || request.amount > AMOUNT_MAX)) {
    return refuse(
      'invalid_field',
      'The amount must be positive and within the supported maximum.',
      'amount',
    );
  }
  if (
    request.quoteId === undefined &&
    (request.amount === undefined || request.currency === undefined)
  ) {
    return refuse(
      'quote_required',
      'A payment needs a quote, or an amount and currency when domestic.',
      'quoteId',
    );
  }
  return undefined;
}

/**
 * A stable text of the request's fields: equal text means "the same payment". Keys sorted: the
 * same fields in another order (a JSON body, a retry) are the same request. Bigints as "123n".
 *
 * The text is what JSON.stringify gives with a replacer that sorts each plain object's keys
 * (referenceFingerprint, below: the definition). This writes that same text directly, without
 * a sorted copy of every object and a replacer call for every key, for the values requests are
 * made of (plain objects whose keys do not start with a digit, arrays, strings, numbers,
 * booleans, null, bigints); anything else (a toJSON, another prototype, a key that may be an
 * array index, very deep nesting) takes the definition itself. Every payment is fingerprinted
 * once, when it is compacted (retention.ts).
 */
export function fingerprintRequest(request: unknown): string {
  if (typeof BIGINT_PROTOTYPE.toJSON !== 'function') {
    const text = fingerprintText(request, 0);
    if (typeof text === 'string') return text;
  }
  return referenceFingerprint(request);
}

const BIGINT_PROTOTYPE = BigInt.prototype as { toJSON?: unknown };
/** Deeper than this, the definition (which also reports a cycle as JSON.stringify does). */
const FINGERPRINT_DEPTH_MAX = 32;
/** A value JSON leaves out (undefined, a function, a symbol). */
const OMIT = 0;
/** A value only the definition may write. */
const OTHER = 1;

/** `text` as JSON writes it: quoted as is unless it holds what JSON.stringify escapes. */
function quoted(text: string): string {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    // A quote, a backslash, a control character or a surrogate (JSON escapes lone ones).
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) {
      return JSON.stringify(text);
    }
  }
  return `"${text}"`;
}

/** The text of `value`, or OMIT, or OTHER. */
function fingerprintText(value: unknown, depth: number): string | typeof OMIT | typeof OTHER {
  switch (typeof value) {
    case 'string':
      return quoted(value);
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'bigint':
      return `"${value}n"`;
    case 'undefined':
    case 'function':
    case 'symbol':
      return OMIT;
    default:
      break;
  }
  if (value === null) return 'null';
  if (depth >= FINGERPRINT_DEPTH_MAX) return OTHER;
  const object = value as Record<string, unknown>;
  if (typeof object['toJSON'] === 'function') return OTHER;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return OTHER;
    let text = '[';
    for (let index = 0; index < value.length; index++) {
      const item = fingerprintText(value[index], depth + 1);
      if (item === OTHER) return OTHER;
      text += (index > 0 ? ',' : '') + (item === OMIT ? 'null' : item);
    }
    return `${text}]`;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return OTHER;
  const keys = Object.keys(object);
  for (const key of keys) {
    const first = key.charCodeAt(0);
    if (first >= 48 && first <= 57) return OTHER;
  }
  keys.sort();
  let text = '{';
  for (const key of keys) {
    const item = fingerprintText(object[key], depth + 1);
    if (item === OTHER) return OTHER;
    if (item === OMIT) continue;
    text += `${text.length > 1 ? ',' : ''}${quoted(key)}:${item}`;
  }
  return `${text}}`;
}

/** The definition of fingerprintRequest's text (and what it falls back to). */
export function referenceFingerprint(request: unknown): string {
  return JSON.stringify(request, (_key, value: unknown) => {
    if (typeof value === 'bigint') return `${value}n`;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
        a < b ? -1 : a > b ? 1 : 0,
      ),
    );
  });
}
