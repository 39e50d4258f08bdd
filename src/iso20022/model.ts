// Building blocks shared by the message models. Field names are Corridor's; the ISO element each
// one maps to is listed in docs/iso20022.md. Optional lists are absent rather than empty.
import type { AmountErrorCode } from '../money/index.js';
import type { XmlElement } from './xml-element.js';

/** An amount in minor units of its currency: USD 51.74 is { currency: 'USD', value: 5174n }. */
export interface CurrencyAmount {
  readonly currency: string;
  readonly value: bigint;
}

/** ISO's recurring "Cd or Prtry" choice: an external code, or a proprietary text. */
export type CodeChoice = { readonly code: string } | { readonly proprietary: string };

/** A date (ISODate) or a date and time (ISODateTime), as the DateAndDateTime2Choice carries. */
export type DateOrDateTime = { readonly date: string } | { readonly dateTime: string };

export interface GenericIdentification {
  readonly identification: string;
  readonly scheme?: CodeChoice;
  readonly issuer?: string;
}

export interface PostalAddress {
  /** Only from pacs.008.001.12 on. */
  readonly careOf?: string;
  readonly department?: string;
  readonly subDepartment?: string;
  readonly streetName?: string;
  readonly buildingNumber?: string;
  readonly buildingName?: string;
  readonly floor?: string;
  /** Only from pacs.008.001.12 on. */
  readonly unitNumber?: string;
  readonly postBox?: string;
  readonly room?: string;
  readonly postCode?: string;
  readonly townName?: string;
  readonly townLocationName?: string;
  readonly districtName?: string;
  readonly countrySubDivision?: string;
  /** ISO 3166 alpha-2 country code. */
  readonly country?: string;
  /** Unstructured address lines (at most 7). */
  readonly addressLines?: readonly string[];
}

/** A financial institution as ISO identifies an agent (FinInstnId). */
export interface FinancialInstitution {
  readonly bic?: string;
  /** The clearing system of `memberId`, for example { code: 'USABA' }. */
  readonly clearingSystem?: CodeChoice;
  /** Clearing system member identification, for example an ABA routing number. */
  readonly memberId?: string;
  readonly lei?: string;
  readonly name?: string;
  readonly postalAddress?: PostalAddress;
  readonly other?: GenericIdentification;
}

export interface OrganisationIdentification {
  readonly anyBic?: string;
  readonly lei?: string;
  readonly others?: readonly GenericIdentification[];
}

export interface DateAndPlaceOfBirth {
  readonly birthDate: string;
  readonly province?: string;
  readonly city: string;
  readonly country: string;
}

export interface PersonIdentification {
  readonly dateAndPlaceOfBirth?: DateAndPlaceOfBirth;
  readonly others?: readonly GenericIdentification[];
}

export type PartyIdentification =
  | { readonly organisation: OrganisationIdentification }
  | { readonly person: PersonIdentification };

export type PreferredContactMethod = 'LETT' | 'MAIL' | 'PHON' | 'FAXX' | 'CELL' | 'ONLI';

export interface ContactDetails {
  readonly name?: string;
  readonly phoneNumber?: string;
  readonly mobileNumber?: string;
  readonly emailAddress?: string;
  readonly preferredMethod?: PreferredContactMethod;
}

/** A debtor, creditor or other non-agent party. */
export interface Party {
  readonly name?: string;
  readonly postalAddress?: PostalAddress;
  readonly identification?: PartyIdentification;
  readonly countryOfResidence?: string;
  readonly contactDetails?: ContactDetails;
}

/** A party that is either a non-agent party or an agent (ISO's Party40Choice). */
export type PartyOrAgent = { readonly party: Party } | { readonly agent: FinancialInstitution };

export type AccountIdentification =
  | { readonly iban: string }
  | { readonly other: GenericIdentification };

