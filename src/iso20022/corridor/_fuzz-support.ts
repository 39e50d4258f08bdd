// Test support for fuzzing the gateway: every sample fixture adapted to the test network, the
// mutations applied to its element tree, and the one check every answer must pass. Not part of
// the build.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { snapshot } from '../../testing/api-helpers.js';
import { parseMessage } from '../inbound.js';
import { FIXTURE_NAMES, fixtureText, SAMPLES } from '../_test-fixtures.js';
import { createElement, type XmlElement } from '../xml-element.js';
import { readXml } from '../xml-reader.js';
import { serializeXml } from '../xml-writer.js';
import { assertValid, type IsoServer, type XmlAnswer } from './_test-support.js';

export interface FuzzSample {
  /** The fixture it comes from, or "framed" for the pacs.008 with its AppHdr. */
  readonly name: string;
  /** The participant that sends it. */
  readonly as: string;
  readonly root: XmlElement;
}

const FEDNOW_UETR = '8a562c67-ca16-48ba-b074-65581be6f011';
type Replacements = readonly (readonly [string, string])[];

const FEDNOW: Replacements = [
  ['011104238', 'br-bank'],
  ['021040078', 'br-other'],
  ['Ccy="USD"', 'Ccy="BRL"'],
];
const FEDWIRE: Replacements = [
  ['021307481', 'br-bic'],
  ['231981435', 'operator'],
  ['BANZBEBB', 'BANZBRSP'],
  ['Ccy="USD"', 'Ccy="BRL"'],
];

/** Who sends each fixture Corridor takes, and how it is adapted (as in samples.test.ts). */
const ADAPTATIONS: Readonly<Record<string, { as: string; replacements: Replacements }>> = {
  [SAMPLES.fednowPurpose]: { as: 'br-bank', replacements: FEDNOW },
  [SAMPLES.fednowStructuredRemittance]: { as: 'br-bank', replacements: FEDNOW },
  [SAMPLES.fednowUltimateDebtor]: { as: 'br-other', replacements: FEDNOW },
  [SAMPLES.fednowCancellationRequest]: { as: 'br-bank', replacements: FEDNOW },
  [SAMPLES.fednowReturn]: { as: 'br-other', replacements: FEDNOW },
  [SAMPLES.fednowInstitutionTransfer]: {
    as: 'br-bank',
    replacements: [
      ['021307481', 'br-bank'],
      ['231981435', 'br-other'],
      ['<IntrBkSttlmAmt Ccy="USD">500000', '<IntrBkSttlmAmt Ccy="BRL">5000'],
    ],
  },
  [SAMPLES.fedwireIntermediary]: {
    as: 'br-bic',
    replacements: [
      ['Ccy="USD">500000.00', 'Ccy="BRL">5000.00'],
      ['<BICFI>BANXBRRJ</BICFI>', '<ClrSysMmbId><MmbId>br-other</MmbId></ClrSysMmbId>'],
      ...FEDWIRE,
    ],
  },
  [SAMPLES.fedwireCrossCurrency]: { as: 'br-bic', replacements: FEDWIRE },
  [SAMPLES.fedwireReturn]: {
    as: 'br-other',
    replacements: [
      ['Ccy="USD">2234578.88', 'Ccy="BRL">2234.58'],
      ['231981435', 'br-other'],
      ['021307481', 'br-bic'],
    ],
  },
};

function adapt(name: string, replacements: Replacements): string {
  let xml = fixtureText(name);
  for (const [from, to] of replacements) xml = xml.replaceAll(from, to);
  return xml;
}

function treeOf(xml: string): XmlElement {
  const read = readXml(xml);
  if (!read.ok) assert.fail(`unreadable sample: ${read.error.message}`);
  return read.root;
}

