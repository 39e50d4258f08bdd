// Finds the ISO Document (and its Business Application Header, if any) inside what was
// received: a bare Document, or any wrapper holding an AppHdr and a Document side by side
// (CBPR+ "Envelope", FedNow "FedNowIncoming/.../FedNowCustomerCreditTransfer").
import { ENVELOPE_DEPTH_MAX } from './limits.js';
import {
  definitionOfNamespace,
  formatIdentifier,
  identifierOfNamespace,
  isHeaderNamespace,
  SUPPORTED_HEADER_VERSIONS,
  parseMessageIdentifier,
  type MessageDefinition,
} from './message-definition.js';
import { descendantText, type XmlElement } from './xml-element.js';

export type LocateErrorCode =
  | 'document_not_found'
  | 'document_ambiguous'
  | 'document_empty'
  | 'message_unsupported'
  | 'header_ambiguous'
  | 'header_unsupported'
  | 'header_mismatch';

export interface LocateError {
  readonly code: LocateErrorCode;
  readonly message: string;
  /** The message identifier found, when one was (for example "pacs.008.001.09"). */
  readonly identifier?: string;
}

export interface LocatedMessage {
  readonly definition: MessageDefinition;
  /** The ISO `Document` element. */
  readonly document: XmlElement;
  /** The message element inside the Document, for example `FIToFICstmrCdtTrf`. */
  readonly messageElement: XmlElement;
  /** The head.001 `AppHdr` element beside the Document, if the message came wrapped. */
  readonly header?: XmlElement;
  /** True when the Document was not the root element. */
  readonly enveloped: boolean;
}

export type LocateResult =
  | { readonly ok: true; readonly located: LocatedMessage }
  | { readonly ok: false; readonly error: LocateError };

function isIsoDocument(element: XmlElement): boolean {
  return element.name === 'Document' && identifierOfNamespace(element.namespace) !== undefined;
}

interface Found {
  readonly document: XmlElement;
  readonly parent: XmlElement | undefined;
}

/** Breadth-first search for ISO Documents, never looking inside one, a few levels deep. */
function findDocuments(root: XmlElement): Found[] {
  if (isIsoDocument(root)) return [{ document: root, parent: undefined }];
  const found: Found[] = [];
  let level: XmlElement[] = [root];
  for (let depth = 0; depth < ENVELOPE_DEPTH_MAX && level.length > 0; depth += 1) {
    const next: XmlElement[] = [];
    for (const parent of level) {
      for (const child of parent.children) {
        if (isIsoDocument(child)) found.push({ document: child, parent });
        else next.push(child);
      }
    }
    level = next;
  }
  return found;
}

function fail(code: LocateErrorCode, message: string, identifier?: string): LocateResult {
  return {
    ok: false,
    error: identifier === undefined ? { code, message } : { code, message, identifier },
  };
}

function locateHeader(parent: XmlElement | undefined): XmlElement[] {
  if (parent === undefined) return [];
  return parent.children.filter((child) => child.name === 'AppHdr' && isHeaderNamespace(child.namespace));
}

function checkHeader(header: XmlElement, definition: MessageDefinition): LocateResult | undefined {
  const headerIdentifier = identifierOfNamespace(header.namespace) ?? '';
  const version = parseMessageIdentifier(headerIdentifier)?.version ?? 0;
  if (!SUPPORTED_HEADER_VERSIONS.includes(version)) {
    const supported = SUPPORTED_HEADER_VERSIONS.map((each) => formatIdentifier('head.001', each));
    return fail(
      'header_unsupported',
      `The header ${headerIdentifier} is not supported; supported: ${supported.join(', ')}.`,
      headerIdentifier,
    );
  }
  const declared = descendantText(header, 'MsgDefIdr');
  if (declared !== undefined && declared !== definition.identifier) {
    return fail(
      'header_mismatch',
      `The header names ${declared.slice(0, 35)} but the Document is ${definition.identifier}.`,
      definition.identifier,
    );
  }
  return undefined;
}

/** Identifies the message by its Document namespace and finds its header, if any. */
export function locateMessage(root: XmlElement): LocateResult {
  const documents = findDocuments(root);
  const first = documents[0];
  if (first === undefined) {
    const onlyHeader = root.name === 'AppHdr' && isHeaderNamespace(root.namespace);
    return fail(
      'document_not_found',
      onlyHeader
        ? 'The message is a Business Application Header without a Document.'
        : `No ISO 20022 Document was found (root element "${root.name.slice(0, 64)}").`,
    );
  }
  if (documents.length > 1) {
    return fail('document_ambiguous', 'The message holds more than one Document.');
  }
  const identifier = identifierOfNamespace(first.document.namespace) ?? '';
  const definition = definitionOfNamespace(first.document.namespace);
  if (definition === undefined) {
    return fail('message_unsupported', `The message ${identifier} is not supported.`, identifier);
  }
  const messageElement = first.document.children[0];
  if (messageElement === undefined || first.document.children.length > 1) {
    return fail(
      'document_empty',
      'The Document must hold exactly one message element.',
      identifier,
    );
  }
  const headers = locateHeader(first.parent);
  if (headers.length > 1) {
    return fail('header_ambiguous', 'The message holds more than one AppHdr.', identifier);
  }
  const header = headers[0];
  if (header !== undefined) {
    const headerProblem = checkHeader(header, definition);
    if (headerProblem !== undefined) return headerProblem;
  }
  const located: LocatedMessage = {
    definition,
    document: first.document,
    messageElement,
    enveloped: first.parent !== undefined,
    ...(header === undefined ? {} : { header }),
  };
  return { ok: true, located };
}
