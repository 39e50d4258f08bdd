// Words and numbers that are not money: statuses and reason codes, times, durations, counts.
// (Counts and latencies are plain numbers, so Intl formats them; amounts go through money.ts.)
import type { PaymentStatus } from './types';

export const STATUS_LABELS: Readonly<Record<PaymentStatus, string>> = {
  ACTC: 'Accepted',
  ACSP: 'Awaiting creditor agent',
  BLCK: 'Held for review',
  ACSC: 'Settled, debtor side',
  ACCC: 'Credited',
  RJCT: 'Rejected',
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status as PaymentStatus] ?? status;
}

/** ISO 20022 reason codes Corridor gives, in words (src/engine/payments/model.ts). */
export const REASONS: Readonly<Record<string, string>> = {
  AM04: 'Insufficient funds',
  AM02: "Above the currency's maximum for one payment",
  AM14: 'Above the daily outflow cap',
  AM03: 'Currency not settled by the network',
  AC01: 'No account in this currency',
  AC06: 'Participant suspended',
  RR04: 'Regulatory reason (sanctions screening)',
  AB03: 'The quote expired',
  AB05: 'The creditor agent did not answer in time',
  DUPL: 'Duplicate payment',
  RC01: 'Agent is not a participant',
  AM09: 'Amount not the one agreed',
  FOCR: 'Following a cancellation request',
  NARR: 'See the narrative',
  CUST: 'Requested by customer',
};

export const KIND_LABELS: Readonly<Record<string, string>> = {
  operator: 'Operator',
  central_bank: 'Central bank',
  bank: 'Bank',
  fx_provider: 'FX provider',
};

export const LEG_ROLES: Readonly<Record<string, string>> = {
  debtor_to_provider: 'Debtor agent → FX provider',
  provider_to_creditor: 'FX provider → creditor agent',
  provider_to_provider: 'FX provider → FX provider (route)',
  debtor_to_creditor: 'Debtor agent → creditor agent',
  fee: 'Fee',
  return_creditor_to_provider: 'Return: creditor agent → FX provider',
  return_provider_to_debtor: 'Return: FX provider → debtor agent',
  return_creditor_to_debtor: 'Return: creditor agent → debtor agent',
};

export function formatDateTime(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(date);
}

export function formatTime(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(date);
}

/** A duration for people: "0.8 ms", "420 ms", "2.5 s", "3 min 5 s", "2 h 10 min". */
export function formatDuration(ms: number | null | undefined, locale: string): string {
  if (ms === null || ms === undefined) return '—';
  const number = (value: number, digits: number): string =>
    new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
  if (ms < 10) return `${number(ms, 1)} ms`;
  if (ms < 1_000) return `${number(ms, 0)} ms`;
  if (ms < 60_000) return `${number(ms / 1_000, 1)} s`;
  if (ms < 3_600_000)
    return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1_000)} s`;
  return `${Math.floor(ms / 3_600_000)} h ${Math.round((ms % 3_600_000) / 60_000)} min`;
}

export function formatCount(value: number, locale: string, digits = 0): string {
  return new Intl.NumberFormat(locale, {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(value);
}

export function shortId(id: string): string {
  return id.length > 16 ? `${id.slice(0, 12)}…${id.slice(-4)}` : id;
}

export function countryName(code: string, locale: string): string {
  if (code === '') return '';
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}
