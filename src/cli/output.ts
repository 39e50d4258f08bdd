// CLI output: human tables and key/value records by default, JSON with --json; errors on
// stderr with a stable exit code. No cell ever holds JSON: nested values are written out as
// "1000.00 BRL", "BRL, INR" or "role=fee amount=5.00 BRL", and a list of records in a record
// gets one indented line per item.
import { createRequire } from 'node:module';
import type TableType from 'cli-table3';

// cli-table3 (and the Unicode width tables it pulls in) loads on the first table, not at
// start-up: `corridor --version` and the record-printing commands never need it.
const require = createRequire(import.meta.url);
let Table: typeof TableType | undefined;

export const EXIT = { ok: 0, usage: 1, refused: 2, unavailable: 3, verifyFailed: 4 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}

export interface OutputOptions {
  readonly json?: boolean;
}

/** A borderless table: a header, a rule under it, and columns two spaces apart. */
const PLAIN_TABLE = {
  chars: {
    top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
    bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
    left: '', 'left-mid': '', mid: '', 'mid-mid': '',
    right: '', 'right-mid': '', middle: '  ',
  },
  style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
};

export function printTable(
  rows: readonly object[],
  columns: readonly string[],
  options: OutputOptions,
): void {
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  process.stdout.write(tableText(rows, columns));
}

export function tableText(rows: readonly object[], columns: readonly string[]): string {
  if (rows.length === 0) return '(none)\n';
  Table ??= require('cli-table3') as typeof TableType;
  const table = new Table({ head: [...columns], ...PLAIN_TABLE });
  table.push(columns.map((column) => '-'.repeat(column.length)));
  for (const row of rows as readonly Record<string, unknown>[])
    table.push(columns.map((column) => formatInline(row[column])));
  // cli-table3 pads the last column: trailing spaces are noise in a terminal and in a diff.
  return `${table.toString().replace(/ +$/gm, '')}\n`;
}

export function printRecord(record: object, options: OutputOptions): void {
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
    return;
  }
  process.stdout.write(recordText(record));
}

/** One field a line, the values aligned; a list of records gets one indented line per item. */
export function recordText(record: object): string {
  const entries = Object.entries(record).filter(([, value]) => value !== undefined);
  const width = Math.max(0, ...entries.map(([key]) => key.length));
  const lines: string[] = [];
  for (const [key, value] of entries) {
    if (Array.isArray(value) && value.some(isPlainObject)) {
      lines.push(`${key}:`);
      for (const item of value) lines.push(`  ${formatInline(item)}`);
    } else {
      lines.push(`${key.padEnd(width)}  ${formatInline(value)}`.trimEnd());
    }
  }
  return `${lines.join('\n')}\n`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMoney(value: unknown): value is { amount: string; currency: string } {
  return (
    isPlainObject(value) &&
    typeof value['amount'] === 'string' &&
    typeof value['currency'] === 'string'
  );
}

/** A value on one line, for a table cell or a record's value. */
export function formatInline(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map(formatInline).join(', ');
  if (!isPlainObject(value)) return String(value);
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'name') return formatInline(value['name']);
  const { amount, currency, ...rest } = value;
  const money = isMoney(value) ? `${String(amount)} ${String(currency)}` : undefined;
  const fields = Object.entries(isMoney(value) ? rest : value)
    .filter(([, field]) => field !== undefined)
    .map(([key, field]) => `${key}=${isPlainObject(field) || Array.isArray(field) ? `(${formatInline(field)})` : formatInline(field)}`);
  return [...fields, ...(money === undefined ? [] : [money])].join(' ');
}
