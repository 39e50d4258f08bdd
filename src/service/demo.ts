// The BRICS demo network: nine member countries, each with its central bank and two or three
// banks, and four FX providers quoting every pair with a hub currency directly (others route
// through a hub). Provider rates derive from the
// USD reference rates in data/fx_reference_rates.csv (copied from the shared data, sources in
// data/SOURCES.md): the cross rate is computed once here, and settlement never uses USD.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { NetworkConfigFile } from './config-schema.js';
import {
  DEMO_FUNDING,
  demoFunding,
  loadCorridors,
  type DemoFunding,
  type FundingKnobs,
} from './demo-funding.js';
import { demoIdentifiers } from './demo-identifiers.js';

const RATES_FILE = new URL('../../data/fx_reference_rates.csv', import.meta.url);

interface Member {
  readonly country: string;
  readonly currency: string;
  readonly centralBank: readonly [id: string, name: string];
  readonly banks: readonly (readonly [id: string, name: string])[];
}

export const DEMO_MEMBERS: readonly Member[] = [
  {
    country: 'BR',
    currency: 'BRL',
    centralBank: ['bcb', 'Banco Central do Brasil'],
    banks: [
      ['br-atlantico', 'Banco Atlântico (demo)'],
      ['br-cerrado', 'Banco do Cerrado (demo)'],
      ['br-paulista', 'Paulista Trade Bank (demo)'],
    ],
  },
  {
    country: 'RU',
    currency: 'RUB',
    centralBank: ['cbr', 'Bank of Russia'],
    banks: [
      ['ru-volga', 'Volga Commercial Bank (demo)'],
      ['ru-ural', 'Ural Trade Bank (demo)'],
    ],
  },
  {
    country: 'IN',
    currency: 'INR',
    centralBank: ['rbi', 'Reserve Bank of India'],
    banks: [
      ['in-deccan', 'Deccan Bank (demo)'],
      ['in-ganga', 'Ganga Commercial Bank (demo)'],
      ['in-konkan', 'Konkan Trade Bank (demo)'],
    ],
  },
  {
    country: 'CN',
    currency: 'CNY',
    centralBank: ['pboc', "People's Bank of China"],
    banks: [
      ['cn-yangtze', 'Yangtze Commercial Bank (demo)'],
      ['cn-pearl', 'Pearl River Bank (demo)'],
      ['cn-silk', 'Silk Road Trade Bank (demo)'],
    ],
  },
  {
    country: 'ZA',
    currency: 'ZAR',
    centralBank: ['sarb', 'South African Reserve Bank'],
    banks: [
      ['za-highveld', 'Highveld Bank (demo)'],
      ['za-cape', 'Cape Commercial Bank (demo)'],
    ],
  },
  {
    country: 'EG',
    currency: 'EGP',
    centralBank: ['cbe', 'Central Bank of Egypt'],
    banks: [
      ['eg-nile', 'Nile Trade Bank (demo)'],
      ['eg-delta', 'Delta Commercial Bank (demo)'],
    ],
  },
  {
    country: 'ET',
    currency: 'ETB',
    centralBank: ['nbe', 'National Bank of Ethiopia'],
    banks: [
      ['et-abay', 'Abay Bank (demo)'],
      ['et-rift', 'Rift Valley Trade Bank (demo)'],
    ],
  },
  {
    country: 'IR',
    currency: 'IRR',
    centralBank: ['cbi', 'Central Bank of the Islamic Republic of Iran'],
    banks: [
      ['ir-zagros', 'Zagros Bank (demo)'],
      ['ir-caspian', 'Caspian Trade Bank (demo)'],
    ],
  },
  {
    country: 'AE',
    currency: 'AED',
    centralBank: ['cbuae', 'Central Bank of the UAE'],
    banks: [
      ['ae-dhow', 'Dhow Commercial Bank (demo)'],
      ['ae-falcon', 'Falcon Trade Bank (demo)'],
      ['ae-oasis', 'Oasis Bank (demo)'],
    ],
  },
];

const PROVIDERS = [
  { id: 'fx-kazan', name: 'Kazan Liquidity (demo FX provider)', country: 'RU', spreadBps: 25 },
  { id: 'fx-silk', name: 'Silk Bridge FX (demo FX provider)', country: 'CN', spreadBps: 30 },
  {
    id: 'fx-cape',
    name: 'Cape Liquidity Partners (demo FX provider)',
    country: 'ZA',
    spreadBps: 35,
  },
  { id: 'fx-gulf', name: 'Gulf Corridor FX (demo FX provider)', country: 'AE', spreadBps: 20 },
] as const;