/** Every fixture (those Corridor does not take as they are), plus the pacs.008 with its AppHdr. */
export function fuzzSamples(): FuzzSample[] {
  const samples = FIXTURE_NAMES.map((name) => {
    const adaptation = ADAPTATIONS[name] ?? { as: 'br-bank', replacements: [] };
    return { name, as: adaptation.as, root: treeOf(adapt(name, adaptation.replacements)) };
  });
  const header = adapt(SAMPLES.fednowHeader, [
    ['011104238', 'br-bank'],
    ['021150706', 'operator'],
  ]).replace(/^<\?xml[^>]*\?>\s*/, '');
  const document = adapt(SAMPLES.fednowStructuredRemittance, FEDNOW).replace(
    /^<\?xml[^>]*\?>\s*/,
    '',
  );
  const framed =
    '<FedNowIncoming xmlns="urn:corridor:test:fednow"><FedNowIncomingMessage>' +
    `<FedNowCustomerCreditTransfer>${header}${document}</FedNowCustomerCreditTransfer>` +
    '</FedNowIncomingMessage></FedNowIncoming>';
  return [...samples, { name: 'framed', as: 'br-bank', root: treeOf(framed) }];
}

/** The elements of a tree in document order, each with its path of child positions. */
export function elementsOf(root: XmlElement): { path: readonly number[]; element: XmlElement }[] {
  const found: { path: readonly number[]; element: XmlElement }[] = [];
  const visit = (element: XmlElement, path: readonly number[]) => {
    found.push({ path, element });
    element.children.forEach((child, index) => visit(child, [...path, index]));
  };
  visit(root, []);
  return found;
}

/** A readable path of local names, for messages. */
export function namePath(root: XmlElement, path: readonly number[]): string {
  const names = [root.name];
  let current = root;
  for (const index of path) {
    current = current.children[index] ?? current;
    names.push(current.name);
  }
  return names.join('/');
}

/** The tree with the element at `path` replaced by `replace(element)` (none, one or several). */
export function rewrite(
  root: XmlElement,
  path: readonly number[],
  replace: (element: XmlElement) => readonly XmlElement[],
): XmlElement {
  const [first, ...rest] = path;
  if (first === undefined) return replace(root)[0] ?? root;
  const children = root.children.flatMap((child, index) => {
    if (index !== first) return [child];
    return rest.length === 0 ? replace(child) : [rewrite(child, rest, replace)];
  });
  return { ...root, children };
}

/** The malformed values every text field is tried with. */
export const MALFORMED_TEXTS = ['empty', 'whitespace', 'element', 'overlong'] as const;
export type MalformedText = (typeof MALFORMED_TEXTS)[number];

/** ISO identifiers are Max35Text; one more character is the smallest over-long identifier. */
const OVERLONG_TEXT = 'X'.repeat(36);
/** Longer than any text of the inbound messages (Max2048Text is their longest). */
const FAR_TOO_LONG_TEXT = 'Y'.repeat(2_049);

export function withMalformedText(element: XmlElement, kind: MalformedText): XmlElement {
  switch (kind) {
    case 'empty':
      return { ...element, children: [], text: '' };
    case 'whitespace':
      return { ...element, children: [], text: ' \t\n ' };
    case 'element':
      return { ...element, children: [createElement(element.namespace, 'x')], text: '' };
    case 'overlong':
      // An identifier-sized value gets one character too many; a longer one, far too many.
      return {
        ...element,
        children: [],
        text: element.text.length < OVERLONG_TEXT.length ? OVERLONG_TEXT : FAR_TOO_LONG_TEXT,
      };
  }
}

const REFRESHED_IDENTIFIERS: ReadonlySet<string> = new Set(['MsgId', 'BizMsgIdr', 'EndToEndId']);

/**
 * The tree with fresh message, end-to-end and UETR ids, so that a mutation is judged on its own
 * and not refused as a duplicate of an earlier one. Applied before mutating.
 */
export function withFreshIds(root: XmlElement): XmlElement {
  const suffix = randomUUID().slice(0, 8);
  const uetr = randomUUID();
  const visit = (element: XmlElement): XmlElement => {
    if (element.children.length > 0) return { ...element, children: element.children.map(visit) };
    if (REFRESHED_IDENTIFIERS.has(element.name) && element.text.length <= 26) {
      return { ...element, text: `${element.text}${suffix}` };
    }
    return element.text === FEDNOW_UETR ? { ...element, text: uetr } : element;
  };
  return visit(root);
}

