// Where a SqliteStore's journal writer and projector run: on the storage threads (files, the
// default), or inline on the calling thread (':memory:', whose connection cannot be shared,
// and files when asked). Both report to the store through the same three callbacks.
import type Database from 'better-sqlite3';
import type { JournalEntry } from '../../journal/hash-chain.js';
import type { Synchronous } from './connection.js';
import { JournalWriter } from './journal-writer.js';
import { LedgerProjection } from './projection.js';
import { Projector, type ProjectorLimits } from './projector.js';
import { StorageThreads } from './storage-threads.js';
import type { FromThread, ThreadRole } from './thread-protocol.js';

export interface BackendEvents {
  /** Journal entries through `sequence` are durable. */
  durable(sequence: number): void;
  /** Projections include journal entries through `sequence`. */
  projected(sequence: number): void;
  /** The backend stopped; nothing more will be made durable or projected. */
  failed(error: Error): void;
}

export interface Backend {
  /** Where the projections stood when the backend opened. */
  readonly projectedAtOpen: number;
  append(entry: JournalEntry, effects: Uint8Array | null): void;
  /** Stops or restarts projecting (operations and tests: commits go on up to the lag bound). */
  pause(paused: boolean): void;
  /** Keeps the process alive while the store waits on the backend. */
  hold(holding: boolean): void;
  /** A read waits for the projections: project without lingering. */
  hurry(): void;
  close(): Promise<void>;
}

export interface InlineDatabases {
  readonly journal: Database.Database;
  readonly projection: Database.Database;
  /** ':memory:': the projection is written right after each entry, so effects are not kept. */
  readonly memory: boolean;
}

export class InlineBackend implements Backend {
  readonly projectedAtOpen: number;
  private readonly writer: JournalWriter;
  private readonly projector: Projector;
  private paused: boolean;
  private stopped = false;

  constructor(
    databases: InlineDatabases,
    private readonly events: BackendEvents,
    options: { readonly limits: ProjectorLimits; readonly paused: boolean },
  ) {
    this.writer = new JournalWriter(databases.journal, !databases.memory);
    this.projector = new Projector(new LedgerProjection(databases.projection),
      databases.memory ? undefined : databases.journal, options.limits);
    this.projectedAtOpen = this.projector.projected.sequence;
    this.paused = options.paused;
  }

  /** Catches up with the journal (after a restart) unless paused. */
  start(): void {
    this.pump();
  }

  append(entry: JournalEntry, effects: Uint8Array | null): void {
    if (this.stopped) return;
    try {
      this.writer.append([{ entry, effects }], this.projector.projected.sequence);
    } catch (error) {
      this.fail(error);
      return;
    }
    this.events.durable(entry.sequence);
    this.projector.offer({ sequence: entry.sequence, hash: entry.hash, effects });
    this.pump();
  }

  pause(paused: boolean): void {
    this.paused = paused;
    this.pump();
  }

  hold(_holding: boolean): void {
    // Inline work keeps nothing waiting: there is no thread to hold.
  }

  hurry(): void {
    // Inline, every entry is projected before its commit returns.
  }

  private pump(): void {
    if (this.paused || this.stopped) return;
    const before = this.projector.projected.sequence;
    try {
      while (this.projector.step()) { /* until nothing is left */ }
    } catch (error) {
      this.fail(error);
      return;
    }
    if (this.projector.projected.sequence !== before) {
      this.events.projected(this.projector.projected.sequence);
    }
  }

  private fail(error: unknown): void {
    this.stopped = true;
    this.events.failed(error instanceof Error ? error : new Error(String(error)));
  }

  async close(): Promise<void> {
    this.stopped = true;
  }
}

export interface ThreadPaths {
  readonly journal: string;
  readonly projection: string;
  readonly synchronous: Synchronous;
  readonly limits: ProjectorLimits;
  readonly paused: boolean;
}

/** The journal writer and the projector on the shared storage threads. */
export class ThreadBackend implements Backend {
  projectedAtOpen = 0;
  private readonly replies = new Map<ThreadRole, { resolve: (sequence: number) => void;
    reject: (error: Error) => void }>();
  private failure: Error | undefined;
  private id = 0;

  private constructor(
    private readonly threads: StorageThreads,
    private readonly events: BackendEvents,
  ) {}

  static async open(paths: ThreadPaths, events: BackendEvents): Promise<ThreadBackend> {
    const backend = new ThreadBackend(StorageThreads.acquire(), events);
    backend.id = backend.threads.register((message, from) => backend.receive(message, from));
    backend.hold(true);
    try {
      const opened = Promise.all([backend.reply('journal'), backend.reply('projector')]);
      backend.threads.toJournal({ type: 'open', store: backend.id, path: paths.journal,
        synchronous: paths.synchronous });
      backend.threads.toProjector({ type: 'open', store: backend.id, journalPath: paths.journal,
        projectionPath: paths.projection, synchronous: paths.synchronous,
        limits: paths.limits, paused: paths.paused });
      backend.projectedAtOpen = (await opened)[1];
      backend.hold(false);
      return backend;
    } catch (error) {
      await backend.close();
      throw error;
    }
  }

  /** Opening and closing wait for one reply from each thread. */
  private reply(thread: ThreadRole): Promise<number> {
    return new Promise((resolve, reject) => this.replies.set(thread, { resolve, reject }));
  }

  private receive(message: FromThread, from: ThreadRole | 'pool'): void {
    if (message.type === 'durable') this.events.durable(message.sequence);
    else if (message.type === 'projected') this.events.projected(message.sequence);
    else if (message.type === 'failed') {
      const error = new Error(`The storage thread stopped: ${message.message}`);
      this.failure ??= error;
      for (const waiter of this.replies.values()) waiter.reject(error);
      this.replies.clear();
      this.events.failed(error);
    } else if (from !== 'pool') {
      this.replies.get(from)?.resolve(message.type === 'opened' ? message.sequence : 0);
      this.replies.delete(from);
    }
  }

  append(entry: JournalEntry, effects: Uint8Array | null): void {
    this.threads.toJournal({ type: 'append', store: this.id, entry, effects },
      effects === null ? [] : [effects.buffer as ArrayBuffer]);
  }

  pause(paused: boolean): void {
    this.threads.toProjector({ type: paused ? 'pause' : 'resume', store: this.id });
  }

  hold(holding: boolean): void {
    this.threads.hold(this.id, holding);
  }

  hurry(): void {
    this.threads.toProjector({ type: 'hurry', store: this.id });
  }

  /** Closes this store's connections on both threads (each answers, failed or not). */
  async close(): Promise<void> {
    if (this.threads.alive) {
      this.hold(true);
      const closed = Promise.allSettled([this.reply('journal'), this.reply('projector')]);
      this.threads.toJournal({ type: 'close', store: this.id });
      this.threads.toProjector({ type: 'close', store: this.id });
      await closed;
    }
    this.threads.release(this.id);
  }
}
