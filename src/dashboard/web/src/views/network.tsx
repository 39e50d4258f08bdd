// Network: the member countries and their currencies, and the corridors between them with
// live flows (payments per second) and the value settled today per currency pair, for what
// the caller may see: a bank its own corridors, a central bank its currency's, the operator all.
import type { CorridorStats } from '../../../protocol';
import { CorridorMap, type Member } from '../corridor-map';
import { countryName, formatCount } from '../format';
import { useLive, useSession } from '../session';
import { Amount, Figure, Figures, Loading, PageTitle, Section } from '../ui';

function scopeText(kind: string, currencies: readonly string[]): string {
  if (kind === 'operator') return 'Every corridor of the network.';
  if (kind === 'central_bank') return `Corridors that settle in ${currencies.join(', ')}.`;
  if (kind === 'fx_provider') return 'The corridors you convert for.';
  return 'The corridors your payments use.';
}

function CorridorTable({ corridors }: { corridors: readonly CorridorStats[] }) {
  const { locale } = useSession();
  if (corridors.length === 0)
    return <p class="empty">No payments have settled in these corridors today.</p>;
  const sorted = [...corridors].sort(
    (a, b) => b.settledToday - a.settledToday || b.perSecond - a.perSecond,
  );
  return (
    <div class="table-wrap">
      <table class="responsive">
        <caption class="visually-hidden">Corridors: flows now and value settled today</caption>
        <thead>
          <tr>
            <th scope="col">Corridor</th>
            <th scope="col" class="num">
              Payments/s
            </th>
            <th scope="col" class="num">
              Settled today
            </th>
            <th scope="col" class="num">
              Sent
            </th>
            <th scope="col" class="num">
              Credited
            </th>
            <th scope="col" class="num">
              Fees
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((corridor) => (
            <tr key={`${corridor.source}>${corridor.target}`}>
              <th scope="row" data-label="Corridor">
                {corridor.source} → {corridor.target}
                {corridor.source === corridor.target ? (
                  <span class="muted small"> domestic</span>
                ) : null}
              </th>
              <td class="num" data-label="Payments/s">
                {formatCount(corridor.perSecond, locale, 1)}
              </td>
              <td class="num" data-label="Settled today">
                {formatCount(corridor.settledToday, locale)}
              </td>
              <td class="num" data-label="Sent">
                <Amount money={corridor.sentToday} />
              </td>
              <td class="num" data-label="Credited">
                <Amount money={corridor.creditedToday} />
              </td>
              <td class="num" data-label="Fees">
                <Amount money={corridor.feesToday} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MemberList({ members }: { members: readonly Member[] }) {
  const { currencies, participants, live } = useSession();
  // Live supply where the stream carries it (your currencies), else the figure at sign-in.
  const supply = new Map(
    (live.liquidity?.supply ?? []).map((item) => [item.currency, item.amount]),
  );
  return (
    <ul class="members">
      {members.map((member) => {
        const currency = currencies.get(member.currency);
        const issuer = currency === undefined ? undefined : participants.get(currency.issuer);
        return (
          <li key={member.currency}>
            <span class="member-code">{member.currency}</span>
            <span class="member-name">{member.name}</span>
            <span class="muted small">{issuer?.name ?? currency?.issuer}</span>
            <span class="member-supply">
              <span class="muted small">Supply</span>{' '}
              <Amount
                compact
                money={
                  currency === undefined
                    ? undefined
                    : {
                        amount: supply.get(member.currency) ?? currency.supply,
                        currency: member.currency,
                      }
                }
              />
            </span>
          </li>
        );
      })}
    </ul>
  );
}

export function useMembers(): Member[] {
  const { currencies, participants, locale } = useSession();
  return [...currencies.values()].map((currency) => {
    const country = participants.get(currency.issuer)?.country ?? '';
    return { currency: currency.code, country, name: countryName(country, locale) };
  });
}

export function NetworkView() {
  const live = useLive();
  const { me, locale } = useSession();
  const members = useMembers();
  const stats = live.stats;
  const own = me.kind === 'central_bank' ? me.issues : me.kind === 'operator' ? [] : me.currencies;
  const corridors = stats?.corridors ?? [];
  const settledToday = corridors.reduce((sum, corridor) => sum + corridor.settledToday, 0);
  const busiest = [...corridors].sort((a, b) => b.perSecond - a.perSecond)[0];
  const summary =
    `${members.length} member currencies; ${corridors.length} corridors with payments today` +
    (busiest === undefined
      ? '.'
      : `; busiest now ${busiest.source} to ${busiest.target} at ` +
        `${formatCount(busiest.perSecond, locale, 1)} payments per second.`);
  return (
    <>
      <PageTitle lead={scopeText(me.kind, me.kind === 'central_bank' ? me.issues : me.currencies)}>
        Network
      </PageTitle>
      {stats === undefined ? (
        <Loading label="Waiting for the live stream…" />
      ) : (
        <Figures label="Flows now">
          <Figure
            label="Payments accepted"
            value={`${formatCount(stats.acceptedPerSecond, locale, 1)}/s`}
            hint="last 10 s"
          />
          <Figure
            label="Payments settled"
            value={`${formatCount(stats.settledPerSecond, locale, 1)}/s`}
            hint="last 10 s"
          />
          <Figure
            label="Settled today"
            value={formatCount(settledToday, locale)}
            hint={`network day ${stats.day} (UTC)`}
          />
          <Figure
            label="Active corridors"
            value={formatCount(corridors.filter((c) => c.perSecond > 0).length, locale)}
            hint={`of ${formatCount(corridors.length, locale)} used today`}
          />
        </Figures>
      )}
      <Section title="Corridor map" id="map">
        <CorridorMap
          members={members}
          corridors={corridors}
          own={own}
          locale={locale}
          summary={summary}
        />
        <p class="help">
          Arrows run from the paying currency to the receiving one; their width follows today's
          count and the current flow, and they move while payments settle.
        </p>
      </Section>
      <Section title="Corridors" id="corridors">
        <CorridorTable corridors={corridors} />
      </Section>
      <Section title="Members" id="members">
        <MemberList members={members} />
      </Section>
    </>
  );
}
