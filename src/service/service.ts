// The network as a service (and the library API's entry point): the network engine behind
// the commit pipeline, on a store. It screens parties before a payment enters the engine,
// generates ids, projects each batch's payments, quotes and status changes to the store
// (projections.ts) for the reads of every adapter (reads.ts), and tells subscribers of status
// changes once they are durable.
import { createHash, randomUUID } from 'node:crypto';
import type { Quote } from '../engine/fx/quotes.js';
import type { Balance } from '../ledger/types.js';
import type {
  IsoOrigin,
  Payment,
  PaymentReason,
  ReturnReason,
  ScreeningVerdict,
} from '../engine/payments/model.js';
import {
  CommitPipeline,
  type BatchStats,
  type PipelineOptions,
} from '../pipeline/commit-pipeline.js';
import type { JournalEntry } from '../journal/hash-chain.js';
import { replayJournal } from '../journal/replay.js';
import type { Store } from '../storage/store.js';
import { encodeNetworkCommands } from '../engine/codec.js';
import type {
  CurrencyDefinition, NetworkCommand, NetworkResult, PaymentRequest, QuoteRouting, RateSpec,
} from '../engine/commands.js';
import { configToCommands } from './config.js';
import type { NetworkConfigFile } from './config-schema.js';
import { NetworkEngine, type NetworkBatch } from '../engine/engine.js';
import {
  issuanceAccountId,
  settlementAccountId,
  type CurrencyRules,
  type Participant,
  type ParticipantSpec,
  type ParticipantStatus,
} from '../engine/model.js';
import { mergeOutcomes } from '../engine/outcomes.js';
import { heldPayment } from '../engine/payments/ids.js';
import { idWindowMs } from '../engine/payments/retention.js';
import { ownQuoteAt } from '../engine/quoting.js';
import { NETWORK_LAYER, projectionWrites } from './projections.js';
import { NetworkReads } from './reads.js';
import type { PaymentEventRecord } from '../engine/state.js';
import {
  describeRecovery, noPhases, recoverNetwork, Snapshotter, type RecoveryReport, type SnapshotPolicy,
} from './snapshots.js';

/**
 * What screens party names: the sanctions screener of src/compliance fits it, in the caller's
 * thread (partyScreener) or on screening threads (ScreeningPool, which answers a name it has
 * seen at once and the others when a thread has screened them).
 */
export interface PartyScreener {
  screenParties(parties: { debtor: string; creditor: string }):
  ScreeningVerdict | Promise<ScreeningVerdict>;
}

/** The verdict of a network without a screener. */
const CLEAR: ScreeningVerdict = Object.freeze({ hit: false, matches: Object.freeze([]) });

export interface NetworkOptions extends PipelineOptions {
  readonly store: Store;
  readonly screener?: PartyScreener;
  readonly onBatch?: (stats: BatchStats) => void;
  readonly onFatal?: (error: Error) => void;
  /** When to snapshot the state (default SNAPSHOT_DEFAULTS; everyEntries 0 turns them off). */
  readonly snapshots?: SnapshotPolicy;
  /** Told how the state was rebuilt at open (which snapshot, how many entries replayed). */
  readonly onRecovered?: (report: RecoveryReport, line: string) => void;
}

export type PaymentInput = Omit<PaymentRequest, 'id' | 'uetr' | 'debtorAgent'> & {
  readonly id?: string;
  readonly uetr?: string;
};

/** What a debtor agent asks a quote for (Network.quote). */
export interface QuoteRequest {
  readonly source: string;
  readonly target: string;
  readonly fixed: 'send' | 'receive';
  readonly amount: bigint;
  readonly quoteId?: string;
  /** 'best' may route through a third member currency; absent: 'direct', as before. */
  readonly routing?: QuoteRouting;
}

/** The quote of Network.quoteAndPay: its id is the payment's (inlineQuoteId). */
export type InlineQuoteRequest = Omit<QuoteRequest, 'quoteId'>;

/** The payment of Network.quoteAndPay: the quote sets its currency and amount. */
export type InlineQuotePaymentInput = Omit<PaymentInput, 'quoteId' | 'currency' | 'amount'>;

