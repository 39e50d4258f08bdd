// Rows of the tables both stores share (journal, accounts, transfers) back into domain values.
// Drivers differ in how they return 64-bit integers (bigint from better-sqlite3, text from
// pg), so numbers go through String() first.
import type { JournalEntry } from '../journal/hash-chain.js';
import type { Transfer } from '../ledger/types.js';
import type { StoredAccount, StoredTransfer, TransferState } from './store.js';

export type Row = Record<string, unknown>;

export function journalFromRow(row: Row): JournalEntry {
  return {
    sequence: Number(row['sequence']),
    now: Number(row['now']),
    payload: String(row['payload']),
    previousHash: String(row['previous_hash']),
    hash: String(row['hash']),
  };
}

export function accountFromRow(row: Row): StoredAccount {
  return {
    id: String(row['id']),
    owner: String(row['owner']),
    currency: String(row['currency']),
    flags: Number(row['flags']),
    creditLimit: BigInt(String(row['credit_limit'])),
    createdAt: Number(row['created_at']),
  };
}

export function transferFromRow(row: Row): StoredTransfer {
  return {
    sequence: Number(row['sequence']),
    id: String(row['id']),
    kind: String(row['kind']) as Transfer['kind'],
    debitAccountId: String(row['debit_account_id']),
    creditAccountId: String(row['credit_account_id']),
    amount: BigInt(String(row['amount'])),
    currency: String(row['currency']),
    pendingId: String(row['pending_id']),
    timeoutMs: Number(row['timeout_ms']),
    reference: String(row['reference']),
    timestamp: Number(row['timestamp']),
    state: String(row['state']) as TransferState,
  };
}
