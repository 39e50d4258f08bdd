// One payment, whole: every status with its time, the quote with rate and fees, every ledger
// leg, the parties, screening, related returns; and the actions the caller may take on it
// (accept or reject as creditor agent, release or reject as reviewer). It reloads when the
// stream reports a change to it.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { formatDateTime, formatDuration, LEG_ROLES, REASONS, shortId } from '../format';
import { formatDecimal } from '../money';
import { href } from '../router';
import { useNames, usePayeeName, usePaymentChanges, useSession } from '../session';
import type { Payment, Quote } from '../types';
import {
  Amount,
  ErrorNotice,
  Fact,
  Figure,
  Figures,
  Loading,
  PageTitle,
  ParticipantName,
  Section,
  StatusBadge,
} from '../ui';

function Timeline({ payment }: { payment: Payment }) {
  const { locale } = useSession();
  const start = new Date(payment.receivedAt ?? payment.createdAt).getTime();
  return (
    <ol class="timeline">
      {payment.events.map((event, index) => (
        <li key={index} class={`step status-${event.status}`}>
          <span class="step-dot" aria-hidden="true" />
          <div>
            <StatusBadge status={event.status} />
            {event.reason === undefined ? null : (
              <span class="reason">
                {' '}
                {event.reason}: {REASONS[event.reason] ?? event.reason}
              </span>
            )}
            {event.detail === undefined ? null : (
              <span class="muted small"> ({event.detail.replaceAll('_', ' ')})</span>
            )}
            <p class="small">
              <time dateTime={event.at}>{formatDateTime(event.at, locale)}</time>
              <span class="muted">
                {' '}
                · {event.at.slice(11, 23)} UTC · +
                {formatDuration(new Date(event.at).getTime() - start, locale)}
              </span>
            </p>
          </div>
        </li>
      ))}
    </ol>
  );
}

function AmountFigures({ payment }: { payment: Payment }) {
  const fees = payment.fees.map((fee, index) => (
    <Fragment key={index}>
      {index > 0 ? ' + ' : null}
      <Amount money={fee} />
    </Fragment>
  ));
  return (
    <Figures label="Amounts">
      <Figure
        label="Sent"
        value={<Amount money={payment.sendAmount} strong />}
        hint="to the creditor side, before fees"
      />
      <Figure label="Fees" value={payment.fees.length === 0 ? 'None' : fees} />
      <Figure
        label="Debited to the debtor agent"
        value={<Amount money={payment.debitAmount} strong />}
        hint="sent + fees"
      />
      <Figure
        label="Credited to the creditor agent"
        value={<Amount money={payment.creditAmount} strong />}
      />
    </Figures>
  );
}

/** The quote a payment used, for those who may read it (the bank that asked, the operator). */
function useQuote(payment: Payment): Quote | undefined {
  const { api, me } = useSession();
  const [quote, setQuote] = useState<Quote | undefined>(undefined);
  const id = payment.quoteId;
  const mayRead = id !== undefined && (me.id === payment.debtorAgent || me.kind === 'operator');
  useEffect(() => {
    if (mayRead)
      api.get<Quote>(`/v1/quotes/${encodeURIComponent(id)}`).then(setQuote, () => undefined);
  }, [id, mayRead]);
  return quote;
}

function QuotePanel({ payment }: { payment: Payment }) {
  const { locale } = useSession();
  const payee = usePayeeName();
  const quote = useQuote(payment);
  const source = payment.sendAmount.currency;
  const target = payment.creditAmount.currency;
  return (
    <Section title="Quote, rate and fees" id="quote">
      <AmountFigures payment={payment} />
      <dl class="facts">
        {payment.rate === undefined ? (
          <Fact term="Conversion">None: domestic ({source})</Fact>
        ) : (
          <Fact term="Rate">
            <bdi>{formatDecimal(payment.rate, locale)}</bdi> {target} per {source}
          </Fact>
        )}
        {quote === undefined ? null : (
          <>
            <Fact term="Mid rate">
              <bdi>{formatDecimal(quote.midRate, locale)}</bdi> · spread {quote.spreadBps} bp
            </Fact>
            <Fact term="Quote given">
              {formatDateTime(quote.createdAt, locale)}, firm until{' '}
              {formatDateTime(quote.expiresAt, locale)}
            </Fact>
          </>
        )}
        {payment.fxProvider === undefined ? null : (
          <Fact term="FX provider">
            <ParticipantName id={payment.fxProvider} />
          </Fact>
        )}
        {payment.quoteId === undefined ? null : (
          <Fact term="Quote" mono>
            {payment.quoteId}
          </Fact>
        )}
        {payment.fees.map((fee, index) => (
          <Fact key={index} term={fee.kind === 'scheme' ? 'Scheme fee' : 'FX provider fee'}>
            <Amount money={fee} />{' '}
            <span class="muted small">
              to {payee(fee)} ({fee.payee})
            </span>
          </Fact>
        ))}
      </dl>
    </Section>
  );
}

