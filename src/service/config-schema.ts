// The JSON Schema of a network configuration file. It validates files before anything is
// built, and docs/network-config.md documents the same fields.

const amount = { type: 'string', pattern: '^(0|[1-9][0-9]*)(\\.[0-9]+)?$', maxLength: 40 } as const;
const currencyCode = { type: 'string', pattern: '^[A-Z]{3}$' } as const;
const participantId = {
  type: 'string',
  pattern: '^[a-z0-9][a-z0-9._-]*$',
  minLength: 1,
  maxLength: 32,
} as const;

export const NETWORK_CONFIG_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://corridor.dev/schemas/network-config.json',
  title: 'Corridor network configuration',
  type: 'object',
  additionalProperties: false,
  required: ['operator', 'currencies', 'participants'],
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', maxLength: 140 },
    operator: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'name'],
      properties: { id: participantId, name: { type: 'string', minLength: 1, maxLength: 140 } },
    },
    settings: {
      type: 'object',
      additionalProperties: false,
      properties: {
        quoteTtlSeconds: { type: 'integer', minimum: 1, maximum: 3600 },
        acceptTimeoutSeconds: { type: 'integer', minimum: 1, maximum: 86_400 },
        reviewTimeoutSeconds: { type: 'integer', minimum: 60, maximum: 604_800 },
        returnRate: { enum: ['original', 'fresh_quote'] },
        uetrRetentionDays: { type: 'integer', minimum: 1, maximum: 3650 },
        queue: {
          type: 'object',
          additionalProperties: false,
          required: ['enabled'],
          properties: {
            enabled: { type: 'boolean' },
            capacity: { type: 'integer', minimum: 1, maximum: 1_000_000 },
            cycleMs: { type: 'integer', minimum: 0, maximum: 60_000 },
            waitSecondsDefault: { type: 'integer', minimum: 1, maximum: 604_800 },
          },
        },
        paymentRetentionDays: { type: 'number', minimum: 0.001, maximum: 3650 },
        returnWindowDays: { type: 'integer', minimum: 1, maximum: 3650 },
      },
    },
    currencies: {
      type: 'array',
      minItems: 1,
      maxItems: 64,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'issuer'],
        properties: {
          code: currencyCode,
          issuer: participantId,
          paymentAmountMax: amount,
          dailyOutflowMax: amount,
          schemeFee: amount,
        },
      },
    },
    participants: {
      type: 'array',
      minItems: 1,
      maxItems: 10_000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'kind', 'country', 'currencies'],
        properties: {
          id: participantId,
          name: { type: 'string', minLength: 1, maxLength: 140 },
          kind: { enum: ['central_bank', 'bank', 'fx_provider'] },
          country: { type: 'string', pattern: '^[A-Z]{2}$' },
          bic: { type: 'string', pattern: '^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$' },
          lei: { type: 'string', pattern: '^[A-Z0-9]{18}[0-9]{2}$' },
          fxToleranceBps: { type: 'integer', minimum: 0, maximum: 1_000 },
          currencies: { type: 'array', items: currencyCode, maxItems: 32, uniqueItems: true },
        },
      },
    },
    rates: {
      type: 'array',
      maxItems: 100_000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['provider', 'source', 'target', 'rate'],
        properties: {
          provider: participantId,
          source: currencyCode,
          target: currencyCode,
          rate: { type: 'string', pattern: '^(0|[1-9][0-9]*)(\\.[0-9]{1,12})?$' },
          spreadBps: { type: 'integer', minimum: 0, maximum: 9_999 },
          amountMax: amount,
          fee: amount,
          validSeconds: { type: 'integer', minimum: 1, maximum: 31_536_000 },
        },
      },
    },
    issuance: {
      type: 'array',
      maxItems: 100_000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['currency', 'participant', 'amount'],
        properties: { currency: currencyCode, participant: participantId, amount },
      },
    },
    credit: {
      type: 'array',
      maxItems: 100_000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['currency', 'participant', 'limit'],
        properties: { currency: currencyCode, participant: participantId, limit: amount },
      },
    },
    facilities: {
      type: 'array',
      maxItems: 100_000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['currency', 'participant', 'limit', 'rateBps'],
        properties: {
          currency: currencyCode,
          participant: participantId,
          limit: amount,
          rateBps: { type: 'integer', minimum: 0, maximum: 10_000 },
        },
      },
    },
    swapLines: {
      type: 'array',
      maxItems: 10_000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['currency', 'holder', 'limit', 'rateBps', 'tenorDays'],
        properties: {
          currency: currencyCode,
          holder: participantId,
          limit: amount,
          rateBps: { type: 'integer', minimum: 0, maximum: 10_000 },
          tenorDays: { type: 'integer', minimum: 1, maximum: 366 },
        },
      },
    },
  },
} as const;

export interface NetworkConfigFile {
  name?: string;
  operator: { id: string; name: string };
  settings?: {
    quoteTtlSeconds?: number;
    acceptTimeoutSeconds?: number;
    reviewTimeoutSeconds?: number;
    returnRate?: 'original' | 'fresh_quote';
    uetrRetentionDays?: number;
    /** The settlement queue and gridlock resolution (docs/liquidity.md); absent: off. */
    queue?: {
      enabled: boolean;
      capacity?: number;
      cycleMs?: number;
      waitSecondsDefault?: number;
    };
    paymentRetentionDays?: number;
    returnWindowDays?: number;
  };
  currencies: {
    code: string;
    issuer: string;
    paymentAmountMax?: string;
    dailyOutflowMax?: string;
    schemeFee?: string;
  }[];
  participants: {
    id: string;
    name: string;
    kind: 'central_bank' | 'bank' | 'fx_provider';
    country: string;
    bic?: string;
    lei?: string;
    fxToleranceBps?: number;
    currencies: string[];
  }[];
  rates?: {
    provider: string;
    source: string;
    target: string;
    rate: string;
    spreadBps?: number;
    amountMax?: string;
    fee?: string;
    validSeconds?: number;
  }[];
  issuance?: { currency: string; participant: string; amount: string }[];
  credit?: { currency: string; participant: string; limit: string }[];
  /** Standing facilities at genesis: limit and yearly rate (src/engine/facilities.ts). */
  facilities?: { currency: string; participant: string; limit: string; rateBps: number }[];
  /**
   * Bilateral central-bank swap lines at genesis (src/engine/swap-lines.ts): the issuer of
   * `currency` lets central bank `holder` draw it up to `limit`; each draw matures `tenorDays`
   * after it was drawn.
   */
  swapLines?: { currency: string; holder: string; limit: string; rateBps: number;
    tenorDays: number }[];
}
