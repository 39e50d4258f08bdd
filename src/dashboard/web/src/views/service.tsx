// Service figures, against the G20 targets for cross-border payments (2027): speed, the share
// credited within an hour of being sent (target 75%), and time to credit; cost, the fees as a
// share of the amount sent (retail target: 1% on average), computed exactly from the day's
// sums. Every payment's cost is also shown up front: a firm quote before it is sent.
import type { CorridorStats } from '../../../protocol';
import { formatCount, formatDuration } from '../format';
import { percentOf, toMinor, decimalsOf } from '../money';
import { useLive, useSession } from '../session';
import { Amount, Figure, Figures, Loading, PageTitle, Section } from '../ui';

const SPEED_TARGET = 75;

function costPercent(corridor: CorridorStats, places = 4): string | undefined {
  const decimals = Math.max(
    decimalsOf(corridor.sentToday.amount),
    decimalsOf(corridor.feesToday.amount),
  );
  const fees = toMinor(corridor.feesToday.amount, decimals);
  const sent = toMinor(corridor.sentToday.amount, decimals);
  return fees === undefined || sent === undefined ? undefined : percentOf(fees, sent, places);
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
    return <p class="empty">No cross-border payment has settled today.</p>;
  return (
    <div class="table-wrap">
      <table class="responsive">
        <caption class="visually-hidden">Speed and cost per corridor, today</caption>
        <thead>
          <tr>
            <th scope="col">Corridor</th>
            <th scope="col" class="num">
              Settled
            </th>
            <th scope="col" class="num">
              Within 1 h
            </th>
            <th scope="col" class="num">
              Sent
            </th>
            <th scope="col" class="num">
              Fees
            </th>
            <th scope="col" class="num">
              Cost
            </th>
          </tr>
        </thead>
        <tbody>
          {corridors.map((corridor) => {
            const cost = costPercent(corridor);
            return (
              <tr key={`${corridor.source}>${corridor.target}`}>
                <th scope="row" data-label="Corridor">
                  {corridor.source} → {corridor.target}
                </th>
                <td class="num" data-label="Settled">
                  {formatCount(corridor.settledToday, locale)}
                </td>
                <td class="num" data-label="Within 1 h">
                  {percentOf(BigInt(corridor.withinHourToday), BigInt(corridor.settledToday), 1) ??
                    '—'}
                  %
                </td>
                <td class="num" data-label="Sent">
                  <Amount money={corridor.sentToday} />
                </td>
                <td class="num" data-label="Fees">
                  <Amount money={corridor.feesToday} />
                </td>
                <td class="num" data-label="Cost">
                  {cost === undefined ? '—' : `${cost}%`}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function ServiceView() {
  const live = useLive();
  const { locale, me } = useSession();
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
  const settled = crossBorder.reduce((sum, corridor) => sum + corridor.settledToday, 0);
  const within = crossBorder.reduce((sum, corridor) => sum + corridor.withinHourToday, 0);
  const share = percentOf(BigInt(within), BigInt(settled), 1);
  const speed = stats.timeToCreditCrossBorder;
  return (
    <>
      <PageTitle
        lead={`${me.kind === 'operator' ? 'Network-wide' : 'Your'} cross-border payments settled on ${stats.day} (UTC), against the G20 targets for 2027.`}
      >
        Service figures
      </PageTitle>
      <Section title="Speed" id="speed">
        <Figures label="Speed">
          <Figure
            label="Credited within 1 hour"
            value={share === undefined ? '—' : `${share}%`}
            tone={share === undefined ? undefined : Number(share) >= SPEED_TARGET ? 'good' : 'bad'}
            hint={`${formatCount(within, locale)} of ${formatCount(settled, locale)} · G20 target ${SPEED_TARGET}%`}
          />
          <Figure
            label="Time to credit, median"
            value={formatDuration(speed.p50, locale)}
            hint="from sending to the creditor agent credited"
          />
          <Figure
            label="90th / 99th percentile"
            value={`${formatDuration(speed.p90, locale)} / ${formatDuration(speed.p99, locale)}`}
          />
          <Figure
            label="Slowest"
            value={formatDuration(speed.max, locale)}
            hint={`of the last ${formatCount(speed.count, locale)} cross-border payments`}
          />
        </Figures>
        {share === undefined ? null : (
          <Meter
            value={Number(share)}
            target={SPEED_TARGET}
            label={`Credited within one hour: ${share}%; target ${SPEED_TARGET}%`}
          />
        )}
      </Section>
      <Section title="Cost" id="cost">
        <p>
          Every fee is shown before a payment is sent: the quote lists the scheme fee and the FX
          provider's fee, the exact amount debited and the exact amount credited, and it stays firm
          until it expires. The figures below are explicit fees over the amount sent; the FX spread
          (shown on each quote against the mid rate) comes on top. G20 retail target: 1% on average.
        </p>
        <CostTable corridors={crossBorder} />
      </Section>
    </>
  );
}
