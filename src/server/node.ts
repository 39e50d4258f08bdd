// A running Corridor node: a network on a data directory, the HTTP server, and (for the demo)
// generated traffic. Stopping it is graceful: the server stops taking requests, in-flight
// batches commit, then the store closes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { iso20022Plugin } from '../api/routes/iso20022.js';
import { buildServer } from '../api/server.js';
import { dashboardPlugin } from '../dashboard/plugin.js';
import {
  loadScreenerFromDirectory,
  SANCTIONS_SAMPLE_DIRECTORY,
} from '../compliance/party-screener.js';
import { openScreeningPool } from '../compliance/screening-pool.js';
import { TrafficGenerator } from '../demo/traffic.js';
import { createKeys, type ParticipantKey } from '../service/bootstrap.js';
import { describeRecovery } from '../service/snapshots.js';
import type { NetworkConfigFile } from '../service/config-schema.js';
import { demoNetworkConfig, loadReferenceRates } from '../service/demo.js';
import type { Network, PartyScreener } from '../service/service.js';
import type { Store } from '../storage/store.js';
import type { NodeConfig } from './node-config.js';
import { openNodeNetwork, type OpenedNetwork } from './store-config.js';

export { databasePath } from './store-config.js';

export interface RunningNode {
  readonly url: string;
  readonly network: Network;
  readonly app: FastifyInstance;
  /** Keys created by this start (the demo's are kept in the data directory and shown again). */
  readonly keys: readonly ParticipantKey[];
  readonly resumed: boolean;
  readonly traffic?: TrafficGenerator;
  stop(): Promise<void>;
}

export interface NodeOptions {
  readonly config: NodeConfig;
  /** 'demo': the BRICS demo network with traffic; 'network': a network from a config file. */
  readonly mode: 'demo' | 'network';
  /** For 'network' on an empty data directory: the network to build. */
  readonly networkConfig?: NetworkConfigFile;
  readonly screener?: PartyScreener;
  readonly store?: Store;
  /** On PostgreSQL, while another node holds the writer lease: this standby's URL. */
  readonly onStandby?: (url: string) => void;
  /**
   * On PostgreSQL, if this node loses the writer lease (its commits are refused from then on).
   * Default: stop the node. The CLI exits, for a supervisor to restart it as a standby.
   */
  readonly onLeaseLost?: (error: Error) => void;
  /**
   * If this node's writer stops for good (a batch could not be made durable: disk full, an
   * I/O error …). It is logged at error level, generated traffic stops, /ready answers 503 and
   * /health and /v1/status say why. Default: nothing more (the node serves reads). The CLI
   * exits non-zero, for a supervisor to restart the node once the fault is cleared.
   */
  readonly onWriterStopped?: (error: Error) => void;
  /**
   * Aborting it stops a standby that waits for the writer lease (startNode then rejects with
   * an AbortError, having closed everything); a node that runs is stopped with stop().
   */
  readonly signal?: AbortSignal;
}

/** startNode() was aborted through NodeOptions.signal before the node was running. */
export class NodeStartAborted extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('The node was stopped before it started.');
  }
}

const DEMO_KEYS_FILE = 'demo-keys.json';

async function firstStart(network: Network, options: NodeOptions): Promise<ParticipantKey[]> {
  const config = options.mode === 'demo'
    ? demoNetworkConfig(process.env['CORRIDOR_DEMO_PROFILE'] === 'benchmark' ? 'benchmark' : 'demo')
    : options.networkConfig;
  if (config === undefined) {
    throw new Error(
      'The data directory holds no network: run "corridor init --config FILE" first.',
    );
  }
  const results = await network.configureFrom(config);
  const refused = results.findIndex((result) => result.code !== 'ok');
  if (refused >= 0)
    throw new Error(`The network configuration was refused: ${JSON.stringify(results[refused])}`);
  const ids =
    options.mode === 'demo'
      ? network.participants().map((participant) => participant.id)
      : [network.engine.state.settings.operatorId];
  const keys = await createKeys(network, ids);
  if (options.mode === 'demo') {
    // Demo only: the keys are kept in the data directory so that a restart can show them again.
    writeFileSync(join(options.config.dataDir, DEMO_KEYS_FILE), JSON.stringify(keys, null, 2), {
      mode: 0o600,
    });
  }
  return keys;
}

function savedDemoKeys(dataDir: string): ParticipantKey[] {
  try {
    return JSON.parse(readFileSync(join(dataDir, DEMO_KEYS_FILE), 'utf8')) as ParticipantKey[];
  } catch {
    return [];
  }
}

function unitsPerUsd(): Map<string, number> {
  return new Map([...loadReferenceRates()].map(([code, text]) => [code, Number(text)]));
}

/** The keys of this start: a new network's (created now), or the demo's saved ones. */
async function keysOf(network: Network, options: NodeOptions): Promise<ParticipantKey[]> {
  if (!network.engine.state.configured) return firstStart(network, options);
  return options.mode === 'demo' ? savedDemoKeys(options.config.dataDir) : [];
}

/** A standby waits for the lease and takes over; if that fails, it stops and says why. */
async function awaitTakeOver(
  opened: OpenedNetwork,
  app: FastifyInstance,
  options: NodeOptions & { url: string },
): Promise<void> {
  if (opened.takeOver === undefined) return;
  options.onStandby?.(options.url);
  const takingOver = opened.takeOver();
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(new NodeStartAborted());
    if (options.signal?.aborted === true) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([takingOver, aborted]);
  } catch (error) {
    // Releasing the lease ends its polling; takeover may still have won the race: wait for it.
    await opened.lease?.release();
    await takingOver.catch(() => undefined);
    await app.close();
    await opened.network.close().catch(() => undefined);
    await opened.lease?.release();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    aborted.catch(() => undefined);
  }
  app.log.info('this node now holds the writer lease');
}

