// Loader for OpenSanctions FollowTheMoney (FtM) entity exports in JSON Lines
// (entities.ftm.json): one entity object per line, properties as lists of strings.
import { JSON_LINE_LENGTH_MAX } from './limits.js';
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
  type ListError,
  type ListLoadOptions,
  type ListResult,
  type SanctionsEntry,
} from './model.js';

/** FtM schemas of parties that can be screened by name, and what kind of party each is. */
const SCREENED_SCHEMAS: ReadonlyMap<string, EntryKind> = new Map([
  ['Person', 'individual'], ['Organization', 'entity'], ['Company', 'entity'],
  ['LegalEntity', 'entity'], ['PublicBody', 'entity'], ['Vessel', 'vessel'],
  ['Airplane', 'aircraft'],
]);

interface FtmEntity {
  readonly id: string;
  readonly schema: string;
  readonly caption: string | undefined;
  readonly target: boolean;
  readonly datasets: readonly string[];
  readonly properties: Readonly<Record<string, readonly string[]>>;
}

type EntityResult = { readonly ok: true; readonly entity: FtmEntity | undefined } | ListError;

/**
 * Reads an FtM JSON Lines export. Only target entities (the listed parties themselves, not
 * context such as addresses, owners or passports) of a screenable schema become entries;
 * Sanction entities contribute their programme ids to the entity they designate.
 */
export function loadOpenSanctionsFtm(
  content: ListContent,
  options: ListLoadOptions = {},
): ListResult {
  const decoded = decodeListContent(content, options);
  if (!decoded.ok) return decoded;
  const text = decoded.text;
  const entriesMax = entriesMaxOf(options);
  const targets: FtmEntity[] = [];
  const sanctionPrograms = new Map<string, string[]>();
  let lineNumber = 0;
  for (let start = 0; start < text.length;) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    lineNumber++;
    const parsed = readLine(text.slice(start, end), lineNumber);
    start = end + 1;
    if (!parsed.ok) return parsed;
    const entity = parsed.entity;
    if (entity === undefined) continue;
    if (entity.schema === 'Sanction') {
      for (const designated of entity.properties['entity'] ?? []) {
        const programs = sanctionPrograms.get(designated) ?? [];
        programs.push(...(entity.properties['programId'] ?? []));
        sanctionPrograms.set(designated, programs);
      }
    } else if (entity.target && SCREENED_SCHEMAS.has(entity.schema)) {
      if (targets.length >= entriesMax) return tooManyEntries(entriesMax);
      targets.push(entity);
    }
  }
  const warnings = createWarningLog();
  const entries: SanctionsEntry[] = [];
  const seen = new Set<string>();
  for (const entity of targets) {
    if (seen.has(entity.id)) {
      warnings.add('entry_duplicated', `The entity ${entity.id} appears twice.`);
      continue;
    }
    seen.add(entity.id);
    entries.push(toEntry(entity, sanctionPrograms.get(entity.id) ?? []));
  }
  return loadedList('opensanctions', entries, warnings);
}

function readLine(line: string, lineNumber: number): EntityResult {
  if (line.trim().length === 0) return { ok: true, entity: undefined };
  if (line.length > JSON_LINE_LENGTH_MAX) {
    return listError('json_malformed', `Line ${lineNumber} is longer than the ` +
      `${JSON_LINE_LENGTH_MAX} characters accepted.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return listError('json_malformed', `Line ${lineNumber} is not valid JSON.`);
  }
  const entity = readEntity(value);
  if (entity === undefined) {
    return listError('entry_malformed', `Line ${lineNumber} is not an FtM entity: it needs ` +
      'a string "id", a string "schema" and a "properties" object of string lists.');
  }
  return { ok: true, entity };
}

function readEntity(value: unknown): FtmEntity | undefined {
  if (!isRecord(value)) return undefined;
  const { id, schema, caption, target, datasets, properties } = value;
  if (typeof id !== 'string' || id.length === 0 || typeof schema !== 'string') return undefined;
  if (!isRecord(properties)) return undefined;
  const lists: Record<string, readonly string[]> = {};
  for (const [name, values] of Object.entries(properties)) {
    if (!Array.isArray(values) || !values.every((item) => typeof item === 'string')) {
      return undefined;
    }
    lists[name] = values;
  }
  return {
    id,
    schema,
    caption: typeof caption === 'string' ? caption : undefined,
    target: target === true,
    datasets: Array.isArray(datasets) ? datasets.filter((item) => typeof item === 'string') : [],
    properties: lists,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toEntry(entity: FtmEntity, sanctionPrograms: readonly string[]): SanctionsEntry {
  const property = (name: string): readonly string[] => entity.properties[name] ?? [];
  const names = distinctNonEmpty([...property('name'), ...property('alias'),
    ...property('previousName')]);
  const primaryName = entity.caption?.trim() || names[0] || entity.id;
  const programs = distinctNonEmpty([...property('programId'), ...sanctionPrograms]);
  const notes = property('notes').join(' ').trim();
  const entry: SanctionsEntry = {
    source: 'opensanctions',
    listId: entity.id,
    kind: SCREENED_SCHEMAS.get(entity.schema) ?? 'entity',
    primaryName,
    aliases: names.filter((name) => name !== primaryName),
    weakAliases: distinctNonEmpty(property('weakAlias')),
    // Without programme ids, the datasets (eu_fsf, us_ofac_sdn …) say which lists name it.
    programs: programs.length > 0 ? programs : distinctNonEmpty(entity.datasets),
    countries: distinctNonEmpty([...property('nationality'), ...property('citizenship'),
      ...property('country')]),
    birthDates: distinctNonEmpty(property('birthDate')),
  };
  return withOptional(entry, undefined, notes.length > 0 ? notes : undefined);
}
