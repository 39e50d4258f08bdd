// The dashboard's event stream (GET /v1/stream): the frames the server sends and the page
// reads. Types only, shared by the server (src/dashboard) and the web app (src/dashboard/web),
// so the two cannot drift. Every amount is an exact decimal string, as in the REST API.

export interface MoneyWire {
  readonly amount: string;
  readonly currency: string;
}

/** A payment status change the caller may see (one `payments` message carries a batch's). */
export interface PaymentChange {
  readonly sequence: number;
  readonly paymentId: string;
  readonly status: string;
  readonly reason?: string;
  readonly at: string;
  readonly kind: 'payment' | 'return';
  readonly debtorAgent: string;
  readonly creditorAgent: string;
  readonly sendAmount: MoneyWire;
  readonly creditAmount: MoneyWire;
}

export interface PaymentsMessage {
  readonly changes: readonly PaymentChange[];
}

/** Percentiles in milliseconds over a sample; null when the sample is empty. */
export interface Percentiles {
  readonly count: number;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
  readonly max: number | null;
}

/** One currency pair ("corridor"); source === target for domestic payments. */
export interface CorridorStats {
  readonly source: string;
  readonly target: string;
  /** Payments settled per second over the last 10 seconds. */
  readonly perSecond: number;
  /** Payments settled today (the network's UTC day). */
  readonly settledToday: number;
  readonly sentToday: MoneyWire;
  readonly creditedToday: MoneyWire;
  readonly feesToday: MoneyWire;
  /**
   * Cost of the payments settled today: the FX spread against the mid rate plus fees, in basis
   * points of the value sent, value-weighted: (value at mid debited − value at mid credited)
   * / value at mid debited × 10,000 (src/engine/payments/figures.ts). Null when none settled.
   */
  readonly costBps: number | null;
  /** The fees' part of costBps (the rest is the FX spread). */
  readonly feeBps: number | null;
  /**
   * Payments received today (by arrival: REST request, ISO message or library call) and how
   * each fares against the one-hour target; every one is in exactly one of the five counts.
   * "Credited within 1 h" is withinHourToday / (receivedToday − openUnderHourToday).
   */
  readonly receivedToday: number;
  /** Credited within an hour of arrival. */
  readonly withinHourToday: number;
  /** Credited, more than an hour after arrival. */
  readonly creditedLateToday: number;
  readonly rejectedToday: number;
  /** Still held, queued or pending, more than an hour after arrival. */
  readonly openOverHourToday: number;
  /** Still open within their first hour: not yet counted either way. */
  readonly openUnderHourToday: number;
}

export interface AccountWire {
  readonly participantId: string;
  readonly currency: string;
  /** settlement: a bank's or FX provider's; issuance: the issuing central bank's (negative:
   * money it has issued); fees: fees earned by the operator. */
  readonly role: 'settlement' | 'issuance' | 'fees';
  readonly posted: string;
  readonly reserved: string;
  readonly incoming: string;
  readonly available: string;
  readonly creditLimit: string;
}

export interface LiquidityWire {
  readonly accounts: readonly AccountWire[];
  readonly supply: readonly MoneyWire[];
}

export interface StatsMessage {
  /** Wall-clock time of the frame. */
  readonly at: string;
  /** The network's current UTC day ("today" for the daily figures), YYYY-MM-DD. */
  readonly day: string;
  /** The event-feed sequence every change before which this stream has already delivered:
   * where a reconnection resumes (?after=). */
  readonly sequence: number;
  readonly corridors: readonly CorridorStats[];
  /** Visible payments accepted and settled per second (10-second window). */
  readonly acceptedPerSecond: number;
  readonly settledPerSecond: number;
  /** Network-wide: commands committed per second (10-second window). */
  readonly commandsPerSecond: number;
  /** Time to credit (the request's arrival to the creditor agent credited, ACCC) of recent
   * visible payments that were credited. */
  readonly timeToCredit: Percentiles;
  /** The same, cross-border payments only (the G20 speed target's measure). */
  readonly timeToCreditCrossBorder: Percentiles;
  /** The last complete second, for charts that the page extends as frames arrive. */
  readonly point: HistoryPoint;
  /** Network-wide: time to make a batch durable, recent batches. */
  readonly commitLatency: Percentiles;
  readonly queueDepth: number;
  readonly journal: {
    readonly sequence: number;
    readonly hash: string | null;
    readonly lastCommitAt: string | null;
  };
  /** Present only when it changed since the last frame sent on this stream. */
  readonly liquidity?: LiquidityWire;
  /** The settlement queue's and the day's liquidity figures; present only when they changed
   * since the last frame sent on this stream. */
  readonly queue?: QueueWire;
}

/**
 * One currency's (participant absent) or one participant's figures in a currency, of the
 * network's UTC day (src/engine/liquidity/figures.ts; definitions: src/dashboard/definitions.ts).
 */
export interface QueueFigureWire {
  readonly currency: string;
  readonly participant?: string;
  readonly queuedCount: number;
  readonly queuedValue: string;
  readonly liquidityUsed: string;
  readonly peakLiquidityUsed: string;
  readonly upperBound: string;
  readonly lowerBound: string;
  readonly offsetValue: string;
  readonly settledCount: number;
  /** Upper edges of the queue-time histogram buckets holding p50 and p99, in ms. */
  readonly queueTimeP50Ms: number;
  readonly queueTimeP99Ms: number;
  /** 0–1; 1 when nothing settled yet. */
  readonly settledWithinHourShare: number;
  readonly gridlocksResolved: number;
}

/** What the viewer may see, scoped as GET /v1/liquidity: the operator every currency and
 * participant, a central bank its currencies', anyone else its own (no currency totals). */
export interface QueueWire {
  /** The network has a settlement queue switched on. */
  readonly enabled: boolean;
  readonly day: string;
  readonly currencies: readonly QueueFigureWire[];
  readonly participants: readonly QueueFigureWire[];
}

/** Sampled figures for the charts: key "*|CUR" (a currency) or "participant|CUR". */
export interface QueueSeriesWire {
  readonly queuedCount: readonly (number | null)[];
  readonly queuedValue: readonly (string | null)[];
  readonly liquidityUsed: readonly (string | null)[];
  readonly peakLiquidityUsed: readonly (string | null)[];
  readonly upperBound: readonly (string | null)[];
  readonly lowerBound: readonly (string | null)[];
}

export interface QueueHistory {
  /** Epoch seconds of each sample. */
  readonly times: readonly number[];
  readonly series: Readonly<Record<string, QueueSeriesWire>>;
}

export interface HistoryPoint {
  /** Epoch seconds. */
  readonly t: number;
  readonly accepted: number;
  readonly settled: number;
  readonly commands: number;
  readonly queueDepth: number;
}

export interface LiquidityHistory {
  /** Epoch seconds of each sample. */
  readonly times: readonly number[];
  /** "participant|currency|role" → posted balance at each sample (null when not sampled). */
  readonly posted: Readonly<Record<string, readonly (string | null)[]>>;
  /** currency → supply at each sample. */
  readonly supply: Readonly<Record<string, readonly (string | null)[]>>;
}

/** The first message on a stream: who you are, and what happened before you connected. */
export interface HelloMessage {
  readonly participantId: string;
  readonly kind: string;
  /** The event-feed sequence the stream continues from. */
  readonly sequence: number;
  readonly history: readonly HistoryPoint[];
  readonly liquidity: LiquidityHistory;
  /** The queue and liquidity figures sampled over the last 30 minutes. */
  readonly queue: QueueHistory;
}

export interface StreamTokenResponse {
  readonly token: string;
  readonly expiresAt: string;
}
