// What the engine remembers of every transfer it ever committed: id → sequence, plus a
// fingerprint, a timestamp and a pending status per sequence, in growable typed arrays.
// Full transfer rows live in storage; this index is what idempotency needs, at ~40 B each.

export const PendingState = { none: 0, pending: 1, posted: 2, voided: 3, expired: 4 } as const;
export type PendingStateValue = (typeof PendingState)[keyof typeof PendingState];

export class TransferIndex {
  private readonly sequences = new Map<string, number>();
  private fingerprints = new Float64Array(1024);
  private timestamps = new Float64Array(1024);
  private states = new Uint8Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The sequence the next transfer will get. */
  get nextSequence(): number {
    return this.count + 1;
  }

  sequenceOf(id: string): number | undefined {
    return this.sequences.get(id);
  }

  fingerprintAt(sequence: number): number {
    return this.fingerprints[sequence] ?? 0;
  }

  timestampAt(sequence: number): number {
    return this.timestamps[sequence] ?? 0;
  }

  stateAt(sequence: number): PendingStateValue {
    return (this.states[sequence] ?? 0) as PendingStateValue;
  }

  setState(sequence: number, state: PendingStateValue): void {
    this.states[sequence] = state;
  }

  append(id: string, fingerprint: number, timestamp: number, state: PendingStateValue): number {
    const sequence = this.count + 1;
    if (sequence >= this.fingerprints.length) this.grow();
    this.sequences.set(id, sequence);
    this.fingerprints[sequence] = fingerprint;
    this.timestamps[sequence] = timestamp;
    this.states[sequence] = state;
    this.count = sequence;
    return sequence;
  }

  /** Undoes the most recent append (a linked chain that failed part-way). */
  removeLast(id: string): void {
    const sequence = this.sequences.get(id);
    if (sequence !== this.count) throw new Error('TransferIndex.removeLast: not the last transfer');
    this.sequences.delete(id);
    this.states[sequence] = 0;
    this.count -= 1;
  }

  private grow(): void {
    const capacity = this.fingerprints.length * 2;
    const fingerprints = new Float64Array(capacity);
    fingerprints.set(this.fingerprints);
    const timestamps = new Float64Array(capacity);
    timestamps.set(this.timestamps);
    const states = new Uint8Array(capacity);
    states.set(this.states);
    this.fingerprints = fingerprints;
    this.timestamps = timestamps;
    this.states = states;
  }
}
