// The reading side of the message mappers: issue collection and the primitive readers every
// component reader uses. Missing or malformed fields become issues, never exceptions.
import { findCurrency, parseMinorUnits } from '../money/index.js';
import { ISSUES_PER_MESSAGE_MAX } from './limits.js';
import type {
  CodeChoice,
  CurrencyAmount,
  CurrencyLookup,
  DateOrDateTime,
  FieldIssue,
  FieldIssueCode,
} from './model.js';
import {
  attributeValue,
  childElement,
  childElements,
  textOf,
  type XmlElement,
} from './xml-element.js';

export interface ParseContext {
  readonly issues: FieldIssue[];
  readonly currencies: CurrencyLookup;
}

export const DEFAULT_CURRENCY_LOOKUP: CurrencyLookup = (code) => findCurrency(code);

export function createParseContext(
  currencies: CurrencyLookup = DEFAULT_CURRENCY_LOOKUP,
): ParseContext {
  return { issues: [], currencies };
}

/** A context for one transaction: its issues decide whether that transaction alone is invalid. */
export function childContext(context: ParseContext): ParseContext {
  return { issues: [], currencies: context.currencies };
}

export function report(
  context: ParseContext,
  code: FieldIssueCode,
  path: string,
  message: string,
): void {
  if (context.issues.length < ISSUES_PER_MESSAGE_MAX) context.issues.push({ code, path, message });
}

export function joinPath(path: string, name: string, position?: number): string {
  const step = position === undefined ? name : `${name}[${position + 1}]`;
  return path === '' ? step : `${path}/${step}`;
}

/** Drops keys whose value is undefined, so that models compare equal however they were built. */
export function compact<T extends object>(value: T): T {
  const result: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (entry !== undefined) result[key] = entry;
  }
  return result as T;
}

/** A list, or undefined when it is empty: optional lists are absent rather than empty. */
export function nonEmpty<T>(items: readonly T[]): readonly T[] | undefined {
  return items.length === 0 ? undefined : items;
}

/**
 * An optional field: absent when the element is missing or holds no value (empty, blank, or
 * elements instead of text; see textOf). XSD validation refuses all but the blank one first.
 */
export function optionalText(parent: XmlElement | undefined, name: string): string | undefined {
  return parent === undefined ? undefined : textOf(childElement(parent, name));
}

/** A repeated optional field; occurrences that hold no value are left out. */
export function texts(parent: XmlElement | undefined, name: string): readonly string[] | undefined {
  if (parent === undefined) return undefined;
  return nonEmpty(childElements(parent, name).flatMap((child) => textOf(child) ?? []));
}

/** Reports a required element that is present but holds no value (see textOf). */
function reportEmpty(context: ParseContext, path: string, name: string): void {
  report(
    context,
    'value_empty',
    joinPath(path, name),
    `${name} is empty, blank or holds elements instead of a value.`,
  );
}

/** A mandatory field: missing, or present without a value, is an issue; '' is then returned. */
export function requiredText(
  parent: XmlElement | undefined,
  name: string,
  path: string,
  context: ParseContext,
): string {
  const element = parent === undefined ? undefined : childElement(parent, name);
  if (element === undefined) {
    report(context, 'element_missing', joinPath(path, name), `${name} is required.`);
    return '';
  }
  const text = textOf(element);
  if (text === undefined) reportEmpty(context, path, name);
  return text ?? '';
}

export function requiredElement(
  parent: XmlElement | undefined,
  name: string,
  path: string,
  context: ParseContext,
): XmlElement | undefined {
  const element = parent === undefined ? undefined : childElement(parent, name);
  if (element === undefined) {
    report(context, 'element_missing', joinPath(path, name), `${name} is required.`);
  }
  return element;
}

/** Reads a closed ISO code list value; anything outside the list is an issue. */
export function readCode<Code extends string>(
  parent: XmlElement | undefined,
  name: string,
  allowed: readonly Code[],
  path: string,
  context: ParseContext,
): Code | undefined {
  const value = optionalText(parent, name);
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as Code;
  report(
    context,
    'code_not_allowed',
    joinPath(path, name),
    `"${value.slice(0, 35)}" is not one of ${allowed.join(', ')}.`,
  );
  return undefined;
}