export async function startNode(options: NodeOptions): Promise<RunningNode> {
  const { config } = options;
  mkdirSync(config.dataDir, { recursive: true });
  const log: { app?: FastifyInstance } = {};
  // A screener the caller passes stays the caller's to close; the node closes its own.
  const own = options.screener === undefined
    ? await nodeScreener(config, (message) => log.app?.log.warn(message))
    : { screener: options.screener, close: async () => undefined };
  try {
    return await startWith(options, own.screener, log, own.close);
  } catch (error) {
    await own.close();
    throw error;
  }
}

/**
 * The node's screener: the sanctions lists of `sanctionsDir` (or the samples) screened on
 * `screeningThreads` threads (docs/sanctions.md, "Screening threads"), or in the writer's own
 * thread when that is 0.
 */
async function nodeScreener(
  config: NodeConfig,
  onProblem: (message: string) => void,
): Promise<{ screener: PartyScreener; close: () => Promise<void> }> {
  const directory = config.sanctionsDir ?? SANCTIONS_SAMPLE_DIRECTORY;
  const threshold = config.screeningThreshold;
  if (config.screeningThreads === 0) {
    return { screener: loadScreenerFromDirectory(directory, { threshold }).screener,
      close: async () => undefined };
  }
  const pool = await openScreeningPool({ directory, threshold, onProblem,
    ...(config.screeningThreads === undefined ? {} : { threads: config.screeningThreads }) });
  return { screener: pool, close: () => pool.close() };
}

async function startWith(
  options: NodeOptions,
  screener: PartyScreener,
  log: { app?: FastifyInstance },
  closeScreener: () => Promise<void>,
): Promise<RunningNode> {
  const { config } = options;
  const opened = await openNodeNetwork({ config, screener,
    ...(options.store === undefined ? {} : { store: options.store }),
    onFollowError: (error) => log.app?.log.warn({ err: error }, 'standby: following failed'),
    onSnapshot: (event) => {
      if (event.type === 'failed') {
        log.app?.log.warn({ err: event.error, sequence: event.sequence },
          'snapshot: the write failed; it is tried again later');
      } else {
        log.app?.log.info({ sequence: event.sequence, bytes: event.bytes,
          encodeMs: Math.round(event.encodeMs), sealMs: Math.round(event.sealMs),
          writeMs: Math.round(event.writeMs) },
        'snapshot written');
      }
    } });
  const { network } = opened;
  const resumed = network.engine.state.configured;
  // A writer creates a new network before it serves; a standby only once it has taken over.
  let keys = opened.takeOver === undefined ? await keysOf(network, options) : [];
  const { app } = await buildServer({
    network,
    logLevel: config.logLevel === 'silent' ? false : config.logLevel,
    rateLimitPerMinute: config.rateLimitPerMinute,
    unauthenticatedRateLimitPerMinute: config.unauthenticatedRateLimitPerMinute,
    publicMetrics: config.publicMetrics,
    ...(config.metricsToken === undefined ? {} : { metricsToken: config.metricsToken }),
    webhooksPath: join(config.dataDir, 'webhooks.json'),
    webhookAllow: config.webhookAllow,
    plugins: [dashboardPlugin(), iso20022Plugin()],
    standby: opened.standby,
  });
  log.app = app;
  if (network.recovery !== undefined) {
    const recovery = network.recovery;
    app.log[recovery.rejected.length > 0 ? 'warn' : 'info']({
      snapshot: recovery.snapshot?.sequence ?? null, replayedEntries: recovery.replayedEntries,
      replayedCommands: recovery.replayedCommands,
      rejected: recovery.rejected }, describeRecovery(recovery));
  }
  const url = await app.listen({ port: config.port, host: config.host });
  if (opened.takeOver !== undefined) {
    await awaitTakeOver(opened, app, { ...options, url });
    keys = await keysOf(network, options);
  }
  return running(network, app, opened, options, { url, keys, resumed, closeScreener });
}

function running(
  network: Network,
  app: FastifyInstance,
  opened: OpenedNetwork,
  options: NodeOptions,
  started: { url: string; keys: ParticipantKey[]; resumed: boolean;
    closeScreener: () => Promise<void> },
): RunningNode {
  const { config } = options;
  const traffic =
    options.mode === 'demo' && config.trafficPerSecond > 0
      ? new TrafficGenerator(network, unitsPerUsd(), {
          perSecond: config.trafficPerSecond,
          onError: (error) => app.log.warn({ err: error }, 'demo traffic error'),
        })
      : undefined;
  traffic?.start();
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await traffic?.stop();
      await app.close();
      await network.close();
      await started.closeScreener();
    })();
    return stopping;
  };
  network.onFailure((error) => {
    app.log.error({ err: error }, 'the writer stopped: this node refuses writes until restarted');
    void traffic?.stop();
    options.onWriterStopped?.(error);
  });
  opened.lease?.onLost((error) => {
    app.log.error({ err: error }, 'writer lease lost: this node no longer commits');
    if (options.onLeaseLost !== undefined) options.onLeaseLost(error);
    else void stop().catch(() => undefined);
  });
  const stopAndRelease = (): Promise<void> => stop().then(() => opened.lease?.release());
  return {
    ...started,
    network,
    app,
    stop: stopAndRelease,
    ...(traffic === undefined ? {} : { traffic }),
  };
}
