// The files of a simulation: report.json, the CSV tables and one self-contained report.html
// (inline SVG charts, inline CSS, no script, nothing fetched).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compact, escapeXml } from './charts.js';
import { reportCharts } from './report-charts.js';
import type { SimulationReport } from './simulate.js';

type Cell = string | number | boolean | null | undefined;

function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvText(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n';
}

/** The tables, by file name. */
export function reportTables(report: SimulationReport): Record<string, string> {
  return {
    ...mainTables(report),
    ...liquidityTables(report),
    ...moreTables(report),
    ...balanceTables(report),
    ...lsmTables(report),
  };
}

const LSM_HEADER = [
  'currency',
  'lower_bound_usd',
  'corridor_lsm_peak_usd',
  'upper_bound_usd',
  'corridor_gross_peak_usd',
  'position_between_bounds',
  'funding_usd',
  'bank_position_usd',
  'fx_providers_position_usd',
  'central_bank_issued_usd',
  'central_bank_redeemed_usd',
  'providers_restored_usd',
  'swap_lent_usd',
  'swap_repaid_usd',
  'flows_lower_bound_usd',
  'flows_upper_bound_usd',
] as const;

const SWAP_HEADER = [
  'holder',
  'currency',
  'issuer',
  'limit_usd',
  'draws',
  'peak_drawn_usd',
  'drawn_days',
  'average_outstanding_usd',
  'repayments',
  'repaid_at_tenor',
  'interest_paid_usd',
  'repaid',
  'outstanding_end_usd',
  'overdue_end_usd',
] as const;

/** corridor_lsm's swap lines, one row per line drawn. */
function swapRows(report: SimulationReport): Cell[][] {
  return report.swap_lines.map((line) => [
    line.holder,
    line.currency,
    line.issuer,
    line.limit_usd,
    line.draws,
    line.peak_drawn_usd,
    line.drawn_days,
    line.average_outstanding_usd,
    line.repayments,
    line.repaid_at_tenor,
    line.interest_paid_usd,
    line.repaid ? 'yes' : 'no',
    line.outstanding_end_usd,
    line.overdue_end_usd,
  ]);
}

/**
 * corridor_lsm per currency: its peak against the bounds of what it settled (and gross), where
 * it lands between them (0 at the lower bound, 1 at the upper), its funding, the residual
 * positions, and the flows' bounds (every payment, at mid) for reference.
 */
function lsmRows(report: SimulationReport): Cell[][] {
  const lsm = report.regimes.find((r) => r.name === 'corridor_lsm');
  if (lsm === undefined) return [];
  const gross = report.regimes.find((r) => r.name === 'corridor_gross');
  const list = <T>(key: string): T[] => (lsm.details[key] as T[] | undefined) ?? [];
  const funding = list<{ currency: string; usd: number }>('funding_usd');
  const positions = list<{
    currency: string;
    bank_usd: number;
    fx_providers_usd: number;
    central_bank_issued_usd: number;
    central_bank_redeemed_usd: number;
    providers_restored_usd?: number;
    swap_lent_usd?: number;
    swap_repaid_usd?: number;
  }>('residual_positions_usd');
  const where = (peak: number, lower: number, upper: number): number | null =>
    upper > lower ? Math.round(((peak - lower) / (upper - lower)) * 1000) / 1000 : null;
  const own = lsm.bounds ?? report.bounds;
  const rows: Cell[][] = report.bounds.currencies.map((flowsBound) => {
    const bound = own.currencies.find((b) => b.currency === flowsBound.currency) ?? flowsBound;
    const peak = lsm.liquidity.currencies.find((c) => c.currency === bound.currency);
    const position = positions.find((p) => p.currency === bound.currency);
    return [
      bound.currency,
      bound.lower_usd,
      peak?.peakUsedUsd ?? 0,
      bound.upper_usd,
      gross?.liquidity.currencies.find((c) => c.currency === bound.currency)?.peakUsedUsd,
      where(peak?.peakUsedUsd ?? 0, bound.lower_usd, bound.upper_usd),
      funding.find((f) => f.currency === bound.currency)?.usd,
      position?.bank_usd,
      position?.fx_providers_usd,
      position?.central_bank_issued_usd,
      position?.central_bank_redeemed_usd,
      position?.providers_restored_usd,
      position?.swap_lent_usd,
      position?.swap_repaid_usd,
      flowsBound.lower_usd,
      flowsBound.upper_usd,
    ];
  });
  rows.push([
    'total',
    own.lower_usd,
    lsm.peak_liquidity_usd,
    own.upper_usd,
    gross?.peak_liquidity_usd,
    where(lsm.peak_liquidity_usd, own.lower_usd, own.upper_usd),
    funding.reduce((sum, f) => sum + f.usd, 0),
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    report.bounds.lower_usd,
    report.bounds.upper_usd,
  ]);
  return rows;
}

