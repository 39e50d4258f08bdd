// corridor_lsm's central-bank swap lines on a three-day scenario built by hand: one FX provider
// at home in India, starved of roubles by India's imports from Russia, is lent roubles by the
// Reserve Bank of India from its swap line with the Bank of Russia, and repays with interest
// when Russia's imports give it roubles again (or at the tenor); the holder repays the line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { corridorLsmRegime, dailyGrossFlowUsd, type SwapLineUsage } from './corridor-lsm.js';
import { loadBaselineParameters, loadUsdRates } from './data.js';
import type { Flows } from './flows.js';
import { PAYMENT_SETTLED, type RegimeContext, type RegimeRun } from './regime.js';
import { DEFAULT_OPTIONS } from './simulate.js';

const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 2);

/** Payments [importer, exporter, USD, day]; countries IN (0) and RU (1). */
function flows(payments: readonly (readonly [number, number, number, number])[]): Flows {
  return {
    count: payments.length,
    countries: ['IN', 'RU'],
    currencies: ['INR', 'RUB'],
    pairs: [],
    pair: new Uint16Array(payments.length),
    importer: Uint8Array.from(payments.map((payment) => payment[0])),
    exporter: Uint8Array.from(payments.map((payment) => payment[1])),
    valueUsd: Float64Array.from(payments.map((payment) => payment[2])),
    arrival: Float64Array.from(payments.map((payment) => START + payment[3] * DAY + 36_000_000)),
    start: START,
    end: START + 3 * DAY,
  };
}

const context: RegimeContext = {
  calendars: new Map(),
  usdPerUnit: new Map(
    [...loadUsdRates()].map(([code, rate]) => [
      code,
      { perUsd: Number(rate.perUsd), minorUnits: rate.minorUnits },
    ]),
  ),
  baseline: loadBaselineParameters(),
  seed: 1,
  progress: () => undefined,
};

async function run(
  payments: readonly (readonly [number, number, number, number])[],
  tenorDays: number,
): Promise<RegimeRun> {
  const regime = corridorLsmRegime({
    ...DEFAULT_OPTIONS,
    providers: [{ id: 'fx-mumbai', country: 'IN', spreadBps: 20 }],
    swapLineShare: 2,
    swapRateBps: 500,
    swapTenorDays: tenorDays,
  });
  return regime.run(flows(payments), context);
}

type Position = {
  currency: string;
  providers_restored_usd: number;
  tenor_restoration_usd: number;
  swap_lent_usd: number;
  swap_repaid_usd: number;
};

function rubLine(result: RegimeRun): SwapLineUsage {
  const lines = result.swapLines ?? [];
  assert.deepEqual(
    lines.map((line) => `${line.holder}|${line.currency}|${line.issuer}`),
    ['cb-in|RUB|cb-ru'],
  );
  const [line] = lines;
  assert.ok(line !== undefined);
  return line;
}

describe('corridor_lsm swap lines', () => {
  it('sizes each line from its currency’s daily gross flow', () => {
    const daily = dailyGrossFlowUsd(flows([[0, 1, 10e6, 0], [1, 0, 15e6, 1], [0, 1, 1e6, 2]]));
    // Every payment is paid in one currency and received in the other: 26m over 3 days each.
    assert.ok(Math.abs((daily.get('RUB') ?? 0) - 26e6 / 3) < 1e-6);
    assert.ok(Math.abs((daily.get('INR') ?? 0) - 26e6 / 3) < 1e-6);
  });

  it('a starved provider is lent from its home central bank’s line and repays with interest', async () => {
    // Day 0: India imports 10m from Russia (the provider pays roubles); day 1: Russia imports
    // 15m from India (the provider receives roubles); day 2: a small import by India.
    const result = await run([[0, 1, 10e6, 0], [1, 0, 15e6, 1], [0, 1, 1e6, 2]], 90);
    assert.deepEqual([...result.status], [PAYMENT_SETTLED, PAYMENT_SETTLED, PAYMENT_SETTLED]);
    const details = result.details as { batches: number; invariant_checks: number };
    assert.equal(details.invariant_checks, details.batches);
    const line = rubLine(result);
    // Midnight 1: the provider is 10m short of roubles: one draw, lent on at once.
    assert.equal(line.draws, 1);
    assert.ok(Math.abs(line.peak_drawn_usd - 10e6) < 1e4, `peak ${line.peak_drawn_usd}`);
    assert.equal(line.drawn_days, 1);
    // Midnight 2: its surplus covers what it owes: it repays, and the RBI repays the line.
    assert.equal(line.repayments, 1);
    assert.equal(line.repaid_at_tenor, 0);
    assert.equal(line.repaid, true);
    assert.equal(line.outstanding_end_usd, 0);
    // One day at 5%, actual/360: about 10m × 0.05 / 360 = USD 1,389, paid on to the issuer.
    assert.ok(Math.abs(line.interest_paid_usd - 1_388.89) < 5, `${line.interest_paid_usd}`);
    assert.equal(line.interest_received_usd, line.interest_paid_usd);
    // Three UTC days, one of them with 10m drawn.
    assert.ok(Math.abs(line.average_outstanding_usd - line.peak_drawn_usd / 3) < 0.02);
    const positions = result.details.residual_positions_usd as Position[];
    const rub = positions.find((item) => item.currency === 'RUB');
    const inr = positions.find((item) => item.currency === 'INR');
    assert.equal(rub?.swap_lent_usd, line.peak_drawn_usd);
    const repaid = (rub?.swap_repaid_usd ?? 0) - line.peak_drawn_usd - line.interest_paid_usd;
    assert.ok(Math.abs(repaid) < 0.02);
    assert.equal(rub?.providers_restored_usd, 0, 'the line covered the roubles');
    // Its home currency has no swap line: that shortfall is restoration, and reported.
    assert.ok((inr?.providers_restored_usd ?? 0) > 14e6, `${inr?.providers_restored_usd}`);
    assert.equal(rub?.tenor_restoration_usd, 0);
  });

  it('at the tenor a provider that cannot repay is given what it lacks, reported, and the line rolls over', async () => {
    // Roubles only flow out: the provider never holds enough again.
    const result = await run([[0, 1, 10e6, 0], [0, 1, 5e6, 1], [0, 1, 1e6, 2]], 1);
    const line = rubLine(result);
    assert.equal(line.repayments, 1);
    assert.equal(line.repaid_at_tenor, 1);
    // Drawn again the same midnight, and still drawn at the end.
    assert.equal(line.draws, 2);
    assert.equal(line.repaid, false);
    assert.ok(line.outstanding_end_usd > 0);
    assert.ok(line.interest_paid_usd > 0);
    const rub = (result.details.residual_positions_usd as Position[]).find(
      (item) => item.currency === 'RUB',
    );
    assert.ok((rub?.tenor_restoration_usd ?? 0) > 0, 'the lack at the tenor is reported');
    const details = result.details as { batches: number; invariant_checks: number };
    assert.equal(details.invariant_checks, details.batches);
  });
});
