// Retention: what the engine keeps of a payment once it is finished (ACCC or RJCT), and for how
// long, so that its memory holds live state and bounded windows only, never all of history.
//
// - Open payments (ACTC, ACSP, BLCK) stay in full until they finish.
// - A finished payment stays in full for settings.paymentRetentionMs after it finished.
// - Then, for the rest of the return window (settings.returnWindowMs from when it finished), a
//   compact record stays: what return_payment and idempotent retries need (ids, parties,
//   currencies, amounts, returns, status) and the fingerprint of the request instead of the
//   request. Its legs and events are dropped: the journal (and storage) has them.
// - After both, the payment leaves memory: its client id may be used again (a new payment).
//
// Pruning runs at the start of every batch, by batch time, over maps kept in finish order, so a
// batch visits only what expires (O(expired)), and replay prunes exactly as live operation did.
// Networks configured before these settings existed (an old journal) have no return window:
// nothing they remember is forgotten, so every refusal replays as it was written.
import type { NetworkSettings } from '../model.js';
import type { NetworkState } from '../state.js';
import type { Payment } from './model.js';
import { fingerprintRequest } from './validate.js';

import { PAYMENT_RETENTION_MS_DEFAULT } from './ids.js';

export { PAYMENT_RETENTION_MS_DEFAULT, RETURN_WINDOW_MS_DEFAULT } from './ids.js';

/** A finished payment past its full retention, inside the return window. */
export interface SettledRecord {
  /** The compact payment: the fields returns and retries read; no legs, one event. */
  readonly payment: Payment;
  /** fingerprintRequest of what its sender sent (the request itself is not kept). */
  readonly fingerprint: string;
  readonly finishedAt: number;
}

export function paymentRetentionMs(settings: NetworkSettings): number {
  return settings.paymentRetentionMs ?? PAYMENT_RETENTION_MS_DEFAULT;
}

/** The return window; unbounded for a network configured before it existed. */
export function returnWindowMs(settings: NetworkSettings): number {
  return settings.returnWindowMs ?? Number.POSITIVE_INFINITY;
}

/**
 * How long a client id (payment or return id) and an end-to-end id stay taken: the longer of
 * the full retention and the return window (the id is held as long as anything of it is).
 */
export function idWindowMs(settings: NetworkSettings): number {
  return Math.max(paymentRetentionMs(settings), returnWindowMs(settings));
}

/** The fingerprint of the request that created the payment `id` (held in full or compact). */
export function requestFingerprint(state: NetworkState, id: string): string {
  const settled = state.settled.get(id);
  return settled !== undefined
    ? settled.fingerprint
    : fingerprintRequest(state.paymentRequests.get(id));
}

/** Called when a payment reaches ACCC or RJCT: its retention runs from `now`. */
export function markFinished(state: NetworkState, payment: Payment, now: number): void {
  state.finished.set(payment.id, now);
}

export function takeEndToEndId(state: NetworkState, key: string, now: number): void {
  state.endToEndIds.delete(key);
  state.endToEndIds.set(key, now);
}

/** True while a payment taken less than the id window before `now` holds the end-to-end id. */
export function endToEndIdTaken(state: NetworkState, key: string, now: number): boolean {
  const at = state.endToEndIds.get(key);
  return at !== undefined && at + idWindowMs(state.settings) > now;
}

/** Compacts, then forgets, what expired by `now`; visits only what expires. */
export function prunePayments(state: NetworkState, now: number): void {
  const retention = paymentRetentionMs(state.settings);
  const window = returnWindowMs(state.settings);
  for (const [id, finishedAt] of state.finished) {
    if (finishedAt + retention > now) break;
    state.finished.delete(id);
    const payment = state.payments.get(id);
    const request = state.paymentRequests.get(id);
    state.payments.delete(id);
    state.paymentRequests.delete(id);
    if (payment !== undefined && finishedAt + window > now) {
      state.settled.set(id, {
        payment: compactOf(payment),
        fingerprint: fingerprintRequest(request),
        finishedAt,
      });
    }
  }
  if (window !== Number.POSITIVE_INFINITY) {
    for (const [id, record] of state.settled) {
      if (record.finishedAt + window > now) break;
      state.settled.delete(id);
    }
  }
  const ids = idWindowMs(state.settings);
  if (ids !== Number.POSITIVE_INFINITY) {
    for (const [key, at] of state.endToEndIds) {
      if (at + ids > now) break;
      state.endToEndIds.delete(key);
    }
  }
}

/**
 * The compact record of a finished payment: every field of the payment (ids, parties, amounts,
 * rates, returns, status, ISO 20022 origin: what returns, retries, the gateway's lookups and
 * reads of it use; all references to what the payment already held). Its legs and timeline
 * stay too: a return of it upserts the payment's storage projection (src/service/projections.ts)
 * from this record, and the stored view must keep them. The request itself is replaced by its
 * fingerprint.
 */
export function compactOf(payment: Payment): Payment {
  return { ...payment };
}
