// The commit pipeline: bounded queue → batcher → engine.apply(batch, now) → persist(entry) →
// replies. A batch closes at `batchSizeMax` commands or `batchDelayMs` after its first command.
// Up to `batchesInFlightMax` batches may be applied and waiting to become durable, so that the
// engine (this thread) applies the next batch while storage (its own thread) writes the last:
// group commit on both cores. Replies leave strictly in batch order, and none before its batch
// and every earlier batch are durable; a batch whose results depend on an earlier one that
// fails is never acknowledged.
import { chainEntry, type JournalEntry } from '../journal/hash-chain.js';

export const PIPELINE_LIMITS = {
  batchSizeMax: 8_190,
  batchDelayMsMax: 1_000,
  queueDepthMax: 1_000_000,
  batchesInFlightMax: 64,
} as const;

export interface PipelineOptions {
  /** Commands per batch at most (1 to 8,190). Default 8,190. */
  readonly batchSizeMax?: number;
  /** How long the first command of a batch may wait for company, in ms (0 to 1,000). Default 1. */
  readonly batchDelayMs?: number;
  /** Commands waiting at most; beyond that submit() fails fast with queue_full. Default 200,000. */
  readonly queueDepthMax?: number;
  /** Batches applied but not yet durable, at most (1 to 64). Default 4. */
  readonly batchesInFlightMax?: number;
  readonly clock?: () => number;
}

export interface AppliedBatch<O> {
  /** The journal payload, or null when nothing in the batch took effect. */
  readonly payload: string | null;
  readonly output: O;
}

export interface BatchMachine<C, R, O> {
  applyBatch(commands: readonly C[], now: number): { results: R[]; batch: AppliedBatch<O> };
  /** Results for a group that must not be queued at all (for example an open linked chain). */
  refuseGroup?(commands: readonly C[]): R[] | undefined;
}

export type PipelineErrorCode = 'queue_full' | 'group_too_large' | 'pipeline_closed' |
  'pipeline_failed' | 'not_writer';

/** Operating errors of the pipeline itself (not business outcomes of commands). */
export class PipelineError extends Error {
  override readonly name = 'PipelineError';
  constructor(readonly code: PipelineErrorCode, message: string) {
    super(message);
  }
}

export interface BatchStats {
  readonly commands: number;
  readonly applyMs: number;
  /** From the end of apply until the batch (and every earlier one) was durable. */
  readonly commitMs: number;
  readonly queueDepth: number;
  readonly journalSequence: number;
  /** Batches applied and not yet acknowledged, this one included. */
  readonly inFlight: number;
}

interface Group<C, R> {
  readonly commands: readonly C[];
  readonly resolve: (results: R[]) => void;
  readonly reject: (error: Error) => void;
}

interface Batch<C, R> {
  readonly groups: Group<C, R>[];
  readonly results: R[];
  readonly commands: number;
  readonly applyMs: number;
  readonly applied: number;
  readonly entry: JournalEntry | undefined;
  durable: boolean;
}

export interface PipelineDependencies<C, R, O> {
  readonly machine: BatchMachine<C, R, O>;
  /**
   * Makes an entry durable. Called in journal order, possibly before the previous call's
   * promise settles; an implementation must make entries durable in the order it got them.
   */
  readonly persist: (entry: JournalEntry, output: O) => Promise<void>;
  /** The journal tail recovered from storage, so the chain continues from it. */
  readonly tail: JournalEntry | undefined;
  readonly onBatch?: (stats: BatchStats) => void;
  /** Called once if a batch cannot be applied or made durable: the writer must stop. */
  readonly onFatal?: (error: Error) => void;
}

/** Below this, a backlog is not split across batches: tiny batches cost more than they overlap. */
const SPLIT_COMMANDS_MIN = 256;

function bounded(value: number | undefined, fallback: number, low: number, high: number): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < low || chosen > high) {
    throw new RangeError(`pipeline option ${chosen} is outside ${low}..${high}`);
  }
  return chosen;
}

