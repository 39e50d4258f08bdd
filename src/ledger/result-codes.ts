// Every business outcome of the ledger as a typed code, ordered by precedence: when several
// apply, the first in the list is returned. Exceptions are kept for programmer errors only.

export const RESULT_CODES = [
  'ok',
  'linked_event_failed',
  'linked_event_chain_open',
  'linked_chain_too_long',
  'id_must_not_be_empty',
  'id_too_long',
  'currency_unknown',
  'amount_must_be_positive',
  'amount_too_large',
  'credit_limit_must_not_be_negative',
  'flags_invalid',
  'owner_must_not_be_empty',
  'timeout_invalid',
  'timeout_reserved_for_pending',
  'timeout_too_long',
  'reference_too_long',
  'pending_id_must_be_empty',
  'pending_id_must_not_be_empty',
  'pending_id_must_differ',
  'accounts_must_be_different',
  'exists_with_different_fields',
  'debit_account_not_found',
  'credit_account_not_found',
  'account_not_found',
  'accounts_must_have_the_same_currency',
  'transfer_currency_mismatch',
  'pending_transfer_not_found',
  'pending_transfer_has_different_accounts',
  'pending_transfer_not_pending',
  'pending_transfer_already_posted',
  'pending_transfer_already_voided',
  'pending_transfer_expired',
  'exceeds_pending_amount',
  'credit_limit_below_usage',
  'overflow',
  'insufficient_funds',
] as const;

export type ResultCode = (typeof RESULT_CODES)[number];

/** Lower is stronger. Used to pick the reported code when several checks fail. */
export const RESULT_PRECEDENCE: ReadonlyMap<ResultCode, number> = new Map(
  RESULT_CODES.map((code, index) => [code, index]),
);

export const RESULT_MESSAGES: { readonly [code in ResultCode]: string } = {
  ok: 'The command was applied.',
  linked_event_failed: 'Another command in the same linked chain failed, so none was applied.',
  linked_event_chain_open: 'The last command of the batch is linked to a command that is not there.',
  linked_chain_too_long: 'The linked chain is longer than the ledger allows.',
  id_must_not_be_empty: 'The id must not be empty.',
  id_too_long: 'The id is longer than the ledger allows.',
  currency_unknown: 'The currency is not one the ledger knows.',
  amount_must_be_positive: 'The amount must be greater than zero.',
  amount_too_large: 'The amount is beyond the supported maximum.',
  credit_limit_must_not_be_negative: 'The credit limit must not be negative.',
  flags_invalid: 'The account flags are not valid.',
  owner_must_not_be_empty: 'The account owner must not be empty.',
  timeout_invalid: 'The timeout must be a whole, non-negative number of milliseconds.',
  reference_too_long: 'The reference is longer than the ledger allows.',
  pending_transfer_has_different_accounts:
    'The post or void names accounts or a currency other than the pending transfer\'s.',
  timeout_reserved_for_pending: 'Only a pending transfer may have a timeout.',
  timeout_too_long: 'The timeout is longer than the ledger allows.',
  pending_id_must_be_empty: 'Only a post or void of a pending transfer may name a pending id.',
  pending_id_must_not_be_empty: 'A post or void must name the pending transfer.',
  pending_id_must_differ: 'A post or void must have an id of its own.',
  accounts_must_be_different: 'The debit and credit accounts must be different.',
  exists_with_different_fields: 'A command with this id exists with different fields.',
  debit_account_not_found: 'The debit account does not exist.',
  credit_account_not_found: 'The credit account does not exist.',
  account_not_found: 'The account does not exist.',
  accounts_must_have_the_same_currency: 'Both accounts must be in the same currency.',
  transfer_currency_mismatch: 'The transfer currency differs from the accounts\' currency.',
  pending_transfer_not_found: 'The pending transfer does not exist.',
  pending_transfer_not_pending: 'The referenced transfer is not a pending transfer.',
  pending_transfer_already_posted: 'The pending transfer was already posted.',
  pending_transfer_already_voided: 'The pending transfer was already voided.',
  pending_transfer_expired: 'The pending transfer expired.',
  exceeds_pending_amount: 'The amount exceeds the pending amount.',
  credit_limit_below_usage: 'The new credit limit is below the credit already in use.',
  overflow: 'The balance would overflow the supported maximum.',
  insufficient_funds: 'The debit account has insufficient funds.',
};

export interface CommandResult {
  readonly code: ResultCode;
  /** True when the command repeats an earlier one with the same id and fields. */
  readonly replayed?: boolean;
  /** The ledger sequence of the transfer that this command created (or replayed). */
  readonly sequence?: number;
  readonly timestamp?: number;
}
