// Loader for OFAC's legacy SDN CSV files: sdn.csv, with alt.csv (aliases), add.csv
// (addresses) and sdn_comments.csv (remark continuations) joined on ent_num.
// The files have no header row; columns are fixed by position.
import { parse } from 'csv-parse/sync';
import { LIST_ROWS_MAX } from './limits.js';
import {
  createWarningLog,
  decodeListContent,
  distinctNonEmpty,
  entriesMaxOf,
  loadedList,
  sentence,
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

/** The four legacy files; only sdn.csv is required, the others enrich its entries. */
export interface OfacCsvFiles {
  readonly sdn: ListContent;
  readonly alt?: ListContent;
  readonly add?: ListContent;
  readonly comments?: ListContent;
}

type FileName = 'sdn.csv' | 'alt.csv' | 'add.csv' | 'sdn_comments.csv';

/** Columns per file, from OFAC's data specification. */
const COLUMN_COUNTS: Readonly<Record<FileName, number>> = {
  'sdn.csv': 12, 'alt.csv': 5, 'add.csv': 6, 'sdn_comments.csv': 2,
};

/** OFAC's null value; the published files pad it with a trailing space ("-0- "). */
const NULL_MARKER = '-0-';

/** Longest CSV record accepted, in characters; real remarks stay far below this. */
const RECORD_LENGTH_MAX = 1024 * 1024;

/** Older DOS-era tools end text files with Ctrl-Z (0x1A); it is not part of the data. */
const END_OF_FILE_CHARACTER = '\u001a';

const ENTRY_NUMBER = /^[0-9]{1,12}$/;

/** Several programmes are written "NPWMD] [IFSR"; the published list adds the outer brackets. */
const PROGRAM_SEPARATOR = /\]\s*\[/;

/**
 * Aliases quoted in the remarks ("a.k.a. 'HESA'; f.k.a. 'SHAHIN CO.'."). An alias may itself
 * hold an apostrophe, so it ends only at a quote followed by ";", "." or the end.
 */
const REMARK_ALIAS = /\b[afn]\.k\.a\.\s+'(.+?)'(?=[;.]|$)/g;
const REMARK_BIRTH_DATE = /\bDOB ([^;]+)/g;
const REMARK_COUNTRY = /\b(?:nationality|citizen) ([^;]+)/g;

const SDN_TYPES: ReadonlyMap<string, EntryKind> = new Map([
  ['individual', 'individual'], ['vessel', 'vessel'], ['aircraft', 'aircraft'],
]);

interface EntryDraft {
  readonly listId: string;
  readonly kind: EntryKind;
  readonly primaryName: string;
  readonly programs: string[];
  remarks: string;
  readonly aliases: string[];
  readonly countries: string[];
}

type Row = (string | undefined)[];
type Rows = { readonly ok: true; readonly rows: Row[] } | ListError;

/**
 * Reads OFAC's legacy CSV files. Alias, address and comment rows whose ent_num is not in
 * sdn.csv are reported as warnings, not errors: they do not change any listed entry.
 */
export function loadOfacSdnCsv(files: OfacCsvFiles, options: ListLoadOptions = {}): ListResult {
  const sdnRows = readRows(files.sdn, 'sdn.csv', options);
  if (!sdnRows.ok) return sdnRows;
  const entriesMax = entriesMaxOf(options);
  if (sdnRows.rows.length > entriesMax) return tooManyEntries(entriesMax);
  const warnings = createWarningLog();
  const drafts = new Map<string, EntryDraft>();
  for (const [index, row] of sdnRows.rows.entries()) {
    const draft = readSdnRow(row, index + 1, warnings);
    if ('ok' in draft) return draft;
    if (drafts.has(draft.listId)) {
      warnings.add('entry_duplicated', `The ent_num ${draft.listId} appears twice in sdn.csv.`);
      continue;
    }
    drafts.set(draft.listId, draft);
  }
  const joined = joinAuxiliaryFiles(files, drafts, warnings, options);
  if (joined !== undefined) return joined;
  return loadedList('ofac', [...drafts.values()].map(finishEntry), warnings);
}

function joinAuxiliaryFiles(
  files: OfacCsvFiles,
  drafts: Map<string, EntryDraft>,
  warnings: WarningLog,
  options: ListLoadOptions,
): ListError | undefined {
  const joins = [
    { content: files.alt, file: 'alt.csv', entryColumn: 0, code: 'alias_without_entry',
      apply: (draft: EntryDraft, row: Row) => draft.aliases.push(row[3] ?? '') },
    { content: files.add, file: 'add.csv', entryColumn: 0, code: 'address_without_entry',
      apply: (draft: EntryDraft, row: Row) => draft.countries.push(row[4] ?? '') },
    { content: files.comments, file: 'sdn_comments.csv', entryColumn: 0,
      code: 'comment_without_entry',
      // Remarks_Extended continues Remarks mid-word, so the two are joined without a space.
      apply: (draft: EntryDraft, row: Row) => { draft.remarks += row[1] ?? ''; } },
  ] as const;
  for (const join of joins) {
    if (join.content === undefined) continue;
    const parsed = readRows(join.content, join.file, options);
    if (!parsed.ok) return parsed;
    if (parsed.rows.length > LIST_ROWS_MAX) {
      return listError('list_too_many_entries',
        `${join.file} holds more than the ${LIST_ROWS_MAX} rows accepted.`);
    }
    for (const [index, row] of parsed.rows.entries()) {
      const entryNumber = row[join.entryColumn] ?? '';
      const draft = drafts.get(entryNumber);
      if (draft === undefined) {
        warnings.add(join.code, `Row ${index + 1} of ${join.file} refers to ent_num ` +
          `${entryNumber || '(empty)'}, which is not in sdn.csv.`);
        continue;
      }
      join.apply(draft, row);
    }
  }
  return undefined;
}

function readSdnRow(row: Row, rowNumber: number, warnings: WarningLog): EntryDraft | ListError {
  const [listId, name, type, program] = row;
  if (listId === undefined || !ENTRY_NUMBER.test(listId) || name === undefined) {
    return listError(
      'entry_malformed',
      `Row ${rowNumber} of sdn.csv has no numeric ent_num or no SDN_Name.`,
    );
  }
  let kind: EntryKind = 'entity';
  if (type !== undefined) {
    const known = SDN_TYPES.get(type.toLowerCase());
    if (known === undefined) {
      warnings.add('entity_type_unknown', `Row ${rowNumber} of sdn.csv has the unknown ` +
        `SDN_Type "${type.slice(0, 40)}"; it is treated as an entity.`);
    }
    kind = known ?? 'entity';
  }
  const programs = (program ?? '').replace(/^\[|\]$/g, '').split(PROGRAM_SEPARATOR);
  const vesselFlag = row[9];
  return {
    listId,
    kind,
    primaryName: name,
    programs,
    remarks: row[11] ?? '',
    aliases: [],
    countries: vesselFlag === undefined ? [] : [vesselFlag],
  };
}

function finishEntry(draft: EntryDraft): SanctionsEntry {
  const remarks = draft.remarks.trim();
  const remarkAliases = [...remarks.matchAll(REMARK_ALIAS)].map((match) => match[1] ?? '');
  const entry: SanctionsEntry = {
    source: 'ofac',
    listId: draft.listId,
    kind: draft.kind,
    primaryName: draft.primaryName,
    aliases: distinctNonEmpty([...draft.aliases, ...remarkAliases])
      .filter((alias) => alias !== draft.primaryName),
    weakAliases: [],
    programs: distinctNonEmpty(draft.programs),
    countries: distinctNonEmpty([
      ...draft.countries,
      ...[...remarks.matchAll(REMARK_COUNTRY)].map((match) => match[1] ?? ''),
    ]),
    birthDates: distinctNonEmpty(
      [...remarks.matchAll(REMARK_BIRTH_DATE)].map((match) => match[1] ?? ''),
    ),
  };
  return withOptional(entry, undefined, remarks.length > 0 ? remarks : undefined);
}

/** Parses one headerless CSV file into rows of trimmed fields, with "-0-" read as absent. */
function readRows(content: ListContent, file: FileName, options: ListLoadOptions): Rows {
  const decoded = decodeListContent(content, options);
  if (!decoded.ok) return { ...decoded, message: `${file}: ${decoded.message}` };
  let records: string[][];
  try {
    records = parse(withoutEndOfFileCharacter(decoded.text), {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      max_record_size: RECORD_LENGTH_MAX,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return listError('csv_malformed', `${file} is not valid CSV: ${sentence(reason)}`);
  }
  const expected = COLUMN_COUNTS[file];
  const rows: Row[] = [];
  for (const [index, record] of records.entries()) {
    if (record.length !== expected) {
      return listError('csv_malformed', `Row ${index + 1} of ${file} has ${record.length} ` +
        `fields; ${expected} are expected.`);
    }
    rows.push(record.map(readField));
  }
  return { ok: true, rows };
}

function withoutEndOfFileCharacter(text: string): string {
  const trimmed = text.trimEnd();
  return trimmed.endsWith(END_OF_FILE_CHARACTER) ? trimmed.slice(0, -1) : text;
}

function readField(field: string): string | undefined {
  const trimmed = field.trim();
  return trimmed.length === 0 || trimmed === NULL_MARKER ? undefined : trimmed;
}
