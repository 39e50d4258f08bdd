// camt.053 BankToCustomerStatement (001.04, .08) and camt.054 BankToCustomerDebitCreditNotification
// (001.08): one account-report model, since both carry the same account, entry and transaction
// structures; only a statement has balances.
import {
  readAccount,
  readAgent,
  readParty,
  readPartyOrAgent,
  readRemittance,
} from './components-read.js';
import { checkTransactionBound } from './group-header.js';
import type {
  Account,
  CodeChoice,
  CreditDebit,
  CurrencyAmount,
  DateOrDateTime,
  FinancialInstitution,
  Party,
  PartyOrAgent,
  RemittanceInformation,
} from './model.js';
import {
  compact,
  joinPath,
  nonEmpty,
  optionalText,
  readBoolean,
  readCodeChoice,
  readDateOrDateTime,
  readRequiredAmount,
  readOptionalAmount,
  readRequiredCode,
  readCode,
  requiredElement,
  requiredText,
  type ParseContext,
} from './parse-context.js';
import { childElement, childElements, type XmlElement } from './xml-element.js';

export const CREDIT_DEBIT: readonly CreditDebit[] = ['CRDT', 'DBIT'];

export interface Pagination {
  readonly pageNumber: string;
  readonly lastPage: boolean;
}

export interface ReportGroupHeader {
  readonly messageId: string;
  readonly creationDateTime: string;
  readonly pagination?: Pagination;
  readonly additionalInformation?: string;
}

export interface ReportAccount extends Account {
  readonly owner?: Party;
  readonly servicer?: FinancialInstitution;
}

export interface Balance {
  /** Balance type code, for example OPBD (opening booked) or CLBD (closing booked). */
  readonly type: CodeChoice;
  readonly amount: CurrencyAmount;
  readonly creditDebit: CreditDebit;
  readonly date: DateOrDateTime;
}

export interface BankTransactionCode {
  readonly domain?: {
    readonly code: string;
    readonly familyCode: string;
    readonly subFamilyCode: string;
  };
  readonly proprietary?: { readonly code: string; readonly issuer?: string };
}

export interface EntryTransactionReferences {
  readonly messageId?: string;
  readonly accountServicerReference?: string;
  readonly paymentInformationId?: string;
  readonly instructionId?: string;
  readonly endToEndId?: string;
  /** Not in camt.053.001.04. */
  readonly uetr?: string;
  readonly transactionId?: string;
  readonly clearingSystemReference?: string;
}

export interface RelatedParties {
  readonly debtor?: PartyOrAgent;
  readonly debtorAccount?: Account;
  readonly creditor?: PartyOrAgent;
  readonly creditorAccount?: Account;
}

export interface RelatedAgents {
  /** Not in camt.053.001.04. */
  readonly instructingAgent?: FinancialInstitution;
  /** Not in camt.053.001.04. */
  readonly instructedAgent?: FinancialInstitution;
  readonly debtorAgent?: FinancialInstitution;
  readonly creditorAgent?: FinancialInstitution;
  readonly proprietary?: readonly { readonly type: string; readonly agent: FinancialInstitution }[];
}

/** CcyXchg: the conversion behind an amount (written only; the reader does not map it). */
export interface CurrencyExchange {
  readonly sourceCurrency: string;
  readonly targetCurrency?: string;
  readonly unitCurrency?: string;
  /** Exact decimal text of XchgRate (BaseOneRate: at most 11 digits, 10 decimals). */
  readonly exchangeRate: string;
  readonly contractId?: string;
  readonly quotationDateTime?: string;
}

export interface AmountWithExchange {
  readonly amount: CurrencyAmount;
  readonly currencyExchange?: CurrencyExchange;
}

/** AmtDtls of a TxDtls (written only). */
export interface AmountDetails {
  readonly instructedAmount?: AmountWithExchange;
  readonly transactionAmount?: AmountWithExchange;
  readonly counterValueAmount?: AmountWithExchange;
}

/** One Chrgs/Rcrd of a TxDtls (written only). */
export interface EntryCharge {
  readonly amount: CurrencyAmount;
  readonly creditDebit?: CreditDebit;
  /** ChrgInclInd: whether the charge is included in the entry amount. */
  readonly included?: boolean;
  readonly bearer?: 'DEBT' | 'CRED' | 'SHAR' | 'SLEV';
  readonly agent?: FinancialInstitution;
}