function lsmTables(report: SimulationReport): Record<string, string> {
  const rows = lsmRows(report);
  if (rows.length === 0) return {};
  return {
    'liquidity-saving.csv': csvText(LSM_HEADER, rows),
    'swap-lines.csv': csvText(SWAP_HEADER, swapRows(report)),
  };
}

/** The liquidity-saving section of report.html (empty when corridor_lsm was not run). */
function lsmSection(report: SimulationReport): string {
  const lsm = report.regimes.find((r) => r.name === 'corridor_lsm');
  if (lsm === undefined) return '';
  const d = lsm.details as Record<string, unknown>;
  const number = (key: string): string => String(d[key] ?? '—');
  return `<section id="liquidity-saving"><h2>Liquidity saving (corridor_lsm) against the bounds</h2>
<p>The engine's settlement queue and gridlock resolution, every account funded each day with its lower bound plus ${percent(Number(d.funding_share ?? 0))} of the gap to its upper bound (plus 1% for spreads and fees). Payments queued on arrival: ${number('queued_on_arrival')}; deepest queue: ${number('peak_queue_depth')}; resolution passes between arrivals: ${number('resolution_ticks')}; a payment may wait ${number('max_wait_s')} s, then the engine rejects it (failed: ${lsm.failed}). Its bounds are those of what it settled, with the amounts it moved (spreads and fees included; a failed payment is not settled, so not in them): lower, the largest day's multilateral net of the payments settled that day; upper, each settled payment gross at its arrival, no delay (a payment carried past midnight UTC at the opening of the day it settled in). The flows' bounds (every payment at mid) are in the last two columns. Position between bounds: 0 at the lower bound, 1 at the upper. Positions: what each currency's bank and the FX providers gained (+) or lost (−) over the period, settled payments only. Each midnight UTC a bank's own central bank restored its account to its funding level (issuing or redeeming). An FX provider short of a foreign currency was lent it by its home central bank, which drew it on its swap line with the currency's issuer (swap lent); what the line could not cover was issued (providers restored: restoration, not a swap line). central_bank_issued/redeemed include every restoration.</p>
${table([...LSM_HEADER], lsmRows(report))}</section>
<section id="swap-lines"><h2>Central-bank swap lines (corridor_lsm)</h2>
<p>${number('swap_lines_configured')} lines configured, one each way between every two member central banks, each limited to ${percent(Number(d.swap_line_share ?? 0))} of its currency's expected daily gross flow. Below, every line drawn: the holder is the central bank that drew (the home central bank of the provider it lent to), the issuer the central bank of the currency. Peak drawn: the most outstanding at once; drawn days: UTC days that began with something drawn; average outstanding: over the calendar days of the run; interest paid: by the holder to the issuer (its providers paid it as much); repaid: nothing drawn at the end (otherwise outstanding and overdue at the end).</p>
${report.swap_lines.length === 0 ? '<p>No swap line was drawn.</p>' : table([...SWAP_HEADER], swapRows(report))}</section>`;
}

