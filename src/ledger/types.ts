// The ledger's vocabulary: accounts, transfers, the commands that change them, and limits.

/** Every bound the engine enforces, named once (TigerBeetle style: a limit on everything). */
export const LIMITS = {
  idLengthMax: 64,
  batchCommandsMax: 8_190,
  linkedChainLengthMax: 1_024,
  /** A pending transfer may be reserved for at most 7 days. */
  pendingTimeoutMsMax: 7 * 24 * 60 * 60 * 1000,
  historyPageMax: 1_000,
} as const;

export const AccountFlags = {
  none: 0,
  /** The central bank's issuance account: its balance may go negative (minus the supply). */
  issuer: 1,
} as const;

export interface AccountSpec {
  readonly id: string;
  readonly owner: string;
  readonly currency: string;
  readonly flags: number;
  /** How far below zero the posted balance may go: intraday credit granted by the issuer. */
  readonly creditLimit: bigint;
}

export interface Account extends AccountSpec {
  creditLimit: bigint;
  debitsPosted: bigint;
  creditsPosted: bigint;
  debitsPending: bigint;
  creditsPending: bigint;
  readonly createdAt: number;
}

export interface Balance {
  readonly accountId: string;
  readonly currency: string;
  /** creditsPosted − debitsPosted. */
  readonly posted: bigint;
  /** Funds reserved by pending debits. */
  readonly pendingDebits: bigint;
  /** Funds on their way in through pending credits. */
  readonly pendingCredits: bigint;
  /** What can be debited now: posted − pendingDebits + creditLimit (unbounded for issuers). */
  readonly available: bigint;
  readonly creditLimit: bigint;
}

export type TransferKind = 'posted' | 'pending' | 'post_pending' | 'void_pending';
export type PendingStatus = 'pending' | 'posted' | 'voided' | 'expired';

export interface TransferSpec {
  readonly id: string;
  readonly kind: TransferKind;
  /** For posted and pending transfers. For post/void: taken from the pending transfer. */
  readonly debitAccountId: string;
  readonly creditAccountId: string;
  /** For post_pending: 0n means "post the full pending amount". For void_pending: ignored (0n). */
  readonly amount: bigint;
  /** The currency both accounts must be in: a guard against cross-ledger mistakes. */
  readonly currency: string;
  /** For post_pending and void_pending. */
  readonly pendingId: string;
  /** For pending: how long the reservation holds, in ms. 0 means no timeout. */
  readonly timeoutMs: number;
  /** Opaque application reference (for example a payment id); not interpreted by the ledger. */
  readonly reference: string;
  /** This command is linked to the next one: they succeed or fail together. */
  readonly linked: boolean;
}

export interface Transfer {
  readonly id: string;
  readonly kind: TransferKind;
  readonly debitAccountId: string;
  readonly creditAccountId: string;
  readonly amount: bigint;
  readonly currency: string;
  readonly pendingId: string;
  readonly timeoutMs: number;
  readonly reference: string;
  readonly timestamp: number;
  /** The ledger-wide order of committed transfers, from 1. */
  readonly sequence: number;
}

export interface PendingTransfer extends Transfer {
  readonly expiresAt: number;
}

export type Command =
  | { readonly type: 'create_account'; readonly account: AccountSpec; readonly linked?: boolean }
  | { readonly type: 'create_transfer'; readonly transfer: TransferSpec }
  | {
      readonly type: 'set_credit_limit';
      readonly accountId: string;
      readonly creditLimit: bigint;
      readonly linked?: boolean;
    };

export function isLinked(command: Command): boolean {
  return command.type === 'create_transfer' ? command.transfer.linked : command.linked === true;
}

/** Fills the optional fields of a transfer spec with their defaults. */
export function transferSpec(fields: Partial<TransferSpec> & { id: string }): TransferSpec {
  return {
    kind: 'posted',
    debitAccountId: '',
    creditAccountId: '',
    amount: 0n,
    currency: '',
    pendingId: '',
    timeoutMs: 0,
    reference: '',
    linked: false,
    ...fields,
  };
}