export interface Account {
  /** Required up to pacs.008.001.08; later versions allow a proxy alone. */
  readonly identification?: AccountIdentification;
  readonly type?: CodeChoice;
  readonly currency?: string;
  readonly name?: string;
  readonly proxy?: { readonly type?: CodeChoice; readonly identification: string };
}

export interface Charge {
  readonly amount: CurrencyAmount;
  readonly agent: FinancialInstitution;
}

export type InstructionPriority = 'HIGH' | 'NORM';
export type ClearingChannel = 'RTGS' | 'RTNS' | 'MPNS' | 'BOOK';

export interface PaymentType {
  readonly instructionPriority?: InstructionPriority;
  readonly clearingChannel?: ClearingChannel;
  readonly serviceLevels?: readonly CodeChoice[];
  readonly localInstrument?: CodeChoice;
  readonly categoryPurpose?: CodeChoice;
}

export interface ReferredDocument {
  readonly type?: CodeChoice;
  readonly typeIssuer?: string;
  readonly number?: string;
  readonly relatedDate?: string;
  /** Required with `relatedDate` from pacs.008.001.12 on, refused before. */
  readonly relatedDateType?: CodeChoice;
}

/** The structured creditor reference (for example an ISO 11649 RF reference). */
export interface CreditorReference {
  readonly type?: CodeChoice;
  readonly typeIssuer?: string;
  readonly reference?: string;
}

export interface StructuredRemittance {
  readonly referredDocuments?: readonly ReferredDocument[];
  readonly creditorReference?: CreditorReference;
  readonly additionalInformation?: readonly string[];
}

export interface RemittanceInformation {
  readonly unstructured?: readonly string[];
  readonly structured?: readonly StructuredRemittance[];
}

/** Supplementary data kept as received: its envelope content is any XML. */
export interface SupplementaryData {
  readonly placeAndName?: string;
  /** The single element inside `Envlp`, namespace-resolved. */
  readonly envelope: XmlElement;
}

export type SettlementMethod = 'INDA' | 'INGA' | 'COVE' | 'CLRG';
export type ChargeBearer = 'DEBT' | 'CRED' | 'SHAR' | 'SLEV';
export type CreditDebit = 'CRDT' | 'DBIT';

export interface SettlementInformation {
  readonly settlementMethod: SettlementMethod;
  readonly settlementAccount?: Account;
  readonly clearingSystem?: CodeChoice;
}

/** A reference to the message that a status, return or cancellation concerns. */
export interface OriginalGroupReference {
  readonly messageId: string;
  /** For example "pacs.008.001.08". */
  readonly messageNameId: string;
  readonly creationDateTime?: string;
}

/** A reason as ISO carries it in status, return, cancellation and resolution messages. */
export interface ReasonInformation {
  readonly originator?: Party;
  readonly reason?: CodeChoice;
  readonly additionalInformation?: readonly string[];
}

/** The payment identifiers of a transaction: what a status or reject must quote back. */
export interface TransactionReferences {
  readonly instructionId?: string;
  readonly endToEndId?: string;
  readonly transactionId?: string;
  readonly uetr?: string;
}

export type FieldIssueCode =
  | AmountErrorCode
  | 'element_missing'
  | 'value_empty'
  | 'code_not_allowed'
  | 'value_malformed'
  | 'choice_not_supported'
  | 'transaction_count_mismatch'
  | 'control_sum_mismatch'
  | 'too_many_transactions';

/** A problem found while mapping one part of a message to the model. */
export interface FieldIssue {
  readonly code: FieldIssueCode;
  /** Where, relative to the message element: "CdtTrfTxInf[2]/IntrBkSttlmAmt". */
  readonly path: string;
  readonly message: string;
}

/** A transaction the parser could not map, with what is needed to reject it. */
export interface InvalidTransaction {
  /** Zero-based position in the message. */
  readonly index: number;
  readonly references: TransactionReferences;
  readonly issues: readonly FieldIssue[];
}

/** The exponent the money module knows a currency by; injectable to read foreign statements. */
export type CurrencyLookup = (code: string) => { readonly exponent: number } | undefined;