/** Units per USD for the demo currencies, as exact decimal strings from the reference file. */
export function loadReferenceRates(): Map<string, string> {
  const rows = parse(readFileSync(RATES_FILE, 'utf8'), {
    columns: true,
    skip_empty_lines: true,
  }) as { currency: string; units_per_usd: string }[];
  return new Map(rows.map((row) => [row.currency, row.units_per_usd]));
}

function rational(text: string): [bigint, bigint] {
  const [whole = '0', fraction = ''] = text.split('.');
  return [BigInt(whole + fraction), 10n ** BigInt(fraction.length)];
}

/** target units per source unit, with a skew in basis points, as a decimal of ≤ 12 places. */
function crossRate(sourcePerUsd: string, targetPerUsd: string, skewBps: number): string {
  const [sourceNumerator, sourceDenominator] = rational(sourcePerUsd);
  const [targetNumerator, targetDenominator] = rational(targetPerUsd);
  const scaled =
    (targetNumerator * sourceDenominator * BigInt(10_000 + skewBps) * 10n ** 12n) /
    (targetDenominator * sourceNumerator * 10_000n);
  const digits = scaled.toString().padStart(13, '0');
  const fraction = digits.slice(-12).replace(/0+$/, '');
  const whole = digits.slice(0, -12);
  return fraction.length > 0 ? `${whole}.${fraction}` : whole;
}

function usdEquivalent(perUsd: string, usd: bigint): string {
  const [numerator, denominator] = rational(perUsd);
  return ((usd * numerator) / denominator).toString();
}

type Config = NetworkConfigFile;
type RateOf = (code: string) => string;

function referenceRate(): RateOf {
  const perUsd = loadReferenceRates();
  return (code) => {
    const value = perUsd.get(code);
    if (value === undefined) throw new Error(`demo: no reference rate for ${code}`);
    return value;
  };
}

/**
 * How much each demo participant starts with, in USD: a few hours of its expected outflows
 * under the demo traffic (src/service/demo-funding.ts; DEMO_FUNDING is the knob to tune).
 */
export function demoFundingPlan(funding: FundingKnobs = DEMO_FUNDING): DemoFunding {
  const members = DEMO_MEMBERS.map((member) => ({
    country: member.country,
    currency: member.currency,
    banks: member.banks.map(([id]) => id),
  }));
  return demoFunding(members, loadCorridors(new Set(DEMO_MEMBERS.map((m) => m.country))), funding);
}

/** The benchmark profile's funding: generous and flat, so no payment waits for liquidity. */
function benchmarkFunding(): DemoFunding {
  return {
    bankUsd: new Map(DEMO_MEMBERS.flatMap((member) =>
      member.banks.map(([id]) => [id, 50_000_000] as const))),
    providerUsd: new Map(DEMO_MEMBERS.map((member) => [member.currency, 200_000_000] as const)),
  };
}

/** Central banks and banks, each bank holding its own currency, funded for its outflows. */
function members(
  rate: RateOf,
  funding: DemoFunding,
): Pick<Config, 'participants'> & { issuance: NonNullable<Config['issuance']> } {
  const participants: Config['participants'] = [];
  const issuance: NonNullable<Config['issuance']> = [];
  for (const member of DEMO_MEMBERS) {
    const held = [member.currency];
    participants.push({
      id: member.centralBank[0],
      name: member.centralBank[1],
      kind: 'central_bank',
      country: member.country,
      ...demoIdentifiers(member.centralBank[0], member.country),
      currencies: held,
    });
    for (const [id, name] of member.banks) {
      participants.push({
        id,
        name,
        kind: 'bank',
        country: member.country,
        ...demoIdentifiers(id, member.country),
        currencies: held,
      });
      issuance.push({
        currency: member.currency,
        participant: id,
        amount: usdEquivalent(rate(member.currency), BigInt(funding.bankUsd.get(id) ?? 0)),
      });
    }
  }
  return { participants, issuance };
}

