// Writers for the shared components, in ISO element order, refusing what the target schema
// version cannot carry.
import { POSTAL_ADDRESS_FIELDS } from './components-read.js';
import {
  amountElement,
  codeChoiceElement,
  fault,
  pathOf,
  requiredText,
  type GenerateContext,
} from './generate-context.js';
import type {
  Account,
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
  ReasonInformation,
  ReferredDocument,
  RemittanceInformation,
  SettlementInformation,
  StructuredRemittance,
  SupplementaryData,
} from './model.js';
import type { XmlElement } from './xml-element.js';
import type { OptionalElement } from './xml-writer.js';

type AddressField = (typeof POSTAL_ADDRESS_FIELDS)[number][0];

const ADDRESS6_FIELDS: ReadonlySet<AddressField> = new Set([
  'department',
  'subDepartment',
  'streetName',
  'buildingNumber',
  'postCode',
  'townName',
  'countrySubDivision',
  'country',
]);
const ADDRESS27_FIELDS: ReadonlySet<AddressField> = new Set(['careOf', 'unitNumber']);

function addressFieldSupported(context: GenerateContext, field: AddressField): boolean {
  const style = context.features.postalAddress;
  if (style === 'address6') return ADDRESS6_FIELDS.has(field);
  return style === 'address27' || !ADDRESS27_FIELDS.has(field);
}

export function postalAddressElement(
  context: GenerateContext,
  name: string,
  address: PostalAddress | undefined,
  path: string,
): OptionalElement {
  if (address === undefined) return undefined;
  const here = pathOf(path, name);
  const children: OptionalElement[] = [];
  for (const [field, tag] of POSTAL_ADDRESS_FIELDS) {
    const value = address[field];
    if (value === undefined) continue;
    if (!addressFieldSupported(context, field)) {
      fault(
        context,
        'field_not_supported_in_version',
        pathOf(here, tag),
        `${field} is not in this version's postal address.`,
      );
      continue;
    }
    children.push(context.build.required(tag, value));
  }
  for (const line of address.addressLines ?? []) children.push(context.build.required('AdrLine', line));
  return context.build.group(name, children);
}

export function genericIdentificationElement(
  context: GenerateContext,
  name: string,
  identification: GenericIdentification,
  path: string,
): XmlElement {
  const here = pathOf(path, name);
  return context.build.element(name, [
    requiredText(context, 'Id', identification.identification, here),
    codeChoiceElement(context, 'SchmeNm', identification.scheme),
    context.build.text('Issr', identification.issuer),
  ]);
}

function refuseLegalEntityIdentifier(
  context: GenerateContext,
  lei: string | undefined,
  path: string,
) {
  if (lei === undefined || context.features.legalEntityIdentifier) return lei;
  fault(
    context,
    'field_not_supported_in_version',
    pathOf(path, 'LEI'),
    'This version has no LEI here.',
  );
  return undefined;
}

function financialInstitutionIdentification(
  context: GenerateContext,
  institution: FinancialInstitution,
  path: string,
): XmlElement {
  const { build } = context;
  const here = pathOf(path, 'FinInstnId');
  if (institution.clearingSystem !== undefined && institution.memberId === undefined) {
    fault(
      context,
      'value_missing',
      pathOf(here, 'ClrSysMmbId/MmbId'),
      'A clearing system needs a member id.',
    );
  }
  const member =
    institution.memberId === undefined
      ? undefined
      : build.element('ClrSysMmbId', [
          codeChoiceElement(context, 'ClrSysId', institution.clearingSystem),
          build.required('MmbId', institution.memberId),
        ]);
  return build.element('FinInstnId', [
    build.text('BICFI', institution.bic),
    member,
    build.text('LEI', refuseLegalEntityIdentifier(context, institution.lei, here)),
    build.text('Nm', institution.name),
    postalAddressElement(context, 'PstlAdr', institution.postalAddress, here),
    institution.other === undefined
      ? undefined
      : genericIdentificationElement(context, 'Othr', institution.other, here),
  ]);
}

/** An agent element (BranchAndFinancialInstitutionIdentification) around its FinInstnId. */
export function agentElement(
  context: GenerateContext,
  name: string,
  institution: FinancialInstitution | undefined,
  path: string,
): OptionalElement {
  if (institution === undefined) return undefined;
  return context.build.element(name, [
    financialInstitutionIdentification(context, institution, pathOf(path, name)),
  ]);
}

