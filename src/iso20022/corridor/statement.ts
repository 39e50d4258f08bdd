// End-of-day statements as camt.053: one account (a participant's settlement account, or a
// central bank's issuance account) for one UTC day, with the opening and closing booked
// balances and every booked entry of the day. Built from the store's history, which holds every
// committed transfer in order: the balances are sums of booked movements up to each instant.
import { createHash } from 'node:crypto';
import type { Network } from '../../service/service.js';
import { issuanceAccountId, settlementAccountId } from '../../service/domain.js';
import type { StoredTransfer } from '../../storage/store.js';
import { LIMITS } from '../../ledger/types.js';
import type { Balance, BankToCustomerStatement, ReportEntry } from '../account-report.js';
import { generateBankToCustomerStatement } from '../account-report-write.js';
import { TRANSACTIONS_PER_MESSAGE_MAX } from '../limits.js';
import { transferEntry, reportAccountOf } from './entries.js';
import { expectGenerated, isoDateTime } from './outbound.js';

const DAY_MS = 86_400_000;
/** Transfers read for one statement; beyond it the account needs balance snapshots. */
export const STATEMENT_TRANSFERS_SCANNED_MAX = 2_000_000;

export type StatementResult =
  | { readonly ok: true; readonly xml: string; readonly entries: number; readonly pages: number }
  | {
      readonly ok: false;
      readonly code: 'account_not_found' | 'page_not_found' | 'history_too_long';
      readonly message: string;
    };

/** Booked movements change the posted balance: posted transfers and posted reservations. */
function booked(transfer: StoredTransfer): boolean {
  return transfer.kind === 'posted' || transfer.kind === 'post_pending';
}

function signed(transfer: StoredTransfer, accountId: string): bigint {
  return transfer.creditAccountId === accountId ? transfer.amount : -transfer.amount;
}

interface DayHistory {
  readonly opening: bigint;
  readonly transfers: StoredTransfer[];
}

/** Reads the account's history up to the end of the day (it is ordered by time). */
async function dayHistory(
  network: Network,
  accountId: string,
  start: number,
): Promise<DayHistory | string> {
  let opening = 0n;
  const transfers: StoredTransfer[] = [];
  let after = 0;
  for (let scanned = 0; scanned < STATEMENT_TRANSFERS_SCANNED_MAX;) {
    const page = await network.store.history(accountId, { after, limit: LIMITS.historyPageMax });
    scanned += page.transfers.length;
    for (const transfer of page.transfers) {
      if (transfer.timestamp >= start + DAY_MS) return { opening, transfers };
      if (!booked(transfer)) continue;
      if (transfer.timestamp < start) opening += signed(transfer, accountId);
      else transfers.push(transfer);
    }
    if (page.next === undefined) return { opening, transfers };
    after = page.next;
  }
  return `The account's history exceeds ${STATEMENT_TRANSFERS_SCANNED_MAX} transfers.`;
}

function balance(type: 'OPBD' | 'CLBD', amount: bigint, currency: string, date: string): Balance {
  return {
    type: { code: type },
    amount: { currency, value: amount < 0n ? -amount : amount },
    creditDebit: amount < 0n ? 'DBIT' : 'CRDT',
    date: { date },
  };
}

/**
 * The camt.053 of `participantId`'s account in `currency` for `date` (YYYY-MM-DD, UTC), page
 * `page` (1-based) of 1,000 entries at most; each page carries both balances of the day.
 */
export async function buildStatement(
  network: Network,
  request: { participantId: string; currency: string; date: string; page?: number },
): Promise<StatementResult> {
  const { participantId, currency, date } = request;
  const issuer = network.engine.state.currencies.get(currency)?.issuer === participantId;
  const accountId = issuer
    ? issuanceAccountId(participantId, currency)
    : settlementAccountId(participantId, currency);
  if (network.engine.ledger.balance(accountId) === undefined)
    return { ok: false, code: 'account_not_found', message: `No account ${accountId}.` };
  const start = Date.parse(`${date}T00:00:00.000Z`);
  const history = await dayHistory(network, accountId, start);
  if (typeof history === 'string') return { ok: false, code: 'history_too_long', message: history };
  const closing = history.transfers.reduce((sum, t) => sum + signed(t, accountId), history.opening);
  const pages = Math.max(1, Math.ceil(history.transfers.length / TRANSACTIONS_PER_MESSAGE_MAX));
  const page = request.page ?? 1;
  if (page < 1 || page > pages)
    return { ok: false, code: 'page_not_found', message: `The statement has ${pages} page(s).` };
  const booked = history.transfers
    .slice((page - 1) * TRANSACTIONS_PER_MESSAGE_MAX, page * TRANSACTIONS_PER_MESSAGE_MAX);
  // A payment leg's transfer names its payment by reference.
  const payments = await network.reads.paymentsById(booked.map((transfer) => transfer.reference));
  const entries: ReportEntry[] = booked.map((transfer) =>
    transferEntry(network, transfer, accountId, payments.get(transfer.reference)));
  const day = date.replaceAll('-', '');
  const digest = createHash('sha256').update(accountId).digest('hex').slice(0, 16);
  const identification =
    `${day}-${accountId}`.length <= 35 ? `${day}-${accountId}` : `${day}-${digest}`;
  const pagination = { pageNumber: String(page), lastPage: page === pages };
  const statement: BankToCustomerStatement = {
    groupHeader: {
      messageId: `STM${day}-${digest}-${page}`,
      creationDateTime: isoDateTime(Date.now()),
      pagination,
    },
    statements: [
      {
        identification,
        pagination,
        electronicSequenceNumber: String(Math.floor(start / DAY_MS)),
        creationDateTime: isoDateTime(Date.now()),
        fromToDate: {
          fromDateTime: isoDateTime(start),
          toDateTime: isoDateTime(start + DAY_MS - 1),
        },
        account: reportAccountOf(network, accountId),
        balances: [
          balance('OPBD', history.opening, currency, date),
          balance('CLBD', closing, currency, date),
        ],
        entries,
      },
    ],
  };
  const xml = expectGenerated(generateBankToCustomerStatement(statement)).xml;
  return { ok: true, xml, entries: history.transfers.length, pages };
}
