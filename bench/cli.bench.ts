// How long a corridor command takes from the shell's point of view: a whole process, from spawn
// to exit, through bin/corridor.js as a user runs it. `corridor --version` measures start-up
// alone; `corridor status` adds one API call to a local node (an idle demo on SQLite, in this
// process). The same --version through tsx is recorded for comparison: what the CLI cost before
// it ran compiled JavaScript. Writes bench/results/cli.json.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { NODE_DEFAULTS } from '../src/server/node-config.js';
import { startNode } from '../src/server/node.js';
import { percentile, record, writeResults, type BenchRecord } from './_common.js';

const run = promisify(execFile);
const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const BIN = join(ROOT, 'bin', 'corridor.js');
const RUNS = Math.max(3, Math.min(101, Number(process.env['BENCH_CLI_RUNS'] ?? 21)));
const TSX_RUNS = Math.max(3, Math.round(RUNS / 4));

/** One whole process, spawn to exit. Asynchronous: the node it calls runs in this process. */
async function timed(args: readonly string[], environment: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  try {
    await run(process.execPath, [...args], { env: environment, timeout: 60_000 });
  } catch (error) {
    throw new Error(`${args.join(' ')} failed: ${String((error as { stderr?: string }).stderr)}`);
  }
  return performance.now() - started;
}

async function measure(
  name: string,
  command: string,
  runs: number,
  args: readonly string[],
  environment: NodeJS.ProcessEnv,
): Promise<BenchRecord> {
  await timed(args, environment); // warm the file cache
  const times: number[] = [];
  for (let index = 0; index < runs; index++) times.push(await timed(args, environment));
  times.sort((a, b) => a - b);
  const median = percentile(times, 0.5);
  return record({
    name,
    ops_per_sec: Number((1000 / median).toFixed(2)),
    p50_ms: median,
    p99_ms: percentile(times, 0.99),
    durable: false,
    cli_start_ms: Math.round(median),
    runs,
    command,
  });
}

async function main(): Promise<void> {
  // Measure what a user runs: dist/ compiled from these sources (bin/corridor.js would fall
  // back to tsx if dist/ were older than src/).
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p',
    join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build:cli failed');
  const dataDir = mkdtempSync(join(tmpdir(), 'corridor-bench-cli-'));
  const node = await startNode({
    config: { ...NODE_DEFAULTS, dataDir, port: 0, trafficPerSecond: 0, logLevel: 'silent' },
    mode: 'demo',
  });
  try {
    const key = node.keys.find((item) => item.participantId === 'br-atlantico')?.key ?? '';
    const environment = { ...process.env, CORRIDOR_URL: node.url, CORRIDOR_API_KEY: key };
    writeResults('cli', [
      await measure('cli_version', 'bin/corridor.js --version', RUNS, [BIN, '--version'], environment),
      await measure('cli_status', 'bin/corridor.js status', RUNS, [BIN, 'status'], environment),
      // Node itself, for scale: on a loaded machine every figure here grows with it.
      await measure('node_baseline', 'node -e 0', RUNS, ['-e', '0'], environment),
      await measure('cli_version_tsx', 'node --import tsx src/cli/main.ts --version', TSX_RUNS,
        ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), '--version'], environment),
    ]);
  } finally {
    await node.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
