// Proves amount text and bigint minor units convert exactly, and each bad input gets its code.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  AMOUNT_MAX, formatAmount, formatMinorUnits, parseAmount, parseMinorUnits,
  type AmountErrorCode, type AmountResult,
} from './amount.js';

function value(result: AmountResult): bigint {
  if (!result.ok) assert.fail(`expected a value, got ${result.code}: ${result.message}`);
  return result.value;
}

function code(result: AmountResult): AmountErrorCode {
  if (result.ok) assert.fail(`expected an error, got the value ${result.value}`);
  assert.equal(typeof result.message, 'string');
  assert.ok(result.message.length > 0);
  return result.code;
}

describe('parseAmount and formatAmount', () => {
  it('parseAmount reads "1234.56" BRL as 123456n minor units', () => {
    assert.equal(value(parseAmount('1234.56', 'BRL')), 123456n);
  });

  it('formatAmount writes 123456n BRL as "1234.56"', () => {
    assert.equal(formatAmount(123456n, 'BRL'), '1234.56');
  });

  it('parseAmount pads missing decimals: "12" and "12.5" at exponent 2', () => {
    assert.equal(value(parseAmount('12', 'INR')), 1200n);
    assert.equal(value(parseAmount('12.5', 'INR')), 1250n);
    assert.equal(value(parseAmount('0', 'INR')), 0n);
    assert.equal(value(parseAmount('0.01', 'INR')), 1n);
  });

  it('formatAmount pads small values with leading zeros', () => {
    assert.equal(formatAmount(0n, 'USD'), '0.00');
    assert.equal(formatAmount(5n, 'USD'), '0.05');
    assert.equal(formatAmount(-5n, 'USD'), '-0.05');
    assert.equal(formatAmount(-123456n, 'USD'), '-1234.56');
  });

  it('formatAmount throws for an unknown currency (a programmer error)', () => {
    assert.throws(() => formatAmount(1n, 'XXX'), /unknown currency/);
  });
});

describe('parseMinorUnits and formatMinorUnits at other exponents', () => {
  it('round trips at exponent 0: "1234" is 1234n', () => {
    assert.equal(value(parseMinorUnits('1234', 0)), 1234n);
    assert.equal(formatMinorUnits(1234n, 0), '1234');
    assert.equal(formatMinorUnits(0n, 0), '0');
    assert.equal(formatMinorUnits(-7n, 0), '-7');
  });

  it('refuses any decimal at exponent 0', () => {
    assert.equal(code(parseMinorUnits('1.0', 0)), 'amount_too_many_decimals');
  });

  it('round trips at exponent 3: "1.234" is 1234n and "0.001" is 1n', () => {
    assert.equal(value(parseMinorUnits('1.234', 3)), 1234n);
    assert.equal(value(parseMinorUnits('0.001', 3)), 1n);
    assert.equal(value(parseMinorUnits('2.5', 3)), 2500n);
    assert.equal(formatMinorUnits(1234n, 3), '1.234');
    assert.equal(formatMinorUnits(1n, 3), '0.001');
    assert.equal(formatMinorUnits(2500n, 3), '2.500');
  });

  it('accepts trailing zeros within the exponent ("1.50" at exponent 2)', () => {
    assert.equal(value(parseMinorUnits('1.50', 2)), 150n);
    assert.equal(value(parseMinorUnits('0.00', 2)), 0n);
  });
});

