// corridor verify: re-checks a data directory (or a PostgreSQL store) from storage alone, with
// a progress bar: the hash chain, every invariant, and the projections. It only reads: on
// SQLite it opens a read-only view of the files (a node may be running on them), on
// PostgreSQL it takes no lease. Exit codes: docs/cli.md.
// Its modules load lazily, so that other commands start fast (docs/cli.md).
import type { Command } from 'commander';
import type { NodeConfig } from '../server/node-config.js';
import type { Store } from '../storage/store.js';
import { CliError, EXIT, printRecord, printTable } from './output.js';

interface VerifyFlags {
  dataDir?: string;
  store?: string;
  json?: boolean;
}

/** A store that cannot be read without writing to it is refused, with exit status 3. */
function refusal(error: unknown): unknown {
  return error instanceof Error && error.name === 'SnapshotRefusedError'
    ? new CliError(`Cannot verify: ${error.message}`, EXIT.unavailable) : error;
}

/** Opens the store read-only (the SQLite view, or PostgreSQL reads). */
async function openReadOnly(config: NodeConfig): Promise<Store> {
  const { configuredStore } = await import('../server/store-config.js');
  let store: Store;
  try {
    store = configuredStore(config, true);
  } catch (error) {
    throw refusal(error);
  }
  try {
    await store.open();
  } catch (error) {
    await store.close().catch(() => undefined);
    throw refusal(error);
  }
  return store;
}

async function verifyCommand(flags: VerifyFlags): Promise<void> {
  const { SingleBar, Presets } = await import('cli-progress');
  const { loadNodeConfig } = await import('../server/node-config.js');
  const config = loadNodeConfig({
    environment: process.env,
    flags: { dataDir: flags.dataDir, store: flags.store },
  });
  const { verifyNetwork } = await import('../service/verify.js');
  const { SqliteSnapshot } = await import('../storage/sqlite/snapshot.js');
  const { holdsNetwork, storeLabel } = await import('../server/store-config.js');
  if (!(await holdsNetwork(config))) throw new CliError(`No network in ${storeLabel(config)}.`);
  // Verification only reads: it never writes to a directory or database a node may hold.
  const store = await openReadOnly(config);
  const json = flags.json === true;
  const bar = json || !process.stderr.isTTY ? undefined : new SingleBar(
    { format: 'verify [{bar}] {value}/{total} journal entries', stream: process.stderr },
    Presets.shades_classic);
  try {
    bar?.start((await store.journalTail())?.sequence ?? 0, 0);
    const report = await verifyNetwork(store, {
      onProgress: (progress) => bar?.update(progress.entries),
      ...(store instanceof SqliteSnapshot ? { projected: store.projected } : {}),
    });
    bar?.stop();
    const { problems, ...summary } = report;
    const rounded = { ...summary, durationMs: Math.round(summary.durationMs) };
    if (json) {
      printRecord({ ...rounded, problems }, { json: true });
    } else {
      printRecord(rounded, {});
      if (problems.length > 0) printTable(problems, ['code', 'message'], {});
    }
    if (!report.ok) {
      throw new CliError(`Verification failed: ${problems.length} problem(s).`,
        EXIT.verifyFailed);
    }
    if (!json) process.stdout.write('Verified: the chain is intact and every invariant holds.\n');
  } finally {
    bar?.stop();
    await store.close();
  }
}

export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description('check the hash chain and every invariant from storage (read-only)')
    .option('--data-dir <dir>', 'data directory (env CORRIDOR_DATA_DIR)')
    .option('--store <url>', "'sqlite' (default) or postgres://… (env DATABASE_URL)")
    .option('--json', 'print the report as JSON, problems included')
    .action(verifyCommand);
}