/**
 * The id of the quote Network.quoteAndPay asks for on behalf of payment `paymentId` (the
 * debtor agent's own id): derived, so that the same payment always names the same quote.
 */
export function inlineQuoteId(paymentId: string): string {
  return `qp_${createHash('sha256').update(`inline-quote\n${paymentId}`).digest('hex').slice(0, 40)}`;
}

/** One answer for a quote and the payment that used it, submitted in one batch. */
export function combineQuoteAndPay(
  quoted: NetworkResult | undefined,
  paid: NetworkResult | undefined,
): NetworkResult {
  if (quoted === undefined || paid === undefined) throw new Error('quoteAndPay: a result is missing');
  if (quoted.code !== 'ok') return quoted;
  if (paid.code !== 'ok' || quoted.quote === undefined) return paid;
  return { ...paid, quote: quoted.quote };
}

export interface CommittedBatch {
  /** The batch's status changes, each with its event-feed sequence. */
  readonly events: readonly { readonly sequence: number; readonly event: PaymentEventRecord }[];
  /** The payments the batch changed, as they stand after it (key: network id). */
  readonly payments: ReadonlyMap<string, Payment>;
  readonly batch: NetworkBatch;
}

/**
 * The event feed's numbering: every status change gets the next sequence when its batch is
 * handed to the store (before it is durable, so that its projection row carries it), in
 * journal order; rebuilt by counting on replay.
 */
export interface EventNumbering {
  /** The last sequence handed out. */
  assigned: number;
}

export type EventListener = (committed: CommittedBatch) => void;

/** When a request arrived, as an adapter noted it (the network's clock, ms since the epoch). */
export interface Arrival {
  readonly receivedAt?: number;
}

/**
 * The UETR of a payment that named none: derived from the sender and the id it chose, so that a
 * retry with the same id and fields is the same request (a fresh random UETR would make every
 * retry "the same id with other fields"); random when the network picks the id too.
 */
