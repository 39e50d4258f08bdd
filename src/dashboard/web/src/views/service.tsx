// Service figures, against the G20 targets for cross-border payments (2027): speed, the share
// credited within an hour of arrival (target 75%) with held, queued, pending and rejected
// payments counted, and time to credit from the request's arrival; cost, the FX spread against
// the mid rate plus fees (retail target: 1% on average). Each figure's definition is shown
// beside it, in the words /metrics uses (src/dashboard/definitions.ts).
import { SERVICE_DEFINITIONS } from '../../../definitions';
import type { CorridorStats, Percentiles } from '../../../protocol';
import { formatCount, formatDuration } from '../format';
import { percentOf } from '../money';
import { useLive, useSession } from '../session';
import { Amount, Figure, Figures, Loading, PageTitle, Section } from '../ui';

const SPEED_TARGET = 75;
const COST_TARGET_BPS = 100;

/** Payments whose one-hour verdict is known: finished, or open for more than an hour. */
function dueOf(corridor: CorridorStats): number {
  return corridor.receivedToday - corridor.openUnderHourToday;
}

function formatBps(bps: number | null, locale: string): string {
  if (bps === null) return '—';
  const number = (value: number, digits: number): string =>
    new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
  return `${number(bps, 1)} bp (${number(bps / 100, 3)}%)`;
}

function Meter({ value, target, label }: { value: number; target: number; label: string }) {
  return (
    <div class="meter-wrap">
      <p class="help" aria-hidden="true">
        0% <span class="meter-legend">the mark is the target, {target}%</span> 100%
      </p>
      <div class="meter-bar">
        <meter
          min={0}
          max={100}
          low={target - 0.001}
          optimum={100}
          value={value}
          aria-label={label}
        />
        <span class="meter-target" style={{ left: `${target}%` }} aria-hidden="true" />
      </div>
    </div>
  );
}

