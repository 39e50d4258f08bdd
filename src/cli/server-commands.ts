// Commands that run a node or work on a data directory: init, start, demo, verify.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { webhookAllowEntries } from '../api/webhook-policy.js';
import type { NodeConfig } from '../server/node-config.js';
import type { RunningNode } from '../server/node.js';
import { CliError, EXIT, printRecord, printTable, tableText } from './output.js';

interface NodeFlags {
  dataDir?: string;
  port?: string;
  host?: string;
  nodeConfig?: string;
  logLevel?: string;
  traffic?: string;
  store?: string;
  webhookAllow?: string;
  snapshotEveryEntries?: string;
  snapshotEveryMinutes?: string;
  snapshotEveryCommands?: string;
  json?: boolean;
}

/** A numeric flag as given (the configuration's schema judges it), or undefined when absent. */
const numberOf = (text: string | undefined): number | undefined =>
  text === undefined ? undefined : Number(text);

// The configuration's schema compiler (ajv) loads only for the commands that need it.
async function nodeConfigOf(flags: NodeFlags): Promise<NodeConfig> {
  const { loadNodeConfig } = await import('../server/node-config.js');
  return loadNodeConfig({
    ...(flags.nodeConfig === undefined ? {} : { file: flags.nodeConfig }),
    environment: process.env,
    flags: {
      dataDir: flags.dataDir,
      host: flags.host,
      logLevel: flags.logLevel,
      port: numberOf(flags.port),
      trafficPerSecond: numberOf(flags.traffic),
      store: flags.store,
      snapshotEveryEntries: numberOf(flags.snapshotEveryEntries),
      snapshotEveryMinutes: numberOf(flags.snapshotEveryMinutes),
      snapshotEveryCommands: numberOf(flags.snapshotEveryCommands),
      webhookAllow:
        flags.webhookAllow === undefined ? undefined : webhookAllowEntries(flags.webhookAllow),
    },
  });
}

function withNodeFlags(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'data directory (env CORRIDOR_DATA_DIR)')
    .option('--port <port>', 'HTTP port (env PORT); 0 picks a free one')
    .option('--host <host>', 'address to listen on (env HOST)')
    .option('--node-config <file>', 'a JSON file of node settings')
    .option('--store <url>', "'sqlite' (default) or postgres://… (env DATABASE_URL)")
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent')
    .option('--snapshot-every-entries <n>',
      'snapshot the state every n journal entries; 0: never (default 10000)')
    .option('--snapshot-every-minutes <m>',
      'and every m minutes when anything was journaled (default 10; 0: no timer)')
    .option('--snapshot-every-commands <n>',
      'and once n commands were journaled since the last (default 1000000; 0: no such trigger)')
    .option(
      '--webhook-allow <list>',
      'non-public webhook targets to allow, for tests: "127.0.0.1/32,::1" (env CORRIDOR_WEBHOOK_ALLOW)',
    );
}

/** Exit status of a node whose writer stopped (EX_IOERR): restart it once the fault is cleared. */
export const EXIT_WRITER_STOPPED = 74;
/** How long a node whose writer stopped may take to close before it exits anyway. */
const WRITER_STOPPED_CLOSE_MS = 5_000;

/**
 * The process's lifecycle around a node: SIGINT/SIGTERM stop it gracefully (exit 0), also
 * while it is still starting or a standby waiting for the lease; a writer that stops exits
 * with EXIT_WRITER_STOPPED.
 */
class NodeLifecycle {
  readonly abort = new AbortController();
  private node: RunningNode | undefined;
  private stopping = false;

  constructor() {
    process.on('SIGINT', () => this.stop('SIGINT'));
    process.on('SIGTERM', () => this.stop('SIGTERM'));
  }

  /** The node started: a signal that came while it started stops it now. */
  running(node: RunningNode): void {
    this.node = node;
    if (this.stopping) this.exitAfter(node.stop(), 0);
  }

  /** startNode() failed: after a signal it was aborted, a clean stop. */
  startFailed(error: unknown): void {
    if (this.stopping) process.exit(0);
    throw error;
  }

  private stop(signal: string): void {
    if (this.stopping) return;
    this.stopping = true;
    process.stderr.write(`\n${signal}: committing in-flight batches and stopping…\n`);
    if (this.node === undefined) this.abort.abort();
    else this.exitAfter(this.node.stop(), 0);
  }

