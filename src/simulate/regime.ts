// A settlement regime: the same payments in, per-payment settlement records and liquidity out.
// The models (usd_correspondent, bilateral_local) and the real engine (corridor_gross, and
// corridor_lsm with the engine's settlement queue on) are each one implementation.
import type { BaselineParameters, CountryCalendar } from './data.js';
import type { Flows } from './flows.js';
import type { SwapLineUsage } from './corridor-lsm.js';
import type { LiquidityResult } from './liquidity.js';

export type RegimeName =
  'usd_correspondent' | 'bilateral_local' | 'corridor_gross' | 'corridor_lsm';

export const PAYMENT_SETTLED = 0;
export const PAYMENT_QUEUED = 1;
export const PAYMENT_FAILED = 2;

/** BoF-PSS liquidity bounds, per currency and summed over the currencies, USD. */
export interface LiquidityBounds {
  readonly currencies: readonly {
    readonly currency: string;
    readonly upper_usd: number;
    readonly lower_usd: number;
  }[];
  readonly upper_usd: number;
  readonly lower_usd: number;
}

export interface RegimeRun {
  readonly name: RegimeName;
  /** When the exporter's bank was credited, UTC ms; NaN when it was not. */
  readonly creditedAt: Float64Array;
  /** Cost against the reference mid rate, fees included, USD. */
  readonly costUsd: Float64Array;
  /** PAYMENT_SETTLED, PAYMENT_QUEUED or PAYMENT_FAILED. */
  readonly status: Uint8Array;
  readonly liquidity: LiquidityResult;
  /** corridor_lsm: each central-bank swap line it drew on, and how. */
  readonly swapLines?: readonly SwapLineUsage[];
  /** corridor_lsm: the bounds of what it settled, as it settled it (its peak lies between). */
  readonly bounds?: LiquidityBounds;
  /** Whatever else the regime reports (stranded balances, inventory drift…). */
  readonly details: Readonly<Record<string, unknown>>;
}

export interface RegimeContext {
  readonly calendars: ReadonlyMap<string, CountryCalendar>;
  readonly usdPerUnit: ReadonlyMap<string, { perUsd: number; minorUnits: number }>;
  readonly baseline: BaselineParameters;
  readonly seed: number;
  /** Called now and then with the share done (0–1); may yield to the event loop. */
  readonly progress: (done: number) => Promise<void> | void;
}

export interface Regime {
  readonly name: RegimeName;
  run(flows: Flows, context: RegimeContext): Promise<RegimeRun>;
}

export function emptyRecords(count: number): Pick<RegimeRun, 'creditedAt' | 'costUsd' | 'status'> {
  return {
    creditedAt: new Float64Array(count).fill(Number.NaN),
    costUsd: new Float64Array(count),
    status: new Uint8Array(count).fill(PAYMENT_FAILED),
  };
}
