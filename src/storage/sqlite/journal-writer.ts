// The journal's writer: appends entries (with their effects) in one transaction per call, so
// several batches that arrive together share one fsync, and deletes effects once their
// projection is durable. It checks that every entry continues the chain it holds.
import type Database from 'better-sqlite3';
import { GENESIS_HASH, type JournalEntry } from '../../journal/hash-chain.js';

type Statement = Database.Statement<unknown[], unknown>;

export interface JournalAppend {
  readonly entry: JournalEntry;
  readonly effects: Uint8Array | null;
}

export class JournalWriter {
  private readonly insertEntry: Statement;
  private readonly insertEffects: Statement;
  private readonly deleteEffects: Statement;
  private readonly updatePruned: Statement;
  private tailSequence: number;
  private tailHash: string;
  private prunedThrough: number;

  /** keepEffects: false where the projection is written in the entry's own transaction. */
  constructor(private readonly database: Database.Database, private readonly keepEffects = true) {
    this.insertEntry = database.prepare('INSERT INTO journal (sequence, now, payload, ' +
      'previous_hash, hash) VALUES (?, ?, ?, ?, ?)');
    this.insertEffects = database.prepare('INSERT INTO journal_effects (sequence, effects) ' +
      'VALUES (?, ?)');
    this.deleteEffects = database.prepare('DELETE FROM journal_effects WHERE sequence <= ?');
    this.updatePruned = database.prepare('UPDATE journal_state SET effects_pruned_through = ? ' +
      'WHERE id = 1');
    const tail = database.prepare('SELECT sequence, hash FROM journal ORDER BY sequence DESC ' +
      'LIMIT 1').get() as { sequence: bigint | number; hash: string } | undefined;
    this.tailSequence = Number(tail?.sequence ?? 0);
    this.tailHash = tail?.hash ?? GENESIS_HASH;
    const state = database.prepare('SELECT effects_pruned_through AS pruned FROM journal_state')
      .get() as { pruned: bigint | number };
    this.prunedThrough = Number(state.pruned);
  }

  get tail(): { readonly sequence: number; readonly hash: string } {
    return { sequence: this.tailSequence, hash: this.tailHash };
  }

  /**
   * Appends entries in one transaction (durable on return, with synchronous=FULL), and deletes
   * the effects of entries projected durably through `projectedThrough`.
   */
  append(appends: readonly JournalAppend[], projectedThrough = 0): void {
    const before = { sequence: this.tailSequence, hash: this.tailHash, pruned: this.prunedThrough };
    try {
      this.database.transaction(() => {
        for (const { entry, effects } of appends) this.appendOne(entry, effects);
        this.prune(projectedThrough);
      })();
    } catch (error) {
      this.tailSequence = before.sequence;
      this.tailHash = before.hash;
      this.prunedThrough = before.pruned;
      throw error;
    }
  }

  /** Inside a transaction the caller holds. */
  appendOne(entry: JournalEntry, effects: Uint8Array | null): void {
    if (entry.sequence !== this.tailSequence + 1 || entry.previousHash !== this.tailHash) {
      throw new Error(`JournalWriter: entry ${entry.sequence} does not continue the chain at ` +
        `${this.tailSequence}.`);
    }
    this.insertEntry.run(entry.sequence, entry.now, entry.payload, entry.previousHash, entry.hash);
    if (effects !== null && this.keepEffects) {
      this.insertEffects.run(entry.sequence, Buffer.from(effects.buffer, effects.byteOffset,
        effects.byteLength));
    }
    this.tailSequence = entry.sequence;
    this.tailHash = entry.hash;
  }

  private prune(projectedThrough: number): void {
    const through = Math.min(projectedThrough, this.tailSequence);
    if (through <= this.prunedThrough) return;
    this.deleteEffects.run(through);
    this.updatePruned.run(through);
    this.prunedThrough = through;
  }
}
