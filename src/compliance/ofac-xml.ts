// Loader for OFAC's SDN.XML (the sdnList schema; not the richer SDN_ADVANCED.XML).
import {
  createWarningLog,
  decodeListContent,
  distinctNonEmpty,
  entriesMaxOf,
  loadedList,
  tooManyEntries,
  withOptional,
  type ListContent,
  type WarningLog,
} from './list-input.js';
import {
  listError,
  type EntryKind,
  type ListError,
  type ListLoadOptions,
  type ListResult,
  type SanctionsEntry,
} from './model.js';
import {
  childElements,
  childText,
  childTexts,
  parseListXml,
  type XmlElement,
} from './safe-xml.js';

const REPEATED_ELEMENTS: ReadonlySet<string> = new Set([
  'sdnEntry', 'program', 'aka', 'address', 'nationality', 'citizenship', 'dateOfBirthItem',
  'placeOfBirthItem', 'id',
]);

const SDN_TYPES: ReadonlyMap<string, EntryKind> = new Map([
  ['individual', 'individual'], ['entity', 'entity'], ['vessel', 'vessel'],
  ['aircraft', 'aircraft'],
]);

/** OFAC marks generic aliases "weak"; they are kept apart from the screened aliases. */
const WEAK_CATEGORY = 'weak';

const UNITED_STATES_DATE = /^(\d{2})\/(\d{2})\/(\d{4})$/;

/** Reads OFAC SDN.XML; the namespace (which has changed over the years) is ignored. */
export function loadOfacSdnXml(content: ListContent, options: ListLoadOptions = {}): ListResult {
  const decoded = decodeListContent(content, options);
  if (!decoded.ok) return decoded;
  const parsed = parseListXml(decoded.text, {
    rootElement: 'sdnList',
    repeatedElements: REPEATED_ELEMENTS,
  });
  if (!parsed.ok) return parsed;
  const elements = childElements(parsed.root, 'sdnEntry');
  const entriesMax = entriesMaxOf(options);
  if (elements.length > entriesMax) return tooManyEntries(entriesMax);
  const warnings = createWarningLog();
  const entries: SanctionsEntry[] = [];
  const seen = new Set<string>();
  for (const [index, element] of elements.entries()) {
    const entry = readEntry(element, index + 1, warnings);
    if ('ok' in entry) return entry;
    if (seen.has(entry.listId)) {
      warnings.add('entry_duplicated', `The uid ${entry.listId} is listed twice.`);
      continue;
    }
    seen.add(entry.listId);
    entries.push(entry);
  }
  const publication = childElements(parsed.root, 'publshInformation')[0];
  const publishDate = publication === undefined
    ? undefined
    : childText(publication, 'Publish_Date');
  return loadedList('ofac', entries, warnings, isoDate(publishDate));
}

function readEntry(
  element: XmlElement,
  position: number,
  warnings: WarningLog,
): SanctionsEntry | ListError {
  const listId = childText(element, 'uid');
  const primaryName = personName(element);
  if (listId === undefined || primaryName === undefined) {
    return listError('entry_malformed', `The sdnEntry number ${position} has no uid or no name.`);
  }
  const type = (childText(element, 'sdnType') ?? 'entity').toLowerCase();
  const kind = SDN_TYPES.get(type);
  if (kind === undefined) {
    warnings.add('entity_type_unknown', `The sdnEntry ${listId} has the unknown sdnType ` +
      `"${type.slice(0, 40)}"; it is treated as an entity.`);
  }
  const aliases: string[] = [];
  const weakAliases: string[] = [];
  for (const aka of listItems(element, 'akaList', 'aka')) {
    const name = personName(aka);
    if (name === undefined) continue;
    const weak = childText(aka, 'category')?.toLowerCase() === WEAK_CATEGORY;
    (weak ? weakAliases : aliases).push(name);
  }
  const entry: SanctionsEntry = {
    source: 'ofac',
    listId,
    kind: kind ?? 'entity',
    primaryName,
    aliases: distinctNonEmpty(aliases).filter((alias) => alias !== primaryName),
    weakAliases: distinctNonEmpty(weakAliases),
    programs: distinctNonEmpty(childElements(element, 'programList')
      .flatMap((list) => childTexts(list, 'program'))),
    countries: distinctNonEmpty([
      ...listItems(element, 'nationalityList', 'nationality'),
      ...listItems(element, 'citizenshipList', 'citizenship'),
      ...listItems(element, 'addressList', 'address'),
    ].map((item) => childText(item, 'country') ?? '')),
    birthDates: distinctNonEmpty(listItems(element, 'dateOfBirthList', 'dateOfBirthItem')
      .map((item) => childText(item, 'dateOfBirth') ?? '')),
  };
  return withOptional(entry, undefined, childText(element, 'remarks'));
}

/** OFAC's own form: "LASTNAME, First names" for people, the last name alone for the rest. */
function personName(element: XmlElement): string | undefined {
  const lastName = childText(element, 'lastName');
  const firstName = childText(element, 'firstName');
  if (lastName === undefined) return firstName;
  return firstName === undefined ? lastName : `${lastName}, ${firstName}`;
}

function listItems(element: XmlElement, listName: string, itemName: string): XmlElement[] {
  return childElements(element, listName).flatMap((list) => childElements(list, itemName));
}

function isoDate(date: string | undefined): string | undefined {
  const match = date === undefined ? null : UNITED_STATES_DATE.exec(date);
  if (match === null) return date;
  return `${match[3]}-${match[1]}-${match[2]}`;
}
