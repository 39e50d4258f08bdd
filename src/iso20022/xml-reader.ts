// Safe XML reading: bounded size, depth and element count, no DOCTYPE or entity declarations,
// UTF-8 only, and namespace prefixes resolved to URIs. Every failure is a typed result.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  ATTRIBUTES_PER_ELEMENT_MAX,
  DEFAULT_READ_LIMITS,
  TEXT_CHARACTERS_MAX,
  type ReadLimits,
} from './limits.js';
import { INVALID_XML_CHARACTER } from './xml-characters.js';
import type { XmlAttribute, XmlElement } from './xml-element.js';

export type XmlReadErrorCode =
  | 'input_empty'
  | 'input_too_large'
  | 'encoding_invalid'
  | 'encoding_unsupported'
  | 'character_invalid'
  | 'doctype_forbidden'
  | 'entity_declaration_forbidden'
  | 'nesting_too_deep'
  | 'too_many_elements'
  | 'too_many_attributes'
  | 'text_too_long'
  | 'not_well_formed'
  | 'entity_reference_unknown'
  | 'namespace_prefix_undeclared';

export interface XmlReadError {
  readonly code: XmlReadErrorCode;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export type XmlReadResult =
  | { readonly ok: true; readonly root: XmlElement; readonly text: string }
  | { readonly ok: false; readonly error: XmlReadError };

/** Error codes that signal an attack or abuse rather than an honest mistake. */
export const HOSTILE_XML_ERROR_CODES: ReadonlySet<XmlReadErrorCode> = new Set([
  'input_too_large',
  'doctype_forbidden',
  'entity_declaration_forbidden',
  'nesting_too_deep',
  'too_many_elements',
  'too_many_attributes',
  'text_too_long',
]);

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const UTF8_BOM = '\uFEFF';

function failure(code: XmlReadErrorCode, message: string, line?: number, column?: number) {
  const error: XmlReadError =
    line === undefined ? { code, message } : { code, message, line, ...(column ? { column } : {}) };
  return { ok: false as const, error };
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

type DecodeResult = { ok: true; text: string } | { ok: false; error: XmlReadError };

function decodeInput(input: string | Uint8Array, limits: ReadLimits): DecodeResult {
  if (typeof input === 'string') {
    // A UTF-16 length above the byte limit proves the UTF-8 length is above it too.
    if (input.length > limits.messageBytesMax || Buffer.byteLength(input, 'utf8') > limits.messageBytesMax) {
      return failure(
        'input_too_large',
        `The message is larger than ${limits.messageBytesMax} bytes.`,
      );
    }
    return { ok: true, text: input.startsWith(UTF8_BOM) ? input.slice(1) : input };
  }
  if (input.byteLength > limits.messageBytesMax) {
    return failure(
      'input_too_large',
      `The message is larger than ${limits.messageBytesMax} bytes.`,
    );
  }
  const first = input[0];
  const second = input[1];
  if ((first === 0xfe && second === 0xff) || (first === 0xff && second === 0xfe)) {
    return failure('encoding_unsupported', 'The message is UTF-16; ISO 20022 messages are UTF-8.');
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(input) };
  } catch {
    return failure('encoding_invalid', 'The message bytes are not valid UTF-8.');
  }
}

function checkDeclaration(text: string): XmlReadError | undefined {
  if (!text.startsWith('<?xml')) return undefined;
  const end = text.indexOf('?>');
  const declaration = end === -1 ? text.slice(0, 200) : text.slice(0, end);
  const encoding = /encoding\s*=\s*["']([^"']*)["']/.exec(declaration)?.[1];
  if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) {
    return {
      code: 'encoding_unsupported',
      message: `The declared encoding "${encoding.slice(0, 20)}" is not UTF-8.`,
    };
  }
  return undefined;
}

interface ScanState {
  depth: number;
  elements: number;
  roots: number;
}

