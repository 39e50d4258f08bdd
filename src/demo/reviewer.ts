// A demo central-bank reviewer: in the demo nobody reviews the payments screening holds, so the
// queue would grow for ever. This one acts as the payer's central bank would, through the same
// command a person uses on the Review page (network.review): each held payment is decided after
// a simulated review of a few minutes, mostly rejected (a listed name is a true match in the
// demo) and now and then released. Decisions and delays come from the random source it is
// given, so a seeded one makes it deterministic; the clock is injected too.
import type { Network } from '../service/service.js';
import type { Payment } from '../service/domain.js';

export interface ReviewerOptions {
  /** Shortest and longest simulated review, in ms after the payment was held. */
  readonly delayMinMs?: number;
  readonly delayMaxMs?: number;
  /** Share of held payments released (the rest are rejected). */
  readonly releaseShare?: number;
  /** How often the queue is looked at, in ms. */
  readonly intervalMs?: number;
  readonly random?: () => number;
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
}

export const REVIEWER_DEFAULTS = {
  delayMinMs: 2 * 60_000,
  delayMaxMs: 6 * 60_000,
  releaseShare: 0.2,
  intervalMs: 5_000,
  /** At most this many held payments are read per look (the oldest first are decided). */
  scanMax: 1_000,
} as const;

interface Plan {
  readonly dueAt: number;
  readonly decision: 'release' | 'reject';
}

export interface ReviewerStats {
  released: number;
  rejected: number;
}

export class DemoReviewer {
  readonly stats: ReviewerStats = { released: 0, rejected: 0 };
  private readonly plans = new Map<string, Plan>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(
    private readonly network: Network,
    private readonly options: ReviewerOptions = {},
  ) {
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      if (this.running !== undefined) return;
      this.running = this.tick()
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => (this.running = undefined));
    }, this.options.intervalMs ?? REVIEWER_DEFAULTS.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Payments held now, with the plan for each; decides those whose review is over. */
  async tick(): Promise<void> {
    const held = (await this.network.reads.payments(
      { status: 'BLCK' },
      { limit: REVIEWER_DEFAULTS.scanMax },
    )).payments;
    const seen = new Set<string>();
    const now = this.now();
    for (const payment of held) {
      seen.add(payment.id);
      const plan = this.planFor(payment);
      if (plan.dueAt > now) continue;
      const reviewer = this.reviewerOf(payment);
      if (reviewer === undefined) continue;
      const result = await this.network.review(reviewer, payment.id, plan.decision);
      this.plans.delete(payment.id);
      if (result.code !== 'ok') continue;
      if (plan.decision === 'release') this.stats.released += 1;
      else this.stats.rejected += 1;
    }
    // Decided elsewhere (by a person on the Review page): forget the plan.
    for (const id of this.plans.keys()) if (!seen.has(id)) this.plans.delete(id);
  }

  /** How many held payments have a planned decision. */
  get pending(): number {
    return this.plans.size;
  }

  private planFor(payment: Payment): Plan {
    const known = this.plans.get(payment.id);
    if (known !== undefined) return known;
    const heldAt =
      [...payment.events].reverse().find((event) => event.status === 'BLCK')?.at ??
      payment.updatedAt;
    const min = this.options.delayMinMs ?? REVIEWER_DEFAULTS.delayMinMs;
    const max = this.options.delayMaxMs ?? REVIEWER_DEFAULTS.delayMaxMs;
    const plan: Plan = {
      dueAt: heldAt + min + Math.floor(this.random() * (max - min)),
      decision:
        this.random() < (this.options.releaseShare ?? REVIEWER_DEFAULTS.releaseShare)
          ? 'release'
          : 'reject',
    };
    this.plans.set(payment.id, plan);
    return plan;
  }

  /** The payer's central bank (the issuer of the currency sent). */
  private reviewerOf(payment: Payment): string | undefined {
    return this.network.issuerOf(payment.sourceCurrency);
  }
}
