// Network configuration files: validated against the JSON Schema, then checked for meaning
// (one issuing central bank per currency, amounts the currency can represent…), then turned
// into the network commands that build the network. Every error names the faulty field.
import { QUEUE_DEFAULTS } from '../engine/liquidity/queue.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseAmount } from '../money/amount.js';
import type { NetworkCommand } from '../engine/commands.js';
import { NETWORK_CONFIG_SCHEMA, type NetworkConfigFile } from './config-schema.js';
import {
  PAYMENT_RETENTION_MS_DEFAULT,
  RETURN_WINDOW_MS_DEFAULT,
  UETR_RETENTION_MS_DEFAULT,
} from '../engine/payments/ids.js';
import { DEFAULT_SETTINGS, type NetworkSettings } from '../engine/model.js';

export interface ConfigError {
  /** JSON Pointer of the faulty field, e.g. /participants/3/country. */
  readonly field: string;
  readonly message: string;
}

export type ConfigResult =
  | { readonly ok: true; readonly config: NetworkConfigFile }
  | { readonly ok: false; readonly errors: ConfigError[] };

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validateSchema = ajv.compile(NETWORK_CONFIG_SCHEMA);

function amountErrors(config: NetworkConfigFile): ConfigError[] {
  const errors: ConfigError[] = [];
  const check = (text: string | undefined, currency: string, field: string): void => {
    if (text === undefined) return;
    const parsed = parseAmount(text, currency);
    if (!parsed.ok) errors.push({ field, message: parsed.message });
  };
  config.currencies.forEach((currency, index) => {
    for (const key of ['paymentAmountMax', 'dailyOutflowMax', 'schemeFee'] as const) {
      check(currency[key], currency.code, `/currencies/${index}/${key}`);
    }
  });
  config.issuance?.forEach((item, index) =>
    check(item.amount, item.currency, `/issuance/${index}/amount`),
  );
  config.credit?.forEach((item, index) =>
    check(item.limit, item.currency, `/credit/${index}/limit`),
  );
  config.facilities?.forEach((item, index) =>
    check(item.limit, item.currency, `/facilities/${index}/limit`),
  );
  config.swapLines?.forEach((item, index) =>
    check(item.limit, item.currency, `/swapLines/${index}/limit`),
  );
  config.rates?.forEach((rate, index) => {
    check(rate.amountMax, rate.source, `/rates/${index}/amountMax`);
    check(rate.fee, rate.source, `/rates/${index}/fee`);
  });
  return errors;
}

function meaningErrors(config: NetworkConfigFile): ConfigError[] {
  const errors: ConfigError[] = [];
  const participants = new Map(
    config.participants.map((participant) => [participant.id, participant]),
  );
  const currencies = new Map(config.currencies.map((currency) => [currency.code, currency]));
  if (participants.size !== config.participants.length) {
    errors.push({ field: '/participants', message: 'Participant ids must be unique.' });
  }
  if (participants.has(config.operator.id)) {
    errors.push({
      field: '/operator/id',
      message: 'The operator id must differ from every participant id.',
    });
  }
  if (currencies.size !== config.currencies.length) {
    errors.push({ field: '/currencies', message: 'Each currency may be declared only once.' });
  }
  config.currencies.forEach((currency, index) => {
    const issuer = participants.get(currency.issuer);
    if (issuer?.kind !== 'central_bank') {
      errors.push({
        field: `/currencies/${index}/issuer`,
        message: `The issuer of ${currency.code} must be a central bank participant.`,
      });
    }
  });
  config.participants.forEach((participant, index) => {
    participant.currencies.forEach((code, position) => {
      if (!currencies.has(code)) {
        errors.push({
          field: `/participants/${index}/currencies/${position}`,
          message: `${code} is not a network currency.`,
        });
      }
    });
  });
  const holds = (id: string, code: string): boolean =>
    participants.get(id)?.currencies.includes(code) === true;
  config.rates?.forEach((rate, index) => {
    if (participants.get(rate.provider)?.kind !== 'fx_provider') {
      errors.push({
        field: `/rates/${index}/provider`,
        message: `${rate.provider} is not an FX provider.`,
      });
    } else if (!holds(rate.provider, rate.source) || !holds(rate.provider, rate.target)) {
      errors.push({ field: `/rates/${index}`, message: 'The provider must hold both currencies.' });
    }
  });
  for (const [list, key] of [
    [config.issuance ?? [], 'issuance'],
    [config.credit ?? [], 'credit'],
    [config.facilities ?? [], 'facilities'],
  ] as const) {
    list.forEach((item, index) => {
      if (!holds(item.participant, item.currency)) {
        errors.push({
          field: `/${key}/${index}/participant`,
          message: `${item.participant} holds no ${item.currency} account.`,
        });
      }
    });
  }
  return errors.concat(swapLineErrors(config, participants, currencies));
}