export class CommitPipeline<C, R, O> {
  private readonly queue: Group<C, R>[] = [];
  private readonly inFlight: Batch<C, R>[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private queuedCommands = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The oldest queued command has waited batchDelayMs: take a batch as soon as one may start. */
  private due = false;
  private scheduled = false;
  private closed = false;
  private fatal: Error | undefined;
  /** The last entry chained (applied, maybe not yet durable) and the last one durable. */
  private tail: JournalEntry | undefined;
  private durableTail: JournalEntry | undefined;
  private lastNow = 0;
  private readonly batchSizeMax: number;
  private readonly batchDelayMs: number;
  private readonly queueDepthMax: number;
  private readonly batchesInFlightMax: number;
  private readonly clock: () => number;

  constructor(
    private readonly dependencies: PipelineDependencies<C, R, O>,
    options: PipelineOptions,
  ) {
    this.batchSizeMax = bounded(options.batchSizeMax, 8_190, 1, PIPELINE_LIMITS.batchSizeMax);
    this.batchDelayMs = bounded(options.batchDelayMs, 1, 0, PIPELINE_LIMITS.batchDelayMsMax);
    this.queueDepthMax = bounded(options.queueDepthMax, 200_000, 1, PIPELINE_LIMITS.queueDepthMax);
    this.batchesInFlightMax = bounded(options.batchesInFlightMax, 4, 1,
      PIPELINE_LIMITS.batchesInFlightMax);
    this.clock = options.clock ?? Date.now;
    this.tail = dependencies.tail;
    this.durableTail = dependencies.tail;
    this.lastNow = dependencies.tail?.now ?? 0;
  }

  get queueDepth(): number {
    return this.queuedCommands;
  }

  /** The last durable journal entry. */
  get journalTail(): JournalEntry | undefined {
    return this.durableTail;
  }

  /** Why the writer stopped (a batch could not be applied or made durable), if it has. */
  get failure(): Error | undefined {
    return this.fatal;
  }

  /** Batches applied and not yet acknowledged. */
  get batchesInFlight(): number {
    return this.inFlight.length;
  }

  /** Submits a group of commands that will share one batch (so linked chains stay whole). */
  submit(commands: readonly C[]): Promise<R[]> {
    if (this.fatal !== undefined) {
      return Promise.reject(new PipelineError('pipeline_failed',
        `The writer has stopped after a fatal error: ${this.fatal.message}`));
    }
    if (this.closed) return Promise.reject(new PipelineError('pipeline_closed', 'The ledger is closed.'));
    if (commands.length === 0) return Promise.resolve([]);
    if (commands.length > this.batchSizeMax) {
      return Promise.reject(new PipelineError('group_too_large',
        `A group may hold at most ${this.batchSizeMax} commands.`));
    }
    const refused = this.dependencies.machine.refuseGroup?.(commands);
    if (refused !== undefined) return Promise.resolve(refused);
    if (this.queuedCommands + commands.length > this.queueDepthMax) {
      return Promise.reject(new PipelineError('queue_full',
        'The commit queue is full; retry after a short wait.'));
    }
    return new Promise<R[]>((resolve, reject) => {
      this.queue.push({ commands, resolve, reject });
      this.queuedCommands += commands.length;
      this.consider();
    });
  }

  /** Starts a batch if one is due and may start, or arms the delay timer. */
  private consider(): void {
    if (this.fatal !== undefined || this.queue.length === 0) return;
    if (this.inFlight.length >= this.batchesInFlightMax) return;
    if (this.due || this.closed || this.batchDelayMs === 0 ||
        this.queuedCommands >= this.batchSizeMax) {
      if (this.scheduled) return;
      this.scheduled = true;
      // After the current task: every command submitted meanwhile joins the batch.
      setImmediate(() => {
        this.scheduled = false;
        this.startBatches();
      });
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.due = true;
        this.consider();
      }, this.batchDelayMs);
    }
  }

  /**
   * Starts one batch, then yields (so that durable notices and the replies they release go out
   * between two batches). A backlog is shared among the free slots, so that while one batch
   * is being made durable the next is applied, instead of one batch holding every command.
   */
  private startBatches(): void {
    if (this.queue.length > 0 && this.fatal === undefined &&
        this.inFlight.length < this.batchesInFlightMax) {
      const free = this.batchesInFlightMax - this.inFlight.length;
      const share = Math.max(SPLIT_COMMANDS_MIN, Math.ceil(this.queuedCommands / free));
      this.runBatch(this.take(Math.min(this.batchSizeMax, share)));
    }
    // What is left has waited as long as what was taken.
    this.due = this.queue.length > 0;
    if (!this.due && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.consider();
  }

  /** Whole groups, up to `limit` commands (at least one group). */
  private take(limit: number): Group<C, R>[] {
    let size = 0;
    let count = 0;
    while (count < this.queue.length) {
      const next = this.queue[count] as Group<C, R>;
      if (count > 0 && size + next.commands.length > limit) break;
      size += next.commands.length;
      count += 1;
    }
    // One splice per batch, not one shift per group: shift is O(queue length).
    const groups = this.queue.splice(0, count);
    this.queuedCommands -= size;
    return groups;
  }

  private runBatch(groups: Group<C, R>[]): void {
    const commands = groups.length === 1 ? (groups[0] as Group<C, R>).commands
      : groups.flatMap((group) => group.commands);
    const now = Math.max(this.clock(), this.lastNow);
    const started = performance.now();
    let batch: Batch<C, R>;
    let persisting: Promise<void> | undefined;
    try {
      const applied = this.dependencies.machine.applyBatch(commands, now);
      this.lastNow = now;
      const payload = applied.batch.payload;
      const entry = payload === null ? undefined : chainEntry(this.tail, now, payload);
      batch = { groups, results: applied.results, commands: commands.length,
        applyMs: performance.now() - started, applied: performance.now(), entry,
        durable: entry === undefined };
      this.inFlight.push(batch);
      if (entry !== undefined) {
        this.tail = entry;
        persisting = this.dependencies.persist(entry, applied.batch.output);
      }
    } catch (error) {
      this.fail(error, groups);
      return;
    }
    if (persisting === undefined) {
      this.release();
      return;
    }
    persisting.then(() => {
      batch.durable = true;
      this.release();
    }, (error: unknown) => this.fail(error, []));
  }

  /** Acknowledges the durable batches at the head of the line, in order. */
  private release(): void {
    if (this.fatal !== undefined) return;
    while (this.inFlight.length > 0 && (this.inFlight[0] as Batch<C, R>).durable) {
      const batch = this.inFlight.shift() as Batch<C, R>;
      if (batch.entry !== undefined) this.durableTail = batch.entry;
      this.dependencies.onBatch?.({
        commands: batch.commands, applyMs: batch.applyMs,
        commitMs: performance.now() - batch.applied, queueDepth: this.queuedCommands,
        journalSequence: this.durableTail?.sequence ?? 0, inFlight: this.inFlight.length + 1,
      });
      let offset = 0;
      for (const group of batch.groups) {
        const size = group.commands.length;
        group.resolve(size === 1 ? [batch.results[offset] as R]
          : batch.results.slice(offset, offset + size));
        offset += size;
      }
    }
    this.consider();
    this.wakeIfIdle();
  }

  private fail(cause: unknown, notInFlight: Group<C, R>[]): void {
    if (this.fatal !== undefined) return;
    const error = cause instanceof Error ? cause : new Error(String(cause));
    this.fatal = error;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const stopped = new PipelineError('pipeline_failed',
      `The writer stopped: ${error.message}. Nothing of this batch was acknowledged.`);
    const groups = new Set([...notInFlight,
      ...this.inFlight.splice(0).flatMap((batch) => batch.groups), ...this.queue.splice(0)]);
    for (const group of groups) group.reject(stopped);
    this.queuedCommands = 0;
    this.dependencies.onFatal?.(error);
    this.wakeIfIdle();
  }

  private wakeIfIdle(): void {
    if (this.inFlight.length > 0 || (this.queue.length > 0 && this.fatal === undefined)) return;
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /** Stops accepting commands, lets queued and in-flight batches commit, then resolves. */
  async close(): Promise<void> {
    this.closed = true;
    this.consider();
    if (this.inFlight.length === 0 && (this.queue.length === 0 || this.fatal !== undefined)) {
      return;
    }
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }
}
