// Readers for the components shared by all messages: agents, parties, accounts, addresses,
// charges, remittance, reasons and supplementary data.
import type {
  Account,
  AccountIdentification,
  Charge,
  ContactDetails,
  FinancialInstitution,
  GenericIdentification,
  OriginalGroupReference,
  Party,
  PartyIdentification,
  PartyOrAgent,
  PaymentType,
  PostalAddress,
  PreferredContactMethod,
  ReasonInformation,
  ReferredDocument,
  RemittanceInformation,
  SettlementInformation,
  SettlementMethod,
  StructuredRemittance,
  SupplementaryData,
} from './model.js';
import {
  compact,
  joinPath,
  nonEmpty,
  optionalText,
  readCode,
  readCodeChoice,
  readRequiredAmount,
  readRequiredCode,
  report,
  requiredElement,
  requiredText,
  texts,
  type ParseContext,
} from './parse-context.js';
import {
  childElement,
  childElements,
  descendant,
  textOf,
  type XmlElement,
} from './xml-element.js';

export type PostalAddressField = Exclude<keyof PostalAddress, 'addressLines'>;

/** Postal address fields in ISO order, with the element each one maps to. */
export const POSTAL_ADDRESS_FIELDS: readonly (readonly [PostalAddressField, string])[] = [
  ['careOf', 'CareOf'],
  ['department', 'Dept'],
  ['subDepartment', 'SubDept'],
  ['streetName', 'StrtNm'],
  ['buildingNumber', 'BldgNb'],
  ['buildingName', 'BldgNm'],
  ['floor', 'Flr'],
  ['unitNumber', 'UnitNb'],
  ['postBox', 'PstBx'],
  ['room', 'Room'],
  ['postCode', 'PstCd'],
  ['townName', 'TwnNm'],
  ['townLocationName', 'TwnLctnNm'],
  ['districtName', 'DstrctNm'],
  ['countrySubDivision', 'CtrySubDvsn'],
  ['country', 'Ctry'],
];

export const SETTLEMENT_METHODS: readonly SettlementMethod[] = ['INDA', 'INGA', 'COVE', 'CLRG'];
export const PREFERRED_CONTACT_METHODS: readonly PreferredContactMethod[] = [
  'LETT',
  'MAIL',
  'PHON',
  'FAXX',
  'CELL',
  'ONLI',
];

export function readPostalAddress(element: XmlElement | undefined): PostalAddress | undefined {
  if (element === undefined) return undefined;
  const address: Record<string, unknown> = {};
  for (const [field, tag] of POSTAL_ADDRESS_FIELDS) address[field] = optionalText(element, tag);
  address['addressLines'] = texts(element, 'AdrLine');
  return compact(address) as PostalAddress;
}

export function readGenericIdentification(
  element: XmlElement,
  path: string,
  context: ParseContext,
): GenericIdentification {
  return compact({
    identification: requiredText(element, 'Id', path, context),
    scheme: readCodeChoice(childElement(element, 'SchmeNm')),
    issuer: optionalText(element, 'Issr'),
  });
}

function readFinancialInstitutionIdentification(
  element: XmlElement,
  path: string,
  context: ParseContext,
): FinancialInstitution {
  const member = childElement(element, 'ClrSysMmbId');
  const other = childElement(element, 'Othr');
  return compact({
    bic: optionalText(element, 'BICFI'),
    clearingSystem: readCodeChoice(descendant(member, 'ClrSysId')),
    memberId: member && requiredText(member, 'MmbId', joinPath(path, 'ClrSysMmbId'), context),
    lei: optionalText(element, 'LEI'),
    name: optionalText(element, 'Nm'),
    postalAddress: readPostalAddress(childElement(element, 'PstlAdr')),
    other: other && readGenericIdentification(other, joinPath(path, 'Othr'), context),
  });
}

/** Reads an agent (BranchAndFinancialInstitutionIdentification) through its FinInstnId. */
export function readAgent(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): FinancialInstitution | undefined {
  if (element === undefined) return undefined;
  const identification = requiredElement(element, 'FinInstnId', path, context);
  if (identification === undefined) return undefined;
  return readFinancialInstitutionIdentification(
    identification,
    joinPath(path, 'FinInstnId'),
    context,
  );
}

export function readOptionalAgent(
  parent: XmlElement,
  name: string,
  path: string,
  context: ParseContext,
): FinancialInstitution | undefined {
  return readAgent(childElement(parent, name), joinPath(path, name), context);
}

function readOthers(parent: XmlElement, path: string, context: ParseContext) {
  return nonEmpty(
    childElements(parent, 'Othr').map((other, index) =>
      readGenericIdentification(other, joinPath(path, 'Othr', index), context),
    ),
  );
}

