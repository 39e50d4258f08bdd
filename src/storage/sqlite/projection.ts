// The projector's writer: turns journal entries' effects into the rows that queries read
// (accounts, transfers, history indexes, the tables of upper layers) in the projection
// database, and records in the same transaction the last journal entry it projected, so that
// after a crash it resumes exactly where its last committed transaction ended.
import type Database from 'better-sqlite3';
import { decodeEffects, TRANSFER_FIELDS, TRANSFER_KINDS, type Effects } from '../effects.js';
import { isIdentifier } from '../schema-checks.js';
import type { TableWrite } from '../store.js';
import {
  CORE_TABLES, HISTORY_BUCKET_TRANSFERS, TRANSFER_KIND_CODES, TRANSFER_STATE_CODES,
} from './migrations.js';

type Statement = Database.Statement<unknown[], unknown>;

const TRANSFER_COLUMNS = 11;
const POSTING_COLUMNS = 3;
/** Transfers bound per INSERT statement: one call into SQLite per chunk, not per row. */
const TRANSFERS_PER_INSERT = 32;
/** Rows of an upper layer's TableWrite bound per statement, likewise. */
const ROWS_PER_INSERT = 16;
/** Parameters one statement may bind in every SQLite build (SQLITE_MAX_VARIABLE_NUMBER). */
const VARIABLES_MAX = 999;
const INSERT_TRANSFERS = 'INSERT INTO transfers (sequence, id, kind, debit_account, ' +
  'credit_account, amount, pending_id, timeout_ms, reference, timestamp, state) VALUES ';
const INSERT_POSTINGS = 'INSERT INTO postings (bucket, account, sequence) VALUES ';

function valuesSql(head: string, columns: number, rows: number): string {
  const row = `(${new Array<string>(columns).fill('?').join(', ')})`;
  return head + new Array<string>(rows).fill(row).join(', ');
}

/** One journal entry as the projector sees it. */
export interface ProjectionItem {
  readonly sequence: number;
  readonly hash: string;
  /** encodeEffects() of the batch, or null when it projects nothing. */
  readonly effects: Uint8Array | null;
}

export interface ProjectedMark {
  readonly sequence: number;
  readonly hash: string;
}

const STATE_CODE = new Map(TRANSFER_STATE_CODES.map((state, code) => [state, code]));

// The effects' kind index is written as the kind code: the two lists must be one.
if (TRANSFER_KINDS.join() !== TRANSFER_KIND_CODES.join()) {
  throw new Error('LedgerProjection: effects and storage disagree on transfer kinds.');
}

/** The state a transfer starts in, by kind code: a post or void is a resolution. */
const INITIAL_STATE = TRANSFER_KIND_CODES.map((kind) => STATE_CODE.get(
  kind === 'posted' ? 'posted' : kind === 'pending' ? 'pending' : 'resolution') as number);

function initialState(kind: number): number {
  const state = INITIAL_STATE[kind];
  if (state === undefined) throw new Error(`LedgerProjection: unknown transfer kind ${kind}.`);
  return state;
}

export class LedgerProjection {
  private readonly accountNumbers = new Map<string, number>();
  private readonly writeStatements = new Map<string, Statement>();
  private readonly insertAccount: Statement;
  private readonly updateCreditLimit: Statement;
  private readonly insertTransfer: Statement;
  private readonly insertTransferChunk: Statement;
  private readonly insertPostings: Statement;
  private readonly insertPostingsChunk: Statement;
  private readonly chunk = new Array<unknown>(TRANSFER_COLUMNS * TRANSFERS_PER_INSERT);
  private readonly postingsChunk = new Array<unknown>(2 * POSTING_COLUMNS * TRANSFERS_PER_INSERT);
  private readonly updateState: Statement;
  private readonly updateMark: Statement;
  private mark: ProjectedMark;