/**
 * One linear pass over the markup, before any real parsing: refuses declarations, counts
 * elements and tracks depth, so that no later stage ever sees a hostile structure.
 */
function scanMarkup(text: string, limits: ReadLimits): XmlReadError | undefined {
  const state: ScanState = { depth: 0, elements: 0, roots: 0 };
  let index = 0;
  for (;;) {
    const open = text.indexOf('<', index);
    const outside = state.depth === 0 ? text.slice(index, open === -1 ? text.length : open) : '';
    if (/\S/.test(outside)) {
      return notWellFormedAt(text, index, 'Text appears outside the root element.');
    }
    if (open === -1) break;
    const next = scanToken(text, open, state, limits);
    if (typeof next !== 'number') return next;
    index = next;
  }
  if (state.roots === 0) return {
    code: 'not_well_formed',
    message: 'The message has no root element.',
  };
  if (state.depth !== 0) return {
    code: 'not_well_formed',
    message: 'The message ends inside an element.',
  };
  return undefined;
}

function notWellFormedAt(text: string, offset: number, message: string): XmlReadError {
  const { line, column } = positionOf(text, offset);
  return { code: 'not_well_formed', message, line, column };
}

function skipPast(
  text: string,
  from: number,
  terminator: string,
  what: string,
): number | XmlReadError {
  const end = text.indexOf(terminator, from);
  if (end === -1) return notWellFormedAt(text, from, `Unterminated ${what}.`);
  return end + terminator.length;
}

function scanToken(
  text: string,
  open: number,
  state: ScanState,
  limits: ReadLimits,
): number | XmlReadError {
  if (text.startsWith('<!--', open)) return skipPast(text, open + 4, '-->', 'comment');
  if (text.startsWith('<![CDATA[', open)) {
    if (state.depth === 0) {
      return notWellFormedAt(text, open, 'CDATA appears outside the root element.');
    }
    return skipPast(text, open + 9, ']]>', 'CDATA section');
  }
  if (text.startsWith('<?', open)) return skipPast(text, open + 2, '?>', 'processing instruction');
  if (text.startsWith('<!', open)) return refuseDeclaration(text, open);
  if (text.charCodeAt(open + 1) === 0x2f /* '/' */) {
    state.depth -= 1;
    if (state.depth < 0) return notWellFormedAt(text, open, 'A closing tag has no opening tag.');
    return skipPast(text, open + 2, '>', 'closing tag');
  }
  return scanStartTag(text, open, state, limits);
}

function refuseDeclaration(text: string, open: number): XmlReadError {
  const keyword = text.slice(open + 2, open + 9).toUpperCase();
  const { line, column } = positionOf(text, open);
  if (keyword.startsWith('DOCTYPE')) {
    return {
      code: 'doctype_forbidden',
      message: 'DOCTYPE declarations are refused.',
      line,
      column,
    };
  }
  if (keyword.startsWith('ENTITY')) {
    return {
      code: 'entity_declaration_forbidden',
      message: 'Entity declarations are refused.',
      line,
      column,
    };
  }
  return notWellFormedAt(text, open, 'Unexpected markup declaration.');
}

function scanStartTag(
  text: string,
  open: number,
  state: ScanState,
  limits: ReadLimits,
): number | XmlReadError {
  let position = open + 1;
  let quote = 0;
  for (; position < text.length; position += 1) {
    const code = text.charCodeAt(position);
    if (quote !== 0) {
      if (code === quote) quote = 0;
    } else if (code === 0x22 || code === 0x27) {
      quote = code;
    } else if (code === 0x3e /* '>' */) {
      break;
    }
  }
  if (position >= text.length) return notWellFormedAt(text, open, 'Unterminated start tag.');
  state.elements += 1;
  if (state.elements > limits.elementCountMax) {
    return {
      code: 'too_many_elements',
      message: `The message has more than ${limits.elementCountMax} elements.`,
    };
  }
  if (state.depth === 0) {
    state.roots += 1;
    if (state.roots > 1) {
      return notWellFormedAt(text, open, 'The message has more than one root element.');
    }
  }
  if (text.charCodeAt(position - 1) !== 0x2f /* '/' */) {
    state.depth += 1;
    if (state.depth > limits.elementDepthMax) {
      const { line, column } = positionOf(text, open);
      return {
        code: 'nesting_too_deep',
        message: `Elements nest deeper than ${limits.elementDepthMax} levels.`,
        line,
        column,
      };
    }
  }
  return position + 1;
}

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

