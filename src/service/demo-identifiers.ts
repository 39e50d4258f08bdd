// The demo participants' ISO identifiers: test BICs and LEIs. Every BIC is a test BIC: its
// location code ends in "0" (SWIFT's mark of a test and training BIC, never a live one) and
// reads "T0"; letters 5–6 are the participant's country. LEIs carry valid ISO 17442 check
// digits under the made-up prefix "DEMO" (no LEI issuer uses it), so they pass any check-digit
// test without naming a real entity.

/** Four letters per demo participant: the institution code of its BIC. */
const INSTITUTION_CODES: Readonly<Record<string, string>> = {
  bcb: 'BCBR',
  'br-atlantico': 'ATLA',
  'br-cerrado': 'CERR',
  'br-paulista': 'PAUL',
  cbr: 'CBRU',
  'ru-volga': 'VOLG',
  'ru-ural': 'URAL',
  rbi: 'RBIN',
  'in-deccan': 'DECC',
  'in-ganga': 'GANG',
  'in-konkan': 'KONK',
  pboc: 'PBOC',
  'cn-yangtze': 'YANG',
  'cn-pearl': 'PEAR',
  'cn-silk': 'SILK',
  sarb: 'SARB',
  'za-highveld': 'HIGH',
  'za-cape': 'CAPE',
  cbe: 'CBEG',
  'eg-nile': 'NILE',
  'eg-delta': 'DELT',
  nbe: 'NBET',
  'et-abay': 'ABAY',
  'et-rift': 'RIFT',
  cbi: 'CBIR',
  'ir-zagros': 'ZAGR',
  'ir-caspian': 'CASP',
  cbuae: 'CBAE',
  'ae-dhow': 'DHOW',
  'ae-falcon': 'FALC',
  'ae-oasis': 'OASI',
  'fx-kazan': 'KAZN',
  'fx-silk': 'SLKB',
  'fx-cape': 'CAPL',
  'fx-gulf': 'GULF',
};

/** The location code of every demo BIC: "0" in second place marks a test BIC. */
export const DEMO_BIC_LOCATION = 'T0';

/** The demo participant's test BIC (8 characters), or undefined for an id not in the demo. */
export function demoBic(participantId: string, country: string): string | undefined {
  const institution = INSTITUTION_CODES[participantId];
  return institution === undefined ? undefined : `${institution}${country}${DEMO_BIC_LOCATION}`;
}

/** ISO 7064 MOD 97-10 over letters (A = 10 … Z = 35) and digits, as ISO 17442 uses it. */
function mod97(text: string): number {
  let remainder = 0;
  for (const character of text) {
    for (const digit of String(Number.parseInt(character, 36))) {
      remainder = (remainder * 10 + Number(digit)) % 97;
    }
  }
  return remainder;
}

/** The LEI of an 18-character base: the base and its two ISO 17442 check digits. */
export function leiWithCheckDigits(base: string): string {
  if (!/^[A-Z0-9]{18}$/.test(base)) throw new Error(`leiWithCheckDigits: bad base ${base}`);
  const check = 98 - mod97(`${base}00`);
  return `${base}${String(check).padStart(2, '0')}`;
}

/** Whether an LEI's check digits are right (its MOD 97-10 remainder is 1). */
export function isValidLei(lei: string): boolean {
  return /^[A-Z0-9]{18}[0-9]{2}$/.test(lei) && mod97(lei) === 1;
}

/** The demo participant's LEI: "DEMO00", its institution code, country, "CRDR00", check digits. */
export function demoLei(participantId: string, country: string): string | undefined {
  const institution = INSTITUTION_CODES[participantId];
  if (institution === undefined) return undefined;
  return leiWithCheckDigits(`DEMO00${institution}${country}CRDR00`.slice(0, 18));
}

/** A demo participant's identifiers, to spread into its configuration entry. */
export function demoIdentifiers(
  participantId: string,
  country: string,
): { bic?: string; lei?: string } {
  const bic = demoBic(participantId, country);
  const lei = demoLei(participantId, country);
  return { ...(bic === undefined ? {} : { bic }), ...(lei === undefined ? {} : { lei }) };
}
