// Proves, over random mixes of operations on the test network (quotes, instant and two-phase
// payments, accepts, rejections, reviews, expiries, returns, suspensions, issuance, credit,
// rate changes, restarts), that after every step no money is created or destroyed, no payment
// is ever partly settled, every payment moves exactly its quote's amounts, and replaying the
// journal into a fresh engine (close, reopen the same SQLite file) rebuilds the same state, both
// from genesis and from the newest snapshot (taken every few entries, a random cadence) plus
// the journal's tail: the two states encode to the same bytes.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Quote } from '../fx/quotes.js';
import { AMOUNT_MAX, parseAmount } from '../../money/amount.js';
import { findCurrency } from '../../money/currency.js';
import type { NetworkCode, NetworkResult } from '../commands.js';
import type { NetworkConfigFile } from '../../service/config-schema.js';
import { openNetwork, type Network, type PaymentInput } from '../../service/service.js';
import { stateDigest } from '../../service/snapshot-codec.js';
import { recoverNetwork } from '../../service/snapshots.js';
import { SqliteStore } from '../../storage/sqlite/sqlite-store.js';
import { TEST_EPOCH, testNetworkConfig } from '../../testing/network-fixtures.js';
import { isFinal, type Payment, type PaymentReason, type PaymentStatus, type ScreeningVerdict } from './model.js';
import { paymentKey } from './ids.js';
import { idWindowMs, paymentRetentionMs, returnWindowMs } from './retention.js';

// ---------------------------------------------------------------------------------------------
// The network under test and what the model knows of it, read from the configuration alone.
// ---------------------------------------------------------------------------------------------

const RUNS = Number(process.env['PROPERTY_RUNS'] ?? '80');
const DAY = 86_400_000;
const QUOTE_TTL = 60_000;
const ACCEPT_TIMEOUT = 30_000;
const REVIEW_TIMEOUT = 3_600_000;
const QUOTE_RETENTION = 3_600_000;
const RATE_SCALE = 10n ** 10n;
const BANKS = ['br-bank', 'br-other', 'in-bank', 'cn-bank'] as const;
const CURRENCIES = ['BRL', 'INR', 'CNY'] as const;
const OPERATOR = 'operator';
/** One name in six is on the (test) list: roughly a payment in four is held for review. */
const NAMES = [
  'Soja Exportadora Ltda',
  'Pune Foods Private Limited',
  'Listed Person Trading',
  'Shenzhen Parts Co',
  'Ganga Textiles',
  'Cerrado Coffee SA',
] as const;
const REJECT_REASONS: readonly PaymentReason[] = ['AC01', 'AM09', 'NARR', 'FOCR', 'AB05'];
const REVIEWERS = ['operator', 'bcb', 'rbi', 'pboc', 'br-bank'] as const;

/** The test network, with a BRL daily outflow cap a few payments can reach (AM14). */
function configFor(returnRate: 'original' | 'fresh_quote'): NetworkConfigFile {
  const config = testNetworkConfig();
  return {
    ...config,
    settings: { ...config.settings, returnRate },
    currencies: config.currencies.map((currency) =>
      currency.code === 'BRL' ? { ...currency, dailyOutflowMax: '200000.00' } : currency,
    ),
  };
}

const BASE = configFor('original');
const PARTICIPANTS = BASE.participants.map((participant) => participant.id);
const CREDITORS = [...PARTICIPANTS, OPERATOR, 'nobody'];
const HOLDINGS = new Map(
  BASE.participants.map((participant) => [participant.id, participant.currencies] as const),
);
const ISSUER = new Map(BASE.currencies.map((currency) => [currency.code, currency.issuer]));
const KIND = new Map(BASE.participants.map((participant) => [participant.id, participant.kind]));
const PROVIDERS = BASE.participants
  .filter((participant) => participant.kind === 'fx_provider')
  .map((participant) => participant.id);

function minor(text: string | undefined, currency: string): bigint {
  if (text === undefined) return 0n;
  const parsed = parseAmount(text, currency);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

const RULES = new Map(
  BASE.currencies.map((currency) => [
    currency.code,
    {
      schemeFee: minor(currency.schemeFee, currency.code),
      paymentAmountMax: minor(currency.paymentAmountMax, currency.code),
      dailyOutflowMax: minor(currency.dailyOutflowMax, currency.code),
    },
  ]),
);

function pick<T>(list: readonly T[], index: number): T {
  const item = list[index % list.length];
  if (item === undefined) throw new Error('pick: empty list');
  return item;
}

function holds(participant: string, currency: string): boolean {
  return HOLDINGS.get(participant)?.includes(currency) === true;
}

function rules(currency: string): {
  schemeFee: bigint;
  paymentAmountMax: bigint;
  dailyOutflowMax: bigint;
} {
  const found = RULES.get(currency);
  if (found === undefined) throw new Error(`no rules for ${currency}`);
  return found;
}

const settlement = (participant: string, currency: string): string => `${participant}:${currency}`;
const feeAccount = (participant: string, currency: string): string =>
  `${participant}:${currency}:fees`;
const issuance = (participant: string, currency: string): string =>
  `${participant}:${currency}:issuance`;
const hitOf = (name: string): boolean => name.includes('Listed');

const screener = {
  screenParties(parties: { debtor: string; creditor: string }): ScreeningVerdict {
    const matches = (['debtor', 'creditor'] as const)
      .filter((party) => hitOf(parties[party]))
      .map((party) => ({
        party,
        source: 'test',
        listId: 'T-1',
        matchedName: 'LISTED',
        score: 0.99,
      }));
    return { hit: matches.length > 0, matches };
  },
};

/** A decimal rate as published, applied with its spread: target units per source unit × 10^10. */
function appliedRate(rate: string, spreadBps: number): bigint {
  const [whole = '0', fraction = ''] = rate.split('.');
  return (
    (BigInt(whole + fraction) * BigInt(10_000 - spreadBps) * RATE_SCALE) /
    (10n ** BigInt(fraction.length) * 10_000n)
  );
}

function formatScaled(value: bigint): string {
  const digits = value.toString().padStart(11, '0');
  const fraction = digits.slice(-10).replace(/0+$/, '');
  return fraction.length > 0 ? `${digits.slice(0, -10)}.${fraction}` : digits.slice(0, -10);
}

/** A rate string as a fraction: [numerator, denominator]. */
function fractionOf(rate: string): [bigint, bigint] {
  const [whole = '0', fraction = ''] = rate.split('.');
  return [BigInt(whole + fraction), 10n ** BigInt(fraction.length)];
}

function ceilDivide(numerator: bigint, denominator: bigint): bigint {
  return numerator % denominator === 0n ? numerator / denominator : numerator / denominator + 1n;
}

const json = (value: unknown): string =>
  JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `${item}n` : item));

// ---------------------------------------------------------------------------------------------
// The reference model: accounts as plain bigints, payments as lists of moves derived from the
// quote (never from the legs the engine planned), and the documented rules of each command.
// ---------------------------------------------------------------------------------------------

interface ModelAccount {
  posted: bigint;
  pendingDebits: bigint;
  pendingCredits: bigint;
  creditLimit: bigint;
  readonly issuer: boolean;
}

/** debit account, credit account, amount. */
type Move = readonly [string, string, bigint];

interface ModelPayment {
  readonly id: string;
  readonly kind: 'payment' | 'return';
  readonly mode: 'instant' | 'two_phase';
  readonly debtorAgent: string;
  readonly creditorAgent: string;
  readonly source: string;
  readonly target: string;
  readonly moves: readonly Move[];
  readonly debitAmount: bigint;
  readonly creditAmount: bigint;
  readonly createdAt: number;
  readonly provider?: string;
  readonly rate?: string;
  /** Whether its legs were created as reservations (two-phase or held). */
  reserved: boolean;
  status: PaymentStatus;
  reason?: PaymentReason;
  deadline: number;
  returned: bigint;
  /** When it reached ACCC or RJCT (the batch time): its retention runs from here. */
  finishedAt?: number;
}

interface ModelRate {
  readonly provider: string;
  readonly source: string;
  readonly target: string;
  readonly rate: string;
  readonly spreadBps: number;
  readonly amountMax: bigint;
  readonly fee: bigint;
  readonly validUntil: number;
}

interface ModelQuote {
  readonly quote: Quote;
  used: boolean;
}

type Expectation =
  | { readonly code: Exclude<NetworkCode, 'ok'> }
  | { readonly code: 'ok'; readonly payment: ModelPayment };

