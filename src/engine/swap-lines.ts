// Bilateral central-bank swap lines. The central bank that issues a currency (the "issuer", B)
// opens a line to another central bank (the "holder", A): A may hold B's currency up to a limit,
// drawn from B as money issued into A's account in that currency, and lends it on to its own FX
// providers (providers that hold A's currency as well as B's). A repays B with interest (simple,
// actual/360, rounded up in the lender's favour, as standing facilities do); a provider repays A
// the same way at the line's rate. Each draw matures `tenorDays` after it was drawn: past that it
// is reported as overdue (nothing is moved automatically). Every operation is all-or-nothing,
// in engine time, and its state is plain data on NetworkState (swapLines), so a snapshot keeps
// it. Only networks that set a swap line are concerned, so older journals replay as they were.
import { AccountFlags, transferSpec } from '../ledger/types.js';
import { AMOUNT_MAX } from '../money/amount.js';
import type { NetworkCommand, NetworkResult } from './commands.js';
import { issuanceAccountId, settlementAccountId } from './model.js';
import { refuse, type BatchContext, type NetworkState } from './state.js';

type Of<T extends NetworkCommand['type']> = Extract<NetworkCommand, { type: T }>;

const DAY_MS = 86_400_000;
const DAYS_PER_YEAR = 360n;
/** The longest tenor a line may set: one year. */
export const SWAP_TENOR_DAYS_MAX = 366;

export interface SwapLoan {
  /** The ledger transfer that moved it. */
  readonly id: string;
  readonly principal: bigint;
  readonly at: number;
}

export interface SwapLine {
  /** The central bank that holds the currency (A). */
  readonly holder: string;
  /** The central bank that issues it (B). */
  readonly issuer: string;
  readonly currency: string;
  limit: bigint;
  /** Yearly rate in basis points, simple interest, actual/360. */
  rateBps: number;
  /** Each draw matures this many days after it was drawn. */
  tenorDays: number;
  /** Drawn from the issuer and not yet repaid. */
  readonly draws: SwapLoan[];
  /** Provider id → what the holder lent it on, not yet repaid. */
  readonly onLent: Map<string, SwapLoan[]>;
  /** Transfers made so far, for transfer ids. */
  sequence: number;
  /** Interest paid to the issuer so far. */
  interestPaid: bigint;
  /** Interest received from providers so far. */
  interestReceived: bigint;
}

export function swapLineKey(holder: string, currency: string): string {
  return `${holder}|${currency}`;
}

/** The swap lines of a state: a plain Map on it, created with the first line. */
export function swapLines(state: NetworkState): Map<string, SwapLine> {
  if (state.swapLines === undefined) state.swapLines = new Map();
  return state.swapLines;
}

export function total(loans: readonly SwapLoan[]): bigint {
  let sum = 0n;
  for (const loan of loans) sum += loan.principal;
  return sum;
}

export function drawn(line: SwapLine): bigint {
  return total(line.draws);
}

export function onLent(line: SwapLine, providerId?: string): bigint {
  if (providerId !== undefined) return total(line.onLent.get(providerId) ?? []);
  let sum = 0n;
  for (const loans of line.onLent.values()) sum += total(loans);
  return sum;
}

/** Interest at `now`: whole days, at least one, rounded up in the lender's favour. */
export function swapInterest(loans: readonly SwapLoan[], rateBps: number, now: number): bigint {
  let sum = 0n;
  for (const loan of loans) {
    const days = BigInt(Math.max(1, Math.ceil((now - loan.at) / DAY_MS)));
    const numerator = loan.principal * BigInt(rateBps) * days;
    const denominator = 10_000n * DAYS_PER_YEAR;
    sum += (numerator + denominator - 1n) / denominator;
  }
  return sum;
}

/** Drawn principal past its maturity at `now`. */
export function overdue(line: SwapLine, now: number): bigint {
  let sum = 0n;
  for (const loan of line.draws) {
    if (now >= loan.at + line.tenorDays * DAY_MS) sum += loan.principal;
  }
  return sum;
}

function centralBankOf(state: NetworkState, currency: string): string | undefined {
  return state.currencies.get(currency)?.issuer;
}

/** The currency a central bank issues (its home currency), if any. */
function homeCurrencyOf(state: NetworkState, centralBank: string): string | undefined {
  for (const currency of state.currencies.values()) {
    if (currency.issuer === centralBank) return currency.code;
  }
  return undefined;
}

