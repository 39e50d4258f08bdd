// Checks both stores make before a name or a value reaches SQL: identifiers of tables,
// columns and migration owners; migration sets in order; upper layers' rows (TableWrite)
// holding only values SQL stores exactly.
import type { TableWrite } from './store.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A name that may stand in SQL text quoted ("name"): lower case, digits, underscore. */
export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** Owners are identifiers and unique; each owner's versions are positive and increasing. */
export function checkMigrationSets(
  sets: readonly { readonly owner: string; readonly migrations: readonly { version: number }[] }[],
): void {
  const owners = new Set<string>();
  for (const set of sets) {
    if (!isIdentifier(set.owner)) throw new Error(`Migration owner "${set.owner}" is not an identifier.`);
    if (owners.has(set.owner)) throw new Error(`Migration owner "${set.owner}" appears twice.`);
    owners.add(set.owner);
    let previous = 0;
    for (const migration of set.migrations) {
      if (!Number.isSafeInteger(migration.version) || migration.version <= previous) {
        throw new Error(`Migrations of "${set.owner}" must have increasing positive versions.`);
      }
      previous = migration.version;
    }
  }
}

/** Checks a TableWrite's rows before its batch is journaled: a bad one must never reach it. */
export function checkRows(write: TableWrite): void {
  for (const row of write.rows) {
    if (row.length !== write.columns.length) {
      throw new Error(`TableWrite to ${write.table}: a row has ${row.length} values for ` +
        `${write.columns.length} columns.`);
    }
    for (const value of row) {
      const fits = value === null || typeof value === 'string' ||
        (typeof value === 'number' && Number.isFinite(value)) ||
        (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX);
      if (!fits) throw new Error(`TableWrite to ${write.table}: a value SQL cannot hold.`);
    }
  }
}
