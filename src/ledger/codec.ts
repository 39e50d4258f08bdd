// Compact journal encoding of ledger commands: positional JSON arrays, amounts as decimal
// strings. Compactness matters: recovery parses the whole journal.
import { type Command, type TransferKind } from './types.js';

const KINDS: readonly TransferKind[] = ['posted', 'pending', 'post_pending', 'void_pending'];

export type EncodedCommand = readonly (string | number)[];

export function encodeCommand(command: Command): EncodedCommand {
  if (command.type === 'create_account') {
    const a = command.account;
    return ['a', a.id, a.owner, a.currency, a.flags, a.creditLimit.toString(),
      command.linked === true ? 1 : 0];
  }
  if (command.type === 'set_credit_limit') {
    return ['c', command.accountId, command.creditLimit.toString(), command.linked === true ? 1 : 0];
  }
  const t = command.transfer;
  return ['t', t.id, KINDS.indexOf(t.kind), t.debitAccountId, t.creditAccountId,
    t.amount.toString(), t.currency, t.pendingId, t.timeoutMs, t.reference, t.linked ? 1 : 0];
}

function text(value: unknown): string {
  if (typeof value !== 'string') throw new Error('decodeCommand: expected a string');
  return value;
}

function integer(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new Error('decodeCommand: expected an integer');
  }
  return value;
}

/** Exactly what bigint.toString() writes: BigInt() alone would also take '', ' 1' and '0x1'. */
function amount(value: unknown): bigint {
  const digits = text(value);
  if (!/^-?(0|[1-9][0-9]*)$/.test(digits)) throw new Error('decodeCommand: expected an amount');
  return BigInt(digits);
}

function flag(value: unknown): boolean {
  if (value !== 0 && value !== 1) throw new Error('decodeCommand: expected a 0 or 1 flag');
  return value === 1;
}

function arity(encoded: readonly unknown[], length: number): void {
  if (encoded.length !== length) throw new Error('decodeCommand: wrong number of fields');
}

/** Decodes a journal command. The journal is trusted storage: a malformed entry throws. */
export function decodeCommand(encoded: readonly unknown[]): Command {
  const tag = encoded[0];
  if (tag === 'a') {
    arity(encoded, 7);
    return {
      type: 'create_account',
      account: {
        id: text(encoded[1]), owner: text(encoded[2]), currency: text(encoded[3]),
        flags: integer(encoded[4]), creditLimit: amount(encoded[5]),
      },
      linked: flag(encoded[6]),
    };
  }
  if (tag === 'c') {
    arity(encoded, 4);
    return { type: 'set_credit_limit', accountId: text(encoded[1]),
      creditLimit: amount(encoded[2]), linked: flag(encoded[3]) };
  }
  if (tag !== 't') throw new Error(`decodeCommand: unknown tag ${String(tag)}`);
  arity(encoded, 11);
  const kind = KINDS[integer(encoded[2])];
  if (kind === undefined) throw new Error('decodeCommand: unknown transfer kind');
  return {
    type: 'create_transfer',
    transfer: {
      id: text(encoded[1]), kind, debitAccountId: text(encoded[3]),
      creditAccountId: text(encoded[4]), amount: amount(encoded[5]),
      currency: text(encoded[6]), pendingId: text(encoded[7]), timeoutMs: integer(encoded[8]),
      reference: text(encoded[9]), linked: flag(encoded[10]),
    },
  };
}

export function encodeCommands(commands: readonly Command[]): string {
  return JSON.stringify(commands.map(encodeCommand));
}

export function decodeCommands(payload: string): Command[] {
  const parsed: unknown = JSON.parse(payload);
  if (!Array.isArray(parsed)) throw new Error('decodeCommands: payload is not an array');
  return parsed.map((item: unknown) => {
    if (!Array.isArray(item)) throw new Error('decodeCommands: command is not an array');
    return decodeCommand(item);
  });
}
