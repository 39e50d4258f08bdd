// Versioned schema migrations of the PostgreSQL store, applied in order on open(), in one
// transaction under an advisory lock so that two nodes starting together do not race. Like
// the SQLite store's, each set has an owner so that upper layers append their own tables.
import type pg from 'pg';
import { GENESIS_HASH } from '../../journal/hash-chain.js';
import { checkMigrationSets } from '../schema-checks.js';

export interface PostgresMigration {
  readonly version: number;
  readonly sql: string;
}

/** The migrations of one owner ('payments', 'quotes' …): their tables receive TableWrite rows. */
export interface PostgresMigrationSet {
  readonly owner: string;
  readonly migrations: readonly PostgresMigration[];
}

/** Advisory lock keys (per database): migrations, and the writer lease. */
export const LOCK_KEYS = { migrations: 0x436f_7272_0001n, writer: 0x436f_7272_0002n } as const;

/**
 * The journal (source of truth) and the ledger's projections, written in the same
 * transaction. writer_lease holds the fencing epoch: each lease holder increments it, and
 * every batch transaction checks it (see lease.ts). Amounts are BIGINT (0..2^63-1).
 */
export const CORE_MIGRATIONS: PostgresMigrationSet = {
  owner: 'ledger',
  migrations: [{
    version: 1,
    sql: `
      CREATE TABLE journal (
        sequence BIGINT PRIMARY KEY,
        now BIGINT NOT NULL,
        payload TEXT NOT NULL,
        previous_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE TABLE writer_lease (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        epoch BIGINT NOT NULL,
        holder TEXT NOT NULL,
        acquired_at TIMESTAMPTZ NOT NULL
      );
      INSERT INTO writer_lease VALUES (1, 0, '', now());
      CREATE TABLE accounts (
        number INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        owner TEXT NOT NULL,
        currency TEXT NOT NULL,
        flags INTEGER NOT NULL,
        credit_limit NUMERIC(40, 0) NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE TABLE transfers (
        sequence BIGINT NOT NULL,
        id TEXT COLLATE "C" PRIMARY KEY,
        kind TEXT NOT NULL,
        debit_account INTEGER NOT NULL,
        credit_account INTEGER NOT NULL,
        amount BIGINT NOT NULL CHECK (amount >= 0),
        currency TEXT NOT NULL,
        pending_id TEXT NOT NULL,
        timeout_ms BIGINT NOT NULL,
        reference TEXT NOT NULL,
        timestamp BIGINT NOT NULL,
        state TEXT NOT NULL
      );
      -- Write throughput is bound by index maintenance (docs/operations-postgres.md), so
      -- transfers carry only what reads need: the id (byte order: ids are only matched for
      -- equality) and each side's (account, sequence) range for history pages.
      CREATE INDEX transfers_debit ON transfers (debit_account, sequence);
      CREATE INDEX transfers_credit ON transfers (credit_account, sequence);
      -- The genesis hash, for tools that read the chain with SQL alone.
      COMMENT ON TABLE journal IS 'Corridor journal; genesis previous_hash ${GENESIS_HASH}';
    `,
  }],
};

/**
 * State snapshots (src/service/snapshot-codec.ts): the network's state after one journal entry,
 * bound to it by the entry's hash. A cache of the journal: restart replays only what follows
 * the newest that verifies. Their own owner, so that the ledger's versions stay its own.
 */
export const SNAPSHOT_MIGRATIONS: PostgresMigrationSet = {
  owner: 'snapshots',
  migrations: [{
    version: 1,
    sql: `
      CREATE TABLE snapshots (
        sequence BIGINT PRIMARY KEY,
        entry_hash TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        format_version INTEGER NOT NULL,
        checksum TEXT NOT NULL,
        bytes BYTEA NOT NULL
      );
      -- Megabytes per row, written once and read once: no compression pass over them.
      ALTER TABLE snapshots ALTER COLUMN bytes SET STORAGE EXTERNAL;
    `,
  }],
};

/** Tables that only the store itself writes: TableWrite may not name them. */
export const CORE_TABLES: ReadonlySet<string> = new Set(['journal', 'writer_lease', 'accounts',
  'transfers', 'schema_migrations']);

/** Applies every migration not yet applied, in one transaction under an advisory lock. */
export async function applyMigrations(
  client: pg.ClientBase,
  sets: readonly PostgresMigrationSet[],
): Promise<void> {
  checkMigrationSets(sets);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEYS.migrations.toString()]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (owner TEXT NOT NULL, ' +
      'version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now(), ' +
      'PRIMARY KEY (owner, version))');
    for (const set of sets) {
      const result = await client.query<{ version: number | null }>(
        'SELECT MAX(version) AS version FROM schema_migrations WHERE owner = $1', [set.owner]);
      const current = Number(result.rows[0]?.version ?? 0);
      for (const migration of set.migrations) {
        if (migration.version <= current) continue;
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (owner, version) VALUES ($1, $2)',
          [set.owner, migration.version]);
      }
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
