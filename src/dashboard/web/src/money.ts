// Money on screen, exactly: amounts arrive as decimal strings ("1234567.89") and are laid out
// per locale by splitting the string and grouping its digits. Intl is asked only how a locale
// writes numbers (separators, grouping sizes, digits, where the currency code goes), by
// formatting fixed sample numbers; an amount itself never becomes a float. Minor-unit
// arithmetic (a fee added to an amount, a cost ratio) is done on BigInt.

export interface NumberStyle {
  readonly decimal: string;
  readonly group: string;
  /** Size of the rightmost digit group, and of the others (3 and 2 in en-IN: 12,34,567). */
  readonly primary: number;
  readonly secondary: number;
  /** Whole parts with fewer digits than this are not grouped (es: 1234 but 12.345). */
  readonly minimumGrouped: number;
  /** The locale's digits 0–9. */
  readonly digits: readonly string[];
  readonly minus: string;
  readonly codeBefore: boolean;
  readonly codeSpace: string;
}

const BIDI_MARKS = /[\u200e\u200f\u061c]/g;
const styles = new Map<string, NumberStyle>();

function partsOf(format: Intl.NumberFormat, sample: number): Intl.NumberFormatPart[] {
  return format
    .formatToParts(sample)
    .map((part) => ({ ...part, value: part.value.replace(BIDI_MARKS, '') }));
}

function groupingOf(
  locale: string,
): Pick<NumberStyle, 'group' | 'decimal' | 'primary' | 'secondary'> {
  const parts = partsOf(new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }), 123456789.5);
  const integers = parts.filter((part) => part.type === 'integer').map((part) => part.value.length);
  const primary = integers.length > 1 ? (integers[integers.length - 1] ?? 3) : 3;
  const secondary = integers.length > 2 ? (integers[integers.length - 2] ?? primary) : primary;
  return {
    group: parts.find((part) => part.type === 'group')?.value ?? ',',
    decimal: parts.find((part) => part.type === 'decimal')?.value ?? '.',
    primary,
    secondary,
  };
}

function codePlacement(locale: string): Pick<NumberStyle, 'codeBefore' | 'codeSpace'> {
  const parts = partsOf(
    new Intl.NumberFormat(locale, { style: 'currency', currency: 'XTS', currencyDisplay: 'code' }),
    1,
  );
  const code = parts.findIndex((part) => part.type === 'currency');
  const number = parts.findIndex((part) => part.type === 'integer');
  const between = parts
    .slice(Math.min(code, number) + 1, Math.max(code, number))
    .filter((part) => part.type === 'literal')
    .map((part) => part.value)
    .join('');
  return { codeBefore: code >= 0 && code < number, codeSpace: between === '' ? '' : '\u00a0' };
}

/** How a locale writes numbers, learnt once from Intl on fixed samples. */
export function numberStyle(locale: string): NumberStyle {
  const cached = styles.get(locale);
  if (cached !== undefined) return cached;
  const plain = new Intl.NumberFormat(locale, { useGrouping: false });
  const digits = Array.from({ length: 10 }, (_, digit) =>
    plain.format(digit).replace(BIDI_MARKS, ''),
  );
  const small = partsOf(new Intl.NumberFormat(locale), 1234);
  const minus = partsOf(new Intl.NumberFormat(locale), -1).find(
    (part) => part.type === 'minusSign',
  );
  const style: NumberStyle = {
    ...groupingOf(locale),
    ...codePlacement(locale),
    digits,
    minimumGrouped: small.some((part) => part.type === 'group') ? 4 : 5,
    minus: minus?.value ?? '-',
  };
  styles.set(locale, style);
  return style;
}

const DECIMAL = /^(-)?([0-9]+)(?:\.([0-9]+))?$/;

function groupDigits(whole: string, style: NumberStyle): string {
  if (whole.length < style.minimumGrouped) return whole;
  const groups: string[] = [];
  let end = whole.length;
  let size = style.primary;
  while (end > size) {
    groups.unshift(whole.slice(end - size, end));
    end -= size;
    size = style.secondary;
  }
  groups.unshift(whole.slice(0, end));
  return groups.join(style.group);
}

