// The writing side of the message mappers: version-aware element building with typed errors
// for what the model holds but the chosen version cannot carry.
import { formatMinorUnits } from '../money/index.js';
import {
  definitionOf,
  SUPPORTED_VERSIONS,
  type MessageDefinition,
  type MessageKind,
} from './message-definition.js';
import type { CodeChoice, CurrencyAmount, CurrencyLookup, DateOrDateTime } from './model.js';
import { DEFAULT_CURRENCY_LOOKUP } from './parse-context.js';
import { INVALID_XML_CHARACTER } from './xml-characters.js';
import type { XmlElement } from './xml-element.js';
import {
  elementFactory,
  serializeXml,
  type ElementFactory,
  type OptionalElement,
} from './xml-writer.js';

export type GenerateErrorCode =
  | 'version_unsupported'
  | 'value_missing'
  | 'value_mismatch'
  | 'value_malformed'
  | 'currency_unknown'
  | 'amount_negative'
  | 'field_not_supported_in_version'
  | 'field_required_in_version'
  | 'text_invalid'
  | 'too_many_transactions';

export interface GenerateError {
  readonly code: GenerateErrorCode;
  /** Where, relative to the message element: "CdtTrfTxInf[1]/IntrBkSttlmAmt". */
  readonly path: string;
  readonly message: string;
}

export interface GeneratedMessage {
  readonly definition: MessageDefinition;
  readonly xml: string;
  /** The Document as an element tree, for wrapping it with a header. */
  readonly document: XmlElement;
}

export type GenerateResult =
  | { readonly ok: true; readonly message: GeneratedMessage }
  | { readonly ok: false; readonly errors: readonly GenerateError[] };

export interface GenerateOptions {
  /** Currency exponents; defaults to Corridor's currency table. */
  readonly currencies?: CurrencyLookup;
  /** 'indented' (default) or 'compact' XML. */
  readonly layout?: 'indented' | 'compact';
}

/** What the chosen schema can carry, where message versions differ in shared components. */
export interface SchemaFeatures {
  /** PostalAddress6 (camt.053.001.04), PostalAddress24, or PostalAddress27 (CareOf, UnitNb). */
  readonly postalAddress: 'address6' | 'address24' | 'address27';
  /** LEI inside FinInstnId and OrgId. */
  readonly legalEntityIdentifier: boolean;
  /** CashAccount40 and later: Id may be omitted when a proxy identifies the account. */
  readonly accountIdentificationOptional: boolean;
  readonly accountProxy: boolean;
  /** RfrdDocInf/RltdDt as a typed date (Tp and Dt), from pacs.008.001.12 on. */
  readonly referredDocumentDateWithType: boolean;
  readonly contactPreferredMethod: boolean;
}

export const MODERN_FEATURES: SchemaFeatures = {
  postalAddress: 'address24',
  legalEntityIdentifier: true,
  accountIdentificationOptional: false,
  accountProxy: true,
  referredDocumentDateWithType: false,
  contactPreferredMethod: true,
};

export function featuresOf(definition: MessageDefinition): SchemaFeatures {
  const { kind, version } = definition;
  if (kind === 'camt.053' && version === 4) {
    return {
      ...MODERN_FEATURES,
      postalAddress: 'address6',
      legalEntityIdentifier: false,
      accountProxy: false,
      contactPreferredMethod: false,
    };
  }
  const accountIdentificationOptional =
    (kind === 'pacs.008' && version >= 10) || (kind === 'pacs.002' && version >= 12);
  const address27 =
    (kind === 'pacs.008' && version >= 12) || (kind === 'pacs.002' && version >= 15);
  return {
    ...MODERN_FEATURES,
    postalAddress: address27 ? 'address27' : 'address24',
    accountIdentificationOptional,
    referredDocumentDateWithType: kind === 'pacs.008' && version >= 12,
  };
}

export interface GenerateContext {
  readonly layout: 'indented' | 'compact';
  readonly version: number;
  readonly features: SchemaFeatures;
  readonly errors: GenerateError[];
  readonly currencies: CurrencyLookup;
  readonly build: ElementFactory;
}

export interface GenerateTarget {
  readonly namespace: string;
  readonly version: number;
  readonly features: SchemaFeatures;
}

export function createGenerateContext(
  definition: MessageDefinition,
  options: GenerateOptions,
): GenerateContext {
  return createTargetContext({ ...definition, features: featuresOf(definition) }, options);
}

/** A context for a schema that is not one of the message kinds (the AppHdr). */
export function createTargetContext(
  target: GenerateTarget,
  options: GenerateOptions,
): GenerateContext {
  return {
    layout: options.layout ?? 'indented',
    version: target.version,
    features: target.features,
    errors: [],
    currencies: options.currencies ?? DEFAULT_CURRENCY_LOOKUP,
    build: elementFactory(target.namespace),
  };
}

export function fault(
  context: GenerateContext,
  code: GenerateErrorCode,
  path: string,
  message: string,
): void {
  context.errors.push({ code, path, message });
}

export function pathOf(path: string, name: string, position?: number): string {
  const step = position === undefined ? name : `${name}[${position + 1}]`;
  return path === '' ? step : `${path}/${step}`;
}

