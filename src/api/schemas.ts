// Request schemas, declared once with TypeBox: Fastify validates requests with them and the
// OpenAPI document is generated from them, so the docs cannot drift from the validation.
import { Type, type Static } from '@sinclair/typebox';

/** The pattern of every amount field; validation.ts lets the money module explain a mismatch. */
export const AMOUNT_PATTERN = '^(0|[1-9][0-9]*)(\\.[0-9]+)?$';
const CURRENCY_PATTERN = '^[A-Z]{3}$';
const PARTICIPANT_ID_PATTERN = '^[a-z0-9][a-z0-9._-]*$';
const IDENTIFIER_PATTERN = '^[A-Za-z0-9._-]+$';
const UETR_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$';
const COUNTRY_PATTERN = '^[A-Z]{2}$';
const BIC_PATTERN = '^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$';
const LEI_PATTERN = '^[A-Z0-9]{18}[0-9]{2}$';
const RATE_PATTERN = '^(0|[1-9][0-9]*)(\\.[0-9]{1,12})?$';
const REASON_PATTERN = '^[A-Z0-9]{4}$';
/** Free text: no control characters (they break ISO 20022 XML and some SQL text types). */
const PLAIN_TEXT = '^[^\\u0000-\\u001F\\u007F]*$';
const URL_PATTERN = '^https?://';

/**
 * Each pattern in plain words, for error messages: a client is told what to send, never the
 * regular expression (validation.ts). A pattern without a description here gets a generic one.
 */
export const FORMAT_DESCRIPTIONS: ReadonlyMap<string, string> = new Map([
  [AMOUNT_PATTERN, 'a plain decimal amount such as "1500.00"'],
  [CURRENCY_PATTERN, 'an ISO 4217 currency code of three capital letters, such as "BRL"'],
  [PARTICIPANT_ID_PATTERN, 'a participant id: lower-case letters, digits, ".", "_" or "-"'],
  [IDENTIFIER_PATTERN, 'an id of letters, digits, ".", "_" or "-"'],
  [UETR_PATTERN, 'a lower-case UUID version 4'],
  [COUNTRY_PATTERN, 'an ISO 3166 country code of two capital letters, such as "BR"'],
  [BIC_PATTERN, 'a BIC of 8 or 11 capital letters and digits'],
  [LEI_PATTERN, 'an LEI of 20 capital letters and digits'],
  [RATE_PATTERN, 'a plain decimal rate with at most 12 decimals, such as "5.4321"'],
  [REASON_PATTERN, 'an ISO 20022 reason code of four capital letters or digits, such as "NARR"'],
  [PLAIN_TEXT, 'text without control characters'],
  [URL_PATTERN, 'an http:// or https:// URL'],
]);

export const Amount = Type.String({
  pattern: AMOUNT_PATTERN,
  maxLength: 40,
  description: 'A decimal amount in major units, exactly as the currency allows: "1234.56".',
  examples: ['1500.00'],
});
export const CurrencyCode = Type.String({
  pattern: CURRENCY_PATTERN,
  description: 'ISO 4217 code.',
  examples: ['BRL'],
});
export const ParticipantId = Type.String({
  pattern: PARTICIPANT_ID_PATTERN,
  minLength: 1,
  maxLength: 32,
});
export const Identifier = Type.String({
  pattern: IDENTIFIER_PATTERN,
  minLength: 1,
  maxLength: 48,
});
export const Uetr = Type.String({ pattern: UETR_PATTERN });

const strict = { additionalProperties: false } as const;

function Text(maxLength: number, minLength = 1) {
  return Type.String({ minLength, maxLength, pattern: PLAIN_TEXT });
}

export const PartySchema = Type.Object(
  {
    name: Text(140),
    account: Type.Optional(Type.String({ minLength: 1, maxLength: 34 })),
    country: Type.Optional(Type.String({ pattern: COUNTRY_PATTERN })),
    identifiers: Type.Optional(
      Type.Record(
        Type.String({ minLength: 1, maxLength: 35 }),
        Type.String({ minLength: 1, maxLength: 35 }),
        { maxProperties: 8 },
      ),
    ),
  },
  strict,
);

export const ParticipantBody = Type.Object(
  {
    id: ParticipantId,
    name: Text(140),
    kind: Type.Union([
      Type.Literal('central_bank'),
      Type.Literal('bank'),
      Type.Literal('fx_provider'),
    ]),
    country: Type.String({ pattern: COUNTRY_PATTERN }),
    bic: Type.Optional(Type.String({ pattern: BIC_PATTERN })),
    lei: Type.Optional(Type.String({ pattern: LEI_PATTERN })),
    fxToleranceBps: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000 })),
    currencies: Type.Array(CurrencyCode, { maxItems: 32, uniqueItems: true }),
  },
  { ...strict, examples: [{ id: 'br-third', name: 'Terceiro Banco', kind: 'bank', country: 'BR',
    currencies: ['BRL'] }] },
);

export const IssuanceBody = Type.Object(
  {
    id: Type.Optional(Identifier),
    participantId: ParticipantId,
    currency: CurrencyCode,
    amount: Amount,
  },
  { ...strict, examples: [{ participantId: 'br-bank', currency: 'BRL', amount: '1000.00' }] },
);