/**
 * The currencies FX providers quote against every other directly. A pair of two others (BRL and
 * INR, ETB and ZAR …) has no direct quote: it routes through a hub, as thin corridors do in
 * practice (two conversions, each firm; docs/payments.md, "Routes through a third currency").
 */
export const DEMO_HUB_CURRENCIES: ReadonlySet<string> = new Set(['CNY', 'RUB', 'AED']);

/**
 * FX providers hold every currency, each funded for its share of the FX payouts expected in
 * that currency, and quote every pair with a hub currency directly.
 */
function providers(
  rate: RateOf,
  codes: readonly string[],
  funding: DemoFunding,
  allPairs: boolean,
): Pick<Config, 'participants'> & {
  issuance: NonNullable<Config['issuance']>;
  rates: NonNullable<Config['rates']>;
} {
  const participants: Config['participants'] = [];
  const issuance: NonNullable<Config['issuance']> = [];
  const rates: NonNullable<Config['rates']> = [];
  PROVIDERS.forEach((provider, providerIndex) => {
    participants.push({
      id: provider.id,
      name: provider.name,
      kind: 'fx_provider',
      country: provider.country,
      ...demoIdentifiers(provider.id, provider.country),
      currencies: [...codes],
    });
    for (const [sourceIndex, source] of codes.entries()) {
      issuance.push({
        currency: source,
        participant: provider.id,
        amount: usdEquivalent(rate(source), BigInt(funding.providerUsd.get(source) ?? 0)),
      });
      for (const [targetIndex, target] of codes.entries()) {
        if (source === target) continue;
        if (!allPairs && !DEMO_HUB_CURRENCIES.has(source) && !DEMO_HUB_CURRENCIES.has(target))
          continue;
        // A small per-provider skew, so that the best offer differs from corridor to corridor.
        const skewBps = ((sourceIndex * 7 + targetIndex * 3 + providerIndex * 5) % 11) - 5;
        rates.push({
          provider: provider.id,
          source,
          target,
          rate: crossRate(rate(source), rate(target), skewBps),
          spreadBps: provider.spreadBps,
          amountMax: usdEquivalent(rate(source), 5_000_000n),
          validSeconds: 30 * 86_400,
        });
      }
    }
  });
  return { participants, issuance, rates };
}

/**
 * How the demo network is set up. `demo` (what `npm start` runs): FX providers quote pairs with a
 * hub currency only (others route), participants are funded for a quarter of an hour of their
 * expected outflows, and the settlement queue with gridlock resolution is on, so liquidity
 * questions arise and the Liquidity view shows them. `benchmark` (the benchmarks): every pair
 * quoted directly, USD 50 million per bank and USD 200 million per provider and currency, no
 * queue, so that throughput is measured without liquidity effects.
 */
export type DemoProfile = 'demo' | 'benchmark';

/** The settlement queue of the demo profile: a pass every 250 ms of engine time. */
export const DEMO_QUEUE = { enabled: true, capacity: 10_000, cycleMs: 250 } as const;

export function demoNetworkConfig(profile: DemoProfile = 'demo'): NetworkConfigFile {
  const benchmark = profile === 'benchmark';
  const rate = referenceRate();
  const currencies = DEMO_MEMBERS.map((member) => ({
    code: member.currency,
    issuer: member.centralBank[0],
    paymentAmountMax: usdEquivalent(rate(member.currency), 10_000_000n),
    dailyOutflowMax: usdEquivalent(rate(member.currency), 2_000_000_000n),
    schemeFee: usdEquivalent(rate(member.currency), 1n),
  }));
  const funding = benchmark ? benchmarkFunding() : demoFundingPlan();
  const banks = members(rate, funding);
  const fx = providers(
    rate,
    DEMO_MEMBERS.map((member) => member.currency),
    funding,
    benchmark,
  );
  return {
    name: 'Corridor BRICS demo network',
    operator: { id: 'operator', name: 'Corridor Operator (demo)' },
    settings: {
      quoteTtlSeconds: 60,
      acceptTimeoutSeconds: 30,
      reviewTimeoutSeconds: 86_400,
      returnRate: 'original',
      ...(benchmark ? {} : { queue: { ...DEMO_QUEUE } }),
    },
    currencies,
    participants: [...banks.participants, ...fx.participants],
    rates: fx.rates,
    issuance: [...banks.issuance, ...fx.issuance],
  };
}