export function serialize(root: XmlElement): string {
  return serializeXml(root);
}

/** Whether an answer refuses the whole message: admi.002, or pacs.002 with group status RJCT. */
function refusesWholeMessage(answer: XmlAnswer): boolean {
  if (answer.status !== 200) return true;
  const parsed = parseMessage(answer.text);
  if (!parsed.ok) return false;
  if (parsed.message.kind === 'admi.002') return true;
  if (parsed.message.kind !== 'pacs.002') return false;
  return parsed.message.document.originalGroupStatuses.some((group) => group.groupStatus === 'RJCT');
}

export interface FuzzCase {
  /** The participant that sends it. */
  readonly as: string;
  readonly xml: string;
  /** What the case is, for failure messages. */
  readonly label: string;
}

export interface Outcome {
  readonly answer: XmlAnswer;
  readonly refused: boolean;
}

/** Cases sent at once: the XSD validator checks concurrent documents in one run. */
const CASES_PER_ROUND_MAX = 64;

/**
 * What every answer must be: no 5xx, and an ISO message. admi.002 has no XSD in the
 * repository, so its quoted reference is checked here.
 */
function checkAnswer(item: FuzzCase, answer: XmlAnswer): Outcome {
  const context = `${item.label}: answer ${answer.status} ${answer.text.slice(0, 600)}\n--- sent ---\n${item.xml}`;
  assert.ok(answer.status < 500, context);
  assert.match(answer.contentType, /^application\/xml/, context);
  const parsed = parseMessage(answer.text);
  assert.ok(parsed.ok, `the answer is not an ISO message: ${context}`);
  if (parsed.message.kind === 'admi.002') {
    const reference = parsed.message.document.relatedReference;
    assert.ok(/\S/.test(reference) && reference.length <= 35, `bad RltdRef: ${context}`);
  }
  return { answer, refused: refusesWholeMessage(answer) };
}

async function sendOne(server: IsoServer, item: FuzzCase): Promise<Outcome> {
  return checkAnswer(item, await server.post(item.as, item.xml));
}

/** Sends cases at once; settled, so that none is in flight when a check fails. */
async function sendRound(server: IsoServer, round: readonly FuzzCase[]): Promise<Outcome[]> {
  const settled = await Promise.allSettled(round.map((item) => sendOne(server, item)));
  return settled.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
}

/**
 * Checks that the refused cases of a round change nothing. When the round also holds accepted
 * messages, their changes hide the others', so the refused ones are sent again as a round of
 * their own: a refusal leaves no trace, so they are refused again, and must change nothing.
 */
async function checkRefusalsChangeNothing(
  server: IsoServer,
  round: readonly FuzzCase[],
  outcomes: readonly Outcome[],
  before: string,
  attempts: number,
): Promise<void> {
  const labels = round.map((item) => item.label).join('\n');
  if (outcomes.every((outcome) => outcome.refused)) {
    assert.equal(snapshot(server.network), before, `a round of refusals changed state:\n${labels}`);
    return;
  }
  const refused = round.filter((_item, index) => outcomes[index]?.refused === true);
  if (refused.length === 0) return;
  assert.ok(attempts > 0, `refusals were accepted when sent again:\n${labels}`);
  const again = snapshot(server.network);
  const outcomesAgain = await sendRound(server, refused);
  await checkRefusalsChangeNothing(server, refused, outcomesAgain, again, attempts - 1);
}

/**
 * Sends the cases in rounds of concurrent requests and checks every answer (see checkAnswer),
 * each against its XSD, and that every refused message changes nothing.
 */
export async function sendAll(server: IsoServer, cases: readonly FuzzCase[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (let start = 0; start < cases.length; start += CASES_PER_ROUND_MAX) {
    const round = cases.slice(start, start + CASES_PER_ROUND_MAX);
    const before = snapshot(server.network);
    const answered = await sendRound(server, round);
    await checkRefusalsChangeNothing(server, round, answered, before, 1);
    await Promise.all(answered.map((outcome) => assertValid(outcome.answer.text)));
    outcomes.push(...answered);
  }
  return outcomes;
}
