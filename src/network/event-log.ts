// The event feed: every payment status change in order, with a network-wide sequence that is
// the cursor. It is rebuilt by replaying the journal, so a client that pulls with its last
// cursor misses nothing across restarts.
import type { PaymentEventRecord } from './state.js';

/** Events kept in memory; a cursor older than the oldest kept event gets cursor_expired. */
export const EVENT_LOG_RETAINED_MAX = 5_000_000;
export const EVENT_PAGE_MAX = 1_000;

export interface EventPage {
  readonly events: { readonly sequence: number; readonly event: PaymentEventRecord }[];
  /** The cursor to pass next time (the last sequence seen, or the one given). */
  readonly cursor: number;
  readonly expired: boolean;
}

export class EventLog {
  private readonly events: PaymentEventRecord[] = [];
  /** Sequence of events[0]. */
  private first = 1;

  get lastSequence(): number {
    return this.first + this.events.length - 1;
  }

  append(events: readonly PaymentEventRecord[]): void {
    for (const event of events) this.events.push(event);
    const excess = this.events.length - EVENT_LOG_RETAINED_MAX;
    if (excess > 0) {
      this.events.splice(0, excess);
      this.first += excess;
    }
  }

  /** Events after `after` that `visible` admits, oldest first. */
  list(after: number, limit: number, visible: (event: PaymentEventRecord) => boolean): EventPage {
    const bounded = Math.max(1, Math.min(limit, EVENT_PAGE_MAX));
    if (after + 1 < this.first) return { events: [], cursor: after, expired: true };
    const page: EventPage['events'][number][] = [];
    let sequence = Math.max(after + 1, this.first);
    for (; sequence <= this.lastSequence && page.length < bounded; sequence++) {
      const event = this.events[sequence - this.first] as PaymentEventRecord;
      if (visible(event)) page.push({ sequence, event });
    }
    return { events: page, cursor: sequence - 1, expired: false };
  }
}
