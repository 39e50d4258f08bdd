// Sanctions screening off the writer's thread. A payment's parties are screened before its
// command enters the engine, and the verdict is journaled with it (docs/architecture.md); with
// a real list, screening a name the node has not seen costs far more than the engine spends on
// the whole payment (docs/sanctions.md, "Performance"). The pool runs it on screening threads,
// each loading the lists itself, so the thread that applies batches only looks names up:
//
// - a name screened before answers at once from the pool's cache (the same bound as the
//   in-thread screener's), with no message to a thread;
// - names not yet known are gathered for one turn of the event loop and sent to the least busy
//   thread as one request; a name already asked for is not asked again;
// - a thread that fails (crashes, exits) is replaced, and what it was asked answers
//   `screening_failed`: the payment is not known to be clear, so it is held for review (the
//   verdict is a hit), never let through. A replacement that loads a different list version
//   (the files changed under a running node) is refused: the slot answers
//   `screening_unavailable` until the node restarts, so one node never mixes versions.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import type { ScreeningVerdict } from '../engine/payments/model.js';
import type { PartyScreener } from '../service/service.js';
import { startModuleWorker } from '../storage/module-worker.js';
import {
  NameScreeningCache, verdictOf, type ListFiles, type NameScreening,
} from './party-screener.js';
import type { ScreenerOptions } from './screener.js';

/** What a screening thread is started with. */
export interface ScreeningThreadData {
  readonly directory: string;
  readonly options: ScreenerOptions & ListFiles;
}

export interface ScreeningThreadRequest {
  readonly id: number;
  readonly names: readonly string[];
}

export type ScreeningThreadReply =
  | { readonly type: 'ready'; readonly entries: number; readonly listVersion: string }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'screened'; readonly id: number; readonly listVersion: string;
      readonly results: readonly NameScreening[] };

export interface ScreeningPoolOptions extends ScreenerOptions, ListFiles {
  /** The folder with the sanctions lists (as loadScreenerFromDirectory reads it). */
  readonly directory: string;
  /** Screening threads (default: one fewer than the machine's cores, at least 1, at most 4). */
  readonly threads?: number;
  /** Told when a thread fails or is refused (the node logs it). */
  readonly onProblem?: (message: string) => void;
}

/** The default number of screening threads on this machine. */
export function defaultScreeningThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

const FAILED: NameScreening = { ok: false, code: 'screening_failed' };
const UNAVAILABLE: NameScreening = { ok: false, code: 'screening_unavailable' };

interface Slot {
  worker: Worker | undefined;
  /** Requests sent and not yet answered, by id: their names. */
  readonly asked: Map<number, readonly string[]>;
  /** Names asked and not answered. */
  outstanding: number;
}

/** Starts the pool's threads and waits until each has loaded the lists. */
export async function openScreeningPool(options: ScreeningPoolOptions): Promise<ScreeningPool> {
  const threads = options.threads ?? defaultScreeningThreads();
  if (!Number.isInteger(threads) || threads < 1 || threads > 64)
    throw new RangeError(`screening threads: ${threads} (1 to 64)`);
  const data: ScreeningThreadData = { directory: options.directory, options: {
    ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
    ...(options.screenWeakAliases === undefined ? {}
      : { screenWeakAliases: options.screenWeakAliases }),
    ...(options.matchesMax === undefined ? {} : { matchesMax: options.matchesMax }),
    ...(options.unFile === undefined ? {} : { unFile: options.unFile }),
    ...(options.ofacFile === undefined ? {} : { ofacFile: options.ofacFile }),
    ...(options.ofacAliasFile === undefined ? {} : { ofacAliasFile: options.ofacAliasFile }),
    ...(options.ofacXmlFile === undefined ? {} : { ofacXmlFile: options.ofacXmlFile }),
  } };
  const started = await Promise.allSettled(
    Array.from({ length: threads }, () => startThread(data)));
  const workers = started.flatMap((item) => (item.status === 'fulfilled' ? [item.value] : []));
  const failure = started.find((item) => item.status === 'rejected');
  if (failure !== undefined) {
    await Promise.all(workers.map((item) => item.worker.terminate()));
    throw failure.reason instanceof Error ? failure.reason : new Error(String(failure.reason));
  }
  const versions = new Set(workers.map((item) => item.listVersion));
  if (versions.size !== 1) {
    await Promise.all(workers.map((item) => item.worker.terminate()));
    throw new Error(`screening threads loaded different list versions (${[...versions].join(' | ')}): ` +
      'the files changed while they loaded');
  }
  const [first] = workers;
  if (first === undefined) throw new Error('screening pool: no thread started');
  return new ScreeningPool(data, workers.map((item) => item.worker), first.listVersion,
    first.entries, options.onProblem);
}

