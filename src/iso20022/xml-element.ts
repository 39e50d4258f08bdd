// A namespace-resolved XML element tree: what the safe reader produces and the writer consumes.
// Prefixes are gone; every element and attribute carries its namespace URI instead.

export interface XmlAttribute {
  /** Namespace URI; '' for the unqualified attributes ISO uses (Ccy). */
  readonly namespace: string;
  readonly name: string;
  readonly value: string;
}

export interface XmlElement {
  /** Namespace URI; '' when the element is in no namespace. */
  readonly namespace: string;
  /** Local name, without any prefix. */
  readonly name: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlElement[];
  /** Character data directly inside this element, entity references decoded. */
  readonly text: string;
}

export function createElement(
  namespace: string,
  name: string,
  children: readonly XmlElement[] = [],
  text = '',
  attributes: readonly XmlAttribute[] = [],
): XmlElement {
  return { namespace, name, attributes, children, text };
}

/** The first child with this local name in the parent's namespace. */
export function childElement(parent: XmlElement, name: string): XmlElement | undefined {
  return parent.children.find(
    (child) => child.name === name && child.namespace === parent.namespace,
  );
}

/** All children with this local name in the parent's namespace, in document order. */
export function childElements(parent: XmlElement, name: string): XmlElement[] {
  return parent.children.filter(
    (child) => child.name === name && child.namespace === parent.namespace,
  );
}

/** Follows a path of local names; undefined as soon as one step is missing. */
export function descendant(
  parent: XmlElement | undefined,
  ...names: readonly string[]
): XmlElement | undefined {
  let current = parent;
  for (const name of names) {
    if (current === undefined) return undefined;
    current = childElement(current, name);
  }
  return current;
}

/**
 * The text of an element that holds a value: undefined when it holds none, that is when its
 * text is empty or only whitespace, or when it holds elements instead of text. Every reader
 * takes a field's value through here, so that such an element is never a value.
 */
export function textOf(element: XmlElement | undefined): string | undefined {
  if (element === undefined || element.children.length > 0) return undefined;
  return /\S/.test(element.text) ? element.text : undefined;
}

/** Text of the element at a path (see textOf), or undefined when it is absent or holds none. */
export function descendantText(
  parent: XmlElement | undefined,
  ...names: readonly string[]
): string | undefined {
  return textOf(descendant(parent, ...names));
}

export function attributeValue(element: XmlElement, name: string): string | undefined {
  return element.attributes.find((attribute) => attribute.namespace === '' && attribute.name === name)
    ?.value;
}