function mainTables(report: SimulationReport): Record<string, string> {
  const regimes = report.regimes;
  return {
    'regimes.csv': csvText(
      [
        'regime',
        'payments',
        'value_usd',
        'cost_bps',
        'time_to_credit_p50_s',
        'time_to_credit_p95_s',
        'within_1h_share',
        'peak_liquidity_usd',
        'stranded_usd',
        'residual_usd',
        'settled',
        'queued',
        'failed',
      ],
      regimes.map((r) => [
        r.name,
        r.payments,
        r.value_usd,
        r.cost_bps,
        r.time_to_credit_p50_s,
        r.time_to_credit_p95_s,
        r.within_1h_share,
        r.peak_liquidity_usd,
        r.stranded_usd,
        r.residual_usd,
        r.settled,
        r.queued,
        r.failed,
      ]),
    ),
    'corridors.csv': csvText(
      [
        'regime',
        'from',
        'to',
        'payments',
        'value_usd',
        'cost_bps',
        'within_1h_share',
        'time_to_credit_p50_s',
      ],
      regimes.flatMap((r) =>
        r.corridors.map((c) => [
          r.name,
          c.from,
          c.to,
          c.payments,
          c.value_usd,
          c.cost_bps,
          c.within_1h_share,
          c.time_to_credit_p50_s,
        ]),
      ),
    ),
  };
}

function liquidityTables(report: SimulationReport): Record<string, string> {
  const regimes = report.regimes;
  return {
    'liquidity.csv': csvText(
      [
        'regime',
        'currency',
        'peak_used_usd',
        'peak_net_debit_usd',
        'upper_bound_usd',
        'lower_bound_usd',
      ],
      regimes.flatMap((r) =>
        r.liquidity.currencies.map((c) => {
          // A regime with bounds of its own (corridor_lsm: what it settled) is set against them.
          const bound = (r.bounds ?? report.bounds).currencies.find(
            (b) => b.currency === c.currency,
          );
          return [
            r.name,
            c.currency,
            c.peakUsedUsd,
            c.peakNetDebitUsd,
            bound?.upper_usd,
            bound?.lower_usd,
          ];
        }),
      ),
    ),
  };
}

function moreTables(report: SimulationReport): Record<string, string> {
  const regimes = report.regimes;
  return {
    'liquidity-participants.csv': csvText(
      ['regime', 'participant', 'currency', 'peak_used_usd', 'drift_usd'],
      regimes.flatMap((r) =>
        r.liquidity.accounts.map((a) => [
          r.name,
          a.participant,
          a.currency,
          a.peakUsedUsd,
          a.driftUsd,
        ]),
      ),
    ),
    'liquidity-hourly.csv': csvText(
      [
        'regime',
        'currency',
        ...Array.from({ length: 24 }, (_, h) => `h${String(h).padStart(2, '0')}_utc_usd`),
      ],
      regimes.flatMap((r) =>
        r.liquidity.currencies.map((c) => [r.name, c.currency, ...c.hourlyUsedUsd]),
      ),
    ),
  };
}

function balanceTables(report: SimulationReport): Record<string, string> {
  return {
    'balances.csv': csvText(
      [
        'kind',
        'country_or_holder',
        'partner',
        'currency',
        'exports_usd',
        'imports_usd',
        'balance_usd',
      ],
      [
        ...report.balances.multilateral.map(
          (b) =>
            [
              'multilateral',
              b.country,
              '',
              b.currency,
              b.exportsUsd,
              b.importsUsd,
              b.balanceUsd,
            ] as Cell[],
        ),
        ...report.balances.bilateral.map(
          (b) =>
            [
              'bilateral_stranded',
              b.holder,
              b.partner,
              b.currency,
              b.holderExportsUsd,
              b.holderImportsUsd,
              b.strandedUsd,
            ] as Cell[],
        ),
      ],
    ),
    'flows.csv': csvText(
      ['exporter', ...report.flow_matrix.countries],
      report.flow_matrix.countries.map((country, index) => [
        country,
        ...(report.flow_matrix.value_usd[index] ?? []),
      ]),
    ),
    'assumptions.csv': csvText(
      ['name', 'value', 'source', 'assumption'],
      report.assumptions.map((a) => [
        a.name,
        typeof a.value === 'object' ? JSON.stringify(a.value) : (a.value as Cell),
        a.source,
        a.assumption,
      ]),
    ),
  };
}

