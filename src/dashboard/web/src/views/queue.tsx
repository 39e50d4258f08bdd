// The Liquidity view's settlement queue and liquidity figures for one currency: depth and value
// of the queue with a chart of it over time, liquidity used against the day's BoF-PSS upper and
// lower bounds with a chart, queue times, value settled through offsetting and gridlocks
// resolved, each with its definition beside it; per participant for the operator and central
// banks. Scoped by the server as GET /v1/liquidity (src/dashboard/queue-stats.ts).
import type { ComponentChildren } from 'preact';
import { LIQUIDITY_DEFINITIONS as DEFINE, meaning } from '../../../definitions';
import type { QueueFigureWire, QueueWire } from '../../../protocol';
import { Chart } from '../chart';
import { formatCount, formatDuration } from '../format';
import { queueKey, type QueuePoints } from '../live';
import { formatMoney, fromMinor, plotValue, toMinor } from '../money';
import { useLive, useSession, type Me } from '../session';
import { Amount, Figure, Figures, ParticipantName, Section } from '../ui';

/** The figure of the view's scope in a currency: the currency's totals, or (banks and FX
 * providers, who see no totals) their own. */
function scopeFigure(queue: QueueWire, me: Me, currency: string): QueueFigureWire | undefined {
  return me.kind === 'operator' || me.kind === 'central_bank'
    ? queue.currencies.find((figure) => figure.currency === currency)
    : queue.participants.find(
        (figure) => figure.currency === currency && figure.participant === me.id,
      );
}

/** upper − peak in the currency's minor units, as an exact decimal string (never below 0). */
function savedOf(figure: QueueFigureWire): string {
  const decimals = Math.max(
    figure.upperBound.split('.')[1]?.length ?? 0,
    figure.peakLiquidityUsed.split('.')[1]?.length ?? 0,
  );
  const upper = toMinor(figure.upperBound, decimals) ?? 0n;
  const peak = toMinor(figure.peakLiquidityUsed, decimals) ?? 0n;
  return fromMinor(upper > peak ? upper - peak : 0n, decimals);
}

function queueTime(ms: number, settled: number, locale: string): string {
  if (settled === 0) return '—';
  return ms === 0 ? 'at once' : `≤ ${formatDuration(ms, locale)}`;
}

/** The share settled within an hour, as a percentage; a dash before anything settled. */
function withinHour(figure: QueueFigureWire, locale: string): string {
  if (figure.settledCount === 0) return '—';
  return `${formatCount(Math.round(figure.settledWithinHourShare * 1_000) / 10, locale, 1)}%`;
}

function minutesOf(times: readonly number[]): number {
  return times.length > 1 ? Math.round(((times[times.length - 1] ?? 0) - (times[0] ?? 0)) / 60) : 0;
}

function QueueFigures({ figure, who }: { figure: QueueFigureWire; who: string }) {
  const { locale } = useSession();
  const money = (amount: string) => ({ amount, currency: figure.currency });
  const share = figure.settledWithinHourShare * 100;
  return (
    <Figures label={`Settlement queue and offsetting, ${who}`}>
      <Figure
        label="Queued payments"
        value={formatCount(figure.queuedCount, locale)}
        hint={meaning(DEFINE.queued)}
      />
      <Figure
        label="Queued value"
        value={<Amount money={money(figure.queuedValue)} strong compact />}
        hint={meaning(DEFINE.queuedValue)}
      />
      <Figure
        label="Queue time p50 / p99"
        value={`${queueTime(figure.queueTimeP50Ms, figure.settledCount, locale)} / ${queueTime(figure.queueTimeP99Ms, figure.settledCount, locale)}`}
        hint={`${meaning(DEFINE.queueTime)} Over ${formatCount(figure.settledCount, locale)} settled today.`}
      />
      <Figure
        label="Settled within 1 hour"
        value={withinHour(figure, locale)}
        tone={figure.settledCount === 0 ? undefined : share >= 75 ? 'good' : 'warn'}
        hint={meaning(DEFINE.withinHour)}
      />
      <Figure
        label="Settled through offsetting"
        value={<Amount money={money(figure.offsetValue)} strong compact />}
        hint={meaning(DEFINE.offset)}
      />
      <Figure
        label="Gridlocks resolved"
        value={formatCount(figure.gridlocksResolved, locale)}
        hint={meaning(DEFINE.gridlocks)}
      />
    </Figures>
  );
}