function partyIdentificationElement(
  context: GenerateContext,
  identification: PartyIdentification | undefined,
  path: string,
): OptionalElement {
  if (identification === undefined) return undefined;
  const { build } = context;
  const here = pathOf(path, 'Id');
  const others = (list: readonly GenericIdentification[] | undefined, at: string) =>
    (list ?? []).map((other) => genericIdentificationElement(context, 'Othr', other, at));
  if ('organisation' in identification) {
    const organisation = identification.organisation;
    const at = pathOf(here, 'OrgId');
    return build.element('Id', [
      build.element('OrgId', [
        build.text('AnyBIC', organisation.anyBic),
        build.text('LEI', refuseLegalEntityIdentifier(context, organisation.lei, at)),
        ...others(organisation.others, at),
      ]),
    ]);
  }
  const person = identification.person;
  const birth = person.dateAndPlaceOfBirth;
  return build.element('Id', [
    build.element('PrvtId', [
      birth === undefined
        ? undefined
        : build.element('DtAndPlcOfBirth', [
            build.required('BirthDt', birth.birthDate),
            build.text('PrvcOfBirth', birth.province),
            build.required('CityOfBirth', birth.city),
            build.required('CtryOfBirth', birth.country),
          ]),
      ...others(person.others, pathOf(here, 'PrvtId')),
    ]),
  ]);
}

function contactDetailsElement(
  context: GenerateContext,
  details: ContactDetails | undefined,
  path: string,
): OptionalElement {
  if (details === undefined) return undefined;
  const { build } = context;
  let preferredMethod = details.preferredMethod;
  if (preferredMethod !== undefined && !context.features.contactPreferredMethod) {
    fault(
      context,
      'field_not_supported_in_version',
      pathOf(path, 'CtctDtls/PrefrdMtd'),
      'This version has no PrefrdMtd.',
    );
    preferredMethod = undefined;
  }
  return build.group('CtctDtls', [
    build.text('Nm', details.name),
    build.text('PhneNb', details.phoneNumber),
    build.text('MobNb', details.mobileNumber),
    build.text('EmailAdr', details.emailAddress),
    build.text('PrefrdMtd', preferredMethod),
  ]);
}

export function partyElement(
  context: GenerateContext,
  name: string,
  party: Party | undefined,
  path: string,
): OptionalElement {
  if (party === undefined) return undefined;
  const here = pathOf(path, name);
  return context.build.element(name, [
    context.build.text('Nm', party.name),
    postalAddressElement(context, 'PstlAdr', party.postalAddress, here),
    partyIdentificationElement(context, party.identification, here),
    context.build.text('CtryOfRes', party.countryOfResidence),
    contactDetailsElement(context, party.contactDetails, here),
  ]);
}

/** ISO's Party40Choice: a Pty or an Agt inside the named element. */
export function partyOrAgentElement(
  context: GenerateContext,
  name: string,
  value: PartyOrAgent | undefined,
  path: string,
): OptionalElement {
  if (value === undefined) return undefined;
  const here = pathOf(path, name);
  return context.build.element(name, [
    'party' in value
      ? partyElement(context, 'Pty', value.party, here)
      : agentElement(context, 'Agt', value.agent, here),
  ]);
}

export function accountElement(
  context: GenerateContext,
  name: string,
  account: Account | undefined,
  path: string,
): OptionalElement {
  if (account === undefined) return undefined;
  const { build } = context;
  const here = pathOf(path, name);
  const identification = account.identification;
  if (identification === undefined && !context.features.accountIdentificationOptional) {
    fault(
      context,
      'field_required_in_version',
      pathOf(here, 'Id'),
      'This version requires the account Id.',
    );
  }
  let proxy = account.proxy;
  if (proxy !== undefined && !context.features.accountProxy) {
    fault(
      context,
      'field_not_supported_in_version',
      pathOf(here, 'Prxy'),
      'This version has no account proxy.',
    );
    proxy = undefined;
  }
  const identificationElement =
    identification === undefined
      ? undefined
      : 'iban' in identification
        ? build.element('Id', [build.required('IBAN', identification.iban)])
        : build.element(
          'Id',
          [genericIdentificationElement(context, 'Othr', identification.other, pathOf(here, 'Id'))],
        );
  return build.element(name, [
    identificationElement,
    codeChoiceElement(context, 'Tp', account.type),
    build.text('Ccy', account.currency),
    build.text('Nm', account.name),
    proxy === undefined
      ? undefined
      : build.element(
        'Prxy',
        [codeChoiceElement(context, 'Tp', proxy.type), build.required('Id', proxy.identification)],
      ),
  ]);
}

export function chargeElements(
  context: GenerateContext,
  charges: readonly Charge[] | undefined,
  path: string,
) {
  return (charges ?? []).map((charge, index) => {
    const here = pathOf(path, 'ChrgsInf', index);
    return context.build.element('ChrgsInf', [
      amountElement(context, 'Amt', charge.amount, here),
      agentElement(context, 'Agt', charge.agent, here),
    ]);
  });
}

export function paymentTypeElement(
  context: GenerateContext,
  paymentType: PaymentType | undefined,
): OptionalElement {
  if (paymentType === undefined) return undefined;
  return context.build.group('PmtTpInf', [
    context.build.text('InstrPrty', paymentType.instructionPriority),
    context.build.text('ClrChanl', paymentType.clearingChannel),
    ...(paymentType.serviceLevels ?? []).map((level) => codeChoiceElement(
      context,
      'SvcLvl',
      level,
    )),
    codeChoiceElement(context, 'LclInstrm', paymentType.localInstrument),
    codeChoiceElement(context, 'CtgyPurp', paymentType.categoryPurpose),
  ]);
}