function table(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const head = header.map((h) => `<th>${escapeXml(h)}</th>`).join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${row.map((cell) => `<td>${escapeXml(typeof cell === 'number' ? (Number.isInteger(cell) ? String(cell) : compact(cell)) : String(cell ?? '—'))}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function htmlTables(report: SimulationReport): {
  summary: string;
  bounds: string;
  figures: string;
  assumptions: string;
} {
  const summary = table(
    [
      'regime',
      'cost (bps)',
      'p50 time to credit',
      'p95 time to credit',
      'within 1 h',
      'peak liquidity (USD)',
      'stranded (USD)',
      'residual (USD)',
      'settled',
      'queued',
      'failed',
    ],
    report.regimes.map((r) => [
      r.name,
      r.cost_bps,
      duration(r.time_to_credit_p50_s),
      duration(r.time_to_credit_p95_s),
      percent(r.within_1h_share),
      r.peak_liquidity_usd,
      r.stranded_usd,
      r.residual_usd,
      r.settled,
      r.queued,
      r.failed,
    ]),
  );
  return { summary, ...referenceTables(report) };
}

function referenceTables(report: SimulationReport): {
  bounds: string;
  figures: string;
  assumptions: string;
} {
  const bounds = table(
    ['currency', 'upper bound (USD)', 'lower bound (USD)'],
    report.bounds.currencies.map((c) => [c.currency, c.upper_usd, c.lower_usd]),
  );
  const figures = table(
    ['figure', 'unit', 'definition'],
    report.figures.map((f) => [f.name, f.unit, f.definition]),
  );
  const assumptions = table(
    ['name', 'value', 'source', 'assumption?'],
    report.assumptions.map((a) => [
      a.name,
      typeof a.value === 'object' ? JSON.stringify(a.value) : String(a.value),
      a.source,
      a.assumption ? 'assumption' : 'sourced',
    ]),
  );
  return { bounds, figures, assumptions };
}

export function reportHtml(report: SimulationReport): string {
  const { summary, bounds, figures, assumptions } = htmlTables(report);
  const charts = reportCharts(report)
    .map(
      (chart) =>
        `<figure id="${escapeXml(chart.id)}">${chart.svg}<figcaption>${escapeXml(chart.title)}</figcaption></figure>`,
    )
    .join('\n');
  const notRun = report.not_run
    .map((item) => `<li><b>${escapeXml(item.name)}</b>: ${escapeXml(item.reason)}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Corridor simulation ${report.year}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:8px 0 20px;font-size:12px}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f0f0f0}
figure{display:inline-block;margin:8px 12px 16px 0}
figcaption{font-size:12px;color:#555}
.chart{max-width:100%;height:auto;background:#fff;border:1px solid #eee}
</style></head>
<body>
<h1>Corridor simulation: intra-BRICS trade, ${report.year}</h1>
<p>${report.payments.toLocaleString('en-US')} payments worth USD ${escapeXml(compact(report.value_usd))}, ${report.days} day(s) at scale ${report.scale}, seed ${report.seed}. Generated ${escapeXml(report.generated_at)}. Every regime settles exactly these payments.</p>
<h2>Summary per regime</h2>
${summary}
<p>G20 targets for 2027: cost at most ${report.targets.cost_bps_retail} bps — for retail payments only; these are trade payments, shown against it for scale — and ${percent(report.targets.within_1h_share)} credited within one hour.</p>
${notRun.length > 0 ? `<h3>Not run</h3><ul>${notRun}</ul>` : ''}
<h2>Charts</h2>
${charts}
<h2>Liquidity bounds (BoF-PSS)</h2>
${bounds}
${lsmSection(report)}
<h2>Figures: units and definitions</h2>
${figures}
<h2>Assumptions and sources</h2>
${assumptions}
</body></html>
`;
}

function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  if (seconds < 7_200) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 172_800) return `${(seconds / 3_600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

function percent(share: number | null): string {
  return share === null ? '—' : `${(share * 100).toFixed(1)}%`;
}

/** Writes report.json, the CSV tables and report.html into `directory`; returns the paths. */
export function writeReport(report: SimulationReport, directory: string): string[] {
  mkdirSync(directory, { recursive: true });
  const files: [string, string][] = [
    ['report.json', `${JSON.stringify(report, null, 2)}\n`],
    ...Object.entries(reportTables(report)),
    ['report.html', reportHtml(report)],
  ];
  return files.map(([name, text]) => {
    const path = join(directory, name);
    writeFileSync(path, text);
    return path;
  });
}
