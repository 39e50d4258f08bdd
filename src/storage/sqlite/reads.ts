// The store's queries, on connections of the calling thread: the journal from the journal
// database, everything else from the projections. Callers wait for the projections first.
import type Database from 'better-sqlite3';
import type { JournalEntry } from '../../journal/hash-chain.js';
import { LIMITS } from '../../ledger/types.js';
import type {
  HistoryPage, HistoryQuery, PostedSums, StoredAccount, StoredTransfer,
} from '../store.js';
import { HISTORY_BUCKET_TRANSFERS, TRANSFER_KIND_CODES } from './migrations.js';

import { accountFromRow, journalFromRow, transferFromRow, type Row } from '../rows.js';

/** Kinds whose amount moves posted balances (a post_pending posts its pending transfer's). */
const POSTING_KINDS = [TRANSFER_KIND_CODES.indexOf('posted'),
  TRANSFER_KIND_CODES.indexOf('post_pending')].join(', ');
type Statement = Database.Statement<unknown[], Row>;


export class SqliteReads {
  private readonly statements: Record<string, Statement> = {};

  constructor(journal: Database.Database, projection: Database.Database) {
    const prepare = (name: string, database: Database.Database, sql: string): void => {
      this.statements[name] = database.prepare(sql);
    };
    prepare('readJournal', journal, 'SELECT sequence, now, payload, previous_hash, hash ' +
      'FROM journal WHERE sequence > ? ORDER BY sequence LIMIT ?');
    prepare('journalTail', journal, 'SELECT sequence, now, payload, previous_hash, hash ' +
      'FROM journal ORDER BY sequence DESC LIMIT 1');
    prepare('account', projection, 'SELECT * FROM accounts WHERE id = ?');
    prepare('accountNumber', projection, 'SELECT number FROM accounts WHERE id = ?');
    prepare('accounts', projection, 'SELECT * FROM accounts ORDER BY id');
    prepare('transfer', projection, 'SELECT * FROM transfer_view WHERE id = ?');
    prepare('transferAt', projection, 'SELECT * FROM transfer_view WHERE sequence = ?');
    // One range of the postings' key per bucket, already in sequence order.
    prepare('postings', projection, 'SELECT sequence FROM postings WHERE bucket = ? ' +
      'AND account = ? AND sequence > ? ORDER BY sequence LIMIT ?');
    prepare('lastSequence', projection, 'SELECT MAX(sequence) AS last FROM transfers');
    prepare('transferCount', projection, 'SELECT COUNT(*) AS count FROM transfers');
    prepare('posted', projection, 'SELECT debit_account, credit_account, amount ' +
      `FROM transfers WHERE kind IN (${POSTING_KINDS})`);
    prepare('accountIds', projection, 'SELECT number, id FROM accounts');
  }

  private statement(name: string): Statement {
    const statement = this.statements[name];
    if (statement === undefined) throw new Error(`SqliteReads: no statement ${name}.`);
    return statement;
  }

  readJournal(after: number, limit: number): JournalEntry[] {
    return this.statement('readJournal').all(after, limit).map(journalFromRow);
  }

  journalTail(): JournalEntry | undefined {
    const row = this.statement('journalTail').get();
    return row === undefined ? undefined : journalFromRow(row);
  }

  account(id: string): StoredAccount | undefined {
    const row = this.statement('account').get(id);
    return row === undefined ? undefined : accountFromRow(row);
  }

  accounts(): StoredAccount[] {
    return this.statement('accounts').all().map(accountFromRow);
  }

  transfer(id: string): StoredTransfer | undefined {
    const row = this.statement('transfer').get(id);
    return row === undefined ? undefined : transferFromRow(row);
  }

  history(accountId: string, query: HistoryQuery): HistoryPage {
    const limit = Math.max(1, Math.min(query.limit, LIMITS.historyPageMax));
    const number = this.statement('accountNumber').get(accountId)?.['number'];
    if (number === undefined) return { transfers: [], next: undefined };
    const after = Math.max(0, query.after ?? 0);
    const last = Number(this.statement('lastSequence').get()?.['last'] ?? 0);
    const postings = this.statement('postings').raw(true);
    const sequences: number[] = [];
    // Buckets in order, each a range seek, until the page (and one more, for `next`) is full.
    for (let bucket = Math.floor((after + 1) / HISTORY_BUCKET_TRANSFERS);
      bucket <= Math.floor(last / HISTORY_BUCKET_TRANSFERS) && sequences.length <= limit;
      bucket++) {
      for (const row of postings.all(bucket, number, after, limit + 1 - sequences.length)) {
        sequences.push(Number((row as unknown as [bigint])[0]));
      }
    }
    const transferAt = this.statement('transferAt');
    const transfers = sequences.slice(0, limit).map((sequence) =>
      transferFromRow(transferAt.get(sequence) as Row));
    const final = transfers[transfers.length - 1];
    const more = sequences.length > limit && final !== undefined;
    return { transfers, next: more ? final.sequence : undefined };
  }

  transferCount(): number {
    return Number((this.statement('transferCount').get() as Row)['count']);
  }

  /** Sums in JavaScript bigints: SQLite's SUM() would overflow on a busy account's turnover. */
  postedSums(): PostedSums[] {
    const sums = new Map<bigint, { debits: bigint; credits: bigint }>();
    const sumOf = (number: bigint): { debits: bigint; credits: bigint } => {
      let sum = sums.get(number);
      if (sum === undefined) {
        sum = { debits: 0n, credits: 0n };
        sums.set(number, sum);
      }
      return sum;
    };
    const rows = this.statement('posted').raw(true).iterate();
    for (const row of rows as unknown as Iterable<[bigint, bigint, bigint]>) {
      sumOf(row[0]).debits += row[2];
      sumOf(row[1]).credits += row[2];
    }
    const ids = new Map<bigint, string>();
    const accounts = this.statement('accountIds').raw(true).iterate();
    for (const [number, id] of accounts as unknown as Iterable<[bigint, string]>) {
      ids.set(number, id);
    }
    return [...sums].map(([number, sum]) => ({ accountId: ids.get(number) ?? `#${number}`, ...sum }));
  }
}
