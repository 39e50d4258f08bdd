// The PostgreSQL store's queries, on a pool of read connections. Projections are written in
// the journal's own transaction, so every read sees every acknowledged commit.
import type { ReadConnections } from './snapshot-connection.js';
import type { JournalEntry } from '../../journal/hash-chain.js';
import { LIMITS } from '../../ledger/types.js';
import type {
  HistoryPage, HistoryQuery, PostedSums, StoredAccount, StoredTransfer,
} from '../store.js';

import { accountFromRow, journalFromRow, transferFromRow, type Row } from '../rows.js';

const JOURNAL_COLUMNS = 'sequence::text, now::text, payload, previous_hash, hash';
const ACCOUNT_COLUMNS = 'id, owner, currency, flags, credit_limit::text, created_at::text';
const TRANSFER_SELECT = 'SELECT t.sequence::text, t.id, t.kind, d.id AS debit_account_id, ' +
  'c.id AS credit_account_id, t.amount::text, t.currency, t.pending_id, t.timeout_ms::text, ' +
  't.reference, t.timestamp::text, t.state';
const TRANSFER_JOINS = 'JOIN accounts d ON d.number = t.debit_account ' +
  'JOIN accounts c ON c.number = t.credit_account';

export class PostgresReads {
  constructor(private readonly pool: ReadConnections) {}

  private async rows(sql: string, values: unknown[] = []): Promise<Row[]> {
    return (await this.pool.query<Row>({ text: sql, values })).rows;
  }

  async readJournal(after: number, limit: number): Promise<JournalEntry[]> {
    const rows = await this.rows(`SELECT ${JOURNAL_COLUMNS} FROM journal WHERE sequence > $1 ` +
      'ORDER BY journal.sequence LIMIT $2', [after, limit]);
    return rows.map(journalFromRow);
  }

  async journalTail(): Promise<JournalEntry | undefined> {
    const [row] = await this.rows(`SELECT ${JOURNAL_COLUMNS} FROM journal ` +
      'ORDER BY journal.sequence DESC LIMIT 1');
    return row === undefined ? undefined : journalFromRow(row);
  }

  async account(id: string): Promise<StoredAccount | undefined> {
    const [row] = await this.rows(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1`, [id]);
    return row === undefined ? undefined : accountFromRow(row);
  }

  async accounts(): Promise<StoredAccount[]> {
    return (await this.rows(`SELECT ${ACCOUNT_COLUMNS} FROM accounts ORDER BY id`))
      .map(accountFromRow);
  }

  async accountNumbers(): Promise<{ number: number; id: string }[]> {
    const rows = await this.rows('SELECT number, id FROM accounts');
    return rows.map((row) => ({ number: Number(row['number']), id: String(row['id']) }));
  }

  async transfer(id: string): Promise<StoredTransfer | undefined> {
    const [row] = await this.rows(`${TRANSFER_SELECT} FROM transfers t ${TRANSFER_JOINS} ` +
      'WHERE t.id = $1', [id]);
    return row === undefined ? undefined : transferFromRow(row);
  }

  /**
   * Each side is one range of its (account, sequence) index, read whole rows and all (transfers
   * has no other index by sequence); the union is merged by sequence.
   */
  async history(accountId: string, query: HistoryQuery): Promise<HistoryPage> {
    const limit = Math.max(1, Math.min(query.limit, LIMITS.historyPageMax));
    const rows = await this.rows(`WITH a AS (SELECT number FROM accounts WHERE id = $1)
      ${TRANSFER_SELECT} FROM (
        (SELECT * FROM transfers WHERE debit_account = (SELECT number FROM a)
          AND sequence > $2 ORDER BY sequence LIMIT $3)
        UNION
        (SELECT * FROM transfers WHERE credit_account = (SELECT number FROM a)
          AND sequence > $2 ORDER BY sequence LIMIT $3)) t
      ${TRANSFER_JOINS} ORDER BY t.sequence LIMIT $3`, [accountId, query.after ?? 0, limit + 1]);
    const transfers = rows.slice(0, limit).map(transferFromRow);
    const last = transfers[transfers.length - 1];
    return { transfers,
      next: rows.length > limit && last !== undefined ? last.sequence : undefined };
  }

  async transferCount(): Promise<number> {
    const [row] = await this.rows('SELECT COUNT(*)::text AS count FROM transfers');
    return Number(row?.['count'] ?? 0);
  }

  /** SUM(bigint) is NUMERIC in PostgreSQL: no overflow on a busy account's turnover. */
  async postedSums(): Promise<PostedSums[]> {
    const rows = await this.rows(`SELECT a.id, COALESCE(d.total, 0)::text AS debits,
        COALESCE(c.total, 0)::text AS credits FROM accounts a
      LEFT JOIN (SELECT debit_account AS number, SUM(amount) AS total FROM transfers
        WHERE kind IN ('posted', 'post_pending') GROUP BY debit_account) d ON d.number = a.number
      LEFT JOIN (SELECT credit_account AS number, SUM(amount) AS total FROM transfers
        WHERE kind IN ('posted', 'post_pending') GROUP BY credit_account) c ON c.number = a.number
      WHERE d.total IS NOT NULL OR c.total IS NOT NULL`);
    return rows.map((row) => ({ accountId: String(row['id']),
      debits: BigInt(String(row['debits'])), credits: BigInt(String(row['credits'])) }));
  }
}
