// Generated trade traffic for the demo network: payers are importers' banks and payees
// exporters' banks, with corridors weighted by real bilateral trade (data/brics_trade.csv).
// Most payments settle at once; some are two-phase (accepted, now and then rejected or left
// to time out), some are domestic, a few are returned, and a few name a listed party.
import {
  DEMO_TRAFFIC,
  loadCorridors as loadTradeCorridors,
  type Corridor,
} from '../service/demo-funding.js';
import { DEMO_MEMBERS, demoFundingPlan } from '../service/demo.js';
import type { Network } from '../service/service.js';
import type { PaymentInput } from '../service/service.js';
import { DemoReviewer, type ReviewerOptions } from './reviewer.js';

export type { Corridor } from '../service/demo-funding.js';

/** The trade corridors between demo members, importer paying exporter (data/brics_trade.csv). */
export function loadCorridors(): Corridor[] {
  return loadTradeCorridors(new Set(DEMO_MEMBERS.map((member) => member.country)));
}

/**
 * Payers and payees are companies of the bank's own country: a Pune company banks in India,
 * not at Banco Atlântico. Keyed by ISO 3166 country (the demo members of src/service/demo.ts).
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
  return Math.round(
    DEMO_TRAFFIC.amountBaseUsd * Math.exp(random() * DEMO_TRAFFIC.amountLogSpan),
  );
}

export class TrafficGenerator {
  readonly stats: TrafficStats = { sent: 0, settled: 0, rejected: 0, refused: 0 };
  private timer: NodeJS.Timeout | undefined;
  private readonly corridors = loadCorridors();
  /** What each participant starts with, in USD: the float rebalance() keeps. */
  private readonly funding = demoFundingPlan();
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
   * Trade flows are one-sided, so FX providers run short of the currencies most paid into and
   * banks of net importers run short of their own. In the demo each central bank acts as a
   * standing facility: it tops up a provider or bank whose available balance fell below a
   * quarter of its starting float (its funding, see src/service/demo-funding.ts), and takes
   * back what is above twice the float, so a demo left running keeps paying every corridor.
   * Between two rounds (every 10 s) participants live on what they hold.
   */
  async rebalance(): Promise<void> {
    for (const participant of this.network.participants()) {
      if (participant.status !== 'active') continue;
      if (participant.kind !== 'fx_provider' && participant.kind !== 'bank') continue;
      for (const currency of participant.currencies) {
        const floatUsd =
          participant.kind === 'bank'
            ? this.funding.bankUsd.get(participant.id)
            : this.funding.providerUsd.get(currency);
        await this.rebalanceOne(participant.id, currency, floatUsd ?? 0);
      }
    }
  }

  private async rebalanceOne(participantId: string, currency: string, floatUsd: number) {
    const issuer = this.network.issuerOf(currency);
    const balance = this.network.balance(participantId, currency);
    const perUsd = this.keysPerUsd.get(currency);
    if (issuer === undefined || balance === undefined || perUsd === undefined) return;
    const float = BigInt(Math.round(floatUsd * perUsd)) * 100n;
    if (balance.available < float / 4n) {
      await this.network.issue(issuer, {
        participantId,
        currency,
        amount: float - balance.available,
      });
    } else if (balance.available > float * 2n) {
      await this.network.redeem(issuer, {
        participantId,
        currency,
        amount: balance.available - float,
      });
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
    const domestic = this.random() < DEMO_TRAFFIC.domesticShare;
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
        routing: 'best',
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