/** One TxDtls of an entry: the underlying payment. */
export interface EntryTransaction {
  readonly references?: EntryTransactionReferences;
  readonly amount?: CurrencyAmount;
  readonly creditDebit?: CreditDebit;
  readonly amountDetails?: AmountDetails;
  readonly charges?: readonly EntryCharge[];
  readonly relatedParties?: RelatedParties;
  readonly relatedAgents?: RelatedAgents;
  /** Not in camt.053.001.04. */
  readonly localInstrument?: CodeChoice;
  readonly purpose?: CodeChoice;
  readonly remittanceInformation?: RemittanceInformation;
  readonly relatedDates?: {
    readonly acceptanceDateTime?: string;
    readonly interbankSettlementDate?: string;
  };
  readonly additionalTransactionInformation?: string;
}

export interface ReportEntry {
  readonly reference?: string;
  readonly amount: CurrencyAmount;
  readonly creditDebit: CreditDebit;
  readonly reversal?: boolean;
  /** BOOK, PDNG or INFO (camt.053.001.04 allows only those as a plain code). */
  readonly status: CodeChoice;
  readonly bookingDate?: DateOrDateTime;
  readonly valueDate?: DateOrDateTime;
  readonly accountServicerReference?: string;
  readonly bankTransactionCode: BankTransactionCode;
  readonly additionalInformationIndicator?: {
    readonly messageNameId?: string;
    readonly messageId?: string;
  };
  /** The TxDtls of all NtryDtls blocks, in document order. */
  readonly transactions?: readonly EntryTransaction[];
  readonly additionalEntryInformation?: string;
}

/** A Stmt (with balances) or an Ntfctn (without). */
export interface AccountReport {
  readonly identification: string;
  readonly pagination?: Pagination;
  readonly electronicSequenceNumber?: string;
  readonly legalSequenceNumber?: string;
  readonly creationDateTime?: string;
  readonly fromToDate?: { readonly fromDateTime: string; readonly toDateTime: string };
  readonly copyDuplicate?: 'CODU' | 'COPY' | 'DUPL';
  readonly account: ReportAccount;
  readonly balances?: readonly Balance[];
  readonly entries: readonly ReportEntry[];
  readonly additionalInformation?: string;
}

export interface BankToCustomerStatement {
  readonly groupHeader: ReportGroupHeader;
  readonly statements: readonly AccountReport[];
}

export interface BankToCustomerDebitCreditNotification {
  readonly groupHeader: ReportGroupHeader;
  readonly notifications: readonly AccountReport[];
}

const COPY_DUPLICATE = ['CODU', 'COPY', 'DUPL'] as const;

function readPagination(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): Pagination | undefined {
  if (element === undefined) return undefined;
  return {
    pageNumber: requiredText(element, 'PgNb', path, context),
    lastPage: readBoolean(element, 'LastPgInd', path, context) ?? false,
  };
}

function readBankTransactionCode(element: XmlElement | undefined): BankTransactionCode {
  const domain = element === undefined ? undefined : childElement(element, 'Domn');
  const family = domain === undefined ? undefined : childElement(domain, 'Fmly');
  const proprietary = element === undefined ? undefined : childElement(element, 'Prtry');
  return compact({
    domain:
      domain === undefined
        ? undefined
        : {
            code: optionalText(domain, 'Cd') ?? '',
            familyCode: optionalText(family, 'Cd') ?? '',
            subFamilyCode: optionalText(family, 'SubFmlyCd') ?? '',
          },
    proprietary:
      proprietary === undefined
        ? undefined
        : compact({
          code: optionalText(proprietary, 'Cd') ?? '',
          issuer: optionalText(proprietary, 'Issr'),
        }),
  });
}

function readReferences(element: XmlElement | undefined): EntryTransactionReferences | undefined {
  if (element === undefined) return undefined;
  return compact({
    messageId: optionalText(element, 'MsgId'),
    accountServicerReference: optionalText(element, 'AcctSvcrRef'),
    paymentInformationId: optionalText(element, 'PmtInfId'),
    instructionId: optionalText(element, 'InstrId'),
    endToEndId: optionalText(element, 'EndToEndId'),
    uetr: optionalText(element, 'UETR'),
    transactionId: optionalText(element, 'TxId'),
    clearingSystemReference: optionalText(element, 'ClrSysRef'),
  });
}

/** Related-party debtor or creditor: a Party40Choice from 001.08, a bare party in 001.04. */
function readRelatedParty(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): PartyOrAgent | undefined {
  if (element === undefined) return undefined;
  const wrapped = childElement(element, 'Pty') !== undefined || childElement(element, 'Agt') !== undefined;
  if (wrapped) return readPartyOrAgent(element, path, context);
  return { party: readParty(element, path, context) ?? {} };
}

function readRelatedParties(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): RelatedParties | undefined {
  if (element === undefined) return undefined;
  return compact({
    debtor: readRelatedParty(childElement(element, 'Dbtr'), joinPath(path, 'Dbtr'), context),
    debtorAccount: readAccount(
      childElement(element, 'DbtrAcct'),
      joinPath(path, 'DbtrAcct'),
      context,
    ),
    creditor: readRelatedParty(childElement(element, 'Cdtr'), joinPath(path, 'Cdtr'), context),
    creditorAccount: readAccount(
      childElement(element, 'CdtrAcct'),
      joinPath(path, 'CdtrAcct'),
      context,
    ),
  });
}

