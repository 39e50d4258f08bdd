// pacs.008 generation for versions 001.08, .10, .11, .12 and .13 from the version-neutral model.
import {
  accountElement,
  agentElement,
  chargeElements,
  partyElement,
  paymentTypeElement,
  remittanceElement,
  supplementaryDataElements,
} from './components-write.js';
import { corridorQuoteSupplementaryData, isValidCorridorQuoteId } from './corridor-quote.js';
import {
  amountElement,
  codeChoiceElement,
  isGenerateResult,
  fault,
  finishDocument,
  pathOf,
  refuseBeforeVersion,
  requiredAmount,
  requiredText,
  startGeneration,
  type GenerateContext,
  type GenerateOptions,
  type GenerateResult,
} from './generate-context.js';
import {
  checkGeneratedTransactionCount,
  creditTransferGroupHeaderElement,
  type CreditTransferGroupHeaderInput,
} from './group-header.js';
import type { SupplementaryData } from './model.js';
import {
  INTERMEDIARY_AGENT_ELEMENTS,
  type AgreedRate,
  type CustomerCreditTransferTransaction,
} from './pacs008.js';
import type { OptionalElement } from './xml-writer.js';

export type CustomerCreditTransferTransactionInput = Omit<
  CustomerCreditTransferTransaction,
  'index'
>;

export interface CustomerCreditTransferInput {
  readonly groupHeader: CreditTransferGroupHeaderInput;
  readonly transactions: readonly CustomerCreditTransferTransactionInput[];
}

export type CustomerCreditTransferVersion = 8 | 10 | 11 | 12 | 13;

export interface CustomerCreditTransferGenerateOptions extends GenerateOptions {
  /** Default: 8 (pacs.008.001.08, the CBPR+ and FedNow base version). */
  readonly version?: CustomerCreditTransferVersion;
}

const QUOTE_PLACE = '/Document/FIToFICstmrCdtTrf/CdtTrfTxInf';

function paymentIdentificationElement(
  context: GenerateContext,
  transaction: CustomerCreditTransferTransactionInput,
  path: string,
) {
  const { build } = context;
  return build.element('PmtId', [
    build.text('InstrId', transaction.instructionId),
    requiredText(context, 'EndToEndId', transaction.endToEndId, pathOf(path, 'PmtId')),
    build.text('TxId', transaction.transactionId),
    build.text('UETR', transaction.uetr),
    build.text('ClrSysRef', transaction.clearingSystemReference),
  ]);
}

function acceptanceElement(
  context: GenerateContext,
  acceptanceDateTime: string | undefined,
): OptionalElement {
  if (acceptanceDateTime === undefined) return undefined;
  const { build } = context;
  // Version 13 moved the acceptance time into AddtlDtTm.
  return context.version >= 13
    ? build.element('AddtlDtTm', [build.required('AccptncDtTm', acceptanceDateTime)])
    : build.required('AccptncDtTm', acceptanceDateTime);
}

function agreedRateElement(
  context: GenerateContext,
  rate: AgreedRate | undefined,
  path: string,
): OptionalElement {
  if (
    rate === undefined ||
    refuseBeforeVersion(context, 13, true, pathOf(path, 'AgrdRate'), 'AgrdRate')
  ) {
    return undefined;
  }
  const { build } = context;
  return build.element('AgrdRate', [
    build.text('UnitCcy', rate.unitCurrency),
    build.text('QtdCcy', rate.quotedCurrency),
    build.required('PreAgrdXchgRate', rate.exchangeRate),
    build.text('QtnDtTm', rate.quotationDateTime),
    build.text('QtId', rate.quoteId),
    agentElement(context, 'FXAgt', rate.foreignExchangeAgent, pathOf(path, 'AgrdRate')),
  ]);
}