export function defaultUetr(actor: string, id: string | undefined): string {
  if (id === undefined) return randomUUID();
  const hex = createHash('sha256').update(`uetr\n${actor}\n${id}`).digest('hex');
  const variant = '89ab'[Number.parseInt(hex[16] ?? '0', 16) & 3] ?? '8';
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * What takes the network's commands: the commit pipeline on a writer, or on a standby that
 * follows the writer's journal (follower.ts) one that refuses them with not_writer.
 */
export interface CommandSink {
  submit(commands: readonly NetworkCommand[]): Promise<NetworkResult[]>;
  readonly queueDepth: number;
  /** The last journal entry applied to this node's engine (durable). */
  readonly journalTail: JournalEntry | undefined;
  /** Why the writer stopped for good (a batch could not be made durable), if it has. */
  readonly failure?: Error | undefined;
  close(): Promise<void>;
}

export class Network {
  private readonly listeners = new Set<EventListener>();
  private readonly batchListeners = new Set<(stats: BatchStats) => void>();
  private readonly failureListeners = new Set<(error: Error) => void>();
  /** How this node rebuilt its state when it opened (snapshot used, entries replayed). */
  recovery: RecoveryReport | undefined;
  /** @internal the writer's snapshots, if it takes any. */
  snapshotter: Snapshotter | undefined;

  constructor(
    readonly engine: NetworkEngine,
    private currentStore: Store,
    private pipeline: CommandSink,
    private readonly screener: PartyScreener | undefined,
    /** The event feed's numbering as of the journal's tail. */
    numbering: EventNumbering,
    /**
     * The network's clock (ms since the epoch): the time batches are applied at. Adapters that
     * reason about time (today's figures, token expiry) read it from here, so that a test or a
     * simulation that injects a clock sees one consistent time.
     */
    readonly clock: () => number = Date.now,
  ) {
    this.reads = new NetworkReads(() => this.currentStore);
    this.published = numbering.assigned;
  }

  /** Payments, quotes and the event feed, from the store's projections (read-your-writes). */
  readonly reads: NetworkReads;

  /** The sequence of the last status change published to subscribers (durable). */
  private published: number;

  /** The event feed's last durable sequence (what a stream's `hello` starts from). */
  get lastEventSequence(): number {
    return this.published;
  }

  /** The network's current time, from its clock. */
  now(): number {
    return this.clock();
  }

  /**
   * How long the engine remembers a finished payment (in full, then compact), in ms from when
   * it finished: the longer of settings.paymentRetentionDays and returnWindowDays; Infinity
   * for a network configured before the return window existed. An adapter that indexes
   * payments keeps them this long (src/iso20022/corridor/payment-lookup.ts).
   */
  paymentWindowMs(): number {
    return idWindowMs(this.engine.state.settings);
  }

  /**
   * The network ids of the payments the engine holds (open ones, and finished ones inside the
   * window): live state, never all of history. Their records are in `reads`.
   */
  heldPaymentIds(): string[] {
    return [...this.engine.state.payments.keys(), ...this.engine.state.settled.keys()];
  }

  get store(): Store {
    return this.currentStore;
  }

  /**
   * @internal A standby becoming the writer (follower.ts): from now on commands go to
   * `pipeline` and reads to `store`. Answers the sink and store it replaced, to close.
   */
  takeOver(store: Store, pipeline: CommandSink): { store: Store; pipeline: CommandSink } {
    const replaced = { store: this.currentStore, pipeline: this.pipeline };
    this.currentStore = store;
    this.pipeline = pipeline;
    return replaced;
  }

  /** Low level: submits commands that share one batch; resolves once they are durable. */
  submit(commands: readonly NetworkCommand[]): Promise<NetworkResult[]> {
    return this.pipeline.submit(commands);
  }

  async run(command: NetworkCommand): Promise<NetworkResult> {
    const [result] = await this.pipeline.submit([command]);
    if (result === undefined) throw new Error('run: no result');
    return result;
  }

  get queueDepth(): number {
    return this.pipeline.queueDepth;
  }

  get journalTail(): JournalEntry | undefined {
    return this.pipeline.journalTail;
  }

  /**
   * Why this node's writer stopped, if it has: a batch could not be applied or made durable
   * (disk full, an I/O error, another process writing the files …). From then on every command
   * is refused with pipeline_failed; only a restart (after the fault is cleared) recovers.
   */
  get failure(): Error | undefined {
    return this.pipeline.failure;
  }

  /** Calls `listener` once when the writer stops (at once if it already has). */
  onFailure(listener: (error: Error) => void): () => void {
    const failure = this.failure;
    if (failure !== undefined) {
      listener(failure);
      return () => undefined;
    }
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
  }

  /** @internal called by the pipeline once, when the writer stops. */
  reportFailure(error: Error): void {
    const listeners = [...this.failureListeners];
    this.failureListeners.clear();
    for (const listener of listeners) listener(error);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Statistics of every batch the pipeline runs (size, commit time, queue depth), for metrics. */
  onBatchStats(listener: (stats: BatchStats) => void): () => void {
    this.batchListeners.add(listener);
    return () => this.batchListeners.delete(listener);
  }

  /** @internal called by the pipeline after each batch. */
  reportBatch(stats: BatchStats): void {
    for (const listener of this.batchListeners) listener(stats);
  }

  /** @internal called by the pipeline after each durable commit, with its first event's number. */
  publish(batch: NetworkBatch, first: number): void {
    const appended = batch.context.changes.events;
    if (appended.length > 0) this.published = first + appended.length - 1;
    if (this.listeners.size === 0) return;
    const events = appended.map((event, index) => ({ sequence: first + index, event }));
    const payments = batch.context.changes.payments;
    for (const listener of this.listeners) listener({ events, payments, batch });
  }

  /** Builds the network a validated configuration describes (the first thing a network does). */
  configureFrom(config: NetworkConfigFile, now = Date.now()): Promise<NetworkResult[]> {
    return this.pipeline.submit(configToCommands(config, now));
  }

  addParticipant(actor: string, participant: ParticipantSpec): Promise<NetworkResult> {
    return this.run({ type: 'add_participant', actor, participant });
  }

  setParticipantStatus(
    actor: string,
    participantId: string,
    status: ParticipantStatus,
  ): Promise<NetworkResult> {
    return this.run({ type: 'set_participant_status', actor, participantId, status });
  }

  setCurrencyRules(actor: string, currency: string, rules: CurrencyRules): Promise<NetworkResult> {
    return this.run({ type: 'set_currency_rules', actor, currency, rules });
  }

  grantCredit(
    actor: string,
    participantId: string,
    currency: string,
    limit: bigint,
  ): Promise<NetworkResult> {
    return this.run({ type: 'grant_credit', actor, participantId, currency, limit });
  }

  /** The issuer sets a participant's standing facility (src/engine/facilities.ts). */
  setFacility(
    actor: string,
    fields: { participantId: string; currency: string; limit: bigint; rateBps: number },
  ): Promise<NetworkResult> {
    return this.run({ type: 'set_facility', actor, ...fields });
  }

  drawFacility(actor: string, currency: string, amount: bigint): Promise<NetworkResult> {
    return this.run({ type: 'draw_facility', actor, currency, amount });
  }

  repayFacility(actor: string, currency: string): Promise<NetworkResult> {
    return this.run({ type: 'repay_facility', actor, currency });
  }

  /** The issuer of `currency` sets a swap line to another central bank (swap-lines.ts). */
  setSwapLine(
    actor: string,
    fields: { holder: string; currency: string; limit: bigint; rateBps: number;
      tenorDays: number },
  ): Promise<NetworkResult> {
    return this.run({ type: 'set_swap_line', actor, ...fields });
  }

  drawSwapLine(actor: string, currency: string, amount: bigint): Promise<NetworkResult> {
    return this.run({ type: 'draw_swap_line', actor, currency, amount });
  }

  lendSwapFunds(
    actor: string,
    fields: { providerId: string; currency: string; amount: bigint },
  ): Promise<NetworkResult> {
    return this.run({ type: 'lend_swap_funds', actor, ...fields });
  }

  repaySwapFunds(actor: string, holder: string, currency: string): Promise<NetworkResult> {
    return this.run({ type: 'repay_swap_funds', actor, holder, currency });
  }

  repaySwapLine(actor: string, currency: string): Promise<NetworkResult> {
    return this.run({ type: 'repay_swap_line', actor, currency });
  }

  issue(
    actor: string,
    fields: { id?: string; participantId: string; currency: string; amount: bigint },
  ): Promise<NetworkResult> {
    return this.run({ type: 'issue', actor, id: fields.id ?? randomUUID(), ...fields });
  }

  redeem(
    actor: string,
    fields: { id?: string; participantId: string; currency: string; amount: bigint },
  ): Promise<NetworkResult> {
    return this.run({ type: 'redeem', actor, id: fields.id ?? randomUUID(), ...fields });
  }

  publishRate(actor: string, rate: RateSpec): Promise<NetworkResult> {
    return this.run({ type: 'publish_rate', actor, rate });
  }

  quote(actor: string, request: QuoteRequest): Promise<NetworkResult> {
    return this.run(this.quoteCommand(actor, request));
  }

  /** The command a quote request becomes, its id filled in. */
  quoteCommand(actor: string, request: QuoteRequest): NetworkCommand {
    return {
      type: 'create_quote',
      actor,
      quoteId: request.quoteId ?? `qt_${randomUUID()}`,
      source: request.source,
      target: request.target,
      fixed: request.fixed,
      amount: request.amount,
      ...(request.routing === undefined ? {} : { routing: request.routing }),
    };
  }

  /**
   * Quote and pay in one batch (docs/payments.md "Quote and pay at once"): the quote's command,
   * then the payment's using it, submitted together, so that no other command comes between
   * them. The quote's id is derived from the payment's (inlineQuoteId), so that a retry of the
   * same payment replays the same quote rather than asking for another.
   */
  quoteAndPayCommands(
    actor: string,
    quote: InlineQuoteRequest,
    input: InlineQuotePaymentInput,
    options: Arrival = {},
  ): [NetworkCommand, NetworkCommand] | Promise<[NetworkCommand, NetworkCommand]> {
    const id = input.id ?? `pmt_${randomUUID()}`;
    const quoteId = inlineQuoteId(id);
    const quoteCommand = this.quoteCommand(actor, { ...quote, quoteId });
    const payment = this.paymentCommand(actor, { ...input, id, quoteId }, options);
    return payment instanceof Promise
      ? payment.then((command): [NetworkCommand, NetworkCommand] => [quoteCommand, command])
      : [quoteCommand, payment];
  }

  /**
   * Asks for a quote and pays with it at once (one batch, one durable commit). Refused quote:
   * its refusal (the payment, which found no quote, changed nothing either). Refused payment:
   * its refusal, and the quote stays, unused, until it expires (a retry of the same payment id
   * uses it again). Otherwise the payment's result, with the quote beside it.
   */
  async quoteAndPay(
    actor: string,
    quote: InlineQuoteRequest,
    input: InlineQuotePaymentInput,
    options: Arrival = {},
  ): Promise<NetworkResult> {
    const commands = await this.quoteAndPayCommands(actor, quote, input, options);
    const [quoted, paid] = await this.submit(commands);
    return combineQuoteAndPay(quoted, paid);
  }

  /**
   * The command a payment becomes: ids filled in, parties screened, and the time it arrived
   * (`options.receivedAt`, the network's clock, when an adapter noted it as the request came
   * in; else now, the library call) recorded for time to credit. Screening may wait for a
   * screening thread (ScreeningPool): it happens here, before the command enters the queue, so
   * the thread that applies batches never screens.
   */
  paymentCommand(actor: string, input: PaymentInput, options: Arrival = {}):
  NetworkCommand | Promise<NetworkCommand> {
    const receivedAt = options.receivedAt ?? this.clock();
    const payment: PaymentRequest = {
      ...input,
      id: input.id ?? `pmt_${randomUUID()}`,
      uetr: input.uetr ?? defaultUetr(actor, input.id),
      debtorAgent: actor,
    };
    const verdict = this.screener?.screenParties({
      debtor: payment.debtor.name,
      creditor: payment.creditor.name,
    }) ?? CLEAR;
    const command = (screening: ScreeningVerdict): NetworkCommand =>
      ({ type: 'create_payment', actor, payment, screening, receivedAt });
    return verdict instanceof Promise ? verdict.then(command) : command(verdict);
  }

  /**
   * Pays. With screening in this thread (or none), the payment enters the queue before this call
   * returns, so commands submitted after it without waiting come after it in the same batch;
   * with screening threads it enters when its verdict arrives (docs/sanctions.md).
   */
  pay(actor: string, input: PaymentInput, options: Arrival = {}): Promise<NetworkResult> {
    const command = this.paymentCommand(actor, input, options);
    return command instanceof Promise
      ? command.then((ready) => this.run(ready))
      : this.run(command);
  }

  /** Cancels the actor's own payment waiting in the settlement queue (RJCT DS02). */
  cancelQueued(actor: string, paymentId: string): Promise<NetworkResult> {
    return this.run({ type: 'cancel_queued', actor, paymentId });
  }

  /** Puts the actor's named queued payments in this order among the places they hold. */
  reorderQueue(actor: string, paymentIds: readonly string[]): Promise<NetworkResult> {
    return this.run({ type: 'reorder_queue', actor, paymentIds });
  }

  setQueuePriority(
    actor: string,
    paymentId: string,
    priority: 'urgent' | 'normal',
  ): Promise<NetworkResult> {
    return this.run({ type: 'set_queue_priority', actor, paymentId, priority });
  }

  /**
   * A tick: runs the settlement queue's deadlines and resolution pass at the clock's time even
   * when no command comes (a server calls it every queue cycle while anything waits).
   */
  runQueue(): Promise<NetworkResult> {
    return this.run({ type: 'run_queue', actor: this.engine.state.settings.operatorId });
  }

  accept(actor: string, paymentId: string): Promise<NetworkResult> {
    return this.run({ type: 'accept_payment', actor, paymentId });
  }

  reject(
    actor: string,
    paymentId: string,
    reason: PaymentReason,
    detail?: string,
  ): Promise<NetworkResult> {
    return this.run({
      type: 'reject_payment',
      actor,
      paymentId,
      reason,
      ...(detail === undefined ? {} : { detail }),
    });
  }

  review(actor: string, paymentId: string, decision: 'release' | 'reject'): Promise<NetworkResult> {
    return this.run({ type: 'review_payment', actor, paymentId, decision });
  }

  returnPayment(
    actor: string,
    fields: {
      originalPaymentId: string;
      amount: bigint;
      reason: ReturnReason;
      returnId?: string;
      quoteId?: string;
      uetr?: string;
      iso?: IsoOrigin;
      /** When the request arrived (the network's clock); default: now. */
      receivedAt?: number;
    },
  ): Promise<NetworkResult> {
    return this.run(this.returnCommand(actor, fields));
  }

  /** The command a return becomes, ids filled in (for callers that batch several). */
  returnCommand(actor: string, fields: Parameters<Network['returnPayment']>[1]): NetworkCommand {
    return {
      type: 'return_payment',
      actor,
      returnId: fields.returnId ?? `rtn_${randomUUID()}`,
      originalPaymentId: fields.originalPaymentId,
      amount: fields.amount,
      reason: fields.reason,
      uetr: fields.uetr ?? defaultUetr(actor, fields.returnId),
      ...(fields.quoteId === undefined ? {} : { quoteId: fields.quoteId }),
      ...(fields.iso === undefined ? {} : { iso: fields.iso }),
      receivedAt: fields.receivedAt ?? this.clock(),
    };
  }

  participant(id: string): Participant | undefined {
    return this.engine.state.participants.get(id);
  }

  participants(): Participant[] {
    return [...this.engine.state.participants.values()];
  }

  balance(participantId: string, currency: string): Balance | undefined {
    const state = this.engine.state;
    const issuer = state.currencies.get(currency)?.issuer === participantId;
    return state.ledger.balance(
      issuer
        ? issuanceAccountId(participantId, currency)
        : settlementAccountId(participantId, currency),
    );
  }

  supply(currency: string): bigint | undefined {
    return this.engine.supply(currency);
  }

  /**
   * A payment by its network id, while the engine holds it: in full, or as the compact record
   * of a finished one inside its return window (src/engine/payments/retention.ts).
   */
  payment(id: string): Payment | undefined {
    return heldPayment(this.engine.state, id);
  }

  /**
   * Every payment the engine holds: open and recently finished ones in full, then the compact
   * records of finished ones inside their return window. Older ones are in storage only.
   */
  *heldPayments(): IterableIterator<Payment> {
    yield* this.engine.state.payments.values();
    for (const record of this.engine.state.settled.values()) yield record.payment;
  }

  /**
   * `actor`'s quote still live in the engine (by the id it chose or its network id), for
   * building a payment that uses it: a quote the engine no longer holds cannot be paid with.
   * Reads of quotes go through `reads`.
   */
  liveQuoteOf(actor: string, reference: string): Quote | undefined {
    return ownQuoteAt(this.engine.state, 'scoped', actor, reference, Number.NEGATIVE_INFINITY);
  }

  /** The currencies the network settles, with their issuers. */
  currencies(): CurrencyDefinition[] {
    return [...this.engine.state.currencies.values()];
  }

  /**
   * A payment the engine still holds (open payments always are; finished ones leave it after
   * their retention), for adapters that act only on open payments. Reads go through `reads`.
   */
  livePayment(id: string): Payment | undefined {
    return this.engine.state.payments.get(id);
  }

  /** Whether the network settles `currency`. */
  hasCurrency(currency: string): boolean {
    return this.engine.state.currencies.has(currency);
  }

  /** The issuer of `currency`, if the network settles it. */
  issuerOf(currency: string): string | undefined {
    return this.engine.state.currencies.get(currency)?.issuer;
  }

  /** Commits what is queued and in flight, then closes the store. */
  async close(): Promise<void> {
    await this.pipeline.close();
    await this.snapshotter?.lastWrite;
    await this.store.close();
  }
}

export function networkMachine(engine: NetworkEngine) {
  return {
    applyBatch(commands: readonly NetworkCommand[], now: number) {
      const batch = engine.apply(commands, now);
      const ledgerChanged = batch.context.ledgerOutcomes.some(
        (outcome) => outcome.applied.length > 0 || outcome.expired.length > 0,
      );
      // A settlement-queue pass changes state even when it settles nothing (queue.ts).
      const changed = batch.applied.length > 0 || ledgerChanged ||
        batch.context.changes.events.length > 0 || batch.context.queueRan;
      return {
        results: batch.results,
        batch: { payload: changed ? encodeNetworkCommands(batch.applied) : null, output: batch },
      };
    },
  };
}

export interface RebuiltNetwork {
  readonly engine: NetworkEngine;
  /** The event feed's numbering as of the tail: its status changes, counted. */
  readonly numbering: EventNumbering;
  readonly tail: Awaited<ReturnType<typeof replayJournal>>['tail'];
}

/** Replays a network journal into a fresh engine from genesis, numbering the event feed. */
export async function rebuildNetwork(
  store: Store,
  onProgress?: Parameters<typeof replayJournal>[2],
): Promise<RebuiltNetwork> {
  const { engine, numbering, tail } =
    await recoverNetwork(store, { useSnapshots: false, onProgress });
  return { engine, numbering, tail };
}

export interface WriterParts {
  readonly engine: NetworkEngine;
  readonly numbering: EventNumbering;
  readonly store: Store;
  readonly tail: JournalEntry | undefined;
  /** The network whose subscribers hear of each durable batch (set once it exists). */
  readonly network: () => Network | undefined;
  readonly snapshots?: Snapshotter;
}

/** The commit pipeline of a writer: applies commands, journals them, then tells subscribers. */
export function writerPipeline(
  parts: WriterParts,
  options: Omit<NetworkOptions, 'store' | 'screener'>,
): CommitPipeline<NetworkCommand, NetworkResult, NetworkBatch> {
  const { engine, numbering, store } = parts;
  return new CommitPipeline<NetworkCommand, NetworkResult, NetworkBatch>(
    {
      machine: networkMachine(engine),
      persist: async (entry, batch) => {
        // Numbered now, in journal order: a later batch may be handed over before this one
        // is durable.
        const first = numbering.assigned + 1;
        numbering.assigned += batch.context.changes.events.length;
        // The state is now exactly the state after `entry`: the next batch is not applied yet.
        const snapshot = parts.snapshots?.capture(entry, batch.applied.length);
        try {
          await store.commit({
            entry,
            ledger: mergeOutcomes(batch.context.ledgerOutcomes, batch.now),
            writes: projectionWrites(batch, entry.sequence, first),
          });
        } catch (error) {
          if (snapshot !== undefined) parts.snapshots?.abandon();
          throw error;
        }
        parts.network()?.publish(batch, first);
        if (snapshot !== undefined) parts.snapshots?.write(snapshot);
      },
      tail: parts.tail,
      onBatch: (stats) => {
        options.onBatch?.(stats);
        parts.network()?.reportBatch(stats);
      },
      onFatal: (error) => {
        options.onFatal?.(error);
        parts.network()?.reportFailure(error);
      },
    },
    options,
  );
}

/**
 * Opens the store, rebuilds the network from its newest snapshot that verifies and the journal
 * after it (from genesis when there is none), and starts the pipeline.
 */
export async function openNetwork(options: NetworkOptions): Promise<Network> {
  const { store } = options;
  const opening = performance.now();
  await store.addLayer(NETWORK_LAYER);
  await store.open();
  const storeOpenMs = performance.now() - opening;
  const recovered = await recoverNetwork(store);
  const { engine, numbering, tail } = recovered;
  const report: RecoveryReport = { ...recovered.report,
    phases: { ...(recovered.report.phases ?? noPhases()), storeOpenMs } };
  options.onRecovered?.(report, describeRecovery(report));
  const clock = options.clock ?? Date.now;
  const snapshots = new Snapshotter(store, engine, numbering, options.snapshots ?? {}, clock,
    // Counted from the snapshot it recovered from: a long replay is snapshotted at once.
    { sequence: report.snapshot?.sequence ?? 0, now: tail?.now ?? 0,
      commands: report.replayedCommands ?? 0 });
  const holder: { network?: Network } = {};
  const pipeline = writerPipeline(
    { engine, numbering, store, tail, network: () => holder.network, snapshots },
    options,
  );
  holder.network = new Network(
    engine,
    store,
    pipeline,
    options.screener,
    numbering,
    clock,
  );
  holder.network.recovery = report;
  holder.network.snapshotter = snapshots;
  return holder.network;
}