function Legs({ payment }: { payment: Payment }) {
  if (payment.legs.length === 0)
    return <p class="empty">No ledger legs: nothing of this payment was posted.</p>;
  return (
    <div class="table-wrap">
      <table class="responsive">
        <caption class="visually-hidden">Ledger legs, in one linked chain</caption>
        <thead>
          <tr>
            <th scope="col">Leg</th>
            <th scope="col">Debit account</th>
            <th scope="col">Credit account</th>
            <th scope="col" class="num">
              Amount
            </th>
            <th scope="col">Transfer</th>
          </tr>
        </thead>
        <tbody>
          {payment.legs.map((leg) => (
            <tr key={leg.transferId}>
              <th scope="row" data-label="Leg">
                {LEG_ROLES[leg.role] ?? leg.role}
              </th>
              <td data-label="Debit account" class="mono">
                {leg.debitAccountId}
              </td>
              <td data-label="Credit account" class="mono">
                {leg.creditAccountId}
              </td>
              <td class="num" data-label="Amount">
                <Amount money={leg} />
              </td>
              <td data-label="Transfer" class="mono small">
                {leg.transferId}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Parties({ payment }: { payment: Payment }) {
  return (
    <dl class="facts">
      <dt>Debtor agent</dt>
      <dd>
        <ParticipantName id={payment.debtorAgent} />
      </dd>
      <dt>Debtor</dt>
      <dd>
        {payment.debtor.name}
        {payment.debtor.account === undefined ? null : (
          <span class="mono small"> {payment.debtor.account}</span>
        )}
      </dd>
      <dt>Creditor agent</dt>
      <dd>
        <ParticipantName id={payment.creditorAgent} />
      </dd>
      <dt>Creditor</dt>
      <dd>
        {payment.creditor.name}
        {payment.creditor.account === undefined ? null : (
          <span class="mono small"> {payment.creditor.account}</span>
        )}
      </dd>
      {payment.purpose === undefined ? null : (
        <>
          <dt>Purpose</dt>
          <dd>{payment.purpose}</dd>
        </>
      )}
      {payment.remittanceInformation === undefined ? null : (
        <>
          <dt>Remittance</dt>
          <dd>{payment.remittanceInformation}</dd>
        </>
      )}
      <dt>End-to-end id</dt>
      <dd class="mono">{payment.endToEndId}</dd>
      <dt>UETR</dt>
      <dd class="mono">{payment.uetr}</dd>
      <dt>Mode</dt>
      <dd>{payment.mode === 'instant' ? 'Instant' : 'Two-phase (creditor agent accepts)'}</dd>
    </dl>
  );
}

function Returns({ payment }: { payment: Payment }) {
  const { api, locale } = useSession();
  const [returns, setReturns] = useState<Payment[]>([]);
  useEffect(() => {
    Promise.all(
      payment.returns
        .slice(0, 20)
        .map((id) => api.get<Payment>(`/v1/payments/${encodeURIComponent(id)}`)),
    ).then(setReturns, () => setReturns([]));
  }, [payment.returns.join(',')]);
  if (payment.returnOf === undefined && payment.returns.length === 0)
    return <p class="empty">No returns.</p>;
  return (
    <>
      {payment.returnOf === undefined ? null : (
        <p>
          This is a return of{' '}
          <a href={href('payments', payment.returnOf)} class="mono">
            {payment.returnOf}
          </a>
          {payment.returnReason === undefined ? null : <> (reason {payment.returnReason})</>}.
        </p>
      )}
      {payment.returns.length === 0 ? null : (
        <>
          <p>
            Returned so far: <Amount money={payment.returnedAmount} strong />
          </p>
          <ul class="plain">
            {returns.map((item) => (
              <li key={item.networkId}>
                <a href={href('payments', item.networkId)} class="mono">
                  {shortId(item.id)}
                </a>{' '}
                <Amount money={item.sendAmount} /> <StatusBadge status={item.status} />{' '}
                <span class="muted small">
                  {formatDateTime(item.createdAt, locale)}
                  {item.returnReason === undefined ? '' : ` · ${item.returnReason}`}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function Screening({ payment }: { payment: Payment }) {
  const screening = payment.screening;
  if (screening === undefined) return null;
  return (
    <Section title="Sanctions screening" id="screening">
      {!screening.hit ? (
        <p>
          No match. <span class="muted small">{screening.listVersion}</span>
        </p>
      ) : (
        <>
          <p>
            <strong>Held: a party's name matched a sanctions list.</strong>{' '}
            <span class="muted small">{screening.listVersion}</span>
          </p>
          <ul class="plain">
            {screening.matches.map((match, index) => (
              <li key={index}>
                {match.party === 'debtor' ? 'Debtor' : 'Creditor'} matched{' '}
                <strong>{match.matchedName}</strong>{' '}
                <span class="muted">
                  ({match.source} {match.listId}, score {match.score.toFixed(2)})
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </Section>
  );
}

type Action = { label: string; path: string; body: unknown; confirm: string; tone?: 'danger' };

function actionsFor(
  payment: Payment,
  me: { id: string; kind: string; issues: readonly string[] },
  reason: string,
): Action[] {
  const base = `/v1/payments/${encodeURIComponent(payment.networkId)}`;
  const reviewer =
    me.kind === 'operator' ||
    (me.kind === 'central_bank' &&
      (me.issues.includes(payment.sendAmount.currency) ||
        me.issues.includes(payment.creditAmount.currency)));
  if (payment.status === 'BLCK' && reviewer) {
    return [
      {
        label: 'Release',
        path: `${base}/review`,
        body: { decision: 'release' },
        confirm: 'Release this payment?',
      },
      {
        label: 'Reject',
        path: `${base}/review`,
        body: { decision: 'reject' },
        confirm: 'Reject this payment (RR04)?',
        tone: 'danger',
      },
    ];
  }
  if (payment.status === 'ACSP' && payment.creditorAgent === me.id) {
    return [
      {
        label: 'Accept',
        path: `${base}/accept`,
        body: {},
        confirm: 'Accept and credit this payment?',
      },
      {
        label: 'Reject',
        path: `${base}/reject`,
        body: { reason },
        confirm: `Reject this payment (${reason})?`,
        tone: 'danger',
      },
    ];
  }
  return [];
}

function Actions({ payment, onDone }: { payment: Payment; onDone: (payment: Payment) => void }) {
  const { api, me } = useSession();
  const [reason, setReason] = useState('AC01');
  const [pending, setPending] = useState<Action | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const actions = actionsFor(payment, me, reason);
  if (actions.length === 0) return null;
  const run = (action: Action): void => {
    setError(undefined);
    api.post<Payment>(action.path, action.body).then(
      (updated) => {
        setPending(undefined);
        onDone(updated);
      },
      (caught: ApiError) => {
        setPending(undefined);
        setError(caught);
      },
    );
  };
  return (
    <Section title="Your decision" id="actions">
      {payment.status === 'ACSP' ? (
        <label class="inline">
          <span>Reason if rejected</span>
          <select value={reason} onChange={(event) => setReason(event.currentTarget.value)}>
            {['AC01', 'AC06', 'AM09', 'DUPL', 'NARR'].map((code) => (
              <option key={code} value={code}>
                {code}: {REASONS[code]}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <div class="button-row">
        {pending === undefined ? (
          actions.map((action) => (
            <button
              key={action.label}
              type="button"
              class={action.tone === 'danger' ? 'danger' : 'primary'}
              onClick={() => setPending(action)}
            >
              {action.label}
            </button>
          ))
        ) : (
          <>
            <span role="status">{pending.confirm}</span>
            <button
              type="button"
              class={pending.tone === 'danger' ? 'danger' : 'primary'}
              onClick={() => run(pending)}
            >
              Yes, {pending.label.toLowerCase()}
            </button>
            <button type="button" class="quiet" onClick={() => setPending(undefined)}>
              Cancel
            </button>
          </>
        )}
      </div>
      <ErrorNotice error={error} title="The action was refused" />
    </Section>
  );
}

/** The payment, reloaded whenever the stream reports a change to it or to one of its returns. */
function usePayment(id: string): {
  payment: Payment | undefined;
  error: ApiError | undefined;
  setPayment: (payment: Payment) => void;
} {
  const { api } = useSession();
  const [payment, setPayment] = useState<Payment | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const path = `/v1/payments/${encodeURIComponent(id)}`;
    api.get<Payment>(path).then((found) => {
      setPayment(found);
      setError(undefined);
    }, setError);
  }, [id, version]);
  usePaymentChanges((changes) => {
    const related = (paymentId: string): boolean =>
      paymentId === id || payment?.returns.includes(paymentId) === true;
    if (changes.some((change) => related(change.paymentId))) setVersion((value) => value + 1);
  });
  return { payment, error, setPayment };
}

function SummaryFigures({ payment }: { payment: Payment }) {
  const { locale } = useSession();
  const credited = payment.events.find((event) => event.status === 'ACCC');
  const toCredit =
    credited === undefined
      ? undefined
      : new Date(credited.at).getTime() -
        new Date(payment.receivedAt ?? payment.createdAt).getTime();
  return (
    <Figures label="Summary">
      <Figure
        label="Status"
        value={<StatusBadge status={payment.status} />}
        hint={
          payment.reason === undefined
            ? undefined
            : `${payment.reason}: ${REASONS[payment.reason] ?? ''}`
        }
      />
      <Figure
        label="Time to credit"
        value={formatDuration(toCredit, locale)}
        hint={toCredit === 0 ? 'credited in the batch that accepted it' : 'from acceptance'}
      />
      <Figure
        label="Kind"
        value={payment.kind === 'return' ? 'Return' : 'Payment'}
        hint={payment.mode === 'instant' ? 'instant' : 'two-phase'}
      />
    </Figures>
  );
}

function DetailBody({
  payment,
  onChange,
}: {
  payment: Payment;
  onChange: (payment: Payment) => void;
}) {
  return (
    <>
      <SummaryFigures payment={payment} />
      <Actions payment={payment} onDone={onChange} />
      <div class="grid-2">
        <Section title="Timeline" id="timeline">
          <Timeline payment={payment} />
        </Section>
        <Section title="Parties" id="parties">
          <Parties payment={payment} />
        </Section>
      </div>
      <QuotePanel payment={payment} />
      <Section title="Ledger legs" id="legs">
        <Legs payment={payment} />
      </Section>
      <Section title="Returns" id="returns">
        <Returns payment={payment} />
      </Section>
      <Screening payment={payment} />
    </>
  );
}

export function PaymentDetail({ id }: { id: string }) {
  const { locale } = useSession();
  const name = useNames();
  const { payment, error, setPayment } = usePayment(id);
  const lead =
    payment === undefined
      ? undefined
      : `${name(payment.debtorAgent)} → ${name(payment.creditorAgent)} · ${formatDateTime(payment.createdAt, locale)}`;
  return (
    <>
      <p class="back">
        <a href={href('payments')}>← All payments</a>
      </p>
      <PageTitle lead={lead}>
        {payment?.kind === 'return' ? 'Return' : 'Payment'} <span class="mono title-id">{id}</span>
      </PageTitle>
      <ErrorNotice
        error={error}
        title={
          error?.status === 404 ? 'No such payment for you' : 'The payment could not be loaded'
        }
      />
      {payment !== undefined ? (
        <DetailBody payment={payment} onChange={setPayment} />
      ) : error === undefined ? (
        <Loading />
      ) : null}
    </>
  );
}