function readRelatedAgents(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): RelatedAgents | undefined {
  if (element === undefined) return undefined;
  const agent = (name: string) => readAgent(
    childElement(element, name),
    joinPath(path, name),
    context,
  );
  const proprietary = childElements(element, 'Prtry').flatMap((entry, index) => {
    const entryPath = joinPath(path, 'Prtry', index);
    const found = readAgent(
      requiredElement(entry, 'Agt', entryPath, context),
      joinPath(entryPath, 'Agt'),
      context,
    );
    return found === undefined ? [] : [{
      type: requiredText(entry, 'Tp', entryPath, context),
      agent: found,
    }];
  });
  return compact({
    instructingAgent: agent('InstgAgt'),
    instructedAgent: agent('InstdAgt'),
    debtorAgent: agent('DbtrAgt'),
    creditorAgent: agent('CdtrAgt'),
    proprietary: nonEmpty(proprietary),
  });
}

function readEntryTransaction(
  element: XmlElement,
  path: string,
  context: ParseContext,
): EntryTransaction {
  const dates = childElement(element, 'RltdDts');
  return compact({
    references: readReferences(childElement(element, 'Refs')),
    amount: readOptionalAmount(element, 'Amt', path, context),
    creditDebit: readCode(element, 'CdtDbtInd', CREDIT_DEBIT, path, context),
    relatedParties: readRelatedParties(
      childElement(element, 'RltdPties'),
      joinPath(path, 'RltdPties'),
      context,
    ),
    relatedAgents: readRelatedAgents(
      childElement(element, 'RltdAgts'),
      joinPath(path, 'RltdAgts'),
      context,
    ),
    localInstrument: readCodeChoice(childElement(element, 'LclInstrm')),
    purpose: readCodeChoice(childElement(element, 'Purp')),
    remittanceInformation: readRemittance(childElement(element, 'RmtInf')),
    relatedDates:
      dates === undefined
        ? undefined
        : compact({
            acceptanceDateTime: optionalText(dates, 'AccptncDtTm'),
            interbankSettlementDate: optionalText(dates, 'IntrBkSttlmDt'),
          }),
    additionalTransactionInformation: optionalText(element, 'AddtlTxInf'),
  });
}

function readEntryStatus(element: XmlElement, path: string, context: ParseContext): CodeChoice {
  const status = requiredElement(element, 'Sts', path, context);
  if (status === undefined) return { code: '' };
  // camt.053.001.04 carries the status as a plain code; later versions as a Cd/Prtry choice.
  return readCodeChoice(status) ?? { code: status.text };
}

function readEntry(
  element: XmlElement,
  path: string,
  context: ParseContext,
): ReportEntry | undefined {
  const amount = readRequiredAmount(element, 'Amt', path, context);
  const creditDebit = readRequiredCode(element, 'CdtDbtInd', CREDIT_DEBIT, path, context);
  const indicator = childElement(element, 'AddtlInfInd');
  const transactions = childElements(element, 'NtryDtls').flatMap((details, position) =>
    childElements(details, 'TxDtls').map((transaction, index) =>
      readEntryTransaction(
        transaction,
        `${joinPath(path, 'NtryDtls', position)}/${joinPath('', 'TxDtls', index)}`,
        context,
      ),
    ),
  );
  if (amount === undefined || creditDebit === undefined) return undefined;
  return compact({
    reference: optionalText(element, 'NtryRef'),
    amount,
    creditDebit,
    reversal: readBoolean(element, 'RvslInd', path, context),
    status: readEntryStatus(element, path, context),
    bookingDate: readDateOrDateTime(childElement(element, 'BookgDt')),
    valueDate: readDateOrDateTime(childElement(element, 'ValDt')),
    accountServicerReference: optionalText(element, 'AcctSvcrRef'),
    bankTransactionCode: readBankTransactionCode(requiredElement(element, 'BkTxCd', path, context)),
    additionalInformationIndicator:
      indicator === undefined
        ? undefined
        : compact({
          messageNameId: optionalText(indicator, 'MsgNmId'),
          messageId: optionalText(indicator, 'MsgId'),
        }),
    transactions: nonEmpty(transactions),
    additionalEntryInformation: optionalText(element, 'AddtlNtryInf'),
  });
}