class Model {
  readonly accounts = new Map<string, ModelAccount>();
  readonly supply = new Map<string, bigint>();
  readonly status = new Map<string, 'active' | 'suspended'>();
  readonly outflows = new Map<string, { day: number; amount: bigint }>();
  readonly quotes = new Map<string, ModelQuote>();
  readonly quoteOrder: string[] = [];
  readonly payments = new Map<string, ModelPayment>();
  readonly paymentOrder: string[] = [];
  readonly rates = new Map<string, ModelRate>();

  constructor(
    config: NetworkConfigFile,
    readonly returnRate: 'original' | 'fresh_quote',
    now: number,
  ) {
    const open = (id: string, issuer = false): void => {
      this.accounts.set(id, {
        posted: 0n,
        pendingDebits: 0n,
        pendingCredits: 0n,
        creditLimit: 0n,
        issuer,
      });
    };
    for (const currency of config.currencies) {
      open(feeAccount(OPERATOR, currency.code));
      this.supply.set(currency.code, 0n);
    }
    for (const participant of config.participants) {
      this.status.set(participant.id, 'active');
      for (const currency of participant.currencies) {
        open(settlement(participant.id, currency));
        if (participant.kind === 'fx_provider') open(feeAccount(participant.id, currency));
      }
      for (const currency of config.currencies) {
        if (currency.issuer === participant.id) open(issuance(participant.id, currency.code), true);
      }
    }
    for (const item of config.issuance ?? []) {
      const issuer = ISSUER.get(item.currency) ?? '';
      this.post([
        [
          issuance(issuer, item.currency),
          settlement(item.participant, item.currency),
          minor(item.amount, item.currency),
        ],
      ]);
      this.supply.set(
        item.currency,
        (this.supply.get(item.currency) ?? 0n) + minor(item.amount, item.currency),
      );
    }
    for (const rate of config.rates ?? []) {
      this.rates.set(`${rate.provider}|${rate.source}|${rate.target}`, {
        provider: rate.provider,
        source: rate.source,
        target: rate.target,
        rate: rate.rate,
        spreadBps: rate.spreadBps ?? 0,
        amountMax: minor(rate.amountMax, rate.source),
        fee: minor(rate.fee, rate.source),
        validUntil: now + (rate.validSeconds ?? 86_400) * 1000,
      });
    }
  }

  account(id: string): ModelAccount {
    const account = this.accounts.get(id);
    if (account === undefined) throw new Error(`model: no account ${id}`);
    return account;
  }

  available(id: string): bigint {
    const account = this.account(id);
    if (account.issuer) return AMOUNT_MAX * AMOUNT_MAX;
    return account.posted - account.pendingDebits + account.creditLimit;
  }

  post(moves: readonly Move[]): void {
    for (const [debit, credit, amount] of moves) {
      this.account(debit).posted -= amount;
      this.account(credit).posted += amount;
    }
  }

  reserve(moves: readonly Move[], sign: 1n | -1n): void {
    for (const [debit, credit, amount] of moves) {
      this.account(debit).pendingDebits += sign * amount;
      this.account(credit).pendingCredits += sign * amount;
    }
  }

  /** The first move of a linked chain the ledger would refuse, and why; undefined if it posts. */
  chainFailure(moves: readonly Move[], reserve: boolean): PaymentReason | undefined {
    const change = new Map<string, bigint>();
    for (const [debit, credit, amount] of moves) {
      if (amount <= 0n || debit === credit) return 'NARR';
      if (
        !this.account(debit).issuer &&
        this.available(debit) + (change.get(debit) ?? 0n) < amount
      ) {
        return 'AM04';
      }
      change.set(debit, (change.get(debit) ?? 0n) - amount);
      if (!reserve) change.set(credit, (change.get(credit) ?? 0n) + amount);
    }
    return undefined;
  }

  active(participant: string): boolean {
    return this.status.get(participant) === 'active';
  }

  outflowToday(participant: string, currency: string, now: number): bigint {
    const current = this.outflows.get(`${participant}|${currency}`);
    return current !== undefined && current.day === Math.floor(now / DAY) ? current.amount : 0n;
  }

  addOutflow(payment: ModelPayment, now: number, sign: 1n | -1n): void {
    const key = `${payment.debtorAgent}|${payment.source}`;
    const day = Math.floor(now / DAY);
    const current = this.outflows.get(key);
    if (sign < 0n && (current === undefined || current.day !== Math.floor(payment.createdAt / DAY)))
      return;
    const base = current !== undefined && current.day === day ? current.amount : 0n;
    const amount = base + sign * payment.debitAmount;
    this.outflows.set(key, { day, amount: amount < 0n ? 0n : amount });
  }

  /** What the first batch at `now` does before its commands: reservations past their deadline. */
  expire(now: number): void {
    const due = [...this.payments.values()]
      .filter(
        (payment) =>
          (payment.status === 'ACSP' || payment.status === 'BLCK') && payment.deadline <= now,
      )
      .sort((a, b) => a.deadline - b.deadline || (`p:${a.id}:1` < `p:${b.id}:1` ? -1 : 1));
    for (const payment of due) {
      payment.reason = payment.status === 'BLCK' ? 'RR04' : 'AB05';
      payment.status = 'RJCT';
      this.reserve(payment.moves, -1n);
      this.addOutflow(payment, now, -1n);
    }
  }

  addPayment(payment: ModelPayment): void {
    this.payments.set(payment.id, payment);
    this.paymentOrder.push(payment.id);
  }

  /** The time of the last retain: the time of the step's batch. */
  now = 0;

