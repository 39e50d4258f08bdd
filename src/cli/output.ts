// CLI output: human tables by default, JSON with --json; errors on stderr with a stable exit code.
import Table from 'cli-table3';

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

export function printTable(
  rows: readonly object[],
  columns: readonly string[],
  options: OutputOptions,
): void {
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const table = new Table({ head: [...columns], style: { head: [], border: [] } });
  for (const row of rows as readonly Record<string, unknown>[])
    table.push(columns.map((column) => format(row[column])));
  process.stdout.write(`${table.toString()}\n`);
}

export function printRecord(record: object, options: OutputOptions): void {
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
    return;
  }
  const table = new Table({ style: { head: [], border: [] } });
  for (const [key, value] of Object.entries(record)) table.push({ [key]: format(value) });
  process.stdout.write(`${table.toString()}\n`);
}

function format(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record['amount'] === 'string' && typeof record['currency'] === 'string') {
      return `${record['amount']} ${record['currency']}`;
    }
    return JSON.stringify(value);
  }
  return String(value);
}
