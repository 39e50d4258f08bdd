// camt.053 (001.08 by default, or .04) and camt.054 (001.08) generation.
import type {
  AccountReport,
  AmountDetails,
  AmountWithExchange,
  Balance,
  BankToCustomerDebitCreditNotification,
  BankToCustomerStatement,
  BankTransactionCode,
  EntryCharge,
  EntryTransaction,
  Pagination,
  RelatedAgents,
  RelatedParties,
  ReportAccount,
  ReportEntry,
  ReportGroupHeader,
} from './account-report.js';
import {
  accountElement,
  agentElement,
  partyElement,
  partyOrAgentElement,
  remittanceElement,
} from './components-write.js';
import {
  amountElement,
  booleanElement,
  codeChoiceElement,
  isGenerateResult,
  dateOrDateTimeElement,
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
import { TRANSACTIONS_PER_MESSAGE_MAX } from './limits.js';
import type { PartyOrAgent } from './model.js';
import type { OptionalElement } from './xml-writer.js';

type ReportKind = 'Stmt' | 'Ntfctn';
const PLAIN_STATUS_CODES = ['BOOK', 'PDNG', 'INFO'];

function paginationElement(
  context: GenerateContext,
  name: string,
  pagination: Pagination | undefined,
) {
  if (pagination === undefined) return undefined;
  return context.build.element(name, [
    context.build.required('PgNb', pagination.pageNumber),
    context.build.required('LastPgInd', pagination.lastPage ? 'true' : 'false'),
  ]);
}

function groupHeaderElement(context: GenerateContext, header: ReportGroupHeader) {
  const { build } = context;
  return build.element('GrpHdr', [
    requiredText(context, 'MsgId', header.messageId, 'GrpHdr'),
    requiredText(context, 'CreDtTm', header.creationDateTime, 'GrpHdr'),
    paginationElement(context, 'MsgPgntn', header.pagination),
    build.text('AddtlInf', header.additionalInformation),
  ]);
}

function reportAccountElement(context: GenerateContext, account: ReportAccount, path: string) {
  const base = accountElement(context, 'Acct', account, path);
  const here = pathOf(path, 'Acct');
  return context.build.element('Acct', [
    ...(base?.children ?? []),
    partyElement(context, 'Ownr', account.owner, here),
    agentElement(context, 'Svcr', account.servicer, here),
  ]);
}

function balanceElement(context: GenerateContext, balance: Balance, path: string) {
  const { build } = context;
  return build.element('Bal', [
    build.element('Tp', [codeChoiceElement(context, 'CdOrPrtry', balance.type)]),
    amountElement(context, 'Amt', balance.amount, path),
    build.required('CdtDbtInd', balance.creditDebit),
    dateOrDateTimeElement(context, 'Dt', balance.date),
  ]);
}

function bankTransactionCodeElement(context: GenerateContext, code: BankTransactionCode) {
  const { build } = context;
  const { domain, proprietary } = code;
  return build.element('BkTxCd', [
    domain === undefined
      ? undefined
      : build.element('Domn', [
          build.required('Cd', domain.code),
          build.element('Fmly', [
            build.required('Cd', domain.familyCode),
            build.required('SubFmlyCd', domain.subFamilyCode),
          ]),
        ]),
    proprietary === undefined
      ? undefined
      : build.element('Prtry', [
          build.required('Cd', proprietary.code),
          build.text('Issr', proprietary.issuer),
        ]),
  ]);
}

/** camt.053.001.04 carries a bare party where later versions carry a Pty/Agt choice. */
function relatedPartyElement(
  context: GenerateContext,
  name: string,
  value: PartyOrAgent | undefined,
  path: string,
) {
  if (value === undefined || context.version >= 8) {
    return partyOrAgentElement(context, name, value, path);
  }
  if ('agent' in value) {
    fault(
      context,
      'field_not_supported_in_version',
      pathOf(path, name),
      'This version has no agent here.',
    );
    return undefined;
  }
  return partyElement(context, name, value.party, path);
}

function relatedPartiesElement(
  context: GenerateContext,
  parties: RelatedParties | undefined,
  path: string,
): OptionalElement {
  if (parties === undefined) return undefined;
  const here = pathOf(path, 'RltdPties');
  return context.build.group('RltdPties', [
    relatedPartyElement(context, 'Dbtr', parties.debtor, here),
    accountElement(context, 'DbtrAcct', parties.debtorAccount, here),
    relatedPartyElement(context, 'Cdtr', parties.creditor, here),
    accountElement(context, 'CdtrAcct', parties.creditorAccount, here),
  ]);
}

function relatedAgentsElement(
  context: GenerateContext,
  agents: RelatedAgents | undefined,
  path: string,
): OptionalElement {
  if (agents === undefined) return undefined;
  const here = pathOf(path, 'RltdAgts');
  refuseBeforeVersion(
    context,
    8,
    agents.instructingAgent !== undefined,
    pathOf(here, 'InstgAgt'),
    'InstgAgt',
  );
  refuseBeforeVersion(
    context,
    8,
    agents.instructedAgent !== undefined,
    pathOf(here, 'InstdAgt'),
    'InstdAgt',
  );
  const modern = context.version >= 8;
  return context.build.group('RltdAgts', [
    modern ? agentElement(context, 'InstgAgt', agents.instructingAgent, here) : undefined,
    modern ? agentElement(context, 'InstdAgt', agents.instructedAgent, here) : undefined,
    agentElement(context, 'DbtrAgt', agents.debtorAgent, here),
    agentElement(context, 'CdtrAgt', agents.creditorAgent, here),
    ...(agents.proprietary ?? []).map((entry, index) =>
      context.build.element('Prtry', [
        context.build.required('Tp', entry.type),
        agentElement(context, 'Agt', entry.agent, pathOf(here, 'Prtry', index)),
      ]),
    ),
  ]);
}

function referencesElement(
  context: GenerateContext,
  transaction: EntryTransaction,
  path: string,
): OptionalElement {
  const references = transaction.references;
  if (references === undefined) return undefined;
  const { build } = context;
  refuseBeforeVersion(context, 8, references.uetr !== undefined, pathOf(path, 'Refs/UETR'), 'UETR');
  return build.group('Refs', [
    build.text('MsgId', references.messageId),
    build.text('AcctSvcrRef', references.accountServicerReference),
    build.text('PmtInfId', references.paymentInformationId),
    build.text('InstrId', references.instructionId),
    build.text('EndToEndId', references.endToEndId),
    context.version >= 8 ? build.text('UETR', references.uetr) : undefined,
    build.text('TxId', references.transactionId),
    build.text('ClrSysRef', references.clearingSystemReference),
  ]);
}

function amountWithExchangeElement(
  context: GenerateContext,
  name: string,
  value: AmountWithExchange | undefined,
  path: string,
): OptionalElement {
  if (value === undefined) return undefined;
  const { build } = context;
  const here = pathOf(path, name);
  const exchange = value.currencyExchange;
  return build.element(name, [
    requiredAmount(context, 'Amt', value.amount, here),
    exchange === undefined
      ? undefined
      : build.element('CcyXchg', [
          build.required('SrcCcy', exchange.sourceCurrency),
          build.text('TrgtCcy', exchange.targetCurrency),
          build.text('UnitCcy', exchange.unitCurrency),
          build.required('XchgRate', exchange.exchangeRate),
          build.text('CtrctId', exchange.contractId),
          build.text('QtnDt', exchange.quotationDateTime),
        ]),
  ]);
}

function amountDetailsElement(
  context: GenerateContext,
  details: AmountDetails | undefined,
  path: string,
): OptionalElement {
  if (details === undefined) return undefined;
  return context.build.group('AmtDtls', [
    amountWithExchangeElement(context, 'InstdAmt', details.instructedAmount, path),
    amountWithExchangeElement(context, 'TxAmt', details.transactionAmount, path),
    amountWithExchangeElement(context, 'CntrValAmt', details.counterValueAmount, path),
  ]);
}

function chargesElement(
  context: GenerateContext,
  charges: readonly EntryCharge[] | undefined,
  path: string,
): OptionalElement {
  if (charges === undefined || charges.length === 0) return undefined;
  const { build } = context;
  return build.element(
    'Chrgs',
    charges.map((charge, index) => {
      const here = pathOf(path, 'Rcrd', index);
      return build.element('Rcrd', [
        requiredAmount(context, 'Amt', charge.amount, here),
        build.text('CdtDbtInd', charge.creditDebit),
        booleanElement(context, 'ChrgInclInd', charge.included),
        build.text('Br', charge.bearer),
        agentElement(context, 'Agt', charge.agent, here),
      ]);
    }),
  );
}

function entryTransactionElement(
  context: GenerateContext,
  transaction: EntryTransaction,
  path: string,
) {
  const { build } = context;
  const dates = transaction.relatedDates;
  const legacy = context.version < 8;
  refuseBeforeVersion(
    context,
    8,
    transaction.localInstrument !== undefined,
    pathOf(path, 'LclInstrm'),
    'LclInstrm',
  );
  const amount = legacy
    ? requiredAmount(context, 'Amt', transaction.amount, path)
    : amountElement(context, 'Amt', transaction.amount, path);
  if (legacy && transaction.creditDebit === undefined) {
    fault(
      context,
      'field_required_in_version',
      pathOf(path, 'CdtDbtInd'),
      'This version requires CdtDbtInd.',
    );
  }
  return build.element('TxDtls', [
    referencesElement(context, transaction, path),
    amount,
    build.text('CdtDbtInd', transaction.creditDebit),
    amountDetailsElement(context, transaction.amountDetails, pathOf(path, 'AmtDtls')),
    chargesElement(context, transaction.charges, pathOf(path, 'Chrgs')),
    relatedPartiesElement(context, transaction.relatedParties, path),
    relatedAgentsElement(context, transaction.relatedAgents, path),
    legacy ? undefined : codeChoiceElement(context, 'LclInstrm', transaction.localInstrument),
    codeChoiceElement(context, 'Purp', transaction.purpose),
    remittanceElement(context, transaction.remittanceInformation, path),
    dates === undefined
      ? undefined
      : build.group('RltdDts', [
          build.text('AccptncDtTm', dates.acceptanceDateTime),
          build.text('IntrBkSttlmDt', dates.interbankSettlementDate),
        ]),
    build.text('AddtlTxInf', transaction.additionalTransactionInformation),
  ]);
}

function entryStatusElement(
  context: GenerateContext,
  entry: ReportEntry,
  path: string,
): OptionalElement {
  if (context.version >= 8) return codeChoiceElement(context, 'Sts', entry.status);
  if ('code' in entry.status && PLAIN_STATUS_CODES.includes(entry.status.code)) {
    return context.build.required('Sts', entry.status.code);
  }
  fault(
    context,
    'field_not_supported_in_version',
    pathOf(path, 'Sts'),
    'This version allows only BOOK, PDNG or INFO.',
  );
  return undefined;
}

function entryElement(context: GenerateContext, entry: ReportEntry, path: string) {
  const { build } = context;
  const indicator = entry.additionalInformationIndicator;
  const transactions = entry.transactions ?? [];
  return build.element('Ntry', [
    build.text('NtryRef', entry.reference),
    amountElement(context, 'Amt', entry.amount, path),
    build.required('CdtDbtInd', entry.creditDebit),
    booleanElement(context, 'RvslInd', entry.reversal),
    entryStatusElement(context, entry, path),
    dateOrDateTimeElement(context, 'BookgDt', entry.bookingDate),
    dateOrDateTimeElement(context, 'ValDt', entry.valueDate),
    build.text('AcctSvcrRef', entry.accountServicerReference),
    bankTransactionCodeElement(context, entry.bankTransactionCode),
    indicator === undefined
      ? undefined
      : build.element('AddtlInfInd', [
          build.text('MsgNmId', indicator.messageNameId),
          build.text('MsgId', indicator.messageId),
        ]),
    transactions.length === 0
      ? undefined
      : build.element(
          'NtryDtls',
          transactions.map((transaction, index) =>
            entryTransactionElement(
              context,
              transaction,
              pathOf(pathOf(path, 'NtryDtls'), 'TxDtls', index),
            ),
          ),
        ),
    build.text('AddtlNtryInf', entry.additionalEntryInformation),
  ]);
}

function reportElement(
  context: GenerateContext,
  report: AccountReport,
  kind: ReportKind,
  position: number,
) {
  const { build } = context;
  const path = pathOf('', kind, position);
  const balances = report.balances ?? [];
  if (kind === 'Stmt' && balances.length === 0) {
    fault(context, 'value_missing', pathOf(path, 'Bal'), 'A statement needs at least one balance.');
  }
  if (kind === 'Ntfctn' && balances.length > 0) {
    fault(
      context,
      'field_not_supported_in_version',
      pathOf(path, 'Bal'),
      'A notification has no balances.',
    );
  }
  if (report.entries.length > TRANSACTIONS_PER_MESSAGE_MAX) {
    fault(
      context,
      'too_many_transactions',
      pathOf(path, 'Ntry'),
      `At most ${TRANSACTIONS_PER_MESSAGE_MAX} entries per report.`,
    );
  }
  if (context.version < 8 && report.creationDateTime === undefined) {
    fault(
      context,
      'field_required_in_version',
      pathOf(path, 'CreDtTm'),
      'This version requires the statement CreDtTm.',
    );
  }
  const span = report.fromToDate;
  return build.element(kind, [
    requiredText(context, 'Id', report.identification, path),
    paginationElement(context, `${kind}Pgntn`, report.pagination),
    build.text('ElctrncSeqNb', report.electronicSequenceNumber),
    build.text('LglSeqNb', report.legalSequenceNumber),
    build.text('CreDtTm', report.creationDateTime),
    span === undefined
      ? undefined
      : build.element('FrToDt', [
          build.required('FrDtTm', span.fromDateTime),
          build.required('ToDtTm', span.toDateTime),
        ]),
    build.text('CpyDplctInd', report.copyDuplicate),
    reportAccountElement(context, report.account, path),
    ...(kind === 'Stmt'
      ? balances.map((balance, index) =>
          balanceElement(context, balance, pathOf(path, 'Bal', index)),
        )
      : []),
    ...report.entries.map((entry, index) =>
      entryElement(context, entry, pathOf(path, 'Ntry', index)),
    ),
    build.text(kind === 'Stmt' ? 'AddtlStmtInf' : 'AddtlNtfctnInf', report.additionalInformation),
  ]);
}

export type StatementVersion = 4 | 8;

export interface StatementGenerateOptions extends GenerateOptions {
  /** Default: 8 (camt.053.001.08). */
  readonly version?: StatementVersion;
}

/** Generates a camt.053 statement: account, opening and closing balances, booked entries. */
export function generateBankToCustomerStatement(
  statement: BankToCustomerStatement,
  options: StatementGenerateOptions = {},
): GenerateResult {
  const version = options.version ?? 8;
  const started = startGeneration('camt.053', version, options);
  if (isGenerateResult(started)) return started;
  const { context, definition } = started;
  if (statement.statements.length === 0) {
    fault(context, 'value_missing', 'Stmt', 'At least one statement is required.');
  }
  const message = context.build.element('BkToCstmrStmt', [
    groupHeaderElement(context, statement.groupHeader),
    ...statement.statements.map((report, position) =>
      reportElement(context, report, 'Stmt', position),
    ),
  ]);
  return finishDocument(context, definition, message);
}

/** Generates a camt.054.001.08 debit/credit notification. */
export function generateBankToCustomerDebitCreditNotification(
  notification: BankToCustomerDebitCreditNotification,
  options: GenerateOptions = {},
): GenerateResult {
  const started = startGeneration('camt.054', 8, options);
  if (isGenerateResult(started)) return started;
  const { context, definition } = started;
  if (notification.notifications.length === 0) {
    fault(context, 'value_missing', 'Ntfctn', 'At least one notification is required.');
  }
  const message = context.build.element('BkToCstmrDbtCdtNtfctn', [
    groupHeaderElement(context, notification.groupHeader),
    ...notification.notifications.map((report, position) =>
      reportElement(context, report, 'Ntfctn', position),
    ),
  ]);
  return finishDocument(context, definition, message);
}
