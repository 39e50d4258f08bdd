// Rates and quotes as network commands: providers publish directional rates, debtor agents
// ask for quotes, and the best eligible offer across providers becomes a firm, single-use quote.
import { findCurrency } from '../money/currency.js';
import { AMOUNT_MAX } from '../money/amount.js';
import {
  appliedRate,
  betterOffer,
  offerFor,
  type Offer,
  type PublishedRate,
  type Quote,
  type QuoteFee,
  type QuoteHop,
} from './fx/quotes.js';
import { convertBack, formatRate, parseRate, type Rate } from './fx/rate.js';
import { isNetworkId, quoteKey, type IdScheme } from './payments/ids.js';
import type { NetworkCommand, NetworkResult, RateSpec } from './commands.js';
import { bestRoute, betterThanDirect, routedQuoteTerms } from './routes.js';
import { feeAccountId, NETWORK_LIMITS, settlementAccountId } from './model.js';
import { refuse, type BatchContext, type NetworkState } from './state.js';

type Of<T extends NetworkCommand['type']> = Extract<NetworkCommand, { type: T }>;

/** Quotes kept in memory after they expire, so that a late use is told "expired", not "unknown". */
export const QUOTE_RETENTION_MS = 60 * 60 * 1000;
export const QUOTE_ID_LENGTH_MAX = 64;

export function rateKey(providerId: string, source: string, target: string): string {
  return `${providerId}|${source}|${target}`;
}

function checkRateOwner(
  state: NetworkState,
  command: Of<'publish_rate'>,
): NetworkResult | undefined {
  const spec = command.rate;
  const provider = state.participants.get(spec.providerId);
  if (provider?.kind !== 'fx_provider' || command.actor !== spec.providerId) {
    return refuse('not_authorized', 'Only an FX provider publishes its own rates.');
  }
  for (const [field, currency] of [
    ['source', spec.source],
    ['target', spec.target],
  ] as const) {
    if (!provider.currencies.includes(currency)) {
      return refuse('account_not_found', `The provider holds no ${currency} account.`, field);
    }
  }
  if (spec.source === spec.target) {
    return refuse('invalid_field', 'A rate needs two currencies.', 'target');
  }
  const key = rateKey(spec.providerId, spec.source, spec.target);
  const perProvider = [...state.rates.values()].filter(
    (rate) => rate.providerId === spec.providerId,
  ).length;
  if (!state.rates.has(key) && perProvider >= NETWORK_LIMITS.ratesPerProviderMax) {
    return refuse('invalid_field', 'The provider has published its most pairs.', 'target');
  }
  return undefined;
}

/** The applied rate of a valid rate spec, or the refusal that names the faulty field. */
function checkRateTerms(spec: RateSpec, now: number): Rate | NetworkResult {
  const parsed = parseRate(spec.rate);
  if (!parsed.ok) return refuse('rate_invalid', parsed.message, 'rate');
  if (!Number.isInteger(spec.spreadBps) || spec.spreadBps < 0 || spec.spreadBps >= 10_000) {
    return refuse('invalid_field', 'The spread is 0 to 9,999 basis points.', 'spreadBps');
  }
  const applied = appliedRate(parsed.rate, spec.spreadBps);
  if (applied.numerator === 0n) {
    return refuse('rate_invalid', 'The rate less the spread rounds to zero.', 'rate');
  }
  if (spec.amountMax < 0n || spec.amountMax > AMOUNT_MAX) {
    return refuse('invalid_field', 'The maximum amount is out of range.', 'amountMax');
  }
  if (spec.fee < 0n || spec.fee > AMOUNT_MAX) {
    return refuse('invalid_field', 'The fee is out of range.', 'fee');
  }
  if (!Number.isSafeInteger(spec.validUntil) || spec.validUntil <= now) {
    return refuse('invalid_field', 'The rate must be valid until a future time.', 'validUntil');
  }
  return applied;
}

export function publishRate(
  state: NetworkState,
  command: Of<'publish_rate'>,
  context: BatchContext,
): NetworkResult {
  const spec = command.rate;
  const refused = checkRateOwner(state, command);
  if (refused !== undefined) return refused;
  const applied = checkRateTerms(spec, context.now);
  if ('code' in applied) return applied;
  const key = rateKey(spec.providerId, spec.source, spec.target);
  const published = {
    providerId: spec.providerId,
    source: spec.source,
    target: spec.target,
    published: spec.rate,
    spreadBps: spec.spreadBps,
    applied,
    amountMax: spec.amountMax,
    fee: spec.fee,
    publishedAt: context.now,
    validUntil: spec.validUntil,
  };
  // The pair's rates first (the index is then in step with state.rates), then both updated.
  const pairRates = ratesOfPair(state, spec.source, spec.target);
  state.rates.set(key, published);
  pairRates.set(key, published);
  const index = ratesByPair.get(state);
  if (index !== undefined) index.size = state.rates.size;
  context.changes.rates.set(key, published);
  return { code: 'ok' };
}