/** Each swap line: a network currency, held by a central bank other than its issuer. */
function swapLineErrors(
  config: NetworkConfigFile,
  participants: ReadonlyMap<string, { kind: string }>,
  currencies: ReadonlyMap<string, { issuer: string }>,
): ConfigError[] {
  const errors: ConfigError[] = [];
  config.swapLines?.forEach((item, index) => {
    const issuer = currencies.get(item.currency)?.issuer;
    if (issuer === undefined) {
      errors.push({ field: `/swapLines/${index}/currency`,
        message: `${item.currency} is not a network currency.` });
    } else if (participants.get(item.holder)?.kind !== 'central_bank' || item.holder === issuer) {
      errors.push({ field: `/swapLines/${index}/holder`,
        message: `${item.holder} must be a central bank other than the issuer of ${item.currency}.` });
    }
  });
  return errors;
}

/** Validates a parsed configuration document: schema first, then meaning. */
export function validateNetworkConfig(document: unknown): ConfigResult {
  if (!validateSchema(document)) {
    const errors = (validateSchema.errors ?? []).map((error) => ({
      field: error.instancePath === '' ? '/' : error.instancePath,
      message: `${error.message ?? 'is invalid'}${
        error.params && 'additionalProperty' in error.params
          ? `: ${String(error.params.additionalProperty)}`
          : ''
      }`,
    }));
    return { ok: false, errors };
  }
  const config = document as NetworkConfigFile;
  const errors = [...meaningErrors(config), ...amountErrors(config)];
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config };
}

/** Parses JSON text and validates it; a JSON syntax error is reported at the root. */
export function parseNetworkConfig(text: string): ConfigResult {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      errors: [{ field: '/', message: `The file is not valid JSON: ${(error as Error).message}` }],
    };
  }
  return validateNetworkConfig(document);
}

function minor(text: string | undefined, currency: string): bigint {
  if (text === undefined) return 0n;
  const parsed = parseAmount(text, currency);
  if (!parsed.ok) throw new Error(`configToCommands: ${parsed.message}`);
  return parsed.value;
}

function settingsOf(config: NetworkConfigFile): NetworkSettings {
  const settings = config.settings ?? {};
  return {
    quoteTtlMs: (settings.quoteTtlSeconds ?? DEFAULT_SETTINGS.quoteTtlMs / 1000) * 1000,
    acceptTimeoutMs:
      (settings.acceptTimeoutSeconds ?? DEFAULT_SETTINGS.acceptTimeoutMs / 1000) * 1000,
    reviewTimeoutMs:
      (settings.reviewTimeoutSeconds ?? DEFAULT_SETTINGS.reviewTimeoutMs / 1000) * 1000,
    returnRate: settings.returnRate ?? DEFAULT_SETTINGS.returnRate,
    operatorId: config.operator.id,
    uetrRetentionMs:
      settings.uetrRetentionDays === undefined
        ? UETR_RETENTION_MS_DEFAULT
        : settings.uetrRetentionDays * 86_400_000,
    ...(settings.queue === undefined ? {} : {
      queue: {
        enabled: settings.queue.enabled,
        capacity: settings.queue.capacity ?? QUEUE_DEFAULTS.capacity,
        cycleMs: settings.queue.cycleMs ?? QUEUE_DEFAULTS.cycleMs,
        waitMsDefault: (settings.queue.waitSecondsDefault ?? QUEUE_DEFAULTS.waitMsDefault / 1000) *
          1000,
      },
    }),
    paymentRetentionMs:
      settings.paymentRetentionDays === undefined
        ? PAYMENT_RETENTION_MS_DEFAULT
        : Math.round(settings.paymentRetentionDays * 86_400_000),
    returnWindowMs:
      settings.returnWindowDays === undefined
        ? RETURN_WINDOW_MS_DEFAULT
        : settings.returnWindowDays * 86_400_000,
  };
}

