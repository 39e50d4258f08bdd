// A binary min-heap of pending-transfer deadlines, so that expiry at each batch costs
// O(expired · log n) instead of a scan of every pending transfer.

interface Deadline {
  readonly expiresAt: number;
  readonly transferId: string;
}

export class ExpiryQueue {
  private readonly heap: Deadline[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(expiresAt: number, transferId: string): void {
    this.heap.push({ expiresAt, transferId });
    this.siftUp(this.heap.length - 1);
  }

  /** Removes and returns every transfer id whose deadline is at or before `now`, earliest first. */
  popDue(now: number): string[] {
    const due: string[] = [];
    while (this.heap.length > 0 && (this.heap[0] as Deadline).expiresAt <= now) {
      const top = this.heap[0] as Deadline;
      const last = this.heap.pop() as Deadline;
      if (this.heap.length > 0) {
        this.heap[0] = last;
        this.siftDown(0);
      }
      due.push(top.transferId);
    }
    return due;
  }

  private less(left: number, right: number): boolean {
    const a = this.heap[left] as Deadline;
    const b = this.heap[right] as Deadline;
    return a.expiresAt < b.expiresAt ||
      (a.expiresAt === b.expiresAt && a.transferId < b.transferId);
  }

  private swap(left: number, right: number): void {
    const a = this.heap[left] as Deadline;
    this.heap[left] = this.heap[right] as Deadline;
    this.heap[right] = a;
  }

  private siftUp(start: number): void {
    let index = start;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.less(index, parent)) return;
      this.swap(index, parent);
      index = parent;
    }
  }

  private siftDown(start: number): void {
    let index = start;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let smallest = index;
      if (left < this.heap.length && this.less(left, smallest)) smallest = left;
      if (right < this.heap.length && this.less(right, smallest)) smallest = right;
      if (smallest === index) return;
      this.swap(index, smallest);
      index = smallest;
    }
  }
}
