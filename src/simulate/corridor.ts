// Corridor, gross PvP: the real NetworkEngine settles every payment in simulated time. A
// network is configured from the data (one central bank and one bank per member country, FX
// providers quoting every pair at the reference cross rate with their spreads), then the
// payments are fed in batches: each payment is a create_quote (fixed receive: the exporter
// gets the invoice value in its own currency) and a create_payment at that quote, with
// receivedAt its arrival and the batch applied at the last arrival it holds. No store, no
// journal, no clock: nothing here waits.
import type { NetworkCommand, NetworkResult } from '../engine/commands.js';
import { configToCommands } from '../service/config.js';
import type { NetworkConfigFile } from '../service/config-schema.js';
import { NetworkEngine } from '../engine/engine.js';
import { settlementAccountId } from '../engine/model.js';
import type { Payment } from '../engine/payments/model.js';
import type { Flows } from './flows.js';
import { LiquidityTracker, round2 } from './liquidity.js';
import {
  emptyRecords,
  PAYMENT_FAILED,
  PAYMENT_QUEUED,
  PAYMENT_SETTLED,
  type Regime,
  type RegimeContext,
  type RegimeRun,
} from './regime.js';

export interface FxProviderSpec {
  readonly id: string;
  readonly country: string;
  /** Base spread against the mid rate, basis points; a per-pair ±5 bp skew is added. */
  readonly spreadBps: number;
}

export interface CorridorOptions {
  readonly providers: readonly FxProviderSpec[];
  /** The scheme fee per payment, USD equivalent in the source currency. */
  readonly schemeFeeUsd: number;
  /** Payments whose arrivals fall within this window share one engine batch (ms). */
  readonly batchWindowMs: number;
  /** Most payments per engine batch. */
  readonly batchMax: number;
  /** What each participant holds per currency at the start, USD equivalent (topped up). */
  readonly prefundUsd: number;
  /** Check every engine invariant after every batch (O(accounts)). */
  readonly checkInvariants: boolean;
}

/** Decimal text of a positive number with at most `places` decimals (for config amounts). */
function decimal(value: number, places: number): string {
  return value.toFixed(places).replace(/\.?0+$/, '');
}

/** target units per source unit, as exact-enough decimal text (≤ 12 places, ≥ 9 digits). */
function crossRate(sourcePerUsd: number, targetPerUsd: number): string {
  const rate = targetPerUsd / sourcePerUsd;
  const places = Math.min(12, Math.max(0, 9 - Math.floor(Math.log10(rate))));
  return decimal(rate, places);
}

/** Minor units of an amount given in major units (sizing only: settlement is the engine's). */
function minorUnits(amount: number, decimals: number): bigint {
  return BigInt(Math.round(amount * 10 ** decimals));
}

type Config = NetworkConfigFile;
type AmountOf = (code: string, usd: number) => string;

function amountIn(context: RegimeContext): {
  per: (code: string) => { perUsd: number; minorUnits: number };
  amount: AmountOf;
} {
  const per = (code: string): { perUsd: number; minorUnits: number } => {
    const rate = context.usdPerUnit.get(code);
    if (rate === undefined) throw new Error(`simulate: no reference rate for ${code}`);
    return rate;
  };
  const amount = (code: string, usd: number): string => {
    const { perUsd, minorUnits: decimals } = per(code);
    return decimal(usd * perUsd, decimals);
  };
  return { per, amount };
}

/** One central bank and one bank per country, the bank pre-funded in its currency. */
function members(
  flows: Flows,
  amount: AmountOf,
  prefundUsd: number,
): Pick<Config, 'participants'> & {
  issuance: NonNullable<Config['issuance']>;
} {
  const participants: Config['participants'] = [];
  const issuance: NonNullable<Config['issuance']> = [];
  flows.countries.forEach((country, index) => {
    const currency = flows.currencies[index] ?? '';
    const lower = country.toLowerCase();
    participants.push(
      {
        id: `cb-${lower}`,
        name: `Central bank ${country}`,
        kind: 'central_bank',
        country,
        currencies: [currency],
      },
      {
        id: `bank-${lower}`,
        name: `Trade bank ${country}`,
        kind: 'bank',
        country,
        currencies: [currency],
      },
    );
    issuance.push({ currency, participant: `bank-${lower}`, amount: amount(currency, prefundUsd) });
  });
  return { participants, issuance };
}