/** An exact decimal string, grouped and localised: "-1234567.80" → "-1,234,567.80" (en-US). */
export function formatDecimal(text: string, locale: string): string {
  const match = DECIMAL.exec(text);
  if (match === null) return text;
  const style = numberStyle(locale);
  const [, sign, whole = '0', fraction] = match;
  const local = (digits: string): string =>
    digits.replace(/[0-9]/g, (d) => style.digits[Number(d)] ?? d);
  const grouped = local(groupDigits(whole, style));
  const body = fraction === undefined ? grouped : `${grouped}${style.decimal}${local(fraction)}`;
  return sign === undefined ? body : `${style.minus}${body}`;
}

/** An amount with its ISO 4217 code where the locale puts it: "BRL 1,234.56", "1.234,56 BRL". */
export function formatMoney(amount: string, currency: string, locale: string): string {
  const style = numberStyle(locale);
  const negative = amount.startsWith('-');
  const number = formatDecimal(negative ? amount.slice(1) : amount, locale);
  const sign = negative ? style.minus : '';
  return style.codeBefore
    ? `${sign}${currency}${style.codeSpace}${number}`
    : `${sign}${number}${style.codeSpace}${currency}`;
}

/** Digits after the point in a decimal string ("1000.00" → 2). */
export function decimalsOf(text: string): number {
  const point = text.indexOf('.');
  return point < 0 ? 0 : text.length - point - 1;
}

/** "12.5" with 2 decimals → 1250n; undefined when the text is not a plain decimal that fits. */
export function toMinor(text: string, decimals: number): bigint | undefined {
  const match = DECIMAL.exec(text);
  if (match === null) return undefined;
  const [, sign, whole = '0', fraction = ''] = match;
  if (fraction.length > decimals) return undefined;
  const value = BigInt(whole + fraction.padEnd(decimals, '0'));
  return sign === undefined ? value : -value;
}

/** 1250n with 2 decimals → "12.50". */
export function fromMinor(value: bigint, decimals: number): string {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimals + 1, '0');
  const whole =
    decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return negative ? `-${whole}` : whole;
}

/** part / whole as a percentage with `places` decimals, exactly (rounded half up): "0.0125". */
export function percentOf(part: bigint, whole: bigint, places = 2): string | undefined {
  if (whole === 0n) return undefined;
  const scale = 10n ** BigInt(places);
  const scaled = (part * 100n * scale * 2n + whole) / (whole * 2n);
  return fromMinor(scaled, places);
}

/**
 * A decimal string as a float, for chart geometry only (the position of a point on an axis):
 * what the page shows as text always comes from the exact string.
 */
export function plotValue(text: string | null | undefined): number | null {
  if (text === null || text === undefined || text === '') return null;
  return Number(text);
}

/** Orders two exact decimal strings of the same currency (same number of decimals). */
export function compareAmounts(a: string, b: string): number {
  const left = toMinor(a, Math.max(decimalsOf(a), decimalsOf(b)));
  const right = toMinor(b, Math.max(decimalsOf(a), decimalsOf(b)));
  if (left === undefined || right === undefined) return 0;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Whole parts with more digits than this are abbreviated where space is short (cards). */
export const COMPACT_WHOLE_DIGITS = 9;

/**
 * An amount abbreviated in the locale's compact notation ("IRR 37.8T", "INR 3.78LCr",
 * "92,2 mil BRL"), or undefined when it is short enough to show in full. Intl is given the exact
 * decimal string (never a float), so even a value beyond 2^53 rounds from its true digits. The
 * caller shows the exact amount beside it (title, screen readers).
 */
export function formatMoneyCompact(
  amount: string,
  currency: string,
  locale: string,
  wholeDigits = COMPACT_WHOLE_DIGITS,
): string | undefined {
  const match = DECIMAL.exec(amount);
  if (match === null) return undefined;
  const [, sign, whole = '0'] = match;
  if (whole.replace(/^0+/, '').length <= wholeDigits) return undefined;
  const style = numberStyle(locale);
  const text = `${whole}${match[3] === undefined ? '' : `.${match[3]}`}` as `${number}`;
  const number = new Intl.NumberFormat(locale, {
    notation: 'compact',
    compactDisplay: 'short',
    maximumSignificantDigits: 3,
  })
    .format(text)
    .replace(BIDI_MARKS, '');
  const minus = sign === undefined ? '' : style.minus;
  return style.codeBefore
    ? `${minus}${currency}${style.codeSpace}${number}`
    : `${minus}${number}${style.codeSpace}${currency}`;
}
