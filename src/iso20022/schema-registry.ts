// The XSDs shipped in data/iso20022/xsd, located relative to this module so that the project
// runs from any working directory, and read once per process.
import { readFile } from 'node:fs/promises';

/** data/iso20022/xsd/ at the repository root, from src/iso20022/ or dist/iso20022/ alike. */
export const SCHEMA_DIRECTORY = new URL('../../data/iso20022/xsd/', import.meta.url);

/** Every message definition with an official XSD in the repository. admi.002 has none. */
export const SCHEMA_IDENTIFIERS: readonly string[] = [
  'camt.029.001.09',
  'camt.053.001.04',
  'camt.053.001.08',
  'camt.054.001.08',
  'camt.056.001.08',
  'head.001.001.02',
  'pacs.002.001.10',
  'pacs.002.001.12',
  'pacs.002.001.13',
  'pacs.002.001.15',
  'pacs.004.001.09',
  'pacs.004.001.10',
  'pacs.008.001.08',
  'pacs.008.001.10',
  'pacs.008.001.11',
  'pacs.008.001.12',
  'pacs.008.001.13',
  'pacs.009.001.08',
];

const loaded = new Map<string, Promise<string>>();

export function hasSchema(identifier: string): boolean {
  return SCHEMA_IDENTIFIERS.includes(identifier);
}

export function schemaFileName(identifier: string): string {
  return `${identifier}.xsd`;
}

/** The schema text for a message identifier, read from disk at most once. */
export function loadSchema(identifier: string): Promise<string> | undefined {
  if (!hasSchema(identifier)) return undefined;
  let text = loaded.get(identifier);
  if (text === undefined) {
    text = readFile(new URL(schemaFileName(identifier), SCHEMA_DIRECTORY), 'utf8');
    // A failed read is not cached, so that a later call can retry.
    text.catch(() => loaded.delete(identifier));
    loaded.set(identifier, text);
  }
  return text;
}
