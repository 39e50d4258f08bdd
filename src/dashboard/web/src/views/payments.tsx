// Payments: the caller's payments, newest first, filtered on the server and paged with its
// cursor ("Load more"); statuses change in place as the stream reports them, and new payments
// are counted rather than pushed into the list, so it does not move under the reader.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, query } from '../api';
import { formatDateTime, KIND_LABELS, shortId, STATUS_LABELS } from '../format';
import { href, navigate } from '../router';
import { useNames, usePaymentChanges, useResync, useSession } from '../session';
import type { Payment, PaymentPage } from '../types';
import { Amount, ErrorNotice, Loading, PageTitle, StatusBadge } from '../ui';
import { PaymentDetail } from './payment-detail';

interface Filters {
  readonly status: string;
  readonly currency: string;
  readonly participant: string;
  readonly kind: string;
  readonly from: string;
  readonly to: string;
}

const NO_FILTERS: Filters = { status: '', currency: '', participant: '', kind: '', from: '', to: '' };
const PAGE_SIZE = 25;

function nextDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString();
}

function pagePath(filters: Filters, cursor?: string): string {
  return `/v1/payments${query({ status: filters.status, currency: filters.currency,
    participant: filters.participant, kind: filters.kind,
    from: filters.from === '' ? undefined : `${filters.from}T00:00:00.000Z`,
    to: filters.to === '' ? undefined : nextDay(filters.to), limit: PAGE_SIZE, cursor })}`;
}

function FilterForm({ filters, onApply }: { filters: Filters; onApply: (filters: Filters) => void }) {
  const { currencies, participants, me } = useSession();
  const [draft, setDraft] = useState(filters);
  const set = (name: keyof Filters) => (event: Event): void =>
    setDraft({ ...draft, [name]: (event.currentTarget as HTMLInputElement | HTMLSelectElement).value });
  const others = [...participants.values()].filter((p) => p.id !== me.id && p.kind !== 'operator')
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <form class="filters" aria-label="Filter payments" onSubmit={(event) => { event.preventDefault(); onApply(draft); }}>
      <label><span>Status</span>
        <select value={draft.status} onChange={set('status')}>
          <option value="">Any</option>
          {Object.entries(STATUS_LABELS).map(([code, label]) => <option key={code} value={code}>{label} ({code})</option>)}
        </select>
      </label>
      <label><span>Currency</span>
        <select value={draft.currency} onChange={set('currency')}>
          <option value="">Any</option>
          {[...currencies.keys()].sort().map((code) => <option key={code} value={code}>{code}</option>)}
        </select>
      </label>
      <label><span>{me.kind === 'bank' ? 'Counterparty' : 'Participant'}</span>
        <select value={draft.participant} onChange={set('participant')}>
          <option value="">Any</option>
          {others.map((p) => <option key={p.id} value={p.id}>{p.name} ({KIND_LABELS[p.kind]})</option>)}
        </select>
      </label>
      <label><span>Kind</span>
        <select value={draft.kind} onChange={set('kind')}>
          <option value="">All</option>
          <option value="payment">Payments</option><option value="return">Returns</option>
        </select>
      </label>
      <label><span>From (UTC)</span><input type="date" value={draft.from} onChange={set('from')} /></label>
      <label><span>To (UTC)</span><input type="date" value={draft.to} onChange={set('to')} /></label>
      <div class="filter-actions">
        <button type="submit" class="primary">Apply</button>
        <button type="button" class="quiet" onClick={() => { setDraft(NO_FILTERS); onApply(NO_FILTERS); }}>Clear</button>
      </div>
    </form>
  );
}

function matchesText(payment: Payment, text: string): boolean {
  const needle = text.toLowerCase();
  return [payment.id, payment.endToEndId, payment.uetr, payment.debtor.name, payment.creditor.name,
    payment.remittanceInformation ?? ''].some((value) => value.toLowerCase().includes(needle));
}

