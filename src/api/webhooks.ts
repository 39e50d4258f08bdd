// Signed webhooks: each participant may register endpoints; every status change of its
// payments is POSTed as JSON with a signature header "t=<unix seconds>,v1=<hex>", where v1 is
// HMAC-SHA256(secret, "<t>.<body>"). Failed deliveries retry with exponential backoff; after
// the last attempt they go to a dead-letter list the participant can inspect. Endpoints must be
// public addresses (src/api/webhook-policy.ts), checked at registration and at every delivery.
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PaymentEventRecord } from '../service/domain.js';
import {
  postWebhook,
  systemResolver,
  webhookAgents,
  type DeliveryContext,
  type WebhookResolver,
} from './webhook-delivery.js';
import { webhookAddressPolicy } from './webhook-policy.js';

export const WEBHOOK_LIMITS = {
  endpointsPerParticipantMax: 5,
  attemptsMax: 8,
  firstRetryMs: 1_000,
  retryMsMax: 5 * 60_000,
  deliveryTimeoutMs: 5_000,
  queueMax: 100_000,
  deadLettersMax: 10_000,
} as const;

/** The retry schedule: attempt n waits firstRetryMs·2^(n-1), at most retryMsMax. */
export interface WebhookDeliveryOptions {
  readonly attemptsMax?: number;
  readonly firstRetryMs?: number;
  readonly retryMsMax?: number;
  readonly deliveryTimeoutMs?: number;
  /** How host names are resolved before a delivery (tests inject one). */
  readonly resolve?: WebhookResolver;
}

/** Where failed deliveries are told in full (pino's logger fits). */
export interface WebhookLog {
  warn(detail: Record<string, unknown>, message: string): void;
}

export interface WebhookDispatcherOptions extends WebhookDeliveryOptions {
  /**
   * Addresses, CIDR ranges and host names the operator allows although they are not public
   * (test set-ups: "127.0.0.1/32", "::1"); empty by default.
   */
  readonly allow?: readonly string[];
  readonly log?: WebhookLog;
}

/** What a participant is told of a failed delivery; the details go to the operator's log. */
export const DELIVERY_FAILED = 'delivery failed';

export type Registration =
  | { readonly ok: true; readonly endpoint: WebhookEndpoint }
  | { readonly ok: false; readonly code: 'webhook_url_not_allowed' | 'webhook_limit';
      readonly message: string };

export interface WebhookEndpoint {
  readonly id: string;
  readonly participantId: string;
  readonly url: string;
  readonly secret: string;
  readonly createdAt: string;
}

export interface DeadLetter {
  readonly endpointId: string;
  readonly participantId: string;
  readonly url: string;
  readonly body: string;
  readonly attempts: number;
  readonly lastError: string;
  readonly failedAt: string;
}

interface Delivery {
  readonly endpoint: WebhookEndpoint;
  readonly body: string;
  attempts: number;
}

interface Persisted {
  endpoints: WebhookEndpoint[];
  deadLetters: DeadLetter[];
}

