// How much the demo funds each participant: a few hours of its expected outflows under the
// demo's trade-weighted traffic (src/demo/traffic.ts), rather than the same billions for all,
// so that liquidity questions can arise (issue 13 §6). Every figure here is in US dollars; the
// demo network converts them to each currency at the reference rates.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

const TRADE_FILE = new URL('../../data/brics_trade.csv', import.meta.url);

/** One direction of trade: the importer's bank pays the exporter's, in proportion to weight. */
export interface Corridor {
  readonly payerCountry: string;
  readonly payeeCountry: string;
  readonly weight: number;
}

/** The demo's traffic, as the generator sends it and as the funding is sized for. */
export const DEMO_TRAFFIC = {
  /** Payment amounts are USD base × e^(logSpan × u), u uniform on [0, 1). */
  amountBaseUsd: 1_000,
  amountLogSpan: 7.8,
  /** The share of payments that are domestic (payer and payee banks in one country). */
  domesticShare: 0.1,
} as const;

/**
 * The funding knobs, for the demo and its merge with the settlement queue to tune:
 * - trafficPerSecond: the rate the funding is sized for (the default of `--traffic`);
 * - hours: hours of expected gross outflows each participant starts with. Lower it and more
 *   payments wait for (or, without a queue, are refused for) liquidity;
 * - minimumUsd: the least any participant gets, so a bank with no expected outflows can pay;
 * - providerShare: the part of a currency's FX outflows each provider is funded for. The best
 *   offer of a corridor goes to one provider until it runs short, then to the next, so each is
 *   funded for more than an even split.
 */
export interface FundingKnobs {
  readonly trafficPerSecond: number;
  readonly hours: number;
  readonly minimumUsd: number;
  readonly providerShare: number;
}

export const DEMO_FUNDING: FundingKnobs = {
  trafficPerSecond: 3,
  hours: 0.25,
  minimumUsd: 1_000_000,
  providerShare: 0.5,
};

/** The mean of the demo's payment amounts: base × (e^span − 1) ÷ span (about USD 313,000). */
export function meanPaymentUsd(): number {
  const span = DEMO_TRAFFIC.amountLogSpan;
  return (DEMO_TRAFFIC.amountBaseUsd * (Math.exp(span) - 1)) / span;
}

/** The trade corridors between the given member countries, importer paying exporter. */
export function loadCorridors(memberCountries: ReadonlySet<string>): Corridor[] {
  const rows = parse(readFileSync(TRADE_FILE, 'utf8'), {
    columns: true,
    skip_empty_lines: true,
  }) as { exporter_iso2: string; importer_iso2: string; usd_billion: string }[];
  const corridors: Corridor[] = [];
  for (const row of rows) {
    if (!memberCountries.has(row.exporter_iso2) || !memberCountries.has(row.importer_iso2))
      continue;
    const weight = Number(row.usd_billion);
    if (!(weight > 0)) continue;
    // The importer pays the exporter; a two-way total is used in both directions.
    corridors.push({ payerCountry: row.importer_iso2, payeeCountry: row.exporter_iso2, weight });
  }
  return corridors;
}

export interface FundingMember {
  readonly country: string;
  readonly currency: string;
  readonly banks: readonly string[];
}

export interface DemoFunding {
  /** USD each bank starts with, in its own currency. */
  readonly bankUsd: ReadonlyMap<string, number>;
  /** USD each FX provider starts with per currency (every provider the same). */
  readonly providerUsd: ReadonlyMap<string, number>;
}

/**
 * Expected gross outflows per hour, from the traffic the generator sends: a corridor is picked
 * with probability weight ÷ total, its payer country's bank uniformly; a domestic payment
 * (domesticShare) stays in the payer's country, the rest is converted by an FX provider, who
 * pays out in the payee's currency. Funding is `hours` of that, at least `minimumUsd`.
 */
export function demoFunding(
  members: readonly FundingMember[],
  corridors: readonly Corridor[],
  funding: FundingKnobs = DEMO_FUNDING,
): DemoFunding {
  const total = corridors.reduce((sum, corridor) => sum + corridor.weight, 0);
  const hourlyUsd = funding.trafficPerSecond * 3_600 * meanPaymentUsd();
  const paid = new Map<string, number>();
  const received = new Map<string, number>();
  for (const corridor of corridors) {
    const share = total > 0 ? corridor.weight / total : 0;
    paid.set(corridor.payerCountry, (paid.get(corridor.payerCountry) ?? 0) + share);
    received.set(
      corridor.payeeCountry,
      (received.get(corridor.payeeCountry) ?? 0) + share * (1 - DEMO_TRAFFIC.domesticShare),
    );
  }
  const amount = (usd: number): number =>
    Math.max(funding.minimumUsd, Math.round(usd * funding.hours));
  const bankUsd = new Map<string, number>();
  const providerUsd = new Map<string, number>();
  for (const member of members) {
    const perBank = (hourlyUsd * (paid.get(member.country) ?? 0)) / member.banks.length;
    for (const bank of member.banks) bankUsd.set(bank, amount(perBank));
    const fxOut = hourlyUsd * (received.get(member.country) ?? 0) * funding.providerShare;
    providerUsd.set(member.currency, amount(fxOut));
  }
  return { bankUsd, providerUsd };
}
