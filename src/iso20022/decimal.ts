// Exact decimal arithmetic on ISO decimal strings (control sums), without floats.
import { formatMinorUnits } from '../money/index.js';
import type { CurrencyAmount, CurrencyLookup } from './model.js';
import { DEFAULT_CURRENCY_LOOKUP } from './parse-context.js';

const DECIMAL = /^([0-9]+)(?:\.([0-9]+))?$/;

interface Scaled {
  readonly units: bigint;
  readonly scale: number;
}

function toScaled(text: string): Scaled | undefined {
  const match = DECIMAL.exec(text);
  if (match === null) return undefined;
  const fraction = match[2] ?? '';
  return { units: BigInt(`${match[1] ?? '0'}${fraction}`), scale: fraction.length };
}

function rescale(value: Scaled, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

/** Compares two non-negative decimal strings exactly; undefined if either is not a decimal. */
export function decimalsEqual(left: string, right: string): boolean | undefined {
  const a = toScaled(left);
  const b = toScaled(right);
  if (a === undefined || b === undefined) return undefined;
  const scale = Math.max(a.scale, b.scale);
  return rescale(a, scale) === rescale(b, scale);
}

/** Sums non-negative decimal strings exactly; undefined if any is not a decimal. */
export function sumDecimals(values: readonly string[]): string | undefined {
  const scaled: Scaled[] = [];
  for (const value of values) {
    const parsed = toScaled(value);
    if (parsed === undefined) return undefined;
    scaled.push(parsed);
  }
  const scale = scaled.reduce((widest, value) => Math.max(widest, value.scale), 0);
  const total = scaled.reduce((sum, value) => sum + rescale(value, scale), 0n);
  return formatMinorUnits(total, scale);
}

/**
 * The ISO control sum of some amounts: the plain sum of their decimal values, whatever their
 * currencies (that is how ISO defines CtrlSum). Undefined if a currency is unknown.
 */
export function controlSumOf(
  amounts: readonly CurrencyAmount[],
  currencies: CurrencyLookup = DEFAULT_CURRENCY_LOOKUP,
): string | undefined {
  const texts: string[] = [];
  for (const amount of amounts) {
    const currency = currencies(amount.currency);
    if (currency === undefined || amount.value < 0n) return undefined;
    texts.push(formatMinorUnits(amount.value, currency.exponent));
  }
  return sumDecimals(texts);
}
