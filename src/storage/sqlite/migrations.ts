// Versioned schema migrations of the SQLite store, applied in order on open(). Two databases:
// the journal (the source of truth, with each entry's projection effects until they are
// projected) and the projections that queries read. Each set of migrations has an owner, so
// that layers above the ledger append their own tables without renumbering anyone's.
import type Database from 'better-sqlite3';
import { GENESIS_HASH } from '../../journal/hash-chain.js';
import type { TransferKind } from '../../ledger/types.js';
import { checkMigrationSets } from '../schema-checks.js';
import type { TransferState } from '../store.js';

/** transfers.kind: the index of the kind. Never reorder: rows on disk hold these numbers. */
export const TRANSFER_KIND_CODES: readonly TransferKind[] =
  ['posted', 'pending', 'post_pending', 'void_pending'];
/** transfers.state: the index of the state. Never reorder: rows on disk hold these numbers. */
export const TRANSFER_STATE_CODES: readonly TransferState[] =
  ['posted', 'pending', 'voided', 'expired', 'resolution'];

function caseOf(column: string, names: readonly string[]): string {
  return `CASE ${column} ${names.map((name, code) => `WHEN ${code} THEN '${name}'`).join(' ')} END`;
}

export interface Migration {
  readonly version: number;
  readonly sql: string;
}

/**
 * The migrations of one owner. Layers above the ledger (payments, quotes, participants …)
 * pass theirs to the store (SqliteStoreOptions.migrations or SqliteStore.addMigrations); their
 * tables live in the projection database and are filled by TableWrite rows of each commit.
 */
export interface SqliteMigrationSet {
  /** A lowercase identifier, unique per set: 'payments', 'quotes' … */
  readonly owner: string;
  readonly migrations: readonly Migration[];
}

/** The journal database: the hash-chained entries, and each entry's effects until projected. */
export const JOURNAL_MIGRATIONS: SqliteMigrationSet = {
  owner: 'journal',
  migrations: [{
    version: 1,
    sql: `
      CREATE TABLE journal (
        sequence INTEGER PRIMARY KEY,
        now INTEGER NOT NULL,
        payload TEXT NOT NULL,
        previous_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      -- What the projector needs of an entry beyond its payload (see effects.ts). Written in the
      -- entry's own transaction; deleted once the projection of the entry is durable.
      CREATE TABLE journal_effects (
        sequence INTEGER PRIMARY KEY,
        effects BLOB NOT NULL
      );
      CREATE TABLE journal_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        effects_pruned_through INTEGER NOT NULL
      );
      INSERT INTO journal_state VALUES (1, 0);
    `,
  }],
};

/**
 * Transfers per history bucket. Never change it without a migration that rebuilds postings:
 * rows on disk are keyed by it.
 */
export const HISTORY_BUCKET_TRANSFERS = 65_536;

/**
 * The ledger's projections. Accounts get an INTEGER number in creation order, and transfers
 * refer to accounts by number, with kind and state as small integers: integer keys and short
 * records are what keep the projector's inserts cheap. A transfer's currency is its accounts'.
 *
 * History is a table of postings (one per side of each transfer) keyed by (bucket, account,
 * sequence), where a bucket is HISTORY_BUCKET_TRANSFERS consecutive transfers. An index on
 * (account, sequence) would take each new posting to its account's page: with many accounts,
 * a projector transaction would dirty (and write to the WAL) about one page per posting. Keyed
 * by bucket first, every new posting lands in the current bucket's few pages; a history read
 * pays for it with one index seek per bucket it crosses.
 * transfer_view shows transfers as the store's reads return them, for people running SQL.
 */
export const LEDGER_MIGRATIONS: SqliteMigrationSet = {
  owner: 'ledger',
  migrations: [{
    version: 1,
    sql: `
      CREATE TABLE projection_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        sequence INTEGER NOT NULL,
        hash TEXT NOT NULL
      );
      INSERT INTO projection_state VALUES (1, 0, '${GENESIS_HASH}');
      CREATE TABLE accounts (
        number INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        owner TEXT NOT NULL,
        currency TEXT NOT NULL,
        flags INTEGER NOT NULL,
        credit_limit TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE transfers (
        sequence INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        kind INTEGER NOT NULL,
        debit_account INTEGER NOT NULL,
        credit_account INTEGER NOT NULL,
        amount INTEGER NOT NULL,
        pending_id TEXT NOT NULL,
        timeout_ms INTEGER NOT NULL,
        reference TEXT NOT NULL,
        timestamp INTEGER NOT NULL,
        state INTEGER NOT NULL
      );
      CREATE TABLE postings (
        bucket INTEGER NOT NULL,
        account INTEGER NOT NULL,
        sequence INTEGER NOT NULL,
        PRIMARY KEY (bucket, account, sequence)
      ) WITHOUT ROWID;
      CREATE VIEW transfer_view AS SELECT t.sequence, t.id,
        ${caseOf('t.kind', TRANSFER_KIND_CODES)} AS kind,
        d.id AS debit_account_id, c.id AS credit_account_id, t.amount, d.currency,
        t.pending_id, t.timeout_ms, t.reference, t.timestamp,
        ${caseOf('t.state', TRANSFER_STATE_CODES)} AS state
      FROM transfers t JOIN accounts d ON d.number = t.debit_account
        JOIN accounts c ON c.number = t.credit_account;
    `,
  }],
};

/** Tables that only the store itself writes: TableWrite may not name them. */
export const CORE_TABLES: ReadonlySet<string> = new Set(['journal', 'journal_effects',
  'journal_state', 'projection_state', 'accounts', 'transfers', 'postings',
  'schema_migrations']);

/** Applies every migration not yet applied, in one transaction. Idempotent. */
export function applyMigrations(
  database: Database.Database,
  sets: readonly SqliteMigrationSet[],
): void {
  checkMigrationSets(sets);
  const legacy = database.prepare("SELECT 1 FROM pragma_table_info('schema_migrations') " +
    "WHERE name = 'version'").get() !== undefined &&
    database.prepare("SELECT 1 FROM pragma_table_info('schema_migrations') WHERE name = 'owner'")
      .get() === undefined;
  if (legacy) {
    throw new Error(`${database.name} has the single-file layout of Corridor 0.1, which this ` +
      'store cannot read: replay its journal into a new store.');
  }
  database.exec('CREATE TABLE IF NOT EXISTS schema_migrations (owner TEXT NOT NULL, ' +
    'version INTEGER NOT NULL, applied_at INTEGER NOT NULL, PRIMARY KEY (owner, version))');
  const applied = database.prepare('SELECT MAX(version) AS version FROM schema_migrations ' +
    'WHERE owner = ?');
  const record = database.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)');
  database.transaction(() => {
    for (const set of sets) {
      const row = applied.get(set.owner) as { version: bigint | number | null } | undefined;
      const current = Number(row?.version ?? 0);
      for (const migration of set.migrations) {
        if (migration.version <= current) continue;
        database.exec(migration.sql);
        record.run(set.owner, migration.version, Date.now());
      }
    }
  })();
}
