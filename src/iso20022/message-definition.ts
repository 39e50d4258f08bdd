// Message identification: which ISO 20022 message a namespace names, and which ones we handle.

export const ISO_NAMESPACE_PREFIX = 'urn:iso:std:iso:20022:tech:xsd:';

/** Message kinds this module reads, by ISO business area and message number. */
export type MessageKind =
  | 'pacs.008'
  | 'pacs.009'
  | 'pacs.004'
  | 'pacs.002'
  | 'camt.056'
  | 'camt.029'
  | 'camt.053'
  | 'camt.054'
  | 'admi.002';

/** The versions ("001.NN" variants) read for each message kind. */
export const SUPPORTED_VERSIONS: Readonly<Record<MessageKind, readonly number[]>> = {
  'pacs.008': [8, 10, 11, 12, 13],
  'pacs.009': [8],
  'pacs.004': [9, 10],
  'pacs.002': [10, 12, 13, 15],
  'camt.056': [8],
  'camt.029': [9],
  'camt.053': [4, 8],
  'camt.054': [8],
  'admi.002': [1],
};

/** The Business Application Header versions read. */
export const SUPPORTED_HEADER_VERSIONS: readonly number[] = [2];

export interface MessageDefinition {
  /** For example "pacs.008.001.08". */
  readonly identifier: string;
  readonly kind: MessageKind;
  /** The version number: 8 for "pacs.008.001.08". */
  readonly version: number;
  readonly namespace: string;
}

export interface ParsedIdentifier {
  readonly area: string;
  readonly kindText: string;
  readonly variant: number;
  readonly version: number;
}

const IDENTIFIER_PATTERN = /^([a-z]{4})\.(\d{3})\.(\d{3})\.(\d{2})$/;

export function parseMessageIdentifier(identifier: string): ParsedIdentifier | undefined {
  const match = IDENTIFIER_PATTERN.exec(identifier);
  if (match === null) return undefined;
  const [, area = '', number = '', variant = '', version = ''] = match;
  return {
    area,
    kindText: `${area}.${number}`,
    variant: Number(variant),
    version: Number(version),
  };
}

/** The message identifier named by an ISO namespace, or undefined for any other namespace. */
export function identifierOfNamespace(namespace: string): string | undefined {
  if (!namespace.startsWith(ISO_NAMESPACE_PREFIX)) return undefined;
  const identifier = namespace.slice(ISO_NAMESPACE_PREFIX.length);
  return parseMessageIdentifier(identifier) === undefined ? undefined : identifier;
}

export function isMessageKind(text: string): text is MessageKind {
  return Object.prototype.hasOwnProperty.call(SUPPORTED_VERSIONS, text);
}

export function formatIdentifier(kind: MessageKind | 'head.001', version: number): string {
  return `${kind}.001.${String(version).padStart(2, '0')}`;
}

export function namespaceOf(identifier: string): string {
  return `${ISO_NAMESPACE_PREFIX}${identifier}`;
}

/** The definition of a supported message, or undefined if the namespace names anything else. */
export function definitionOfNamespace(namespace: string): MessageDefinition | undefined {
  const identifier = identifierOfNamespace(namespace);
  if (identifier === undefined) return undefined;
  const parsed = parseMessageIdentifier(identifier);
  if (parsed === undefined || parsed.variant !== 1) return undefined;
  if (!isMessageKind(parsed.kindText)) return undefined;
  if (!SUPPORTED_VERSIONS[parsed.kindText].includes(parsed.version)) return undefined;
  return { identifier, kind: parsed.kindText, version: parsed.version, namespace };
}

export function definitionOf(kind: MessageKind, version: number): MessageDefinition | undefined {
  if (!SUPPORTED_VERSIONS[kind].includes(version)) return undefined;
  const identifier = formatIdentifier(kind, version);
  return { identifier, kind, version, namespace: namespaceOf(identifier) };
}

export function isHeaderNamespace(namespace: string): boolean {
  const identifier = identifierOfNamespace(namespace);
  return identifier !== undefined && identifier.startsWith('head.001.');
}