function CostTable({ corridors }: { corridors: readonly CorridorStats[] }) {
  const { locale } = useSession();
  if (corridors.length === 0)
    return <p class="empty">No cross-border payment has arrived or settled today.</p>;
  return (
    <div class="table-wrap">
      <table class="responsive">
        <caption class="visually-hidden">Speed and cost per corridor, today</caption>
        <thead>
          <tr>
            <th scope="col">Corridor</th>
            <th scope="col" class="num">
              Received
            </th>
            <th scope="col" class="num" title={SERVICE_DEFINITIONS.withinHour}>
              Within 1 h
            </th>
            <th scope="col" class="num">
              Settled
            </th>
            <th scope="col" class="num">
              Sent
            </th>
            <th scope="col" class="num">
              Fees
            </th>
            <th scope="col" class="num" title={SERVICE_DEFINITIONS.cost}>
              Cost (spread + fees)
            </th>
          </tr>
        </thead>
        <tbody>
          {corridors.map((corridor) => {
            const share = percentOf(BigInt(corridor.withinHourToday), BigInt(dueOf(corridor)), 1);
            return (
              <tr key={`${corridor.source}>${corridor.target}`}>
                <th scope="row" data-label="Corridor">
                  {corridor.source} → {corridor.target}
                </th>
                <td class="num" data-label="Received">
                  {formatCount(corridor.receivedToday, locale)}
                </td>
                <td class="num" data-label="Within 1 h">
                  {share === undefined ? '—' : `${share}%`}
                </td>
                <td class="num" data-label="Settled">
                  {formatCount(corridor.settledToday, locale)}
                </td>
                <td class="num" data-label="Sent">
                  <Amount money={corridor.sentToday} />
                </td>
                <td class="num" data-label="Fees">
                  <Amount money={corridor.feesToday} />
                </td>
                <td class="num" data-label="Cost (spread + fees)">
                  {formatBps(corridor.costBps, locale)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function sum(corridors: readonly CorridorStats[], pick: (c: CorridorStats) => number): number {
  return corridors.reduce((total, corridor) => total + pick(corridor), 0);
}

function SpeedSection({
  corridors,
  speed,
}: {
  corridors: readonly CorridorStats[];
  speed: Percentiles;
}) {
  const { locale } = useSession();
  const due = sum(corridors, dueOf);
  const within = sum(corridors, (c) => c.withinHourToday);
  const late = sum(corridors, (c) => c.creditedLateToday);
  const rejected = sum(corridors, (c) => c.rejectedToday);
  const overdue = sum(corridors, (c) => c.openOverHourToday);
  const undecided = sum(corridors, (c) => c.openUnderHourToday);
  const share = percentOf(BigInt(within), BigInt(due), 1);
  const count = (value: number): string => formatCount(value, locale);
  return (
    <Section title="Speed" id="speed">
      <Figures label="Speed">
        <Figure
          label="Credited within 1 hour"
          value={share === undefined ? '—' : `${share}%`}
          tone={share === undefined ? undefined : Number(share) >= SPEED_TARGET ? 'good' : 'bad'}
          hint={`${count(within)} of ${count(due)} received today · G20 target ${SPEED_TARGET}%`}
        />
        <Figure
          label="Not within 1 hour"
          value={count(late + rejected + overdue)}
          hint={`${count(late)} credited later · ${count(rejected)} rejected · ${count(overdue)} still open after 1 h`}
        />
        <Figure
          label="Time to credit, median"
          value={formatDuration(speed.p50, locale)}
          hint="from the request's arrival to the creditor agent credited"
        />
        <Figure
          label="90th / 99th percentile"
          value={`${formatDuration(speed.p90, locale)} / ${formatDuration(speed.p99, locale)}`}
        />
        <Figure
          label="Slowest"
          value={formatDuration(speed.max, locale)}
          hint={`of the last ${count(speed.count)} cross-border payments credited`}
        />
      </Figures>
      {share === undefined ? null : (
        <Meter
          value={Number(share)}
          target={SPEED_TARGET}
          label={`Credited within one hour: ${share}%; target ${SPEED_TARGET}%`}
        />
      )}
      <p class="help">
        {SERVICE_DEFINITIONS.withinHour} {count(undecided)} payments received less than an hour ago
        are still open and not counted yet. {SERVICE_DEFINITIONS.timeToCredit} The percentiles are
        over recently credited payments.
      </p>
    </Section>
  );
}

function CostSection({ corridors }: { corridors: readonly CorridorStats[] }) {
  return (
    <Section title="Cost" id="cost">
      <p>
        Every fee is shown before a payment is sent: the quote lists the scheme fee and the FX
        provider's fee, the mid rate and the rate applied, the exact amount debited and the exact
        amount credited, and it stays firm until it expires. G20 retail target: 1% (
        {COST_TARGET_BPS} bp) on average.
      </p>
      <p class="help">
        {SERVICE_DEFINITIONS.cost} The mid rate is the rate the FX provider published; the spread is
        what its quote took from it.
      </p>
      <CostTable corridors={corridors} />
    </Section>
  );
}

export function ServiceView() {
  const live = useLive();
  const { me } = useSession();
  const stats = live.stats;
  if (stats === undefined) {
    return (
      <>
        <PageTitle>Service figures</PageTitle>
        <Loading label="Waiting for the live stream…" />
      </>
    );
  }
  const crossBorder = stats.corridors.filter((corridor) => corridor.source !== corridor.target);
  return (
    <>
      <PageTitle
        lead={`${me.kind === 'operator' ? 'Network-wide' : 'Your'} cross-border payments on ${stats.day} (UTC), against the G20 targets for 2027.`}
      >
        Service figures
      </PageTitle>
      <SpeedSection corridors={crossBorder} speed={stats.timeToCreditCrossBorder} />
      <CostSection corridors={crossBorder} />
    </>
  );
}
