// Standing facilities in the Liquidity view: for each participant the viewer may see (its own;
// a central bank, those in its currency; the operator, all), the limit, what is lent, interest
// due, and intraday credit found unrepaid at the last day end (overdue). From GET /v1/facilities.
import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../api';
import { useSession } from '../session';
import type { Facility, SwapLine } from '../types';
import { Amount, ParticipantName, Section } from '../ui';

/** What `path` answers, read now and every 10 s, with the last read's error. */
function usePolled<Body, T>(
  path: string,
  pick: (body: Body) => T,
): { value: T | undefined; error: ApiError | undefined } {
  const { api } = useSession();
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  useEffect(() => {
    const load = (): void => {
      api.get<Body>(path).then((body) => {
        setValue(pick(body));
        setError(undefined);
      }, setError);
    };
    load();
    const timer = setInterval(load, 10_000);
    return () => clearInterval(timer);
    // `pick` is a plain projection: the poll restarts only when the API or the path changes.
  }, [api, path]);
  return { value, error };
}

/** The facilities the viewer may see. */
function useFacilities(): { facilities: Facility[] | undefined; error: ApiError | undefined } {
  const { value, error } = usePolled('/v1/facilities',
    (body: { facilities: Facility[] }) => body.facilities);
  return { facilities: value, error };
}

export function FacilitiesPanel({ currency }: { currency: string }) {
  const { facilities, error } = useFacilities();
  const shown = (facilities ?? []).filter((facility) => facility.currency === currency);
  const money = (amount: string) => ({ amount, currency });
  return (
    <Section title={`Standing facilities in ${currency}`} id="facilities">
      {error !== undefined ? (
        <p class="empty">The facilities could not be read: {error.message}</p>
      ) : shown.length === 0 ? (
        <p class="empty">No standing facility in {currency}.</p>
      ) : (
        <div class="table-wrap">
          <table class="responsive">
            <caption class="visually-hidden">Standing facilities</caption>
            <thead>
              <tr>
                <th scope="col">Participant</th>
                <th scope="col" class="num">Limit</th>
                <th scope="col" class="num">Rate</th>
                <th scope="col" class="num">Lent</th>
                <th scope="col" class="num">Interest due</th>
                <th scope="col" class="num">Overdue</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((facility) => (
                <tr key={facility.participantId}>
                  <th scope="row" data-label="Participant">
                    <ParticipantName id={facility.participantId} />
                  </th>
                  <td class="num" data-label="Limit">
                    <Amount money={money(facility.limit)} />
                  </td>
                  <td class="num" data-label="Rate">
                    {(facility.rateBps / 100).toFixed(2)}%
                  </td>
                  <td class="num" data-label="Lent">
                    <Amount money={money(facility.outstanding)} strong />
                  </td>
                  <td class="num" data-label="Interest due">
                    <Amount money={money(facility.interestDue)} />
                  </td>
                  <td class="num" data-label="Overdue">
                    <Amount money={money(facility.overdue)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="help">
        Lent: overnight loans of issued money, drawn on request or converted from intraday credit
        still in use at day end; repaid with simple interest (actual/360). Overdue: intraday
        credit beyond the facility at the last day end.
      </p>
    </Section>
  );
}

/** The swap lines the viewer may see. */
function useSwapLines(): { lines: SwapLine[] | undefined; error: ApiError | undefined } {
  const { value, error } = usePolled('/v1/swap-lines',
    (body: { swapLines: SwapLine[] }) => body.swapLines);
  return { lines: value, error };
}

/**
 * Central-bank swap lines in a currency (GET /v1/swap-lines): the operator and the two central
 * banks see each line whole; an FX provider sees only its own borrowing.
 */
export function SwapLinesPanel({ currency }: { currency: string }) {
  const { lines, error } = useSwapLines();
  const shown = (lines ?? []).filter((line) => line.currency === currency);
  const money = (amount: string) => ({ amount, currency });
  return (
    <Section title={`Swap lines in ${currency}`} id="swap-lines">
      {error !== undefined ? (
        <p class="empty">The swap lines could not be read: {error.message}</p>
      ) : shown.length === 0 ? (
        <p class="empty">No swap line in {currency}.</p>
      ) : (
        <div class="table-wrap">
          <table class="responsive">
            <caption class="visually-hidden">Central-bank swap lines</caption>
            <thead>
              <tr>
                <th scope="col">Held by</th>
                <th scope="col" class="num">Limit</th>
                <th scope="col" class="num">Rate</th>
                <th scope="col" class="num">Drawn</th>
                <th scope="col" class="num">On-lent</th>
                <th scope="col" class="num">Outstanding with interest</th>
                <th scope="col" class="num">Overdue</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((line) => (
                <tr key={line.holder}>
                  <th scope="row" data-label="Held by">
                    <ParticipantName id={line.holder} />
                  </th>
                  <td class="num" data-label="Limit">
                    <Amount money={money(line.limit)} />
                  </td>
                  <td class="num" data-label="Rate">
                    {(line.rateBps / 100).toFixed(2)}%, {line.tenorDays} d
                  </td>
                  <td class="num" data-label="Drawn">
                    <Amount money={money(line.drawn)} strong />
                  </td>
                  <td class="num" data-label="On-lent">
                    <Amount money={money(line.onLent)} />
                  </td>
                  <td class="num" data-label="Outstanding with interest">
                    <Amount money={money(line.drawn)} />
                    {' + '}
                    <Amount money={money(line.interestDue)} />
                  </td>
                  <td class="num" data-label="Overdue">
                    <Amount money={money(line.overdue)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="help">
        A central bank draws the currency from its issuer up to the limit and lends it on to its
        FX providers. Drawn: owed to the issuer; on-lent: owed by providers to the holder;
        interest is simple (actual/360). Overdue: drawn principal past its tenor.
      </p>
    </Section>
  );
}
