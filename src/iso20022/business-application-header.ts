// head.001.001.02 Business Application Header: model, reader, writer, and the wrapper that
// carries it beside a Document (the "business message" ISO leaves to each network to frame).
import { readAgent, readParty } from './components-read.js';
import { agentElement, partyElement } from './components-write.js';
import {
  booleanElement,
  createTargetContext,
  fault,
  MODERN_FEATURES,
  requiredText,
  type GenerateContext,
  type GenerateError,
  type GeneratedMessage,
  type GenerateTarget,
} from './generate-context.js';
import { namespaceOf } from './message-definition.js';
import type { FinancialInstitution, Party } from './model.js';
import {
  compact,
  joinPath,
  nonEmpty,
  optionalText,
  readBoolean,
  readCode,
  report,
  requiredElement,
  requiredText as readRequiredText,
  type ParseContext,
} from './parse-context.js';
import { childElement, childElements, type XmlElement } from './xml-element.js';
import { serializeXml, type OptionalElement } from './xml-writer.js';

export const HEADER_IDENTIFIER = 'head.001.001.02';
export const HEADER_NAMESPACE = namespaceOf(HEADER_IDENTIFIER);

/** Default wrapper for a header and a Document; ISO does not define one, each network does. */
export const DEFAULT_ENVELOPE_NAMESPACE = 'urn:corridor:iso20022:business-message:1';
export const DEFAULT_ENVELOPE_NAME = 'BusinessMessage';

export type HeaderParty =
  | { readonly financialInstitution: FinancialInstitution }
  | { readonly organisation: Party };

export type CopyDuplicate = 'CODU' | 'COPY' | 'DUPL';
const COPY_DUPLICATE: readonly CopyDuplicate[] = ['CODU', 'COPY', 'DUPL'];

export interface RelatedHeader {
  readonly from: HeaderParty;
  readonly to: HeaderParty;
  readonly businessMessageId: string;
  readonly messageDefinitionId: string;
  readonly businessService?: string;
  readonly creationDate: string;
}

export interface BusinessApplicationHeader {
  readonly from: HeaderParty;
  readonly to: HeaderParty;
  /** BizMsgIdr: the sender's identifier of the whole business message. */
  readonly businessMessageId: string;
  /** MsgDefIdr: the Document's message identifier, for example "pacs.008.001.08". */
  readonly messageDefinitionId: string;
  readonly businessService?: string;
  readonly marketPractice?: { readonly registry: string; readonly identification: string };
  readonly creationDate: string;
  readonly businessProcessingDate?: string;
  readonly copyDuplicate?: CopyDuplicate;
  readonly possibleDuplicate?: boolean;
  readonly priority?: string;
  /** The XML signature element inside Sgntr, kept as received for later verification. */
  readonly signature?: XmlElement;
  readonly related?: readonly RelatedHeader[];
}

/** Generator input: MsgDefIdr defaults to the identifier of the Document it travels with. */
export type BusinessApplicationHeaderInput = Omit<BusinessApplicationHeader, 'messageDefinitionId'> & {
  readonly messageDefinitionId?: string;
};

function readHeaderParty(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): HeaderParty | undefined {
  if (element === undefined) return undefined;
  const institution = childElement(element, 'FIId');
  if (institution !== undefined) {
    const financialInstitution = readAgent(institution, joinPath(path, 'FIId'), context);
    return financialInstitution === undefined ? undefined : { financialInstitution };
  }
  const organisation = childElement(element, 'OrgId');
  if (organisation !== undefined) {
    return { organisation: readParty(organisation, joinPath(path, 'OrgId'), context) ?? {} };
  }
  report(context, 'element_missing', path, 'Either FIId or OrgId is required.');
  return undefined;
}

function readRelated(
  element: XmlElement,
  path: string,
  context: ParseContext,
): RelatedHeader | undefined {
  const from = readHeaderParty(
    requiredElement(element, 'Fr', path, context),
    joinPath(path, 'Fr'),
    context,
  );
  const to = readHeaderParty(
    requiredElement(element, 'To', path, context),
    joinPath(path, 'To'),
    context,
  );
  if (from === undefined || to === undefined) return undefined;
  return compact({
    from,
    to,
    businessMessageId: readRequiredText(element, 'BizMsgIdr', path, context),
    messageDefinitionId: readRequiredText(element, 'MsgDefIdr', path, context),
    businessService: optionalText(element, 'BizSvc'),
    creationDate: readRequiredText(element, 'CreDt', path, context),
  });
}