function readBalance(
  element: XmlElement,
  path: string,
  context: ParseContext,
): Balance | undefined {
  const type = readCodeChoice(childElement(
    requiredElement(element, 'Tp', path, context) ?? element,
    'CdOrPrtry',
  ));
  const amount = readRequiredAmount(element, 'Amt', path, context);
  const creditDebit = readRequiredCode(element, 'CdtDbtInd', CREDIT_DEBIT, path, context);
  const date = readDateOrDateTime(requiredElement(element, 'Dt', path, context));
  if (type === undefined || amount === undefined || creditDebit === undefined) return undefined;
  if (date === undefined) return undefined;
  return { type, amount, creditDebit, date };
}

function readReportAccount(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): ReportAccount {
  const account = readAccount(element, path, context) ?? {};
  return compact({
    ...account,
    owner: readParty(
      element === undefined ? undefined : childElement(element, 'Ownr'),
      joinPath(path, 'Ownr'),
      context,
    ),
    servicer: readAgent(
      element === undefined ? undefined : childElement(element, 'Svcr'),
      joinPath(path, 'Svcr'),
      context,
    ),
  });
}

function readBalances(element: XmlElement, path: string, context: ParseContext) {
  const balances = childElements(element, 'Bal').map((balance, index) =>
    readBalance(balance, joinPath(path, 'Bal', index), context),
  );
  return nonEmpty(balances.filter((balance): balance is Balance => balance !== undefined));
}

function readEntries(entries: readonly XmlElement[], path: string, context: ParseContext) {
  const read = entries.map((entry, index) => readEntry(entry, joinPath(path, 'Ntry', index), context));
  return read.filter((entry): entry is ReportEntry => entry !== undefined);
}

/** Reads a Stmt or an Ntfctn; `kind` names the elements that differ between the two. */
function readReport(
  element: XmlElement,
  path: string,
  kind: 'Stmt' | 'Ntfctn',
  context: ParseContext,
): AccountReport {
  const span = childElement(element, 'FrToDt');
  const entries = childElements(element, 'Ntry');
  const withinBound = checkTransactionBound(entries.length, joinPath(path, 'Ntry'), context);
  return compact({
    identification: requiredText(element, 'Id', path, context),
    pagination: readPagination(
      childElement(element, `${kind}Pgntn`),
      joinPath(path, `${kind}Pgntn`),
      context,
    ),
    electronicSequenceNumber: optionalText(element, 'ElctrncSeqNb'),
    legalSequenceNumber: optionalText(element, 'LglSeqNb'),
    creationDateTime: optionalText(element, 'CreDtTm'),
    fromToDate:
      span === undefined
        ? undefined
        : {
            fromDateTime: requiredText(span, 'FrDtTm', joinPath(path, 'FrToDt'), context),
            toDateTime: requiredText(span, 'ToDtTm', joinPath(path, 'FrToDt'), context),
          },
    copyDuplicate: readCode(element, 'CpyDplctInd', COPY_DUPLICATE, path, context),
    account: readReportAccount(
      requiredElement(element, 'Acct', path, context),
      joinPath(path, 'Acct'),
      context,
    ),
    balances: kind === 'Stmt' ? readBalances(element, path, context) : undefined,
    entries: withinBound ? readEntries(entries, path, context) : [],
    additionalInformation: optionalText(
      element,
      kind === 'Stmt' ? 'AddtlStmtInf' : 'AddtlNtfctnInf',
    ),
  });
}

function readReportGroupHeader(
  element: XmlElement | undefined,
  context: ParseContext,
): ReportGroupHeader | undefined {
  if (element === undefined) return undefined;
  return compact({
    messageId: requiredText(element, 'MsgId', 'GrpHdr', context),
    creationDateTime: requiredText(element, 'CreDtTm', 'GrpHdr', context),
    pagination: readPagination(childElement(element, 'MsgPgntn'), 'GrpHdr/MsgPgntn', context),
    additionalInformation: optionalText(element, 'AddtlInf'),
  });
}

export function readBankToCustomerStatement(
  message: XmlElement,
  context: ParseContext,
): BankToCustomerStatement | undefined {
  const groupHeader = readReportGroupHeader(
    requiredElement(message, 'GrpHdr', '', context),
    context,
  );
  if (groupHeader === undefined) return undefined;
  const statements = childElements(message, 'Stmt').map((element, index) =>
    readReport(element, joinPath('', 'Stmt', index), 'Stmt', context),
  );
  return { groupHeader, statements };
}

export function readBankToCustomerDebitCreditNotification(
  message: XmlElement,
  context: ParseContext,
): BankToCustomerDebitCreditNotification | undefined {
  const groupHeader = readReportGroupHeader(
    requiredElement(message, 'GrpHdr', '', context),
    context,
  );
  if (groupHeader === undefined) return undefined;
  const notifications = childElements(message, 'Ntfctn').map((element, index) =>
    readReport(element, joinPath('', 'Ntfctn', index), 'Ntfctn', context),
  );
  return { groupHeader, notifications };
}
