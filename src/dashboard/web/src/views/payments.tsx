// Payments: the caller's payments, newest first, filtered on the server and paged with its
// cursor ("Load more"); statuses change in place as the stream reports them, and new payments
// are counted rather than pushed into the list, so it does not move under the reader.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, query } from '../api';
import { formatDateTime, KIND_LABELS, shortId, STATUS_LABELS } from '../format';
import { href, navigate } from '../router';
import { useNames, usePaymentChanges, useResync, useSession } from '../session';
import type { Payment, PaymentPage } from '../types';
import { SelectField, type Choice } from '../fields';
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

const NO_FILTERS: Filters = {
  status: '',
  currency: '',
  participant: '',
  kind: '',
  from: '',
  to: '',
};
const PAGE_SIZE = 25;

function nextDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString();
}

function pagePath(filters: Filters, cursor?: string): string {
  return `/v1/payments${query({
    status: filters.status,
    currency: filters.currency,
    participant: filters.participant,
    kind: filters.kind,
    from: filters.from === '' ? undefined : `${filters.from}T00:00:00.000Z`,
    to: filters.to === '' ? undefined : nextDay(filters.to),
    limit: PAGE_SIZE,
    cursor,
  })}`;
}

const ANY: Choice = { value: '', label: 'Any' };

function DateField({
  id,
  label,
  value,
  onValue,
}: {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="date"
        value={value}
        onChange={(event) => onValue(event.currentTarget.value)}
      />
    </div>
  );
}

const KINDS: readonly Choice[] = [
  { value: '', label: 'All' },
  { value: 'payment', label: 'Payments' },
  { value: 'return', label: 'Returns' },
];

function useFilterChoices() {
  const { currencies, participants, me } = useSession();
  const others = [...participants.values()]
    .filter((p) => p.id !== me.id && p.kind !== 'operator')
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((p) => ({ value: p.id, label: `${p.name} (${KIND_LABELS[p.kind]})` }));
  const statuses = Object.entries(STATUS_LABELS).map(([code, label]) => ({
    value: code,
    label: `${label} (${code})`,
  }));
  const codes = [...currencies.keys()].sort().map((code) => ({ value: code, label: code }));
  return { statuses, codes, others };
}