/** Maps an AppHdr element; problems are reported on `context` under the "AppHdr" path. */
export function readBusinessApplicationHeader(
  element: XmlElement,
  context: ParseContext,
): BusinessApplicationHeader | undefined {
  const path = 'AppHdr';
  const related = readRelated(element, path, context);
  if (related === undefined) return undefined;
  const practice = childElement(element, 'MktPrctc');
  const practicePath = joinPath(path, 'MktPrctc');
  return compact({
    ...related,
    marketPractice:
      practice === undefined
        ? undefined
        : {
            registry: readRequiredText(practice, 'Regy', practicePath, context),
            identification: readRequiredText(practice, 'Id', practicePath, context),
          },
    businessProcessingDate: optionalText(element, 'BizPrcgDt'),
    copyDuplicate: readCode(element, 'CpyDplct', COPY_DUPLICATE, path, context),
    possibleDuplicate: readBoolean(element, 'PssblDplct', path, context),
    priority: optionalText(element, 'Prty'),
    signature: childElement(element, 'Sgntr')?.children[0],
    related: nonEmpty(
      childElements(element, 'Rltd').flatMap(
        (child, index) => readRelated(child, joinPath(path, 'Rltd', index), context) ?? [],
      ),
    ),
  });
}

function headerPartyElement(
  context: GenerateContext,
  name: string,
  party: HeaderParty,
): XmlElement {
  return context.build.element(name, [
    'financialInstitution' in party
      ? agentElement(context, 'FIId', party.financialInstitution, name)
      : partyElement(context, 'OrgId', party.organisation, name),
  ]);
}

function relatedElement(
  context: GenerateContext,
  related: RelatedHeader,
  path: string,
): XmlElement {
  return context.build.element('Rltd', [
    headerPartyElement(context, 'Fr', related.from),
    headerPartyElement(context, 'To', related.to),
    requiredText(context, 'BizMsgIdr', related.businessMessageId, path),
    requiredText(context, 'MsgDefIdr', related.messageDefinitionId, path),
    context.build.text('BizSvc', related.businessService),
    requiredText(context, 'CreDt', related.creationDate, path),
  ]);
}

function headerElement(context: GenerateContext, header: BusinessApplicationHeader): XmlElement {
  const { build } = context;
  const path = 'AppHdr';
  const practice = header.marketPractice;
  const signature: OptionalElement = header.signature;
  return build.element('AppHdr', [
    headerPartyElement(context, 'Fr', header.from),
    headerPartyElement(context, 'To', header.to),
    requiredText(context, 'BizMsgIdr', header.businessMessageId, path),
    requiredText(context, 'MsgDefIdr', header.messageDefinitionId, path),
    build.text('BizSvc', header.businessService),
    practice === undefined
      ? undefined
      : build.element(
        'MktPrctc',
        [build.required('Regy', practice.registry), build.required('Id', practice.identification)],
      ),
    requiredText(context, 'CreDt', header.creationDate, path),
    build.text('BizPrcgDt', header.businessProcessingDate),
    build.text('CpyDplct', header.copyDuplicate),
    booleanElement(context, 'PssblDplct', header.possibleDuplicate),
    build.text('Prty', header.priority),
    signature === undefined ? undefined : build.element('Sgntr', [signature]),
    ...(header.related ?? []).map((related, index) => relatedElement(
      context,
      related,
      `${path}/Rltd[${index + 1}]`,
    )),
  ]);
}

const HEADER_TARGET: GenerateTarget = {
  namespace: HEADER_NAMESPACE,
  version: 2,
  features: MODERN_FEATURES,
};

export type HeaderGenerateResult =
  | { readonly ok: true; readonly element: XmlElement; readonly xml: string }
  | { readonly ok: false; readonly errors: readonly GenerateError[] };

/** Generates a standalone AppHdr (head.001.001.02). */
export function generateBusinessApplicationHeader(
  header: BusinessApplicationHeader,
): HeaderGenerateResult {
  const context = createTargetContext(HEADER_TARGET, {});
  const element = headerElement(context, header);
  if (context.errors.length > 0) return { ok: false, errors: context.errors };
  return { ok: true, element, xml: serializeXml(element) };
}

export interface EnvelopeOptions {
  readonly rootName?: string;
  readonly rootNamespace?: string;
  readonly layout?: 'indented' | 'compact';
}

export type EnvelopeResult =
  | { readonly ok: true; readonly xml: string; readonly element: XmlElement }
  | { readonly ok: false; readonly errors: readonly GenerateError[] };

/** Wraps a generated Document with its AppHdr under one root element, header first. */
export function generateEnvelope(
  header: BusinessApplicationHeaderInput,
  message: GeneratedMessage,
  options: EnvelopeOptions = {},
): EnvelopeResult {
  const identifier = message.definition.identifier;
  if (header.messageDefinitionId !== undefined && header.messageDefinitionId !== identifier) {
    const context = createTargetContext(HEADER_TARGET, {});
    fault(
      context,
      'value_mismatch',
      'AppHdr/MsgDefIdr',
      `The header names ${header.messageDefinitionId} for a ${identifier}.`,
    );
    return { ok: false, errors: context.errors };
  }
  const generated = generateBusinessApplicationHeader({
    ...header,
    messageDefinitionId: identifier,
  });
  if (!generated.ok) return generated;
  const element: XmlElement = {
    namespace: options.rootNamespace ?? DEFAULT_ENVELOPE_NAMESPACE,
    name: options.rootName ?? DEFAULT_ENVELOPE_NAME,
    attributes: [],
    children: [generated.element, message.document],
    text: '',
  };
  return { ok: true, element, xml: serializeXml(element, { layout: options.layout ?? 'indented' }) };
}
