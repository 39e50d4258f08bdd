// Routes through a third member currency: when no provider quotes a pair directly, or when two
// conversions give the payer more, a quote may go source → middle → target through two
// providers' firm rates (ETB → CNY → BRL). Never through USD, and never through a currency the
// network does not settle. The search is deterministic: every candidate is looked at and the
// order between two is total, so replay gives the same route.
import { findCurrency } from '../money/currency.js';
import { AMOUNT_MAX } from '../money/amount.js';
import { offerFor, type Offer, type PublishedRate, type QuoteHop } from './fx/quotes.js';
import { compareRates, formatRate, parseRate, RATE_DECIMALS_MAX, type Rate } from './fx/rate.js';
import type { NetworkCommand } from './commands.js';
import { settlementAccountId } from './model.js';
import type { NetworkState } from './state.js';

type CreateQuote = Extract<NetworkCommand, { type: 'create_quote' }>;

/**
 * Currencies no route goes through even when the network settles them: local-currency
 * settlement exists to avoid the dollar leg.
 */
export const ROUTE_EXCLUDED_CURRENCIES: ReadonlySet<string> = new Set(['USD']);

/** Two conversions: `first` from the source into `middle`, `second` from `middle` on. */
export interface RouteOffer {
  readonly first: PublishedRate;
  readonly second: PublishedRate;
  readonly middle: string;
  /** Source minor units the debtor agent sends the first provider (before fees). */
  readonly sendAmount: bigint;
  /** What the first provider delivers in the middle currency (the second's fee included). */
  readonly middleAmount: bigint;
  /** Target minor units the creditor agent receives. */
  readonly creditAmount: bigint;
}

interface Exponents {
  readonly source: number;
  readonly middle: number;
  readonly target: number;
}

function exponentOf(code: string): number {
  return findCurrency(code)?.exponent ?? 2;
}

/**
 * The amounts of a route, rounded in the providers' favour at each hop as a direct quote is.
 * Fixed send: the first provider converts the amount; the second provider's fee is taken out of
 * what it delivers, and the rest is converted. Fixed receive: the second provider needs what
 * delivers the amount plus its fee; the first provider is sent what delivers that.
 */
function routeFor(
  first: PublishedRate,
  second: PublishedRate,
  request: { fixed: 'send' | 'receive'; amount: bigint },
  exponents: Exponents,
): Omit<RouteOffer, 'middle'> | undefined {
  const into = { source: exponents.source, target: exponents.middle };
  const onward = { source: exponents.middle, target: exponents.target };
  if (request.fixed === 'send') {
    const hop1 = offerFor(first, { fixed: 'send', amount: request.amount, exponents: into });
    if (hop1 === undefined) return undefined;
    const left = hop1.creditAmount - second.fee;
    if (left <= 0n) return undefined;
    const hop2 = offerFor(second, { fixed: 'send', amount: left, exponents: onward });
    if (hop2 === undefined) return undefined;
    return {
      first,
      second,
      sendAmount: hop1.sendAmount,
      middleAmount: hop1.creditAmount,
      creditAmount: hop2.creditAmount,
    };
  }
  const hop2 = offerFor(second, { fixed: 'receive', amount: request.amount, exponents: onward });
  if (hop2 === undefined) return undefined;
  const middleAmount = hop2.sendAmount + second.fee;
  if (middleAmount > AMOUNT_MAX) return undefined;
  const hop1 = offerFor(first, { fixed: 'receive', amount: middleAmount, exponents: into });
  if (hop1 === undefined) return undefined;
  return { first, second, sendAmount: hop1.sendAmount, middleAmount, creditAmount: request.amount };
}

/**
 * A route's amounts with the fees a quote takes out of its amount (feesIncluded), as a direct
 * offer does: the first provider's fee (and with 'all' the scheme fee) come out of the amount.
 */
function routeWithFees(
  state: NetworkState,
  command: CreateQuote,
  first: PublishedRate,
  second: PublishedRate,
  exponents: Exponents,
): Omit<RouteOffer, 'middle'> | undefined {
  const included = command.feesIncluded;
  const scheme = state.currencies.get(command.source)?.rules.schemeFee ?? 0n;
  const fees = included === undefined ? 0n : first.fee + (included === 'all' ? scheme : 0n);
  if (fees === 0n) return routeFor(first, second, command, exponents);
  const gross =
    command.fixed === 'send'
      ? command.amount
      : routeFor(first, second, { fixed: 'receive', amount: command.amount }, exponents)
          ?.sendAmount;
  if (gross === undefined || gross - fees <= 0n) return undefined;
  return routeFor(first, second, { fixed: 'send', amount: gross - fees }, exponents);
}

