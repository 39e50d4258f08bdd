// Health: throughput, latency percentiles, queue depth and the journal's hash chain, live. The
// commit pipeline's figures are network-wide (as on /metrics); payment figures are the
// caller's. The node's status (store, uptime, sizes) is read once, on demand.
import { useEffect, useState } from 'preact/hooks';
import type { HistoryPoint, StatsMessage } from '../../../protocol';
import { ApiError } from '../api';
import { Chart } from '../chart';
import { formatCount, formatDateTime, formatDuration } from '../format';
import { useLive, useSession } from '../session';
import type { Status } from '../types';
import { ErrorNotice, Figure, Figures, Loading, PageTitle, Section } from '../ui';

function ChainPanel() {
  const live = useLive();
  const { locale } = useSession();
  const journal = live.stats?.journal;
  const [seen, setSeen] = useState<{ sequence: number; at: number } | undefined>(undefined);
  useEffect(() => {
    if (journal !== undefined && journal.sequence !== seen?.sequence)
      setSeen({ sequence: journal.sequence, at: Date.now() });
  }, [journal?.sequence]);
  if (journal === undefined) return <Loading />;
  const lastCommit =
    journal.lastCommitAt === null ? undefined : new Date(journal.lastCommitAt).getTime();
  const quiet = lastCommit === undefined ? undefined : Date.now() - lastCommit;
  return (
    <>
      <Figures label="Journal">
        <Figure
          label="Chain tail"
          value={`#${formatCount(journal.sequence, locale)}`}
          hint="batches journaled, each hash-linked to the one before"
        />
        <Figure
          label="Last commit"
          value={quiet === undefined ? 'none since start' : `${formatDuration(quiet, locale)} ago`}
          tone={quiet !== undefined && quiet > 60_000 ? 'warn' : 'good'}
          hint={
            journal.lastCommitAt === null ? undefined : formatDateTime(journal.lastCommitAt, locale)
          }
        />
      </Figures>
      <p class="small">
        Tail hash <code class="hash">{journal.hash ?? '—'}</code>
      </p>
      <p class="help">
        Each journal entry carries the SHA-256 of the previous one; a node replays and checks every
        link when it starts. To check a copy of the whole chain, run <code>corridor verify</code>.
      </p>
    </>
  );
}

function NodeStatus() {
  const { api, locale } = useSession();
  const [status, setStatus] = useState<Status | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const load = (): void => {
    api.get<Status>('/v1/status').then(setStatus, (caught: ApiError) => setError(caught));
  };
  useEffect(load, []);
  return (
    <Section
      title="Node"
      id="node"
      actions={
        <button type="button" class="quiet" onClick={load}>
          Refresh
        </button>
      }
    >
      <ErrorNotice error={error} />
      {status === undefined ? (
        <Loading />
      ) : (
        <Figures label="Node">
          <Figure label="Store" value={status.store} />
          <Figure label="Uptime" value={formatDuration(status.uptimeSeconds * 1000, locale)} />
          <Figure label="Payments" value={formatCount(status.network.payments, locale)} />
          <Figure
            label="Ledger transfers"
            value={formatCount(status.network.transfers, locale)}
            hint={`${formatCount(status.network.pending, locale)} pending`}
          />
        </Figures>
      )}
    </Section>
  );
}

function NowFigures({ stats }: { stats: StatsMessage }) {
  const { locale } = useSession();
  const rate = (value: number): string => `${formatCount(value, locale)}/s`;
  const pair = (low: number | null, high: number | null): string =>
    `${formatDuration(low, locale)} / ${formatDuration(high, locale)}`;
  return (
    <Figures label="Now">
      <Figure label="Payments accepted" value={rate(stats.acceptedPerSecond)} hint="last 10 s" />
      <Figure
        label="Commands committed"
        value={rate(stats.commandsPerSecond)}
        hint="network-wide, last 10 s"
      />
      <Figure
        label="Queue depth"
        value={formatCount(stats.queueDepth, locale)}
        tone={stats.queueDepth > 1000 ? 'warn' : 'good'}
        hint="commands waiting for a batch"
      />
      <Figure
        label="Time to credit p50 / p99"
        value={pair(stats.timeToCredit.p50, stats.timeToCredit.p99)}
        hint={`recent ${formatCount(stats.timeToCredit.count, locale)} payments`}
      />
      <Figure
        label="Commit p50 / p99"
        value={pair(stats.commitLatency.p50, stats.commitLatency.p99)}
        hint={`last ${formatCount(stats.commitLatency.count, locale)} batches, durable`}
      />
    </Figures>
  );
}

function ThroughputCharts({ history }: { history: readonly HistoryPoint[] }) {
  const { locale } = useSession();
  const rate = (value: number): string => `${formatCount(value, locale)}/s`;
  const times = history.map((point) => point.t);
  const minutes = Math.max(1, Math.round(history.length / 60));
  return (
    <Section title="Throughput, last 10 minutes" id="throughput">
      <Chart
        title="Per second"
        times={times}
        summary={`Payments accepted and settled, and commands committed, per second over the last ${minutes} minutes.`}
        series={[
          {
            label: 'Payments accepted',
            values: history.map((point) => point.accepted),
            format: rate,
          },
          {
            label: 'Payments settled',
            values: history.map((p) => p.settled),
            format: rate,
            dashed: true,
          },
          {
            label: 'Commands committed',
            values: history.map((point) => point.commands),
            format: rate,
          },
        ]}
      />
      <Chart
        title="Queue depth"
        height={140}
        times={times}
        summary="Commands waiting for a batch, per second."
        series={[
          {
            label: 'Queue depth',
            values: history.map((point) => point.queueDepth),
            format: (value) => formatCount(value, locale),
          },
        ]}
      />
    </Section>
  );
}

export function HealthView() {
  const live = useLive();
  return (
    <>
      <PageTitle lead="Throughput, latency, queue depth and the journal, live.">Health</PageTitle>
      {live.stats === undefined ? (
        <Loading label="Waiting for the live stream…" />
      ) : (
        <NowFigures stats={live.stats} />
      )}
      <ThroughputCharts history={live.history} />
      <Section title="Hash chain" id="chain">
        <ChainPanel />
      </Section>
      <NodeStatus />
    </>
  );
}