/**
 * One rate's offer. With fees included, the fees are taken out of the amount before it is
 * converted: fixed send converts the amount less the fees (the debit stays the amount); fixed
 * receive converts what the amount costs less the fees (the creditor gets less than asked).
 */
function offerWithFees(
  state: NetworkState,
  command: Of<'create_quote'>,
  rate: PublishedRate,
  exponents: { source: number; target: number },
): Offer | undefined {
  const included = command.feesIncluded;
  const scheme = state.currencies.get(command.source)?.rules.schemeFee ?? 0n;
  const fees = included === undefined ? 0n : rate.fee + (included === 'all' ? scheme : 0n);
  // Nothing to take out (no fees, or a provider without one under SHAR): a plain offer.
  if (fees === 0n) {
    return offerFor(rate, { fixed: command.fixed, amount: command.amount, exponents });
  }
  if (rate.applied.numerator === 0n) return undefined;
  const gross =
    command.fixed === 'send'
      ? command.amount
      : convertBack(command.amount, rate.applied, exponents, 'ceil');
  if (gross - fees <= 0n) return undefined;
  return offerFor(rate, { fixed: 'send', amount: gross - fees, exponents });
}

/**
 * The published rates by currency pair (source|target → rate key → rate), so that a quote looks
 * at the few providers of its pair rather than every rate of the network. Derived from
 * state.rates alone (built when first needed, kept in step by publishRate, rebuilt if the two
 * ever differ in size), so replay and live operation see the same rates. betterOffer is a total
 * order, so the order in which a pair's rates are looked at does not change the best offer.
 */
interface RatesByPair {
  size: number;
  readonly pairs: Map<string, Map<string, PublishedRate>>;
}
const ratesByPair = new WeakMap<NetworkState, RatesByPair>();

export function ratesOfPair(
  state: NetworkState,
  source: string,
  target: string,
): Map<string, PublishedRate> {
  let index = ratesByPair.get(state);
  if (index === undefined || index.size !== state.rates.size) {
    const pairs = new Map<string, Map<string, PublishedRate>>();
    for (const [key, rate] of state.rates) {
      const pair = `${rate.source}|${rate.target}`;
      let rates = pairs.get(pair);
      if (rates === undefined) pairs.set(pair, (rates = new Map()));
      rates.set(key, rate);
    }
    index = { size: state.rates.size, pairs };
    ratesByPair.set(state, index);
  }
  const pair = `${source}|${target}`;
  let rates = index.pairs.get(pair);
  if (rates === undefined) index.pairs.set(pair, (rates = new Map()));
  return rates;
}

function bestOffer(
  state: NetworkState,
  command: Of<'create_quote'>,
  now: number,
): Offer | undefined {
  const exponents = {
    source: findCurrency(command.source)?.exponent ?? 2,
    target: findCurrency(command.target)?.exponent ?? 2,
  };
  let best: Offer | undefined;
  for (const rate of ratesOfPair(state, command.source, command.target).values()) {
    if (rate.validUntil <= now) continue;
    if (state.participants.get(rate.providerId)?.status !== 'active') continue;
    const offer = offerWithFees(state, command, rate, exponents);
    if (offer === undefined) continue;
    const liquidity = state.ledger.balance(settlementAccountId(rate.providerId, command.target));
    // With the settlement queue on, a payment the provider cannot fund now waits for the
    // offsetting flows instead (src/engine/liquidity): its quote need not be backed at once.
    const waits = state.settings.queue?.enabled === true;
    if (liquidity === undefined || (!waits && liquidity.available < offer.creditAmount)) continue;
    best = best === undefined ? offer : betterOffer(best, offer);
  }
  return best;
}

/** The applied rate as quotes show it, formatted once per published rate (it never changes). */
const appliedRateTexts = new WeakMap<PublishedRate, string>();

function appliedRateText(rate: PublishedRate): string {
  let text = appliedRateTexts.get(rate);
  if (text === undefined) {
    text = formatRate(rate.applied);
    appliedRateTexts.set(rate, text);
  }
  return text;
}

function feeTotalOf(fees: readonly QuoteFee[]): bigint {
  let total = 0n;
  for (const fee of fees) total += fee.amount;
  return total;
}

export function feesFor(state: NetworkState, rate: PublishedRate, source: string): QuoteFee[] {
  const fees: QuoteFee[] = [];
  const scheme = state.currencies.get(source)?.rules.schemeFee ?? 0n;
  if (scheme > 0n) {
    fees.push({
      kind: 'scheme',
      amount: scheme,
      currency: source,
      payee: feeAccountId(state.settings.operatorId, source),
    });
  }
  if (rate.fee > 0n) {
    fees.push({
      kind: 'fx_provider',
      amount: rate.fee,
      currency: source,
      payee: feeAccountId(rate.providerId, source),
    });
  }
  return fees;
}