export const CreditBody = Type.Object(
  { participantId: ParticipantId, currency: CurrencyCode, limit: Amount },
  { ...strict, examples: [{ participantId: 'br-bank', currency: 'BRL', limit: '50000.00' }] },
);

export const FacilityBody = Type.Object(
  {
    participantId: ParticipantId,
    currency: CurrencyCode,
    limit: Amount,
    rateBps: Type.Integer({ minimum: 0, maximum: 10_000,
      description: 'Yearly interest in basis points (simple, actual/360).' }),
  },
  { ...strict, examples: [{ participantId: 'br-bank', currency: 'BRL', limit: '100000.00',
    rateBps: 1_075 }] },
);

export const SwapLineBody = Type.Object(
  {
    holder: ParticipantId,
    currency: CurrencyCode,
    limit: Amount,
    rateBps: Type.Integer({ minimum: 0, maximum: 10_000,
      description: 'Yearly interest in basis points (simple, actual/360).' }),
    tenorDays: Type.Integer({ minimum: 1, maximum: 366,
      description: 'Each draw matures this many days after it was drawn.' }),
  },
  { ...strict, examples: [{ holder: 'rbi', currency: 'BRL', limit: '1000000.00',
    rateBps: 720, tenorDays: 90 }] },
);

export const SwapLendBody = Type.Object(
  { providerId: ParticipantId, amount: Amount },
  { ...strict, examples: [{ providerId: 'fx-one', amount: '25000.00' }] },
);

export const DrawBody = Type.Object(
  { amount: Amount },
  { ...strict, examples: [{ amount: '25000.00' }] },
);

export const RulesBody = Type.Object(
  {
    paymentAmountMax: Amount,
    dailyOutflowMax: Amount,
    schemeFee: Amount,
  },
  { ...strict, examples: [{ paymentAmountMax: '1000000.00', dailyOutflowMax: '5000000.00',
    schemeFee: '0.50' }] },
);

export const RateBody = Type.Object(
  {
    source: CurrencyCode,
    target: CurrencyCode,
    rate: Type.String({
      pattern: RATE_PATTERN,
      description: 'Target units per source unit.',
    }),
    spreadBps: Type.Integer({ minimum: 0, maximum: 9_999 }),
    amountMax: Amount,
    fee: Type.Optional(Amount),
    validSeconds: Type.Integer({ minimum: 1, maximum: 31_536_000 }),
  },
  { ...strict, examples: [{ source: 'BRL', target: 'INR', rate: '15.5', spreadBps: 50,
    amountMax: '2000000.00', validSeconds: 3600 }] },
);

export const QuoteBody = Type.Object(
  {
    id: Type.Optional(Identifier),
    sourceCurrency: CurrencyCode,
    targetCurrency: CurrencyCode,
    fixed: Type.Union([Type.Literal('send'), Type.Literal('receive')]),
    amount: Amount,
    routing: Type.Optional(Type.Union([Type.Literal('best'), Type.Literal('direct')], {
      description: 'best (default): the best offer, direct or through a third member currency ' +
        '(never USD); direct: one FX provider converting the pair directly.',
    })),
  },
  { ...strict, examples: [{ sourceCurrency: 'BRL', targetCurrency: 'INR', fixed: 'send',
    amount: '1500.00' }] },
);

/** A domestic BRL payment of the test and demo networks (examples are sent in contract.test.ts). */
const PAYMENT_EXAMPLE = {
  creditorAgent: 'br-other',
  debtor: { name: 'Soja Exportadora Ltda', account: 'BR1800000000000000000000001' },
  creditor: { name: 'Cafe Paulista Ltda', account: 'BR1800000000000000000000002' },
  amount: '250.00',
  currency: 'BRL',
  purpose: 'GDDS',
  remittanceInformation: 'Invoice 2026-0117',
  endToEndId: 'E2E-2026-12-0001',
};

/**
 * A quote asked for inline with a payment (POST /v1/payments "quote"): asked and used in one
 * batch. The fields of POST /v1/quotes, without an id (derived from the payment's).
 */
export const InlineQuote = Type.Object(
  {
    sourceCurrency: CurrencyCode,
    targetCurrency: CurrencyCode,
    fixed: Type.Union([Type.Literal('send'), Type.Literal('receive')]),
    amount: Amount,
    routing: Type.Optional(Type.Union([Type.Literal('best'), Type.Literal('direct')], {
      description: 'As in POST /v1/quotes: best (default) or direct.',
    })),
  },
  {
    ...strict,
    description: 'A quote to ask for and pay with at once, instead of quoteId (then amount and ' +
      'currency come from the quote and are not given). The quote and the payment go in one ' +
      'batch; if the payment is refused, the quote stays, unused, until it expires.',
    examples: [{ sourceCurrency: 'BRL', targetCurrency: 'INR', fixed: 'send', amount: '1500.00' }],
  },
);

