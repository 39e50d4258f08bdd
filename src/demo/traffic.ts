// Generated trade traffic for the demo network: payers are importers' banks and payees
// exporters' banks, with corridors weighted by real bilateral trade (data/brics_trade.csv).
// Most payments settle at once; some are two-phase (accepted, now and then rejected or left
// to time out), some are domestic, a few are returned, and a few name a listed party.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DEMO_MEMBERS } from '../network/demo.js';
import type { Network } from '../network/service.js';
import type { PaymentInput } from '../network/service.js';
import { DemoReviewer, type ReviewerOptions } from './reviewer.js';

const TRADE_FILE = new URL('../../data/brics_trade.csv', import.meta.url);

interface Corridor {
  readonly payerCountry: string;
  readonly payeeCountry: string;
  readonly weight: number;
}

export function loadCorridors(): Corridor[] {
  const members = new Set(DEMO_MEMBERS.map((member) => member.country));
  const rows = parse(readFileSync(TRADE_FILE, 'utf8'), {
    columns: true,
    skip_empty_lines: true,
  }) as { exporter_iso2: string; importer_iso2: string; usd_billion: string }[];
  const corridors: Corridor[] = [];
  for (const row of rows) {
    if (!members.has(row.exporter_iso2) || !members.has(row.importer_iso2)) continue;
    const weight = Number(row.usd_billion);
    if (!(weight > 0)) continue;
    // The importer pays the exporter; a two-way total is used in both directions.
    corridors.push({ payerCountry: row.importer_iso2, payeeCountry: row.exporter_iso2, weight });
  }
  return corridors;
}

/**
 * Payers and payees are companies of the bank's own country: a Pune company banks in India,
 * not at Banco Atlântico. Keyed by ISO 3166 country (the demo members of src/network/demo.ts).
 */
export const COMPANIES_BY_COUNTRY: Readonly<Record<string, readonly string[]>> = {
  BR: ['Soja Exportadora Ltda', 'Minas Iron Ore SA', 'Café Santos Comércio Ltda'],
  RU: ['Volga Grain Trading LLC', 'Ural Fertiliser JSC', 'Baltic Timber Export LLC'],
  IN: ['Pune Foods Pvt Ltd', 'Gujarat Textiles Ltd', 'Chennai Auto Parts Pvt Ltd'],
  CN: ['Shenzhen Components Co', 'Ningbo Solar Ltd', 'Qingdao Machinery Co'],
  ZA: ['Highveld Minerals (Pty) Ltd', 'Cape Fruit Growers', 'Durban Chemicals (Pty) Ltd'],
  EG: ['Nile Cotton Company', 'Alexandria Shipping SAE', 'Delta Fertilizers SAE'],
  ET: ['Addis Coffee Exporters', 'Sidamo Leather PLC', 'Rift Valley Flowers PLC'],
  IR: ['Zagros Petrochemical Supply', 'Isfahan Steel Trading', 'Tabriz Carpet Export Co'],
  AE: ['Dubai Logistics FZE', 'Sharjah Gold DMCC', 'Abu Dhabi Aluminium Trading LLC'],
};

/** A company of `country` (any demo company if the country has none listed). */
export function companyOf(country: string, random: () => number): string {
  const names = COMPANIES_BY_COUNTRY[country] ?? Object.values(COMPANIES_BY_COUNTRY).flat();
  return pick(names, random);
}

/** A name on the UN sample list, so that screening holds some payments for review. */
const LISTED_NAMES = [
  'Korea Mining Development Trading Corp',
  'Amin Industrial Complex',
  'Aviatrans Anstalt',
];

/** The demo FX providers' starting float per currency, in USD (see src/network/demo.ts). */
const PROVIDER_FLOAT_USD = 200_000_000;
const REBALANCE_INTERVAL_MS = 10_000;

export interface TrafficStats {
  sent: number;
  settled: number;
  rejected: number;
  refused: number;
}

export interface TrafficOptions {
  readonly perSecond: number;
  readonly random?: () => number;
  readonly onError?: (error: unknown) => void;
  /**
   * The demo central-bank reviewer that decides held payments (src/demo/reviewer.ts), started
   * and stopped with the traffic; false for none. It draws from the same random source.
   */
  readonly reviewer?: ReviewerOptions | false;
}

export function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

function usdAmount(random: () => number): number {
  // Trade payments of USD 1,000 to about 2.5 million, most near the low end.
  return Math.round(1_000 * Math.exp(random() * 7.8));
}

export class TrafficGenerator {
  readonly stats: TrafficStats = { sent: 0, settled: 0, rejected: 0, refused: 0 };
  private timer: NodeJS.Timeout | undefined;
  private readonly corridors = loadCorridors();
  private readonly totalWeight: number;
  private readonly random: () => number;
  private readonly inFlight = new Set<Promise<void>>();
  private rebalancer: NodeJS.Timeout | undefined;
  /** Decides the payments screening holds, so the review queue stays bounded. */
  readonly reviewer: DemoReviewer | undefined;

  constructor(
    private readonly network: Network,
    private readonly keysPerUsd: Map<string, number>,
    private readonly options: TrafficOptions,
  ) {
    this.totalWeight = this.corridors.reduce((sum, corridor) => sum + corridor.weight, 0);
    this.random = options.random ?? Math.random;
    this.reviewer =
      options.reviewer === false
        ? undefined
        : new DemoReviewer(network, {
            random: this.random,
            ...(options.onError === undefined ? {} : { onError: options.onError }),
            ...options.reviewer,
          });
  }

