// pacs.009 FinancialInstitutionCreditTransfer (001.08): the model and its reader (inbound only).
import {
  readAgent,
  readOptionalAccount,
  readOptionalAgent,
  readPaymentType,
  readSupplementaryData,
} from './components-read.js';
import type { CreditTransferGroupHeader } from './group-header.js';
import type {
  Account,
  CodeChoice,
  CurrencyAmount,
  FinancialInstitution,
  InvalidTransaction,
  PaymentType,
  SupplementaryData,
} from './model.js';
import {
  INTERMEDIARY_AGENT_ELEMENTS,
  readCreditTransferMessage,
  readPaymentReferences,
} from './pacs008.js';
import {
  childContext,
  compact,
  joinPath,
  optionalText,
  readCode,
  readCodeChoice,
  readRequiredAmount,
  requiredElement,
  requiredText,
  texts,
  type ParseContext,
} from './parse-context.js';
import { childElement, type XmlElement } from './xml-element.js';

export type SettlementPriority = 'URGT' | 'HIGH' | 'NORM';
const SETTLEMENT_PRIORITIES: readonly SettlementPriority[] = ['URGT', 'HIGH', 'NORM'];

export interface FinancialInstitutionCreditTransferTransaction {
  readonly index: number;
  readonly instructionId?: string;
  readonly endToEndId: string;
  readonly transactionId?: string;
  readonly uetr?: string;
  readonly clearingSystemReference?: string;
  readonly paymentType?: PaymentType;
  readonly interbankSettlementAmount: CurrencyAmount;
  readonly interbankSettlementDate?: string;
  readonly settlementPriority?: SettlementPriority;
  readonly instructingAgent?: FinancialInstitution;
  readonly instructedAgent?: FinancialInstitution;
  readonly intermediaryAgents?: readonly FinancialInstitution[];
  readonly ultimateDebtor?: FinancialInstitution;
  /** In pacs.009 the debtor and creditor are themselves financial institutions. */
  readonly debtor: FinancialInstitution;
  readonly debtorAccount?: Account;
  readonly debtorAgent?: FinancialInstitution;
  readonly creditorAgent?: FinancialInstitution;
  readonly creditor: FinancialInstitution;
  readonly creditorAccount?: Account;
  readonly ultimateCreditor?: FinancialInstitution;
  readonly purpose?: CodeChoice;
  /** RmtInf/Ustrd lines (pacs.009 has no structured remittance). */
  readonly remittanceUnstructured?: readonly string[];
  readonly supplementaryData?: readonly SupplementaryData[];
}

export interface FinancialInstitutionCreditTransfer {
  readonly groupHeader: CreditTransferGroupHeader;
  readonly transactions: readonly FinancialInstitutionCreditTransferTransaction[];
  readonly invalidTransactions: readonly InvalidTransaction[];
}

function readTransaction(
  element: XmlElement,
  index: number,
  context: ParseContext,
): FinancialInstitutionCreditTransferTransaction | InvalidTransaction {
  const path = joinPath('', 'CdtTrfTxInf', index);
  const local = childContext(context);
  const paymentId = requiredElement(element, 'PmtId', path, local);
  const amount = readRequiredAmount(element, 'IntrBkSttlmAmt', path, local);
  const debtor = readAgent(
    requiredElement(element, 'Dbtr', path, local),
    joinPath(path, 'Dbtr'),
    local,
  );
  const creditor = readAgent(
    requiredElement(element, 'Cdtr', path, local),
    joinPath(path, 'Cdtr'),
    local,
  );
  const intermediaries = INTERMEDIARY_AGENT_ELEMENTS.flatMap(
    (name) => readOptionalAgent(element, name, path, local) ?? [],
  );
  const transaction = {
    index,
    instructionId: optionalText(paymentId, 'InstrId'),
    endToEndId: requiredText(paymentId, 'EndToEndId', joinPath(path, 'PmtId'), local),
    transactionId: optionalText(paymentId, 'TxId'),
    uetr: optionalText(paymentId, 'UETR'),
    clearingSystemReference: optionalText(paymentId, 'ClrSysRef'),
    paymentType: readPaymentType(
      childElement(element, 'PmtTpInf'),
      joinPath(path, 'PmtTpInf'),
      local,
    ),
    interbankSettlementDate: optionalText(element, 'IntrBkSttlmDt'),
    settlementPriority: readCode(element, 'SttlmPrty', SETTLEMENT_PRIORITIES, path, local),
    instructingAgent: readOptionalAgent(element, 'InstgAgt', path, local),
    instructedAgent: readOptionalAgent(element, 'InstdAgt', path, local),
    intermediaryAgents: intermediaries.length === 0 ? undefined : intermediaries,
    ultimateDebtor: readOptionalAgent(element, 'UltmtDbtr', path, local),
    debtorAccount: readOptionalAccount(element, 'DbtrAcct', path, local),
    debtorAgent: readOptionalAgent(element, 'DbtrAgt', path, local),
    creditorAgent: readOptionalAgent(element, 'CdtrAgt', path, local),
    creditorAccount: readOptionalAccount(element, 'CdtrAcct', path, local),
    ultimateCreditor: readOptionalAgent(element, 'UltmtCdtr', path, local),
    purpose: readCodeChoice(childElement(element, 'Purp')),
    remittanceUnstructured: texts(childElement(element, 'RmtInf'), 'Ustrd'),
    supplementaryData: readSupplementaryData(element, path, local),
  };
  const complete = amount !== undefined && debtor !== undefined && creditor !== undefined;
  if (local.issues.length > 0 || !complete) {
    return { index, references: readPaymentReferences(element), issues: local.issues };
  }
  return compact({ ...transaction, interbankSettlementAmount: amount, debtor, creditor });
}

/** Maps a FICdtTrf element; group-level problems are reported on `context`. */
export function readFinancialInstitutionCreditTransfer(
  message: XmlElement,
  context: ParseContext,
): FinancialInstitutionCreditTransfer | undefined {
  return readCreditTransferMessage(message, context, readTransaction);
}
