// A small network for tests: Brazil, India and China, two banks each, two FX providers, a
// controllable clock and an in-memory store. Scenarios read as the domain.
import type { NetworkConfigFile } from '../service/config-schema.js';
import {
  openNetwork,
  type Network,
  type PaymentInput,
  type PartyScreener,
} from '../service/service.js';
import type { SnapshotPolicy } from '../service/snapshots.js';
import type { Store } from '../storage/store.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';

export const TEST_EPOCH = Date.UTC(2026, 10, 21, 9, 0, 0);

const TEST_NETWORK_CONFIG: NetworkConfigFile = {
  operator: { id: 'operator', name: 'Test Operator' },
  settings: {
    quoteTtlSeconds: 60,
    acceptTimeoutSeconds: 30,
    reviewTimeoutSeconds: 3600,
    returnRate: 'original',
  },
  currencies: [
    {
      code: 'BRL',
      issuer: 'bcb',
      schemeFee: '0.50',
      paymentAmountMax: '1000000.00',
      dailyOutflowMax: '5000000.00',
    },
    { code: 'INR', issuer: 'rbi', schemeFee: '5.00' },
    { code: 'CNY', issuer: 'pboc' },
  ],
  participants: [
    {
      id: 'bcb',
      name: 'Banco Central do Brasil',
      kind: 'central_bank',
      country: 'BR',
      currencies: ['BRL'],
    },
    {
      id: 'rbi',
      name: 'Reserve Bank of India',
      kind: 'central_bank',
      country: 'IN',
      currencies: ['INR'],
    },
    {
      id: 'pboc',
      name: "People's Bank of China",
      kind: 'central_bank',
      country: 'CN',
      currencies: ['CNY'],
    },
    { id: 'br-bank', name: 'Banco Teste', kind: 'bank', country: 'BR', currencies: ['BRL'] },
    { id: 'br-other', name: 'Outro Banco', kind: 'bank', country: 'BR', currencies: ['BRL'] },
    { id: 'in-bank', name: 'Test Bank India', kind: 'bank', country: 'IN', currencies: ['INR'] },
    { id: 'cn-bank', name: 'Test Bank China', kind: 'bank', country: 'CN', currencies: ['CNY'] },
    {
      id: 'fx-one',
      name: 'FX One',
      kind: 'fx_provider',
      country: 'AE',
      currencies: ['BRL', 'INR', 'CNY'],
    },
    {
      id: 'fx-two',
      name: 'FX Two',
      kind: 'fx_provider',
      country: 'ZA',
      currencies: ['BRL', 'INR', 'CNY'],
    },
  ],
  rates: [
    {
      provider: 'fx-one',
      source: 'BRL',
      target: 'INR',
      rate: '15.5',
      spreadBps: 50,
      amountMax: '2000000.00',
    },
    {
      provider: 'fx-two',
      source: 'BRL',
      target: 'INR',
      rate: '15.6',
      spreadBps: 100,
      amountMax: '2000000.00',
      fee: '1.00',
    },
    { provider: 'fx-one', source: 'INR', target: 'BRL', rate: '0.064', spreadBps: 50 },
    { provider: 'fx-two', source: 'BRL', target: 'CNY', rate: '1.35', spreadBps: 30 },
  ],
  issuance: [
    { currency: 'BRL', participant: 'br-bank', amount: '1000000.00' },
    { currency: 'BRL', participant: 'br-other', amount: '1000000.00' },
    { currency: 'INR', participant: 'in-bank', amount: '10000000.00' },
    { currency: 'CNY', participant: 'cn-bank', amount: '1000000.00' },
    { currency: 'BRL', participant: 'fx-one', amount: '5000000.00' },
    { currency: 'INR', participant: 'fx-one', amount: '100000000.00' },
    { currency: 'BRL', participant: 'fx-two', amount: '5000000.00' },
    { currency: 'INR', participant: 'fx-two', amount: '100000000.00' },
    { currency: 'CNY', participant: 'fx-two', amount: '5000000.00' },
  ],
};

/** A fresh copy of the test network configuration, safe to modify. */
export function testNetworkConfig(): NetworkConfigFile {
  return structuredClone(TEST_NETWORK_CONFIG);
}

export interface TestNetwork {
  readonly network: Network;
  /** Moves the clock forward; the next batch sees the new time. */
  advance(ms: number): void;
  now(): number;
}

export async function openTestNetwork(
  options: {
    store?: Store;
    screener?: PartyScreener;
    config?: NetworkConfigFile;
    configure?: boolean;
    /** When to snapshot (default: the network's defaults). */
    snapshots?: SnapshotPolicy;
    /** The clock's start (default TEST_EPOCH); a reopened network passes the time it had. */
    start?: number;
  } = {},
): Promise<TestNetwork> {
  let now = options.start ?? TEST_EPOCH;
  const network = await openNetwork({
    ...(options.snapshots === undefined ? {} : { snapshots: options.snapshots }),
    store: options.store ?? new SqliteStore({ path: ':memory:' }),
    batchDelayMs: 0,
    clock: () => now,
    ...(options.screener === undefined ? {} : { screener: options.screener }),
  });
  if (options.configure !== false) {
    const results = await network.configureFrom(options.config ?? testNetworkConfig(), now);
    const refused = results.find((result) => result.code !== 'ok');
    if (refused !== undefined) throw new Error(`test network refused: ${JSON.stringify(refused)}`);
  }
  return {
    network,
    advance: (ms) => {
      now += ms;
    },
    now: () => now,
  };
}

let counter = 0;

export function paymentInput(
  fields: Partial<PaymentInput> & { creditorAgent: string },
): PaymentInput {
  counter += 1;
  return {
    mode: 'instant',
    debtor: { name: 'Soja Exportadora Ltda', account: 'BR1800000000000000000000001' },
    creditor: { name: 'Pune Foods Private Limited', account: 'IN00001234567890' },
    endToEndId: `E2E-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    purpose: 'GDDS',
    remittanceInformation: 'Invoice 2026-0042',
    ...fields,
  };
}