/** FX providers holding every currency, quoting every pair at the reference cross rate. */
function fxProviders(
  flows: Flows,
  context: RegimeContext,
  options: CorridorOptions,
): Pick<Config, 'participants'> & {
  issuance: NonNullable<Config['issuance']>;
  rates: NonNullable<Config['rates']>;
} {
  const { per, amount } = amountIn(context);
  const participants: Config['participants'] = [];
  const issuance: NonNullable<Config['issuance']> = [];
  const rates: NonNullable<Config['rates']> = [];
  options.providers.forEach((provider, providerIndex) => {
    participants.push({
      id: provider.id,
      name: `FX provider ${provider.id}`,
      kind: 'fx_provider',
      country: provider.country,
      currencies: [...flows.currencies],
    });
    flows.currencies.forEach((source, sourceIndex) => {
      issuance.push({
        currency: source,
        participant: provider.id,
        amount: amount(source, options.prefundUsd),
      });
      flows.currencies.forEach((target, targetIndex) => {
        if (source === target) return;
        // A deterministic per-pair skew of the spread, so that providers win different pairs.
        const skew = ((sourceIndex * 7 + targetIndex * 3 + providerIndex * 5) % 11) - 5;
        rates.push({
          provider: provider.id,
          source,
          target,
          rate: crossRate(per(source).perUsd, per(target).perUsd),
          spreadBps: Math.max(1, provider.spreadBps + skew),
          validSeconds: 400 * 86_400,
        });
      });
    });
  });
  return { participants, issuance, rates };
}

export function corridorNetworkConfig(
  flows: Flows,
  context: RegimeContext,
  options: CorridorOptions,
): NetworkConfigFile {
  const { amount } = amountIn(context);
  const banks = members(flows, amount, options.prefundUsd);
  const fx = fxProviders(flows, context, options);
  return {
    name: 'Corridor simulation network',
    operator: { id: 'operator', name: 'Simulation operator' },
    // UETRs are remembered for a day (the minimum): a year's million would otherwise stay.
    settings: {
      quoteTtlSeconds: 60,
      acceptTimeoutSeconds: 30,
      reviewTimeoutSeconds: 86_400,
      uetrRetentionDays: 1,
    },
    currencies: flows.currencies.map((code, index) => ({
      code,
      issuer: `cb-${(flows.countries[index] ?? '').toLowerCase()}`,
      schemeFee: amount(code, options.schemeFeeUsd),
    })),
    participants: [...banks.participants, ...fx.participants],
    rates: fx.rates,
    issuance: [...banks.issuance, ...fx.issuance],
  };
}