/** A required text: reports it when missing so that no invalid document is produced silently. */
export function requiredText(
  context: GenerateContext,
  name: string,
  value: string | undefined,
  path: string,
): OptionalElement {
  if (value === undefined || value === '') {
    fault(context, 'value_missing', pathOf(path, name), `${name} is required.`);
    return undefined;
  }
  return context.build.required(name, value);
}

/** Formats minor units with the currency's exponent; ISO amounts are never negative. */
export function amountElement(
  context: GenerateContext,
  name: string,
  amount: CurrencyAmount | undefined,
  path: string,
): OptionalElement {
  if (amount === undefined) return undefined;
  const currency = context.currencies(amount.currency);
  if (currency === undefined) {
    fault(
      context,
      'currency_unknown',
      pathOf(path, name),
      `${amount.currency.slice(0, 16)} is not a supported currency.`,
    );
    return undefined;
  }
  if (amount.value < 0n) {
    fault(context, 'amount_negative', pathOf(path, name), 'ISO amounts cannot be negative.');
    return undefined;
  }
  const text = formatMinorUnits(amount.value, currency.exponent);
  return context.build.text(name, text, [{ namespace: '', name: 'Ccy', value: amount.currency }]);
}

export function requiredAmount(
  context: GenerateContext,
  name: string,
  amount: CurrencyAmount | undefined,
  path: string,
): OptionalElement {
  if (amount === undefined) {
    fault(context, 'value_missing', pathOf(path, name), `${name} is required.`);
    return undefined;
  }
  return amountElement(context, name, amount, path);
}

export function codeChoiceElement(
  context: GenerateContext,
  name: string,
  choice: CodeChoice | undefined,
): OptionalElement {
  if (choice === undefined) return undefined;
  const { build } = context;
  return 'code' in choice
    ? build.element(name, [build.required('Cd', choice.code)])
    : build.element(name, [build.required('Prtry', choice.proprietary)]);
}

export function dateOrDateTimeElement(
  context: GenerateContext,
  name: string,
  value: DateOrDateTime | undefined,
): OptionalElement {
  if (value === undefined) return undefined;
  const { build } = context;
  return 'date' in value
    ? build.element(name, [build.required('Dt', value.date)])
    : build.element(name, [build.required('DtTm', value.dateTime)]);
}

export function booleanElement(context: GenerateContext, name: string, value: boolean | undefined) {
  return value === undefined ? undefined : context.build.required(name, value ? 'true' : 'false');
}

/** Refuses a field the chosen version has no element for, instead of dropping it silently. */
export function refuseBeforeVersion(
  context: GenerateContext,
  firstVersion: number,
  present: boolean,
  path: string,
  field: string,
): boolean {
  if (!present || context.version >= firstVersion) return false;
  fault(
    context,
    'field_not_supported_in_version',
    path,
    `${field} exists only from version ${String(firstVersion).padStart(2, '0')} on.`,
  );
  return true;
}

/** Walks the finished tree; paths number an element when it has same-named siblings. */
function checkCharacters(element: XmlElement, here: string, errors: GenerateError[]): void {
  if (INVALID_XML_CHARACTER.test(element.text)) {
    errors.push({
      code: 'text_invalid',
      path: here,
      message: 'The text holds a character XML forbids.',
    });
  }
  for (const attribute of element.attributes) {
    if (INVALID_XML_CHARACTER.test(attribute.value)) {
      const message = 'The value holds a character XML forbids.';
      errors.push({ code: 'text_invalid', path: `${here}/@${attribute.name}`, message });
    }
  }
  for (const child of element.children) {
    const namesakes = element.children.filter((sibling) => sibling.name === child.name);
    const position = namesakes.length > 1 ? namesakes.indexOf(child) : undefined;
    checkCharacters(child, pathOf(here, child.name, position), errors);
  }
}

/** Wraps the message element into its Document and serialises it, or returns the errors. */
export function finishDocument(
  context: GenerateContext,
  definition: MessageDefinition,
  messageElement: XmlElement,
): GenerateResult {
  const document = context.build.element('Document', [messageElement]);
  const errors = [...context.errors];
  checkCharacters(messageElement, '', errors);
  if (errors.length > 0) return { ok: false, errors };
  const xml = serializeXml(document, { layout: context.layout });
  return { ok: true, message: { definition, xml, document } };
}

export function versionUnsupported(
  kind: string,
  version: number,
  supported: readonly number[],
): GenerateResult {
  return {
    ok: false,
    errors: [
      {
        code: 'version_unsupported',
        path: '',
        message: `${kind} version ${version} is not generated; choose one of ${supported.join(', ')}.`,
      },
    ],
  };
}

/**
 * The generation context for one message kind and version, or the result that says the
 * version is not supported: the opening every generator shares.
 */
export function startGeneration(
  kind: MessageKind,
  version: number,
  options: GenerateOptions,
): StartedGeneration | GenerateResult {
  const definition = definitionOf(kind, version);
  if (definition === undefined) return versionUnsupported(kind, version, SUPPORTED_VERSIONS[kind]);
  return { context: createGenerateContext(definition, options), definition };
}

export interface StartedGeneration {
  readonly context: GenerateContext;
  readonly definition: MessageDefinition;
}

export function isGenerateResult(
  value: StartedGeneration | GenerateResult,
): value is GenerateResult {
  return 'ok' in value;
}