function move(
  context: BatchContext,
  id: string,
  from: string,
  to: string,
  amount: bigint,
  currency: string,
): NetworkResult {
  const [result] = context.applyLedger([{
    type: 'create_transfer',
    transfer: transferSpec({
      id, debitAccountId: from, creditAccountId: to, amount, currency, reference: id,
    }),
  }]);
  if (result?.code === 'insufficient_funds') {
    return refuse('insufficient_funds', `Moving ${amount} minor units of ${currency} takes more than the account holds.`);
  }
  if (result?.code !== 'ok') {
    return refuse('ledger_refused', `The transfer was refused: ${result?.code ?? 'unknown'}.`);
  }
  return { code: 'ok' };
}

export function setSwapLine(
  state: NetworkState,
  command: Of<'set_swap_line'>,
  context: BatchContext,
): NetworkResult {
  const issuer = centralBankOf(state, command.currency);
  if (issuer === undefined) {
    return refuse('currency_not_in_network', `The network does not settle ${command.currency}.`,
      'currency');
  }
  if (command.actor !== issuer) {
    return refuse('not_authorized', 'Only the central bank that issues the currency sets a swap line in it.');
  }
  const holder = state.participants.get(command.holder);
  if (holder === undefined || holder.kind !== 'central_bank' || command.holder === issuer) {
    return refuse('participant_not_found', `No other central bank ${command.holder}.`, 'holder');
  }
  if (command.limit < 0n || command.limit > AMOUNT_MAX) {
    return refuse('invalid_field', 'The limit is out of range.', 'limit');
  }
  if (!Number.isInteger(command.rateBps) || command.rateBps < 0 || command.rateBps > 10_000) {
    return refuse('invalid_field', 'The rate is 0 to 10,000 basis points a year.', 'rateBps');
  }
  if (!Number.isInteger(command.tenorDays) || command.tenorDays < 1 ||
    command.tenorDays > SWAP_TENOR_DAYS_MAX) {
    return refuse('invalid_field', `The tenor is 1 to ${SWAP_TENOR_DAYS_MAX} days.`, 'tenorDays');
  }
  const key = swapLineKey(command.holder, command.currency);
  const existing = swapLines(state).get(key);
  if (existing !== undefined && drawn(existing) > command.limit) {
    return refuse('credit_limit_below_usage', 'More than that is already drawn on the line.',
      'limit');
  }
  // The holder needs an account in the currency: opened here, in the same batch, if absent.
  const account = settlementAccountId(command.holder, command.currency);
  if (state.ledger.balance(account) === undefined) {
    const [opened] = context.applyLedger([{
      type: 'create_account',
      account: { id: account, owner: command.holder, currency: command.currency,
        flags: AccountFlags.none, creditLimit: 0n },
    }]);
    if (opened?.code !== 'ok') {
      return refuse('ledger_refused', `The holder's account could not be opened: ${opened?.code ?? 'unknown'}.`);
    }
  }
  if (existing !== undefined) {
    existing.limit = command.limit;
    existing.rateBps = command.rateBps;
    existing.tenorDays = command.tenorDays;
  } else {
    swapLines(state).set(key, {
      holder: command.holder, issuer, currency: command.currency, limit: command.limit,
      rateBps: command.rateBps, tenorDays: command.tenorDays, draws: [], onLent: new Map(),
      sequence: 0, interestPaid: 0n, interestReceived: 0n,
    });
  }
  return { code: 'ok' };
}

function lineOf(state: NetworkState, holder: string, currency: string): SwapLine | undefined {
  return state.swapLines?.get(swapLineKey(holder, currency));
}

function validAmount(amount: bigint): NetworkResult | undefined {
  if (amount <= 0n || amount > AMOUNT_MAX) {
    return refuse('invalid_field', 'The amount must be positive and within range.', 'amount');
  }
  return undefined;
}

function nextId(line: SwapLine, what: string): string {
  return `swap:${line.holder}:${line.currency}:${what}:${line.sequence + 1}`;
}

/** The actor's own line in `currency`, or the refusal: none, or the actor is suspended. */
function ownActiveLine(
  state: NetworkState,
  actor: string,
  currency: string,
): SwapLine | NetworkResult {
  const line = lineOf(state, actor, currency);
  if (line === undefined) {
    return refuse('not_found', `You have no swap line in ${currency}.`, 'currency');
  }
  if (state.participants.get(actor)?.status !== 'active') {
    return refuse('actor_suspended', 'The participant is suspended.');
  }
  return line;
}

function isLine(value: SwapLine | NetworkResult): value is SwapLine {
  return !('code' in value);
}