  /** Dates what finished at `now`, and forgets what is past the id window (the engine's). */
  retain(now: number, idWindowMs: number): void {
    this.now = now;
    for (const payment of this.payments.values()) {
      if (payment.finishedAt === undefined && (payment.status === 'ACCC' || payment.status === 'RJCT'))
        payment.finishedAt = now;
    }
    for (const [id, payment] of this.payments) {
      if (payment.finishedAt !== undefined && payment.finishedAt + idWindowMs <= now)
        this.payments.delete(id);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Predictions: for each command, the model's answer from its own state.
// ---------------------------------------------------------------------------------------------

interface Offer {
  readonly rate: ModelRate;
  readonly applied: bigint;
  readonly send: bigint;
  readonly credit: bigint;
}

function offers(
  model: Model,
  source: string,
  target: string,
  fixed: 'send' | 'receive',
  amount: bigint,
  now: number,
): Offer[] {
  const found: Offer[] = [];
  for (const rate of model.rates.values()) {
    if (rate.source !== source || rate.target !== target || rate.validUntil <= now) continue;
    if (!model.active(rate.provider)) continue;
    const applied = appliedRate(rate.rate, rate.spreadBps);
    if (applied === 0n) continue;
    const send = fixed === 'send' ? amount : ceilDivide(amount * RATE_SCALE, applied);
    const credit = fixed === 'send' ? (amount * applied) / RATE_SCALE : amount;
    if (send <= 0n || credit <= 0n || send > AMOUNT_MAX || credit > AMOUNT_MAX) continue;
    if (rate.amountMax > 0n && send > rate.amountMax) continue;
    if (model.available(settlement(rate.provider, target)) < credit) continue;
    found.push({ rate, applied, send, credit });
  }
  return found;
}

/** The payer's best: most credited per unit debited, then the better rate, then the lower id. */
function best(all: readonly Offer[]): Offer | undefined {
  let chosen: Offer | undefined;
  for (const offer of all) {
    if (chosen === undefined) {
      chosen = offer;
      continue;
    }
    const left = chosen.credit * (offer.send + offer.rate.fee);
    const right = offer.credit * (chosen.send + chosen.rate.fee);
    if (left !== right) chosen = left > right ? chosen : offer;
    else if (chosen.applied !== offer.applied)
      chosen = chosen.applied > offer.applied ? chosen : offer;
    else chosen = chosen.rate.provider <= offer.rate.provider ? chosen : offer;
  }
  return chosen;
}

interface QuoteRequest {
  readonly actor: string;
  readonly source: string;
  readonly target: string;
  readonly fixed: 'send' | 'receive';
  readonly amount: bigint;
}

/** Checks a quote answer against the model, and remembers the quote. */
function checkQuote(model: Model, request: QuoteRequest, result: NetworkResult, now: number): void {
  let expected: NetworkCode = 'ok';
  const chosen = best(
    offers(model, request.source, request.target, request.fixed, request.amount, now),
  );
  const kind = KIND.get(request.actor);
  if (kind !== 'bank' && kind !== 'fx_provider') expected = 'not_authorized';
  else if (!model.active(request.actor)) expected = 'actor_suspended';
  else if (!holds(request.actor, request.source)) expected = 'account_not_found';
  else if (chosen === undefined) expected = 'no_offer';
  assert.equal(result.code, expected, `quote ${json(request)}: ${json(result)}`);
  if (result.code !== 'ok' || chosen === undefined) return;
  const quote = result.quote;
  assert.ok(quote !== undefined);
  const fees: Quote['fees'][number][] = [];
  const scheme = rules(request.source).schemeFee;
  if (scheme > 0n) {
    fees.push({
      kind: 'scheme',
      amount: scheme,
      currency: request.source,
      payee: feeAccount(OPERATOR, request.source),
    });
  }
  if (chosen.rate.fee > 0n) {
    fees.push({
      kind: 'fx_provider',
      amount: chosen.rate.fee,
      currency: request.source,
      payee: feeAccount(chosen.rate.provider, request.source),
    });
  }
  assert.deepEqual(
    {
      debtorAgent: quote.debtorAgent,
      providerId: quote.providerId,
      source: quote.source,
      target: quote.target,
      rate: quote.rate,
      sendAmount: quote.sendAmount,
      creditAmount: quote.creditAmount,
      fees: quote.fees,
      debitAmount: quote.debitAmount,
      expiresAt: quote.expiresAt,
    },
    {
      debtorAgent: request.actor,
      providerId: chosen.rate.provider,
      source: request.source,
      target: request.target,
      rate: formatScaled(chosen.applied),
      sendAmount: chosen.send,
      creditAmount: chosen.credit,
      fees,
      debitAmount: chosen.send + fees.reduce((sum, fee) => sum + fee.amount, 0n),
      expiresAt: now + QUOTE_TTL,
    },
    `quote ${json(request)}`,
  );
  model.quotes.set(quote.id, { quote: { ...quote }, used: false });
  model.quoteOrder.push(quote.id);
}

interface PaymentRequestModel {
  readonly id: string;
  readonly debtor: string;
  readonly creditor: string;
  readonly mode: 'instant' | 'two_phase';
  readonly hit: boolean;
  readonly quoteId?: string;
  readonly currency?: string;
  readonly amount?: bigint;
}

function paymentTerms(
  model: Model,
  request: PaymentRequestModel,
  now: number,
):
  | { code: Exclude<NetworkCode, 'ok'> }
  | {
      source: string;
      target: string;
      send: bigint;
      credit: bigint;
      moves: Move[];
      quote?: ModelQuote;
    } {
  const debtorAccount = (currency: string): string => settlement(request.debtor, currency);
  if (request.quoteId !== undefined) {
    const known = model.quotes.get(request.quoteId);
    if (
      known === undefined ||
      known.quote.debtorAgent !== request.debtor ||
      known.quote.expiresAt + QUOTE_RETENTION <= now
    )
      return { code: 'quote_not_found' };
    if (known.used) return { code: 'quote_already_used' };
    if (known.quote.expiresAt <= now) return { code: 'quote_expired' };
    const quote = known.quote;
    const moves: Move[] = [
      [debtorAccount(quote.source), settlement(quote.providerId, quote.source), quote.sendAmount],
      [
        settlement(quote.providerId, quote.target),
        settlement(request.creditor, quote.target),
        quote.creditAmount,
      ],
      ...quote.fees.map((fee): Move => [debtorAccount(quote.source), fee.payee, fee.amount]),
    ];
    return {
      source: quote.source,
      target: quote.target,
      send: quote.sendAmount,
      credit: quote.creditAmount,
      moves,
      quote: known,
    };
  }
  const currency = request.currency ?? '';
  if (!RULES.has(currency)) return { code: 'currency_not_in_network' };
  const amount = request.amount ?? 0n;
  const fee = rules(currency).schemeFee;
  const moves: Move[] = [[debtorAccount(currency), settlement(request.creditor, currency), amount]];
  if (fee > 0n) moves.push([debtorAccount(currency), feeAccount(OPERATOR, currency), fee]);
  return { source: currency, target: currency, send: amount, credit: amount, moves };
}

function rejection(model: Model, payment: ModelPayment, now: number): PaymentReason | undefined {
  if (!model.active(payment.debtorAgent) || !model.active(payment.creditorAgent)) return 'AC06';
  // A suspended FX provider cannot settle its quotes either.
  if (payment.provider !== undefined && !model.active(payment.provider)) return 'AC06';
  const source = rules(payment.source);
  const target = rules(payment.target);
  const send = payment.moves[0]?.[2] ?? 0n;
  if (
    (source.paymentAmountMax > 0n && send > source.paymentAmountMax) ||
    (target.paymentAmountMax > 0n && payment.creditAmount > target.paymentAmountMax)
  )
    return 'AM02';
  if (
    source.dailyOutflowMax > 0n &&
    model.outflowToday(payment.debtorAgent, payment.source, now) + payment.debitAmount >
      source.dailyOutflowMax
  ) {
    return 'AM14';
  }
  return model.chainFailure(payment.moves, payment.reserved);
}

/** Predicts create_payment and applies it to the model. */
function expectPayment(model: Model, request: PaymentRequestModel, now: number): Expectation {
  const terms = paymentTerms(model, request, now);
  if ('code' in terms) return terms;
  const creditorKind = KIND.get(request.creditor);
  if (creditorKind === undefined) return { code: 'participant_not_found' };
  if (request.creditor === request.debtor) return { code: 'creditor_agent_is_sender' };
  if (creditorKind === 'central_bank') return { code: 'creditor_agent_is_central_bank' };
  if (!holds(request.debtor, terms.source) || !holds(request.creditor, terms.target)) {
    return { code: 'account_not_found' };
  }
  const fees = terms.moves
    .slice(terms.quote === undefined ? 1 : 2)
    .reduce((sum, move) => sum + move[2], 0n);
  const held = request.hit;
  const payment: ModelPayment = {
    // The engine's network id: the debtor agent's own id, in its namespace (ids.ts).
    id: paymentKey('scoped', request.debtor, request.id),
    kind: 'payment',
    mode: request.mode,
    debtorAgent: request.debtor,
    creditorAgent: request.creditor,
    source: terms.source,
    target: terms.target,
    moves: terms.moves,
    debitAmount: terms.send + fees,
    creditAmount: terms.credit,
    createdAt: now,
    ...(terms.quote === undefined
      ? {}
      : { provider: terms.quote.quote.providerId, rate: terms.quote.quote.rate }),
    reserved: held || request.mode === 'two_phase',
    status: 'RJCT',
    deadline: 0,
    returned: 0n,
  };
  model.addPayment(payment);
  const reason = rejection(model, payment, now);
  if (reason !== undefined) {
    payment.reason = reason;
    payment.reserved = false;
    return { code: 'ok', payment };
  }
  if (terms.quote !== undefined) terms.quote.used = true;
  model.addOutflow(payment, now, 1n);
  if (payment.reserved) {
    model.reserve(payment.moves, 1n);
    payment.status = held ? 'BLCK' : 'ACSP';
    if (held) payment.reason = 'RR04';
    payment.deadline = now + (held ? REVIEW_TIMEOUT : ACCEPT_TIMEOUT);
  } else {
    model.post(payment.moves);
    payment.status = 'ACCC';
  }
  return { code: 'ok', payment };
}

function expectAccept(model: Model, actor: string, payment: ModelPayment | undefined): Expectation {
  if (payment === undefined || payment.creditorAgent !== actor)
    return { code: 'payment_not_found' };
  if (payment.status === 'ACCC') return { code: 'ok', payment };
  if (payment.status === 'BLCK') return { code: 'payment_under_review' };
  if (payment.status !== 'ACSP') return { code: 'payment_not_pending' };
  if (!model.active(actor)) return { code: 'actor_suspended' };
  model.reserve(payment.moves, -1n);
  model.post(payment.moves);
  payment.status = 'ACCC';
  return { code: 'ok', payment };
}

function expectReject(
  model: Model,
  actor: string,
  payment: ModelPayment | undefined,
  reason: PaymentReason,
  now: number,
): Expectation {
  if (payment === undefined || payment.creditorAgent !== actor)
    return { code: 'payment_not_found' };
  if (payment.status === 'RJCT' && payment.reason === reason) return { code: 'ok', payment };
  if (payment.status === 'BLCK') return { code: 'payment_under_review' };
  if (payment.status !== 'ACSP') return { code: 'payment_not_pending' };
  model.reserve(payment.moves, -1n);
  model.addOutflow(payment, now, -1n);
  payment.status = 'RJCT';
  payment.reason = reason;
  return { code: 'ok', payment };
}

function expectReview(
  model: Model,
  actor: string,
  payment: ModelPayment | undefined,
  decision: 'release' | 'reject',
  now: number,
): Expectation {
  const allowed =
    payment !== undefined &&
    (actor === OPERATOR ||
      ISSUER.get(payment.source) === actor ||
      ISSUER.get(payment.target) === actor);
  if (payment === undefined || !allowed) return { code: 'payment_not_found' };
  if (payment.status !== 'BLCK') return { code: 'payment_not_under_review' };
  if (decision === 'reject') {
    model.reserve(payment.moves, -1n);
    model.addOutflow(payment, now, -1n);
    payment.status = 'RJCT';
    payment.reason = 'RR04';
  } else if (payment.mode === 'instant') {
    model.reserve(payment.moves, -1n);
    model.post(payment.moves);
    payment.status = 'ACCC';
    // The reason describes the current status: a released payment no longer carries RR04.
    payment.reason = undefined;
  } else {
    payment.status = 'ACSP';
    payment.reason = undefined;
  }
  return { code: 'ok', payment };
}

interface ReturnRequest {
  readonly id: string;
  readonly actor: string;
  readonly original: string;
  readonly amount: bigint;
  readonly quoteId?: string;
}

function returnTerms(
  model: Model,
  original: ModelPayment,
  request: ReturnRequest,
  now: number,
):
  | { code: Exclude<NetworkCode, 'ok'> }
  | { moves: Move[]; credit: bigint; quote?: ModelQuote; provider?: string } {
  const creditor = settlement(original.creditorAgent, original.target);
  const debtor = settlement(original.debtorAgent, original.source);
  if (original.provider === undefined)
    return { moves: [[creditor, debtor, request.amount]], credit: request.amount };
  let provider = original.provider;
  let credit: bigint;
  let quote: ModelQuote | undefined;
  if (model.returnRate === 'original') {
    const [numerator, denominator] = fractionOf(original.rate ?? '');
    credit = (request.amount * denominator) / numerator;
  } else {
    quote = model.quotes.get(request.quoteId ?? '');
    if (
      quote === undefined ||
      quote.quote.debtorAgent !== request.actor ||
      quote.quote.expiresAt + QUOTE_RETENTION <= now
    )
      return { code: 'quote_not_found' };
    if (quote.used) return { code: 'quote_already_used' };
    if (quote.quote.expiresAt <= now) return { code: 'quote_expired' };
    if (
      quote.quote.source !== original.target ||
      quote.quote.target !== original.source ||
      quote.quote.sendAmount !== request.amount
    )
      return { code: 'quote_mismatch' };
    provider = quote.quote.providerId;
    credit = quote.quote.creditAmount;
  }
  return {
    moves: [
      [creditor, settlement(provider, original.target), request.amount],
      [settlement(provider, original.source), debtor, credit],
    ],
    credit,
    provider,
    ...(quote === undefined ? {} : { quote }),
  };
}

function expectReturn(model: Model, request: ReturnRequest, now: number): Expectation {
  const original = model.payments.get(request.original);
  if (original === undefined || original.creditorAgent !== request.actor)
    return { code: 'payment_not_found' };
  // A suspended participant sends nothing, returns included.
  if (!model.active(request.actor)) return { code: 'actor_suspended' };
  if (original.kind !== 'payment' || original.status !== 'ACCC')
    return { code: 'payment_not_returnable' };
  if (request.amount <= 0n) return { code: 'invalid_field' };
  if (request.amount > original.creditAmount - original.returned)
    return { code: 'return_amount_exceeds_remaining' };
  const terms = returnTerms(model, original, request, now);
  if ('code' in terms) return terms;
  const payment: ModelPayment = {
    id: paymentKey('scoped', request.actor, request.id),
    kind: 'return',
    mode: 'instant',
    debtorAgent: original.creditorAgent,
    creditorAgent: original.debtorAgent,
    source: original.target,
    target: original.source,
    moves: terms.moves,
    debitAmount: request.amount,
    creditAmount: terms.credit,
    createdAt: now,
    reserved: false,
    status: 'RJCT',
    deadline: 0,
    returned: 0n,
    ...(terms.provider === undefined ? {} : { provider: terms.provider }),
  };
  model.addPayment(payment);
  const failure = model.chainFailure(terms.moves, false);
  if (failure !== undefined) {
    payment.reason = failure;
    return { code: 'ok', payment };
  }
  if (terms.quote !== undefined) terms.quote.used = true;
  model.post(terms.moves);
  original.returned += request.amount;
  payment.status = 'ACCC';
  return { code: 'ok', payment };
}

// ---------------------------------------------------------------------------------------------
// What the engine must show after every step.
// ---------------------------------------------------------------------------------------------

/** (b) through the ledger: all of a payment's legs posted, all reserved, or none posted. */
function checkLegs(network: Network, payment: Payment, model: ModelPayment | undefined): void {
  const ledger = network.engine.ledger;
  const where = `${payment.id} ${payment.status}`;
  const legs = payment.legs.map((leg) => ({
    exists: ledger.hasTransfer(leg.transferId),
    state: ledger.pendingState(leg.transferId),
    live: ledger.pendingTransfer(leg.transferId),
    posted: ledger.hasTransfer(`${leg.transferId}:post`),
    voided: ledger.hasTransfer(`${leg.transferId}:void`),
    amount: leg.amount,
  }));
  const all = (test: (leg: (typeof legs)[number]) => boolean): boolean =>
    legs.length > 0 && legs.every(test);
  switch (payment.status) {
    case 'ACCC': {
      const direct = all(
        (leg) => leg.exists && leg.state === undefined && !leg.posted && !leg.voided,
      );
      const resolved = all(
        (leg) => leg.state === 'posted' && leg.posted && !leg.voided && leg.live === undefined,
      );
      assert.ok(direct || resolved, `${where}: legs not all posted ${json(legs)}`);
      if (model !== undefined)
        assert.equal(resolved, model.reserved, `${where}: posted through reservation`);
      break;
    }
    case 'ACSP':
    case 'BLCK':
      assert.ok(
        all(
          (leg) =>
            leg.state === 'pending' &&
            leg.live?.amount === leg.amount &&
            !leg.posted &&
            !leg.voided,
        ),
        `${where}: legs not all reserved ${json(legs)}`,
      );
      break;
    case 'RJCT': {
      const none = legs.every((leg) => !leg.exists && !leg.posted && !leg.voided);
      const voided = all((leg) => leg.state === 'voided' && leg.voided && !leg.posted);
      const expired = all((leg) => leg.state === 'expired' && !leg.voided && !leg.posted);
      assert.ok(none || voided || expired, `${where}: a rejected payment has legs ${json(legs)}`);
      break;
    }
    default:
      assert.fail(`${where}: a payment rests in a transient status`);
  }
}

function verify(network: Network, model: Model): void {
  const engine = network.engine;
  engine.checkAllInvariants();
  // (a) supply per currency equals every non-issuer balance, and the model's issuance.
  const sums = new Map<string, bigint>();
  for (const id of engine.ledger.accountIds()) {
    const account = engine.ledger.account(id);
    assert.ok(account !== undefined);
    if ((account.flags & 1) === 0) {
      sums.set(
        account.currency,
        (sums.get(account.currency) ?? 0n) + account.creditsPosted - account.debitsPosted,
      );
    }
    const expected = model.accounts.get(id);
    assert.ok(expected !== undefined, `account ${id} is not in the model`);
    const balance = engine.ledger.balance(id);
    // (c) every account moved by exactly the quoted amounts: the model moves only those.
    assert.deepEqual(
      [balance?.posted, balance?.pendingDebits, balance?.pendingCredits, balance?.creditLimit],
      [expected.posted, expected.pendingDebits, expected.pendingCredits, expected.creditLimit],
      `account ${id}`,
    );
  }
  assert.equal(engine.ledger.stats().accounts, model.accounts.size);
  for (const currency of CURRENCIES) {
    assert.equal(network.supply(currency), sums.get(currency) ?? 0n, `supply of ${currency}`);
    assert.equal(
      network.supply(currency),
      model.supply.get(currency),
      `model supply of ${currency}`,
    );
  }
  // Held in full (open, or finished within the retention) or compact (within the return window).
  // A step whose commands the service refused ran no batch: what expired since the last batch
  // is still there, and goes at the next one, before any command sees it.
  const compact = [...engine.state.settled.values()].map((record) => record.payment);
  const held = [...engine.state.payments.values(), ...compact].filter((payment) =>
    isHeld(engine.state, payment, model.now),
  );
  assert.equal(held.length, model.payments.size);
  for (const payment of held) {
    const expected = model.payments.get(payment.id);
    assert.ok(expected !== undefined, `payment ${payment.id} is not in the model`);
    assert.deepEqual(
      [payment.status, payment.reason, payment.returnedAmount],
      [expected.status, expected.reason, expected.returned],
      `payment ${payment.id}`,
    );
    // A compact record keeps the legs it settled with (retention.ts compactOf); the ledger
    // checks run on payments held in full.
    if (!engine.state.settled.has(payment.id)) checkLegs(network, payment, expected);
  }
  checkRetention(network, engine.ledger.stats().lastBatchAt);
}

/** True while the engine must hold the payment at `now`, whichever batch last pruned. */
function isHeld(state: Network['engine']['state'], payment: Payment, now: number): boolean {
  const finishedAt = state.finished.get(payment.id) ?? state.settled.get(payment.id)?.finishedAt;
  return finishedAt === undefined || finishedAt + idWindowMs(state.settings) > now;
}

/** No payment is held longer than its retention (full) or its return window (compact). */
function checkRetention(network: Network, now: number): void {
  const state = network.engine.state;
  const retention = paymentRetentionMs(state.settings);
  for (const [id, finishedAt] of state.finished) {
    assert.ok(finishedAt + retention > now, `${id} held in full past its retention`);
    assert.ok(isFinal(state.payments.get(id)?.status ?? 'ACTC'), `${id} is not finished`);
  }
  for (const payment of state.payments.values()) {
    assert.ok(!isFinal(payment.status) || state.finished.has(payment.id), payment.id);
  }
  const window = returnWindowMs(state.settings);
  for (const record of state.settled.values())
    assert.ok(record.finishedAt + window > now, `${record.payment.id} held past the window`);
}

/** (c) the new payment record carries the quote's amounts, and its legs are the quoted moves. */
function checkRecord(
  network: Network,
  payment: Payment,
  expected: ModelPayment,
  quote: Quote | undefined,
): void {
  const legs = payment.legs.map((leg): Move => [
    leg.debitAccountId,
    leg.creditAccountId,
    leg.amount,
  ]);
  if (expected.status !== 'RJCT' || payment.legs.length > 0) assert.deepEqual(legs, expected.moves);
  assert.equal(payment.debitAmount, expected.debitAmount);
  assert.equal(payment.creditAmount, expected.creditAmount);
  if (quote !== undefined) {
    assert.deepEqual(
      [
        payment.sendAmount,
        payment.creditAmount,
        payment.debitAmount,
        payment.fees,
        payment.fxProvider,
        payment.rate,
        payment.quoteId,
      ],
      [
        quote.sendAmount,
        quote.creditAmount,
        quote.debitAmount,
        quote.fees,
        quote.providerId,
        quote.rate,
        // The payment names its quote as its debtor agent did.
        quote.clientId,
      ],
    );
    // A payment rejected before reserving leaves its quote free (a later one may use it).
    const used = network.engine.state.quotes.get(quote.id)?.usedBy;
    if (expected.status === 'RJCT' && !expected.reserved) assert.notEqual(used, payment.id);
    else assert.equal(used, payment.id);
  }
}

/**
 * The answer's code and payment. A result holds the live payment object, which later commands
 * of the same batch may have changed: its status is compared only when the command ran alone
 * (verify() compares every payment's status after each step anyway).
 */
function checkAnswer(
  result: NetworkResult,
  expected: Expectation,
  what: string,
  alone: boolean,
): Payment | undefined {
  assert.equal(result.code, expected.code, `${what}: ${json(result)}`);
  if (expected.code !== 'ok') return undefined;
  const payment = result.payment;
  assert.ok(payment !== undefined, what);
  assert.equal(payment.id, expected.payment.id);
  if (alone)
    assert.deepEqual(
      [payment.status, payment.reason],
      [expected.payment.status, expected.payment.reason],
      `${what}: ${json(payment.events)} ${json(payment.legs)}`,
    );
  return payment;
}

/** (d) what a replay must rebuild: every balance, payment, reservation, quote use and counter. */
function snapshot(network: Network, now: number): unknown {
  const state = network.engine.state;
  const ledger = network.engine.ledger;
  return json({
    accounts: [...ledger.accountIds()].sort().map((id) => ledger.balance(id)),
    supply: CURRENCIES.map((currency) => network.supply(currency)),
    // Held in full or compact: a batch whose commands were all refused is not journaled but
    // still compacts, so a replay may hold in full what the live engine had compacted. What
    // compaction keeps must be the same, and open payments (never compacted) in full.
    payments: [
      ...state.payments.values(),
      ...[...state.settled.values()].map((record) => record.payment),
    ]
      .filter((payment) => isHeld(state, payment, now))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((payment) => ({
      id: payment.id,
      status: payment.status,
      reason: payment.reason,
      detail: payment.detail,
      returned: payment.returnedAmount,
      returns: payment.returns,
      events: isFinal(payment.status) ? payment.events.slice(-1) : payment.events,
      legs: (isFinal(payment.status) ? [] : payment.legs).map((leg) => [
        ledger.pendingState(leg.transferId),
        ledger.pendingTransfer(leg.transferId)?.expiresAt,
        ledger.hasTransfer(leg.transferId),
      ]),
    })),
    // A batch whose commands were all refused is not journaled, but still forgets quotes past
    // their retention: those may differ after a replay (reported; the next batch forgets them).
    quotes: [...state.quotes.values()]
      .filter((quote) => quote.expiresAt + QUOTE_RETENTION > now)
      .map((quote) => [quote.id, quote.usedBy]),
    participants: [...state.participants.values()].map((participant) => [
      participant.id,
      participant.status,
    ]),
    outflows: [...state.outflows.entries()],
    rates: [...state.rates.values()].map((rate) => [
      rate.providerId,
      rate.published,
      rate.validUntil,
    ]),
  });
}

// ---------------------------------------------------------------------------------------------
// Operations and their generators. Indices pick among what exists when the step runs; `focus`
// and `fresh` bias the pick toward targets where something can happen (a live quote, a
// reserved payment, a settled one), the rest exercise the refusals.
// ---------------------------------------------------------------------------------------------

type Mode = 'instant' | 'two_phase';

type QuoteOp = {
  readonly t: 'quote';
  readonly pair: number;
  readonly bank: number;
  readonly anyBank: boolean;
  readonly fixed: 'send' | 'receive';
  readonly amount: bigint;
};
type PayOp = {
  readonly t: 'pay';
  readonly quote: number;
  readonly fresh: boolean;
  readonly creditor: number;
  readonly matching: boolean;
  readonly mode: Mode;
  readonly names: readonly [number, number];
  readonly stranger: boolean;
};
type ReturnOp = {
  readonly t: 'return';
  readonly payment: number;
  readonly focus: boolean;
  readonly share: 'all' | 'half' | 'one' | 'over';
  readonly stranger: boolean;
  readonly quote: number;
};

type BatchOp =
  | QuoteOp
  | PayOp
  | {
      readonly t: 'domestic';
      readonly bank: number;
      readonly ownCurrency: boolean;
      readonly currency: number;
      readonly creditor: number;
      readonly matching: boolean;
      readonly amount: bigint;
      readonly mode: Mode;
      readonly names: readonly [number, number];
    }
  | {
      readonly t: 'accept';
      readonly payment: number;
      readonly focus: boolean;
      readonly stranger: boolean;
    }
  | {
      readonly t: 'reject';
      readonly payment: number;
      readonly focus: boolean;
      readonly reason: number;
      readonly stranger: boolean;
    }
  | {
      readonly t: 'review';
      readonly payment: number;
      readonly focus: boolean;
      readonly reviewer: number;
      readonly decision: 'release' | 'reject';
    }
  | ReturnOp
  | {
      readonly t: 'issue';
      readonly kind: 'issue' | 'redeem';
      readonly participant: number;
      readonly currency: number;
      readonly amount: bigint;
      readonly wrongIssuer: boolean;
    }
  | {
      readonly t: 'credit';
      readonly participant: number;
      readonly currency: number;
      readonly limit: bigint;
    }
  | { readonly t: 'status'; readonly participant: number; readonly active: boolean }
  | {
      readonly t: 'rate';
      readonly provider: number;
      readonly pair: number;
      readonly rate: string;
      readonly spreadBps: number;
    };

type Op =
  | BatchOp
  /** The usual flow: a quote, then a payment with it, in two batches. */
  | { readonly t: 'quote_pay'; readonly quote: QuoteOp; readonly pay: PayOp }
  | { readonly t: 'advance'; readonly ms: number }
  /** Commands submitted without waiting: they share one batch, in order. */
  | { readonly t: 'together'; readonly ops: readonly BatchOp[] }
  | { readonly t: 'restart' };

/** BRL→INR, BRL→CNY and INR→BRL first: the pairs the test network quotes. */
const PAIRS = [
  ['BRL', 'INR'],
  ['BRL', 'CNY'],
  ['INR', 'BRL'],
  ['INR', 'CNY'],
  ['CNY', 'BRL'],
  ['CNY', 'INR'],
] as const;

const amountArb = fc.oneof(
  { arbitrary: fc.bigInt(1n, 100n), weight: 2 },
  { arbitrary: fc.bigInt(101n, 10_000_000n), weight: 6 },
  { arbitrary: fc.bigInt(10_000_001n, 2_000_000_000n), weight: 2 },
  { arbitrary: fc.bigInt(2_000_000_001n, AMOUNT_MAX), weight: 1 },
  { arbitrary: fc.constant(AMOUNT_MAX), weight: 1 },
);
const modeArb = fc.constantFrom<Mode>('instant', 'two_phase');
const namesArb = fc.tuple(fc.nat(NAMES.length - 1), fc.nat(NAMES.length - 1));
const mostly = fc.nat(9).map((value) => value < 8);
const rarely = fc.nat(9).map((value) => value === 0);
const pairArb = fc.oneof({ weight: 3, arbitrary: fc.nat(2) }, { weight: 1, arbitrary: fc.nat() });
const rateArb = fc.oneof(
  fc.constantFrom(
    '15.5',
    '15.6',
    '0.064',
    '1.35',
    '0.0000000001',
    '0.00000000001',
    '0.000000000123',
    '123456789012.123456789012',
    '1',
  ),
  fc
    .tuple(fc.nat(200), fc.nat(999_999))
    .filter(([whole, fraction]) => whole + fraction > 0)
    .map(([whole, fraction]) => `${whole}.${String(fraction).padStart(6, '0')}`),
);

const quoteArb: fc.Arbitrary<QuoteOp> = fc.record({
  t: fc.constant('quote' as const),
  pair: pairArb,
  bank: fc.nat(),
  anyBank: rarely,
  fixed: fc.constantFrom<'send' | 'receive'>('send', 'receive'),
  amount: amountArb,
});
const payArb: fc.Arbitrary<PayOp> = fc.record({
  t: fc.constant('pay' as const),
  quote: fc.nat(),
  fresh: mostly,
  creditor: fc.nat(),
  matching: mostly,
  mode: modeArb,
  names: namesArb,
  stranger: rarely,
});

const batchOpArb: fc.Arbitrary<BatchOp> = fc.oneof(
  { weight: 5, arbitrary: quoteArb },
  { weight: 6, arbitrary: payArb },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('domestic' as const),
      bank: fc.nat(),
      ownCurrency: mostly,
      currency: fc.nat(),
      creditor: fc.nat(),
      matching: mostly,
      amount: amountArb,
      mode: modeArb,
      names: namesArb,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('accept' as const),
      payment: fc.nat(),
      focus: mostly,
      stranger: rarely,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('reject' as const),
      payment: fc.nat(),
      focus: mostly,
      reason: fc.nat(),
      stranger: rarely,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('review' as const),
      payment: fc.nat(),
      focus: mostly,
      reviewer: fc.nat(),
      decision: fc.constantFrom<'release' | 'reject'>('release', 'reject'),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('return' as const),
      payment: fc.nat(),
      focus: mostly,
      share: fc.constantFrom<ReturnOp['share']>('all', 'half', 'one', 'over'),
      stranger: rarely,
      quote: fc.nat(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('issue' as const),
      kind: fc.constantFrom<'issue' | 'redeem'>('issue', 'redeem'),
      participant: fc.nat(),
      currency: fc.nat(),
      amount: amountArb,
      wrongIssuer: rarely,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('credit' as const),
      participant: fc.nat(),
      currency: fc.nat(),
      limit: fc.constantFrom(0n, 1_000n, 10_000_000n, 10n ** 12n),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('status' as const),
      participant: fc.nat(),
      active: fc.nat(2).map((value) => value > 0),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('rate' as const),
      provider: fc.nat(),
      pair: fc.nat(),
      rate: rateArb,
      spreadBps: fc.constantFrom(0, 25, 100, 9_999),
    }),
  },
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 24, arbitrary: batchOpArb },
  {
    weight: 8,
    arbitrary: fc.record({ t: fc.constant('quote_pay' as const), quote: quoteArb, pay: payArb }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('advance' as const),
      ms: fc.constantFrom(1_000, 29_999, 30_000, 59_999, 60_000, 3_600_000, 6 * 3_600_000),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('together' as const),
      ops: fc.array(batchOpArb, { minLength: 2, maxLength: 5 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ t: 'restart' as const }) },
);

// ---------------------------------------------------------------------------------------------
// A run: the network on a file-backed SQLite store, the model beside it, a controllable clock.
// ---------------------------------------------------------------------------------------------

interface Prepared {
  submit(): Promise<NetworkResult>;
  /** `alone`: the command had its batch to itself. */
  check(result: NetworkResult, alone: boolean): void;
}

const awaiting = (payment: ModelPayment): boolean => payment.status === 'ACSP';
const held = (payment: ModelPayment): boolean => payment.status === 'BLCK';
const returnable = (payment: ModelPayment): boolean =>
  payment.kind === 'payment' &&
  payment.status === 'ACCC' &&
  payment.returned < payment.creditAmount;

function shareOf(share: ReturnOp['share'], remaining: bigint): bigint {
  return { all: remaining, half: remaining / 2n, one: 1n, over: remaining + 1n }[share];
}

class Run {
  network!: Network;
  readonly clock = { now: TEST_EPOCH };
  private serial = 0;
  readonly model: Model;

