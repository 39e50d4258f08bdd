// Review: payments held by sanctions screening (BLCK) that the caller may decide on: the
// operator all, a central bank those in its currency. Each shows who matched which list entry,
// and is released (it settles) or rejected (RR04) after a confirmation.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, query } from '../api';
import { formatDateTime, shortId } from '../format';
import { href } from '../router';
import { useNames, usePaymentChanges, useResync, useSession } from '../session';
import type { Payment, PaymentPage } from '../types';
import { Amount, ErrorNotice, Loading, PageTitle, StatusBadge } from '../ui';

type Decision = 'release' | 'reject';

function Matches({ payment }: { payment: Payment }) {
  const partyName = (party: 'debtor' | 'creditor'): string =>
    party === 'debtor' ? payment.debtor.name : payment.creditor.name;
  return (
    <ul class="plain matches">
      {(payment.screening?.matches ?? []).map((match, index) => (
        <li key={index}>
          {match.party === 'debtor' ? 'Debtor' : 'Creditor'} “{partyName(match.party)}” matched{' '}
          <strong>{match.matchedName}</strong>{' '}
          <span class="muted">
            ({match.source} {match.listId}, score {match.score.toFixed(2)})
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Release or reject, each after a confirmation. */
function Decide({ onDecide }: { onDecide: (decision: Decision) => void }) {
  const [pending, setPending] = useState<Decision | undefined>(undefined);
  if (pending === undefined) {
    return (
      <div class="button-row">
        <button type="button" class="primary" onClick={() => setPending('release')}>
          Release
        </button>
        <button type="button" class="danger" onClick={() => setPending('reject')}>
          Reject
        </button>
      </div>
    );
  }
  const release = pending === 'release';
  return (
    <div class="button-row">
      <span role="status">
        {release ? 'Release it: it settles now.' : 'Reject it with reason RR04.'}
      </span>
      <button
        type="button"
        class={release ? 'primary' : 'danger'}
        onClick={() => {
          setPending(undefined);
          onDecide(pending);
        }}
      >
        Yes, {pending}
      </button>
      <button type="button" class="quiet" onClick={() => setPending(undefined)}>
        Cancel
      </button>
    </div>
  );
}

function HeldPayment({
  payment,
  onDecided,
}: {
  payment: Payment;
  onDecided: (payment: Payment) => void;
}) {
  const { api, locale } = useSession();
  const name = useNames();
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const decide = (decision: Decision): void => {
    setError(undefined);
    api
      .post<Payment>(`/v1/payments/${encodeURIComponent(payment.networkId)}/review`, { decision })
      .then(onDecided, setError);
  };
  const headingId = `held-${payment.id}`;
  return (
    <article class="card held" aria-labelledby={headingId}>
      <div class="card-head">
        <h2 id={headingId}>
          <a href={href('payments', payment.networkId)} class="mono">
            {shortId(payment.id)}
          </a>
        </h2>
        <StatusBadge status={payment.status} />
      </div>
      <p>
        {name(payment.debtorAgent)} → {name(payment.creditorAgent)} ·{' '}
        <Amount money={payment.sendAmount} /> → <Amount money={payment.creditAmount} />
      </p>
      <p class="small muted">
        Held since {formatDateTime(payment.createdAt, locale)} · {payment.debtor.name} pays{' '}
        {payment.creditor.name}
      </p>
      <Matches payment={payment} />
      <Decide onDecide={decide} />
      <ErrorNotice error={error} title="The decision was refused" />
    </article>
  );
}

/** Held payments, page by page; ones decided elsewhere drop out as the stream reports them. */
function useHeld() {
  const { api } = useSession();
  const [held, setHeld] = useState<Payment[] | undefined>(undefined);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [fresh, setFresh] = useState(0);
  const [version, setVersion] = useState(0);
  const load = (cursor?: string): void => {
    api.get<PaymentPage>(`/v1/reviews${query({ limit: 20, cursor })}`).then((page) => {
      setHeld((current) => [...(cursor === undefined ? [] : (current ?? [])), ...page.payments]);
      setNext(page.next);
      setError(undefined);
    }, setError);
  };
  useEffect(() => {
    setFresh(0);
    load();
  }, [version]);
  usePaymentChanges((changes) => {
    const listed = new Set((held ?? []).map((payment) => payment.networkId));
    const newlyHeld = changes.filter((c) => c.status === 'BLCK' && !listed.has(c.paymentId));
    setFresh((count) => count + newlyHeld.length);
    const gone = new Set(changes.filter((c) => c.status !== 'BLCK').map((c) => c.paymentId));
    setHeld((current) => current?.filter((payment) => !gone.has(payment.networkId)));
  });
  const reload = (): void => setVersion((value) => value + 1);
  useResync(reload);
  const drop = (id: string): void =>
    setHeld((current) => current?.filter((item) => item.networkId !== id));
  return { held, next, error, fresh, load, reload, drop };
}

function Notices({
  fresh,
  decided,
  onShow,
}: {
  fresh: number;
  decided: readonly Payment[];
  onShow: () => void;
}) {
  return (
    <div aria-live="polite" class="live-region">
      {fresh > 0 ? (
        <p class="notice info">
          {fresh === 1 ? 'A payment was' : `${fresh} payments were`} held since this list was
          loaded.{' '}
          <button type="button" class="link" onClick={onShow}>
            Show
          </button>
        </p>
      ) : null}
      {decided.length > 0 ? (
        <p class="notice ok">
          Decided:{' '}
          {decided.map((payment) => (
            <span key={payment.networkId}>
              <a href={href('payments', payment.networkId)} class="mono">
                {shortId(payment.id)}
              </a>{' '}
              <StatusBadge status={payment.status} />{' '}
            </span>
          ))}
        </p>
      ) : null}
    </div>
  );
}

export function ReviewView() {
  const { me } = useSession();
  const { held, next, error, fresh, load, reload, drop } = useHeld();
  const [decided, setDecided] = useState<Payment[]>([]);
  const onDecided = (payment: Payment): void => {
    drop(payment.networkId);
    setDecided((current) => [payment, ...current].slice(0, 10));
  };
  const lead =
    me.kind === 'operator'
      ? 'Payments held by sanctions screening, network-wide.'
      : `Payments in ${me.issues.join(', ')} held by sanctions screening.`;
  return (
    <>
      <PageTitle lead={lead}>Review</PageTitle>
      <Notices fresh={fresh} decided={decided} onShow={reload} />
      <ErrorNotice error={error} title="Held payments could not be loaded" />
      {held === undefined ? (
        error === undefined ? (
          <Loading />
        ) : null
      ) : held.length === 0 ? (
        <p class="empty">No payment is waiting for review.</p>
      ) : (
        <div class="held-list">
          {held.map((payment) => (
            <HeldPayment key={payment.networkId} payment={payment} onDecided={onDecided} />
          ))}
        </div>
      )}
      {next !== null ? (
        <button type="button" class="more" onClick={() => load(next)}>
          Load more
        </button>
      ) : null}
    </>
  );
}
