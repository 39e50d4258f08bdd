// The message ids each sender has used, so that a resent message is rejected whole (DUPL)
// instead of settling twice. Derived from the journal: every payment and return that came in
// ISO 20022 carries its MsgId (Payment.iso), so the memory is rebuilt at start from the
// payments the engine holds and grows with each batch; a message in flight is held so that a
// concurrent copy waits for nothing and is rejected. A message of which nothing was recorded
// leaves no trace, and may be sent again (it changed nothing).
//
// Bounded two ways: per sender at most `capacity` ids (the oldest forgotten first), and for no
// longer than the network's payment window (Network.paymentWindowMs(): the longer of the full
// retention and the return window) after it was used, the time for which the engine itself
// refuses the payment ids, end-to-end ids and UETRs the message carried.
import type { Network } from '../../service/service.js';
import type { Payment } from '../../service/domain.js';
import { heldPayments } from './payment-lookup.js';

/** Message ids remembered per sender; the oldest are forgotten first. */
export const MESSAGE_IDS_PER_SENDER_MAX = 100_000;

export class MessageMemory {
  /** sender → message id → when it was used, oldest first. */
  private readonly used = new Map<string, Map<string, number>>();
  private readonly inFlight = new Set<string>();

  /**
   * @param capacity message ids per sender at most
   * @param windowMs how long an id is remembered after it was used (ms; default: for ever)
   * @param clock the network's clock, for ids released without a batch time
   */
  constructor(
    private readonly capacity = MESSAGE_IDS_PER_SENDER_MAX,
    private readonly windowMs: () => number = () => Number.POSITIVE_INFINITY,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Follows the network's batches; seed it from storage with seed(). */
  static follow(network: Network, capacity?: number): { memory: MessageMemory; stop: () => void } {
    const memory = new MessageMemory(capacity, () => network.paymentWindowMs(),
      () => network.now());
    const stop = network.subscribe(({ payments, batch }) => {
      for (const payment of payments.values()) memory.recordPayment(payment);
      memory.forget(batch.now);
    });
    return { memory, stop };
  }

  /** Records the message ids of the payments the engine holds (once, at start). */
  async seed(network: Network): Promise<void> {
    for await (const payments of heldPayments(network)) {
      for (const payment of payments) this.recordPayment(payment);
    }
  }

  recordPayment(payment: Payment): void {
    // A payment's origin names its debtor agent; a return's, the creditor agent that sent it.
    if (payment.iso !== undefined) {
      this.remember(payment.debtorAgent, payment.iso.messageId, payment.createdAt);
    }
  }

  remember(sender: string, messageId: string, at: number = this.clock()): void {
    let ids = this.used.get(sender);
    if (ids === undefined) {
      ids = new Map();
      this.used.set(sender, ids);
    }
    if (ids.has(messageId)) return;
    ids.set(messageId, at);
    if (ids.size > this.capacity) {
      const oldest = ids.keys().next().value;
      if (oldest !== undefined) ids.delete(oldest);
    }
  }

  /** Forgets the ids used a whole window before `now`, oldest first. */
  forget(now: number): void {
    const window = this.windowMs();
    if (!Number.isFinite(window)) return;
    for (const [sender, ids] of this.used) {
      for (const [messageId, at] of ids) {
        if (at + window > now) break;
        ids.delete(messageId);
      }
      if (ids.size === 0) this.used.delete(sender);
    }
  }

  /** Message ids remembered, over all senders. */
  get size(): number {
    let size = 0;
    for (const ids of this.used.values()) size += ids.size;
    return size;
  }

  /** Claims a message id for processing; false if it was used or is being processed. */
  claim(sender: string, messageId: string): boolean {
    const key = `${sender}\n${messageId}`;
    if (this.inFlight.has(key) || this.used.get(sender)?.has(messageId) === true) return false;
    this.inFlight.add(key);
    return true;
  }

  /** Ends processing; `recorded` keeps the id used (the journal has it too). */
  release(sender: string, messageId: string, recorded: boolean): void {
    this.inFlight.delete(`${sender}\n${messageId}`);
    if (recorded) this.remember(sender, messageId);
  }
}
