// Corridor, gross PvP: the real NetworkEngine settles every payment in simulated time. A
// network is configured from the data (one central bank and one bank per member country, FX
// providers quoting every pair at the reference cross rate with their spreads), then the
// payments are fed in batches: each payment is a create_quote (fixed receive: the exporter
// gets the invoice value in its own currency) and a create_payment at that quote, with
// receivedAt its arrival and the batch applied at the last arrival it holds. No store, no
// journal, no clock: nothing here waits.
import type { NetworkCommand } from '../network/commands.js';
import { configToCommands } from '../network/config.js';
import type { NetworkConfigFile } from '../network/config-schema.js';
import { NetworkEngine } from '../network/engine.js';
import { settlementAccountId } from '../network/model.js';
import type { Payment } from '../payments/model.js';
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

function minorUnits(amount: number, decimals: number): bigint {
  return BigInt(Math.round(amount * 10 ** decimals));
}

export function corridorNetworkConfig(
  flows: Flows,
  context: RegimeContext,
  options: CorridorOptions,
): NetworkConfigFile {
  const per = (code: string): { perUsd: number; minorUnits: number } => {
    const rate = context.usdPerUnit.get(code);
    if (rate === undefined) throw new Error(`simulate: no reference rate for ${code}`);
    return rate;
  };
  const amount = (code: string, usd: number): string => {
    const { perUsd, minorUnits: decimals } = per(code);
    return decimal(usd * perUsd, decimals);
  };
  const participants: NetworkConfigFile['participants'] = [];
  const issuance: NonNullable<NetworkConfigFile['issuance']> = [];
  flows.countries.forEach((country, index) => {
    const currency = flows.currencies[index] ?? '';
    const lower = country.toLowerCase();
    participants.push({
      id: `cb-${lower}`,
      name: `Central bank ${country}`,
      kind: 'central_bank',
      country,
      currencies: [currency],
    });
    participants.push({
      id: `bank-${lower}`,
      name: `Trade bank ${country}`,
      kind: 'bank',
      country,
      currencies: [currency],
    });
    issuance.push({
      currency,
      participant: `bank-${lower}`,
      amount: amount(currency, options.prefundUsd),
    });
  });
  const rates: NonNullable<NetworkConfigFile['rates']> = [];
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
  return {
    name: 'Corridor simulation network',
    operator: { id: 'operator', name: 'Simulation operator' },
    settings: { quoteTtlSeconds: 60, acceptTimeoutSeconds: 30, reviewTimeoutSeconds: 86_400 },
    currencies: flows.currencies.map((code, index) => ({
      code,
      issuer: `cb-${(flows.countries[index] ?? '').toLowerCase()}`,
      schemeFee: amount(code, options.schemeFeeUsd),
    })),
    participants,
    rates,
    issuance,
  };
}