  start(): void {
    if (this.options.perSecond <= 0 || this.timer !== undefined) return;
    this.reviewer?.start();
    this.rebalancer = setInterval(() => {
      this.rebalance().catch((error: unknown) => this.options.onError?.(error));
    }, REBALANCE_INTERVAL_MS);
    const interval = Math.max(10, Math.round(1000 / this.options.perSecond));
    this.timer = setInterval(() => {
      if (this.inFlight.size > 100) return;
      const work = this.one().catch((error: unknown) => this.options.onError?.(error));
      this.inFlight.add(work);
      void work.finally(() => this.inFlight.delete(work));
    }, interval);
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.rebalancer !== undefined) clearInterval(this.rebalancer);
    this.rebalancer = undefined;
    this.timer = undefined;
    await Promise.allSettled([...this.inFlight]);
    await this.reviewer?.stop();
  }

  /**
   * Trade flows are one-sided, so FX providers run short of the currencies most paid into.
   * In the demo each central bank acts as a standing facility: it tops up a provider whose
   * available balance fell below a quarter of its starting float, and takes back what is above
   * twice the float, so a demo left running keeps quoting every corridor.
   */
  async rebalance(): Promise<void> {
    for (const provider of this.network.participants()) {
      if (provider.kind !== 'fx_provider' || provider.status !== 'active') continue;
      for (const currency of provider.currencies) {
        const issuer = this.network.issuerOf(currency);
        const balance = this.network.balance(provider.id, currency);
        const perUsd = this.keysPerUsd.get(currency);
        if (issuer === undefined || balance === undefined || perUsd === undefined) continue;
        const float = BigInt(Math.round(PROVIDER_FLOAT_USD * perUsd)) * 100n;
        if (balance.available < float / 4n) {
          await this.network.issue(issuer, {
            participantId: provider.id,
            currency,
            amount: float - balance.available,
          });
        } else if (balance.available > float * 2n) {
          await this.network.redeem(issuer, {
            participantId: provider.id,
            currency,
            amount: balance.available - float,
          });
        }
      }
    }
  }

  private corridor(): Corridor {
    let target = this.random() * this.totalWeight;
    for (const corridor of this.corridors) {
      target -= corridor.weight;
      if (target <= 0) return corridor;
    }
    return this.corridors[0] as Corridor;
  }

  private bankOf(country: string): { bank: string; currency: string; country: string } {
    const member =
      DEMO_MEMBERS.find((candidate) => candidate.country === country) ?? DEMO_MEMBERS[0];
    if (member === undefined) throw new Error('traffic: no demo members');
    return {
      bank: pick(member.banks, this.random)[0],
      currency: member.currency,
      country: member.country,
    };
  }

  /** Sends one payment (and follows it up when it is two-phase or returned). */
  async one(): Promise<void> {
    const domestic = this.random() < 0.1;
    const corridor = this.corridor();
    const payer = this.bankOf(corridor.payerCountry);
    const payee = domestic
      ? this.bankOf(corridor.payerCountry)
      : this.bankOf(corridor.payeeCountry);
    if (payer.bank === payee.bank) return;
    const unitsPerUsd = this.keysPerUsd.get(payer.currency) ?? 1;
    const amount = BigInt(Math.max(1, Math.round(usdAmount(this.random) * unitsPerUsd))) * 100n;
    const twoPhase = !domestic && this.random() < 0.2;
    const listed = this.random() < 0.01;
    const input: PaymentInput = {
      mode: twoPhase ? 'two_phase' : 'instant',
      creditorAgent: payee.bank,
      debtor: { name: companyOf(payer.country, this.random) },
      creditor: {
        name: listed ? pick(LISTED_NAMES, this.random) : companyOf(payee.country, this.random),
      },
      endToEndId: `DEMO-${Date.now().toString(36)}-${Math.floor(this.random() * 1e9).toString(36)}`,
      purpose: 'GDDS',
      remittanceInformation: `Invoice ${Math.floor(this.random() * 100_000)}`,
      ...(domestic ? { currency: payer.currency, amount } : {}),
    };
    if (!domestic) {
      const quote = await this.network.quote(payer.bank, {
        source: payer.currency,
        target: payee.currency,
        fixed: 'send',
        amount,
      });
      if (quote.code !== 'ok' || quote.quote === undefined) {
        this.stats.refused += 1;
        return;
      }
      Object.assign(input, { quoteId: quote.quote.id });
    }
    this.stats.sent += 1;
    const result = await this.network.pay(payer.bank, input);
    await this.followUp(result.payment?.id, payee.bank, result.payment?.status);
  }

  private async followUp(
    paymentId: string | undefined,
    creditorAgent: string,
    status: string | undefined,
  ): Promise<void> {
    if (paymentId === undefined) {
      this.stats.refused += 1;
      return;
    }
    if (status === 'ACSP') {
      await new Promise((resolve) => setTimeout(resolve, 200 + this.random() * 2_000));
      const roll = this.random();
      if (roll < 0.05) return; // left to time out: RJCT AB05
      const result =
        roll < 0.1
          ? await this.network.reject(creditorAgent, paymentId, 'AC01', 'creditor_account_unknown')
          : await this.network.accept(creditorAgent, paymentId);
      status = result.payment?.status;
    }
    if (status === 'ACCC') {
      this.stats.settled += 1;
      const payment = await this.network.reads.payment(paymentId);
      if (payment !== undefined && this.random() < 0.02) {
        await this.network.returnPayment(creditorAgent, {
          originalPaymentId: paymentId,
          amount: payment.creditAmount / 2n > 0n ? payment.creditAmount / 2n : payment.creditAmount,
          reason: 'CUST',
        });
      }
    } else if (status === 'RJCT') {
      this.stats.rejected += 1;
    }
  }
}
