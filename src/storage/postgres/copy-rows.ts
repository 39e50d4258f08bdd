// Encodes a commit record's journal row and transfer rows in COPY's text format (one line per
// row, tab-separated), when the record is committed: the writer thread then only streams the
// group's strings, so this work overlaps the transaction in flight instead of delaying the
// next one. COPY text needs no per-value quoting (unlike array literals) and PostgreSQL
// parses it without building arrays and unnesting them. A prepared record is data only (it
// crosses to the writer thread by structured clone) and holds just what the writer needs.
import type { ResolvedState } from '../../ledger/engine.js';
import type { Transfer } from '../../ledger/types.js';
import type { CommitRecord, TableWrite } from '../store.js';

export const JOURNAL_COPY = 'COPY journal (sequence, now, payload, previous_hash, hash) ' +
  'FROM STDIN';
export const TRANSFERS_COPY = 'COPY transfers (sequence, id, kind, debit_account, ' +
  'credit_account, amount, currency, pending_id, timeout_ms, reference, timestamp, state) ' +
  'FROM STDIN';

/** An account row to insert, with the number the writer assigned to it. */
export interface PreparedAccount {
  readonly number: number;
  readonly id: string;
  readonly owner: string;
  readonly currency: string;
  readonly flags: number;
  /** Decimal text (NUMERIC column). */
  readonly creditLimit: string;
  readonly createdAt: number;
}

/** What the writer thread writes for one commit record: COPY lines and the small rest. */
export interface PreparedRecord {
  readonly journalRow: string;
  readonly transferRows: string;
  readonly transferCount: number;
  readonly accounts: readonly PreparedAccount[];
  readonly creditLimits: readonly { readonly accountId: string; readonly creditLimit: bigint }[];
  readonly resolved: readonly { readonly transferId: string; readonly state: ResolvedState }[];
  readonly writes: readonly TableWrite[];
}

/** Resolves an account id to its number; throws for an account that was never created. */
export type NumberOf = (accountId: string) => number;

const SPECIAL = /[\\\n\r\t]/;
const SPECIALS = /[\\\n\r\t]/g;
const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t',
};

/** A text value in COPY text format: backslash, newline, carriage return and tab escaped. */
export function copyText(value: string): string {
  return SPECIAL.test(value) ? value.replace(SPECIALS, (char) => ESCAPES[char] ?? char) : value;
}

/** An integer column (sequence, ms timestamps): the same decimal text node-postgres sends. */
function copyInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`PostgresStore: ${value} is not an integer.`);
  return String(value);
}

function stateOf(kind: string): string {
  return kind === 'pending' ? 'pending' : kind === 'posted' ? 'posted' : 'resolution';
}

function transferRow(transfer: Transfer, numberOf: NumberOf): string {
  return `${copyInteger(transfer.sequence)}\t${copyText(transfer.id)}\t${copyText(transfer.kind)}` +
    `\t${numberOf(transfer.debitAccountId)}\t${numberOf(transfer.creditAccountId)}` +
    `\t${transfer.amount.toString()}\t${copyText(transfer.currency)}` +
    `\t${copyText(transfer.pendingId)}\t${copyInteger(transfer.timeoutMs)}` +
    `\t${copyText(transfer.reference)}\t${copyInteger(transfer.timestamp)}` +
    `\t${stateOf(transfer.kind)}\n`;
}

/**
 * Encodes one record. `assign` numbers each account the record creates (in order, before its
 * transfers are encoded, so that they may name them); `numberOf` resolves any account id.
 */
export function prepareRecord(
  record: CommitRecord,
  assign: (accountId: string) => number,
  numberOf: NumberOf,
): PreparedRecord {
  const { entry, ledger } = record;
  const accounts = ledger.accountsCreated.map((account): PreparedAccount => ({
    number: assign(account.id), id: account.id, owner: account.owner,
    currency: account.currency, flags: account.flags,
    creditLimit: account.creditLimit.toString(), createdAt: account.createdAt,
  }));
  const journalRow = `${copyInteger(entry.sequence)}\t${copyInteger(entry.now)}` +
    `\t${copyText(entry.payload)}\t${copyText(entry.previousHash)}\t${copyText(entry.hash)}\n`;
  let transferRows = '';
  for (const transfer of ledger.transfers) transferRows += transferRow(transfer, numberOf);
  return { journalRow, transferRows, transferCount: ledger.transfers.length, accounts,
    creditLimits: ledger.creditLimits, resolved: ledger.resolved, writes: record.writes ?? [] };
}
