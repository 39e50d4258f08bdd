// Proves that every field of every sample, made empty, whitespace-only, an element instead of
// text, or over-long, gets an ISO answer over HTTP: never a 5xx, valid against its XSD, and no
// change to the network when the message is refused. A malformed MsgId gets admi.002.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMessage } from '../inbound.js';
import type { XmlElement } from '../xml-element.js';
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
  type FuzzSample,
} from './_fuzz-support.js';
import { isoServerPerSuite } from './_test-support.js';

const samples = fuzzSamples();

function sample(name: string): FuzzSample {
  return samples.find((each) => each.name.includes(name)) ?? assert.fail(`no sample ${name}`);
}

/** The text fields of a sample: its leaf elements. */
function textFields(root: XmlElement) {
  return elementsOf(root).filter(
    ({ path, element }) => path.length > 0 && element.children.length === 0,
  );
}

describe('ISO 20022 gateway: malformed fields', () => {
  const server = isoServerPerSuite();

  it('a MsgId of pacs.008, pacs.009 or pacs.004 empty, blank, holding an element or over-long gets admi.002 NONREF', async () => {
    const cases: FuzzCase[] = [];
    for (const name of ['pacs.008_Purpose', 'pacs.009', 'Step4_pacs.004']) {
      const { as, root } = sample(name);
      const messageId = textFields(root).find(({ element }) => element.name === 'MsgId');
      assert.ok(messageId !== undefined, name);
      for (const kind of MALFORMED_TEXTS) {
        const mutated = rewrite(withFreshIds(root), messageId.path, (element) => [
          withMalformedText(element, kind),
        ]);
        cases.push({ as, xml: serialize(mutated), label: `${name} MsgId ${kind}` });
      }
    }
    const outcomes = await sendAll(server, cases);
    for (const [index, { answer, refused }] of outcomes.entries()) {
      const label = cases[index]?.label;
      assert.ok(refused, `${label}: ${answer.text}`);
      assert.equal(answer.status, 400, `${label}: ${answer.text}`);
      const reply = parseMessage(answer.text);
      assert.ok(reply.ok && reply.message.kind === 'admi.002', answer.text);
      assert.equal(reply.message.document.relatedReference, 'NONREF', label);
    }
  });

  it('every text field of every sample, malformed four ways, gets a valid answer', async () => {
    const cases: FuzzCase[] = [];
    const seen = new Set<string>();
    for (const { name, as, root } of samples) {
      for (const { path, element } of textFields(root)) {
        // Samples of one message share most fields; each field is tried once per message.
        const key = `${element.namespace} ${namePath(root, path)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        for (const kind of MALFORMED_TEXTS) {
          const mutated = rewrite(withFreshIds(root), path, (each) => [
            withMalformedText(each, kind),
          ]);
          cases.push({ as, xml: serialize(mutated), label: `${name}: ${namePath(root, path)} ${kind}` });
        }
      }
    }
    assert.ok(seen.size > 150, `only ${seen.size} fields`);
    await sendAll(server, cases);
  });

  it('every Ccy attribute, empty, blank or unknown, gets a valid answer', async () => {
    const cases: FuzzCase[] = [];
    for (const { name, as, root } of samples) {
      for (const { path, element } of elementsOf(root)) {
        if (!element.attributes.some((attribute) => attribute.name === 'Ccy')) continue;
        for (const value of ['', ' \t', 'XXXX']) {
          const mutated = rewrite(withFreshIds(root), path, (each) => [
            {
              ...each,
              attributes: each.attributes.map((attribute) =>
                attribute.name === 'Ccy' ? { ...attribute, value } : attribute,
              ),
            },
          ]);
          const label = `${name}: ${namePath(root, path)}/@Ccy="${value}"`;
          cases.push({ as, xml: serialize(mutated), label });
        }
      }
    }
    await sendAll(server, cases);
  });
});