class ReadFailure extends Error {
  constructor(readonly error: XmlReadError) {
    super(error.message);
  }
}

/** Decodes the five predefined entities and character references; anything else is refused. */
function decodeReferences(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&\s]{0,40});|&/g, (whole, reference: string | undefined) => {
    if (reference === undefined) {
      throw new ReadFailure({ code: 'not_well_formed', message: 'A bare "&" is not a reference.' });
    }
    const predefined = PREDEFINED_ENTITIES[reference];
    if (predefined !== undefined) return predefined;
    const numeric = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(reference);
    if (numeric === null) {
      throw new ReadFailure({
        code: 'entity_reference_unknown',
        message: `The entity reference ${whole.slice(0, 44)} is not defined.`,
      });
    }
    const codePoint = numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2]);
    const character = codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : '\u0000';
    if (INVALID_XML_CHARACTER.test(character)) {
      throw new ReadFailure({
        code: 'character_invalid',
        message: `${whole} is not an XML character.`,
      });
    }
    return character;
  });
}

type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
  textNodeName: '#text',
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: false,
  maxNestedTags: 10_000,
});

interface NamespaceScope {
  readonly prefixes: ReadonlyMap<string, string>;
}

function resolveName(qualifiedName: string, scope: NamespaceScope, isAttribute: boolean) {
  const colon = qualifiedName.indexOf(':');
  if (colon === -1) {
    return { namespace: isAttribute ? '' : (scope.prefixes.get('') ?? ''), name: qualifiedName };
  }
  const prefix = qualifiedName.slice(0, colon);
  const name = qualifiedName.slice(colon + 1);
  const namespace = prefix === 'xml' ? XML_NAMESPACE : scope.prefixes.get(prefix);
  if (namespace === undefined || namespace === '' || name.includes(':') || name === '') {
    throw new ReadFailure({
      code: 'namespace_prefix_undeclared',
      message: `The prefix "${prefix.slice(0, 40)}" is not declared.`,
    });
  }
  return { namespace, name };
}

function openScope(rawAttributes: Record<string, string>, parent: NamespaceScope): NamespaceScope {
  let prefixes: Map<string, string> | undefined;
  for (const [name, rawValue] of Object.entries(rawAttributes)) {
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
    const value = decodeReferences(rawValue);
    const prefix = name === 'xmlns' ? '' : name.slice(6);
    if (prefix !== '' && value === '') {
      throw new ReadFailure({
        code: 'not_well_formed',
        message: `The prefix "${prefix}" is undeclared with "".`,
      });
    }
    prefixes ??= new Map(parent.prefixes);
    prefixes.set(prefix, value);
  }
  return prefixes === undefined ? parent : { prefixes };
}

function checkedText(text: string): string {
  if (text.length > TEXT_CHARACTERS_MAX) {
    throw new ReadFailure({
      code: 'text_too_long',
      message: `A text or attribute value is longer than ${TEXT_CHARACTERS_MAX} characters.`,
    });
  }
  return text;
}

