// Liquidity: the settlement queue and the day's liquidity figures (./queue.tsx); balances,
// funds reserved by pending payments, incoming funds and intraday credit per participant and
// currency (your own, your currency's, or all), supply per currency for central banks, and both
// over time. Figures come from the live stream, charts from the server's recent samples
// extended by every frame.
import { useState } from 'preact/hooks';
import type { AccountWire } from '../../../protocol';
import { QueuePanels } from './queue';
import { Chart, type ChartSeries } from '../chart';
import { compareAmounts, formatMoney, plotValue } from '../money';
import { useLive, useSession } from '../session';
import { Amount, Figure, Figures, Loading, PageTitle, ParticipantName, Section } from '../ui';
import { FacilitiesPanel, SwapLinesPanel } from './facilities';

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
          <SwapLinesPanel currency={currency} />
        </>
      )}
    </>
  );
}
