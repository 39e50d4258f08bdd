// Simulation: run a small `corridor simulate` scenario on the node (operator: POST
// /v1/simulations), or open a report.json saved by the command, and show its figures and the
// same charts as report.html (drawn by src/simulate/report-charts.ts, shared with it).
import { useState } from 'preact/hooks';
import type { SimulationReportBody } from '../../../../api/contract';
import { reportCharts } from '../../../../simulate/report-charts';
import { ApiError } from '../api';
import { useSession } from '../session';
import { ErrorNotice, Loading, PageTitle, Section } from '../ui';

type Report = SimulationReportBody;

function percent(share: number | null): string {
  return share === null ? '—' : `${(share * 100).toFixed(1)}%`;
}

function seconds(value: number | null): string {
  if (value === null) return '—';
  if (value < 120) return `${value.toFixed(1)} s`;
  if (value < 7_200) return `${(value / 60).toFixed(1)} min`;
  return `${(value / 3_600).toFixed(1)} h`;
}

function usd(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 2 }).format(
    value,
  );
}

/** A saved file is checked for the fields the view reads before anything is drawn. */
export function asReport(value: unknown): Report | undefined {
  const candidate = value as Partial<Report> | null;
  if (
    candidate === null ||
    typeof candidate !== 'object' ||
    !Array.isArray(candidate.regimes) ||
    candidate.bounds === undefined ||
    candidate.balances === undefined ||
    candidate.flow_matrix === undefined ||
    candidate.targets === undefined
  )
    return undefined;
  return candidate as Report;
}

function Summary({ report }: { report: Report }) {
  const { locale } = useSession();
  return (
    <table class="table" data-testid="simulation-summary">
      <thead>
        <tr>
          <th>Regime</th>
          <th>Cost (bps)</th>
          <th>p50 time to credit</th>
          <th>Within 1 h</th>
          <th>Peak liquidity (USD)</th>
          <th>Stranded (USD)</th>
          <th>Settled</th>
        </tr>
      </thead>
      <tbody>
        {report.regimes.map((regime) => (
          <tr key={regime.name}>
            <td>{regime.name}</td>
            <td>{regime.cost_bps ?? '—'}</td>
            <td>{seconds(regime.time_to_credit_p50_s)}</td>
            <td>{percent(regime.within_1h_share)}</td>
            <td>{usd(regime.peak_liquidity_usd, locale)}</td>
            <td>{usd(regime.stranded_usd, locale)}</td>
            <td>{regime.settled}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ReportView({ report }: { report: Report }) {
  const charts = reportCharts(report);
  return (
    <>
      <Section title="Summary per regime">
        <p class="small">
          {report.payments} payments, {report.days} day(s) of {report.year} at scale {report.scale},
          seed {report.seed}. Bounds (BoF-PSS): upper USD {Math.round(report.bounds.upper_usd)},
          lower USD {Math.round(report.bounds.lower_usd)}.
        </p>
        <Summary report={report} />
        {report.not_run.map((item) => (
          <p class="help" key={item.name}>
            {item.name}: {item.reason}
          </p>
        ))}
      </Section>
      <Section title="Charts">
        {charts.map((chart) => (
          // The SVG is built from escaped text only (src/simulate/charts.ts).
          <figure
            class="simulation-chart"
            id={`sim-${chart.id}`}
            key={chart.id}
            dangerouslySetInnerHTML={{ __html: chart.svg }}
          />
        ))}
      </Section>
    </>
  );
}

function RunForm({ onReport }: { onReport: (report: Report) => void }) {
  const { api } = useSession();
  const [days, setDays] = useState('2');
  const [scale, setScale] = useState('0.01');
  const [seed, setSeed] = useState('1');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const run = (event: Event): void => {
    event.preventDefault();
    setRunning(true);
    setError(undefined);
    api
      .post<Report>('/v1/simulations', {
        days: Number(days),
        scale: Number(scale),
        seed: Number(seed),
      })
      .then(onReport, (caught: ApiError) => setError(caught))
      .finally(() => setRunning(false));
  };
  return (
    <form onSubmit={run} class="form-row">
      <label>
        Days{' '}
        <input
          name="days"
          type="number"
          min="1"
          max="31"
          value={days}
          onInput={(e) => setDays(e.currentTarget.value)}
        />
      </label>
      <label>
        Scale{' '}
        <input
          name="scale"
          type="number"
          step="0.001"
          min="0.001"
          max="0.2"
          value={scale}
          onInput={(e) => setScale(e.currentTarget.value)}
        />
      </label>
      <label>
        Seed{' '}
        <input
          name="seed"
          type="number"
          min="0"
          value={seed}
          onInput={(e) => setSeed(e.currentTarget.value)}
        />
      </label>
      <button type="submit" disabled={running}>
        {running ? 'Running…' : 'Run the simulation'}
      </button>
      {running ? <Loading label="Simulating" /> : null}
      <ErrorNotice error={error} title="The simulation was refused" />
    </form>
  );
}

function LoadFile({ onReport }: { onReport: (report: Report) => void }) {
  const [error, setError] = useState<Error | undefined>(undefined);
  const load = (event: Event): void => {
    const file = (event.currentTarget as HTMLInputElement).files?.[0];
    if (file === undefined) return;
    file.text().then(
      (text) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        const report = asReport(parsed);
        if (report === undefined) {
          setError(new Error('This file is not a report.json written by corridor simulate.'));
        } else {
          setError(undefined);
          onReport(report);
        }
      },
      () => setError(new Error('The file could not be read.')),
    );
  };
  return (
    <div>
      <label>
        Open a saved report.json{' '}
        <input type="file" name="report" accept="application/json,.json" onChange={load} />
      </label>
      <ErrorNotice error={error} title="Not opened" />
    </div>
  );
}

export function SimulationView() {
  const { me } = useSession();
  const [report, setReport] = useState<Report | undefined>(undefined);
  return (
    <>
      <PageTitle lead="Intra-BRICS trade through the USD route, bilateral settlement and the real engine, on the same payments (docs/simulation.md).">
        Simulation
      </PageTitle>
      <Section title="Scenario">
        {me.kind === 'operator' ? <RunForm onReport={setReport} /> : null}
        <LoadFile onReport={setReport} />
      </Section>
      {report === undefined ? null : <ReportView report={report} />}
    </>
  );
}
