// The process's two storage threads, shared by every file-backed SqliteStore (a thread costs
// tens of milliseconds to start, far more under a TypeScript loader): the journal thread
// writes journal entries, the projector thread writes projections, and a MessageChannel lets
// the first hand each durable entry to the second. The threads keep the process alive only
// while some store waits on them (a commit, a read, opening or closing): an idle process exits.
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { startModuleWorker } from '../module-worker.js';
import type { FromThread, ThreadRole, ToJournal, ToProjector } from './thread-protocol.js';

export type ThreadListener = (message: FromThread, from: ThreadRole | 'pool') => void;

function startThread(role: ThreadRole, peer: MessagePort): Worker {
  return startModuleWorker(import.meta.url, 'storage-thread',
    { workerData: { role, peer }, transferList: [peer as never] });
}

export class StorageThreads {
  private static shared: StorageThreads | undefined;
  private readonly listeners = new Map<number, ThreadListener>();
  private readonly holders = new Set<number>();
  private readonly journal: Worker;
  private readonly projector: Worker;
  private nextId = 1;
  private broken = false;

  private constructor() {
    const channel = new MessageChannel();
    this.journal = startThread('journal', channel.port1);
    this.projector = startThread('projector', channel.port2);
    for (const [role, worker] of [['journal', this.journal], ['projector', this.projector]] as const) {
      worker.unref();
      worker.on('message', (message: FromThread) => this.listeners.get(message.store)?.(message, role));
      worker.on('error', (error) => this.breakDown(`a storage thread failed: ${error.message}`));
      worker.on('exit', (code) => this.breakDown(`a storage thread exited with code ${code}`));
    }
  }

  /** The shared threads, started on first use; pair register() with release(). */
  static acquire(): StorageThreads {
    if (StorageThreads.shared === undefined) StorageThreads.shared = new StorageThreads();
    return StorageThreads.shared;
  }

  /** False once a thread died: nothing it was asked will be answered. */
  get alive(): boolean {
    return !this.broken;
  }

  register(listener: ThreadListener): number {
    const id = this.nextId++;
    this.listeners.set(id, listener);
    return id;
  }

  toJournal(message: ToJournal, transfer: ArrayBuffer[] = []): void {
    this.journal.postMessage(message, transfer);
  }

  toProjector(message: ToProjector): void {
    this.projector.postMessage(message);
  }

  /** While any store holds them, the threads keep the process alive. */
  hold(id: number, holding: boolean): void {
    const before = this.holders.size;
    if (holding) this.holders.add(id);
    else this.holders.delete(id);
    if (before === 0 && this.holders.size > 0) {
      this.journal.ref();
      this.projector.ref();
    } else if (before > 0 && this.holders.size === 0) {
      this.journal.unref();
      this.projector.unref();
    }
  }

  release(id: number): void {
    this.hold(id, false);
    this.listeners.delete(id);
  }

  /** A thread died: every store on it fails, and the next store starts new threads. */
  private breakDown(message: string): void {
    if (this.broken) return;
    this.broken = true;
    if (StorageThreads.shared === this) StorageThreads.shared = undefined;
    for (const [store, listener] of this.listeners) {
      listener({ type: 'failed', store, message }, 'pool');
    }
    void this.journal.terminate();
    void this.projector.terminate();
  }
}
