// Turns namespace-resolved element trees into XML text. Generators build trees with an element
// factory bound to one namespace; the writer declares namespaces where they change.
import { XMLBuilder } from 'fast-xml-parser';
import type { XmlAttribute, XmlElement } from './xml-element.js';

export type OptionalElement = XmlElement | undefined;

/** Builds elements of one namespace; absent optional values simply produce no element. */
export interface ElementFactory {
  readonly namespace: string;
  element(
    name: string,
    children: readonly OptionalElement[],
    attributes?: readonly XmlAttribute[],
  ): XmlElement;
  /** An element only when at least one child is present. */
  group(name: string, children: readonly OptionalElement[]): OptionalElement;
  text(
    name: string,
    value: string | undefined,
    attributes?: readonly XmlAttribute[],
  ): OptionalElement;
  /** A required text element; the caller has already checked that the value is present. */
  required(name: string, value: string): XmlElement;
}

function present(children: readonly OptionalElement[]): XmlElement[] {
  return children.filter((child): child is XmlElement => child !== undefined);
}

export function elementFactory(namespace: string): ElementFactory {
  const element = (
    name: string,
    children: readonly OptionalElement[],
    attributes: readonly XmlAttribute[] = [],
  ): XmlElement => ({ namespace, name, attributes, children: present(children), text: '' });
  const required = (name: string, value: string): XmlElement => ({
    namespace,
    name,
    attributes: [],
    children: [],
    text: value,
  });
  return {
    namespace,
    element,
    group(name, children) {
      const kept = present(children);
      return kept.length === 0 ? undefined : element(name, kept);
    },
    text(name, value, attributes = []) {
      return value === undefined ? undefined : {
        namespace,
        name,
        attributes,
        children: [],
        text: value,
      };
    },
    required,
  };
}

type OrderedNode = Record<string, unknown>;

const BUILDER_OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: '#text',
  indentBy: '  ',
  suppressEmptyNode: false,
  processEntities: true,
};
const indentedBuilder = new XMLBuilder({ ...BUILDER_OPTIONS, format: true });
const compactBuilder = new XMLBuilder({ ...BUILDER_OPTIONS, format: false });

const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

function attributePrefix(namespace: string, declared: Map<string, string>): string {
  const known = declared.get(namespace);
  if (known !== undefined) return known;
  const prefix = namespace === XSI_NAMESPACE ? 'xsi' : `n${declared.size + 1}`;
  declared.set(namespace, prefix);
  return prefix;
}

function toOrderedNode(element: XmlElement, inheritedNamespace: string | undefined): OrderedNode {
  const attributes: Record<string, string> = {};
  if (element.namespace !== (inheritedNamespace ?? '')) attributes['xmlns'] = element.namespace;
  const declared = new Map<string, string>();
  for (const attribute of element.attributes) {
    if (attribute.namespace === '') {
      attributes[attribute.name] = attribute.value;
    } else {
      const prefix = attributePrefix(attribute.namespace, declared);
      attributes[`xmlns:${prefix}`] = attribute.namespace;
      attributes[`${prefix}:${attribute.name}`] = attribute.value;
    }
  }
  const content: OrderedNode[] =
    element.children.length > 0
      ? element.children.map((child) => toOrderedNode(child, element.namespace))
      : [{ '#text': element.text }];
  const node: OrderedNode = { [element.name]: content };
  if (Object.keys(attributes).length > 0) node[':@'] = attributes;
  return node;
}

export interface SerializeOptions {
  /** Emit the `<?xml version="1.0" encoding="UTF-8"?>` declaration. Default: true. */
  readonly declaration?: boolean;
  /** 'indented' (default, for people) or 'compact' (about a third smaller, for machines). */
  readonly layout?: 'indented' | 'compact';
}

/** Serialises an element tree; namespaces are declared as default namespaces where they change. */
export function serializeXml(root: XmlElement, options: SerializeOptions = {}): string {
  const nodes: OrderedNode[] = [];
  if (options.declaration !== false) {
    nodes.push({ '?xml': [{ '#text': '' }], ':@': { version: '1.0', encoding: 'UTF-8' } });
  }
  nodes.push(toOrderedNode(root, undefined));
  const builder = options.layout === 'compact' ? compactBuilder : indentedBuilder;
  const xml = builder.build(nodes) as string;
  return xml.endsWith('\n') ? xml : `${xml}\n`;
}
