// Commands that run a node or work on a data directory: init, start, demo, verify.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadNodeConfig, type NodeConfig } from '../server/node-config.js';
import type { RunningNode } from '../server/node.js';
import { CliError, EXIT, printRecord, printTable } from './output.js';

interface NodeFlags {
  dataDir?: string;
  port?: string;
  host?: string;
  nodeConfig?: string;
  logLevel?: string;
  traffic?: string;
  store?: string;
  json?: boolean;
}

function nodeConfigOf(flags: NodeFlags): NodeConfig {
  return loadNodeConfig({
    ...(flags.nodeConfig === undefined ? {} : { file: flags.nodeConfig }),
    environment: process.env,
    flags: {
      dataDir: flags.dataDir,
      host: flags.host,
      logLevel: flags.logLevel,
      port: flags.port === undefined ? undefined : Number(flags.port),
      trafficPerSecond: flags.traffic === undefined ? undefined : Number(flags.traffic),
      store: flags.store,
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
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent');
}

function stopOnSignals(node: RunningNode): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: committing in-flight batches and stopping…\n`);
    node.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

function announce(node: RunningNode, flags: NodeFlags, demo: boolean): void {
  const keys = node.keys.map((key) => ({ participant: key.participantId, key: key.key }));
  if (flags.json === true) {
    process.stdout.write(`${JSON.stringify({ url: node.url, resumed: node.resumed, keys })}\n`);
    return;
  }
  process.stdout.write(`\nCorridor ${demo ? 'demo network' : 'node'} is running at ${node.url}\n`);
  process.stdout.write(
    `  dashboard  ${node.url}/\n  API docs   ${node.url}/docs\n  OpenAPI    ${node.url}/openapi.json\n`,
  );
  const operatorKey = keys.find((key) => key.participant === 'operator')?.key ?? '<operator key>';
  process.stdout.write(
    `  metrics    curl -H "Authorization: Bearer ${operatorKey}" ${node.url}/metrics\n` +
      '             (or a scrape token: CORRIDOR_METRICS_TOKEN; see docs/api.md)\n',
  );
  process.stdout.write(
    node.resumed ? '  resumed from the data directory\n' : '  new network created\n',
  );
  if (keys.length > 0) {
    process.stdout.write(
      demo
        ? '\nDemo API keys (kept in the data directory for the demo only):\n'
        : '\nOperator API key (shown once; store it safely):\n',
    );
    printTable(keys, ['participant', 'key'], {});
  }
  process.stdout.write('\nPress Ctrl+C to stop.\n');
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
  const config = nodeConfigOf(flags);
  const { startNode } = await import('../server/node.js');
  const { holdsNetwork, storeLabel } = await import('../server/store-config.js');
  if (!(await holdsNetwork(config))) {
    throw new CliError(
      `No network in ${storeLabel(config)}: run "corridor init --config FILE" with the same ` +
        'data directory or store first.',
    );
  }
  const node = await startNode({
    config: { ...config, trafficPerSecond: 0 },
    mode: 'network',
    onStandby: (url) => announceStandby(url, flags),
    onLeaseLost: (error) => {
      process.stderr.write(`corridor: ${error.message} Exiting.\n`);
      process.exit(EXIT_LEASE_LOST);
    },
  });
  stopOnSignals(node);
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
      const node = await startNode({ config: nodeConfigOf(flags), mode: 'demo' });
      stopOnSignals(node);
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
      const { parseNetworkConfig } = await import('../network/config.js');
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
