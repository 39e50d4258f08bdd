// The projector: projects journal entries strictly in order. An entry comes from the live
// feed (handed over by the journal writer once durable) or, when the feed does not hold the
// next one (after a restart, or an entry committed before the feed started), from the
// journal database itself, where every durable entry's effects wait until projected. So
// catching up after a crash and following live commits are one and the same loop.
import type Database from 'better-sqlite3';
import { LedgerProjection, type ProjectedMark, type ProjectionItem } from './projection.js';

/** Journal entries read per query while catching up. */
const CATCH_UP_PAGE_ENTRIES = 64;

export interface ProjectorLimits {
  /** Effects bytes projected per transaction at most: bounds one transaction's duration. */
  readonly bytesPerTransactionMax: number;
  /**
   * Effects bytes worth a transaction at once. Below that, the projector lingers (see
   * lingerMs) for more: a larger transaction writes each dirty index page once for more rows.
   */
  readonly bytesPerTransactionMin: number;
  /** How long the oldest waiting entry may linger; a waiting read ends the linger (hurry). */
  readonly lingerMs: number;
}

export class Projector {
  private readonly live = new Map<number, ProjectionItem>();
  private liveBytes = 0;
  /** When the oldest entry of the live feed arrived (performance.now()). */
  private oldestAt = 0;
  private hurried = false;
  private readonly readEffects: Database.Statement<unknown[], unknown> | undefined;
  /** True while the journal may hold entries that the live feed will not deliver. */
  private catchingUp: boolean;

  /**
   * journal: a connection to the journal database, to catch up from; undefined where the
   * feed delivers every entry (an in-memory store, whose effects are never kept).
   */
  constructor(
    private readonly projection: LedgerProjection,
    journal: Database.Database | undefined,
    private readonly limits: ProjectorLimits,
  ) {
    this.catchingUp = journal !== undefined;
    if (journal === undefined) return;
    checkBelongs(projection.projected, journal);
    this.readEffects = journal.prepare('SELECT j.sequence, j.hash, e.effects FROM journal j ' +
      'LEFT JOIN journal_effects e ON e.sequence = j.sequence WHERE j.sequence > ? ' +
      'ORDER BY j.sequence LIMIT ?').raw(true);
  }

  get projected(): ProjectedMark {
    return this.projection.projected;
  }

  /** An entry that just became durable. */
  offer(item: ProjectionItem, now = performance.now()): void {
    if (item.sequence <= this.projected.sequence || this.live.has(item.sequence)) return;
    if (this.live.size === 0) this.oldestAt = now;
    this.live.set(item.sequence, item);
    this.liveBytes += item.effects?.byteLength ?? 0;
  }

  /** A read is waiting: project what there is without lingering. */
  hurry(): void {
    this.hurried = true;
  }

  /** Milliseconds until a step is due: 0 now, Infinity when there is nothing to project. */
  dueIn(now = performance.now()): number {
    if (this.catchingUp) return 0;
    if (this.live.size === 0) return Infinity;
    if (this.hurried || this.liveBytes >= this.limits.bytesPerTransactionMin) return 0;
    return Math.max(0, this.limits.lingerMs - (now - this.oldestAt));
  }

  /** Projects what is available, at most one transaction; true if more may be available. */
  step(): boolean {
    const items: ProjectionItem[] = [];
    let bytes = 0;
    let next = this.projected.sequence + 1;
    while (bytes < this.limits.bytesPerTransactionMax) {
      let item = this.live.get(next) ?? this.fromJournal(next);
      if (item === undefined && this.live.size > 0 && this.readEffects !== undefined) {
        // The feed skipped an entry (it cannot, but the journal holds it if it did).
        this.catchingUp = true;
        item = this.fromJournal(next);
      }
      if (item === undefined) break;
      if (this.live.delete(next)) this.liveBytes -= item.effects?.byteLength ?? 0;
      items.push(item);
      bytes += item.effects?.byteLength ?? 0;
      next += 1;
    }
    this.projection.apply(items);
    if (this.live.size === 0) {
      this.hurried = false;
      this.liveBytes = 0;
    } else {
      this.oldestAt = performance.now();
    }
    return items.length > 0 && (this.live.has(next) || this.catchingUp);
  }

  /** Reads a page of entries from `next` on; returns the first and keeps the rest. */
  private fromJournal(next: number): ProjectionItem | undefined {
    if (!this.catchingUp || this.readEffects === undefined) return undefined;
    const rows = this.readEffects.all(next - 1, CATCH_UP_PAGE_ENTRIES) as
      [bigint | number, string, Uint8Array | null][];
    if (rows.length < CATCH_UP_PAGE_ENTRIES) this.catchingUp = false;
    const [first, ...rest] = rows.map(([sequence, hash, effects]): ProjectionItem =>
      ({ sequence: Number(sequence), hash, effects }));
    for (const item of rest) this.offer(item);
    return first;
  }
}

/** A projection must extend its own journal: refuse one that is ahead of it or of another. */
function checkBelongs(mark: ProjectedMark, journal: Database.Database): void {
  const state = journal.prepare('SELECT effects_pruned_through AS pruned FROM journal_state')
    .get() as { pruned: bigint | number };
  if (mark.sequence < Number(state.pruned)) {
    throw new Error(`The projections end at journal entry ${mark.sequence}, but the effects ` +
      `through ${Number(state.pruned)} were pruned: rebuild them by replaying the journal.`);
  }
  if (mark.sequence === 0) return;
  const row = journal.prepare('SELECT hash FROM journal WHERE sequence = ?').get(mark.sequence) as
    { hash: string } | undefined;
  if (row?.hash !== mark.hash) {
    throw new Error(`The projections end at journal entry ${mark.sequence}, which this journal ` +
      `${row === undefined ? 'does not hold' : 'holds with another hash'}: they belong to another ` +
      'journal.');
  }
}
