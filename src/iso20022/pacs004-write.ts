// pacs.004 generation: 001.09 by default (the CBPR+ version), or .10 (Fedwire and FedNow,
// which adds the accounts of the return chain).
import {
  accountElement,
  agentElement,
  chargeElements,
  partyOrAgentElement,
  reasonElements,
  settlementInformationElement,
  supplementaryDataElements,
} from './components-write.js';
import {
  amountElement,
  booleanElement,
  isGenerateResult,
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
import { checkGeneratedTransactionCount } from './group-header.js';
import {
  originalIdElements,
  originalTransactionReferenceElement,
} from './original-transaction.js';
import type {
  OriginalGroupReturn,
  ReturnChain,
  ReturnGroupHeader,
  ReturnTransaction,
} from './pacs004.js';
import type { OptionalElement } from './xml-writer.js';

export type ReturnTransactionInput = Omit<ReturnTransaction, 'index'>;

export interface PaymentReturnInput {
  readonly groupHeader: Omit<ReturnGroupHeader, 'numberOfTransactions'> & {
    readonly numberOfTransactions?: number;
  };
  readonly originalGroup?: OriginalGroupReturn;
  readonly transactions: readonly ReturnTransactionInput[];
}

export type PaymentReturnVersion = 9 | 10;

export interface PaymentReturnGenerateOptions extends GenerateOptions {
  /** Default: 9 (pacs.004.001.09). */
  readonly version?: PaymentReturnVersion;
}

function returnChainElement(
  context: GenerateContext,
  chain: ReturnChain | undefined,
  path: string,
): OptionalElement {
  if (chain === undefined) return undefined;
  const here = pathOf(path, 'RtrChain');
  refuseBeforeVersion(
    context,
    10,
    chain.debtorAccount !== undefined,
    pathOf(here, 'DbtrAcct'),
    'DbtrAcct',
  );
  refuseBeforeVersion(
    context,
    10,
    chain.creditorAccount !== undefined,
    pathOf(here, 'CdtrAcct'),
    'CdtrAcct',
  );
  const accountsAllowed = context.version >= 10;
  return context.build.element('RtrChain', [
    partyOrAgentElement(context, 'UltmtDbtr', chain.ultimateDebtor, here),
    partyOrAgentElement(context, 'Dbtr', chain.debtor, here),
    accountsAllowed ? accountElement(context, 'DbtrAcct', chain.debtorAccount, here) : undefined,
    agentElement(context, 'DbtrAgt', chain.debtorAgent, here),
    agentElement(context, 'CdtrAgt', chain.creditorAgent, here),
    partyOrAgentElement(context, 'Cdtr', chain.creditor, here),
    accountsAllowed ? accountElement(context, 'CdtrAcct', chain.creditorAccount, here) : undefined,
    partyOrAgentElement(context, 'UltmtCdtr', chain.ultimateCreditor, here),
  ]);
}

function transactionElement(
  context: GenerateContext,
  transaction: ReturnTransactionInput,
  position: number,
) {
  const { build } = context;
  const path = pathOf('', 'TxInf', position);
  return build.element('TxInf', [
    build.text('RtrId', transaction.returnId),
    ...originalIdElements(context, transaction, path),
    build.text('OrgnlUETR', transaction.originalUetr),
    build.text('OrgnlClrSysRef', transaction.originalClearingSystemReference),
    amountElement(
      context,
      'OrgnlIntrBkSttlmAmt',
      transaction.originalInterbankSettlementAmount,
      path,
    ),
    build.text('OrgnlIntrBkSttlmDt', transaction.originalInterbankSettlementDate),
    requiredAmount(
      context,
      'RtrdIntrBkSttlmAmt',
      transaction.returnedInterbankSettlementAmount,
      path,
    ),
    build.text('IntrBkSttlmDt', transaction.interbankSettlementDate),
    amountElement(context, 'RtrdInstdAmt', transaction.returnedInstructedAmount, path),
    build.text('XchgRate', transaction.exchangeRate),
    amountElement(context, 'CompstnAmt', transaction.compensationAmount, path),
    build.text('ChrgBr', transaction.chargeBearer),
    ...chargeElements(context, transaction.charges, path),
    build.text('ClrSysRef', transaction.clearingSystemReference),
    agentElement(context, 'InstgAgt', transaction.instructingAgent, path),
    agentElement(context, 'InstdAgt', transaction.instructedAgent, path),
    returnChainElement(context, transaction.returnChain, path),
    ...reasonElements(context, 'RtrRsnInf', transaction.returnReasons, path),
    originalTransactionReferenceElement(context, transaction.originalTransactionReference, path),
    ...supplementaryDataElements(context, transaction.supplementaryData),
  ]);
}

function groupHeaderElement(
  context: GenerateContext,
  header: PaymentReturnInput['groupHeader'],
  count: number,
) {
  const { build } = context;
  const path = 'GrpHdr';
  if (header.numberOfTransactions !== undefined && header.numberOfTransactions !== count) {
    context.errors.push({
      code: 'value_mismatch',
      path: `${path}/NbOfTxs`,
      message: `NbOfTxs does not count ${count} transactions.`,
    });
  }
  return build.element('GrpHdr', [
    requiredText(context, 'MsgId', header.messageId, path),
    requiredText(context, 'CreDtTm', header.creationDateTime, path),
    booleanElement(context, 'BtchBookg', header.batchBooking),
    build.required('NbOfTxs', String(count)),
    build.text('CtrlSum', header.controlSum),
    booleanElement(context, 'GrpRtr', header.groupReturn),
    amountElement(
      context,
      'TtlRtrdIntrBkSttlmAmt',
      header.totalReturnedInterbankSettlementAmount,
      path,
    ),
    build.text('IntrBkSttlmDt', header.interbankSettlementDate),
    settlementInformationElement(context, header.settlementInformation, path),
    agentElement(context, 'InstgAgt', header.instructingAgent, path),
    agentElement(context, 'InstdAgt', header.instructedAgent, path),
  ]);
}

/** Generates a pacs.004 Document returning one or more settled transactions. */
export function generatePaymentReturn(
  input: PaymentReturnInput,
  options: PaymentReturnGenerateOptions = {},
): GenerateResult {
  const version = options.version ?? 9;
  const started = startGeneration('pacs.004', version, options);
  if (isGenerateResult(started)) return started;
  const { context, definition } = started;
  checkGeneratedTransactionCount(context, input.transactions.length, 'TxInf');
  const original = input.originalGroup;
  const message = context.build.element('PmtRtr', [
    groupHeaderElement(context, input.groupHeader, input.transactions.length),
    original === undefined
      ? undefined
      : context.build.element('OrgnlGrpInf', [
          requiredText(context, 'OrgnlMsgId', original.messageId, 'OrgnlGrpInf'),
          requiredText(context, 'OrgnlMsgNmId', original.messageNameId, 'OrgnlGrpInf'),
          context.build.text('OrgnlCreDtTm', original.creationDateTime),
          ...reasonElements(context, 'RtrRsnInf', original.returnReasons, 'OrgnlGrpInf'),
        ]),
    ...input.transactions.map((transaction, position) =>
      transactionElement(context, transaction, position),
    ),
  ]);
  return finishDocument(context, definition, message);
}
