// Turning validated request fields into domain values: amounts into minor units (with the
// money module's own error codes), timestamps, cursors.
import type { FastifyRequest } from 'fastify';
import { parseAmount } from '../money/amount.js';
import { HttpError } from './errors.js';
import { CurrencyCode } from './schemas.js';

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

/** How deep the currency normaliser follows a schema (the batch body nests three levels). */
const CURRENCY_SCHEMA_DEPTH_MAX = 8;

interface SchemaNode {
  readonly pattern?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
}

/**
 * Currency codes are case-insensitive on input: wherever a route's schema expects an ISO 4217
 * code (CurrencyCode), a string in any case is upper-cased before validation, so "brl" is BRL
 * in bodies, query strings and paths alike. Changes the value in place.
 */
export function upperCaseCurrencies(
  value: unknown,
  schema: SchemaNode | undefined,
  depth = 0,
): unknown {
  if (schema === undefined || depth > CURRENCY_SCHEMA_DEPTH_MAX) return value;
  if (typeof value === 'string')
    return schema.pattern === CurrencyCode.pattern ? value.toUpperCase() : value;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++)
      value[index] = upperCaseCurrencies(value[index], schema.items, depth + 1);
    return value;
  }
  if (typeof value === 'object' && value !== null && schema.properties !== undefined) {
    const record = value as Record<string, unknown>;
    for (const [name, property] of Object.entries(schema.properties)) {
      if (record[name] !== undefined)
        record[name] = upperCaseCurrencies(record[name], property, depth + 1);
    }
  }
  return value;
}

/** A preValidation hook: upper-cases the currency codes of a request's body, query and path. */
export async function normaliseCurrencyCodes(request: FastifyRequest): Promise<void> {
  const schema = request.routeOptions.schema as
    | { body?: SchemaNode; querystring?: SchemaNode; params?: SchemaNode }
    | undefined;
  if (schema === undefined) return;
  upperCaseCurrencies(request.body, schema.body);
  upperCaseCurrencies(request.query, schema.querystring);
  upperCaseCurrencies(request.params, schema.params);
}
