// A storage thread (worker_threads): either the journal writer or the projector of every
// file-backed SqliteStore of the process. SQLite work runs here, so that the writer's thread
// (the engine) and storage use both cores. See docs/storage.md.
import type Database from 'better-sqlite3';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openConnection } from './connection.js';
import { JournalWriter, type JournalAppend } from './journal-writer.js';
import { LedgerProjection } from './projection.js';
import { Projector } from './projector.js';
import type {
  Append, FromThread, OpenJournal, OpenProjector, Project, Projected, ThreadRole, ToJournal,
  ToProjector,
} from './thread-protocol.js';

const { role, peer } = workerData as { role: ThreadRole; peer: MessagePort };
const parent = parentPort as MessagePort;

function tell(message: FromThread): void {
  parent.postMessage(message);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface JournalStore {
  readonly database: Database.Database;
  readonly writer: JournalWriter;
  pending: Append[];
  projectedThrough: number;
  failed: boolean;
}

function journalThread(): void {
  const stores = new Map<number, JournalStore>();
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    for (const [id, store] of stores) {
      if (store.pending.length === 0 || store.failed) continue;
      const appends = store.pending;
      store.pending = [];
      try {
        store.writer.append(appends as readonly JournalAppend[], store.projectedThrough);
      } catch (error) {
        store.failed = true;
        tell({ type: 'failed', store: id, message: messageOf(error) });
        continue;
      }
      tell({ type: 'durable', store: id, sequence: store.writer.tail.sequence });
      for (const { entry, effects } of appends) {
        const project: Project = { type: 'project', store: id, sequence: entry.sequence,
          hash: entry.hash, effects };
        peer.postMessage(project, effects === null ? [] : [effects.buffer as ArrayBuffer]);
      }
    }
  };
  const open = (message: OpenJournal): void => {
    // Smaller checkpoints than the projector's: each one stalls the next acknowledgment.
    const database = openConnection(message.path, { synchronous: message.synchronous,
      walPagesMax: 4_096 });
    const writer = new JournalWriter(database);
    stores.set(message.store,
      { database, writer, pending: [], projectedThrough: 0, failed: false });
    tell({ type: 'opened', store: message.store, sequence: writer.tail.sequence });
  };
  parent.on('message', (message: ToJournal) => {
    try {
      if (message.type === 'open') open(message);
      else if (message.type === 'append') {
        const store = stores.get(message.store);
        if (store === undefined || store.failed) return;
        store.pending.push(message);
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      } else {
        flush();
        stores.get(message.store)?.database.close();
        stores.delete(message.store);
        tell({ type: 'closed', store: message.store });
      }
    } catch (error) {
      tell({ type: 'failed', store: message.store, message: messageOf(error) });
    }
  });
  peer.on('message', (message: Projected) => {
    const store = stores.get(message.store);
    if (store !== undefined) store.projectedThrough = message.sequence;
  });
}

interface ProjectorStore {
  readonly databases: readonly Database.Database[];
  readonly projector: Projector;
  paused: boolean;
  failed: boolean;
}

/** The projector thread: steps every store's projector when one is due, one at a time. */
class ProjectorHost {
  private readonly stores = new Map<number, ProjectorStore>();
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;

  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    setImmediate(() => this.pump());
  }

  private pump(): void {
    this.scheduled = false;
    let more = false;
    let lingering = Infinity;
    for (const [id, store] of this.stores) {
      if (store.paused || store.failed) continue;
      const due = store.projector.dueIn();
      if (due > 0) lingering = Math.min(lingering, due);
      else more = this.step(id, store) || more;
    }
    if (more) this.schedule();
    else if (lingering < Infinity && this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, Math.ceil(lingering));
    }
  }

  private step(id: number, store: ProjectorStore): boolean {
    const before = store.projector.projected.sequence;
    let more: boolean;
    try {
      more = store.projector.step();
    } catch (error) {
      store.failed = true;
      tell({ type: 'failed', store: id, message: messageOf(error) });
      return false;
    }
    const sequence = store.projector.projected.sequence;
    if (sequence !== before) {
      const projected: Projected = { type: 'projected', store: id, sequence };
      tell(projected);
      peer.postMessage(projected);
    }
    return more;
  }

  open(message: OpenProjector): void {
    const options = { synchronous: message.synchronous, walPagesMax: 16_384, cacheMegabytes: 256 };
    const projection = openConnection(message.projectionPath, options);
    const journal = openConnection(message.journalPath, options);
    try {
      const projector = new Projector(new LedgerProjection(projection), journal, message.limits);
      this.stores.set(message.store, { databases: [projection, journal], projector,
        paused: message.paused, failed: false });
      tell({ type: 'opened', store: message.store, sequence: projector.projected.sequence });
    } catch (error) {
      projection.close();
      journal.close();
      throw error;
    }
    this.schedule();
  }

  receive(message: ToProjector): void {
    const store = this.stores.get(message.store);
    if (message.type === 'open') this.open(message);
    else if (message.type === 'close') {
      for (const database of store?.databases ?? []) database.close();
      this.stores.delete(message.store);
      tell({ type: 'closed', store: message.store });
    } else if (store !== undefined) {
      if (message.type === 'hurry') store.projector.hurry();
      else store.paused = message.type === 'pause';
      this.schedule();
    }
  }

  project(message: Project): void {
    const store = this.stores.get(message.store);
    if (store === undefined || store.failed) return;
    store.projector.offer(message);
    this.schedule();
  }
}

function projectorThread(): void {
  const host = new ProjectorHost();
  parent.on('message', (message: ToProjector) => {
    try {
      host.receive(message);
    } catch (error) {
      tell({ type: 'failed', store: message.store, message: messageOf(error) });
    }
  });
  peer.on('message', (message: Project) => host.project(message));
}

if (role === 'journal') journalThread();
else projectorThread();