function uetrOf(index: number): string {
  return `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

const NO_SCREENING = { hit: false, matches: [] } as const;

export function corridorGrossRegime(options: CorridorOptions): Regime {
  return {
    name: 'corridor_gross',
    run: (flows, context) => runCorridor(flows, context, options),
  };
}

async function runCorridor(
  flows: Flows,
  context: RegimeContext,
  options: CorridorOptions,
): Promise<RegimeRun> {
  const engine = new NetworkEngine();
  const start =
    Math.min(flows.start, flows.count > 0 ? (flows.arrival[0] ?? flows.start) : flows.start) -
    60_000;
  const config = corridorNetworkConfig(flows, context, options);
  const setup = engine.apply(configToCommands(config, start), start);
  const refused = setup.results.find((result) => result.code !== 'ok');
  if (refused !== undefined) {
    throw new Error(
      `simulate: the network setup was refused: ${refused.code} ${refused.message ?? ''}`,
    );
  }
  const records = emptyRecords(flows.count);
  const tracker = new LiquidityTracker();
  const perUsd = new Map<string, number>();
  const scale = new Map<string, number>();
  for (const code of flows.currencies) {
    const rate = context.usdPerUnit.get(code);
    perUsd.set(code, rate?.perUsd ?? 1);
    scale.set(code, 10 ** (rate?.minorUnits ?? 2));
  }
  const toUsd = (amount: bigint, currency: string): number =>
    Number(amount) / (scale.get(currency) ?? 100) / (perUsd.get(currency) ?? 1);
  // Tracked accounts: every bank's and provider's settlement account.
  const tracked = new Map<string, number>();
  const prefund = new Map<string, bigint>();
  for (const item of config.issuance ?? []) {
    const id = settlementAccountId(item.participant, item.currency);
    tracked.set(id, tracker.account(item.participant, item.currency));
    prefund.set(id, minorUnits(Number(item.amount), Math.log10(scale.get(item.currency) ?? 100)));
  }
  const issuerOf = new Map(config.currencies.map((currency) => [currency.code, currency.issuer]));
  const banks = flows.countries.map((country) => `bank-${country.toLowerCase()}`);
  let topUps = 0;
  let invariantChecks = 0;
  let batches = 0;
  const unexpected = new Map<string, number>();
  let index = 0;
  while (index < flows.count) {
    const first = flows.arrival[index] ?? 0;
    const commands: NetworkCommand[] = [];
    const members: number[] = [];
    let last = first;
    while (
      index < flows.count &&
      members.length < options.batchMax &&
      (flows.arrival[index] ?? 0) - first < options.batchWindowMs
    ) {
      last = flows.arrival[index] ?? 0;
      const importer = flows.importer[index] ?? 0;
      const exporter = flows.exporter[index] ?? 0;
      const source = flows.currencies[importer] ?? '';
      const target = flows.currencies[exporter] ?? '';
      const actor = banks[importer] ?? '';
      const credit = minorUnits(
        (flows.valueUsd[index] ?? 0) * (perUsd.get(target) ?? 1),
        Math.log10(scale.get(target) ?? 100),
      );
      const id = `p${index}`;
      commands.push({
        type: 'create_quote',
        actor,
        quoteId: id,
        source,
        target,
        fixed: 'receive',
        amount: credit,
      });
      commands.push({
        type: 'create_payment',
        actor,
        receivedAt: last,
        screening: NO_SCREENING,
        payment: {
          id,
          mode: 'instant',
          debtorAgent: actor,
          creditorAgent: banks[exporter] ?? '',
          debtor: { name: `Importer ${flows.countries[importer] ?? ''}` },
          creditor: { name: `Exporter ${flows.countries[exporter] ?? ''}` },
          quoteId: id,
          endToEndId: id,
          uetr: uetrOf(index),
        },
      });
      members.push(index);
      index += 1;
    }
    const batch = engine.apply(commands, last);
    batches += 1;
    members.forEach((paymentIndex, position) => {
      const quoted = batch.results[position * 2];
      const result = batch.results[position * 2 + 1];
      const payment: Payment | undefined = result?.payment;
      if (quoted?.code !== 'ok' || result?.code !== 'ok' || payment === undefined) {
        const code =
          quoted?.code !== 'ok' ? (quoted?.code ?? 'missing') : (result?.code ?? 'missing');
        unexpected.set(code, (unexpected.get(code) ?? 0) + 1);
        records.status[paymentIndex] = PAYMENT_FAILED;
        return;
      }
      if (payment.status === 'ACCC') {
        const credited = payment.events.find((event) => event.status === 'ACCC')?.at ?? batch.now;
        records.creditedAt[paymentIndex] = credited;
        records.status[paymentIndex] = PAYMENT_SETTLED;
        records.costUsd[paymentIndex] =
          toUsd(payment.debitAmount, payment.sourceCurrency) -
          toUsd(payment.creditAmount, payment.targetCurrency);
        for (const leg of payment.legs) {
          const debit = tracked.get(leg.debitAccountId);
          const credit = tracked.get(leg.creditAccountId);
          const usd = toUsd(leg.amount, leg.currency);
          if (debit !== undefined) tracker.move(credited, debit, -usd);
          if (credit !== undefined) tracker.move(credited, credit, usd);
        }
      } else {
        records.status[paymentIndex] = payment.status === 'RJCT' ? PAYMENT_FAILED : PAYMENT_QUEUED;
        if (payment.status === 'RJCT') {
          const reason = payment.events.at(-1)?.reason ?? 'RJCT';
          unexpected.set(reason, (unexpected.get(reason) ?? 0) + 1);
        }
      }
      // Settled payments are not needed again: keep the engine's memory flat over a year.
      engine.state.payments.delete(payment.id);
      engine.state.paymentRequests.delete(payment.id);
    });
    topUps += topUp(engine, config, tracked, prefund, issuerOf, last, batches);
    if (options.checkInvariants) {
      engine.checkAllInvariants();
      invariantChecks += 1;
    }
    if (batches % 200 === 0) await context.progress(index / flows.count);
  }
  engine.checkAllInvariants();
  const liquidity = tracker.result();
  const providers = new Set(options.providers.map((provider) => provider.id));
  const drift = new Map<string, number>();
  for (const account of liquidity.accounts) {
    if (!providers.has(account.participant)) continue;
    drift.set(account.currency, (drift.get(account.currency) ?? 0) + account.driftUsd);
  }
  return {
    name: 'corridor_gross',
    ...records,
    liquidity,
    details: {
      batches,
      invariant_checks: invariantChecks,
      top_ups: topUps,
      refusals: Object.fromEntries([...unexpected.entries()].sort()),
      provider_inventory_drift_usd: [...drift.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, usd]) => ({ currency, usd: round2(usd) })),
    },
  };
}

/**
 * Keeps every participant funded: when a settlement account falls below half its pre-funding,
 * its central bank issues the pre-funding again. Issuance is not a payment: the tracker, which
 * follows payment legs only, does not see it, so measured liquidity is unaffected.
 */
function topUp(
  engine: NetworkEngine,
  config: NetworkConfigFile,
  tracked: ReadonlyMap<string, number>,
  prefund: ReadonlyMap<string, bigint>,
  issuerOf: ReadonlyMap<string, string>,
  now: number,
  batch: number,
): number {
  const commands: NetworkCommand[] = [];
  for (const item of config.issuance ?? []) {
    const id = settlementAccountId(item.participant, item.currency);
    if (!tracked.has(id)) continue;
    const amount = prefund.get(id) ?? 0n;
    const balance = engine.ledger.balance(id);
    if (balance === undefined || balance.posted * 2n >= amount) continue;
    commands.push({
      type: 'issue',
      actor: issuerOf.get(item.currency) ?? '',
      id: `top-up-${batch}-${commands.length}`,
      participantId: item.participant,
      currency: item.currency,
      amount,
    });
  }
  if (commands.length > 0) engine.apply(commands, now);
  return commands.length;
}