function FilterForm({
  filters,
  onApply,
}: {
  filters: Filters;
  onApply: (filters: Filters) => void;
}) {
  const { me } = useSession();
  const { statuses, codes, others } = useFilterChoices();
  const [draft, setDraft] = useState(filters);
  const set = (name: keyof Filters) => (value: string) => setDraft({ ...draft, [name]: value });
  const submit = (event: Event): void => {
    event.preventDefault();
    onApply(draft);
  };
  return (
    <form class="filters" aria-label="Filter payments" onSubmit={submit}>
      <SelectField
        id="filter-status"
        label="Status"
        value={draft.status}
        onValue={set('status')}
        choices={[ANY, ...statuses]}
      />
      <SelectField
        id="filter-currency"
        label="Currency"
        value={draft.currency}
        onValue={set('currency')}
        choices={[ANY, ...codes]}
      />
      <SelectField
        id="filter-participant"
        label={me.kind === 'bank' ? 'Counterparty' : 'Participant'}
        value={draft.participant}
        onValue={set('participant')}
        choices={[ANY, ...others]}
      />
      <SelectField
        id="filter-kind"
        label="Kind"
        value={draft.kind}
        onValue={set('kind')}
        choices={KINDS}
      />
      <DateField id="filter-from" label="From (UTC)" value={draft.from} onValue={set('from')} />
      <DateField id="filter-to" label="To (UTC)" value={draft.to} onValue={set('to')} />
      <div class="filter-actions">
        <button type="submit" class="primary">
          Apply
        </button>
        <button
          type="button"
          class="quiet"
          onClick={() => {
            setDraft(NO_FILTERS);
            onApply(NO_FILTERS);
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}

function matchesText(payment: Payment, text: string): boolean {
  const needle = text.toLowerCase();
  return [
    payment.id,
    payment.endToEndId,
    payment.uetr,
    payment.debtor.name,
    payment.creditor.name,
    payment.remittanceInformation ?? '',
  ].some((value) => value.toLowerCase().includes(needle));
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
            <th scope="col">Created</th>
            <th scope="col">Payment</th>
            <th scope="col">From → to</th>
            <th scope="col" class="num">
              Sent
            </th>
            <th scope="col" class="num">
              Credited
            </th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {payments.map((payment) => (
            <tr key={payment.networkId}>
              <td data-label="Created" class="nowrap">
                {formatDateTime(payment.createdAt, locale)}
              </td>
              <th scope="row" data-label="Payment">
                <a href={href('payments', payment.networkId)} class="mono">
                  {shortId(payment.id)}
                </a>
                {payment.kind === 'return' ? <span class="tag">return</span> : null}
              </th>
              <td data-label="From → to">
                {name(payment.debtorAgent)} → {name(payment.creditorAgent)}
              </td>
              <td class="num" data-label="Sent">
                <Amount money={payment.sendAmount} />
              </td>
              <td class="num" data-label="Credited">
                <Amount money={payment.creditAmount} />
              </td>
              <td data-label="Status">
                <StatusBadge status={payment.status} />
              </td>
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
    api.get<PaymentPage>(pagePath(filters)).then(
      (page) => {
        setRows([...page.payments]);
        setNext(page.next);
      },
      (caught: ApiError) => setError(caught),
    );
  }, [filters, version]);
  usePaymentChanges((changes) => {
    const known = new Set((rows ?? []).map((row) => row.networkId));
    setFresh(
      (count) =>
        count + changes.filter((c) => c.status === 'ACTC' && !known.has(c.paymentId)).length,
    );
    const latest = new Map(changes.map((change) => [change.paymentId, change.status]));
    setRows((current) =>
      current?.map((row) => {
        const status = latest.get(row.networkId);
        return status === undefined ? row : { ...row, status: status as Payment['status'] };
      }),
    );
  });
  const reload = (): void => setVersion((value) => value + 1);
  useResync(reload);
  const more = (): void => {
    if (next === null) return;
    api.get<PaymentPage>(pagePath(filters, next)).then(
      (page) => {
        setRows((current) => [...(current ?? []), ...page.payments]);
        setNext(page.next);
      },
      (caught: ApiError) => setError(caught),
    );
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
    if (!/^[A-Za-z0-9._:-]{1,64}$/.test(text)) return;
    api.get<Payment>(`/v1/payments/${encodeURIComponent(text)}`).then(
      (found) => navigate('payments', found.networkId),
      () => setMissing(text),
    );
  };
  return (
    <form class="search" role="search" onSubmit={find}>
      <label for="payment-search">Find</label>
      <input
        id="payment-search"
        type="search"
        value={search}
        aria-describedby="payment-search-help"
        onInput={(event) => onSearch(event.currentTarget.value)}
        placeholder="Payment id, end-to-end id, party name"
      />
      <button type="submit">Open</button>
      <p id="payment-search-help" class="help" aria-live="polite">
        {missing === undefined
          ? 'Open: the payment with this id. As you type: the loaded payments that ' +
            'contain the text (id, UETR, end-to-end id, party names, remittance).'
          : `No payment you may see has the id "${missing}"; below, the loaded payments that contain it.`}
      </p>
    </form>
  );
}

function PaymentList() {
  const [filters, setFilters] = useState(NO_FILTERS);
  const [search, setSearch] = useState('');
  const { rows, next, error, fresh, more, reload } = usePaymentPages(filters);
  const shown =
    rows === undefined || search.trim() === ''
      ? rows
      : rows.filter((row) => matchesText(row, search.trim()));
  return (
    <>
      <FilterForm filters={filters} onApply={setFilters} />
      <SearchBox search={search} onSearch={setSearch} />
      <div aria-live="polite" class="live-region">
        {fresh > 0 ? (
          <p class="notice info">
            {fresh === 1 ? '1 new payment' : `${fresh} new payments`} since this list was loaded.{' '}
            <button type="button" class="link" onClick={reload}>
              Show
            </button>
          </p>
        ) : null}
      </div>
      <ErrorNotice error={error} title="Payments could not be loaded" />
      {shown === undefined ? (
        error === undefined ? (
          <Loading />
        ) : null
      ) : shown.length === 0 ? (
        <p class="empty">No payments match.</p>
      ) : (
        <PaymentRows payments={shown} />
      )}
      {next !== null && rows !== undefined ? (
        <button type="button" class="more" onClick={more}>
          Load more
        </button>
      ) : null}
    </>
  );
}

export function PaymentsView({ paymentId }: { paymentId: string | undefined }) {
  const { me } = useSession();
  if (paymentId !== undefined) return <PaymentDetail id={paymentId} />;
  return (
    <>
      <PageTitle
        lead={
          me.kind === 'operator'
            ? 'Every payment of the network.'
            : me.kind === 'central_bank'
              ? `Payments that settle in ${me.issues.join(', ')}.`
              : 'Payments you send, receive or convert.'
        }
      >
        Payments
      </PageTitle>
      <PaymentList />
    </>
  );
}