function readPartyIdentification(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): PartyIdentification | undefined {
  if (element === undefined) return undefined;
  const organisation = childElement(element, 'OrgId');
  if (organisation !== undefined) {
    const organisationPath = joinPath(path, 'OrgId');
    return {
      organisation: compact({
        anyBic: optionalText(organisation, 'AnyBIC'),
        lei: optionalText(organisation, 'LEI'),
        others: readOthers(organisation, organisationPath, context),
      }),
    };
  }
  const person = childElement(element, 'PrvtId');
  if (person === undefined) return undefined;
  const birth = childElement(person, 'DtAndPlcOfBirth');
  const birthPath = joinPath(path, 'PrvtId/DtAndPlcOfBirth');
  return {
    person: compact({
      dateAndPlaceOfBirth:
        birth === undefined
          ? undefined
          : compact({
              birthDate: requiredText(birth, 'BirthDt', birthPath, context),
              province: optionalText(birth, 'PrvcOfBirth'),
              city: requiredText(birth, 'CityOfBirth', birthPath, context),
              country: requiredText(birth, 'CtryOfBirth', birthPath, context),
            }),
      others: readOthers(person, joinPath(path, 'PrvtId'), context),
    }),
  };
}

function readContactDetails(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): ContactDetails | undefined {
  if (element === undefined) return undefined;
  return compact({
    name: optionalText(element, 'Nm'),
    phoneNumber: optionalText(element, 'PhneNb'),
    mobileNumber: optionalText(element, 'MobNb'),
    emailAddress: optionalText(element, 'EmailAdr'),
    preferredMethod: readCode(element, 'PrefrdMtd', PREFERRED_CONTACT_METHODS, path, context),
  });
}

export function readParty(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): Party | undefined {
  if (element === undefined) return undefined;
  return compact({
    name: optionalText(element, 'Nm'),
    postalAddress: readPostalAddress(childElement(element, 'PstlAdr')),
    identification: readPartyIdentification(
      childElement(element, 'Id'),
      joinPath(path, 'Id'),
      context,
    ),
    countryOfResidence: optionalText(element, 'CtryOfRes'),
    contactDetails: readContactDetails(
      childElement(element, 'CtctDtls'),
      joinPath(path, 'CtctDtls'),
      context,
    ),
  });
}

/** Reads ISO's Party40Choice: either Pty (a party) or Agt (a financial institution). */
export function readPartyOrAgent(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): PartyOrAgent | undefined {
  if (element === undefined) return undefined;
  const party = childElement(element, 'Pty');
  if (party !== undefined) return { party: readParty(party, joinPath(path, 'Pty'), context) ?? {} };
  const agent = readAgent(childElement(element, 'Agt'), joinPath(path, 'Agt'), context);
  if (agent !== undefined) return { agent };
  report(context, 'element_missing', path, 'Either Pty or Agt is required.');
  return undefined;
}

function readAccountIdentification(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): AccountIdentification | undefined {
  if (element === undefined) return undefined;
  const iban = optionalText(element, 'IBAN');
  if (iban !== undefined) return { iban };
  const other = childElement(element, 'Othr');
  if (other !== undefined) {
    return { other: readGenericIdentification(other, joinPath(path, 'Othr'), context) };
  }
  report(context, 'element_missing', path, 'Either IBAN or Othr is required.');
  return undefined;
}

export function readAccount(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): Account | undefined {
  if (element === undefined) return undefined;
  const proxy = childElement(element, 'Prxy');
  return compact({
    identification: readAccountIdentification(
      childElement(element, 'Id'),
      joinPath(path, 'Id'),
      context,
    ),
    type: readCodeChoice(childElement(element, 'Tp')),
    currency: optionalText(element, 'Ccy'),
    name: optionalText(element, 'Nm'),
    proxy:
      proxy === undefined
        ? undefined
        : compact({
            type: readCodeChoice(childElement(proxy, 'Tp')),
            identification: requiredText(proxy, 'Id', joinPath(path, 'Prxy'), context),
          }),
  });
}

export function readOptionalAccount(
  parent: XmlElement,
  name: string,
  path: string,
  context: ParseContext,
) {
  return readAccount(childElement(parent, name), joinPath(path, name), context);
}

export function readCharges(
  parent: XmlElement,
  path: string,
  context: ParseContext,
): readonly Charge[] | undefined {
  const charges: Charge[] = [];
  childElements(parent, 'ChrgsInf').forEach((element, index) => {
    const chargePath = joinPath(path, 'ChrgsInf', index);
    const amount = readRequiredAmount(element, 'Amt', chargePath, context);
    const agent = readAgent(
      requiredElement(element, 'Agt', chargePath, context),
      joinPath(chargePath, 'Agt'),
      context,
    );
    if (amount !== undefined && agent !== undefined) charges.push({ amount, agent });
  });
  return nonEmpty(charges);
}

const PRIORITIES = ['HIGH', 'NORM'] as const;
const CLEARING_CHANNELS = ['RTGS', 'RTNS', 'MPNS', 'BOOK'] as const;

