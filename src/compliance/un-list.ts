// Loader for the UN Security Council Consolidated List XML
// (https://scsanctions.un.org/resources/xml/en/consolidated.xml).
import {
  createWarningLog,
  decodeListContent,
  distinctNonEmpty,
  entriesMaxOf,
  loadedList,
  tooManyEntries,
  withOptional,
  type ListContent,
} from './list-input.js';
import {
  listError,
  type EntryKind,
  type ListLoadOptions,
  type ListResult,
  type SanctionsEntry,
} from './model.js';
import {
  attributeOf,
  childElements,
  childText,
  childTexts,
  parseListXml,
  type XmlElement,
} from './safe-xml.js';

const REPEATED_ELEMENTS: ReadonlySet<string> = new Set([
  'INDIVIDUAL', 'ENTITY', 'INDIVIDUAL_ALIAS', 'ENTITY_ALIAS', 'VALUE', 'INDIVIDUAL_ADDRESS',
  'ENTITY_ADDRESS', 'INDIVIDUAL_DATE_OF_BIRTH', 'INDIVIDUAL_PLACE_OF_BIRTH',
  'INDIVIDUAL_DOCUMENT',
]);

const NAME_PARTS = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'] as const;

/** The UN separates several spellings inside one ALIAS_NAME with "; ". */
const ALIAS_SEPARATOR = /\s*;\s*/;

/** UN alias quality meaning "too little to identify the person" (OpenSanctions: weakAlias). */
const LOW_QUALITY = 'low';

/**
 * Reads the UN consolidated list: every INDIVIDUAL and ENTITY with its reference number,
 * names (FIRST_NAME … FOURTH_NAME joined in order), aliases and original-script name.
 */
export function loadUnConsolidatedXml(
  content: ListContent,
  options: ListLoadOptions = {},
): ListResult {
  const decoded = decodeListContent(content, options);
  if (!decoded.ok) return decoded;
  const parsed = parseListXml(decoded.text, {
    rootElement: 'CONSOLIDATED_LIST',
    repeatedElements: REPEATED_ELEMENTS,
  });
  if (!parsed.ok) return parsed;
  const root = parsed.root;
  const blocks = [
    ...childElements(root, 'INDIVIDUALS').flatMap((group) => childElements(group, 'INDIVIDUAL'))
      .map((element) => ({ element, kind: 'individual' as const })),
    ...childElements(root, 'ENTITIES').flatMap((group) => childElements(group, 'ENTITY'))
      .map((element) => ({ element, kind: 'entity' as const })),
  ];
  const entriesMax = entriesMaxOf(options);
  if (blocks.length > entriesMax) return tooManyEntries(entriesMax);
  const warnings = createWarningLog();
  const entries: SanctionsEntry[] = [];
  const seen = new Set<string>();
  for (const [position, { element, kind }] of blocks.entries()) {
    const entry = readEntry(element, kind, position + 1);
    if ('ok' in entry) return entry;
    if (seen.has(entry.listId)) {
      warnings.add('entry_duplicated', `The reference number ${entry.listId} is listed twice.`);
      continue;
    }
    seen.add(entry.listId);
    entries.push(entry);
  }
  return loadedList('un', entries, warnings, attributeOf(root, 'dateGenerated'));
}

function readEntry(
  element: XmlElement,
  kind: EntryKind,
  position: number,
): SanctionsEntry | ReturnType<typeof listError> {
  const listId = childText(element, 'REFERENCE_NUMBER');
  const primaryName = NAME_PARTS.map((part) => childText(element, part))
    .filter((part) => part !== undefined)
    .join(' ');
  if (listId === undefined || primaryName.length === 0) {
    const tag = kind === 'individual' ? 'INDIVIDUAL' : 'ENTITY';
    return listError(
      'entry_malformed',
      `The ${tag} block number ${position} has no REFERENCE_NUMBER or no name.`,
    );
  }
  const aliasElements = childElements(element, kind === 'individual'
    ? 'INDIVIDUAL_ALIAS'
    : 'ENTITY_ALIAS');
  const aliases: string[] = [];
  const weakAliases: string[] = [];
  for (const alias of aliasElements) {
    const names = (childText(alias, 'ALIAS_NAME') ?? '').split(ALIAS_SEPARATOR);
    const quality = (childText(alias, 'QUALITY') ?? '').toLowerCase();
    (quality === LOW_QUALITY ? weakAliases : aliases).push(...names);
  }
  const originalScript = childText(element, 'NAME_ORIGINAL_SCRIPT');
  if (originalScript !== undefined) aliases.push(originalScript);
  const entry: SanctionsEntry = {
    source: 'un',
    listId,
    kind,
    primaryName,
    aliases: distinctNonEmpty(aliases).filter((alias) => alias !== primaryName),
    weakAliases: distinctNonEmpty(weakAliases),
    programs: distinctNonEmpty([childText(element, 'UN_LIST_TYPE') ?? '']),
    countries: distinctNonEmpty([
      ...childElements(element, 'NATIONALITY').flatMap((group) => childTexts(group, 'VALUE')),
      ...childElements(element, `${kind === 'individual' ? 'INDIVIDUAL' : 'ENTITY'}_ADDRESS`)
        .map((address) => childText(address, 'COUNTRY') ?? ''),
    ]),
    birthDates: distinctNonEmpty(childElements(element, 'INDIVIDUAL_DATE_OF_BIRTH')
      .map(birthDateOf)),
  };
  return withOptional(entry, childText(element, 'LISTED_ON'), childText(element, 'COMMENTS1'));
}

/** A birth date as the UN states it: a date, a year, or a range of years. */
function birthDateOf(element: XmlElement): string {
  const date = childText(element, 'DATE') ?? childText(element, 'YEAR');
  if (date !== undefined) return date;
  const from = childText(element, 'FROM_YEAR');
  const to = childText(element, 'TO_YEAR');
  return from !== undefined && to !== undefined ? `${from}/${to}` : '';
}