function relatedDateElement(
  context: GenerateContext,
  document: ReferredDocument,
  path: string,
): OptionalElement {
  const { build } = context;
  if (context.features.referredDocumentDateWithType) {
    if (document.relatedDate === undefined) return undefined;
    if (document.relatedDateType === undefined) {
      fault(
        context,
        'field_required_in_version',
        pathOf(path, 'RltdDt/Tp'),
        'This version requires the related date type.',
      );
      return undefined;
    }
    return build.element('RltdDt', [
      codeChoiceElement(context, 'Tp', document.relatedDateType),
      build.required('Dt', document.relatedDate),
    ]);
  }
  if (document.relatedDateType !== undefined) {
    fault(
      context,
      'field_not_supported_in_version',
      pathOf(path, 'RltdDt/Tp'),
      'This version has no related date type.',
    );
  }
  return build.text('RltdDt', document.relatedDate);
}

function typeWithIssuer(
  context: GenerateContext,
  choice: ReferredDocument['type'],
  issuer: string | undefined,
) {
  if (choice === undefined) return undefined;
  return context.build.element(
    'Tp',
    [codeChoiceElement(context, 'CdOrPrtry', choice), context.build.text('Issr', issuer)],
  );
}

function structuredRemittanceElement(
  context: GenerateContext,
  structured: StructuredRemittance,
  path: string,
): XmlElement {
  const { build } = context;
  const reference = structured.creditorReference;
  return build.element('Strd', [
    ...(structured.referredDocuments ?? []).map((document, index) =>
      build.element('RfrdDocInf', [
        typeWithIssuer(context, document.type, document.typeIssuer),
        build.text('Nb', document.number),
        relatedDateElement(context, document, pathOf(path, 'RfrdDocInf', index)),
      ]),
    ),
    reference === undefined
      ? undefined
      : build.element('CdtrRefInf', [
          typeWithIssuer(context, reference.type, reference.typeIssuer),
          build.text('Ref', reference.reference),
        ]),
    ...(structured.additionalInformation ?? []).map((line) => build.required('AddtlRmtInf', line)),
  ]);
}

export function remittanceElement(
  context: GenerateContext,
  remittance: RemittanceInformation | undefined,
  path: string,
): OptionalElement {
  if (remittance === undefined) return undefined;
  const here = pathOf(path, 'RmtInf');
  return context.build.group('RmtInf', [
    ...(remittance.unstructured ?? []).map((line) => context.build.required('Ustrd', line)),
    ...(remittance.structured ?? []).map((structured, index) =>
      structuredRemittanceElement(context, structured, pathOf(here, 'Strd', index)),
    ),
  ]);
}

export function supplementaryDataElements(
  context: GenerateContext,
  data: readonly SupplementaryData[] | undefined,
): XmlElement[] {
  return (data ?? []).map((entry) =>
    context.build.element('SplmtryData', [
      context.build.text('PlcAndNm', entry.placeAndName),
      context.build.element('Envlp', [entry.envelope]),
    ]),
  );
}

export function originalGroupElement(
  context: GenerateContext,
  name: string,
  group: OriginalGroupReference | undefined,
  path: string,
): OptionalElement {
  if (group === undefined) return undefined;
  const here = pathOf(path, name);
  return context.build.element(name, [
    requiredText(context, 'OrgnlMsgId', group.messageId, here),
    requiredText(context, 'OrgnlMsgNmId', group.messageNameId, here),
    context.build.text('OrgnlCreDtTm', group.creationDateTime),
  ]);
}

export function reasonElements(
  context: GenerateContext,
  name: string,
  reasons: readonly ReasonInformation[] | undefined,
  path: string,
): XmlElement[] {
  return (reasons ?? []).map((reason, index) => {
    const here = pathOf(path, name, index);
    return context.build.element(name, [
      partyElement(context, 'Orgtr', reason.originator, here),
      codeChoiceElement(context, 'Rsn', reason.reason),
      ...(reason.additionalInformation ?? []).map((line) => context.build.required('AddtlInf', line)),
    ]);
  });
}

export function settlementInformationElement(
  context: GenerateContext,
  settlement: SettlementInformation | undefined,
  path: string,
): OptionalElement {
  if (settlement === undefined) {
    fault(context, 'value_missing', pathOf(path, 'SttlmInf'), 'SttlmInf is required.');
    return undefined;
  }
  const here = pathOf(path, 'SttlmInf');
  return context.build.element('SttlmInf', [
    context.build.required('SttlmMtd', settlement.settlementMethod),
    accountElement(context, 'SttlmAcct', settlement.settlementAccount, here),
    codeChoiceElement(context, 'ClrSys', settlement.clearingSystem),
  ]);
}
