// Reading list files safely: size bounds before anything is parsed, strict UTF-8, and a
// bounded warning log shared by every loader.
import { open, type FileHandle } from 'node:fs/promises';
import { LIST_ENTRIES_MAX, LIST_FILE_BYTES_MAX, LIST_WARNINGS_MAX } from './limits.js';
import {
  listError,
  type ListError,
  type ListLoadOptions,
  type ListWarning,
  type ListWarningCode,
  type LoadedList,
  type SanctionsEntry,
  type SanctionsSource,
} from './model.js';

/** A list file's content: raw bytes (preferred, so the size bound is exact) or decoded text. */
export type ListContent = string | Uint8Array;

export type TextResult = { readonly ok: true; readonly text: string } | ListError;
export type BytesResult = { readonly ok: true; readonly bytes: Uint8Array } | ListError;

const BYTE_ORDER_MARK = '\uFEFF';

export function bytesMaxOf(options: ListLoadOptions): number {
  return options.bytesMax ?? LIST_FILE_BYTES_MAX;
}

export function entriesMaxOf(options: ListLoadOptions): number {
  return options.entriesMax ?? LIST_ENTRIES_MAX;
}

/** Bounds and decodes list content; invalid UTF-8 is refused rather than silently replaced. */
export function decodeListContent(content: ListContent, options: ListLoadOptions): TextResult {
  const bytesMax = bytesMaxOf(options);
  const size = typeof content === 'string' ? content.length : content.byteLength;
  if (size > bytesMax) {
    return listError(
      'list_too_large',
      `The list is ${size} bytes long, more than the ${bytesMax} bytes accepted.`,
    );
  }
  let text: string;
  if (typeof content === 'string') {
    text = content;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(content);
    } catch {
      return listError('list_encoding_invalid', 'The list is not valid UTF-8 text.');
    }
  }
  if (text.startsWith(BYTE_ORDER_MARK)) text = text.slice(1);
  if (text.trim().length === 0) return listError('list_empty', 'The list is empty.');
  return { ok: true, text };
}

/**
 * Reads a list file, refusing it before reading when it is larger than the bound, and again
 * after reading in case it grew in between (a download still being written, for example).
 */
export async function readListFile(
  path: string,
  options: ListLoadOptions = {},
): Promise<BytesResult> {
  const bytesMax = bytesMaxOf(options);
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    return fileError(path, error);
  }
  try {
    const { size } = await handle.stat();
    if (size > bytesMax) return tooLarge(path, size, bytesMax);
    const bytes = await handle.readFile();
    if (bytes.byteLength > bytesMax) return tooLarge(path, bytes.byteLength, bytesMax);
    return { ok: true, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  } catch (error) {
    return fileError(path, error);
  } finally {
    await handle.close();
  }
}

function tooLarge(path: string, size: number, bytesMax: number): ListError {
  return listError(
    'list_too_large',
    `The list file ${path} is ${size} bytes long, more than the ${bytesMax} bytes accepted.`,
  );
}

function fileError(path: string, error: unknown): ListError {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return listError('file_not_found', `The list file ${path} does not exist.`);
  const reason = error instanceof Error ? error.message : String(error);
  return listError('file_unreadable', `The list file ${path} could not be read: ${reason}.`);
}

/** Collects warnings up to LIST_WARNINGS_MAX and counts the rest. */
export interface WarningLog {
  add(code: ListWarningCode, message: string): void;
  readonly warnings: readonly ListWarning[];
  readonly notKept: number;
}

export function createWarningLog(): WarningLog {
  const warnings: ListWarning[] = [];
  let notKept = 0;
  return {
    add(code, message) {
      if (warnings.length < LIST_WARNINGS_MAX) warnings.push({ code, message });
      else notKept++;
    },
    warnings,
    get notKept() {
      return notKept;
    },
  };
}

export function loadedList(
  source: SanctionsSource,
  entries: readonly SanctionsEntry[],
  warnings: WarningLog,
  publishedAt?: string,
): LoadedList {
  const list = {
    ok: true as const,
    source,
    entries,
    warnings: warnings.warnings,
    warningsNotKept: warnings.notKept,
  };
  return publishedAt === undefined ? list : { ...list, publishedAt };
}

export function tooManyEntries(entriesMax: number): ListError {
  return listError(
    'list_too_many_entries',
    `The list holds more than the ${entriesMax} entries accepted.`,
  );
}

/** Removes empty strings and repeats while keeping first-seen order. */
export function distinctNonEmpty(values: Iterable<string>): string[] {
  const seen = new Set<string>();
  for (const value of values) {
    const trimmed = value.trim();
    if (trimmed.length > 0) seen.add(trimmed);
  }
  return [...seen];
}

/** Adds the optional fields that are present, leaving absent ones out rather than undefined. */
export function withOptional(
  entry: SanctionsEntry,
  listedOn: string | undefined,
  remarks: string | undefined,
): SanctionsEntry {
  return {
    ...entry,
    ...(listedOn === undefined ? {} : { listedOn }),
    ...(remarks === undefined ? {} : { remarks }),
  };
}

/** Ends a library's error text as a sentence, so it can close a full-sentence message. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
