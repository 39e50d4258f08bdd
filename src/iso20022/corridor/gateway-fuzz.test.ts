// Proves, with fast-check and a fixed seed, that random mutations of every sample message sent
// over HTTP get an ISO answer: never a 5xx, valid against its XSD, and no change to the network
// when the message is refused. Every input that once found a bug is replayed from the corpus.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createElement, type XmlElement } from '../xml-element.js';
import {
  elementsOf,
  fuzzSamples,
  MALFORMED_TEXTS,
  namePath,
  rewrite,
  sendAll,
  serialize,
  withFreshIds,
  withMalformedText,
  type FuzzCase,
} from './_fuzz-support.js';
import { isoServerPerSuite } from './_test-support.js';

const CORPUS_DIRECTORY = new URL('../fuzz-corpus/', import.meta.url);
/** Fixed, so that a failure is reproduced by running the test again. */
const SEED = 20_261_121;
const RUNS = 192;

/** A corpus file names its sender in its first line: `<!-- as: br-bank; … -->`. */
function corpusCases(): FuzzCase[] {
  return readdirSync(CORPUS_DIRECTORY)
    .filter((name) => name.endsWith('.xml'))
    .sort()
    .map((name) => {
      const xml = readFileSync(new URL(name, CORPUS_DIRECTORY), 'utf8');
      const as = /^<!--\s*as:\s*([a-z0-9-]+)/.exec(xml)?.[1];
      assert.ok(as !== undefined, `${name} does not name its sender`);
      return { as, xml, label: `corpus ${name}` };
    });
}

const samples = fuzzSamples();

type Edit =
  | { readonly kind: 'text'; readonly target: number; readonly text: string }
  | { readonly kind: 'malformed'; readonly target: number; readonly how: (typeof MALFORMED_TEXTS)[number] }
  | { readonly kind: 'remove' | 'duplicate' | 'empty-children'; readonly target: number }
  | { readonly kind: 'insert'; readonly target: number; readonly name: string }
  | { readonly kind: 'attribute'; readonly target: number; readonly value: string };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constant('text' as const),
    target: fc.nat(),
    text: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('0', '-1', '1e3', 'ÿ', '  x  ')),
  }),
  fc.record({
    kind: fc.constant('malformed' as const),
    target: fc.nat(),
    how: fc.constantFrom(...MALFORMED_TEXTS),
  }),
  fc.record({
    kind: fc.constantFrom('remove' as const, 'duplicate' as const, 'empty-children' as const),
    target: fc.nat(),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    target: fc.nat(),
    name: fc.constantFrom('MsgId', 'Id', 'Nm', 'Amt', 'x', 'Document'),
  }),
  fc.record({
    kind: fc.constant('attribute' as const),
    target: fc.nat(),
    value: fc.constantFrom('', ' ', 'BRL', 'USD', 'XXXX', 'brl'),
  }),
);

function apply(root: XmlElement, change: Edit): XmlElement {
  const elements = elementsOf(root);
  const chosen = elements[change.target % elements.length];
  if (chosen === undefined) return root;
  return rewrite(root, chosen.path, (element) => {
    switch (change.kind) {
      case 'text':
        return [{ ...element, text: change.text }];
      case 'malformed':
        return [withMalformedText(element, change.how)];
      case 'remove':
        return [];
      case 'duplicate':
        return [element, element];
      case 'empty-children':
        return [{ ...element, children: [] }];
      case 'insert':
        return [
          {
            ...element,
            children: [...element.children, createElement(element.namespace, change.name)],
          },
        ];
      case 'attribute':
        return [{ ...element, attributes: [{ namespace: '', name: 'Ccy', value: change.value }] }];
    }
  });
}

function describeEdit(root: XmlElement, change: Edit): string {
  const elements = elementsOf(root);
  const chosen = elements[change.target % elements.length];
  return `${change.kind} at ${chosen === undefined ? '?' : namePath(root, chosen.path)}`;
}

const mutation = fc.record({
  sample: fc.nat({ max: samples.length - 1 }),
  edits: fc.array(edit, { minLength: 1, maxLength: 3 }),
});

/** The mutated samples fast-check draws with this seed. */
export function buildCases(seed: number, runs: number): FuzzCase[] {
  return fc.sample(mutation, { seed, numRuns: runs }).map(({ sample: index, edits }) => {
    const sample = samples[index] ?? assert.fail('no sample');
    let root = withFreshIds(sample.root);
    for (const change of edits) root = apply(root, change);
    const changes = edits.map((change) => describeEdit(sample.root, change)).join(', ');
    return { as: sample.as, xml: serialize(root), label: `${sample.name}: ${changes}` };
  });
}

describe('ISO 20022 gateway: fuzzing with mutated samples', () => {
  const server = isoServerPerSuite();

  it('replays every input of the corpus that once found a bug', async () => {
    const cases = corpusCases();
    assert.ok(cases.length > 0, 'the corpus is empty');
    await sendAll(server, cases);
  });

  it(`answers ${RUNS} random mutations of the samples (seed ${SEED})`, async () => {
    const cases = buildCases(SEED, RUNS);
    await sendAll(server, cases);
  });
});
