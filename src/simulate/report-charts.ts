// The charts of a simulation report, as SVG strings, in reading order. No Node module is
// imported: report.html and the dashboard's Simulation view draw the same charts from this file.
import { barChart, heatMap, lineChart } from './charts.js';
import type { SimulationReport } from './simulate.js';

/** What the charts read of a report (report.json, or the API's answer). */
export type ChartReport = Pick<
  SimulationReport,
  'regimes' | 'targets' | 'bounds' | 'balances' | 'flow_matrix'
>;

const HOURS = Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}h`);
const HISTOGRAM_LABELS = ['≤1 min', '≤10 min', '≤1 h', '≤4 h', '≤24 h', '≤3 d', '>3 d'];

/** The charts of a report, as SVG strings, in reading order (shared with the dashboard). */
export function reportCharts(
  report: ChartReport,
): { id: string; title: string; svg: string }[] {
  const charts: { id: string; title: string; svg: string }[] = [];
  for (const regime of report.regimes) {
    charts.push({
      id: `liquidity-${regime.name}`,
      title: `Liquidity over the day: ${regime.name}`,
      svg: lineChart(
        `Liquidity used by the end of each UTC hour, worst day: ${regime.name}`,
        HOURS,
        regime.liquidity.currencies.map((c) => ({ name: c.currency, values: c.hourlyUsedUsd })),
        'USD',
      ),
    });
  }
  charts.push({
    id: 'time-to-credit',
    title: 'Time to credit',
    svg: barChart(
      'Time to credit: share of payments per interval',
      HISTOGRAM_LABELS,
      report.regimes.map((r) => ({
        name: r.name,
        values: r.time_to_credit_histogram.map((b) =>
          r.payments > 0 ? b.payments / r.payments : 0,
        ),
      })),
      'share',
    ),
  });
  const corridorNames = (report.regimes[0]?.corridors ?? []).map((c) => `${c.from}→${c.to}`);
  charts.push({
    id: 'cost-per-corridor',
    title: 'Cost per corridor',
    svg: barChart(
      'Cost per corridor (importer → exporter), FX spread + fees',
      corridorNames,
      report.regimes.map((r) => ({
        name: r.name,
        values: r.corridors.map((c) => c.cost_bps ?? 0),
      })),
      'bps',
      { value: report.targets.cost_bps_retail, label: 'G20 retail target 1% (retail only)' },
    ),
  });
  return [...charts, ...comparisonCharts(report)];
}

function comparisonCharts(report: ChartReport): { id: string; title: string; svg: string }[] {
  const charts: { id: string; title: string; svg: string }[] = [];
  const currencies = report.bounds.currencies.map((c) => c.currency);
  charts.push({
    id: 'peak-liquidity',
    title: 'Peak liquidity per currency against the bounds',
    svg: barChart(
      'Peak liquidity per currency, with the BoF-PSS bounds',
      currencies,
      [
        ...report.regimes.map((r) => ({
          name: r.name,
          values: currencies.map(
            (code) => r.liquidity.currencies.find((c) => c.currency === code)?.peakUsedUsd ?? 0,
          ),
        })),
        { name: 'upper bound', values: report.bounds.currencies.map((c) => c.upper_usd) },
        { name: 'lower bound', values: report.bounds.currencies.map((c) => c.lower_usd) },
      ],
      'USD',
    ),
  });
  const countries = report.balances.multilateral.map((b) => b.country);
  const strandedBy = (country: string): number =>
    report.balances.bilateral
      .filter((b) => b.holder === country)
      .reduce((sum, b) => sum + b.strandedUsd, 0);
  charts.push({
    id: 'balances',
    title: 'Stranded and residual balances',
    svg: barChart(
      'Per country: stranded bilaterally vs multilateral residual',
      countries,
      [
        { name: 'stranded (bilateral)', values: countries.map(strandedBy) },
        {
          name: 'surplus (multilateral)',
          values: report.balances.multilateral.map((b) => Math.max(0, b.balanceUsd)),
        },
        {
          name: 'deficit (multilateral)',
          values: report.balances.multilateral.map((b) => Math.max(0, -b.balanceUsd)),
        },
      ],
      'USD',
    ),
  });
  charts.push({
    id: 'flow-matrix',
    title: 'Flows',
    svg: heatMap(
      'Trade flows simulated',
      report.flow_matrix.countries,
      report.flow_matrix.countries,
      report.flow_matrix.value_usd,
      'USD',
    ),
  });
  return charts;
}
