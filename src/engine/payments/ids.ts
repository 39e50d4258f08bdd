// Ids: a client chooses its payment and quote ids in its own namespace, so the same id used by
// two participants names two records and one learns nothing of the other's. The engine keys each
// record by a network id derived from (owner, client id); the owner keeps using its own id.
// Journal entries written before scoping ("global" ids) replay with the ids they had.
import { hash } from 'node:crypto';
import type { NetworkSettings } from '../model.js';
import type { NetworkState } from '../state.js';
import type { Payment } from './model.js';

/**
 * How a journal entry's commands name payments and quotes. "scoped": per participant (every
 * entry written since); "global": one namespace for the whole network (entries written before).
 */
export type IdScheme = 'scoped' | 'global';

/** How long a UETR stays taken after the payment that used it was recorded, unless configured. */
export const UETR_RETENTION_MS_DEFAULT = 90 * 24 * 60 * 60 * 1000;
/** How long a finished payment stays in full, unless configured
 * (src/engine/payments/retention.ts). */
export const PAYMENT_RETENTION_MS_DEFAULT = 24 * 60 * 60 * 1000;
/** How long a finished payment can be returned, unless configured: 90 days. */
export const RETURN_WINDOW_MS_DEFAULT = 90 * 24 * 60 * 60 * 1000;

const PAYMENT_PREFIX = 'pm:';
const QUOTE_PREFIX = 'qt:';
/** 128 bits of SHA-256, in hex: a network id is 35 characters, so leg ids stay within 64. */
const DIGEST_HEX_LENGTH = 32;

function digest(kind: string, owner: string, clientId: string): string {
  // crypto.hash: one call, no Hash object (about half the cost of createHash().update()).
  return hash('sha256', `${kind}\n${owner}\n${clientId}`, 'hex').slice(0, DIGEST_HEX_LENGTH);
}

/**
 * The network id of `owner`'s payment (or return) `clientId`. Client ids never hold ":", so a
 * network id can never be mistaken for a client id nor for an id from before scoping.
 */
export function paymentKey(ids: IdScheme, owner: string, clientId: string): string {
  return ids === 'global' ? clientId : PAYMENT_PREFIX + digest('payment', owner, clientId);
}

export function quoteKey(ids: IdScheme, owner: string, clientId: string): string {
  return ids === 'global' ? clientId : QUOTE_PREFIX + digest('quote', owner, clientId);
}

/** True for a network id (as a counterparty is shown it), false for a client id. */
export function isNetworkId(reference: string): boolean {
  return reference.startsWith(PAYMENT_PREFIX) || reference.startsWith(QUOTE_PREFIX);
}

/** The payment under `id`, in full or compact (src/engine/payments/retention.ts). */
export function heldPayment(state: NetworkState, id: string): Payment | undefined {
  return state.payments.get(id) ?? state.settled.get(id)?.payment;
}

/**
 * The payment `actor` created under its own id (`key`: its network id, if already known). A
 * payment from before scoping is found by that id too, if `actor` created it: a retry across
 * the upgrade stays a retry.
 */
export function ownPayment(
  state: NetworkState,
  ids: IdScheme,
  actor: string,
  clientId: string,
  key = paymentKey(ids, actor, clientId),
): Payment | undefined {
  const payment = heldPayment(state, key);
  if (payment !== undefined || ids === 'global') return payment;
  const legacy = heldPayment(state, clientId);
  return legacy?.debtorAgent === actor ? legacy : undefined;
}

/**
 * The payment `actor` names by `reference`: its own id first, else a network id (or an id from
 * before scoping). Whether `actor` may see or act on it is the caller's check.
 */
export function findPayment(
  state: NetworkState,
  actor: string,
  reference: string,
): Payment | undefined {
  if (isNetworkId(reference)) return heldPayment(state, reference);
  return (
    heldPayment(state, paymentKey('scoped', actor, reference)) ?? heldPayment(state, reference)
  );
}

export function uetrRetentionMs(settings: NetworkSettings): number {
  return settings.uetrRetentionMs ?? UETR_RETENTION_MS_DEFAULT;
}

/** True while a payment recorded less than the retention window before `now` holds `uetr`. */
export function uetrTaken(state: NetworkState, uetr: string, now: number): boolean {
  const at = state.uetrs.get(uetr);
  return at !== undefined && at + uetrRetentionMs(state.settings) > now;
}

export function takeUetr(state: NetworkState, uetr: string, now: number): void {
  // Deleted first so that the map stays in recording order, oldest first, for pruning.
  state.uetrs.delete(uetr);
  state.uetrs.set(uetr, now);
}

/** Forgets UETRs past the window; by batch time, so live operation and replay agree. */
export function pruneUetrs(state: NetworkState, now: number): void {
  const retention = uetrRetentionMs(state.settings);
  for (const [uetr, at] of state.uetrs) {
    if (at + retention > now) return;
    state.uetrs.delete(uetr);
  }
}