export function readRequiredCode<Code extends string>(
  parent: XmlElement | undefined,
  name: string,
  allowed: readonly Code[],
  path: string,
  context: ParseContext,
): Code | undefined {
  const element = parent === undefined ? undefined : childElement(parent, name);
  if (parent !== undefined && element === undefined) {
    report(context, 'element_missing', joinPath(path, name), `${name} is required.`);
    return undefined;
  }
  if (element !== undefined && textOf(element) === undefined) {
    reportEmpty(context, path, name);
    return undefined;
  }
  return readCode(parent, name, allowed, path, context);
}

/** Reads a Cd/Prtry choice element; an element with neither is ignored as absent. */
export function readCodeChoice(element: XmlElement | undefined): CodeChoice | undefined {
  if (element === undefined) return undefined;
  const code = optionalText(element, 'Cd');
  if (code !== undefined) return { code };
  const proprietary = childElement(element, 'Prtry');
  if (proprietary === undefined) return undefined;
  // Some choices hold a structured Prtry (Id and Issr); its Id is what identifies it.
  const identification = optionalText(proprietary, 'Id');
  const text = identification ?? textOf(proprietary);
  return text === undefined ? undefined : { proprietary: text };
}

export function readDateOrDateTime(element: XmlElement | undefined): DateOrDateTime | undefined {
  if (element === undefined) return undefined;
  const date = optionalText(element, 'Dt');
  if (date !== undefined) return { date };
  const dateTime = optionalText(element, 'DtTm');
  return dateTime === undefined ? undefined : { dateTime };
}

/**
 * Reads an amount with its Ccy attribute into minor units, using the currency's exponent, so
 * that "too many decimals" and "unknown currency" are caught here.
 */
export function readAmount(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): CurrencyAmount | undefined {
  if (element === undefined) return undefined;
  const currency = attributeValue(element, 'Ccy');
  if (currency === undefined) {
    report(context, 'element_missing', `${path}/@Ccy`, 'The amount has no Ccy attribute.');
    return undefined;
  }
  const known = context.currencies(currency);
  if (known === undefined) {
    report(
      context,
      'currency_unknown',
      path,
      `"${currency.slice(0, 16)}" is not a supported currency.`,
    );
    return undefined;
  }
  const parsed = parseMinorUnits(element.text, known.exponent);
  if (!parsed.ok) {
    report(context, parsed.code, path, `${parsed.message} (${currency})`);
    return undefined;
  }
  return { currency, value: parsed.value };
}

export function readRequiredAmount(
  parent: XmlElement,
  name: string,
  path: string,
  context: ParseContext,
): CurrencyAmount | undefined {
  const element = requiredElement(parent, name, path, context);
  return readAmount(element, joinPath(path, name), context);
}

export function readOptionalAmount(
  parent: XmlElement | undefined,
  name: string,
  path: string,
  context: ParseContext,
): CurrencyAmount | undefined {
  const element = parent === undefined ? undefined : childElement(parent, name);
  return readAmount(element, joinPath(path, name), context);
}

const DECIMAL = /^(0|[1-9][0-9]*|0[0-9]+)(\.[0-9]+)?$/;

/** Reads a plain decimal (a rate or a control sum) as its exact text. */
export function readDecimal(
  parent: XmlElement | undefined,
  name: string,
  path: string,
  context: ParseContext,
): string | undefined {
  const value = optionalText(parent, name);
  if (value === undefined) return undefined;
  if (value.length <= 40 && DECIMAL.test(value)) return value;
  report(
    context,
    'value_malformed',
    joinPath(path, name),
    `"${value.slice(0, 40)}" is not a decimal.`,
  );
  return undefined;
}

export function readRequiredDecimal(
  parent: XmlElement,
  name: string,
  path: string,
  context: ParseContext,
): string {
  return readDecimal(parent, name, path, context) ?? requiredText(parent, name, path, context);
}

export function readCount(
  parent: XmlElement | undefined,
  name: string,
  path: string,
  context: ParseContext,
): number | undefined {
  const value = optionalText(parent, name);
  if (value === undefined) return undefined;
  if (/^[0-9]{1,15}$/.test(value)) return Number(value);
  report(
    context,
    'value_malformed',
    joinPath(path, name),
    `"${value.slice(0, 20)}" is not a count.`,
  );
  return undefined;
}

export function readBoolean(
  parent: XmlElement | undefined,
  name: string,
  path: string,
  context: ParseContext,
): boolean | undefined {
  const value = optionalText(parent, name);
  if (value === undefined) return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  report(
    context,
    'value_malformed',
    joinPath(path, name),
    `"${value.slice(0, 20)}" is not a boolean.`,
  );
  return undefined;
}