export const PaymentBody = Type.Object(
  {
    id: Type.Optional(Identifier),
    mode: Type.Optional(Type.Union([Type.Literal('instant'), Type.Literal('two_phase')])),
    creditorAgent: ParticipantId,
    debtor: PartySchema,
    creditor: PartySchema,
    quoteId: Type.Optional(Identifier),
    quote: Type.Optional(InlineQuote),
    amount: Type.Optional(Amount),
    currency: Type.Optional(CurrencyCode),
    purpose: Type.Optional(Text(35)),
    remittanceInformation: Type.Optional(Text(140, 0)),
    endToEndId: Type.String({ minLength: 1, maxLength: 35 }),
    uetr: Type.Optional(Uetr),
    priority: Type.Optional(Type.Union([Type.Literal('urgent'), Type.Literal('normal')], {
      description: 'Settlement priority if the payment has to wait in the settlement queue ' +
        '(ISO 20022 InstrPrty HIGH/NORM). Default normal.',
    })),
    latestSettlementTime: Type.Optional(Type.String({
      format: 'date-time',
      description: 'If the payment waits in the settlement queue, it is rejected (AB01) at ' +
        "this time. Never after the quote's expiry; default: the quote's expiry (domestic: the " +
        "queue's default wait).",
    })),
  },
  { ...strict, examples: [PAYMENT_EXAMPLE] },
);

export const BATCH_PAYMENTS_MAX = 8_000;
export const BatchBody = Type.Object(
  {
    payments: Type.Array(PaymentBody, { minItems: 1, maxItems: BATCH_PAYMENTS_MAX }),
  },
  { ...strict, examples: [{ payments: [{ ...PAYMENT_EXAMPLE, endToEndId: 'E2E-2026-12-0002' }] }] },
);

export const RejectBody = Type.Object(
  {
    reason: Type.String({ pattern: REASON_PATTERN }),
    detail: Type.Optional(Text(140, 0)),
  },
  { ...strict, examples: [{ reason: 'AC01', detail: 'The creditor account does not exist.' }] },
);

export const ReviewBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('release'), Type.Literal('reject')]),
  },
  { ...strict, examples: [{ decision: 'release' }] },
);

export const ReturnBody = Type.Object(
  {
    id: Type.Optional(Identifier),
    amount: Amount,
    reason: Type.String({ pattern: REASON_PATTERN }),
    quoteId: Type.Optional(Identifier),
  },
  { ...strict, examples: [{ amount: '100.00', reason: 'CUST' }] },
);

export const KeyBody = Type.Object(
  {
    participantId: Type.Optional(ParticipantId),
    label: Type.Optional(Text(64, 0)),
  },
  { ...strict, examples: [{ label: 'rotation 2026-12' }] },
);

export const WebhookBody = Type.Object(
  {
    url: Type.String({ format: 'uri', maxLength: 2_000, pattern: URL_PATTERN }),
  },
  { ...strict, examples: [{ url: 'https://hooks.example.com/corridor' }] },
);

export const PageQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000 })),
  },
  strict,
);

export const PaymentQuery = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    status: Type.Optional(
      Type.Union(['ACTC', 'ACSP', 'BLCK', 'ACSC', 'ACCC', 'RJCT'].map((s) => Type.Literal(s))),
    ),
    currency: Type.Optional(CurrencyCode),
    participant: Type.Optional(ParticipantId),
    kind: Type.Optional(Type.Union([Type.Literal('payment'), Type.Literal('return')])),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
  },
  strict,
);

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, strict);
export const AccountParams = Type.Object({ id: ParticipantId, currency: CurrencyCode }, strict);
export const CurrencyParams = Type.Object({ currency: CurrencyCode }, strict);
export const HolderCurrencyParams = Type.Object(
  { holder: ParticipantId, currency: CurrencyCode },
  strict,
);

export type PaymentBodyType = Static<typeof PaymentBody>;
export type QuoteBodyType = Static<typeof QuoteBody>;

export const QueueOrderBody = Type.Object(
  {
    paymentIds: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
      minItems: 1, maxItems: 1_000,
      description: 'Your queued payments, in the order they should take among the places they ' +
        'hold (within each priority).',
    }),
  },
  { ...strict, examples: [{ paymentIds: ['pmt-0042', 'pmt-0041'] }] },
);

export const QueuePriorityBody = Type.Object(
  { priority: Type.Union([Type.Literal('urgent'), Type.Literal('normal')]) },
  { ...strict, examples: [{ priority: 'urgent' }] },

);

/** POST /v1/simulations: a small scenario (bounded: docs/api.md). */
export const SimulationBody = Type.Object(
  {
    year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
    scale: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10 })),
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
    regimes: Type.Optional(
      Type.Array(
        Type.Unsafe<'usd_correspondent' | 'bilateral_local' | 'corridor_gross' | 'corridor_lsm'>({
          type: 'string',
          enum: ['usd_correspondent', 'bilateral_local', 'corridor_gross', 'corridor_lsm'],
        }),
        { minItems: 1, maxItems: 4, uniqueItems: true },
      ),
    ),
  },
  { ...strict, examples: [{ year: 2024, scale: 0.01, days: 2, seed: 1 }] },
);
