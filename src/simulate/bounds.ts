// The BoF-PSS liquidity bounds of the flows, as pure functions of the payments alone (no
// regime): every payment settles gross at arrival between the importer's bank and an FX side
// that holds every currency (the providers taken together), at the mid rate.
// - upper bound (UB), per currency: the largest day's sum of running-balance drawdowns;
// - lower bound (LB), per currency: the largest day's sum of end-of-day net debits.
// Also the balances no settlement can make disappear: each country's multilateral balance
// (exports − imports inside the network) and each pair's bilateral imbalance.
import type { Flows } from './flows.js';
import { LiquidityTracker, round2, type LiquidityResult } from './liquidity.js';

export const FX_SIDE = 'fx-providers';

export function liquidityBounds(flows: Flows): LiquidityResult {
  const tracker = new LiquidityTracker();
  const bank = flows.countries.map((country, index) =>
    tracker.account(`bank-${country.toLowerCase()}`, flows.currencies[index] ?? ''),
  );
  const fx = flows.currencies.map((currency) => tracker.account(FX_SIDE, currency));
  for (let index = 0; index < flows.count; index += 1) {
    const at = flows.arrival[index] ?? 0;
    const value = flows.valueUsd[index] ?? 0;
    const from = flows.importer[index] ?? 0;
    const to = flows.exporter[index] ?? 0;
    tracker.move(at, bank[from] ?? 0, -value);
    tracker.move(at, fx[from] ?? 0, value);
    tracker.move(at, fx[to] ?? 0, -value);
    tracker.move(at, bank[to] ?? 0, value);
  }
  return tracker.result();
}

export interface CountryBalance {
  readonly country: string;
  readonly currency: string;
  readonly exportsUsd: number;
  readonly importsUsd: number;
  /** exports − imports: positive, the country is owed; negative, its currency piles up. */
  readonly balanceUsd: number;
}

/** Each country's multilateral balance inside the network, over the simulated period. */
export function multilateralBalances(flows: Flows): CountryBalance[] {
  const exports = new Float64Array(flows.countries.length);
  const imports = new Float64Array(flows.countries.length);
  for (let index = 0; index < flows.count; index += 1) {
    const value = flows.valueUsd[index] ?? 0;
    exports[flows.exporter[index] ?? 0] = (exports[flows.exporter[index] ?? 0] ?? 0) + value;
    imports[flows.importer[index] ?? 0] = (imports[flows.importer[index] ?? 0] ?? 0) + value;
  }
  return flows.countries.map((country, index) => ({
    country,
    currency: flows.currencies[index] ?? '',
    exportsUsd: round2(exports[index] ?? 0),
    importsUsd: round2(imports[index] ?? 0),
    balanceUsd: round2((exports[index] ?? 0) - (imports[index] ?? 0)),
  }));
}

export interface PairImbalance {
  /** The country that sells more to the other: it ends up holding the other's currency. */
  readonly holder: string;
  readonly partner: string;
  /** The currency stranded: the partner's. */
  readonly currency: string;
  readonly holderExportsUsd: number;
  readonly holderImportsUsd: number;
  readonly strandedUsd: number;
}

/** Bilateral imbalances: what each pair would strand if it settled only bilaterally. */
export function bilateralImbalances(flows: Flows): PairImbalance[] {
  const n = flows.countries.length;
  const matrix = new Float64Array(n * n);
  for (let index = 0; index < flows.count; index += 1) {
    const cell = (flows.exporter[index] ?? 0) * n + (flows.importer[index] ?? 0);
    matrix[cell] = (matrix[cell] ?? 0) + (flows.valueUsd[index] ?? 0);
  }
  const result: PairImbalance[] = [];
  for (let a = 0; a < n; a += 1) {
    for (let b = a + 1; b < n; b += 1) {
      const ab = matrix[a * n + b] ?? 0;
      const ba = matrix[b * n + a] ?? 0;
      if (ab === 0 && ba === 0) continue;
      const [holder, partner, sold, bought] = ab >= ba ? [a, b, ab, ba] : [b, a, ba, ab];
      result.push({
        holder: flows.countries[holder] ?? '',
        partner: flows.countries[partner] ?? '',
        currency: flows.currencies[partner] ?? '',
        holderExportsUsd: round2(sold),
        holderImportsUsd: round2(bought),
        strandedUsd: round2(sold - bought),
      });
    }
  }
  return result;
}