function BoundsFigures({ figure, who }: { figure: QueueFigureWire; who: string }) {
  const money = (amount: string) => ({ amount, currency: figure.currency });
  return (
    <Figures label={`Liquidity used and the day's bounds, ${who}`}>
      <Figure
        label="Liquidity used now"
        value={<Amount money={money(figure.liquidityUsed)} strong compact />}
        hint={meaning(DEFINE.used)}
      />
      <Figure
        label="Peak liquidity used"
        value={<Amount money={money(figure.peakLiquidityUsed)} strong compact />}
        hint={meaning(DEFINE.peak)}
      />
      <Figure
        label="Upper bound (gross, no queue)"
        value={<Amount money={money(figure.upperBound)} strong compact />}
        hint={meaning(DEFINE.upper)}
      />
      <Figure
        label="Lower bound (net at day end)"
        value={<Amount money={money(figure.lowerBound)} strong compact />}
        hint={meaning(DEFINE.lower)}
      />
      <Figure
        label="Saved against gross settlement"
        value={<Amount money={money(savedOf(figure))} strong compact />}
        tone="good"
        hint={meaning(DEFINE.saved)}
      />
    </Figures>
  );
}

function QueueChart({
  currency,
  points,
  who,
}: {
  currency: string;
  points: QueuePoints | undefined;
  who: string;
}) {
  const live = useLive();
  const { locale } = useSession();
  const times = live.queueSeries.times;
  const counts = points?.queuedCount ?? [];
  const values = points?.queuedValue ?? [];
  const last = counts[counts.length - 1];
  return (
    <div class="grid-2">
      <Chart
        title={`Queued payments in ${currency} over time`}
        times={times}
        summary={
          `Payments waiting in the settlement queue in ${currency}, ${who}, over the last ` +
          `${minutesOf(times)} minutes; now ${last === null || last === undefined ? 'unknown' : formatCount(last, locale)}.`
        }
        series={[
          {
            label: 'Queued payments',
            values: counts,
            format: (value) => formatCount(value, locale),
          },
        ]}
      />
      <Chart
        title={`Queued value in ${currency} over time`}
        times={times}
        summary={`What the queued payments in ${currency} would debit, ${who}, over the last ${minutesOf(times)} minutes.`}
        series={[
          {
            label: 'Queued value',
            values: values.map(plotValue),
            exact: values.map((value) =>
              value === null ? null : formatMoney(value, currency, locale),
            ),
          },
        ]}
      />
    </div>
  );
}

function BoundsChart({
  currency,
  points,
  who,
}: {
  currency: string;
  points: QueuePoints | undefined;
  who: string;
}) {
  const live = useLive();
  const { locale } = useSession();
  const line = (label: string, values: readonly (string | null)[] | undefined, dashed = false) => ({
    label,
    values: (values ?? []).map(plotValue),
    exact: (values ?? []).map((value) =>
      value === null ? null : formatMoney(value, currency, locale),
    ),
    dashed,
  });
  return (
    <Chart
      title={`Liquidity used against the day's bounds in ${currency}`}
      times={live.queueSeries.times}
      summary={
        `Liquidity used now and at its peak, against the upper bound (everything gross, at ` +
        `once) and the lower bound (the day's net debit position), ${who}, in ${currency}, ` +
        `over the last ${minutesOf(live.queueSeries.times)} minutes.`
      }
      series={[
        line('Used now', points?.liquidityUsed),
        line('Peak used', points?.peakLiquidityUsed),
        line('Upper bound', points?.upperBound, true),
        line('Lower bound', points?.lowerBound, true),
      ]}
    />
  );
}

/** One column of the per-participant table: its heading, definition and cell. */
interface QueueColumn {
  readonly label: string;
  readonly title: string;
  readonly cell: (figure: QueueFigureWire, locale: string) => ComponentChildren;
}

const amountCell =
  (pick: (figure: QueueFigureWire) => string) =>
  (figure: QueueFigureWire): ComponentChildren => (
    <Amount money={{ amount: pick(figure), currency: figure.currency }} />
  );