function checkQuoteRequest(
  state: NetworkState,
  command: Of<'create_quote'>,
): NetworkResult | undefined {
  const agent = state.participants.get(command.actor);
  if (agent === undefined || (agent.kind !== 'bank' && agent.kind !== 'fx_provider')) {
    return refuse('not_authorized', 'Only a bank or FX provider asks for quotes.');
  }
  if (agent.status !== 'active') return refuse('actor_suspended', 'The participant is suspended.');
  if (command.quoteId.length === 0 || command.quoteId.length > QUOTE_ID_LENGTH_MAX) {
    return refuse('invalid_field', 'The quote id must have 1 to 64 characters.', 'quoteId');
  }
  for (const field of ['source', 'target'] as const) {
    if (!state.currencies.has(command[field])) {
      return {
        ...refuse(
          'currency_not_in_network',
          `The network does not settle ${command[field]}.`,
          field,
        ),
        isoReason: 'AM03',
      };
    }
  }
  if (command.source === command.target)
    return refuse('invalid_field', 'A quote needs two currencies.', 'target');
  if (!agent.currencies.includes(command.source)) {
    return refuse('account_not_found', `The agent holds no ${command.source} account.`, 'source');
  }
  if (command.amount <= 0n || command.amount > AMOUNT_MAX) {
    return refuse('invalid_field', 'The amount must be positive and within range.', 'amount');
  }
  if (command.routing !== undefined && command.routing !== 'direct' && command.routing !== 'best') {
    return refuse('invalid_field', 'Routing is "direct" or "best".', 'routing');
  }
  return undefined;
}

/**
 * Each participant's quotes that may still be open, oldest first, per engine state. A quote
 * closes when used or expired; closed ones are dropped when the list reaches the limit, so
 * the list is at most the limit long plus what closed since, and counting is amortised O(1).
 * It is derived from the state alone (built from state.quotes when first needed, then kept in
 * step by createQuote), so replay and live operation refuse the same quotes.
 */
const quotesMaybeOpen = new WeakMap<NetworkState, Map<string, Quote[]>>();

function quotesMaybeOpenOf(state: NetworkState, participantId: string): Quote[] {
  let byParticipant = quotesMaybeOpen.get(state);
  if (byParticipant === undefined) {
    byParticipant = new Map();
    for (const quote of state.quotes.values()) {
      const list = byParticipant.get(quote.debtorAgent) ?? [];
      list.push(quote);
      byParticipant.set(quote.debtorAgent, list);
    }
    quotesMaybeOpen.set(state, byParticipant);
  }
  let list = byParticipant.get(participantId);
  if (list === undefined) {
    list = [];
    byParticipant.set(participantId, list);
  }
  return list;
}

/** Whether the participant holds as many unused, unexpired quotes as it may. */
function openQuotesAtLimit(state: NetworkState, participantId: string, now: number): boolean {
  const limit = NETWORK_LIMITS.openQuotesPerParticipantMax;
  const list = quotesMaybeOpenOf(state, participantId);
  if (list.length < limit) return false;
  const open = [...new Set(list)].filter(
    (quote) => quote.usedBy === undefined && quote.expiresAt > now,
  );
  list.splice(0, list.length, ...open);
  return open.length >= limit;
}