export function drawSwapLine(
  state: NetworkState,
  command: Of<'draw_swap_line'>,
  context: BatchContext,
): NetworkResult {
  const line = ownActiveLine(state, command.actor, command.currency);
  if (!isLine(line)) return line;
  const invalid = validAmount(command.amount);
  if (invalid !== undefined) return invalid;
  const room = line.limit - drawn(line);
  if (command.amount > room) {
    return refuse('swap_line_limit_exceeded',
      `The swap line can provide ${room} more minor units, not ${command.amount}.`, 'amount');
  }
  const id = nextId(line, 'draw');
  const result = move(context, id, issuanceAccountId(line.issuer, line.currency),
    settlementAccountId(line.holder, line.currency), command.amount, line.currency);
  if (result.code !== 'ok') return result;
  line.sequence += 1;
  line.draws.push({ id, principal: command.amount, at: context.now });
  return result;
}

export function lendSwapFunds(
  state: NetworkState,
  command: Of<'lend_swap_funds'>,
  context: BatchContext,
): NetworkResult {
  const line = ownActiveLine(state, command.actor, command.currency);
  if (!isLine(line)) return line;
  const provider = state.participants.get(command.providerId);
  const home = homeCurrencyOf(state, line.holder);
  if (provider === undefined || provider.kind !== 'fx_provider' || home === undefined ||
    !provider.currencies.includes(home)) {
    return refuse('participant_not_found',
      `No FX provider ${command.providerId} of your currency.`, 'providerId');
  }
  if (provider.status !== 'active') return refuse('actor_suspended', 'The provider is suspended.');
  if (!provider.currencies.includes(line.currency)) {
    return refuse('account_not_found', 'The provider holds no account in that currency.',
      'providerId');
  }
  const invalid = validAmount(command.amount);
  if (invalid !== undefined) return invalid;
  const id = nextId(line, `lend:${command.providerId}`);
  const result = move(context, id, settlementAccountId(line.holder, line.currency),
    settlementAccountId(command.providerId, line.currency), command.amount, line.currency);
  if (result.code !== 'ok') return result;
  line.sequence += 1;
  const loans = line.onLent.get(command.providerId) ?? [];
  loans.push({ id, principal: command.amount, at: context.now });
  line.onLent.set(command.providerId, loans);
  return result;
}

/** A provider repays everything the holder lent it on the line, with interest; or nothing. */
export function repaySwapFunds(
  state: NetworkState,
  command: Of<'repay_swap_funds'>,
  context: BatchContext,
): NetworkResult {
  const line = lineOf(state, command.holder, command.currency);
  const loans = line?.onLent.get(command.actor);
  if (line === undefined || loans === undefined || loans.length === 0) {
    return refuse('not_found', `${command.holder} lent you nothing in ${command.currency}.`,
      'currency');
  }
  const principal = total(loans);
  const interest = swapInterest(loans, line.rateBps, context.now);
  const id = nextId(line, `repaid:${command.actor}`);
  const result = move(context, id, settlementAccountId(command.actor, line.currency),
    settlementAccountId(line.holder, line.currency), principal + interest, line.currency);
  if (result.code !== 'ok') {
    return result.code === 'insufficient_funds'
      ? refuse('insufficient_funds', `Repaying takes ${principal + interest} minor units (interest ${interest}).`)
      : result;
  }
  line.sequence += 1;
  line.onLent.delete(command.actor);
  line.interestReceived += interest;
  return result;
}

/** The holder repays every draw to the issuer, with interest; or nothing. */
export function repaySwapLine(
  state: NetworkState,
  command: Of<'repay_swap_line'>,
  context: BatchContext,
): NetworkResult {
  const line = lineOf(state, command.actor, command.currency);
  if (line === undefined || line.draws.length === 0) {
    return refuse('not_found', `Nothing is drawn on your swap line in ${command.currency}.`,
      'currency');
  }
  const principal = drawn(line);
  const interest = swapInterest(line.draws, line.rateBps, context.now);
  const id = nextId(line, 'repay');
  // Back to issuance: the money drawn ceases to exist, and the interest is the issuer's income,
  // withdrawn from circulation as any payment to a central bank is.
  const result = move(context, id, settlementAccountId(line.holder, line.currency),
    issuanceAccountId(line.issuer, line.currency), principal + interest, line.currency);
  if (result.code !== 'ok') {
    return result.code === 'insufficient_funds'
      ? refuse('insufficient_funds', `Repaying takes ${principal + interest} minor units (interest ${interest}).`)
      : result;
  }
  line.sequence += 1;
  line.draws.length = 0;
  line.interestPaid += interest;
  return result;
}