/** The commands that build a validated network, in order; `now` dates the rates' validity. */
/** Intraday credit, then standing facilities, each granted by the currency's issuer. */
function creditCommands(
  config: NetworkConfigFile,
  issuerOf: ReadonlyMap<string, string>,
): NetworkCommand[] {
  const credit: NetworkCommand[] = (config.credit ?? []).map((item) => ({
    type: 'grant_credit',
    actor: issuerOf.get(item.currency) ?? '',
    participantId: item.participant,
    currency: item.currency,
    limit: minor(item.limit, item.currency),
  }));
  return credit.concat((config.facilities ?? []).map((item) => ({
    type: 'set_facility',
    actor: issuerOf.get(item.currency) ?? '',
    participantId: item.participant,
    currency: item.currency,
    limit: minor(item.limit, item.currency),
    rateBps: item.rateBps,
  }))).concat((config.swapLines ?? []).map((item) => ({
    type: 'set_swap_line',
    actor: issuerOf.get(item.currency) ?? '',
    holder: item.holder,
    currency: item.currency,
    limit: minor(item.limit, item.currency),
    rateBps: item.rateBps,
    tenorDays: item.tenorDays,
  })));
}

export function configToCommands(config: NetworkConfigFile, now: number): NetworkCommand[] {
  const operator = config.operator.id;
  const commands: NetworkCommand[] = [
    {
      type: 'configure',
      actor: operator,
      settings: settingsOf(config),
      currencies: config.currencies.map((currency) => ({
        code: currency.code,
        issuer: currency.issuer,
        rules: {
          paymentAmountMax: minor(currency.paymentAmountMax, currency.code),
          dailyOutflowMax: minor(currency.dailyOutflowMax, currency.code),
          schemeFee: minor(currency.schemeFee, currency.code),
        },
      })),
    },
    {
      type: 'add_participant',
      actor: operator,
      participant: {
        id: operator,
        name: config.operator.name,
        kind: 'operator',
        country: '',
        currencies: [],
      },
    },
  ];
  for (const participant of config.participants) {
    commands.push({ type: 'add_participant', actor: operator, participant: { ...participant } });
  }
  const issuerOf = new Map(config.currencies.map((currency) => [currency.code, currency.issuer]));
  for (const [index, item] of (config.issuance ?? []).entries()) {
    commands.push({
      type: 'issue',
      actor: issuerOf.get(item.currency) ?? '',
      id: `genesis-${index + 1}`,
      participantId: item.participant,
      currency: item.currency,
      amount: minor(item.amount, item.currency),
    });
  }
  commands.push(...creditCommands(config, issuerOf));
  for (const rate of config.rates ?? []) {
    commands.push({
      type: 'publish_rate',
      actor: rate.provider,
      rate: {
        providerId: rate.provider,
        source: rate.source,
        target: rate.target,
        rate: rate.rate,
        spreadBps: rate.spreadBps ?? 0,
        amountMax: minor(rate.amountMax, rate.source),
        fee: minor(rate.fee, rate.source),
        validUntil: now + (rate.validSeconds ?? 86_400) * 1000,
      },
    });
  }
  return commands;
}