export function createQuote(
  state: NetworkState,
  command: Of<'create_quote'>,
  context: BatchContext,
): NetworkResult {
  const invalid = checkQuoteRequest(state, command);
  if (invalid !== undefined) return invalid;
  const key = quoteKey(context.ids, command.actor, command.quoteId);
  const existing = ownQuoteAt(state, context.ids, command.actor, command.quoteId, context.now, key);
  if (existing !== undefined) {
    const same =
      existing.debtorAgent === command.actor &&
      existing.source === command.source &&
      existing.target === command.target &&
      existing.fixed === command.fixed &&
      existing.feesIncluded === command.feesIncluded &&
      (existing.requestedAmount ??
        (command.fixed === 'send' ? existing.sendAmount : existing.creditAmount)) ===
        command.amount;
    return same
      ? { code: 'ok', replayed: true, quote: existing }
      : refuse(
          'exists_with_different_fields',
          'This quote id was used with different fields.',
          'quoteId',
        );
  }
  // Entries from before the bound (global ids) replay as they were accepted.
  if (context.ids === 'scoped' && openQuotesAtLimit(state, command.actor, context.now)) {
    return refuse(
      'too_many_open_quotes',
      `The participant holds ${NETWORK_LIMITS.openQuotesPerParticipantMax} unused quotes that ` +
        'have not expired: use some, or wait for them to expire, before asking for more.',
    );
  }
  const offer = bestOffer(state, command, context.now);
  const route =
    command.routing === 'best'
      ? bestRoute(state, command, context.now, ratesOfPair, offer)
      : undefined;
  // bestRoute only answers a route better than the direct offer; checked again all the same.
  if (route !== undefined && (offer === undefined || betterThanDirect(route, offer))) {
    const terms = routedQuoteTerms(route);
    const quote = quoteFields(state, command, key, route.first, {
      ...terms,
      sendAmount: route.sendAmount,
      creditAmount: route.creditAmount,
    });
    return saveQuote(state, context, command, quote, terms.hops);
  }
  if (offer === undefined) {
    return refuse(
      'no_offer',
      command.routing === 'best'
        ? `No FX provider offers ${command.source} to ${command.target} for that amount now, ` +
            'directly or through a third member currency.'
        : `No FX provider offers ${command.source} to ${command.target} for that amount now.`,
    );
  }
  const quote = quoteFields(state, command, key, offer.rate, {
    rate: appliedRateText(offer.rate),
    midRate: offer.rate.published,
    spreadBps: offer.rate.spreadBps,
    sendAmount: offer.sendAmount,
    creditAmount: offer.creditAmount,
  });
  return saveQuote(state, context, command, quote);
}

/** A quote's terms, in the order quotes always had them; `rate` is the (first) provider's. */
function quoteFields(
  state: NetworkState,
  command: Of<'create_quote'>,
  key: string,
  rate: PublishedRate,
  terms: Pick<Quote, 'rate' | 'midRate' | 'spreadBps' | 'sendAmount' | 'creditAmount'>,
): QuoteFields {
  const fees = feesFor(state, rate, command.source);
  return {
    id: key,
    clientId: command.quoteId,
    debtorAgent: command.actor,
    providerId: rate.providerId,
    source: command.source,
    target: command.target,
    fixed: command.fixed,
    rate: terms.rate,
    midRate: terms.midRate,
    spreadBps: terms.spreadBps,
    sendAmount: terms.sendAmount,
    creditAmount: terms.creditAmount,
    fees,
    debitAmount: terms.sendAmount + feeTotalOf(fees),
  };
}

/** A quote under construction: its fields added in order, optional ones only when set. */
export type QuoteFields = { -readonly [Field in keyof Quote]?: Quote[Field] };

function saveQuote(
  state: NetworkState,
  context: BatchContext,
  command: Of<'create_quote'>,
  quote: QuoteFields,
  route?: readonly QuoteHop[],
): NetworkResult {
  // Added in place rather than with conditional spreads: the same fields, in the same order.
  if (command.feesIncluded !== undefined) {
    quote.feesIncluded = command.feesIncluded;
    quote.requestedAmount = command.amount;
  }
  quote.createdAt = context.now;
  quote.expiresAt = context.now + state.settings.quoteTtlMs;
  if (route !== undefined) quote.route = route;
  const created = quote as Quote;
  state.quotes.set(created.id, created);
  context.changes.quotes.set(created.id, created);
  quotesMaybeOpenOf(state, created.debtorAgent).push(created);
  return { code: 'ok', quote: created };
}

/**
 * A quote as the engine sees it at `now`: one past its retention is gone, whether or not a
 * batch has pruned it from memory yet, so replay and live operation always agree.
 */
export function quoteAt(state: NetworkState, id: string, now: number): Quote | undefined {
  const quote = state.quotes.get(id);
  return quote === undefined || quote.expiresAt + QUOTE_RETENTION_MS <= now ? undefined : quote;
}

/**
 * The quote `actor` asked for under `reference`: its own quote id, or the quote's network id.
 * Before ids were scoped ("global"), quote ids were one namespace, and so they replay.
 * `ownKey`: the network id of `actor`'s quote `reference`, if the caller already has it.
 */
export function ownQuoteAt(
  state: NetworkState,
  ids: IdScheme,
  actor: string,
  reference: string,
  now: number,
  ownKey?: string,
): Quote | undefined {
  if (ids === 'global') return quoteAt(state, reference, now);
  const own = isNetworkId(reference)
    ? undefined
    : quoteAt(state, ownKey ?? quoteKey(ids, actor, reference), now);
  if (own !== undefined) return own;
  // A network id, or a quote from before scoping: either way, only the asker's own.
  const named = quoteAt(state, reference, now);
  return named?.debtorAgent === actor ? named : undefined;
}

/** Forgets quotes long expired; Map order is insertion order, so the oldest come first. */
export function pruneQuotes(state: NetworkState, now: number): void {
  for (const [id, quote] of state.quotes) {
    if (quote.expiresAt + QUOTE_RETENTION_MS > now) return;
    state.quotes.delete(id);
  }
}