const QUEUE_COLUMNS: readonly QueueColumn[] = [
  {
    label: 'Queued',
    title: DEFINE.queued,
    cell: (figure, locale) => formatCount(figure.queuedCount, locale),
  },
  { label: 'Queued value', title: DEFINE.queuedValue, cell: amountCell((f) => f.queuedValue) },
  { label: 'Peak used', title: DEFINE.peak, cell: amountCell((f) => f.peakLiquidityUsed) },
  { label: 'Upper bound', title: DEFINE.upper, cell: amountCell((f) => f.upperBound) },
  { label: 'Lower bound', title: DEFINE.lower, cell: amountCell((f) => f.lowerBound) },
  { label: 'Offset value', title: DEFINE.offset, cell: amountCell((f) => f.offsetValue) },
  {
    label: 'Queue time p50 / p99',
    title: DEFINE.queueTime,
    cell: (figure, locale) =>
      `${queueTime(figure.queueTimeP50Ms, figure.settledCount, locale)} / ` +
      queueTime(figure.queueTimeP99Ms, figure.settledCount, locale),
  },
  {
    label: 'Within 1 h',
    title: DEFINE.withinHour,
    cell: (figure, locale) => withinHour(figure, locale),
  },
  {
    label: 'Gridlocks',
    title: DEFINE.gridlocks,
    cell: (figure, locale) => formatCount(figure.gridlocksResolved, locale),
  },
];

/** Every participant's figures in the currency (operator and central banks). */
function ParticipantQueueTable({ figures }: { figures: readonly QueueFigureWire[] }) {
  const { locale } = useSession();
  if (figures.length === 0)
    return <p class="empty">No participant has queued or settled a payment today.</p>;
  return (
    <div class="table-wrap">
      <table class="responsive queue-table">
        <caption class="visually-hidden">Queue and liquidity figures per participant</caption>
        <thead>
          <tr>
            <th scope="col">Participant</th>
            {QUEUE_COLUMNS.map((column) => (
              <th key={column.label} scope="col" class="num" title={column.title}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {figures.map((figure) => (
            <tr key={queueKey(figure)}>
              <th scope="row" data-label="Participant">
                <ParticipantName id={figure.participant ?? ''} />
              </th>
              {QUEUE_COLUMNS.map((column) => (
                <td key={column.label} class="num" data-label={column.label}>
                  {column.cell(figure, locale)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function QueuePanels({ queue, currency }: { queue: QueueWire; currency: string }) {
  const live = useLive();
  const { me } = useSession();
  const figure = scopeFigure(queue, me, currency);
  const who =
    me.kind === 'operator' || me.kind === 'central_bank' ? 'all participants' : 'your payments';
  const points = live.queueSeries.series.get(
    queueKey({
      currency,
      ...(me.kind === 'operator' || me.kind === 'central_bank' ? {} : { participant: me.id }),
    }),
  );
  const participants = queue.participants.filter((item) => item.currency === currency);
  if (!queue.enabled && figure === undefined) {
    return (
      <Section title="Settlement queue" id="queue">
        <p class="empty" data-queue="off">
          The settlement queue is off on this network: a payment that cannot be funded at once is
          refused, so nothing waits and nothing is offset. Queue and liquidity figures appear here
          once the network switches the queue on (network settings, queue.enabled).
        </p>
      </Section>
    );
  }
  return (
    <>
      <Section title={`Settlement queue in ${currency}`} id="queue">
        {figure === undefined ? (
          <p class="empty">Nothing queued or settled in {currency} today.</p>
        ) : (
          <QueueFigures figure={figure} who={who} />
        )}
        <QueueChart currency={currency} points={points} who={who} />
      </Section>
      <Section title={`Liquidity used against the day's bounds in ${currency}`} id="bounds">
        {figure === undefined ? null : <BoundsFigures figure={figure} who={who} />}
        <BoundsChart currency={currency} points={points} who={who} />
        <p class="help">
          Bounds as in the Bank of Finland's BoF-PSS simulator; the day is the network's UTC day (
          {queue.day}). See docs/liquidity.md.
        </p>
      </Section>
      {me.kind === 'operator' || me.kind === 'central_bank' ? (
        <Section title={`Per participant in ${currency}`} id="queue-participants">
          <ParticipantQueueTable figures={participants} />
        </Section>
      ) : null}
    </>
  );
}
