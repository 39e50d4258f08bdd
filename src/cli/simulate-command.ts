// corridor simulate: a year (or some days) of intra-BRICS trade through every regime, the
// real engine included, in simulated time. Writes report.json, CSV tables and report.html
// into --out, shows a progress bar on a terminal and prints a summary (or JSON with --json).
// Its modules load lazily, so that other commands start fast (docs/cli.md).
import type { Command } from 'commander';
import type { RegimeName } from '../simulate/regime.js';
import { CliError, EXIT, printTable } from './output.js';

interface SimulateFlags {
  year: string;
  scale: string;
  seed: string;
  days?: string;
  regimes?: string;
  out: string;
  json?: boolean;
}

function integer(text: string, name: string): number {
  if (!/^-?[0-9]+$/.test(text)) throw new CliError(`--${name} must be an integer, not "${text}".`);
  return Number(text);
}

async function simulateCommand(flags: SimulateFlags): Promise<void> {
  const { runSimulation, SimulationError, AVAILABLE_REGIMES } =
    await import('../simulate/simulate.js');
  const { writeReport } = await import('../simulate/output.js');
  const scale = Number(flags.scale);
  if (!Number.isFinite(scale))
    throw new CliError(`--scale must be a number, not "${flags.scale}".`);
  const year = integer(flags.year, 'year');
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const regimes = (flags.regimes
    ?.split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0) ?? [...AVAILABLE_REGIMES]) as RegimeName[];
  const json = flags.json === true;
  const { SingleBar, Presets } = await import('cli-progress');
  const bar =
    json || !process.stderr.isTTY
      ? undefined
      : new SingleBar(
          { format: 'simulate [{bar}] {percentage}% {regime}', stream: process.stderr },
          Presets.shades_classic,
        );
  bar?.start(100 * regimes.length, 0, { regime: '' });
  let report;
  try {
    report = await runSimulation({
      year,
      scale,
      seed: integer(flags.seed, 'seed'),
      days: flags.days === undefined ? (leap ? 366 : 365) : integer(flags.days, 'days'),
      regimes,
      onProgress: (regime, done) => {
        const position = regimes.indexOf(regime as RegimeName);
        bar?.update(Math.round(100 * (Math.max(0, position) + done)), { regime });
      },
    });
  } catch (error) {
    if (error instanceof SimulationError)
      throw new CliError(`${error.message} (${error.code})`, EXIT.usage);
    throw error;
  } finally {
    bar?.stop();
  }
  const files = writeReport(report, flags.out);
  const rows = report.regimes.map((regime) => ({
    regime: regime.name,
    cost_bps: regime.cost_bps,
    p50_s: regime.time_to_credit_p50_s === null ? null : Math.round(regime.time_to_credit_p50_s),
    within_1h: regime.within_1h_share,
    peak_liquidity_usd: Math.round(regime.peak_liquidity_usd),
    stranded_usd: Math.round(regime.stranded_usd),
    settled: regime.settled,
    failed: regime.failed,
  }));
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ files, payments: report.payments, regimes: rows }, null, 2)}\n`,
    );
    return;
  }
  process.stdout.write(
    `${report.payments} payments, ${report.days} day(s) of ${report.year} at scale ${report.scale}, seed ${report.seed}\n`,
  );
  printTable(rows, Object.keys(rows[0] ?? {}), {});
  process.stdout.write(
    `Bounds (BoF-PSS): upper USD ${Math.round(report.bounds.upper_usd)}, lower USD ${Math.round(report.bounds.lower_usd)}\n`,
  );
  process.stdout.write(`Wrote ${files.length} files to ${flags.out} (open report.html)\n`);
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description(
      'Simulate a year of intra-BRICS trade through the USD correspondent route, bilateral local-currency settlement and the real Corridor engine',
    )
    .option('--year <year>', 'calendar year simulated', '2024')
    .option('--scale <scale>', 'share of the annual trade value simulated (0 < scale ≤ 10)', '1')
    .option('--seed <n>', 'seed of the pseudo-random generator', '1')
    .option('--days <n>', 'calendar days from 1 January (default: the whole year)')
    .option(
      '--regimes <list>',
      'comma-separated: usd_correspondent, bilateral_local, corridor_gross, corridor_lsm',
    )
    .requiredOption('--out <dir>', 'directory for report.json, the CSV tables and report.html')
    .option('--json', 'print the summary as JSON')
    .action((flags: SimulateFlags) => simulateCommand(flags));
}