  /** Restarts that loaded a snapshot (the rest replayed from genesis). */
  fromSnapshot = 0;

  constructor(
    readonly path: string,
    readonly config: NetworkConfigFile,
    returnRate: 'original' | 'fresh_quote',
    /** A snapshot every this many journal entries. */
    readonly snapshotEvery: number,
  ) {
    this.model = new Model(config, returnRate, TEST_EPOCH);
  }

  async open(): Promise<void> {
    // Every commit still goes to the files; only the fsyncs are skipped: the runs close cleanly.
    const store = new SqliteStore({ path: this.path, synchronous: 'off' });
    this.network = await openNetwork({
      store,
      batchDelayMs: 0,
      clock: () => this.clock.now,
      screener,
      snapshots: { everyEntries: this.snapshotEvery, keep: 2 },
    });
  }

  /** The state a replay from genesis rebuilds (the network is closed). */
  private async genesisDigest(): Promise<string> {
    const store = new SqliteStore({ path: this.path, synchronous: 'off', threads: false });
    await store.open();
    try {
      const { engine, numbering } = await recoverNetwork(store, { useSnapshots: false });
      return stateDigest({ engine, eventsAssigned: numbering.assigned });
    } finally {
      await store.close();
    }
  }

  async start(): Promise<void> {
    await this.open();
    const results = await this.network.configureFrom(this.config, this.clock.now);
    assert.ok(
      results.every((result) => result.code === 'ok'),
      json(results),
    );
    verify(this.network, this.model);
  }