  writerStopped(error: Error): void {
    process.stderr.write(`corridor: the writer stopped: ${error.message} Exiting with status ` +
      `${EXIT_WRITER_STOPPED}; restart the node once the fault is cleared.\n`);
    if (this.stopping) return;
    this.stopping = true;
    const closing = this.node?.stop() ?? Promise.resolve();
    const bounded = new Promise((resolve) => setTimeout(resolve, WRITER_STOPPED_CLOSE_MS).unref());
    void Promise.race([closing.catch(() => undefined), bounded])
      .then(() => process.exit(EXIT_WRITER_STOPPED));
  }

  private exitAfter(stopped: Promise<void>, code: number): void {
    stopped.then(
      () => process.exit(code),
      (error: unknown) => {
        process.stderr.write(`Stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  }
}

/** The bank whose key the printout offers to export: the one the docs' examples pay from. */
const EXAMPLE_BANK = 'br-atlantico';

interface KeyRow {
  readonly participant: string;
  readonly role: string;
  readonly country: string;
  readonly currencies: string;
  readonly key: string;
}

function keyRows(node: RunningNode): KeyRow[] {
  const participants = new Map(node.network.participants().map((p) => [p.id, p]));
  return node.keys.map((key) => {
    const participant = participants.get(key.participantId);
    return {
      participant: key.participantId,
      role: participant?.kind ?? '',
      country: participant?.country ?? '',
      currencies: participant?.currencies.join(' ') ?? '',
      key: key.key,
    };
  });
}

/** The key the printout offers to export: the example bank's in the demo, else the first. */
function exampleKey(rows: readonly KeyRow[]): KeyRow | undefined {
  return (
    rows.find((row) => row.participant === EXAMPLE_BANK) ??
    rows.find((row) => row.role === 'bank') ??
    rows[0]
  );
}

/**
 * Ready to paste: the URL the node listens on and one key, with a sentence above it saying
 * whose (no trailing comment: zsh without interactive_comments would take it as arguments).
 */
function exportLines(url: string, rows: readonly KeyRow[]): string[] {
  const chosen = exampleKey(rows);
  if (chosen === undefined) return [];
  const what = [chosen.role, chosen.country, chosen.currencies].filter((part) => part !== '');
  return [
    `In another terminal, paste this to act as ${chosen.participant} (${what.join(', ')}), ` +
      'or use another key above:\n',
    `  export CORRIDOR_URL=${url} CORRIDOR_API_KEY=${chosen.key}\n`,
  ];
}

function announce(node: RunningNode, flags: NodeFlags, demo: boolean): void {
  const rows = keyRows(node);
  if (flags.json === true) {
    process.stdout.write(`${JSON.stringify({ url: node.url, resumed: node.resumed, keys: rows })}\n`);
    return;
  }
  const operatorKey = rows.find((row) => row.participant === 'operator')?.key ?? '<operator key>';
  const out: string[] = [
    `\nCorridor ${demo ? 'demo network' : 'node'} is running at ${node.url}`,
    `  dashboard  ${node.url}/`,
    `  API docs   ${node.url}/docs`,
    `  OpenAPI    ${node.url}/openapi.json`,
    `  metrics    curl -H "Authorization: Bearer ${operatorKey}" ${node.url}/metrics`,
    '             (or a scrape token: CORRIDOR_METRICS_TOKEN; see docs/api.md)',
    node.resumed ? '  resumed from the data directory' : '  new network created',
  ];
  if (rows.length > 0) {
    out.push(
      demo
        ? '\nDemo API keys (kept in the data directory for the demo only):\n'
        : '\nOperator API key (shown once; store it safely):\n',
      tableText(rows, ['participant', 'role', 'country', 'currencies', 'key']),
    );
  }
  out.push(...exportLines(node.url, rows));
  out.push('Press Ctrl+C to stop.\n');
  process.stdout.write(out.join('\n'));
}

/** Exit status of a writer that lost its lease (EX_TEMPFAIL): restart it as a standby. */
const EXIT_LEASE_LOST = 75;

function announceStandby(url: string, flags: NodeFlags): void {
  process.stdout.write(flags.json === true ? `${JSON.stringify({ standby: url })}\n`
    : `Standby at ${url}: another node holds the writer lease. Serving reads from the ` +
      'journal it follows (writes get 503 not_writer); waiting to take over…\n');
}

/** corridor start: on PostgreSQL, a standby until it holds the writer lease. */
async function startCommand(flags: NodeFlags): Promise<void> {
  const config = await nodeConfigOf(flags);
  const { startNode } = await import('../server/node.js');
  const { holdsNetwork, storeLabel } = await import('../server/store-config.js');
  if (!(await holdsNetwork(config))) {
    throw new CliError(
      `No network in ${storeLabel(config)}: run "corridor init --config FILE" with the same ` +
        'data directory or store first.',
    );
  }
  const lifecycle = new NodeLifecycle();
  const node = await startNode({
    config: { ...config, trafficPerSecond: 0 },
    mode: 'network',
    onStandby: (url) => announceStandby(url, flags),
    onLeaseLost: (error) => {
      process.stderr.write(`corridor: ${error.message} Exiting.\n`);
      process.exit(EXIT_LEASE_LOST);
    },
    onWriterStopped: (error) => lifecycle.writerStopped(error),
    signal: lifecycle.abort.signal,
  }).catch((error: unknown) => lifecycle.startFailed(error));
  if (node === undefined) return;
  lifecycle.running(node);
  announce(node, flags, false);
}

export function registerServerCommands(program: Command): void {
  withNodeFlags(
    program.command('demo').description('run the BRICS demo network with generated trade traffic'),
  )
    .option(
      '--traffic <perSecond>',
      'generated payments per second (env CORRIDOR_TRAFFIC_PER_SECOND)',
    )
    .option('--json', 'print the URL and keys as JSON')
    .action(async (flags: NodeFlags) => {
      // The server's modules load only for the commands that run one: client commands stay quick.
      const { startNode } = await import('../server/node.js');
      const lifecycle = new NodeLifecycle();
      const node = await startNode({ config: await nodeConfigOf(flags), mode: 'demo',
        onWriterStopped: (error) => lifecycle.writerStopped(error),
        signal: lifecycle.abort.signal,
      }).catch((error: unknown) => lifecycle.startFailed(error));
      if (node === undefined) return;
      lifecycle.running(node);
      announce(node, flags, true);
    });

  withNodeFlags(program.command('start').description('run a node on a data directory'))
    .option('--json', 'print the URL as JSON')
    .action(startCommand);

  program
    .command('init')
    .description('create a network from a configuration file')
    .requiredOption(
      '--config <file>',
      'the network configuration (JSON; see docs/network-config.md)',
    )
    .option('--data-dir <dir>', 'data directory (env CORRIDOR_DATA_DIR)')
    .option('--store <url>', "'sqlite' (default) or postgres://… (env DATABASE_URL)")
    .option('--json', 'print the result as JSON')
    .action(async (flags: NodeFlags & { config: string }) => {
      const { parseNetworkConfig } = await import('../service/config.js');
      const { loadNodeConfig } = await import('../server/node-config.js');
      const { startNode } = await import('../server/node.js');
      const { holdsNetwork, storeLabel } = await import('../server/store-config.js');
      const parsed = parseNetworkConfig(readFileSync(flags.config, 'utf8'));
      if (!parsed.ok) {
        printTable(parsed.errors, ['field', 'message'], flags.json === true ? { json: true } : {});
        throw new CliError(`${flags.config} is not a valid network configuration.`);
      }
      const config = loadNodeConfig({
        environment: process.env,
        flags: { dataDir: flags.dataDir, store: flags.store },
      });
      if (await holdsNetwork(config))
        throw new CliError(`${storeLabel(config)} already holds a network.`);
      const node = await startNode({
        config: { ...config, port: 0, trafficPerSecond: 0, logLevel: 'silent' },
        mode: 'network',
        networkConfig: parsed.config,
      });
      const summary = {
        dataDir: config.dataDir,
        ...(config.store === 'sqlite' ? {} : { store: storeLabel(config) }),
        participants: node.network.participants().length - 1,
        currencies: node.network.engine.state.currencies.size,
        operatorKey: node.keys[0]?.key ?? '',
      };
      await node.stop();
      printRecord(summary, flags.json === true ? { json: true } : {});
      if (flags.json !== true)
        process.stdout.write('The operator key is shown once: store it safely.\n');
    });
}

export { EXIT };