function buildAttributes(
  rawAttributes: Record<string,
  string>,
  scope: NamespaceScope,
): XmlAttribute[] {
  const names = Object.keys(rawAttributes);
  if (names.length > ATTRIBUTES_PER_ELEMENT_MAX) {
    throw new ReadFailure({
      code: 'too_many_attributes',
      message: `An element has more than ${ATTRIBUTES_PER_ELEMENT_MAX} attributes.`,
    });
  }
  const attributes: XmlAttribute[] = [];
  for (const qualifiedName of names) {
    if (qualifiedName === 'xmlns' || qualifiedName.startsWith('xmlns:')) continue;
    const { namespace, name } = resolveName(qualifiedName, scope, true);
    attributes.push({
      namespace,
      name,
      value: checkedText(decodeReferences(rawAttributes[qualifiedName] ?? '')),
    });
  }
  return attributes;
}

function elementKey(node: OrderedNode): string | undefined {
  for (const key of Object.keys(node)) {
    if (key !== ':@') return key;
  }
  return undefined;
}

function textOfCdata(value: unknown): string {
  if (!Array.isArray(value)) return '';
  return value.map((part: OrderedNode) => (typeof part['#text'] === 'string' ? part['#text'] : '')).join('');
}

function buildElement(
  node: OrderedNode,
  qualifiedName: string,
  parentScope: NamespaceScope,
): XmlElement {
  const rawAttributes = (node[':@'] ?? {}) as Record<string, string>;
  const scope = openScope(rawAttributes, parentScope);
  const { namespace, name } = resolveName(qualifiedName, scope, false);
  const attributes = buildAttributes(rawAttributes, scope);
  const children: XmlElement[] = [];
  let text = '';
  const content = node[qualifiedName];
  for (const child of Array.isArray(content) ? (content as OrderedNode[]) : []) {
    const key = elementKey(child);
    if (key === undefined) continue;
    if (key === '#text') text += decodeReferences(String(child[key]));
    else if (key === '#cdata') text += textOfCdata(child[key]);
    else children.push(buildElement(child, key, scope));
  }
  // Indentation between child elements is not content.
  if (children.length > 0 && !/\S/.test(text)) text = '';
  return { namespace, name, attributes, children, text: checkedText(text) };
}

function toElementTree(text: string): XmlElement {
  const nodes = parser.parse(text) as OrderedNode[];
  const rootScope: NamespaceScope = { prefixes: new Map() };
  for (const node of nodes) {
    const key = elementKey(node);
    if (key !== undefined && key !== '#text' && key !== '#cdata') {
      return buildElement(node, key, rootScope);
    }
  }
  throw new ReadFailure({ code: 'not_well_formed', message: 'The message has no root element.' });
}

/**
 * Reads an XML message into a namespace-resolved element tree, refusing anything hostile.
 * Never throws for any input; all failures come back as a typed error.
 */
export function readXml(
  input: string | Uint8Array,
  limits: Partial<ReadLimits> = {},
): XmlReadResult {
  const effective: ReadLimits = { ...DEFAULT_READ_LIMITS, ...limits };
  const decoded = decodeInput(input, effective);
  if (!decoded.ok) return decoded;
  const text = decoded.text;
  if (!/\S/.test(text)) return failure('input_empty', 'The message is empty.');
  const invalid = INVALID_XML_CHARACTER.exec(text);
  if (invalid !== null) {
    const { line, column } = positionOf(text, invalid.index);
    return failure(
      'character_invalid',
      'The message contains a character XML forbids.',
      line,
      column,
    );
  }
  const declarationError = checkDeclaration(text);
  if (declarationError !== undefined) return { ok: false, error: declarationError };
  const scanError = scanMarkup(text, effective);
  if (scanError !== undefined) return { ok: false, error: scanError };
  const validation = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    return failure('not_well_formed', msg, line, col);
  }
  try {
    return { ok: true, root: toElementTree(text), text };
  } catch (error) {
    if (error instanceof ReadFailure) return { ok: false, error: error.error };
    // The parser refuses some names (for example "__proto__") by throwing.
    const message = error instanceof Error ? error.message.slice(0, 200) : 'The XML parser failed.';
    return failure('not_well_formed', message);
  }
}
