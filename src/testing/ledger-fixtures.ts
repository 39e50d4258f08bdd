// Small builders shared by tests and benchmarks, so that scenarios read as the domain.
import { AccountFlags, transferSpec, type Command, type TransferSpec } from '../ledger/types.js';

export function accountCommand(
  id: string,
  currency: string,
  options: { issuer?: boolean; creditLimit?: bigint; owner?: string; linked?: boolean } = {},
): Command {
  return {
    type: 'create_account',
    account: {
      id, owner: options.owner ?? id, currency,
      flags: options.issuer === true ? AccountFlags.issuer : AccountFlags.none,
      creditLimit: options.creditLimit ?? 0n,
    },
    ...(options.linked === true ? { linked: true } : {}),
  };
}

export function transferCommand(
  fields: Partial<TransferSpec> & { id: string },
): Command {
  return { type: 'create_transfer', transfer: transferSpec(fields) };
}

export function postedTransfer(
  id: string,
  debitAccountId: string,
  creditAccountId: string,
  amount: bigint,
  currency: string,
  linked = false,
): Command {
  return transferCommand({ id, debitAccountId, creditAccountId, amount, currency, linked });
}
