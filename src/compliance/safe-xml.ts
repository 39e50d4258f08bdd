// Parsing list XML that may be hostile. Lists are downloaded from the internet and could be
// swapped in transit or on a mirror, so the parser is treated as exposed to an attacker:
// no document type declarations at all (which rules out entity expansion "billion laughs"
// and external entities), only the five predefined entities and character references, a
// bounded nesting depth, and a bounded size checked before parsing.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { XML_NESTING_DEPTH_MAX } from './limits.js';
import { sentence } from './list-input.js';
import { listError, type ListError } from './model.js';

/** A parsed element: text content, child elements by name, or repeated elements. */
export type XmlValue = string | XmlElement | XmlValue[];
export interface XmlElement {
  readonly [name: string]: XmlValue | undefined;
}

export type XmlResult = { readonly ok: true; readonly root: XmlElement } | ListError;

export interface XmlParseOptions {
  /** Name of the expected document element, after namespace prefixes are removed. */
  readonly rootElement: string;
  /** Elements that may repeat: always returned as arrays, even when there is one. */
  readonly repeatedElements: ReadonlySet<string>;
  readonly depthMax?: number;
}

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'",
};
const REFERENCE_PATTERN = /&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));/g;
const REFERENCE_AT_PATTERN = /&(?:amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/y;
const CODE_POINT_MAX = 0x10ffff;

/** Name the parser gives text content when an element also has attributes. */
const TEXT_KEY = '#text';

/**
 * Decodes the five predefined entities and numeric character references in one pass, so
 * "&amp;#39;" stays the text "&#39;". It replaces the parser's own decoder, which would
 * otherwise also expand entities declared in a document type declaration.
 */
const listEntityDecoder = {
  setExternalEntities(): void {},
  addInputEntities(): void {},
  reset(): void {},
  setXmlVersion(): void {},
  decode(text: string): string {
    if (!text.includes('&')) return text;
    return text.replace(REFERENCE_PATTERN, (
      reference: string,
      name: string | undefined,
      decimal: string | undefined,
      hexadecimal: string | undefined,
    ) => {
      if (name !== undefined) return PREDEFINED_ENTITIES[name] ?? reference;
      const codePoint = decimal !== undefined
        ? Number.parseInt(decimal, 10)
        : Number.parseInt(hexadecimal ?? '', 16);
      const valid = codePoint > 0 && codePoint <= CODE_POINT_MAX &&
        !(codePoint >= 0xd800 && codePoint <= 0xdfff);
      return valid ? String.fromCodePoint(codePoint) : reference;
    });
  },
};

/**
 * Refuses document type, entity and other markup declarations, and any reference to an
 * entity other than the five predefined ones. Comments and CDATA sections are skipped, since
 * "<!" and "&" are plain text there. One linear pass; unclosed sections are left to the
 * validator.
 */
export function findForbiddenMarkup(text: string): ListError | undefined {
  let index = 0;
  // Each search result is kept until passed, so text full of "&" stays one linear pass.
  let declaration = text.indexOf('<!');
  let ampersand = text.indexOf('&');
  while (declaration !== -1 || ampersand !== -1) {
    if (ampersand !== -1 && (declaration === -1 || ampersand < declaration)) {
      REFERENCE_AT_PATTERN.lastIndex = ampersand;
      if (!REFERENCE_AT_PATTERN.test(text)) {
        return listError(
          'xml_entity_reference_forbidden',
          `The XML refers to an entity at line ${lineAt(text, ampersand)}; only the five ` +
            'predefined XML entities and character references are accepted.',
        );
      }
      index = ampersand + 1;
    } else {
      const sectionEnd = skippedSectionEnd(text, declaration);
      if (sectionEnd === undefined) {
        return listError(
          'xml_declaration_forbidden',
          `The XML contains a declaration at line ${lineAt(text, declaration)}; document ` +
            'type and entity declarations are refused.',
        );
      }
      if (sectionEnd === -1) return undefined;
      index = sectionEnd;
    }
    if (declaration !== -1 && declaration < index) declaration = text.indexOf('<!', index);
    if (ampersand !== -1 && ampersand < index) ampersand = text.indexOf('&', index);
  }
  return undefined;
}

/** End of a comment or CDATA section starting at index; -1 if unclosed; undefined if neither. */
function skippedSectionEnd(text: string, index: number): number | undefined {
  let terminator: string;
  if (text.startsWith('<!--', index)) terminator = '-->';
  else if (text.startsWith('<![CDATA[', index)) terminator = ']]>';
  else return undefined;
  const end = text.indexOf(terminator, index + 4);
  return end === -1 ? -1 : end + terminator.length;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let position = text.indexOf('\n'); position !== -1 && position < index;) {
    line++;
    position = text.indexOf('\n', position + 1);
  }
  return line;
}

/** Parses list XML under the rules above; every refusal is a typed error, never a throw. */
export function parseListXml(text: string, options: XmlParseOptions): XmlResult {
  const forbidden = findForbiddenMarkup(text);
  if (forbidden !== undefined) return forbidden;
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { msg, line } = validation.err;
    return listError('xml_malformed', `The XML is malformed at line ${line}: ${sentence(msg)}`);
  }
  const depthMax = options.depthMax ?? XML_NESTING_DEPTH_MAX;
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    entityDecoder: listEntityDecoder,
    maxNestedTags: depthMax,
    isArray: (name) => options.repeatedElements.has(name),
  });
  let document: unknown;
  try {
    document = parser.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/nested tags/i.test(reason)) {
      return listError('xml_too_deep', `The XML nests elements deeper than ${depthMax} levels.`);
    }
    return listError('xml_malformed', `The XML could not be parsed: ${sentence(reason)}`);
  }
  const root = isElement(document) ? document[options.rootElement] : undefined;
  if (!isElement(root)) {
    return listError(
      'list_root_unexpected',
      `The XML document element is not <${options.rootElement}>; this is not the expected list.`,
    );
  }
  return { ok: true, root };
}

export function isElement(value: unknown): value is XmlElement {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text of an element, whether written plain or alongside attributes. */
export function textOf(value: XmlValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (isElement(value)) {
    const text = value[TEXT_KEY];
    return typeof text === 'string' ? text : undefined;
  }
  return undefined;
}

/** The trimmed, non-empty text of the named child, if any. */
export function childText(element: XmlElement, name: string): string | undefined {
  const child = element[name];
  const text = textOf(Array.isArray(child) ? child[0] : child);
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed.length === 0 ? undefined : trimmed;
}

/** The named children that are elements; empty elements such as <ADDRESS/> are skipped. */
export function childElements(element: XmlElement, name: string): XmlElement[] {
  const child = element[name];
  const values = Array.isArray(child) ? child : child === undefined ? [] : [child];
  return values.filter(isElement);
}

/** The trimmed, non-empty texts of all the named children. */
export function childTexts(element: XmlElement, name: string): string[] {
  const child = element[name];
  const values = Array.isArray(child) ? child : child === undefined ? [] : [child];
  const texts: string[] = [];
  for (const value of values) {
    const text = textOf(value)?.trim();
    if (text !== undefined && text.length > 0) texts.push(text);
  }
  return texts;
}

/** An attribute of an element. */
export function attributeOf(element: XmlElement, name: string): string | undefined {
  const value = element[`@${name}`];
  return typeof value === 'string' ? value : undefined;
}
