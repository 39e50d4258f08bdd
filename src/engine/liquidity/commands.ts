// The queue's commands: a bank cancels, reorders or re-prioritises its own queued payments; the
// operator switches the queue on or off and sizes it; a tick runs the queue when no traffic does.
import type { NetworkCommand, NetworkResult } from '../commands.js';
import { refuse, type BatchContext, type NetworkState } from '../state.js';
import { findPayment } from '../payments/ids.js';
import { QUEUE_LIMITS, rejectQueued, type QueueEntry, type QueueSettings } from './queue.js';

type QueueCommand = Extract<NetworkCommand, {
  type: 'run_queue' | 'cancel_queued' | 'reorder_queue' | 'set_queue_priority' |
    'set_queue_settings';
}>;

/** Most payments one reorder may name. */
export const REORDER_PAYMENTS_MAX = 1_000;

/** Settings out of bounds, as a refusal naming the field; undefined when they are fine. */
export function checkQueueSettings(queue: QueueSettings): NetworkResult | undefined {
  const whole = (value: unknown, min: number, max: number): boolean =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
  if (typeof queue.enabled !== 'boolean')
    return refuse('invalid_field', 'enabled is true or false.', 'queue.enabled');
  if (!whole(queue.capacity, 1, QUEUE_LIMITS.capacityMax))
    return refuse('invalid_field',
      `The capacity is a whole number from 1 to ${QUEUE_LIMITS.capacityMax}.`, 'queue.capacity');
  if (!whole(queue.cycleMs, 0, QUEUE_LIMITS.cycleMsMax))
    return refuse('invalid_field',
      `The cycle is a whole number of ms from 0 to ${QUEUE_LIMITS.cycleMsMax}.`, 'queue.cycleMs');
  if (!whole(queue.waitMsDefault, 1, QUEUE_LIMITS.waitMsMax))
    return refuse('invalid_field',
      `The default wait is a whole number of ms from 1 to ${QUEUE_LIMITS.waitMsMax}.`,
      'queue.waitMsDefault');
  return undefined;
}

/** The actor's own queued payment, or a refusal (a stranger is told it does not exist). */
function ownQueued(
  state: NetworkState,
  actor: string,
  paymentId: string,
): { entry: QueueEntry } | NetworkResult {
  const payment = findPayment(state, actor, paymentId);
  if (payment === undefined || payment.debtorAgent !== actor || payment.kind !== 'payment')
    return refuse('payment_not_found', `No payment ${paymentId} of yours.`, 'paymentId');
  const entry = state.queue.entries.get(payment.id);
  if (entry === undefined) {
    return refuse('payment_not_queued',
      `The payment is ${payment.status}: only a payment waiting in the queue can be changed.`,
      'paymentId');
  }
  return { entry };
}

function reorder(
  state: NetworkState,
  command: Extract<QueueCommand, { type: 'reorder_queue' }>,
): NetworkResult {
  if (!Array.isArray(command.paymentIds) || command.paymentIds.length === 0 ||
      command.paymentIds.length > REORDER_PAYMENTS_MAX) {
    return refuse('invalid_field',
      `Name from 1 to ${REORDER_PAYMENTS_MAX} of your queued payments.`, 'paymentIds');
  }
  const entries: QueueEntry[] = [];
  const seen = new Set<string>();
  for (const paymentId of command.paymentIds) {
    const found = ownQueued(state, command.actor, String(paymentId));
    if ('code' in found) return found;
    if (seen.has(found.entry.paymentId))
      return refuse('invalid_field', `Payment ${paymentId} is named twice.`, 'paymentIds');
    seen.add(found.entry.paymentId);
    entries.push(found.entry);
  }
  // The payments keep the positions they held between them, now in the order asked.
  const ranks = entries.map((entry) => entry.rank).sort((left, right) => left - right);
  entries.forEach((entry, index) => { entry.rank = ranks[index] as number; });
  return { code: 'ok' };
}

export function queueCommand(
  state: NetworkState,
  command: QueueCommand,
  context: BatchContext,
): NetworkResult {
  const operator = command.actor === state.settings.operatorId;
  switch (command.type) {
    case 'run_queue':
      if (!operator) return refuse('not_authorized', 'Only the operator runs the queue.');
      // Changes nothing by itself (not journaled): the batch's end runs the queue if due.
      return { code: 'ok', replayed: true };
    case 'set_queue_settings': {
      if (!operator) return refuse('not_authorized', 'Only the operator sets the queue.');
      const invalid = checkQueueSettings(command.queue);
      if (invalid !== undefined) return invalid;
      state.settings = { ...state.settings, queue: command.queue };
      return { code: 'ok' };
    }
    case 'cancel_queued': {
      const found = ownQueued(state, command.actor, command.paymentId);
      if ('code' in found) return found;
      const payment = rejectQueued(state, context, found.entry, {
        reason: 'DS02', detail: 'cancelled_by_debtor_agent',
      });
      return payment === undefined ? { code: 'ok' } : { code: 'ok', payment };
    }
    case 'set_queue_priority': {
      if (command.priority !== 'urgent' && command.priority !== 'normal')
        return refuse('invalid_field', 'The priority is urgent or normal.', 'priority');
      const found = ownQueued(state, command.actor, command.paymentId);
      if ('code' in found) return found;
      const entry = found.entry;
      const payment = state.payments.get(entry.paymentId);
      if (entry.priority === command.priority) return { code: 'ok', replayed: true };
      const counts = state.queue.waiting.get(`${entry.debtorAgent}|${entry.sourceCurrency}`);
      if (counts !== undefined) {
        counts[entry.priority] -= 1;
        counts[command.priority] += 1;
      }
      entry.priority = command.priority;
      if (payment !== undefined) {
        payment.priority = command.priority;
        context.touchPayment(payment);
      }
      return payment === undefined ? { code: 'ok' } : { code: 'ok', payment };
    }
    case 'reorder_queue':
      return reorder(state, command);
  }
}
