// The shape of sanctions list entries and of the outcomes of loading a list.

/** The publisher a list entry was read from. */
export type SanctionsSource = 'un' | 'ofac' | 'opensanctions';

/** What a listed party is. Lists that do not say (OFAC CSV) mean an entity. */
export type EntryKind = 'individual' | 'entity' | 'vessel' | 'aircraft';

/** One listed party, the same shape whatever list it came from. */
export interface SanctionsEntry {
  readonly source: SanctionsSource;
  /** The publisher's identifier: UN REFERENCE_NUMBER, OFAC ent_num / uid, OpenSanctions id. */
  readonly listId: string;
  readonly kind: EntryKind;
  /** The name the publisher lists first, as written (OFAC writes "SURNAME, Given"). */
  readonly primaryName: string;
  /** Other names screened by default: strong aliases, former names, original-script names. */
  readonly aliases: readonly string[];
  /**
   * Names the publisher marks as weak or low quality (UN "Low", OFAC "weak", OpenSanctions
   * weakAlias): too generic to screen on by default ("Abu Fatma", "The Uncle").
   */
  readonly weakAliases: readonly string[];
  /** Sanctions programmes or regimes (UN list type, OFAC program, OpenSanctions programId). */
  readonly programs: readonly string[];
  /** Nationalities and address countries as the list writes them, for reviewing a match. */
  readonly countries: readonly string[];
  /** Dates or years of birth as the list writes them, for reviewing a match. */
  readonly birthDates: readonly string[];
  /** Date of listing (ISO 8601) when the list states it. */
  readonly listedOn?: string;
  /** Free-text remarks, for reviewing a match. */
  readonly remarks?: string;
}

/** Why a list file was refused. Stable: callers and monitoring may key on these codes. */
export type ListErrorCode =
  | 'file_not_found'
  | 'file_unreadable'
  | 'list_too_large'
  | 'list_encoding_invalid'
  | 'list_empty'
  | 'list_too_many_entries'
  | 'list_root_unexpected'
  | 'xml_declaration_forbidden'
  | 'xml_entity_reference_forbidden'
  | 'xml_malformed'
  | 'xml_too_deep'
  | 'csv_malformed'
  | 'json_malformed'
  | 'entry_malformed';

/** A refused list: a stable code and a full-sentence message naming the place in the file. */
export interface ListError {
  readonly ok: false;
  readonly code: ListErrorCode;
  readonly message: string;
}

/** Things in a list file that are odd but do not make its entries wrong. */
export type ListWarningCode =
  | 'alias_without_entry'
  | 'address_without_entry'
  | 'comment_without_entry'
  | 'entry_duplicated'
  | 'entity_type_unknown';

export interface ListWarning {
  readonly code: ListWarningCode;
  readonly message: string;
}

/** A list read successfully. */
export interface LoadedList {
  readonly ok: true;
  readonly source: SanctionsSource;
  readonly entries: readonly SanctionsEntry[];
  /** Publication date or time the file states (UN dateGenerated, OFAC Publish_Date). */
  readonly publishedAt?: string;
  readonly warnings: readonly ListWarning[];
  /** Warnings beyond LIST_WARNINGS_MAX, counted but not kept. */
  readonly warningsNotKept: number;
}

export type ListResult = LoadedList | ListError;

/** Limits a caller may tighten (or, for a known large file, raise) for one load. */
export interface ListLoadOptions {
  /** Largest input accepted, in bytes (characters for text input). */
  readonly bytesMax?: number;
  /** Most entries accepted. */
  readonly entriesMax?: number;
}

export function listError(code: ListErrorCode, message: string): ListError {
  return { ok: false, code, message };
}
