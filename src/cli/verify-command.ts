// corridor verify: re-checks a data directory (or a PostgreSQL store) from storage alone, with
// a progress bar: the hash chain, every invariant, and the projections.
import type { Command } from 'commander';
import { CliError, EXIT, printRecord, printTable } from './output.js';

export function registerVerifyCommand(program: Command): void {
  program
    .command('verify')
    .description('check the hash chain and every invariant from storage')
    .option('--data-dir <dir>', 'data directory (env CORRIDOR_DATA_DIR)')
    .option('--store <url>', "'sqlite' (default) or postgres://… (env DATABASE_URL)")
    .option('--json', 'print the report as JSON')
    .action(async (flags: { dataDir?: string; store?: string; json?: boolean }) => {
      const { SingleBar, Presets } = await import('cli-progress');
      const { loadNodeConfig } = await import('../server/node-config.js');
      const config = loadNodeConfig({
        environment: process.env,
        flags: { dataDir: flags.dataDir, store: flags.store },
      });
      const { verifyNetwork } = await import('../network/verify.js');
      const { configuredStore, holdsNetwork, storeLabel } = await import(
        '../server/store-config.js'
      );
      if (!(await holdsNetwork(config))) throw new CliError(`No network in ${storeLabel(config)}.`);
      // Verification only reads: on PostgreSQL it needs no lease and runs beside the writer.
      const store = configuredStore(config, true);
      await store.open();
      const tail = await store.journalTail();
      const bar =
        flags.json === true || !process.stderr.isTTY
          ? undefined
          : new SingleBar(
              { format: 'verify [{bar}] {value}/{total} journal entries', stream: process.stderr },
              Presets.shades_classic,
            );
      bar?.start(tail?.sequence ?? 0, 0);
      const report = await verifyNetwork(store, (progress) => bar?.update(progress.entries));
      bar?.stop();
      await store.close();
      const { problems, ...summary } = report;
      printRecord(
        { ...summary, durationMs: Math.round(summary.durationMs) },
        flags.json === true ? { json: true } : {},
      );
      if (problems.length > 0 && flags.json !== true) printTable(problems, ['code', 'message'], {});
      if (!report.ok) throw new CliError('Verification failed.', EXIT.verifyFailed);
      if (flags.json !== true)
        process.stdout.write('Verified: the chain is intact and every invariant holds.\n');
    });
}