function PaymentRows({ payments }: { payments: readonly Payment[] }) {
  const { locale } = useSession();
  const name = useNames();
  return (
    <div class="table-wrap">
      <table class="responsive payments-table">
        <caption class="visually-hidden">Payments, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Created</th><th scope="col">Payment</th><th scope="col">From → to</th>
            <th scope="col" class="num">Sent</th><th scope="col" class="num">Credited</th><th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {payments.map((payment) => (
            <tr key={payment.id}>
              <td data-label="Created">{formatDateTime(payment.createdAt, locale)}</td>
              <th scope="row" data-label="Payment">
                <a href={href('payments', payment.id)} class="mono">{shortId(payment.id)}</a>
                {payment.kind === 'return' ? <span class="tag">return</span> : null}
              </th>
              <td data-label="From → to">{name(payment.debtorAgent)} → {name(payment.creditorAgent)}</td>
              <td class="num" data-label="Sent"><Amount money={payment.sendAmount} /></td>
              <td class="num" data-label="Credited"><Amount money={payment.creditAmount} /></td>
              <td data-label="Status"><StatusBadge status={payment.status} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface Pages {
  readonly rows: Payment[] | undefined;
  readonly next: string | null;
  readonly error: ApiError | undefined;
  /** Payments accepted since the first page was loaded (counted, not shown). */
  readonly fresh: number;
  readonly more: () => void;
  readonly reload: () => void;
}

/** The filtered list, page by page, kept current by the stream. */
function usePaymentPages(filters: Filters): Pages {
  const { api } = useSession();
  const [rows, setRows] = useState<Payment[] | undefined>(undefined);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [fresh, setFresh] = useState(0);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    setRows(undefined);
    setError(undefined);
    setFresh(0);
    api.get<PaymentPage>(pagePath(filters)).then((page) => {
      setRows([...page.payments]);
      setNext(page.next);
    }, (caught: ApiError) => setError(caught));
  }, [filters, version]);
  usePaymentChanges((changes) => {
    const known = new Set((rows ?? []).map((row) => row.id));
    setFresh((count) => count + changes.filter((c) => c.status === 'ACTC' && !known.has(c.paymentId)).length);
    const latest = new Map(changes.map((change) => [change.paymentId, change.status]));
    setRows((current) => current?.map((row) => {
      const status = latest.get(row.id);
      return status === undefined ? row : { ...row, status: status as Payment['status'] };
    }));
  });
  const reload = (): void => setVersion((value) => value + 1);
  useResync(reload);
  const more = (): void => {
    if (next === null) return;
    api.get<PaymentPage>(pagePath(filters, next)).then((page) => {
      setRows((current) => [...(current ?? []), ...page.payments]);
      setNext(page.next);
    }, (caught: ApiError) => setError(caught));
  };
  return { rows, next, error, fresh, more, reload };
}

function SearchBox({ search, onSearch }: { search: string; onSearch: (text: string) => void }) {
  const { api } = useSession();
  const [missing, setMissing] = useState<string | undefined>(undefined);
  const find = (event: Event): void => {
    event.preventDefault();
    const text = search.trim();
    setMissing(undefined);
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(text)) return;
    api.get<Payment>(`/v1/payments/${encodeURIComponent(text)}`)
      .then((found) => navigate('payments', found.id), () => setMissing(text));
  };
  return (
    <form class="search" role="search" onSubmit={find}>
      <label for="payment-search">Find</label>
      <input id="payment-search" type="search" value={search} aria-describedby="payment-search-help"
        onInput={(event) => onSearch(event.currentTarget.value)} placeholder="Payment id, end-to-end id, party name" />
      <button type="submit">Open</button>
      <p id="payment-search-help" class="help" aria-live="polite">
        {missing === undefined ? 'Open: the payment with this id. As you type: the loaded payments that '
          + 'contain the text (id, UETR, end-to-end id, party names, remittance).'
          : `No payment you may see has the id "${missing}"; below, the loaded payments that contain it.`}
      </p>
    </form>
  );
}

function PaymentList() {
  const [filters, setFilters] = useState(NO_FILTERS);
  const [search, setSearch] = useState('');
  const { rows, next, error, fresh, more, reload } = usePaymentPages(filters);
  const shown = rows === undefined || search.trim() === '' ? rows
    : rows.filter((row) => matchesText(row, search.trim()));
  return (
    <>
      <FilterForm filters={filters} onApply={setFilters} />
      <SearchBox search={search} onSearch={setSearch} />
      <div aria-live="polite" class="live-region">
        {fresh > 0 ? (
          <p class="notice info">
            {fresh === 1 ? '1 new payment' : `${fresh} new payments`} since this list was loaded.{' '}
            <button type="button" class="link" onClick={reload}>Show</button>
          </p>
        ) : null}
      </div>
      <ErrorNotice error={error} title="Payments could not be loaded" />
      {shown === undefined ? (error === undefined ? <Loading /> : null)
        : shown.length === 0 ? <p class="empty">No payments match.</p> : <PaymentRows payments={shown} />}
      {next !== null && rows !== undefined ? (
        <button type="button" class="more" onClick={more}>Load more</button>
      ) : null}
    </>
  );
}

export function PaymentsView({ paymentId }: { paymentId: string | undefined }) {
  const { me } = useSession();
  if (paymentId !== undefined) return <PaymentDetail id={paymentId} />;
  return (
    <>
      <PageTitle lead={me.kind === 'operator' ? 'Every payment of the network.' : me.kind === 'central_bank'
        ? `Payments that settle in ${me.issues.join(', ')}.` : 'Payments you send, receive or convert.'}>
        Payments
      </PageTitle>
      <PaymentList />
    </>
  );
}
