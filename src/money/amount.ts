// Exact decimal strings <-> bigint minor units. Money never passes through a float.
import { findCurrency } from './currency.js';

/** The largest amount Corridor represents: 2^63 − 1 minor units (a signed 64-bit column). */
export const AMOUNT_MAX = 2n ** 63n - 1n;

/** Longest amount text accepted before any parsing: bounds the work done on hostile input. */
const AMOUNT_TEXT_LENGTH_MAX = 64;

export type AmountErrorCode =
  | 'amount_empty'
  | 'amount_whitespace'
  | 'amount_sign_not_allowed'
  | 'amount_exponent_notation'
  | 'amount_malformed'
  | 'amount_too_many_decimals'
  | 'amount_too_large'
  | 'currency_unknown';

export interface AmountError {
  readonly ok: false;
  readonly code: AmountErrorCode;
  readonly message: string;
}

export type AmountResult = { readonly ok: true; readonly value: bigint } | AmountError;

export interface ParseOptions {
  /** Accept a leading '-' (for example, for an issuer balance). Default: false. */
  readonly allowNegative?: boolean;
}

const DIGITS = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

function fail(code: AmountErrorCode, message: string): AmountError {
  return { ok: false, code, message };
}

/**
 * Parses a decimal string into minor units for a given exponent.
 * Accepts only plain decimal notation: no whitespace, no '+', no exponent, no leading zeros
 * ("007"), no trailing dot ("1."), and no more decimals than the exponent allows.
 */
export function parseMinorUnits(
  text: string,
  exponent: number,
  options: ParseOptions = {},
): AmountResult {
  if (text.length === 0) return fail('amount_empty', 'The amount is empty.');
  if (text.length > AMOUNT_TEXT_LENGTH_MAX) {
    return fail('amount_too_large', `The amount is longer than ${AMOUNT_TEXT_LENGTH_MAX} characters.`);
  }
  if (/\s/u.test(text)) return fail('amount_whitespace', 'The amount contains whitespace.');
  if (/[eE]/.test(text)) {
    return fail('amount_exponent_notation', 'The amount uses exponent notation; write it out.');
  }
  let negative = false;
  let body = text;
  if (body.startsWith('+') || body.startsWith('-')) {
    if (body.startsWith('+') || options.allowNegative !== true) {
      return fail('amount_sign_not_allowed', 'The amount may not carry a sign.');
    }
    negative = true;
    body = body.slice(1);
  }
  const match = DIGITS.exec(body);
  if (match === null) {
    return fail('amount_malformed', `"${text}" is not a plain decimal amount.`);
  }
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) {
    return fail(
      'amount_too_many_decimals',
      `The amount has ${fraction.length} decimals; the currency allows ${exponent}.`,
    );
  }
  const magnitude = BigInt(whole + fraction.padEnd(exponent, '0'));
  if (magnitude > AMOUNT_MAX) {
    return fail('amount_too_large', 'The amount is beyond the supported maximum of 2^63-1 minor units.');
  }
  return { ok: true, value: negative ? -magnitude : magnitude };
}

/** Parses an amount in a named currency; an unknown currency is its own error. */
export function parseAmount(
  text: string,
  currencyCode: string,
  options: ParseOptions = {},
): AmountResult {
  const currency = findCurrency(currencyCode);
  if (currency === undefined) {
    return fail('currency_unknown', `"${currencyCode.slice(0, 16)}" is not a supported currency.`);
  }
  return parseMinorUnits(text, currency.exponent, options);
}

/** Formats minor units as an exact decimal string: 123456n with exponent 2 is "1234.56". */
export function formatMinorUnits(value: bigint, exponent: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  const sign = negative ? '-' : '';
  return exponent === 0 ? `${sign}${whole}` : `${sign}${whole}.${fraction}`;
}

/** Formats an amount in a named currency; an unknown currency is a programmer error. */
export function formatAmount(value: bigint, currencyCode: string): string {
  const currency = findCurrency(currencyCode);
  if (currency === undefined) throw new Error(`formatAmount: unknown currency ${currencyCode}`);
  return formatMinorUnits(value, currency.exponent);
}
