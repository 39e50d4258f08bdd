// Proves XSD validation accepts every genuine sample, reports typed violations, batches
// concurrent requests, and measures how long one ~3 KB message takes.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FIXTURE_NAMES, fixtureText, SAMPLES } from './_test-fixtures.js';
import { SCHEMA_DIRECTORY, SCHEMA_IDENTIFIERS } from './schema-registry.js';
import { closeSchemaValidator, validateMessage, validateXmlText } from './schema-validation.js';
import { readFileSync } from 'node:fs';

after(() => closeSchemaValidator());

describe('XSD validation of the samples', () => {
  for (const name of FIXTURE_NAMES.filter((fixture) => fixture !== SAMPLES.fednowHeader)) {
    test(`accepts ${name}`, async () => {
      assert.deepEqual(await validateMessage(fixtureText(name)), { ok: true });
    });
  }

  test('accepts the standalone FedNow AppHdr against head.001.001.02', async () => {
    assert.deepEqual(
      await validateXmlText(fixtureText(SAMPLES.fednowHeader), 'head.001.001.02', 'header'),
      { ok: true },
    );
  });

  test('ships the XSDs byte-exact, with the CRLF line ends ISO publishes', () => {
    for (const identifier of SCHEMA_IDENTIFIERS) {
      const text = readFileSync(new URL(`${identifier}.xsd`, SCHEMA_DIRECTORY), 'utf8');
      assert.match(text, /\r\n/, identifier);
      assert.match(
        text,
        new RegExp(`targetNamespace="urn:iso:std:iso:20022:tech:xsd:${identifier.replaceAll('.', '\\.')}"`),
      );
    }
  });
});

describe('XSD violations', () => {
  test('lists each violation with its line and element', async () => {
    const broken = fixtureText(SAMPLES.fedwireCrossCurrency)
      .replace('<IntrBkSttlmAmt Ccy="USD">', '<IntrBkSttlmAmt Ccy="US">')
      .replace('<ChrgBr>CRED</ChrgBr>', '<ChrgBr>XXXX</ChrgBr>');
    const result = await validateMessage(broken);
    assert.ok(!result.ok && result.code === 'schema_invalid');
    assert.deepEqual(
      result.violations.map((violation) => [violation.line, violation.element, violation.part]),
      [[28, 'IntrBkSttlmAmt', 'document'], [32, 'ChrgBr', 'document']],
    );
    assert.match(result.violations[0]?.message ?? '', /pattern '\[A-Z\]\{3,3\}'/);
  });

  test('rejects a sample against another version of its schema', async () => {
    const result = await validateXmlText(fixtureText(SAMPLES.fednowPurpose), 'pacs.008.001.13');
    assert.ok(!result.ok && result.code === 'schema_invalid');
  });

  test('keeps verdicts apart when concurrent requests share one xmllint run', async () => {
    const good = fixtureText(SAMPLES.fednowPurpose);
    const bad = good.replace('<ChrgBr>SLEV</ChrgBr>', '<ChrgBr>NONE</ChrgBr>');
    const texts = Array.from({ length: 40 }, (_, index) => (index % 3 === 0 ? bad : good));
    const results = await Promise.all(texts.map((text) => validateXmlText(
      text,
      'pacs.008.001.08',
    )));
    assert.deepEqual(results.map((result) => result.ok), texts.map((text) => text === good));
  });

  test('answers typed failures for unreadable input and unknown schemas', async () => {
    const unreadable = await validateMessage('<!DOCTYPE x><x/>');
    assert.ok(!unreadable.ok && unreadable.code === 'message_unreadable');
    const unknown = await validateXmlText('<x/>', 'pacs.999.001.01');
    assert.ok(!unknown.ok && unknown.code === 'schema_unavailable');
  });
});

describe('XSD validation timing', () => {
  test('measures validating a ~3 KB pacs.008, alone and batched', async (context) => {
    const text = fixtureText(SAMPLES.fedwireCrossCurrency);
    await validateXmlText(text, 'pacs.008.001.08');
    const durations: number[] = [];
    for (let run = 0; run < 21; run += 1) {
      const runStarted = performance.now();
      await validateXmlText(text, 'pacs.008.001.08');
      durations.push(performance.now() - runStarted);
    }
    const sequential = durations.sort((a, b) => a - b)[10] ?? Number.NaN;
    const concurrentRuns = 200;
    const started = performance.now();
    const texts = Array.from({ length: concurrentRuns }, () => text);
    await Promise.all(texts.map((each) => validateXmlText(each, 'pacs.008.001.08')));
    const batched = (performance.now() - started) / concurrentRuns;
    const alone = `${sequential.toFixed(1)} ms alone (median)`;
    context.diagnostic(`${text.length} bytes: ${alone}, ${batched.toFixed(2)} ms each batched`);
    // Generous bound: the point is to catch a regression to a worker per call (~170 ms).
    assert.ok(sequential < 150, `validation took ${sequential} ms (median)`);
  });
});