function uetrOf(index: number): string {
  return `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

const NO_SCREENING = { hit: false, matches: [] } as const;

/** What the importer's side of a simulated trade needs: flows, its banks, rates, exponents. */
export interface TradeBook {
  readonly flows: Flows;
  readonly banks: readonly string[];
  readonly perUsd: ReadonlyMap<string, number>;
  readonly scale: ReadonlyMap<string, number>;
}

/**
 * Payment `index` of the flows as engine commands: a quote for the invoice value in the
 * exporter's currency (fixed receive), and the importer's bank's payment at it.
 */
export function quoteAndPay(book: TradeBook, index: number, receivedAt: number): NetworkCommand[] {
  const flows = book.flows;
  const importer = flows.importer[index] ?? 0;
  const exporter = flows.exporter[index] ?? 0;
  const target = flows.currencies[exporter] ?? '';
  const actor = book.banks[importer] ?? '';
  const credit = minorUnits(
    (flows.valueUsd[index] ?? 0) * (book.perUsd.get(target) ?? 1),
    book.scale.get(target) ?? 2,
  );
  const id = `p${index}`;
  return [
    {
      type: 'create_quote',
      actor,
      quoteId: id,
      source: flows.currencies[importer] ?? '',
      target,
      fixed: 'receive',
      amount: credit,
    },
    {
      type: 'create_payment',
      actor,
      receivedAt,
      screening: NO_SCREENING,
      payment: {
        id,
        mode: 'instant',
        debtorAgent: actor,
        creditorAgent: book.banks[exporter] ?? '',
        debtor: { name: `Importer ${flows.countries[importer] ?? ''}` },
        creditor: { name: `Exporter ${flows.countries[exporter] ?? ''}` },
        quoteId: id,
        endToEndId: id,
        uetr: uetrOf(index),
      },
    },
  ];
}

export function corridorGrossRegime(options: CorridorOptions): Regime {
  return {
    name: 'corridor_gross',
    run: (flows, context) => new CorridorRun(flows, context, options).run(),
  };
}

/**
 * What both engine regimes share: the engine, the rates, the records, the set-up, the batches
 * of arrivals, a settled payment's cost, and forgetting a finished payment.
 */
export abstract class EngineRun<O extends CorridorOptions = CorridorOptions> {
  protected readonly engine = new NetworkEngine();
  protected readonly records;
  protected readonly perUsd = new Map<string, number>();
  protected readonly scale = new Map<string, number>();
  protected readonly banks: string[];
  protected readonly refusals = new Map<string, number>();
  protected batches = 0;
  protected invariantChecks = 0;

  constructor(
    protected readonly flows: Flows,
    protected readonly context: RegimeContext,
    protected readonly options: O,
  ) {
    this.records = emptyRecords(flows.count);
    for (const code of flows.currencies) {
      const rate = context.usdPerUnit.get(code);
      this.perUsd.set(code, rate?.perUsd ?? 1);
      this.scale.set(code, rate?.minorUnits ?? 2);
    }
    this.banks = flows.countries.map((country) => `bank-${country.toLowerCase()}`);
  }

  protected toUsd(amount: bigint, currency: string): number {
    return (
      Number(amount) / 10 ** (this.scale.get(currency) ?? 2) / (this.perUsd.get(currency) ?? 1)
    );
  }

  /** Builds the network a minute before the first arrival; returns that time. */
  protected setUp(config: NetworkConfigFile): number {
    const flows = this.flows;
    const first = flows.count > 0 ? (flows.arrival[0] ?? flows.start) : flows.start;
    const start = Math.min(flows.start, first) - 60_000;
    const setup = this.engine.apply(configToCommands(config, start), start);
    const refused = setup.results.find((result) => result.code !== 'ok');
    if (refused !== undefined) {
      throw new Error(
        `simulate: the network setup was refused: ${refused.code} ${refused.message ?? ''}`,
      );
    }
    return start;
  }

  /** Payments arriving within the batch window (at most batchMax, before `until`) from `index`. */
  protected nextBatch(
    index: number,
    until = Infinity,
  ): {
    commands: NetworkCommand[];
    members: number[];
    last: number;
  } {
    const flows = this.flows;
    const first = flows.arrival[index] ?? 0;
    const commands: NetworkCommand[] = [];
    const members: number[] = [];
    let last = first;
    let next = index;
    while (
      next < flows.count &&
      members.length < this.options.batchMax &&
      (flows.arrival[next] ?? 0) - first < this.options.batchWindowMs &&
      (flows.arrival[next] ?? 0) < until
    ) {
      last = flows.arrival[next] ?? 0;
      const { banks, perUsd, scale } = this;
      commands.push(...quoteAndPay({ flows, banks, perUsd, scale }, next, last));
      members.push(next);
      next += 1;
    }
    return { commands, members, last };
  }

  /** A settled payment: its credit time, status and cost in the records; the credit time. */
  protected settled(index: number, payment: Payment, now: number): number {
    const credited = payment.events.find((event) => event.status === 'ACCC')?.at ?? now;
    this.records.creditedAt[index] = credited;
    this.records.status[index] = PAYMENT_SETTLED;
    this.records.costUsd[index] =
      this.toUsd(payment.debitAmount, payment.sourceCurrency) -
      this.toUsd(payment.creditAmount, payment.targetCurrency);
    return credited;
  }

  /** A refusal at arrival (quote or payment): counted by its code, the payment failed. */
  protected refused(
    index: number,
    quoted: NetworkResult | undefined,
    result: NetworkResult | undefined,
  ): void {
    const code = quoted?.code !== 'ok' ? (quoted?.code ?? 'missing') : (result?.code ?? 'missing');
    this.refusals.set(code, (this.refusals.get(code) ?? 0) + 1);
    this.records.status[index] = PAYMENT_FAILED;
  }

  /** Finished payments are not needed again: keep the engine's memory flat over a year. */
  protected forget(payment: Payment): void {
    this.engine.state.payments.delete(payment.id);
    this.engine.state.paymentRequests.delete(payment.id);
    this.engine.state.endToEndIds.delete(`${payment.debtorAgent}|${payment.endToEndId}`);
  }
}

/** One run of the engine over the flows: the network, the batches, the records. */
class CorridorRun extends EngineRun {
  private readonly config: NetworkConfigFile;
  private readonly tracker = new LiquidityTracker();
  private readonly tracked = new Map<string, number>();
  private readonly prefund = new Map<string, bigint>();
  private readonly issuerOf: Map<string, string>;
  private topUps = 0;

  constructor(flows: Flows, context: RegimeContext, options: CorridorOptions) {
    super(flows, context, options);
    this.config = corridorNetworkConfig(flows, context, options);
    // Tracked accounts: every bank's and provider's settlement account.
    for (const item of this.config.issuance ?? []) {
      const id = settlementAccountId(item.participant, item.currency);
      this.tracked.set(id, this.tracker.account(item.participant, item.currency));
      this.prefund.set(id, minorUnits(Number(item.amount), this.scale.get(item.currency) ?? 2));
    }
    this.issuerOf = new Map(
      this.config.currencies.map((currency) => [currency.code, currency.issuer]),
    );
  }

  async run(): Promise<RegimeRun> {
    const flows = this.flows;
    this.setUp(this.config);
    let index = 0;
    while (index < flows.count) {
      const { commands, members, last } = this.nextBatch(index);
      index += members.length;
      const batch = this.engine.apply(commands, last);
      this.batches += 1;
      members.forEach((paymentIndex, position) =>
        this.record(
          paymentIndex,
          batch.results[position * 2],
          batch.results[position * 2 + 1],
          batch.now,
        ),
      );
      // Checked every 20 batches: a year needs a handful of top-ups, each of billions.
      if (this.batches % 20 === 0) this.topUp(last);
      if (this.options.checkInvariants) {
        this.engine.checkAllInvariants();
        this.invariantChecks += 1;
      }
      if (this.batches % 200 === 0) await this.context.progress(index / flows.count);
    }
    this.engine.checkAllInvariants();
    return this.result();
  }

  private record(
    index: number,
    quoted: NetworkResult | undefined,
    result: NetworkResult | undefined,
    now: number,
  ): void {
    const payment: Payment | undefined = result?.payment;
    if (quoted?.code !== 'ok' || result?.code !== 'ok' || payment === undefined) {
      this.refused(index, quoted, result);
      return;
    }
    if (payment.status === 'ACCC') {
      const credited = this.settled(index, payment, now);
      for (const leg of payment.legs) {
        const debit = this.tracked.get(leg.debitAccountId);
        const credit = this.tracked.get(leg.creditAccountId);
        const usd = this.toUsd(leg.amount, leg.currency);
        if (debit !== undefined) this.tracker.move(credited, debit, -usd);
        if (credit !== undefined) this.tracker.move(credited, credit, usd);
      }
    } else {
      this.records.status[index] = payment.status === 'RJCT' ? PAYMENT_FAILED : PAYMENT_QUEUED;
      if (payment.status === 'RJCT') {
        const reason = payment.events.at(-1)?.reason ?? 'RJCT';
        this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1);
      }
    }
    this.forget(payment);
  }

  /**
   * Keeps every participant funded: when a settlement account falls below half its
   * pre-funding, its central bank issues the pre-funding again. Issuance is not a payment:
   * the tracker follows payment legs only, so measured liquidity is unaffected.
   */
  private topUp(now: number): void {
    const commands: NetworkCommand[] = [];
    for (const [id, amount] of this.prefund) {
      const balance = this.engine.ledger.balance(id);
      if (balance === undefined || balance.posted * 2n >= amount) continue;
      const [participant = '', currency = ''] = id.split(':');
      commands.push({
        type: 'issue',
        actor: this.issuerOf.get(currency) ?? '',
        id: `top-up-${this.batches}-${commands.length}`,
        participantId: participant,
        currency,
        amount,
      });
    }
    if (commands.length > 0) this.engine.apply(commands, now);
    this.topUps += commands.length;
  }

  private result(): RegimeRun {
    const liquidity = this.tracker.result();
    const providers = new Set(this.options.providers.map((provider) => provider.id));
    const drift = new Map<string, number>();
    for (const account of liquidity.accounts) {
      if (!providers.has(account.participant)) continue;
      drift.set(account.currency, (drift.get(account.currency) ?? 0) + account.driftUsd);
    }
    return {
      name: 'corridor_gross',
      ...this.records,
      liquidity,
      details: {
        batches: this.batches,
        invariant_checks: this.invariantChecks,
        top_ups: this.topUps,
        refusals: Object.fromEntries([...this.refusals.entries()].sort()),
        provider_inventory_drift_usd: [...drift.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([currency, usd]) => ({ currency, usd: round2(usd) })),
      },
    };
  }
}