/** Both providers hold what the route takes from them, now. */
function funded(
  state: NetworkState,
  route: Omit<RouteOffer, 'middle'>,
  middle: string,
  target: string,
): boolean {
  const same = route.first.providerId === route.second.providerId;
  // One provider doing both hops keeps the middle amount: only the fee leaves its account.
  const middleOut = same ? route.second.fee : route.middleAmount;
  const middleHeld = state.ledger.balance(settlementAccountId(route.first.providerId, middle));
  if (middleHeld === undefined || middleHeld.available < middleOut) return false;
  const targetHeld = state.ledger.balance(settlementAccountId(route.second.providerId, target));
  return targetHeld !== undefined && targetHeld.available >= route.creditAmount;
}

function usable(state: NetworkState, rate: PublishedRate, now: number): boolean {
  return rate.validUntil > now && state.participants.get(rate.providerId)?.status === 'active';
}

/** The two applied rates multiplied: what the route converts at, before the second fee. */
function routeRate(route: RouteOffer): Rate {
  return product(route.first.applied, route.second.applied);
}

/** Value for the payer: credit per unit of cost (sent plus the provider's fee), exactly. */
function compareValue(
  left: { creditAmount: bigint; sendAmount: bigint; fee: bigint },
  right: { creditAmount: bigint; sendAmount: bigint; fee: bigint },
): number {
  const leftValue = left.creditAmount * (right.sendAmount + right.fee);
  const rightValue = right.creditAmount * (left.sendAmount + left.fee);
  return leftValue > rightValue ? 1 : leftValue < rightValue ? -1 : 0;
}

/**
 * The better of two routes for the payer: the one that credits more per unit debited (fixed
 * send), or costs less for the same credit (fixed receive); then the better combined rate, then
 * the lower first provider id, the lower second provider id, the lower middle currency code.
 */
export function betterRoute(left: RouteOffer, right: RouteOffer): RouteOffer {
  const byValue = compareValue(
    { ...left, fee: left.first.fee },
    { ...right, fee: right.first.fee },
  );
  if (byValue !== 0) return byValue > 0 ? left : right;
  const byRate = compareRates(routeRate(left), routeRate(right));
  if (byRate !== 0) return byRate > 0 ? left : right;
  const keys = (route: RouteOffer): string[] => [
    route.first.providerId,
    route.second.providerId,
    route.middle,
  ];
  const [a, b] = [keys(left), keys(right)];
  for (let index = 0; index < a.length; index++) {
    const [x, y] = [a[index] ?? '', b[index] ?? ''];
    if (x !== y) return x < y ? left : right;
  }
  return left;
}

/** Whether a route is strictly better for the payer than the best direct offer (ties: direct). */
export function betterThanDirect(route: RouteOffer, direct: Offer): boolean {
  return (
    compareValue(
      { ...route, fee: route.first.fee },
      { sendAmount: direct.sendAmount, creditAmount: direct.creditAmount, fee: direct.rate.fee },
    ) > 0
  );
}

/** Credit per unit of cost a route or offer must beat: `credit / cost`, in minor units. */
interface Bar {
  readonly credit: bigint;
  readonly cost: bigint;
  /** Whether an equal value is enough (between routes, tie-breaks decide) or not (direct). */
  readonly strict: boolean;
}

/**
 * Whether rates whose product is `rate` cannot beat the bar. Rounding is in the providers'
 * favour and fees only add to the cost, so no route credits more per unit paid than its
 * combined rate (scaled to minor units): a bound that costs a few multiplications.
 */
function cannotBeat(rate: Rate, exponents: Exponents, bar: Bar | undefined): boolean {
  if (bar === undefined) return false;
  const value = rate.numerator * 10n ** BigInt(exponents.target) * bar.cost;
  const needed = bar.credit * rate.denominator * 10n ** BigInt(exponents.source);
  return bar.strict ? value <= needed : value < needed;
}

function product(left: Rate, right: Rate): Rate {
  return {
    numerator: left.numerator * right.numerator,
    denominator: left.denominator * right.denominator,
  };
}

function barOf(route: RouteOffer | undefined, direct: Offer | undefined): Bar | undefined {
  if (route !== undefined) {
    return { credit: route.creditAmount, cost: route.sendAmount + route.first.fee, strict: false };
  }
  if (direct === undefined) return undefined;
  return { credit: direct.creditAmount, cost: direct.sendAmount + direct.rate.fee, strict: true };
}

