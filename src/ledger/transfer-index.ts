// What the engine remembers of the transfers it committed: id → sequence, plus a fingerprint, a
// timestamp and a pending status per sequence, in growable typed arrays. Full transfer rows live
// in storage; this index is what idempotency needs, at ~40 B each.
//
// It remembers every transfer unless told to forget (`forget`): then the transfers recorded at
// or before a cutoff leave it, oldest first (sequence order is time order), except those still
// pending, which stay until they are resolved. So its size is bounded by the window the caller
// keeps plus what is pending, and forgetting costs O(forgotten).

export const PendingState = { none: 0, pending: 1, posted: 2, voided: 3, expired: 4 } as const;
export type PendingStateValue = (typeof PendingState)[keyof typeof PendingState];

/** A pending transfer older than the cutoff: kept aside until it is resolved. */
interface Parked {
  readonly id: string;
  readonly fingerprint: number;
  readonly timestamp: number;
  state: PendingStateValue;
}

export class TransferIndex {
  private readonly sequences = new Map<string, number>();
  private ids: (string | undefined)[] = [];
  private fingerprints = new Float64Array(1024);
  private timestamps = new Float64Array(1024);
  private states = new Uint8Array(1024);
  /** The sequence stored at slot 0 of the arrays. */
  private origin = 1;
  /** The oldest sequence not forgotten (slots before it are free). */
  private head = 1;
  private count = 0;
  private readonly parked = new Map<number, Parked>();
  /** Parked sequences resolved since the last `forget`: forgotten by the next one. */
  private resolvedParked: number[] = [];

  /** Transfers ever recorded (the last sequence). */
  get size(): number {
    return this.count;
  }

  /** Transfers remembered now. */
  get held(): number {
    return this.sequences.size;
  }

  /** The sequence the next transfer will get. */
  get nextSequence(): number {
    return this.count + 1;
  }

  sequenceOf(id: string): number | undefined {
    return this.sequences.get(id);
  }

  fingerprintAt(sequence: number): number {
    if (sequence < this.head) return this.parked.get(sequence)?.fingerprint ?? 0;
    return this.fingerprints[sequence - this.origin] ?? 0;
  }

  timestampAt(sequence: number): number {
    if (sequence < this.head) return this.parked.get(sequence)?.timestamp ?? 0;
    return this.timestamps[sequence - this.origin] ?? 0;
  }

  stateAt(sequence: number): PendingStateValue {
    if (sequence < this.head) return this.parked.get(sequence)?.state ?? PendingState.none;
    return (this.states[sequence - this.origin] ?? 0) as PendingStateValue;
  }

  setState(sequence: number, state: PendingStateValue): void {
    if (sequence >= this.head) {
      this.states[sequence - this.origin] = state;
      return;
    }
    const parked = this.parked.get(sequence);
    if (parked === undefined) return;
    parked.state = state;
    if (state !== PendingState.pending) this.resolvedParked.push(sequence);
  }

  append(id: string, fingerprint: number, timestamp: number, state: PendingStateValue): number {
    const sequence = this.count + 1;
    if (sequence - this.origin >= this.fingerprints.length) this.makeRoom();
    const slot = sequence - this.origin;
    this.sequences.set(id, sequence);
    this.ids[slot] = id;
    this.fingerprints[slot] = fingerprint;
    this.timestamps[slot] = timestamp;
    this.states[slot] = state;
    this.count = sequence;
    return sequence;
  }

  /** Undoes the most recent append (a linked chain that failed part-way). */
  removeLast(id: string): void {
    const sequence = this.sequences.get(id);
    if (sequence !== this.count || sequence < this.head) {
      throw new Error('TransferIndex.removeLast: not the last transfer');
    }
    const slot = sequence - this.origin;
    this.sequences.delete(id);
    this.ids[slot] = undefined;
    this.states[slot] = 0;
    this.count -= 1;
  }

  /**
   * Forgets every transfer recorded at or before `cutoff` that is not pending; a pending one
   * is kept until it is resolved, then forgotten by the next call. Its id may then be used
   * again. Never called: everything is remembered.
   */
  forget(cutoff: number): void {
    for (const sequence of this.resolvedParked) {
      const parked = this.parked.get(sequence);
      // A chain rolled back may have made it pending again.
      if (parked === undefined || parked.state === PendingState.pending) continue;
      this.parked.delete(sequence);
      if (this.sequences.get(parked.id) === sequence) this.sequences.delete(parked.id);
    }
    this.resolvedParked = [];
    while (this.head <= this.count) {
      const slot = this.head - this.origin;
      const timestamp = this.timestamps[slot] ?? 0;
      if (timestamp > cutoff) break;
      const id = this.ids[slot] as string;
      const state = (this.states[slot] ?? 0) as PendingStateValue;
      if (state === PendingState.pending) {
        this.parked.set(this.head, {
          id, fingerprint: this.fingerprints[slot] ?? 0, timestamp, state,
        });
      } else if (this.sequences.get(id) === this.head) {
        this.sequences.delete(id);
      }
      this.ids[slot] = undefined;
      this.head += 1;
    }
  }

  /** Reuses the slots of forgotten transfers when they are half the arrays, else grows. */
  private makeRoom(): void {
    const free = this.head - this.origin;
    const capacity = this.fingerprints.length;
    if (free >= capacity / 2) {
      const live = this.count - this.head + 1;
      this.fingerprints.copyWithin(0, free, free + live);
      this.timestamps.copyWithin(0, free, free + live);
      this.states.copyWithin(0, free, free + live);
      this.states.fill(0, live);
      this.ids = this.ids.slice(free, free + live);
      this.origin = this.head;
      return;
    }
    const fingerprints = new Float64Array(capacity * 2);
    fingerprints.set(this.fingerprints);
    const timestamps = new Float64Array(capacity * 2);
    timestamps.set(this.timestamps);
    const states = new Uint8Array(capacity * 2);
    states.set(this.states);
    this.fingerprints = fingerprints;
    this.timestamps = timestamps;
    this.states = states;
  }
}