describe('parse error codes', () => {
  it('returns amount_empty for the empty string', () => {
    assert.equal(code(parseAmount('', 'BRL')), 'amount_empty');
  });

  const whitespace: readonly [string, string][] = [
    ['a leading space', ' 1.00'],
    ['a trailing space', '1.00 '],
    ['an inner space', '1 000.00'],
    ['a tab', '1.00\t'],
    ['a non-breaking space U+00A0', '1\u00a0000'],
    ['a newline', '1.00\n'],
    ['only spaces', '   '],
  ];
  for (const [name, text] of whitespace) {
    it(`returns amount_whitespace when the text holds ${name}`, () => {
      assert.equal(code(parseAmount(text, 'BRL')), 'amount_whitespace');
    });
  }

  it('returns amount_sign_not_allowed for "+1" even with allowNegative', () => {
    assert.equal(code(parseAmount('+1', 'BRL')), 'amount_sign_not_allowed');
    assert.equal(code(parseAmount('+1', 'BRL', { allowNegative: true })),
      'amount_sign_not_allowed');
  });

  it('returns amount_sign_not_allowed for "-1" without allowNegative', () => {
    assert.equal(code(parseAmount('-1', 'BRL')), 'amount_sign_not_allowed');
    assert.equal(code(parseAmount('-1', 'BRL', { allowNegative: false })),
      'amount_sign_not_allowed');
  });

  it('accepts "-1.00" as -100n when allowNegative is set', () => {
    assert.equal(value(parseAmount('-1.00', 'BRL', { allowNegative: true })), -100n);
    assert.equal(value(parseAmount('-0.01', 'BRL', { allowNegative: true })), -1n);
  });

  it('returns amount_malformed for a bare or doubled sign with allowNegative', () => {
    assert.equal(code(parseAmount('-', 'BRL', { allowNegative: true })), 'amount_malformed');
    assert.equal(code(parseAmount('--1', 'BRL', { allowNegative: true })), 'amount_malformed');
  });

  for (const text of ['1e5', '1E-2', '1.5e2', '-1e5']) {
    it(`returns amount_exponent_notation for "${text}"`, () => {
      assert.equal(code(parseAmount(text, 'BRL')), 'amount_exponent_notation');
    });
  }

  const malformed: readonly [string, string][] = [
    ['a trailing dot', '1.'],
    ['a leading dot', '.5'],
    ['leading zeros', '007'],
    ['a leading zero before a fraction', '00.5'],
    ['a thousands separator', '1,000.00'],
    ['a comma as decimal separator', '1,5'],
    ['Arabic-Indic digits', '١٢٣'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['hexadecimal', '0x10'],
    ['two dots', '1.2.3'],
    ['letters', 'abc'],
    ['an underscore separator', '1_000'],
  ];
  for (const [name, text] of malformed) {
    it(`returns amount_malformed for ${name} ("${text}")`, () => {
      assert.equal(code(parseAmount(text, 'BRL')), 'amount_malformed');
    });
  }

  it('returns amount_too_many_decimals for "1.234" in a 2-decimal currency', () => {
    assert.equal(code(parseAmount('1.234', 'BRL')), 'amount_too_many_decimals');
    assert.equal(code(parseMinorUnits('1.2345', 3)), 'amount_too_many_decimals');
    assert.equal(code(parseMinorUnits('1.000', 2)), 'amount_too_many_decimals');
  });

  it('accepts 2^63-1 minor units ("92233720368547758.07" at exponent 2)', () => {
    assert.equal(value(parseAmount('92233720368547758.07', 'BRL')), AMOUNT_MAX);
    assert.equal(AMOUNT_MAX, 2n ** 63n - 1n);
    assert.equal(formatAmount(AMOUNT_MAX, 'BRL'), '92233720368547758.07');
    assert.equal(value(parseMinorUnits('9223372036854775807', 0)), AMOUNT_MAX);
  });

  it('returns amount_too_large for 2^63 minor units ("92233720368547758.08")', () => {
    assert.equal(code(parseAmount('92233720368547758.08', 'BRL')), 'amount_too_large');
    assert.equal(code(parseMinorUnits('9223372036854775808', 0)), 'amount_too_large');
  });

  it('returns amount_too_large for -(2^63) with allowNegative, and accepts -(2^63-1)', () => {
    const options = { allowNegative: true };
    assert.equal(code(parseAmount('-92233720368547758.08', 'BRL', options)), 'amount_too_large');
    assert.equal(value(parseAmount('-92233720368547758.07', 'BRL', options)), -AMOUNT_MAX);
  });

  it('returns amount_too_large for text longer than 64 characters', () => {
    assert.equal(code(parseAmount('1'.repeat(65), 'BRL')), 'amount_too_large');
  });

  it('returns currency_unknown for "XXX" and for lowercase "brl"', () => {
    assert.equal(code(parseAmount('1.00', 'XXX')), 'currency_unknown');
    assert.equal(code(parseAmount('1.00', 'brl')), 'currency_unknown');
    assert.equal(code(parseAmount('1.00', '')), 'currency_unknown');
  });

  it('returns currency_unknown before looking at a malformed amount', () => {
    assert.equal(code(parseAmount('abc', 'XXX')), 'currency_unknown');
  });
});

describe('parse and format properties', () => {
  it('parseMinorUnits(formatMinorUnits(x, e), e) === x for every |x| <= 2^63-1, e in 0..4', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -AMOUNT_MAX, max: AMOUNT_MAX }),
        fc.integer({ min: 0, max: 4 }),
        (x, exponent) => {
          const text = formatMinorUnits(x, exponent);
          assert.equal(value(parseMinorUnits(text, exponent, { allowNegative: true })), x);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('formatMinorUnits(parseMinorUnits(t)) gives back t for canonical text with all decimals', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n }),
        fc.bigInt({ min: 0n, max: 99n }),
        (whole, cents) => {
          const text = `${whole}.${cents.toString().padStart(2, '0')}`;
          assert.equal(formatMinorUnits(value(parseMinorUnits(text, 2)), 2), text);
        },
      ),
    );
  });
});
