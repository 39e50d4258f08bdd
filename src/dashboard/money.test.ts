// Proves the dashboard writes money exactly: amounts are grouped and localised from their
// decimal strings (en-IN lakh grouping, comma decimals, non-Latin digits, no grouping of four
// digits where the locale says so), past float precision, and fee arithmetic and cost ratios
// are exact on minor units.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compareAmounts,
  decimalsOf,
  formatDecimal,
  formatMoney,
  formatMoneyCompact,
  fromMinor,
  percentOf,
  toMinor,
} from './web/src/money.js';

const NBSP = '\u00a0';

describe('dashboard money formatting', () => {
  it('groups digits per locale, from the string', () => {
    assert.equal(formatDecimal('1234567.89', 'en-US'), '1,234,567.89');
    assert.equal(formatDecimal('1234567.89', 'en-IN'), '12,34,567.89');
    assert.equal(formatDecimal('1234567.89', 'de-DE'), '1.234.567,89');
    assert.equal(formatDecimal('1234567.89', 'pt-BR'), '1.234.567,89');
    assert.equal(formatDecimal('1234.5', 'es-ES'), '1234,5');
    assert.equal(formatDecimal('12345.5', 'es-ES'), '12.345,5');
    assert.equal(formatDecimal('1234.50', 'ar-EG'), '١٬٢٣٤٫٥٠');
    assert.equal(formatDecimal('0.00', 'en-US'), '0.00');
    assert.equal(formatDecimal('999', 'en-US'), '999');
  });

  it('keeps every digit beyond what a float can hold', () => {
    // 2^63 − 1 minor units: a float would print 92233720368547760.00.
    assert.equal(formatDecimal('92233720368547758.07', 'en-US'), '92,233,720,368,547,758.07');
    assert.equal(
      formatMoney('-92233720368547758.07', 'BRL', 'en-US'),
      `-BRL${NBSP}92,233,720,368,547,758.07`,
    );
  });

  it('puts the currency code where the locale does', () => {
    assert.equal(formatMoney('1500.00', 'BRL', 'en-US'), `BRL${NBSP}1,500.00`);
    assert.equal(formatMoney('1500.00', 'BRL', 'de-DE'), `1.500,00${NBSP}BRL`);
    assert.equal(formatMoney('-1500.00', 'INR', 'ru-RU').replace(/\s/g, ' '), '-1 500,00 INR');
  });

  it('does exact arithmetic on minor units', () => {
    assert.equal(toMinor('12.5', 2), 1250n);
    assert.equal(toMinor('12.505', 2), undefined);
    assert.equal(toMinor('1e3', 2), undefined);
    assert.equal(
      fromMinor((toMinor('25000.00', 2) ?? 0n) + (toMinor('5.00', 2) ?? 0n), 2),
      '25005.00',
    );
    assert.equal(fromMinor(-5n, 2), '-0.05');
    assert.equal(fromMinor(7n, 0), '7');
    assert.equal(decimalsOf('10.000'), 3);
    assert.equal(percentOf(5n, 2_500_000n, 4), '0.0002');
    assert.equal(percentOf(1n, 3n, 2), '33.33');
    assert.equal(percentOf(2n, 3n, 2), '66.67');
    assert.equal(percentOf(1n, 0n), undefined);
    assert.equal(compareAmounts('100.00', '99.99'), 1);
    assert.equal(compareAmounts('-1.00', '0.00'), -1);
  });

  it('abbreviates wide amounts from the exact string, and leaves short ones whole', () => {
    assert.equal(formatMoneyCompact('37803682424978.00', 'IRR', 'en-US'), `IRR${NBSP}37.8T`);
    assert.equal(formatMoneyCompact('-37803682424978.00', 'IRR', 'en-US'), `-IRR${NBSP}37.8T`);
    assert.equal(formatMoneyCompact('1234567890.00', 'INR', 'en-IN'), `INR${NBSP}123Cr`);
    assert.match(formatMoneyCompact('37803682424978.00', 'BRL', 'pt-BR') ?? '', /^BRL\s37,8\stri$/);
    assert.equal(formatMoneyCompact('999999999.99', 'BRL', 'en-US'), undefined);
    assert.equal(formatMoneyCompact('000000123.00', 'BRL', 'en-US', 3), undefined);
    // As a float this is 99950000000000000, which would round up to 100,000T.
    assert.equal(formatMoneyCompact('99949999999999999.99', 'XTS', 'en-US'), `XTS${NBSP}99,900T`);
  });
});
