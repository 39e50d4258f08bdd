// Proves the safe XML reader resolves namespaces under any prefix and refuses hostile input.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readXml, type XmlReadResult } from './xml-reader.js';
import { MESSAGE_BYTES_MAX } from './limits.js';

function errorCode(result: XmlReadResult): string {
  assert.equal(result.ok, false, 'expected a refusal');
  return result.ok ? '' : result.error.code;
}

describe('readXml namespaces', () => {
  test('resolves the default namespace onto every element', () => {
    const result = readXml('<Document xmlns="urn:a"><Msg><Id>1</Id></Msg></Document>');
    assert.ok(result.ok);
    assert.equal(result.root.namespace, 'urn:a');
    assert.equal(result.root.children[0]?.children[0]?.namespace, 'urn:a');
    assert.equal(result.root.children[0]?.children[0]?.text, '1');
  });

  test('resolves any prefix to its URI and drops the prefix', () => {
    const result = readXml('<x:Document xmlns:x="urn:a"><x:Msg/></x:Document>');
    assert.ok(result.ok);
    assert.deepEqual(
      [result.root.name, result.root.namespace, result.root.children[0]?.name],
      ['Document', 'urn:a', 'Msg'],
    );
  });

  test('gives the same tree for a prefixed and a default-namespace document', () => {
    const prefixed = readXml('<p:Doc xmlns:p="urn:a"><p:A>t</p:A></p:Doc>');
    const plain = readXml('<Doc xmlns="urn:a"><A>t</A></Doc>');
    assert.ok(prefixed.ok && plain.ok);
    assert.deepEqual(prefixed.root, plain.root);
  });

  test('scopes a redeclared default namespace to its subtree', () => {
    const result = readXml('<E xmlns="urn:e"><D xmlns="urn:d"><M/></D><H/></E>');
    assert.ok(result.ok);
    assert.equal(result.root.children[0]?.children[0]?.namespace, 'urn:d');
    assert.equal(result.root.children[1]?.namespace, 'urn:e');
  });

  test('resolves prefixed attributes and keeps unqualified ones in no namespace', () => {
    const xml = '<A xmlns="urn:a" xmlns:xsi="urn:xsi" xsi:type="t" Ccy="USD"/>';
    const result = readXml(xml);
    assert.ok(result.ok);
    assert.deepEqual(result.root.attributes, [
      { namespace: 'urn:xsi', name: 'type', value: 't' },
      { namespace: '', name: 'Ccy', value: 'USD' },
    ]);
  });

  test('refuses an undeclared prefix', () => {
    assert.equal(errorCode(readXml('<a:Doc/>')), 'namespace_prefix_undeclared');
  });
});

describe('readXml text', () => {
  test('decodes the predefined entities and character references', () => {
    const result = readXml('<a b="&quot;x&quot;">1 &amp; 2 &lt; 3 &#65;&#x42;</a>');
    assert.ok(result.ok);
    assert.equal(result.root.text, '1 & 2 < 3 AB');
    assert.equal(result.root.attributes[0]?.value, '"x"');
  });

  test('keeps CDATA content verbatim', () => {
    const result = readXml('<a><![CDATA[<b>&amp;</b>]]></a>');
    assert.ok(result.ok);
    assert.equal(result.root.text, '<b>&amp;</b>');
  });

  test('drops indentation between child elements but keeps leaf text exactly', () => {
    const result = readXml('<a>\n  <b> x </b>\n</a>');
    assert.ok(result.ok);
    assert.equal(result.root.text, '');
    assert.equal(result.root.children[0]?.text, ' x ');
  });

  test('accepts bytes with a UTF-8 byte order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<a>é</a>')]);
    const result = readXml(bytes);
    assert.ok(result.ok);
    assert.equal(result.root.text, 'é');
  });
});

describe('readXml refusals', () => {
  test('refuses a billion-laughs entity bomb at its DOCTYPE', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
      '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>';
    assert.equal(errorCode(readXml(bomb)), 'doctype_forbidden');
  });

  test('refuses an external entity (XXE)', () => {
    const xxe = '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>';
    assert.equal(errorCode(readXml(xxe)), 'doctype_forbidden');
  });

  test('refuses a stray entity declaration', () => {
    assert.equal(errorCode(readXml('<a><!ENTITY x "y"></a>')), 'entity_declaration_forbidden');
  });

  test('refuses references to entities it does not define', () => {
    assert.equal(errorCode(readXml('<a>&lol;</a>')), 'entity_reference_unknown');
  });

  test('refuses nesting deeper than the bound', () => {
    const deep = '<a>'.repeat(49) + '</a>'.repeat(49);
    assert.equal(errorCode(readXml(deep)), 'nesting_too_deep');
    assert.ok(readXml('<a>'.repeat(48) + '</a>'.repeat(48)).ok);
  });

  test('refuses a message larger than the byte bound before parsing it', () => {
    const huge = `<a>${'x'.repeat(MESSAGE_BYTES_MAX)}</a>`;
    assert.equal(errorCode(readXml(huge)), 'input_too_large');
    assert.equal(errorCode(readXml(Buffer.alloc(MESSAGE_BYTES_MAX + 1, 0x20))), 'input_too_large');
  });

  test('counts UTF-8 bytes, not characters, against the size bound', () => {
    const wide = `<a>${'é'.repeat(60)}</a>`;
    assert.equal(errorCode(readXml(wide, { messageBytesMax: 100 })), 'input_too_large');
  });

  test('refuses more elements than the bound', () => {
    const many = `<a>${'<b/>'.repeat(20)}</a>`;
    assert.equal(errorCode(readXml(many, { elementCountMax: 10 })), 'too_many_elements');
  });

  test('refuses bytes that are not UTF-8 and declarations of other encodings', () => {
    assert.equal(
      errorCode(readXml(Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e]))),
      'encoding_invalid',
    );
    assert.equal(
      errorCode(readXml('<?xml version="1.0" encoding="ISO-8859-1"?><a/>')),
      'encoding_unsupported',
    );
    assert.equal(errorCode(readXml(Buffer.from([0xff, 0xfe, 0x3c, 0x00]))), 'encoding_unsupported');
  });

  test('refuses characters XML forbids', () => {
    assert.equal(errorCode(readXml('<a>\u0001</a>')), 'character_invalid');
    assert.equal(errorCode(readXml('<a>&#1;</a>')), 'character_invalid');
  });

  test('refuses what is not well-formed XML, with a position', () => {
    for (const text of ['hello', '<a>', '<a></b>', '<a/><b/>', '<a>x</a>tail', '<a b="1></a>']) {
      const result = readXml(text);
      assert.equal(errorCode(result), 'not_well_formed', text);
    }
    const located = readXml('<a>\n<b></c></a>');
    assert.ok(!located.ok && located.error.line === 2);
  });

  test('refuses an empty message', () => {
    assert.equal(errorCode(readXml('   ')), 'input_empty');
  });

  test('refuses element names that would pollute prototypes, without throwing', () => {
    assert.equal(errorCode(readXml('<__proto__><a/></__proto__>')), 'not_well_formed');
  });
});