  /** (d) close, reopen on the same file: the journal replayed into a fresh engine. */
  async restart(): Promise<void> {
    const before = snapshot(this.network, this.clock.now);
    await this.network.close();
    const genesis = await this.genesisDigest();
    await this.open();
    assert.deepEqual(
      snapshot(this.network, this.clock.now),
      before,
      'the replayed network differs',
    );
    const recovery = this.network.recovery;
    assert.deepEqual(recovery?.rejected, [], 'every snapshot verifies');
    if (recovery?.snapshot !== undefined) this.fromSnapshot += 1;
    assert.equal(stateDigest({ engine: this.network.engine,
      eventsAssigned: this.network.lastEventSequence }),
      genesis, 'snapshot + tail replay differs from a replay from genesis');
    verify(this.network, this.model);
  }

  private id(prefix: string): string {
    this.serial += 1;
    return `${prefix}-${this.serial}`;
  }

  private paymentAt(
    index: number,
    focus: boolean,
    wanted: (payment: ModelPayment) => boolean,
  ): ModelPayment | undefined {
    const all = [...this.model.payments.values()];
    const chosen = focus ? all.filter(wanted) : [];
    const list = chosen.length > 0 ? chosen : all;
    return list.length === 0 ? undefined : pick(list, index);
  }