function intermediaryElements(
  context: GenerateContext,
  transaction: CustomerCreditTransferTransactionInput,
  path: string,
): OptionalElement[] {
  const agents = transaction.intermediaryAgents ?? [];
  if (agents.length > INTERMEDIARY_AGENT_ELEMENTS.length) {
    fault(
      context,
      'field_not_supported_in_version',
      pathOf(path, 'IntrmyAgt4'),
      'ISO allows at most 3 intermediary agents.',
    );
  }
  return INTERMEDIARY_AGENT_ELEMENTS.map((name, position) =>
    agentElement(context, name, agents[position], path),
  );
}

function supplementaryData(
  context: GenerateContext,
  transaction: CustomerCreditTransferTransactionInput,
  path: string,
): SupplementaryData[] {
  const all = [...(transaction.supplementaryData ?? [])];
  const quoteId = transaction.corridorQuoteId;
  if (quoteId === undefined) return all;
  if (!isValidCorridorQuoteId(quoteId)) {
    fault(
      context,
      'value_malformed',
      pathOf(path, 'SplmtryData'),
      'The Corridor quote identifier is malformed.',
    );
    return all;
  }
  return [corridorQuoteSupplementaryData(quoteId, QUOTE_PLACE), ...all];
}

function transactionElement(
  context: GenerateContext,
  transaction: CustomerCreditTransferTransactionInput,
  position: number,
) {
  const { build } = context;
  const path = pathOf('', 'CdtTrfTxInf', position);
  const party = (
    name: string,
    value: CustomerCreditTransferTransactionInput['debtor'] | undefined,
  ) => partyElement(context, name, value, path);
  return build.element('CdtTrfTxInf', [
    paymentIdentificationElement(context, transaction, path),
    paymentTypeElement(context, transaction.paymentType),
    requiredAmount(context, 'IntrBkSttlmAmt', transaction.interbankSettlementAmount, path),
    build.text('IntrBkSttlmDt', transaction.interbankSettlementDate),
    acceptanceElement(context, transaction.acceptanceDateTime),
    amountElement(context, 'InstdAmt', transaction.instructedAmount, path),
    build.text('XchgRate', transaction.exchangeRate),
    agreedRateElement(context, transaction.agreedRate, path),
    build.required('ChrgBr', transaction.chargeBearer),
    ...chargeElements(context, transaction.charges, path),
    agentElement(context, 'InstgAgt', transaction.instructingAgent, path),
    agentElement(context, 'InstdAgt', transaction.instructedAgent, path),
    ...intermediaryElements(context, transaction, path),
    party('UltmtDbtr', transaction.ultimateDebtor),
    party('Dbtr', transaction.debtor),
    accountElement(context, 'DbtrAcct', transaction.debtorAccount, path),
    agentElement(context, 'DbtrAgt', transaction.debtorAgent, path),
    agentElement(context, 'CdtrAgt', transaction.creditorAgent, path),
    party('Cdtr', transaction.creditor),
    accountElement(context, 'CdtrAcct', transaction.creditorAccount, path),
    party('UltmtCdtr', transaction.ultimateCreditor),
    codeChoiceElement(context, 'Purp', transaction.purpose),
    remittanceElement(context, transaction.remittanceInformation, path),
    ...supplementaryDataElements(context, supplementaryData(context, transaction, path)),
  ]);
}

/** Generates a pacs.008 Document; errors name each field the chosen version cannot carry. */
export function generateCustomerCreditTransfer(
  input: CustomerCreditTransferInput,
  options: CustomerCreditTransferGenerateOptions = {},
): GenerateResult {
  const version = options.version ?? 8;
  const started = startGeneration('pacs.008', version, options);
  if (isGenerateResult(started)) return started;
  const { context, definition } = started;
  checkGeneratedTransactionCount(context, input.transactions.length, 'CdtTrfTxInf');
  const message = context.build.element('FIToFICstmrCdtTrf', [
    creditTransferGroupHeaderElement(context, input.groupHeader, input.transactions.length),
    ...input.transactions.map((transaction, position) =>
      transactionElement(context, transaction, position),
    ),
  ]);
  return finishDocument(context, definition, message);
}
