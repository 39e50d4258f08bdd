// The embedded store: SQLite through better-sqlite3, WAL with synchronous=FULL, so a commit
// has reached the disk before commit() resolves. One transaction per batch.
import Database from 'better-sqlite3';
import type { JournalEntry } from '../../journal/hash-chain.js';
import type { Transfer } from '../../ledger/types.js';
import { LIMITS } from '../../ledger/types.js';
import type {
  CommitRecord, HistoryPage, HistoryQuery, PostedSums, Store, StoredAccount, StoredTransfer,
  TransferState,
} from '../store.js';
import { SQLITE_MIGRATIONS } from './migrations.js';

type Row = Record<string, unknown>;
type Statement = Database.Statement<unknown[], Row>;

export interface SqliteStoreOptions {
  /** A file path, or ':memory:' for tests that need no durability. */
  readonly path: string;
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly database: Database.Database;
  private statements: Record<string, Statement> = {};

  constructor(options: SqliteStoreOptions) {
    this.database = new Database(options.path);
    this.database.pragma('journal_mode = WAL');
    this.database.pragma('synchronous = FULL');
    this.database.pragma('foreign_keys = OFF');
    this.database.pragma('cache_size = -65536');
    this.database.defaultSafeIntegers(true);
  }

  async open(): Promise<void> {
    this.database.exec('CREATE TABLE IF NOT EXISTS schema_migrations ' +
      '(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    const row = this.database.prepare('SELECT MAX(version) AS version FROM schema_migrations')
      .get() as Row;
    const current = Number(row['version'] ?? 0);
    const migrate = this.database.transaction(() => {
      for (const migration of SQLITE_MIGRATIONS) {
        if (migration.version <= current) continue;
        this.database.exec(migration.sql);
        this.database.prepare('INSERT INTO schema_migrations VALUES (?, ?)')
          .run(migration.version, Date.now());
      }
    });
    migrate();
    this.prepare();
  }

  private prepare(): void {
    const sql: Record<string, string> = {
      insertJournal: 'INSERT INTO journal (sequence, now, payload, previous_hash, hash) ' +
        'VALUES (?, ?, ?, ?, ?)',
      insertAccount: 'INSERT INTO accounts (id, owner, currency, flags, credit_limit, created_at) ' +
        'VALUES (?, ?, ?, ?, ?, ?)',
      updateCreditLimit: 'UPDATE accounts SET credit_limit = ? WHERE id = ?',
      insertTransfer: 'INSERT INTO transfers (sequence, id, kind, debit_account_id, ' +
        'credit_account_id, amount, currency, pending_id, timeout_ms, reference, timestamp, state) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      updateState: 'UPDATE transfers SET state = ? WHERE id = ?',
      readJournal: 'SELECT * FROM journal WHERE sequence > ? ORDER BY sequence LIMIT ?',
      journalTail: 'SELECT * FROM journal ORDER BY sequence DESC LIMIT 1',
      account: 'SELECT * FROM accounts WHERE id = ?',
      accounts: 'SELECT * FROM accounts ORDER BY id',
      transfer: 'SELECT * FROM transfers WHERE id = ?',
      history: 'SELECT * FROM (SELECT * FROM transfers WHERE debit_account_id = @account ' +
        'AND sequence > @after UNION ALL SELECT * FROM transfers WHERE credit_account_id = ' +
        '@account AND sequence > @after) ORDER BY sequence LIMIT @limit',
      transferCount: 'SELECT COUNT(*) AS count FROM transfers',
    };
    for (const [name, text] of Object.entries(sql)) {
      this.statements[name] = this.database.prepare(text);
    }
  }

  private statement(name: string): Statement {
    const statement = this.statements[name];
    if (statement === undefined) throw new Error(`SqliteStore: no statement ${name}; open() first`);
    return statement;
  }

  private readonly writeBatch = (record: CommitRecord): void => {
    const { entry, ledger } = record;
    this.statement('insertJournal')
      .run(entry.sequence, entry.now, entry.payload, entry.previousHash, entry.hash);
    const insertAccount = this.statement('insertAccount');
    for (const account of ledger.accountsCreated) {
      insertAccount.run(account.id, account.owner, account.currency, account.flags,
        account.creditLimit.toString(), account.createdAt);
    }
    for (const change of ledger.creditLimits) {
      this.statement('updateCreditLimit').run(change.creditLimit.toString(), change.accountId);
    }
    const insertTransfer = this.statement('insertTransfer');
    for (const transfer of ledger.transfers) insertTransfer.run(...transferRow(transfer));
    const updateState = this.statement('updateState');
    for (const change of ledger.resolved) updateState.run(change.state, change.transferId);
    for (const writer of this.extensionWriters) writer(record);
  };

  private readonly commitTransaction = (record: CommitRecord): void => {
    this.database.transaction(this.writeBatch)(record);
  };

  /** Layers above the ledger register writers for their projections, run in the same transaction. */
  private readonly extensionWriters: ((record: CommitRecord) => void)[] = [];

  addExtensionWriter(writer: (record: CommitRecord) => void): void {
    this.extensionWriters.push(writer);
  }

  async commit(record: CommitRecord): Promise<void> {
    this.commitTransaction(record);
  }

  async readJournal(after: number, limit: number): Promise<JournalEntry[]> {
    return this.statement('readJournal').all(after, limit).map(journalFromRow);
  }

  async journalTail(): Promise<JournalEntry | undefined> {
    const row = this.statement('journalTail').get();
    return row === undefined ? undefined : journalFromRow(row);
  }

  async account(id: string): Promise<StoredAccount | undefined> {
    const row = this.statement('account').get(id);
    return row === undefined ? undefined : accountFromRow(row);
  }

  async accounts(): Promise<StoredAccount[]> {
    return this.statement('accounts').all().map(accountFromRow);
  }

  async transfer(id: string): Promise<StoredTransfer | undefined> {
    const row = this.statement('transfer').get(id);
    return row === undefined ? undefined : transferFromRow(row);
  }

  async history(accountId: string, query: HistoryQuery): Promise<HistoryPage> {
    const limit = Math.max(1, Math.min(query.limit, LIMITS.historyPageMax));
    const rows = this.statement('history')
      .all({ account: accountId, after: query.after ?? 0, limit: limit + 1 });
    const transfers = rows.slice(0, limit).map(transferFromRow);
    const last = transfers[transfers.length - 1];
    return { transfers, next: rows.length > limit && last !== undefined ? last.sequence : undefined };
  }

  async transferCount(): Promise<number> {
    return Number((this.statement('transferCount').get() as Row)['count']);
  }

  /** Sums in JavaScript bigints: SQLite's SUM() would overflow on a busy account's turnover. */
  async postedSums(): Promise<PostedSums[]> {
    const sums = new Map<string, { debits: bigint; credits: bigint }>();
    const sumOf = (id: string): { debits: bigint; credits: bigint } => {
      let sum = sums.get(id);
      if (sum === undefined) {
        sum = { debits: 0n, credits: 0n };
        sums.set(id, sum);
      }
      return sum;
    };
    const rows = this.database.prepare('SELECT debit_account_id, credit_account_id, amount ' +
      "FROM transfers WHERE kind IN ('posted', 'post_pending')").raw(true).iterate();
    for (const row of rows as Iterable<[string, string, bigint]>) {
      sumOf(row[0]).debits += row[2];
      sumOf(row[1]).credits += row[2];
    }
    return [...sums].map(([accountId, sum]) => ({ accountId, ...sum }));
  }

  async close(): Promise<void> {
    if (this.database.open) this.database.close();
  }
}

function transferRow(transfer: Transfer): unknown[] {
  const state: TransferState = transfer.kind === 'pending' ? 'pending'
    : transfer.kind === 'posted' ? 'posted' : 'resolution';
  return [transfer.sequence, transfer.id, transfer.kind, transfer.debitAccountId,
    transfer.creditAccountId, transfer.amount, transfer.currency, transfer.pendingId,
    transfer.timeoutMs, transfer.reference, transfer.timestamp, state];
}

function journalFromRow(row: Row): JournalEntry {
  return {
    sequence: Number(row['sequence']), now: Number(row['now']), payload: String(row['payload']),
    previousHash: String(row['previous_hash']), hash: String(row['hash']),
  };
}

function accountFromRow(row: Row): StoredAccount {
  return {
    id: String(row['id']), owner: String(row['owner']), currency: String(row['currency']),
    flags: Number(row['flags']), creditLimit: BigInt(String(row['credit_limit'])),
    createdAt: Number(row['created_at']),
  };
}

function transferFromRow(row: Row): StoredTransfer {
  return {
    sequence: Number(row['sequence']), id: String(row['id']),
    kind: String(row['kind']) as Transfer['kind'],
    debitAccountId: String(row['debit_account_id']),
    creditAccountId: String(row['credit_account_id']), amount: BigInt(row['amount'] as bigint),
    currency: String(row['currency']), pendingId: String(row['pending_id']),
    timeoutMs: Number(row['timeout_ms']), reference: String(row['reference']),
    timestamp: Number(row['timestamp']), state: String(row['state']) as TransferState,
  };
}
