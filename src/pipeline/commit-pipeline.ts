// The commit pipeline: bounded queue → batcher → engine.apply(batch, now) → store.commit →
// replies. A batch closes at `batchSizeMax` commands or `batchDelayMs` after its first command;
// while one batch commits, the next one gathers, so batches grow with load (group commit).
// No caller hears its result before the batch that holds its command is durable.
import { chainEntry, type JournalEntry } from '../journal/hash-chain.js';

export const PIPELINE_LIMITS = {
  batchSizeMax: 8_190,
  batchDelayMsMax: 1_000,
  queueDepthMax: 1_000_000,
} as const;

export interface PipelineOptions {
  /** Commands per batch at most (1 to 8,190). Default 8,190. */
  readonly batchSizeMax?: number;
  /** How long the first command of a batch may wait for company, in ms (0 to 1,000). Default 1. */
  readonly batchDelayMs?: number;
  /** Commands waiting at most; beyond that submit() fails fast with queue_full. Default 200,000. */
  readonly queueDepthMax?: number;
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
  'pipeline_failed';

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
  readonly commitMs: number;
  readonly queueDepth: number;
  readonly journalSequence: number;
}

interface Group<C, R> {
  readonly commands: readonly C[];
  readonly resolve: (results: R[]) => void;
  readonly reject: (error: Error) => void;
}

export interface PipelineDependencies<C, R, O> {
  readonly machine: BatchMachine<C, R, O>;
  readonly persist: (entry: JournalEntry, output: O) => Promise<void>;
  /** The journal tail recovered from storage, so the chain continues from it. */
  readonly tail: JournalEntry | undefined;
  readonly onBatch?: (stats: BatchStats) => void;
  /** Called once if a batch cannot be applied or made durable: the writer must stop. */
  readonly onFatal?: (error: Error) => void;
}

function bounded(value: number | undefined, fallback: number, low: number, high: number): number {
  const chosen = value ?? fallback;
  if (!Number.isInteger(chosen) || chosen < low || chosen > high) {
    throw new RangeError(`pipeline option ${chosen} is outside ${low}..${high}`);
  }
  return chosen;
}

export class CommitPipeline<C, R, O> {
  private readonly queue: Group<C, R>[] = [];
  private queuedCommands = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  private failure: Error | undefined;
  private tail: JournalEntry | undefined;
  private lastNow = 0;
  private readonly batchSizeMax: number;
  private readonly batchDelayMs: number;
  private readonly queueDepthMax: number;
  private readonly clock: () => number;

  constructor(private readonly dependencies: PipelineDependencies<C, R, O>, options: PipelineOptions) {
    this.batchSizeMax = bounded(options.batchSizeMax, 8_190, 1, PIPELINE_LIMITS.batchSizeMax);
    this.batchDelayMs = bounded(options.batchDelayMs, 1, 0, PIPELINE_LIMITS.batchDelayMsMax);
    this.queueDepthMax = bounded(options.queueDepthMax, 200_000, 1, PIPELINE_LIMITS.queueDepthMax);
    this.clock = options.clock ?? Date.now;
    this.tail = dependencies.tail;
    this.lastNow = dependencies.tail?.now ?? 0;
  }

  get queueDepth(): number {
    return this.queuedCommands;
  }

  get journalTail(): JournalEntry | undefined {
    return this.tail;
  }

  /** Submits a group of commands that will share one batch (so linked chains stay whole). */
  submit(commands: readonly C[]): Promise<R[]> {
    if (this.failure !== undefined) {
      return Promise.reject(new PipelineError('pipeline_failed', 'The writer has stopped after a fatal error.'));
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
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running !== undefined) return;
    if (this.queuedCommands >= this.batchSizeMax || this.batchDelayMs === 0) {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      this.running = this.drain();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (this.running === undefined) this.running = this.drain();
      }, this.batchDelayMs);
    }
  }

  private async drain(): Promise<void> {
    await Promise.resolve();
    try {
      while (this.queue.length > 0 && this.failure === undefined) await this.runBatch(this.take());
    } finally {
      this.running = undefined;
    }
  }

  private take(): Group<C, R>[] {
    let size = 0;
    let count = 0;
    while (count < this.queue.length) {
      const next = this.queue[count] as Group<C, R>;
      if (size + next.commands.length > this.batchSizeMax) break;
      size += next.commands.length;
      count += 1;
    }
    // One splice per batch, not one shift per group: shift is O(queue length).
    const groups = this.queue.splice(0, count);
    this.queuedCommands -= size;
    return groups;
  }

  private async runBatch(groups: Group<C, R>[]): Promise<void> {
    const commands = groups.length === 1 ? (groups[0] as Group<C, R>).commands
      : groups.flatMap((group) => group.commands);
    const now = Math.max(this.clock(), this.lastNow);
    const started = performance.now();
    let results: R[];
    let committed = started;
    try {
      const applied = this.dependencies.machine.applyBatch(commands, now);
      results = applied.results;
      committed = performance.now();
      this.lastNow = now;
      if (applied.batch.payload !== null) {
        const entry = chainEntry(this.tail, now, applied.batch.payload);
        await this.dependencies.persist(entry, applied.batch.output);
        this.tail = entry;
      }
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)), groups);
      return;
    }
    this.dependencies.onBatch?.({
      commands: commands.length, applyMs: committed - started,
      commitMs: performance.now() - committed, queueDepth: this.queuedCommands,
      journalSequence: this.tail?.sequence ?? 0,
    });
    let offset = 0;
    for (const group of groups) {
      group.resolve(results.slice(offset, offset + group.commands.length));
      offset += group.commands.length;
    }
  }

  private fail(error: Error, inFlight: Group<C, R>[]): void {
    this.failure = error;
    const stopped = new PipelineError('pipeline_failed',
      `The writer stopped: ${error.message}. Nothing of this batch was acknowledged.`);
    for (const group of inFlight) group.reject(stopped);
    for (const group of this.queue.splice(0)) group.reject(stopped);
    this.queuedCommands = 0;
    this.dependencies.onFatal?.(error);
  }

  /** Stops accepting commands, lets queued and in-flight batches commit, then resolves. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      if (this.running === undefined) this.running = this.drain();
    }
    while (this.running !== undefined) await this.running;
  }
}
