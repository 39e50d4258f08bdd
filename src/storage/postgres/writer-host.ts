// Starts and talks to a PostgresStore's writer thread (writer-thread.ts). The thread keeps
// the process alive only while the store waits on it (commits in flight, closing).
import { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../module-worker.js';
import type { FromWriter, ToWriter, WriterThreadData } from './writer-protocol.js';

function startWorker(data: WriterThreadData): Worker {
  return startModuleWorker(import.meta.url, 'writer-thread', { workerData: data });
}

export class WriterThread {
  private readonly exited: Promise<void>;
  private gone = false;

  private constructor(private readonly worker: Worker) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
  }

  /**
   * Starts the thread; resolves once its connection is open. Every later message, and its
   * death (as a 'failed' message), goes to `listener`.
   */
  static start(data: WriterThreadData, listener: (message: FromWriter) => void):
  Promise<WriterThread> {
    const thread = new WriterThread(startWorker(data));
    return new Promise((resolve, reject) => {
      let ready = false;
      const died = (message: string): void => {
        thread.gone = true;
        if (ready) listener({ type: 'failed', message, fenced: false });
        else reject(new Error(`PostgresStore: the writer thread failed to start: ${message}`));
      };
      thread.worker.on('message', (message: FromWriter) => {
        if (ready) {
          listener(message);
        } else if (message.type === 'ready') {
          ready = true;
          thread.hold(false);
          resolve(thread);
        } else if (message.type === 'failed') {
          void thread.close();
          died(message.message);
        }
      });
      thread.worker.on('error', (error) => died(`the writer thread failed: ${error.message}`));
      thread.worker.on('exit', (code) => {
        if (!thread.gone) died(`the writer thread exited with code ${code}`);
      });
    });
  }

  send(message: ToWriter): void {
    if (!this.gone) this.worker.postMessage(message);
  }

  /** While the store waits on the thread, the thread keeps the process alive. */
  hold(holding: boolean): void {
    if (holding) this.worker.ref();
    else this.worker.unref();
  }

  /** Asks the thread to close its connection (after what it was sent) and waits for it. */
  async close(): Promise<void> {
    if (!this.gone) {
      this.gone = true;
      this.hold(true);
      this.worker.postMessage({ type: 'close' } satisfies ToWriter);
    }
    await this.exited;
  }
}
