// Writes a group of commit records in one PostgreSQL transaction: the journal rows, then the
// projections (accounts, credit limits, transfers, pending-state changes, upper layers'
// rows). The journal and transfer rows, the bulk of a group, are streamed with COPY from
// text encoded when each record was queued (copy-rows.ts); the rest is one statement over
// arrays (unnest) per table, so that a group costs a handful of round-trips however many
// transfers it holds. A fenced writer checks its lease first.
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { CommitRecord, SqlValue, TableWrite } from '../store.js';
import {
  JOURNAL_COPY, prepareRecord, TRANSFERS_COPY, type PreparedAccount, type PreparedRecord,
} from './copy-rows.js';
import { checkRows, isIdentifier } from '../schema-checks.js';
import { CORE_TABLES, LOCK_KEYS } from './migrations.js';

/** What a batch transaction checks before it writes: the lease epoch and holder. */
export interface FenceCheck {
  readonly epoch: bigint;
  /** The backend pid of the connection that holds the writer advisory lock. */
  readonly leasePid: number;
}

export class FencedError extends Error {
  override readonly name = 'FencedError';
}

/** Columns and primary key of each table of the current schema, loaded on open(). */
export interface Catalog {
  readonly columns: ReadonlyMap<string, ReadonlySet<string>>;
  readonly primaryKeys: ReadonlyMap<string, readonly string[]>;
}

/** Bind parameters per statement at most (PostgreSQL's limit is 65,535). */
const PARAMETERS_MAX = 60_000;

/** Assigns account numbers in creation order; the writer keeps it in memory. */
export class AccountNumbers {
  private readonly numbers = new Map<string, number>();
  private last = 0;

  load(rows: readonly { number: number; id: string }[]): void {
    for (const row of rows) {
      this.numbers.set(row.id, row.number);
      this.last = Math.max(this.last, row.number);
    }
  }

  assign(id: string): number {
    this.last += 1;
    this.numbers.set(id, this.last);
    return this.last;
  }

  /**
   * Numbers the accounts the record creates and encodes its rows, in commit order. The
   * numbers are not taken back if its transaction fails: a failed write stops the writer.
   */
  prepare(record: CommitRecord): PreparedRecord {
    return prepareRecord(record, (id) => this.assign(id), (id) => this.of(id));
  }

  of(id: string): number {
    const number = this.numbers.get(id);
    if (number === undefined) throw new Error(`PostgresStore: account ${id} was never created.`);
    return number;
  }
}

/** Checks a TableWrite before its batch is admitted: a bad one must never reach the journal. */
export function checkWrite(write: TableWrite, catalog: Catalog): void {
  if (!isIdentifier(write.table) || CORE_TABLES.has(write.table)) {
    throw new Error(`TableWrite may not write table "${write.table}".`);
  }
  const columns = catalog.columns.get(write.table);
  if (columns === undefined) throw new Error(`TableWrite: no table "${write.table}".`);
  if (write.columns.length === 0 || !write.columns.every((column) => columns.has(column))) {
    throw new Error(`TableWrite to ${write.table} names an invalid column.`);
  }
  if (write.onConflict === 'replace' && (catalog.primaryKeys.get(write.table) ?? []).length === 0) {
    throw new Error(`TableWrite to ${write.table}: 'replace' needs a primary key.`);
  }
  if (!(write.keep ?? []).every((column) => write.columns.includes(column))) {
    throw new Error(`TableWrite to ${write.table} keeps a column it does not write.`);
  }
  checkRows(write);
}

/** The last value per key, in first-seen order (one UPDATE may not touch a row twice). */
function lastPerKey<T>(items: readonly T[], key: (item: T) => string): T[] {
  const map = new Map<string, T>();
  for (const item of items) {
    const name = key(item);
    map.delete(name);
    map.set(name, item);
  }
  return [...map.values()];
}

export class BatchWriter {
  constructor(
    private readonly client: pg.ClientBase,
    private readonly catalog: Catalog,
  ) {}