export function signature(secret: string, timestampSeconds: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${digest}`;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'not a URL';
  }
}

function positive(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`webhook delivery option ${value} must be a positive integer`);
  }
  return value;
}

export class WebhookDispatcher {
  private readonly state: Persisted = { endpoints: [], deadLetters: [] };
  private readonly timers = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  private closed = false;
  private readonly delivery: Required<Omit<WebhookDeliveryOptions, 'resolve'>>;
  private readonly context: DeliveryContext;
  private readonly log: WebhookLog | undefined;

  /**
   * `path` is where registrations and dead letters persist (undefined: memory only). A bad
   * allow-list entry throws WebhookAllowListError, so a node does not start with it.
   */
  constructor(
    private readonly path: string | undefined,
    private readonly clock: () => number = Date.now,
    options: WebhookDispatcherOptions = {},
  ) {
    this.delivery = {
      attemptsMax: positive(options.attemptsMax, WEBHOOK_LIMITS.attemptsMax),
      firstRetryMs: positive(options.firstRetryMs, WEBHOOK_LIMITS.firstRetryMs),
      retryMsMax: positive(options.retryMsMax, WEBHOOK_LIMITS.retryMsMax),
      deliveryTimeoutMs: positive(options.deliveryTimeoutMs, WEBHOOK_LIMITS.deliveryTimeoutMs),
    };
    this.context = {
      policy: webhookAddressPolicy(options.allow),
      resolve: options.resolve ?? systemResolver,
      timeoutMs: this.delivery.deliveryTimeoutMs,
      agents: webhookAgents(),
    };
    this.log = options.log;
    if (path === undefined) return;
    try {
      const saved = JSON.parse(readFileSync(path, 'utf8')) as Persisted;
      this.state.endpoints.push(...saved.endpoints);
      // Letters written before errors were made generic may name what an endpoint answered.
      this.state.deadLetters.push(
        ...saved.deadLetters.map((letter) => ({ ...letter, lastError: DELIVERY_FAILED })),
      );
    } catch {
      // No file yet: a new network.
    }
  }

  private save(): void {
    if (this.path === undefined) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.state), { mode: 0o600 });
    renameSync(temporary, this.path);
  }

  register(participantId: string, url: string): Registration {
    const refusal = this.context.policy.refusal(url);
    if (refusal !== undefined) return { ok: false, code: 'webhook_url_not_allowed', message: refusal };
    const mine = this.state.endpoints.filter(
      (endpoint) => endpoint.participantId === participantId,
    );
    if (mine.length >= WEBHOOK_LIMITS.endpointsPerParticipantMax) {
      return { ok: false, code: 'webhook_limit',
        message: `At most ${WEBHOOK_LIMITS.endpointsPerParticipantMax} endpoints.` };
    }
    const endpoint: WebhookEndpoint = {
      id: `wh_${randomBytes(8).toString('hex')}`,
      participantId,
      url,
      secret: `whsec_${randomBytes(24).toString('base64url')}`,
      createdAt: new Date(this.clock()).toISOString(),
    };
    this.state.endpoints.push(endpoint);
    this.save();
    return { ok: true, endpoint };
  }

  remove(participantId: string, id: string): boolean {
    const index = this.state.endpoints.findIndex(
      (endpoint) => endpoint.id === id && endpoint.participantId === participantId,
    );
    if (index < 0) return false;
    this.state.endpoints.splice(index, 1);
    this.save();
    return true;
  }

  endpoints(participantId: string): WebhookEndpoint[] {
    return this.state.endpoints.filter((endpoint) => endpoint.participantId === participantId);
  }

  deadLetters(participantId: string): DeadLetter[] {
    return this.state.deadLetters.filter((letter) => letter.participantId === participantId);
  }

  /** Queues deliveries for events that are already durable. */
  publish(events: readonly { sequence: number; event: PaymentEventRecord }[]): void {
    if (this.closed || this.state.endpoints.length === 0) return;
    for (const { sequence, event } of events) {
      for (const endpoint of this.state.endpoints) {
        if (!event.audience.includes(endpoint.participantId)) continue;
        if (this.inFlight >= WEBHOOK_LIMITS.queueMax) return;
        const body = JSON.stringify({
          id: `evt_${sequence}`,
          sequence,
          type: 'payment.status_changed',
          paymentId: event.paymentId,
          status: event.status,
          reason: event.reason ?? null,
          detail: event.detail ?? null,
          at: new Date(event.at).toISOString(),
        });
        this.inFlight += 1;
        void this.attempt({ endpoint, body, attempts: 0 });
      }
    }
  }

  private async attempt(delivery: Delivery): Promise<void> {
    delivery.attempts += 1;
    const { endpoint, body } = delivery;
    const signed = signature(endpoint.secret, Math.floor(this.clock() / 1000), body);
    const outcome = await postWebhook(endpoint.url, {
      body,
      headers: { 'content-type': 'application/json', 'corridor-signature': signed },
    }, this.context);
    if (outcome.ok) {
      this.inFlight -= 1;
      return;
    }
    this.retryOrBury(delivery, outcome.problem, outcome.retry);
  }

  private retryOrBury(delivery: Delivery, problem: string, retry: boolean): void {
    const bury = !retry || delivery.attempts >= this.delivery.attemptsMax || this.closed;
    this.log?.warn({
      endpointId: delivery.endpoint.id,
      participantId: delivery.endpoint.participantId,
      // The origin, not the whole URL: a path or query may carry the participant's own token.
      origin: originOf(delivery.endpoint.url),
      attempt: delivery.attempts,
      problem,
      deadLettered: bury,
    }, 'webhook delivery failed');
    if (bury) {
      this.inFlight -= 1;
      // The participant sees no more than that it failed: what the target answered (or that it
      // could not be reached) would tell it about hosts it could not otherwise see.
      this.state.deadLetters.push({
        endpointId: delivery.endpoint.id,
        participantId: delivery.endpoint.participantId,
        url: delivery.endpoint.url,
        body: delivery.body,
        attempts: delivery.attempts,
        lastError: DELIVERY_FAILED,
        failedAt: new Date(this.clock()).toISOString(),
      });
      if (this.state.deadLetters.length > WEBHOOK_LIMITS.deadLettersMax)
        this.state.deadLetters.shift();
      this.save();
      return;
    }
    const delay = Math.min(
      this.delivery.firstRetryMs * 2 ** (delivery.attempts - 1),
      this.delivery.retryMsMax,
    );
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(delivery);
    }, delay);
    this.timers.add(timer);
  }

  get pending(): number {
    return this.inFlight;
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.context.agents.destroy();
    this.save();
  }
}
