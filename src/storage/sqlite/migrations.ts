// Versioned schema migrations for the SQLite store, applied in order on open().

export interface Migration {
  readonly version: number;
  readonly sql: string;
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE journal (
        sequence INTEGER PRIMARY KEY,
        now INTEGER NOT NULL,
        payload TEXT NOT NULL,
        previous_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        currency TEXT NOT NULL,
        flags INTEGER NOT NULL,
        credit_limit TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE transfers (
        sequence INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        debit_account_id TEXT NOT NULL,
        credit_account_id TEXT NOT NULL,
        amount INTEGER NOT NULL,
        currency TEXT NOT NULL,
        pending_id TEXT NOT NULL,
        timeout_ms INTEGER NOT NULL,
        reference TEXT NOT NULL,
        timestamp INTEGER NOT NULL,
        state TEXT NOT NULL
      );
      CREATE INDEX transfers_debit ON transfers (debit_account_id, sequence);
      CREATE INDEX transfers_credit ON transfers (credit_account_id, sequence);
    `,
  },
];