  private quoteAt(index: number, fresh: boolean): string | undefined {
    const all = this.model.quoteOrder;
    const live = fresh
      ? all.filter((id) => {
          const known = this.model.quotes.get(id);
          return known !== undefined && !known.used && known.quote.expiresAt > this.clock.now;
        })
      : [];
    const list = live.length > 0 ? live : all;
    return list.length === 0 ? undefined : pick(list, index);
  }

  /** Runs one prepared command alone in its batch. */
  private async alone(prepared: Prepared): Promise<NetworkResult> {
    const result = await prepared.submit();
    this.model.expire(this.clock.now);
    prepared.check(result, true);
    return result;
  }

  /** The model forgets, as the engine does at each batch, by the batch's time. */
  private retain(): void {
    this.model.retain(this.clock.now, idWindowMs(this.network.engine.state.settings));
  }

  async step(op: Op): Promise<void> {
    if (op.t === 'advance') {
      this.clock.now += op.ms;
      return;
    }
    this.retain();
    if (op.t === 'restart') {
      await this.restart();
      return;
    }
    if (op.t === 'quote_pay') {
      const quoted = await this.alone(this.prepareQuote(op.quote));
      if (quoted.quote !== undefined)
        await this.alone(this.preparePayment(op.pay, quoted.quote.id));
    } else if (op.t === 'return' && this.model.returnRate === 'fresh_quote') {
      await this.freshReturn(op);
    } else {
      const prepared = (op.t === 'together' ? op.ops : [op]).map((item) => this.prepare(item));
      const results = await Promise.all(prepared.map((item) => item.submit()));
      this.model.expire(this.clock.now);
      prepared.forEach((item, index) =>
        item.check(results[index] as NetworkResult, prepared.length === 1),
      );
    }
    this.retain();
    verify(this.network, this.model);
  }

