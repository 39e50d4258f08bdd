// The gridlock scenario shared by tests and the benchmark: three banks in three currencies,
// each owing 100.00 to the next through one FX provider at 1:1 and able to fund only 10% of it.
import { createHash } from 'node:crypto';
import type { NetworkConfigFile } from '../service/config-schema.js';
import type { NetworkCommand } from '../engine/commands.js';
import type { PaymentRequest } from '../engine/commands.js';

export const GRIDLOCK_BANKS = [
  { id: 'br-bank', currency: 'BRL', pays: 'in-bank', target: 'INR' },
  { id: 'in-bank', currency: 'INR', pays: 'cn-bank', target: 'CNY' },
  { id: 'cn-bank', currency: 'CNY', pays: 'br-bank', target: 'BRL' },
] as const;

/** What each bank owes, in minor units, and what it holds (10%). */
export const GRIDLOCK_OWED = 10_000n;
export const GRIDLOCK_HELD = 1_000n;

export function gridlockConfig(queue: boolean, cycleMs = 0): NetworkConfigFile {
  const rates = [];
  for (const source of ['BRL', 'INR', 'CNY']) {
    for (const target of ['BRL', 'INR', 'CNY']) {
      if (source !== target) rates.push({ provider: 'fx', source, target, rate: '1', spreadBps: 0 });
    }
  }
  return {
    operator: { id: 'operator', name: 'Operator' },
    settings: {
      quoteTtlSeconds: 3600,
      ...(queue ? { queue: { enabled: true, capacity: 1000, cycleMs } } : {}),
    },
    currencies: [
      { code: 'BRL', issuer: 'bcb' },
      { code: 'INR', issuer: 'rbi' },
      { code: 'CNY', issuer: 'pboc' },
    ],
    participants: [
      { id: 'bcb', name: 'BCB', kind: 'central_bank', country: 'BR', currencies: ['BRL'] },
      { id: 'rbi', name: 'RBI', kind: 'central_bank', country: 'IN', currencies: ['INR'] },
      { id: 'pboc', name: 'PBOC', kind: 'central_bank', country: 'CN', currencies: ['CNY'] },
      { id: 'br-bank', name: 'BR Bank', kind: 'bank', country: 'BR', currencies: ['BRL'] },
      { id: 'in-bank', name: 'IN Bank', kind: 'bank', country: 'IN', currencies: ['INR'] },
      { id: 'cn-bank', name: 'CN Bank', kind: 'bank', country: 'CN', currencies: ['CNY'] },
      { id: 'fx', name: 'FX', kind: 'fx_provider', country: 'AE', currencies: ['BRL', 'INR', 'CNY'] },
    ],
    rates,
    // Everyone holds 10% of what it owes, the FX provider too (in each currency).
    issuance: GRIDLOCK_BANKS.flatMap((bank) => [
      { currency: bank.currency, participant: bank.id, amount: '10.00' },
      { currency: bank.currency, participant: 'fx', amount: '10.00' },
    ]),
  };
}

/** The quote command of each bank's payment. */
export function gridlockQuote(bank: (typeof GRIDLOCK_BANKS)[number], id: string): NetworkCommand {
  return {
    type: 'create_quote', actor: bank.id, quoteId: id, source: bank.currency,
    target: bank.target, fixed: 'send', amount: GRIDLOCK_OWED,
  };
}

export function gridlockPayment(
  bank: (typeof GRIDLOCK_BANKS)[number],
  id: string,
  quoteId: string,
  extra: Partial<PaymentRequest> = {},
): NetworkCommand {
  return {
    type: 'create_payment', actor: bank.id, screening: { hit: false, matches: [] },
    payment: {
      id, mode: 'instant', debtorAgent: bank.id, creditorAgent: bank.pays,
      debtor: { name: 'Debtor' }, creditor: { name: 'Creditor' }, quoteId,
      endToEndId: `e2e-${id}`, uetr: uetrOf(id), ...extra,
    },
  };
}

/** A deterministic, well-formed UUID v4 per id (tests need stable UETRs). */
export function uetrOf(id: string): string {
  const hex = createHash('sha256').update(id).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
