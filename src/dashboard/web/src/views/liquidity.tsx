// Liquidity: the settlement queue (depth and value, and a chart of it over time), the day's
// liquidity figures (peak used against the BoF-PSS upper and lower bounds, with a chart, queue
// times, value settled through offsetting, gridlocks resolved), each with its definition beside
// it; then balances, funds reserved by pending payments, incoming funds and intraday credit per
// participant and currency (your own, your currency's, or all), supply per currency for central
// banks, and both over time. Figures come from the live stream, charts from the server's recent
// samples extended by every frame.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { LIQUIDITY_DEFINITIONS as DEFINE, meaning } from '../../../definitions';
import type { AccountWire, QueueFigureWire, QueueWire } from '../../../protocol';
import { Chart, type ChartSeries } from '../chart';
import { formatCount, formatDuration } from '../format';
import { queueKey, type QueuePoints } from '../live';
import { compareAmounts, formatMoney, fromMinor, plotValue, toMinor } from '../money';
import { useLive, useSession, type Me } from '../session';
import { Amount, Figure, Figures, Loading, PageTitle, ParticipantName, Section } from '../ui';
import { FacilitiesPanel } from './facilities';

const ROLE_LABELS: Readonly<Record<AccountWire['role'], string>> = {
  settlement: 'Settlement',
  issuance: 'Issuance (money issued)',
  fees: 'Fees earned',
};
/** One colour each (the chart palette): more accounts than this are named under the chart. */
const SERIES_MAX = 8;

/** How an account is named in the chart legend: as in the table's Participant and Account. */
function seriesLabel(name: string, role: AccountWire['role']): string {
  return role === 'settlement' ? name : `${name} · ${ROLE_LABELS[role]}`;
}

