// How far the projections trail the journal, seen from the store's thread. It holds new
// entries back while the projector is more than `lagRowsMax` rows behind (back-pressure:
// commit() then resolves later, the pipeline's batches in flight fill up, and its queue
// refuses work), and it wakes reads once the projections reach what they must see.
import type { JournalEntry } from '../../journal/hash-chain.js';

export interface Admitted {
  readonly entry: JournalEntry;
  readonly effects: Uint8Array | null;
  /** Rows the projector will write for it (at least 1). */
  readonly rows: number;
}

interface Waiter {
  readonly target: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class ProjectionTracker {
  private readonly backlog: Admitted[] = [];
  /** Per entry sent: its sequence and the running total of rows sent through it. */
  private readonly marks: { readonly sequence: number; readonly total: number }[] = [];
  private readonly waiters: Waiter[] = [];
  private sentRows = 0;
  private projectedRows = 0;
  private through = 0;
  private failure: Error | undefined;

  constructor(
    private readonly lagRowsMax: number,
    private readonly send: (record: Admitted) => void,
  ) {
    if (!Number.isSafeInteger(lagRowsMax) || lagRowsMax < 1) {
      throw new RangeError(`projectionLagRowsMax ${lagRowsMax} must be a positive integer.`);
    }
  }

  get projectedSequence(): number {
    return this.through;
  }

  /** Rows sent to the journal but not yet projected. */
  get lagRows(): number {
    return this.sentRows - this.projectedRows;
  }

  /** Entries held back by the lag bound, and reads waiting for the projections. */
  get waiting(): number {
    return this.backlog.length + this.waiters.length;
  }

  opened(projected: number): void {
    this.through = Math.max(this.through, projected);
  }

  /** Sends the entry on, or holds it (and every later one, to keep their order). */
  admit(record: Admitted): void {
    if (this.failure !== undefined) return;
    if (this.backlog.length > 0 || !this.hasRoom(record.rows)) this.backlog.push(record);
    else this.forward(record);
  }

  private hasRoom(rows: number): boolean {
    // With nothing in the projector's way, even an entry larger than the bound goes through.
    return this.lagRows === 0 || this.lagRows + rows <= this.lagRowsMax;
  }

  private forward(record: Admitted): void {
    this.sentRows += record.rows;
    this.marks.push({ sequence: record.entry.sequence, total: this.sentRows });
    this.send(record);
  }

  durable(_sequence: number): void {
    // Durability does not move the projection; it is what reads target (see caughtUp).
  }

  /** The projections include every entry through `sequence`. */
  projected(sequence: number): void {
    this.through = Math.max(this.through, sequence);
    let count = 0;
    while (count < this.marks.length && (this.marks[count]?.sequence ?? Infinity) <= sequence) {
      this.projectedRows = (this.marks[count] as { total: number }).total;
      count += 1;
    }
    this.marks.splice(0, count);
    while (this.backlog.length > 0 && this.hasRoom((this.backlog[0] as Admitted).rows)) {
      this.forward(this.backlog.shift() as Admitted);
    }
    let woken = 0;
    for (const waiter of this.waiters) {
      if (waiter.target <= this.through) {
        waiter.resolve();
        woken += 1;
      }
    }
    if (woken > 0) this.waitersRemove();
  }

  private waitersRemove(): void {
    const waiting = this.waiters.filter((waiter) => waiter.target > this.through);
    this.waiters.length = 0;
    this.waiters.push(...waiting);
  }

  /** Resolves once the projections include entry `target`. */
  caughtUp(target: number): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.through >= target) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ target, resolve, reject }));
  }

  fail(error: Error): void {
    this.failure ??= error;
    this.backlog.length = 0;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }
}
