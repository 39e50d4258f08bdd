// Schema validation failures in the API's own words: a stable code and a plain sentence that
// names the field, never a regular expression or the validator's jargon ("must match pattern",
// "anyOf"). An amount that is not a plain decimal gets the money module's own code
// (amount_sign_not_allowed, amount_exponent_notation…), as the documentation promises.
import type { FastifyError } from 'fastify';
import { parseMinorUnits } from '../money/amount.js';
import { HttpError } from './errors.js';
import { AMOUNT_PATTERN, FORMAT_DESCRIPTIONS } from './schemas.js';

/** What Fastify hands over of one validation error (ajv's ErrorObject, loosely typed). */
interface ValidationIssue {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
}

/** Enough exponent that only the syntax of an amount is judged here, not its decimals. */
const SYNTAX_ONLY_EXPONENT = 40;
/** Longest piece of a client's own value quoted back in a message. */
const QUOTED_LENGTH_MAX = 40;

const PLACE: Readonly<Record<string, string>> = {
  body: 'the body',
  querystring: 'the query string',
  params: 'the path',
  headers: 'the headers',
};

function fieldOf(issue: ValidationIssue): string | undefined {
  const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const named = issue.params['missingProperty'] ?? issue.params['additionalProperty'];
  if (typeof named === 'string') return path === '' ? named : `${path}.${named}`;
  return path === '' ? undefined : path;
}

function quoted(text: string): string {
  const clipped = text.length > QUOTED_LENGTH_MAX ? `${text.slice(0, QUOTED_LENGTH_MAX)}…` : text;
  return JSON.stringify(clipped);
}

function plural(count: unknown, noun: string): string {
  return `${String(count)} ${noun}${count === 1 ? '' : 's'}`;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'a JSON object',
  array: 'a JSON array',
  null: 'null',
};

function typeName(type: unknown): string {
  const names = (Array.isArray(type) ? type : [type]).map((name) =>
    typeof name === 'string' ? (TYPE_NAMES[name] ?? name) : 'another type',
  );
  return names.join(' or ');
}

/** The accepted values of a union of constants, from the errors of its branches. */
function allowedValues(issues: readonly ValidationIssue[], path: string): string[] {
  return issues
    .filter((issue) => issue.instancePath === path && issue.keyword === 'const')
    .map((issue) => String(issue.params['allowedValue']));
}

/** The sentence that says what is wrong, in terms of the field and never of the schema. */
function sentence(
  issue: ValidationIssue,
  issues: readonly ValidationIssue[],
  subject: string,
): string {
  const { params } = issue;
  switch (issue.keyword) {
    case 'required':
      return `${subject} is required.`;
    case 'additionalProperties':
      return `${subject} is not a field this request accepts.`;
    case 'type':
      return `${subject} must be ${typeName(params['type'])}.`;
    case 'const':
    case 'anyOf':
    case 'enum': {
      const allowed = allowedValues(issues, issue.instancePath);
      return allowed.length === 0
        ? `${subject} is not one of the accepted values.`
        : `${subject} must be one of: ${allowed.join(', ')}.`;
    }
    case 'pattern':
      return `${subject} must be ${describePattern(params['pattern'])}.`;
    case 'format':
      return `${subject} must be ${describeFormat(params['format'])}.`;
    case 'minLength':
      return `${subject} must have at least ${plural(params['limit'], 'character')}.`;
    case 'maxLength':
      return `${subject} must have at most ${plural(params['limit'], 'character')}.`;
    case 'minimum':
      return `${subject} must be at least ${String(params['limit'])}.`;
    case 'maximum':
      return `${subject} must be at most ${String(params['limit'])}.`;
    case 'minItems':
      return `${subject} must have at least ${plural(params['limit'], 'item')}.`;
    case 'maxItems':
      return `${subject} must have at most ${plural(params['limit'], 'item')}.`;
    case 'maxProperties':
      return `${subject} must have at most ${plural(params['limit'], 'entry')}.`;
    case 'uniqueItems':
      return `${subject} must not list the same value twice.`;
    default:
      return `${subject} is not valid.`;
  }
}

function describePattern(pattern: unknown): string {
  return (typeof pattern === 'string' ? FORMAT_DESCRIPTIONS.get(pattern) : undefined) ??
    'in the documented format (see /docs)';
}

function describeFormat(format: unknown): string {
  if (format === 'date-time') return 'an ISO 8601 date-time such as 2026-01-31T12:00:00Z';
  if (format === 'uri') return 'an absolute URL';
  return 'in the documented format (see /docs)';
}

/** An amount field that fails its pattern: the money module says exactly what is wrong. */
function amountError(value: unknown, field: string | undefined): HttpError | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = parseMinorUnits(value, SYNTAX_ONLY_EXPONENT);
  if (parsed.ok) return undefined;
  const message =
    parsed.code === 'amount_malformed'
      ? `${quoted(value)} is not a plain decimal amount such as "1500.00".`
      : parsed.message;
  return new HttpError(400, parsed.code, message, field);
}

function valueAt(root: unknown, instancePath: string): unknown {
  let current = root;
  for (const segment of instancePath.split('/').slice(1)) {
    if (current === null || typeof current !== 'object') return undefined;
    const key = segment.replaceAll('~1', '/').replaceAll('~0', '~');
    current = Object.hasOwn(current, key) ? (current as Record<string, unknown>)[key] : undefined;
  }
  return current;
}

/**
 * A schema validation failure as an HttpError: invalid_request with a plain sentence naming
 * the field, or an amount code. `input` is what was validated (body, query or params).
 */
export function validationError(error: FastifyError, input: unknown): HttpError {
  const issues = (error.validation ?? []) as unknown as ValidationIssue[];
  const first = issues[0];
  const context = error.validationContext ?? 'body';
  const place = PLACE[context] ?? 'the request';
  if (first === undefined) return new HttpError(400, 'invalid_request', `${place} is not valid.`);
  const field = fieldOf(first);
  if (first.keyword === 'pattern' && first.params['pattern'] === AMOUNT_PATTERN) {
    const amount = amountError(valueAt(input, first.instancePath), field);
    if (amount !== undefined) return amount;
  }
  const subject = field === undefined ? capitalised(place) : `The field ${field} in ${place}`;
  return new HttpError(400, 'invalid_request', sentence(first, issues, subject), field);
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
