// The message ids each sender has used, so that a resent message is rejected whole (DUPL)
// instead of settling twice. Derived from the journal: every payment and return that came in
// ISO 20022 carries its MsgId (Payment.iso), so the memory is rebuilt from the payments at
// start and grows with each batch; a message in flight is held so that a concurrent copy waits
// for nothing and is rejected. A message of which nothing was recorded leaves no trace, and may
// be sent again (it changed nothing).
import type { Network } from '../../service/service.js';
import type { Payment } from '../../service/domain.js';

/** Message ids remembered per sender; the oldest are forgotten first. */
export const MESSAGE_IDS_PER_SENDER_MAX = 100_000;

export class MessageMemory {
  private readonly used = new Map<string, Set<string>>();
  private readonly inFlight = new Set<string>();

  constructor(private readonly capacity = MESSAGE_IDS_PER_SENDER_MAX) {}

  /** Follows the network's batches; seed it from storage with seed(). */
  static follow(network: Network, capacity?: number): { memory: MessageMemory; stop: () => void } {
    const memory = new MessageMemory(capacity);
    const stop = network.subscribe(({ payments }) => {
      for (const payment of payments.values()) memory.recordPayment(payment);
    });
    return { memory, stop };
  }

  /** Records the message ids of the payments storage holds (once, at start). */
  async seed(network: Network): Promise<void> {
    let after: number | undefined;
    do {
      const page = await network.reads.paymentsChangedSince(Number.NEGATIVE_INFINITY,
        { limit: 500, ...(after === undefined ? {} : { after }) });
      for (const payment of page.payments) this.recordPayment(payment);
      after = page.next;
    } while (after !== undefined);
  }

  recordPayment(payment: Payment): void {
    // A payment's origin names its debtor agent; a return's, the creditor agent that sent it.
    if (payment.iso !== undefined) this.remember(payment.debtorAgent, payment.iso.messageId);
  }

  remember(sender: string, messageId: string): void {
    let ids = this.used.get(sender);
    if (ids === undefined) {
      ids = new Set();
      this.used.set(sender, ids);
    }
    if (ids.has(messageId)) return;
    ids.add(messageId);
    if (ids.size > this.capacity) {
      const oldest = ids.values().next().value;
      if (oldest !== undefined) ids.delete(oldest);
    }
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
