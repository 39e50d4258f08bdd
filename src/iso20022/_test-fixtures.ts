// Shared test support: the genuine sample messages and small builders. Not part of the build.
import { readFileSync, readdirSync } from 'node:fs';
import assert from 'node:assert/strict';
import { parseMessage, type ParsedMessage, type ParseOptions } from './inbound.js';
import type { MessageKind } from './message-definition.js';
import type { CurrencyLookup } from './model.js';
import type { ParsedMessageOf } from './inbound.js';

const FIXTURE_DIRECTORY = new URL('./fixtures/', import.meta.url);

export const FIXTURE_NAMES: readonly string[] = readdirSync(FIXTURE_DIRECTORY).filter((name) =>
  name.endsWith('.xml'),
);

export const SAMPLES = {
  fedwireCrossCurrency: 'fedwire__CustomerCreditTransfer_Variation5_pacs.008.xml',
  fedwireIntermediary: 'fedwire__CustomerCreditTransfer_Variation6_pacs.008.xml',
  fedwireReturn: 'fedwire__PaymentReturn_Scenario5_Step3_pacs.004.xml',
  fednowPurpose: 'fednow__CustomerCreditTransfer_Variation1_pacs.008_Purpose.xml',
  fednowStructuredRemittance: 'fednow__CustomerCreditTransfer_Variation2_pacs.008_StructuredRemit.xml',
  fednowUltimateDebtor: 'fednow__CustomerCreditTransfer_Variation4_pacs.008_UltimateDebtor.xml',
  fednowHeader: 'fednow__CustomerCreditTransfer_Scenario1_Step1_head.001.xml',
  fednowStatusAccepted: 'fednow__CustomerCreditTransfer_Scenario1_Step4_pacs.002_BankA.xml',
  fednowStatusRejected: 'fednow__CustomerCreditTransfer_Scenario3_Step4_pacs.002_BankA.xml',
  fednowCancellationRequest: 'fednow__PaymentReturn_Scenario1_Step2_camt.056.xml',
  fednowResolution: 'fednow__PaymentReturn_Scenario1_Step3_camt.029.xml',
  fednowReturn: 'fednow__PaymentReturn_Scenario1_Step4_pacs.004.xml',
  fednowInstitutionTransfer: 'fednow__FICreditTransfer_Scenario1_Step1_pacs.009.xml',
  fednowNotification: 'fednow__AccountDebitCreditNotification_Scenario1_Step5_camt.054.xml',
  postFinanceStatement: 'postfinance__camt.053_P_CH2909000000250094239_1110092698_0_2020112503071366.xml',
} as const;

export function fixtureText(name: string): string {
  return readFileSync(new URL(name, FIXTURE_DIRECTORY), 'utf8');
}

/** The sample currencies with CHF, for the Swiss statement (Corridor does not settle CHF). */
export const WITH_SWISS_FRANC: CurrencyLookup = (code) =>
  code === 'CHF' ? { exponent: 2 } : code === 'USD' || code === 'EUR' ? { exponent: 2 } : undefined;

/** Parses and insists on success and on the kind, so tests read as the values they check. */
export function parseExpecting<Kind extends MessageKind>(
  input: string | Uint8Array,
  kind: Kind,
  options: ParseOptions = {},
): ParsedMessageOf<Kind> {
  const result = parseMessage(input, options);
  if (!result.ok) assert.fail(`expected a ${kind}, got ${JSON.stringify(result.failure)}`);
  assert.equal(result.message.kind, kind);
  return result.message as ParsedMessage as ParsedMessageOf<Kind>;
}

/** Rewrites a default-namespace sample so that every element carries the given prefix. */
export function withPrefix(xml: string, prefix: string): string {
  return xml
    .replace(/<(\/?)([A-Za-z][\w.]*)(?=[\s>/])/g, `<$1${prefix}:$2`)
    .replace(/xmlns="/, `xmlns:${prefix}="`);
}
