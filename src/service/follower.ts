// A standby node's network: it follows the writer's journal in the shared store, applying
// each new entry to its own engine (the engine is deterministic, so its state is the
// writer's as of that entry). Its reads come from the same projections as the writer's: the
// shared database it follows (NetworkReads on its store). Commands are refused with
// not_writer. When the node takes the writer lease, promote() catches up the last entries,
// checks the chain's tail, and switches the same network to a commit pipeline: the standby
// carries on without rebuilding from the start (docs/operations-postgres.md).
import type { JournalEntry } from '../journal/hash-chain.js';
import { JournalCorruptError, replayJournal } from '../journal/replay.js';
import { PipelineError } from '../pipeline/commit-pipeline.js';
import type { Store } from '../storage/store.js';
import { decodeNetworkEntry } from '../engine/codec.js';
import type { NetworkCommand, NetworkResult } from '../engine/commands.js';
import { NetworkEngine } from '../engine/engine.js';
import { NETWORK_LAYER } from './projections.js';
import { loadSnapshot, Snapshotter, type RejectedSnapshot } from './snapshots.js';
import {
  Network,
  type EventNumbering,
  writerPipeline,
  type CommandSink,
  type NetworkOptions,
  type PartyScreener,
} from './service.js';

export const FOLLOWER_DEFAULTS = { pollMs: 200 } as const;

export interface FollowerOptions {
  /** The shared store, opened for reads (a PostgresStore with readOnly: true). */
  readonly store: Store;
  readonly screener?: PartyScreener;
  /** How often the journal is read for new entries. Default 200 ms. */
  readonly pollMs?: number;
  /** A read of the journal failed (it is retried at the next poll). */
  readonly onReadError?: (error: Error) => void;
  /** The journal's chain is broken: the follower stops following (its reads stay as they were). */
  readonly onCorrupt?: (error: JournalCorruptError) => void;
}

/** The command sink of a standby: every command is refused, with a retry hint. */
class StandbySink implements CommandSink {
  constructor(private readonly follower: Follower) {}

  submit(_commands: readonly NetworkCommand[]): Promise<NetworkResult[]> {
    return Promise.reject(new PipelineError('not_writer',
      'This node is a standby: another node holds the writer lease. Send writes to the ' +
      'writer, or retry here shortly (a standby takes over within seconds).'));
  }

  get queueDepth(): number {
    return 0;
  }

  get journalTail(): JournalEntry | undefined {
    return this.follower.tail;
  }

  close(): Promise<void> {
    return this.follower.stopFollowing();
  }
}

export class Follower {
  readonly network: Network;
  private readonly engine: NetworkEngine;
  private readonly numbering: EventNumbering;
  private replayed = 0;
  private lastEntry: JournalEntry | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private stopped = false;
  private corrupt: JournalCorruptError | undefined;
  private reportBreak: (error: JournalCorruptError) => void = () => undefined;
  /** Rejects once the follower finds the journal's chain broken (it never resolves). */
  readonly broken = new Promise<never>((_resolve, reject) => {
    this.reportBreak = reject;
  });

  private constructor(
    private readonly options: FollowerOptions,
    loaded: Awaited<ReturnType<typeof loadSnapshot>>,
  ) {
    this.engine = loaded?.content.engine ?? new NetworkEngine();
    this.numbering = { assigned: loaded?.content.eventsAssigned ?? 0 };
    this.lastEntry = loaded?.entry;
    this.broken.catch(() => undefined);
    this.network = new Network(this.engine, options.store, new StandbySink(this),
      options.screener, this.numbering);
  }

  /**
   * Opens the store, replays the journal (retrying reads that fail, for instance while the
   * writer is still creating the schema) and starts following it.
   */
  static async open(options: FollowerOptions): Promise<Follower> {
    const started = performance.now();
    await options.store.addLayer(NETWORK_LAYER);
    await options.store.open();
    // A standby that starts late loads the newest snapshot that verifies, not all of history.
    const rejected: RejectedSnapshot[] = [];
    const loaded = await loadSnapshot(options.store, rejected);
    const follower = new Follower(options, loaded);
    const pollMs = options.pollMs ?? FOLLOWER_DEFAULTS.pollMs;
    for (;;) {
      try {
        await follower.catchUp(options.store);
        break;
      } catch (error) {
        if (error instanceof JournalCorruptError) throw error;
        options.onReadError?.(error instanceof Error ? error : new Error(String(error)));
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    }
    follower.engine.checkAllInvariants();
    follower.network.recovery = {
      snapshot: loaded === undefined ? undefined
        : { sequence: loaded.entry.sequence, createdAt: loaded.createdAt },
      replayedEntries: follower.replayed, rejected, ms: performance.now() - started,
    };
    follower.schedule();
    return follower;
  }

  /** The last journal entry applied. */
  get tail(): JournalEntry | undefined {
    return this.lastEntry;
  }

  /** Whether it still follows the journal (false once stopped, promoted or corrupt). */
  get following(): boolean {
    return !this.stopped && this.corrupt === undefined;
  }

  private schedule(): void {
    if (!this.following) return;
    const pollMs = this.options.pollMs ?? FOLLOWER_DEFAULTS.pollMs;
    this.timer = setTimeout(() => {
      this.polling = this.poll().finally(() => {
        this.polling = undefined;
        this.schedule();
      });
    }, pollMs);
  }

  private async poll(): Promise<void> {
    try {
      await this.catchUp(this.options.store);
    } catch (error) {
      if (error instanceof JournalCorruptError) {
        this.corrupt = error;
        this.options.onCorrupt?.(error);
        this.reportBreak(error);
      } else {
        this.options.onReadError?.(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  /** Applies every entry after the tail, checking each link. */
  private async catchUp(store: Store): Promise<void> {
    await replayJournal(store, (entry) => this.applyEntry(entry), undefined, this.lastEntry);
  }

  private applyEntry(entry: JournalEntry): void {
    const { commands, ids } = decodeNetworkEntry(entry.payload);
    const batch = this.engine.apply(commands, entry.now, ids);
    this.lastEntry = entry;
    this.replayed += 1;
    const first = this.numbering.assigned + 1;
    this.numbering.assigned += batch.context.changes.events.length;
    this.network.publish(batch, first);
  }

  /** Stops following (waits for a poll under way). */
  async stopFollowing(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.polling;
  }

  /**
   * This node now holds the writer lease: stop following, open the writer store, apply the
   * entries the old writer made since the last poll (checking every link up to the tail),
   * and switch the network to a commit pipeline on the writer store. The read store closes.
   */
  async promote(
    writerStore: Store,
    options: Omit<NetworkOptions, 'store' | 'screener' | 'onRecovered'> = {},
  ): Promise<Network> {
    await this.stopFollowing();
    if (this.corrupt !== undefined) throw this.corrupt;
    await writerStore.addLayer(NETWORK_LAYER);
    await writerStore.open();
    await this.catchUp(writerStore);
    this.engine.checkAllInvariants();
    const snapshots = new Snapshotter(writerStore, this.engine, this.numbering,
      options.snapshots ?? {}, options.clock ?? Date.now,
      { sequence: this.lastEntry?.sequence ?? 0, now: this.lastEntry?.now ?? 0 });
    const pipeline = writerPipeline({ engine: this.engine, numbering: this.numbering,
      store: writerStore, tail: this.lastEntry, network: () => this.network, snapshots },
      options);
    this.network.snapshotter = snapshots;
    const replaced = this.network.takeOver(writerStore, pipeline);
    await replaced.store.close();
    return this.network;
  }
}
