// The ledger as a service: the pure engine behind the commit pipeline, on a store.
// openLedger() rebuilds memory from the journal before it accepts a command.
import { replayJournal } from '../journal/replay.js';
import { decodeCommands, encodeCommands } from '../ledger/codec.js';
import { LedgerEngine, type BatchOutcome } from '../ledger/engine.js';
import type { CommandResult } from '../ledger/result-codes.js';
import { isLinked, type Balance, type Command, type PendingTransfer } from '../ledger/types.js';
import type { HistoryPage, HistoryQuery, Store, StoredTransfer } from '../storage/store.js';
import {
  CommitPipeline, type BatchMachine, type BatchStats, type PipelineOptions,
} from './commit-pipeline.js';

/** The ledger engine as a batch machine: what took effect becomes the journal payload. */
export function ledgerMachine(
  engine: LedgerEngine,
): BatchMachine<Command, CommandResult, BatchOutcome> {
  return {
    applyBatch(commands, now) {
      const outcome = engine.apply(commands, now);
      const changed = outcome.applied.length > 0 || outcome.expired.length > 0;
      return {
        results: outcome.results,
        batch: { payload: changed ? encodeCommands(outcome.applied) : null, output: outcome },
      };
    },
    refuseGroup(commands) {
      const last = commands[commands.length - 1];
      if (last === undefined || !isLinked(last)) return undefined;
      return commands.map((_, index): CommandResult => ({
        code: index === commands.length - 1 ? 'linked_event_chain_open' : 'linked_event_failed',
      }));
    },
  };
}

export interface LedgerOptions extends PipelineOptions {
  readonly store: Store;
  readonly onBatch?: (stats: BatchStats) => void;
  readonly onFatal?: (error: Error) => void;
}

export class Ledger {
  constructor(
    readonly engine: LedgerEngine,
    readonly store: Store,
    private readonly pipeline: CommitPipeline<Command, CommandResult, BatchOutcome>,
  ) {}

  /** Submits commands that share one batch; resolves once they are durable. */
  submit(commands: readonly Command[]): Promise<CommandResult[]> {
    return this.pipeline.submit(commands);
  }

  get queueDepth(): number {
    return this.pipeline.queueDepth;
  }

  balance(accountId: string): Balance | undefined {
    return this.engine.balance(accountId);
  }

  pendingTransfer(id: string): PendingTransfer | undefined {
    return this.engine.pendingTransfer(id);
  }

  transfer(id: string): Promise<StoredTransfer | undefined> {
    return this.store.transfer(id);
  }

  history(accountId: string, query: HistoryQuery): Promise<HistoryPage> {
    return this.store.history(accountId, query);
  }

  /** Commits what is queued and in flight; the store stays open for reads. */
  pipelineClose(): Promise<void> {
    return this.pipeline.close();
  }

  /** Commits what is queued and in flight, then closes the store. */
  async close(): Promise<void> {
    await this.pipeline.close();
    await this.store.close();
  }
}

/** Opens the store, replays its journal into a fresh engine, and starts the pipeline. */
export async function openLedger(options: LedgerOptions): Promise<Ledger> {
  const { store } = options;
  await store.open();
  const engine = new LedgerEngine();
  let tail: Awaited<ReturnType<typeof replayJournal>>['tail'];
  try {
    ({ tail } = await replayJournal(store, (entry) => {
      engine.apply(decodeCommands(entry.payload), entry.now);
    }));
    engine.checkAllInvariants();
  } catch (error) {
    await store.close();
    throw error;
  }
  const pipeline = new CommitPipeline<Command, CommandResult, BatchOutcome>({
    machine: ledgerMachine(engine),
    persist: (entry, outcome) => store.commit({ entry, ledger: outcome }),
    tail,
    ...(options.onBatch === undefined ? {} : { onBatch: options.onBatch }),
    ...(options.onFatal === undefined ? {} : { onFatal: options.onFatal }),
  }, options);
  return new Ledger(engine, store, pipeline);
}