/** Starts one thread and waits for its 'ready' (or its failure). */
function startThread(data: ScreeningThreadData):
Promise<{ worker: Worker; entries: number; listVersion: string }> {
  const worker = startModuleWorker(import.meta.url, 'screening-thread', { workerData: data });
  return new Promise((resolve, reject) => {
    const onExit = (code: number): void =>
      reject(new Error(`screening thread exited (code ${code}) before it was ready`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.once('message', (reply: ScreeningThreadReply) => {
      worker.off('error', reject);
      worker.off('exit', onExit);
      if (reply.type === 'ready') {
        resolve({ worker, entries: reply.entries, listVersion: reply.listVersion });
      } else {
        void worker.terminate();
        reject(new Error(reply.type === 'failed' ? reply.message : 'screening thread: no ready'));
      }
    });
  });
}

export class ScreeningPool implements PartyScreener {
  private readonly slots: Slot[];
  private readonly cache = new NameScreeningCache();
  /** Names asked of a thread and not answered yet, and who waits for each. */
  private readonly waiting = new Map<string, ((result: NameScreening) => void)[]>();
  /** Names to ask at the next turn of the event loop. */
  private toAsk: string[] = [];
  private scheduled = false;
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly data: ScreeningThreadData,
    workers: readonly Worker[],
    /** The list version every verdict of this pool carries. */
    readonly listVersion: string,
    /** Entries loaded (per thread: each holds the whole list). */
    readonly entries: number,
    private readonly onProblem: ((message: string) => void) | undefined,
  ) {
    this.slots = workers.map((worker) => {
      const slot: Slot = { worker, asked: new Map(), outstanding: 0 };
      this.attach(slot, worker);
      return slot;
    });
  }

  get threads(): number {
    return this.slots.length;
  }

  /** The live threads, for tests that make one fail. */
  threadsForTest(): readonly Worker[] {
    return this.slots.flatMap((slot) => (slot.worker === undefined ? [] : [slot.worker]));
  }

  screenParties(parties: { debtor: string; creditor: string }):
  ScreeningVerdict | Promise<ScreeningVerdict> {
    const debtor = this.cache.get(parties.debtor);
    const creditor = this.cache.get(parties.creditor);
    if (debtor !== undefined && creditor !== undefined)
      return verdictOf(debtor, creditor, this.listVersion);
    return Promise.all([debtor ?? this.ask(parties.debtor), creditor ?? this.ask(parties.creditor)])
      .then(([first, second]) => verdictOf(first, second, this.listVersion));
  }

  /** Stops the threads. What is still being screened answers `screening_failed`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const workers = this.slots.flatMap((slot) => (slot.worker === undefined ? [] : [slot.worker]));
    for (const slot of this.slots) this.fail(slot, FAILED);
    this.answerAll(this.toAsk, FAILED);
    this.toAsk = [];
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private ask(name: string): Promise<NameScreening> {
    if (this.closed) return Promise.resolve(FAILED);
    return new Promise((resolve) => {
      const waiters = this.waiting.get(name);
      if (waiters !== undefined) {
        waiters.push(resolve);
        return;
      }
      this.waiting.set(name, [resolve]);
      this.toAsk.push(name);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.send());
      }
    });
  }

  /** Sends the names gathered this turn to the live thread with the fewest outstanding. */
  private send(): void {
    this.scheduled = false;
    const names = this.toAsk;
    this.toAsk = [];
    if (names.length === 0) return;
    let best: Slot | undefined;
    for (const slot of this.slots) {
      if (slot.worker !== undefined && (best === undefined || slot.outstanding < best.outstanding))
        best = slot;
    }
    if (best?.worker === undefined) {
      this.answerAll(names, UNAVAILABLE);
      return;
    }
    const id = this.nextId++;
    best.asked.set(id, names);
    best.outstanding += names.length;
    best.worker.ref();
    best.worker.postMessage({ id, names } satisfies ScreeningThreadRequest);
  }

  private attach(slot: Slot, worker: Worker): void {
    worker.unref();
    worker.on('message', (reply: ScreeningThreadReply) => {
      if (reply.type !== 'screened') return;
      const names = slot.asked.get(reply.id);
      if (names === undefined) return;
      slot.asked.delete(reply.id);
      slot.outstanding -= names.length;
      if (slot.outstanding === 0) worker.unref();
      names.forEach((name, index) => {
        const result = reply.results[index] ?? FAILED;
        if (result !== FAILED) this.cache.set(name, result);
        this.answer(name, result);
      });
    });
    worker.on('error', (error) => this.lost(slot, worker, error.message));
    worker.on('exit', (code) => this.lost(slot, worker, `exited with code ${code}`));
  }

  /** A thread failed: what it was asked is held for review, and a new thread takes its place. */
  private lost(slot: Slot, worker: Worker, why: string): void {
    if (slot.worker !== worker || this.closed) return;
    slot.worker = undefined;
    this.fail(slot, FAILED);
    this.onProblem?.(`screening thread failed (${why}); payments it was screening are held ` +
      'for review; starting another');
    void worker.terminate();
    startThread(this.data).then(({ worker: next, listVersion }) => {
      if (this.closed) {
        void next.terminate();
      } else if (listVersion !== this.listVersion) {
        void next.terminate();
        this.onProblem?.(`a new screening thread loaded list version ${listVersion}, not ` +
          `${this.listVersion}: the lists changed on disk; restart the node to screen with ` +
          'them (until then its share of names answers screening_unavailable)');
      } else {
        slot.worker = next;
        this.attach(slot, next);
      }
    }, (error: unknown) => {
      this.onProblem?.(`a new screening thread could not start: ${String(error)}`);
    });
  }

  private fail(slot: Slot, result: NameScreening): void {
    for (const names of slot.asked.values()) this.answerAll(names, result);
    slot.asked.clear();
    slot.outstanding = 0;
  }

  private answerAll(names: readonly string[], result: NameScreening): void {
    for (const name of names) this.answer(name, result);
  }

  private answer(name: string, result: NameScreening): void {
    const waiters = this.waiting.get(name);
    this.waiting.delete(name);
    for (const resolve of waiters ?? []) resolve(result);
  }
}
