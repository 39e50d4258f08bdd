// Exact FX arithmetic. A rate is a rational of bigints, parsed from a decimal string, so no
// float ever touches money. Every conversion names its rounding; Corridor always rounds in
// favour of the liquidity provider, so rounding can never create money.

export interface Rate {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

/** Decimals a published rate may carry, and digits in all: bounds the arithmetic. */
export const RATE_DECIMALS_MAX = 12;
const RATE_DIGITS_MAX = 24;
/** Quotes show and use the applied rate rounded down to this many decimals. */
export const APPLIED_RATE_DECIMALS = 10;

export type RateErrorCode = 'rate_malformed' | 'rate_must_be_positive' | 'rate_too_precise';

export type RateResult =
  | { readonly ok: true; readonly rate: Rate }
  | { readonly ok: false; readonly code: RateErrorCode; readonly message: string };

const RATE_TEXT = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

export function parseRate(text: string): RateResult {
  const match = RATE_TEXT.exec(text);
  if (match === null || text.length > RATE_DIGITS_MAX + 1) {
    return { ok: false, code: 'rate_malformed', message: `"${text.slice(0, 32)}" is not a plain decimal rate.` };
  }
  const fraction = match[2] ?? '';
  if (fraction.length > RATE_DECIMALS_MAX) {
    return { ok: false, code: 'rate_too_precise', message: `A rate may have at most ${RATE_DECIMALS_MAX} decimals.` };
  }
  const numerator = BigInt((match[1] ?? '0') + fraction);
  if (numerator === 0n) {
    return { ok: false, code: 'rate_must_be_positive', message: 'A rate must be greater than zero.' };
  }
  return { ok: true, rate: { numerator, denominator: 10n ** BigInt(fraction.length) } };
}

export function formatRate(rate: Rate, decimals = APPLIED_RATE_DECIMALS): string {
  const scaled = (rate.numerator * 10n ** BigInt(decimals)) / rate.denominator;
  const digits = scaled.toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return fraction.length > 0 ? `${whole}.${fraction}` : whole;
}

/** Rounds a rate down to `decimals` decimals: the rate a quote shows is the rate it uses. */
export function floorRate(rate: Rate, decimals = APPLIED_RATE_DECIMALS): Rate {
  const denominator = 10n ** BigInt(decimals);
  return { numerator: (rate.numerator * denominator) / rate.denominator, denominator };
}

export function multiplyRate(rate: Rate, numerator: bigint, denominator: bigint): Rate {
  return { numerator: rate.numerator * numerator, denominator: rate.denominator * denominator };
}

export function invertRate(rate: Rate): Rate {
  return { numerator: rate.denominator, denominator: rate.numerator };
}

export function compareRates(left: Rate, right: Rate): number {
  const a = left.numerator * right.denominator;
  const b = right.numerator * left.denominator;
  return a < b ? -1 : a > b ? 1 : 0;
}

function divide(numerator: bigint, denominator: bigint, rounding: 'floor' | 'ceil'): bigint {
  const quotient = numerator / denominator;
  if (rounding === 'floor' || numerator % denominator === 0n) return quotient;
  return quotient + 1n;
}

function scale(sourceExponent: number, targetExponent: number): [bigint, bigint] {
  const difference = targetExponent - sourceExponent;
  return difference >= 0 ? [10n ** BigInt(difference), 1n] : [1n, 10n ** BigInt(-difference)];
}

/** Target minor units for `amount` source minor units at `rate` (target units per source unit). */
export function convert(
  amount: bigint,
  rate: Rate,
  exponents: { readonly source: number; readonly target: number },
  rounding: 'floor' | 'ceil',
): bigint {
  const [up, down] = scale(exponents.source, exponents.target);
  return divide(amount * rate.numerator * up, rate.denominator * down, rounding);
}

/** Source minor units needed to deliver `amount` target minor units at `rate`. */
export function convertBack(
  amount: bigint,
  rate: Rate,
  exponents: { readonly source: number; readonly target: number },
  rounding: 'floor' | 'ceil',
): bigint {
  const [up, down] = scale(exponents.source, exponents.target);
  return divide(amount * rate.denominator * down, rate.numerator * up, rounding);
}