  /** Writes the prepared records in one transaction; rolls back and throws on any failure. */
  async write(group: readonly PreparedRecord[], fence: FenceCheck | undefined): Promise<void> {
    await this.client.query('BEGIN');
    try {
      if (fence !== undefined) await this.checkFence(fence);
      await this.copy(JOURNAL_COPY, group.map((item) => item.journalRow), group.length);
      await this.insertAccounts(group.flatMap((item) => item.accounts));
      await this.updateCreditLimits(group.flatMap((item) => item.creditLimits));
      const transfers = group.reduce((sum, item) => sum + item.transferCount, 0);
      if (transfers > 0) {
        await this.copy(TRANSFERS_COPY, group.map((item) => item.transferRows), transfers);
      }
      await this.updateStates(group.flatMap((item) => item.resolved));
      for (const item of group) {
        for (const write of item.writes) await this.applyWrite(write);
      }
      await this.client.query('COMMIT');
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** Streams rows in COPY text format, one chunk per record; checks how many arrived. */
  private async copy(sql: string, chunks: readonly string[], rows: number): Promise<void> {
    const stream = this.client.query(copyFrom(sql));
    for (const chunk of chunks) if (chunk.length > 0) stream.write(chunk);
    stream.end();
    await finished(stream);
    if (stream.rowCount !== rows) {
      throw new Error(`PostgresStore: COPY wrote ${stream.rowCount} rows of ${rows}.`);
    }
  }

  /** Locks the lease row: a new holder's epoch bump waits for this transaction, or wins. */
  private async checkFence(fence: FenceCheck): Promise<void> {
    const key = LOCK_KEYS.writer;
    const result = await this.client.query(
      'SELECT epoch FROM writer_lease WHERE id = 1 AND epoch = $1 AND EXISTS (SELECT 1 FROM ' +
      "pg_locks WHERE locktype = 'advisory' AND granted AND pid = $2 AND classid = $3 AND " +
      'objid = $4 AND objsubid = 1) FOR UPDATE',
      [fence.epoch.toString(), fence.leasePid, Number(key >> 32n), Number(key & 0xffff_ffffn)]);
    if (result.rowCount !== 1) {
      throw new FencedError('This node no longer holds the writer lease: commit refused.');
    }
  }

  private async insertAccounts(accounts: readonly PreparedAccount[]): Promise<void> {
    if (accounts.length === 0) return;
    await this.client.query('INSERT INTO accounts (number, id, owner, currency, flags, ' +
      'credit_limit, created_at) SELECT * FROM unnest($1::int[], $2::text[], $3::text[], ' +
      '$4::text[], $5::int[], $6::numeric[], $7::bigint[])', [
      accounts.map((account) => account.number), accounts.map((account) => account.id),
      accounts.map((account) => account.owner), accounts.map((account) => account.currency),
      accounts.map((account) => account.flags), accounts.map((account) => account.creditLimit),
      accounts.map((account) => account.createdAt)]);
  }

  private async updateCreditLimits(all: PreparedRecord['creditLimits']): Promise<void> {
    const changes = lastPerKey(all, (change) => change.accountId);
    if (changes.length === 0) return;
    const result = await this.client.query('UPDATE accounts a SET credit_limit = v.credit_limit ' +
      'FROM unnest($1::text[], $2::numeric[]) AS v(id, credit_limit) WHERE a.id = v.id',
    [changes.map((change) => change.accountId),
      changes.map((change) => change.creditLimit.toString())]);
    if (result.rowCount !== changes.length) {
      throw new Error('PostgresStore: a credit limit names an account that is not projected.');
    }
  }

  private async updateStates(all: PreparedRecord['resolved']): Promise<void> {
    const changes = lastPerKey(all, (change) => change.transferId);
    if (changes.length === 0) return;
    const result = await this.client.query('UPDATE transfers t SET state = v.state FROM ' +
      'unnest($1::text[], $2::text[]) AS v(id, state) WHERE t.id = v.id',
    [changes.map((change) => change.transferId), changes.map((change) => change.state)]);
    if (result.rowCount !== changes.length) {
      throw new Error('PostgresStore: a resolved transfer is not projected.');
    }
  }

  /** Multi-row INSERTs, chunked under the bind-parameter limit. */
  private async applyWrite(write: TableWrite): Promise<void> {
    const width = write.columns.length;
    const all = this.uniqueRows(write);
    const perStatement = Math.max(1, Math.floor(PARAMETERS_MAX / width));
    for (let start = 0; start < all.length; start += perStatement) {
      const rows = all.slice(start, start + perStatement);
      const values: SqlValue[] = [];
      const tuples = rows.map((row) => {
        const placeholders = row.map((value) => {
          values.push(typeof value === 'bigint' ? value.toString() : value);
          return `$${values.length}`;
        });
        return `(${placeholders.join(', ')})`;
      });
      await this.client.query(`${this.insertHead(write)} VALUES ${tuples.join(', ')}` +
        this.conflictTail(write), values);
    }
  }

  /** For 'replace', the last row per primary key: one INSERT may not update a row twice. */
  private uniqueRows(write: TableWrite): readonly (readonly SqlValue[])[] {
    if (write.onConflict !== 'replace') return write.rows;
    const keys = this.catalog.primaryKeys.get(write.table) ?? [];
    const at = keys.map((key) => write.columns.indexOf(key));
    if (at.some((index) => index < 0)) return write.rows;
    return lastPerKey(write.rows, (row) => JSON.stringify(at.map((index) => String(row[index]))));
  }

  private insertHead(write: TableWrite): string {
    const columns = write.columns.map((column) => `"${column}"`).join(', ');
    return `INSERT INTO "${write.table}" (${columns})`;
  }

  private conflictTail(write: TableWrite): string {
    if (write.onConflict !== 'replace') return '';
    const keys = this.catalog.primaryKeys.get(write.table) ?? [];
    const keep = write.keep ?? [];
    const updates = write.columns.filter((column) => !keys.includes(column) &&
      !keep.includes(column))
      .map((column) => `"${column}" = EXCLUDED."${column}"`);
    const target = keys.map((key) => `"${key}"`).join(', ');
    return updates.length === 0 ? ` ON CONFLICT (${target}) DO NOTHING`
      : ` ON CONFLICT (${target}) DO UPDATE SET ${updates.join(', ')}`;
  }
}

/** Columns and primary keys of the current schema's tables (TableWrite checks and upserts). */
export async function loadCatalog(client: pg.Client): Promise<Catalog> {
  const columns = new Map<string, Set<string>>();
  const primaryKeys = new Map<string, string[]>();
  const rows = await client.query<{ table_name: string; column_name: string }>(
    'SELECT table_name, column_name FROM information_schema.columns ' +
    'WHERE table_schema = current_schema()');
  for (const row of rows.rows) {
    const set = columns.get(row.table_name) ?? new Set<string>();
    set.add(row.column_name);
    columns.set(row.table_name, set);
  }
  const keys = await client.query<{ table_name: string; column_name: string }>(
    'SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc ' +
    'JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name ' +
    "AND kcu.table_schema = tc.table_schema WHERE tc.constraint_type = 'PRIMARY KEY' " +
    'AND tc.table_schema = current_schema() ORDER BY kcu.ordinal_position');
  for (const row of keys.rows) {
    primaryKeys.set(row.table_name, [...(primaryKeys.get(row.table_name) ?? []), row.column_name]);
  }
  return { columns, primaryKeys };
}