/**
 * The best route through a third member currency for a quote request that beats `direct`
 * (the best direct offer, if any), or undefined. Every middle currency the network settles
 * (but USD) and every pair of usable rates is considered; a pair whose combined rate cannot
 * beat the best so far is skipped without computing its amounts (see cannotBeat). Each
 * provider must hold, now, what its hop takes from it.
 */
export function bestRoute(
  state: NetworkState,
  command: CreateQuote,
  now: number,
  /** The published rates of a pair (state passed, so that callers need build no closure). */
  ratesOf: (
    state: NetworkState, source: string, target: string,
  ) => ReadonlyMap<string, PublishedRate>,
  direct?: Offer,
  /** Tests only: false computes every pair, to check that skipping never changes the answer. */
  skip = true,
): RouteOffer | undefined {
  let best: RouteOffer | undefined;
  for (const middle of state.currencies.keys()) {
    if (middle === command.source || middle === command.target) continue;
    if (ROUTE_EXCLUDED_CURRENCIES.has(middle)) continue;
    const firsts = ratesOf(state, command.source, middle);
    if (firsts.size === 0) continue;
    const seconds: PublishedRate[] = [];
    let bestSecond: Rate | undefined;
    for (const rate of ratesOf(state, middle, command.target).values()) {
      if (!usable(state, rate, now)) continue;
      seconds.push(rate);
      if (bestSecond === undefined || compareRates(rate.applied, bestSecond) > 0) {
        bestSecond = rate.applied;
      }
    }
    if (bestSecond === undefined) continue;
    const exponents = {
      source: exponentOf(command.source),
      middle: exponentOf(middle),
      target: exponentOf(command.target),
    };
    for (const first of firsts.values()) {
      if (!usable(state, first, now)) continue;
      const firstBar = skip ? barOf(best, direct) : undefined;
      if (cannotBeat(product(first.applied, bestSecond), exponents, firstBar)) continue;
      for (const second of seconds) {
        const bar = skip ? barOf(best, direct) : undefined;
        if (cannotBeat(product(first.applied, second.applied), exponents, bar)) continue;
        const amounts = routeWithFees(state, command, first, second, exponents);
        if (amounts === undefined || !funded(state, amounts, middle, command.target)) continue;
        const route = { ...amounts, middle };
        if (best !== undefined) best = betterRoute(best, route);
        else if (direct === undefined || betterThanDirect(route, direct)) best = route;
      }
    }
  }
  return best;
}

function hopOf(
  rate: PublishedRate,
  amounts: { sendAmount: bigint; creditAmount: bigint; fee: bigint },
): QuoteHop {
  return {
    providerId: rate.providerId,
    source: rate.source,
    target: rate.target,
    rate: formatRate(rate.applied),
    midRate: rate.published,
    spreadBps: rate.spreadBps,
    sendAmount: amounts.sendAmount,
    creditAmount: amounts.creditAmount,
    fee: amounts.fee,
  };
}

/**
 * What a routed quote shows: both hops, and for the whole route the rates multiplied (to 12
 * decimals, floored: the credited value is never overstated) and the combined spread.
 */
export function routedQuoteTerms(route: RouteOffer): {
  hops: QuoteHop[];
  rate: string;
  midRate: string;
  spreadBps: number;
} {
  const secondSend = route.middleAmount - route.second.fee;
  const hops = [
    hopOf(route.first, {
      sendAmount: route.sendAmount,
      creditAmount: route.middleAmount,
      fee: route.first.fee,
    }),
    hopOf(route.second, {
      sendAmount: secondSend,
      creditAmount: route.creditAmount,
      fee: route.second.fee,
    }),
  ];
  const mid1 = parseRate(route.first.published);
  const mid2 = parseRate(route.second.published);
  const midRate =
    mid1.ok && mid2.ok
      ? formatRate(
          {
            numerator: mid1.rate.numerator * mid2.rate.numerator,
            denominator: mid1.rate.denominator * mid2.rate.denominator,
          },
          RATE_DECIMALS_MAX,
        )
      : '0';
  const kept = BigInt(10_000 - route.first.spreadBps) * BigInt(10_000 - route.second.spreadBps);
  return {
    hops,
    rate: formatRate(routeRate(route), RATE_DECIMALS_MAX),
    midRate,
    spreadBps: 10_000 - Number(kept / 10_000n),
  };
}
