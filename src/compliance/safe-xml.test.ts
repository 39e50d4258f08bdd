// Proves that list XML parsing refuses hostile input with typed errors and never expands it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { XML_NESTING_DEPTH_MAX } from './limits.js';
import type { ListErrorCode } from './model.js';
import { childText, findForbiddenMarkup, parseListXml, type XmlResult } from './safe-xml.js';
import { loadUnConsolidatedXml } from './un-list.js';

const OPTIONS = { rootElement: 'LIST', repeatedElements: new Set(['ITEM']) };

function expectRefused(result: XmlResult | { ok: boolean }, code: ListErrorCode): string {
  assert.equal(result.ok, false, `expected refusal with ${code}`);
  const error = result as { code: ListErrorCode; message: string };
  assert.equal(error.code, code, error.message);
  assert.match(error.message, /^[A-Z].*\.$/s, 'the message is a full sentence');
  return error.message;
}

function parsedText(xml: string, element: string): string | undefined {
  const result = parseListXml(xml, OPTIONS);
  if (!result.ok) assert.fail(`${result.code}: ${result.message}`);
  return childText(result.root, element);
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&lol9;</FIRST_NAME>
<REFERENCE_NUMBER>QDi.999</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>`;

const EXTERNAL_ENTITY = `<?xml version="1.0"?>
<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&secret;</FIRST_NAME>
<REFERENCE_NUMBER>QDi.999</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>`;

describe('parseListXml() against hostile input', () => {
  it('parseListXml() refuses a billion-laughs document without expanding any entity', () => {
    const message = expectRefused(loadUnConsolidatedXml(BILLION_LAUGHS),
      'xml_declaration_forbidden');
    assert.match(message, /line 2/);
  });

  it('parseListXml() refuses an external entity that would read a local file', () => {
    expectRefused(loadUnConsolidatedXml(EXTERNAL_ENTITY), 'xml_declaration_forbidden');
  });

  it('parseListXml() refuses a parameter entity or any other markup declaration', () => {
    expectRefused(parseListXml('<!DOCTYPE x [<!ENTITY % p SYSTEM "http://x/">%p;]><LIST/>',
      OPTIONS), 'xml_declaration_forbidden');
    expectRefused(parseListXml('<LIST><!ELEMENT x ANY></LIST>', OPTIONS),
      'xml_declaration_forbidden');
  });

  it('parseListXml() refuses a reference to an undeclared or HTML entity', () => {
    expectRefused(parseListXml('<LIST><NAME>&secret;</NAME></LIST>', OPTIONS),
      'xml_entity_reference_forbidden');
    expectRefused(parseListXml('<LIST><NAME>Ra&uacute;l</NAME></LIST>', OPTIONS),
      'xml_entity_reference_forbidden');
    expectRefused(parseListXml('<LIST><NAME>AT&T</NAME></LIST>', OPTIONS),
      'xml_entity_reference_forbidden');
  });

  it('parseListXml() refuses elements nested deeper than the bound', () => {
    const depth = XML_NESTING_DEPTH_MAX + 5;
    const xml = `<LIST>${'<A>'.repeat(depth)}x${'</A>'.repeat(depth)}</LIST>`;
    expectRefused(parseListXml(xml, OPTIONS), 'xml_too_deep');
  });

  it('parseListXml() refuses ten thousand nested elements without exhausting the stack', () => {
    const xml = `<LIST>${'<A>'.repeat(10_000)}${'</A>'.repeat(10_000)}</LIST>`;
    expectRefused(parseListXml(xml, OPTIONS), 'xml_too_deep');
  });

  it('parseListXml() accepts elements nested up to the bound', () => {
    const depth = XML_NESTING_DEPTH_MAX - 2;
    const xml = `<LIST>${'<A>'.repeat(depth)}x${'</A>'.repeat(depth)}</LIST>`;
    assert.equal(parseListXml(xml, OPTIONS).ok, true);
  });

  it('loadUnConsolidatedXml() refuses a file larger than the byte bound before parsing', () => {
    const xml = `<CONSOLIDATED_LIST>${' '.repeat(2_000)}</CONSOLIDATED_LIST>`;
    expectRefused(loadUnConsolidatedXml(new TextEncoder().encode(xml), { bytesMax: 1_024 }),
      'list_too_large');
    expectRefused(loadUnConsolidatedXml(xml, { bytesMax: 1_024 }), 'list_too_large');
  });

  it('parseListXml() refuses element names that would pollute object prototypes', () => {
    const result = parseListXml('<LIST><__proto__><polluted>yes</polluted></__proto__></LIST>',
      OPTIONS);
    expectRefused(result, 'xml_malformed');
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });
});

describe('parseListXml() on malformed and legitimate input', () => {
  it('parseListXml() reports the line of a tag that is never closed', () => {
    const message = expectRefused(parseListXml('<LIST>\n<NAME>x\n</LIST>', OPTIONS),
      'xml_malformed');
    assert.match(message, /line \d/);
  });

  it('parseListXml() refuses a document whose root is not the expected list', () => {
    expectRefused(parseListXml('<OTHER><NAME>x</NAME></OTHER>', OPTIONS), 'list_root_unexpected');
  });

  it('parseListXml() decodes the five predefined entities and character references', () => {
    assert.equal(parsedText('<LIST><NAME>D&apos;S &amp; &lt;Co&gt; &quot;X&quot;</NAME></LIST>',
      'NAME'), 'D\'S & <Co> "X"');
    assert.equal(parsedText('<LIST><NAME>Ra&#250;l &#x41;</NAME></LIST>', 'NAME'), 'Raúl A');
  });

  it('parseListXml() decodes once, so an escaped reference stays text', () => {
    assert.equal(parsedText('<LIST><NAME>&amp;#39;</NAME></LIST>', 'NAME'), '&#39;');
  });

  it('parseListXml() accepts declarations and ampersands inside comments and CDATA', () => {
    assert.equal(parsedText('<LIST><!-- <!DOCTYPE x> & --><NAME><![CDATA[AT&T <!x>]]></NAME>' +
      '</LIST>', 'NAME'), 'AT&T <!x>');
  });

  it('findForbiddenMarkup() stays linear when a text holds many ampersand references', () => {
    const xml = `<LIST>${'&amp;'.repeat(200_000)}</LIST>`;
    const started = performance.now();
    assert.equal(findForbiddenMarkup(xml), undefined);
    assert.ok(performance.now() - started < 5_000);
  });
});