export function readPaymentType(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): PaymentType | undefined {
  if (element === undefined) return undefined;
  return compact({
    instructionPriority: readCode(element, 'InstrPrty', PRIORITIES, path, context),
    clearingChannel: readCode(element, 'ClrChanl', CLEARING_CHANNELS, path, context),
    serviceLevels: nonEmpty(
      childElements(element, 'SvcLvl').flatMap((level) => readCodeChoice(level) ?? []),
    ),
    localInstrument: readCodeChoice(childElement(element, 'LclInstrm')),
    categoryPurpose: readCodeChoice(childElement(element, 'CtgyPurp')),
  });
}

function readReferredDocument(element: XmlElement): ReferredDocument {
  const type = childElement(element, 'Tp');
  const relatedDate = childElement(element, 'RltdDt');
  // From pacs.008.001.12 on, RltdDt holds a typed date (Tp and Dt) rather than a date.
  const datedWithType = relatedDate !== undefined && childElement(relatedDate, 'Dt') !== undefined;
  return compact({
    type: readCodeChoice(descendant(type, 'CdOrPrtry')),
    typeIssuer: optionalText(type, 'Issr'),
    number: optionalText(element, 'Nb'),
    relatedDate: datedWithType ? optionalText(relatedDate, 'Dt') : textOf(relatedDate),
    relatedDateType: datedWithType ? readCodeChoice(childElement(relatedDate, 'Tp')) : undefined,
  });
}

function readStructuredRemittance(element: XmlElement): StructuredRemittance {
  const reference = childElement(element, 'CdtrRefInf');
  const referenceType = descendant(reference, 'Tp');
  return compact({
    referredDocuments: nonEmpty(childElements(element, 'RfrdDocInf').map(readReferredDocument)),
    creditorReference:
      reference === undefined
        ? undefined
        : compact({
            type: readCodeChoice(descendant(referenceType, 'CdOrPrtry')),
            typeIssuer: optionalText(referenceType, 'Issr'),
            reference: optionalText(reference, 'Ref'),
          }),
    additionalInformation: texts(element, 'AddtlRmtInf'),
  });
}

export function readRemittance(element: XmlElement | undefined): RemittanceInformation | undefined {
  if (element === undefined) return undefined;
  return compact({
    unstructured: texts(element, 'Ustrd'),
    structured: nonEmpty(childElements(element, 'Strd').map(readStructuredRemittance)),
  });
}

/** Reads every SplmtryData element; `consume` may claim one (for Corridor's own extensions). */
export function readSupplementaryData(
  parent: XmlElement,
  path: string,
  context: ParseContext,
  consume: (data: SupplementaryData, path: string) => boolean = () => false,
): readonly SupplementaryData[] | undefined {
  const kept: SupplementaryData[] = [];
  childElements(parent, 'SplmtryData').forEach((element, index) => {
    const dataPath = joinPath(path, 'SplmtryData', index);
    const wrapper = requiredElement(element, 'Envlp', dataPath, context);
    const envelope = wrapper?.children[0];
    if (envelope === undefined) {
      const message = 'Envlp must hold one element.';
      if (wrapper !== undefined) report(context, 'element_missing', joinPath(dataPath, 'Envlp'), message);
      return;
    }
    const data: SupplementaryData = compact({
      placeAndName: optionalText(element, 'PlcAndNm'),
      envelope,
    });
    if (!consume(data, dataPath)) kept.push(data);
  });
  return nonEmpty(kept);
}

export function readOriginalGroup(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): OriginalGroupReference | undefined {
  if (element === undefined) return undefined;
  return compact({
    messageId: requiredText(element, 'OrgnlMsgId', path, context),
    messageNameId: requiredText(element, 'OrgnlMsgNmId', path, context),
    creationDateTime: optionalText(element, 'OrgnlCreDtTm'),
  });
}

/** Reads repeated reason blocks (StsRsnInf, RtrRsnInf, CxlRsnInf, CxlStsRsnInf). */
export function readReasons(
  parent: XmlElement,
  name: string,
  path: string,
  context: ParseContext,
): readonly ReasonInformation[] | undefined {
  return nonEmpty(
    childElements(parent, name).map((element, index) =>
      compact({
        originator: readParty(
          childElement(element, 'Orgtr'),
          joinPath(path, `${name}[${index + 1}]/Orgtr`),
          context,
        ),
        reason: readCodeChoice(childElement(element, 'Rsn')),
        additionalInformation: texts(element, 'AddtlInf'),
      }),
    ),
  );
}

export function readSettlementInformation(
  element: XmlElement | undefined,
  path: string,
  context: ParseContext,
): SettlementInformation | undefined {
  if (element === undefined) return undefined;
  const settlementMethod = readRequiredCode(element, 'SttlmMtd', SETTLEMENT_METHODS, path, context);
  if (settlementMethod === undefined) return undefined;
  return compact({
    settlementMethod,
    settlementAccount: readOptionalAccount(element, 'SttlmAcct', path, context),
    clearingSystem: readCodeChoice(childElement(element, 'ClrSys')),
  });
}