  private prepare(op: BatchOp): Prepared {
    switch (op.t) {
      case 'quote':
        return this.prepareQuote(op);
      case 'pay':
      case 'domestic':
        return this.preparePayment(op);
      case 'accept':
      case 'reject':
      case 'review':
        return this.prepareDecision(op);
      case 'return':
        return this.prepareReturn(op, this.quoteAt(op.quote, false));
      case 'issue':
      case 'credit':
      case 'status':
      case 'rate':
        return this.prepareAdmin(op);
    }
  }

  private prepareQuote(op: QuoteOp): Prepared {
    const [source, target] = pick(PAIRS, op.pair);
    const holders = BANKS.filter((bank) => holds(bank, source));
    const actor =
      op.anyBank || holders.length === 0 ? pick(BANKS, op.bank) : pick(holders, op.bank);
    const request: QuoteRequest = { actor, source, target, fixed: op.fixed, amount: op.amount };
    return {
      submit: () =>
        this.network.quote(actor, { source, target, fixed: op.fixed, amount: op.amount }),
      check: (result) => checkQuote(this.model, request, result, this.clock.now),
    };
  }

  private preparePayment(
    op: Extract<BatchOp, { t: 'pay' | 'domestic' }>,
    chosenQuote?: string,
  ): Prepared {
    let debtor: string;
    let target: string;
    let quote: Quote | undefined;
    let currency: string | undefined;
    if (op.t === 'pay') {
      const quoteId = chosenQuote ?? this.quoteAt(op.quote, op.fresh);
      quote = quoteId === undefined ? undefined : this.model.quotes.get(quoteId)?.quote;
      const asker = quote?.debtorAgent ?? pick(BANKS, op.quote);
      debtor = op.stranger
        ? pick(
            BANKS.filter((bank) => bank !== asker),
            op.quote,
          )
        : asker;
      target = quote?.target ?? 'INR';
    } else {
      debtor = pick(BANKS, op.bank);
      currency = op.ownCurrency
        ? pick(HOLDINGS.get(debtor) ?? [], 0)
        : pick([...CURRENCIES, 'USD'], op.currency);
      target = currency;
    }
    // Mostly another bank that holds the target currency; else anyone (self, provider, stranger).
    const holders = BANKS.filter((bank) => bank !== debtor && holds(bank, target));
    const creditor =
      op.matching && holders.length > 0 ? pick(holders, op.creditor) : pick(CREDITORS, op.creditor);
    const [debtorName, creditorName] = [pick(NAMES, op.names[0]), pick(NAMES, op.names[1])];
    const request: PaymentRequestModel = {
      id: this.id('pmt'),
      debtor,
      creditor,
      mode: op.mode,
      hit: hitOf(debtorName) || hitOf(creditorName),
      ...(op.t === 'pay' ? { quoteId: quote?.id ?? 'qt-none' } : { currency, amount: op.amount }),
    };
    const input: PaymentInput = {
      id: request.id,
      mode: op.mode,
      creditorAgent: creditor,
      endToEndId: this.id('E2E'),
      debtor: { name: debtorName },
      creditor: { name: creditorName },
      ...(request.quoteId === undefined ? {} : { quoteId: request.quoteId }),
      ...(op.t === 'domestic' ? { currency, amount: op.amount } : {}),
    };
    return {
      submit: () => this.network.pay(debtor, input),
      check: (result, alone) => {
        const expected = expectPayment(this.model, request, this.clock.now);
        const payment = checkAnswer(result, expected, `pay ${json(request)}`, alone);
        if (payment !== undefined && expected.code === 'ok') {
          checkRecord(this.network, payment, expected.payment, quote);
        }
      },
    };
  }

  private prepareDecision(op: Extract<BatchOp, { t: 'accept' | 'reject' | 'review' }>): Prepared {
    const payment = this.paymentAt(op.payment, op.focus, op.t === 'review' ? held : awaiting);
    const id = payment?.id ?? 'pmt-none';
    if (op.t === 'review') {
      const actor = pick(REVIEWERS, op.reviewer);
      return {
        submit: () => this.network.review(actor, id, op.decision),
        check: (result, alone) =>
          checkAnswer(
            result,
            expectReview(this.model, actor, payment, op.decision, this.clock.now),
            `review ${id} by ${actor}`,
            alone,
          ),
      };
    }
    const actor =
      op.stranger || payment === undefined ? pick(BANKS, op.payment) : payment.creditorAgent;
    if (op.t === 'accept') {
      return {
        submit: () => this.network.accept(actor, id),
        check: (result, alone) =>
          checkAnswer(
            result,
            expectAccept(this.model, actor, payment),
            `accept ${id} by ${actor}`,
            alone,
          ),
      };
    }
    const reason = pick(REJECT_REASONS, op.reason);
    return {
      submit: () => this.network.reject(actor, id, reason),
      check: (result, alone) =>
        checkAnswer(
          result,
          expectReject(this.model, actor, payment, reason, this.clock.now),
          `reject ${id} by ${actor}`,
          alone,
        ),
    };
  }

  private prepareReturn(op: ReturnOp, quoteId: string | undefined): Prepared {
    const original = this.paymentAt(op.payment, op.focus, returnable);
    const amount = shareOf(
      op.share,
      original === undefined ? 1n : original.creditAmount - original.returned,
    );
    const actor =
      op.stranger || original === undefined ? pick(BANKS, op.payment) : original.creditorAgent;
    const request: ReturnRequest = {
      id: this.id('rtn'),
      actor,
      original: original?.id ?? 'pmt-none',
      amount,
      ...(quoteId === undefined ? {} : { quoteId }),
    };
    return {
      submit: () =>
        this.network.returnPayment(actor, {
          originalPaymentId: request.original,
          amount,
          reason: 'AC04',
          returnId: request.id,
          ...(quoteId === undefined ? {} : { quoteId }),
        }),
      check: (result, alone) => {
        const expected = expectReturn(this.model, request, this.clock.now);
        const payment = checkAnswer(result, expected, `return ${json(request)}`, alone);
        if (payment !== undefined && expected.code === 'ok') {
          checkRecord(this.network, payment, expected.payment, undefined);
          assert.equal(payment.returnOf, request.original);
        }
      },
    };
  }

  /** Fresh-quote returns: the creditor agent asks for the reverse quote, then returns with it. */
  private async freshReturn(op: ReturnOp): Promise<void> {
    const original = this.paymentAt(op.payment, op.focus, returnable);
    let quoteId = this.quoteAt(op.quote, false);
    if (original !== undefined && original.provider !== undefined && original.status === 'ACCC') {
      const amount = shareOf(op.share, original.creditAmount - original.returned);
      const request: QuoteRequest = {
        actor: original.creditorAgent,
        source: original.target,
        target: original.source,
        fixed: 'send',
        amount,
      };
      if (amount > 0n) {
        const result = await this.network.quote(request.actor, request);
        this.model.expire(this.clock.now);
        checkQuote(this.model, request, result, this.clock.now);
        if (result.quote !== undefined) quoteId = result.quote.id;
      }
    }
    await this.alone(this.prepareReturn(op, quoteId));
  }