function AccountsTable({ accounts }: { accounts: readonly AccountWire[] }) {
  if (accounts.length === 0) return <p class="empty">No accounts in this currency.</p>;
  const money = (amount: string, currency: string) =>
    amount === '' ? undefined : { amount, currency };
  return (
    <div class="table-wrap">
      <table class="responsive">
        <caption class="visually-hidden">Balances per participant</caption>
        <thead>
          <tr>
            <th scope="col">Participant</th>
            <th scope="col">Account</th>
            <th scope="col" class="num">
              Balance
            </th>
            <th scope="col" class="num">
              Reserved
            </th>
            <th scope="col" class="num">
              Incoming
            </th>
            <th scope="col" class="num">
              Available
            </th>
            <th scope="col" class="num">
              Intraday credit
            </th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((account) => (
            <tr key={`${account.participantId}|${account.role}`}>
              <th scope="row" data-label="Participant">
                <ParticipantName id={account.participantId} />
              </th>
              <td data-label="Account">{ROLE_LABELS[account.role]}</td>
              <td class="num" data-label="Balance">
                <Amount money={money(account.posted, account.currency)} strong />
              </td>
              <td class="num" data-label="Reserved">
                <Amount money={money(account.reserved, account.currency)} />
              </td>
              <td class="num" data-label="Incoming">
                <Amount money={money(account.incoming, account.currency)} />
              </td>
              <td class="num" data-label="Available">
                <Amount money={money(account.available, account.currency)} />
              </td>
              <td class="num" data-label="Intraday credit">
                <Amount money={money(account.creditLimit, account.currency)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function BalanceChart({
  currency,
  accounts,
}: {
  currency: string;
  accounts: readonly AccountWire[];
}) {
  const live = useLive();
  const { participants, locale } = useSession();
  const name = (account: AccountWire): string =>
    seriesLabel(
      participants.get(account.participantId)?.name ?? account.participantId,
      account.role,
    );
  // Every account of the table but the issuance one (its balance is minus the supply). When
  // there are more than colours, the largest balances are drawn and the rest named below; the
  // legend keeps the table's order.
  const eligible = accounts.filter((account) => account.role !== 'issuance');
  const largest = new Set(
    [...eligible].sort((a, b) => compareAmounts(b.posted, a.posted)).slice(0, SERIES_MAX),
  );
  const chosen = eligible.filter((account) => largest.has(account));
  const hidden = eligible.filter((account) => !largest.has(account));
  const series: ChartSeries[] = chosen.map((account) => {
    const exact =
      live.series.posted.get(`${account.participantId}|${account.currency}|${account.role}`) ?? [];
    return {
      label: name(account),
      values: exact.map(plotValue),
      exact: exact.map((value) => (value === null ? null : formatMoney(value, currency, locale))),
    };
  });
  if (series.length === 0) return null;
  const note =
    hidden.length === 0
      ? `All ${eligible.length} accounts shown.`
      : `Largest ${chosen.length} of ${eligible.length} shown; ${hidden.length} more: ` +
        `${hidden.map(name).join(', ')} (see the table).`;
  return (
    <>
      <Chart
        title={`Balances in ${currency} over time`}
        times={live.series.times}
        series={series}
        summary={
          `Balances of ${series.map((s) => s.label).join(', ')} in ${currency} over the last ` +
          `${Math.round(
            (live.series.times.length > 1
              ? (live.series.times[live.series.times.length - 1] ?? 0) - (live.series.times[0] ?? 0)
              : 0) / 60,
          )} minutes. ${note}`
        }
      />
      <p class="help chart-note">{note}</p>
    </>
  );
}

function SupplyPanel({ currency }: { currency: string }) {
  const live = useLive();
  const { locale } = useSession();
  const supply = live.liquidity?.supply.find((item) => item.currency === currency);
  const exact = live.series.supply.get(currency) ?? [];
  return (
    <Section title={`${currency} supply`} id={`supply-${currency}`}>
      <Figures label={`${currency} supply`}>
        <Figure
          label="In circulation"
          value={<Amount money={supply} strong compact />}
          hint="settlement money issued, less redeemed"
        />
      </Figures>
      <Chart
        title={`${currency} supply over time`}
        times={live.series.times}
        summary={`Supply of ${currency}, currently ${supply === undefined ? 'unknown' : formatMoney(supply.amount, currency, locale)}.`}
        series={[
          {
            label: 'Supply',
            values: exact.map(plotValue),
            exact: exact.map((value) =>
              value === null ? null : formatMoney(value, currency, locale),
            ),
          },
        ]}
      />
    </Section>
  );
}

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

function QueuePanels({ queue, currency }: { queue: QueueWire; currency: string }) {
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

export function LiquidityView() {
  const live = useLive();
  const { me } = useSession();
  const liquidity = live.liquidity;
  const currencies = [
    ...new Set([
      ...(liquidity?.accounts ?? []).map((account) => account.currency),
      ...(live.queue?.participants ?? []).map((figure) => figure.currency),
      ...(live.queue?.currencies ?? []).map((figure) => figure.currency),
    ]),
  ].sort();
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const currency =
    picked !== undefined && currencies.includes(picked)
      ? picked
      : ((me.kind === 'central_bank' ? me.issues[0] : undefined) ?? currencies[0]);
  const accounts = (liquidity?.accounts ?? []).filter((account) => account.currency === currency);
  const showSupply = me.kind === 'central_bank' || me.kind === 'operator';
  return (
    <>
      <PageTitle
        lead={
          me.kind === 'operator'
            ? 'The settlement queue, liquidity used against the bounds, and every account of the network.'
            : me.kind === 'central_bank'
              ? `The settlement queue and liquidity in ${me.issues.join(', ')}, every account in it, and its supply.`
              : 'Your queued payments, the liquidity you used, and your settlement accounts.'
        }
      >
        Liquidity
      </PageTitle>
      {liquidity === undefined || currency === undefined ? (
        <Loading label="Waiting for the live stream…" />
      ) : (
        <>
          {currencies.length > 1 ? (
            <div class="toolbar">
              <label>
                <span>Currency</span>
                <select value={currency} onChange={(event) => setPicked(event.currentTarget.value)}>
                  {currencies.map((code) => (
                    <option key={code} value={code}>
                      {code}
                    </option>
                  ))}
                </select>
              </label>
            </div>
          ) : null}
          {live.queue === undefined ? null : <QueuePanels queue={live.queue} currency={currency} />}
          {showSupply ? <SupplyPanel currency={currency} /> : null}
          <Section title={`Accounts in ${currency}`} id="accounts">
            <AccountsTable accounts={accounts} />
            <p class="help">
              Reserved: held by pending payments (two-phase, or held for review). Available: balance
              − reserved + intraday credit.
            </p>
          </Section>
          <Section title="Over time" id="over-time">
            <BalanceChart currency={currency} accounts={accounts} />
          </Section>
          <FacilitiesPanel currency={currency} />
        </>
      )}
    </>
  );
}