  constructor(private readonly database: Database.Database) {
    this.insertAccount = database.prepare('INSERT INTO accounts (id, owner, currency, flags, ' +
      'credit_limit, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    this.updateCreditLimit = database.prepare('UPDATE accounts SET credit_limit = ? WHERE id = ?');
    this.insertTransfer = database.prepare(valuesSql(INSERT_TRANSFERS, TRANSFER_COLUMNS, 1));
    this.insertTransferChunk = database.prepare(valuesSql(INSERT_TRANSFERS, TRANSFER_COLUMNS,
      TRANSFERS_PER_INSERT));
    this.insertPostings = database.prepare(valuesSql(INSERT_POSTINGS, POSTING_COLUMNS, 2));
    this.insertPostingsChunk = database.prepare(valuesSql(INSERT_POSTINGS, POSTING_COLUMNS,
      2 * TRANSFERS_PER_INSERT));
    this.updateState = database.prepare('UPDATE transfers SET state = ? WHERE id = ?');
    this.updateMark = database.prepare('UPDATE projection_state SET sequence = ?, hash = ? ' +
      'WHERE id = 1');
    const row = database.prepare('SELECT sequence, hash FROM projection_state WHERE id = 1')
      .get() as { sequence: bigint | number; hash: string };
    this.mark = { sequence: Number(row.sequence), hash: row.hash };
    const accounts = database.prepare('SELECT number, id FROM accounts').raw(true).iterate();
    for (const [number, id] of accounts as Iterable<[bigint | number, string]>) {
      this.accountNumbers.set(id, Number(number));
    }
  }

  /** The last journal entry whose projection is committed. */
  get projected(): ProjectedMark {
    return this.mark;
  }

  /** Projects consecutive entries in one transaction; they must follow the mark. */
  apply(items: readonly ProjectionItem[]): void {
    if (items.length === 0) return;
    const before = this.mark;
    try {
      this.database.transaction(() => {
        for (const item of items) this.applyOne(item);
        this.updateMark.run(this.mark.sequence, this.mark.hash);
      })();
    } catch (error) {
      this.mark = before;
      throw error;
    }
  }

  private applyOne(item: ProjectionItem): void {
    if (item.sequence !== this.mark.sequence + 1) {
      throw new Error(`LedgerProjection: entry ${item.sequence} does not follow ` +
        `${this.mark.sequence}.`);
    }
    if (item.effects !== null) this.applyEffects(decodeEffects(item.effects));
    this.mark = { sequence: item.sequence, hash: item.hash };
  }

  private applyEffects(effects: Effects): void {
    for (const account of effects.accounts) {
      const result = this.insertAccount.run(account.id, account.owner, account.currency,
        account.flags, account.creditLimit.toString(), account.createdAt);
      this.accountNumbers.set(account.id, Number(result.lastInsertRowid));
    }
    for (const change of effects.creditLimits) {
      this.expectOne(this.updateCreditLimit.run(change.creditLimit.toString(), change.accountId),
        `account ${change.accountId}`);
    }
    this.insertTransfers(effects);
    for (const change of effects.resolved) {
      this.expectOne(this.updateState.run(STATE_CODE.get(change.state), change.transferId),
        `transfer ${change.transferId}`);
    }
    for (const write of effects.writes) this.applyWrite(write);
  }

  private insertTransfers(effects: Effects): void {
    const { count } = effects.transfers;
    const whole = count - (count % TRANSFERS_PER_INSERT);
    for (let start = 0; start < whole; start += TRANSFERS_PER_INSERT) {
      for (let row = 0; row < TRANSFERS_PER_INSERT; row++) {
        this.fillRow(effects, start + row, this.chunk, row * TRANSFER_COLUMNS);
        fillPostings(this.chunk, row * TRANSFER_COLUMNS, this.postingsChunk,
          row * 2 * POSTING_COLUMNS);
      }
      this.insertTransferChunk.run(this.chunk);
      this.insertPostingsChunk.run(this.postingsChunk);
    }
    const single = new Array<unknown>(TRANSFER_COLUMNS);
    const postings = new Array<unknown>(2 * POSTING_COLUMNS);
    for (let index = whole; index < count; index++) {
      this.fillRow(effects, index, single, 0);
      fillPostings(single, 0, postings, 0);
      this.insertTransfer.run(single);
      this.insertPostings.run(postings);
    }
  }

  private fillRow(effects: Effects, index: number, row: unknown[], at: number): void {
    const { numbers, amounts, texts } = effects.transfers;
    const number = index * TRANSFER_FIELDS.numbers;
    const field = index * TRANSFER_FIELDS.texts;
    const kind = numbers[number + 1] as number;
    row[at] = numbers[number];
    row[at + 1] = texts[field];
    row[at + 2] = kind;
    row[at + 3] = this.accountNumber(texts[field + 1] as string);
    row[at + 4] = this.accountNumber(texts[field + 2] as string);
    row[at + 5] = amounts[index];
    row[at + 6] = texts[field + 3];
    row[at + 7] = numbers[number + 2];
    row[at + 8] = texts[field + 4];
    row[at + 9] = numbers[number + 3];
    row[at + 10] = initialState(kind);
  }

  private accountNumber(id: string): number {
    const number = this.accountNumbers.get(id);
    if (number === undefined) throw new Error(`LedgerProjection: account ${id} was never created.`);
    return number;
  }

  private expectOne(result: Database.RunResult, what: string): void {
    if (result.changes !== 1) throw new Error(`LedgerProjection: ${what} is not projected.`);
  }

  /** The rows of a write, ROWS_PER_INSERT to a statement (SQLite applies them in order). */
  private applyWrite(write: TableWrite): void {
    const { rows } = write;
    const width = write.columns.length;
    const whole = width * ROWS_PER_INSERT > VARIABLES_MAX ? 0
      : rows.length - (rows.length % ROWS_PER_INSERT);
    if (whole > 0) {
      const statement = this.writeStatement(write, ROWS_PER_INSERT);
      const values = new Array<unknown>(ROWS_PER_INSERT * width);
      for (let start = 0; start < whole; start += ROWS_PER_INSERT) {
        let at = 0;
        for (let index = start; index < start + ROWS_PER_INSERT; index++) {
          const row = rows[index] as readonly unknown[];
          for (let column = 0; column < width; column++) values[at++] = row[column];
        }
        statement.run(values);
      }
    }
    if (whole === rows.length) return;
    const single = this.writeStatement(write, 1);
    for (let index = whole; index < rows.length; index++) single.run(rows[index]);
  }

  private writeStatement(write: TableWrite, rows: number): Statement {
    const key = `${rows}|${writeKey(write)}`;
    let statement = this.writeStatements.get(key);
    if (statement === undefined) {
      statement = this.database.prepare(insertSql(write, rows));
      this.writeStatements.set(key, statement);
    }
    return statement;
  }
}

/** The debit and the credit posting of the transfer row at `at`. */
function fillPostings(row: unknown[], at: number, postings: unknown[], to: number): void {
  const sequence = row[at] as number;
  const bucket = Math.floor(sequence / HISTORY_BUCKET_TRANSFERS);
  postings[to] = bucket;
  postings[to + 1] = row[at + 3];
  postings[to + 2] = sequence;
  postings[to + 3] = bucket;
  postings[to + 4] = row[at + 4];
  postings[to + 5] = sequence;
}

export function writeKey(write: TableWrite): string {
  return `${write.onConflict ?? 'error'}|${write.table}|${write.columns.join(',')}|` +
    (write.keep ?? []).join(',');
}

/**
 * The INSERT of a TableWrite, for `rows` rows at once; checks first that its names may go into
 * SQL text. SQLite inserts (or upserts) a statement's rows one after another, in order, as
 * separate statements would.
 */
export function insertSql(write: TableWrite, rows = 1): string {
  if (!isIdentifier(write.table) || CORE_TABLES.has(write.table)) {
    throw new Error(`TableWrite may not write table "${write.table}".`);
  }
  if (write.columns.length === 0 || !write.columns.every(isIdentifier)) {
    throw new Error(`TableWrite to ${write.table} names an invalid column.`);
  }
  const keep = write.keep ?? [];
  if (!keep.every((column) => write.columns.includes(column))) {
    throw new Error(`TableWrite to ${write.table} keeps a column it does not write.`);
  }
  const columns = write.columns.map((column) => `"${column}"`).join(', ');
  const row = `(${write.columns.map(() => '?').join(', ')})`;
  const values = new Array<string>(rows).fill(row).join(', ');
  if (write.onConflict === 'replace' && keep.length > 0) {
    // An upsert: the row stays where it is (its rowid too), the kept columns as they were.
    const updates = write.columns.filter((column) => !keep.includes(column))
      .map((column) => `"${column}" = excluded."${column}"`);
    const tail = updates.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${updates.join(', ')}`;
    return `INSERT INTO "${write.table}" (${columns}) VALUES ${values} ON CONFLICT ${tail}`;
  }
  const verb = write.onConflict === 'replace' ? 'INSERT OR REPLACE' : 'INSERT';
  return `${verb} INTO "${write.table}" (${columns}) VALUES ${values}`;
}