  private prepareAdmin(
    op: Extract<BatchOp, { t: 'issue' | 'credit' | 'status' | 'rate' }>,
  ): Prepared {
    if (op.t === 'rate') {
      const provider = pick(PROVIDERS, op.provider);
      const [source, target] = pick(PAIRS, op.pair);
      const spec = {
        providerId: provider,
        source,
        target,
        rate: op.rate,
        spreadBps: op.spreadBps,
        amountMax: 0n,
        fee: 0n,
        validUntil: this.clock.now + DAY,
      };
      return {
        submit: () => this.network.publishRate(provider, spec),
        check: (result) => {
          if (appliedRate(op.rate, op.spreadBps) === 0n) {
            assert.equal(
              result.code,
              'rate_invalid',
              `a rate that applies as zero: ${json(result)}`,
            );
            return;
          }
          assert.equal(result.code, 'ok', json(result));
          this.model.rates.set(`${provider}|${source}|${target}`, {
            provider,
            source,
            target,
            rate: op.rate,
            spreadBps: op.spreadBps,
            amountMax: 0n,
            fee: 0n,
            validUntil: spec.validUntil,
          });
        },
      };
    }
    const participant = pick(PARTICIPANTS, op.participant);
    if (op.t === 'status') {
      const status = op.active ? 'active' : 'suspended';
      return {
        submit: () => this.network.setParticipantStatus(OPERATOR, participant, status),
        check: (result) => {
          assert.equal(result.code, 'ok');
          this.model.status.set(participant, status);
        },
      };
    }
    const currency = pick(CURRENCIES, op.currency);
    const issuer = ISSUER.get(currency) ?? '';
    if (op.t === 'credit') {
      return {
        submit: () => this.network.grantCredit(issuer, participant, currency, op.limit),
        check: (result) => this.checkCredit(participant, currency, op.limit, result),
      };
    }
    const actor = op.wrongIssuer
      ? pick(
          CURRENCIES.map((code) => ISSUER.get(code) ?? '').filter((bank) => bank !== issuer),
          op.currency,
        )
      : issuer;
    const fields = { participantId: participant, currency, amount: op.amount };
    return {
      submit: () =>
        op.kind === 'issue'
          ? this.network.issue(actor, fields)
          : this.network.redeem(actor, fields),
      check: (result) => this.checkIssue(op.kind, actor, participant, currency, op.amount, result),
    };
  }

  private checkCredit(
    participant: string,
    currency: string,
    limit: bigint,
    result: NetworkResult,
  ): void {
    const id = settlement(participant, currency);
    let expected: NetworkCode = 'ok';
    if (!holds(participant, currency)) expected = 'account_not_found';
    else {
      const account = this.model.account(id);
      if (account.pendingDebits - account.posted > limit) expected = 'credit_limit_below_usage';
    }
    assert.equal(result.code, expected, `credit ${id} ${limit}: ${json(result)}`);
    if (expected === 'ok') this.model.account(id).creditLimit = limit;
  }

  private checkIssue(
    kind: 'issue' | 'redeem',
    actor: string,
    participant: string,
    currency: string,
    amount: bigint,
    result: NetworkResult,
  ): void {
    const holder = settlement(participant, currency);
    let expected: NetworkCode = 'ok';
    if (ISSUER.get(currency) !== actor) expected = 'not_authorized';
    else if (!holds(participant, currency)) expected = 'account_not_found';
    else if (kind === 'redeem' && this.model.available(holder) < amount)
      expected = 'insufficient_funds';
    assert.equal(
      result.code,
      expected,
      `${kind} ${amount} ${currency} to ${participant}: ${json(result)}`,
    );
    if (expected !== 'ok') return;
    const move: Move =
      kind === 'issue'
        ? [issuance(actor, currency), holder, amount]
        : [holder, issuance(actor, currency), amount];
    this.model.post([move]);
    const supply = this.model.supply.get(currency) ?? 0n;
    this.model.supply.set(currency, kind === 'issue' ? supply + amount : supply - amount);
  }
}

// ---------------------------------------------------------------------------------------------
// The properties.
// ---------------------------------------------------------------------------------------------

describe('the payment network under random operations', () => {
  let directory = '';
  let runs = 0;
  let fromSnapshot = 0;
  before(() => {
    directory = mkdtempSync(join(tmpdir(), 'corridor-payments-property-'));
    for (const code of CURRENCIES)
      assert.equal(findCurrency(code)?.exponent, 2, 'the model assumes exponent 2');
  });
  after(() => {
    rmSync(directory, { recursive: true, force: true });
    // The snapshot path is exercised, not only the genesis one.
    if (runs >= 20) assert.ok(fromSnapshot > 0, 'no restart loaded a snapshot');
  });

  async function scenario(
    returnRate: 'original' | 'fresh_quote',
    ops: readonly Op[],
    snapshotEvery = 3,
    config: NetworkConfigFile = configFor(returnRate),
  ): Promise<void> {
    runs += 1;
    const files = join(directory, `run-${runs}`);
    mkdirSync(files);
    const run = new Run(join(files, 'network.db'), config, returnRate, snapshotEvery);
    try {
      await run.start();
      for (const op of ops) await run.step(op);
      await run.restart();
      fromSnapshot += run.fromSnapshot;
    } finally {
      await run.network.close();
      rmSync(files, { recursive: true, force: true });
    }
  }

  /** PROPERTY_SEED and PROPERTY_PATH replay a reported counterexample. */
  const replay =
    process.env['PROPERTY_SEED'] === undefined
      ? {}
      : {
          seed: Number(process.env['PROPERTY_SEED']),
          path: process.env['PROPERTY_PATH'] ?? '',
          endOnFailure: true,
        };

  it(
    'conserves money, settles all legs or none, moves the quoted amounts and replays the same, ' +
      'after every step of a random mix',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom<'original' | 'fresh_quote'>('original', 'fresh_quote'),
          fc.array(opArb, { minLength: 1, maxLength: 120, size: 'max' }),
          fc.integer({ min: 1, max: 16 }),
          (returnRate, ops, snapshotEvery) => scenario(returnRate, ops, snapshotEvery),
        ),
        { numRuns: RUNS, includeErrorInReport: true, ...replay },
      );
    },
  );

  it('keeps every property when two-phase payments, holds and quotes expire in a busy batch', async () => {
    const busy = fc.array(
      fc.oneof(
        {
          weight: 3,
          arbitrary: fc.record({
            t: fc.constant('together' as const),
            ops: fc.array(batchOpArb, { minLength: 4, maxLength: 8 }),
          }),
        },
        {
          weight: 1,
          arbitrary: fc.record({
            t: fc.constant('advance' as const),
            ms: fc.constantFrom(29_999, 30_000, 60_000, 3_600_000),
          }),
        },
      ),
      { minLength: 5, maxLength: 30, size: 'max' },
    );
    await fc.assert(
      fc.asyncProperty(busy, fc.integer({ min: 1, max: 6 }),
        (ops, snapshotEvery) => scenario('original', ops, snapshotEvery)),
      { numRuns: Math.ceil(RUNS / 4), includeErrorInReport: true, ...replay },
    );
  });

  it('keeps every property across retention periods: payments compacted, then forgotten', async () => {
    // Full for 1 hour after they finish, compact for 2 days; runs advance by hours and days, so
    // payments are compacted, returned while compact, and forgotten (with their ledger legs).
    const retention = (returnRate: 'original' | 'fresh_quote'): NetworkConfigFile => {
      const config = configFor(returnRate);
      return {
        ...config,
        settings: { ...config.settings, paymentRetentionDays: 1 / 24, returnWindowDays: 2 },
      };
    };
    const crossing = fc.array(
      fc.oneof(
        { weight: 6, arbitrary: opArb },
        {
          weight: 2,
          arbitrary: fc.record({
            t: fc.constant('advance' as const),
            ms: fc.constantFrom(3_600_000, 12 * 3_600_000, 86_400_000, 2 * 86_400_000),
          }),
        },
      ),
      { minLength: 5, maxLength: 60, size: 'max' },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<'original' | 'fresh_quote'>('original', 'fresh_quote'),
        crossing,
        (returnRate, ops) => scenario(returnRate, ops, 3, retention(returnRate)),
      ),
      { numRuns: Math.ceil(RUNS / 2), includeErrorInReport: true, ...replay },
    );
  });
});
