// The ISO 4217 table that Corridor settles in. Every currency of the reference FX data
// (data/fx_reference_rates.csv) plus USD and EUR; numeric codes and exponents are ISO's.

export interface Currency {
  readonly code: string;
  readonly numeric: number;
  /** Minor-unit exponent: 2 means 1.00 is 100 minor units. */
  readonly exponent: number;
  readonly name: string;
}

const CURRENCY_LIST: readonly Currency[] = [
  { code: 'AED', numeric: 784, exponent: 2, name: 'UAE Dirham' },
  { code: 'BRL', numeric: 986, exponent: 2, name: 'Brazilian Real' },
  { code: 'CNY', numeric: 156, exponent: 2, name: 'Yuan Renminbi' },
  { code: 'EGP', numeric: 818, exponent: 2, name: 'Egyptian Pound' },
  { code: 'ETB', numeric: 230, exponent: 2, name: 'Ethiopian Birr' },
  { code: 'EUR', numeric: 978, exponent: 2, name: 'Euro' },
  { code: 'IDR', numeric: 360, exponent: 2, name: 'Rupiah' },
  { code: 'INR', numeric: 356, exponent: 2, name: 'Indian Rupee' },
  // ISO lists 2 minor units for the rial even though it is not subdivided in practice.
  { code: 'IRR', numeric: 364, exponent: 2, name: 'Iranian Rial' },
  { code: 'RUB', numeric: 643, exponent: 2, name: 'Russian Ruble' },
  { code: 'SAR', numeric: 682, exponent: 2, name: 'Saudi Riyal' },
  { code: 'USD', numeric: 840, exponent: 2, name: 'US Dollar' },
  { code: 'ZAR', numeric: 710, exponent: 2, name: 'Rand' },
];

const CURRENCIES: ReadonlyMap<string, Currency> = new Map(
  CURRENCY_LIST.map((currency) => [currency.code, currency]),
);

export function listCurrencies(): readonly Currency[] {
  return CURRENCY_LIST;
}

/** Looks a currency up by its alphabetic code; codes are case-sensitive, as in ISO 4217. */
export function findCurrency(code: string): Currency | undefined {
  return CURRENCIES.get(code);
}

export function isCurrencyCode(code: string): boolean {
  return CURRENCIES.has(code);
}
