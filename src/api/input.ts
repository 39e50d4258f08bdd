// Turning validated request fields into domain values: amounts into minor units (with the
// money module's own error codes), timestamps, cursors.
import { parseAmount } from '../money/amount.js';
import { HttpError } from './errors.js';

/** An amount in minor units; an unknown currency is blamed on `currencyField`, not the amount. */
export function minorUnits(
  text: string,
  currency: string,
  field: string,
  currencyField = 'currency',
): bigint {
  const parsed = parseAmount(text, currency);
  if (!parsed.ok) {
    const blamed = parsed.code === 'currency_unknown' ? currencyField : field;
    throw new HttpError(400, parsed.code, parsed.message, blamed);
  }
  return parsed.value;
}

export function positiveMinorUnits(
  text: string,
  currency: string,
  field: string,
  currencyField = 'currency',
): bigint {
  const value = minorUnits(text, currency, field, currencyField);
  if (value <= 0n)
    throw new HttpError(
      400,
      'amount_must_be_positive',
      'The amount must be greater than zero.',
      field,
    );
  return value;
}

export function timestamp(text: string | undefined, field: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Date.parse(text);
  if (Number.isNaN(value))
    throw new HttpError(400, 'invalid_field', 'The time is not an ISO 8601 date-time.', field);
  return value;
}

export function integerCursor(text: string | undefined): number {
  if (text === undefined) return 0;
  if (!/^[0-9]{1,15}$/.test(text))
    throw new HttpError(400, 'invalid_cursor', 'The cursor is not one this API gave.', 'cursor');
  return Number(text);
}

/** A payment-list cursor: the base-36 position the API gave (a garbage one is not "the end"). */
export function listCursor(text: string): string {
  if (!/^[1-9a-z][0-9a-z]{0,11}$/.test(text)) {
    throw new HttpError(400, 'invalid_cursor', 'The cursor is not one this API gave.', 'cursor');
  }
  return text;
}
