// What the Send view shows before and after sending: the quote (rate, every fee, the exact
// amount debited and credited) with the payment it is for, and then the payment's status as
// the stream reports it.
import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../api';
import { formatDateTime, formatDuration, statusLabel } from '../format';
import { formatDecimal } from '../money';
import { href } from '../router';
import { usePayeeName, usePaymentChanges, useSession } from '../session';
import type { Money, Payment, Quote } from '../types';
import { Amount, ErrorNotice, ParticipantName, Section, StatusBadge } from '../ui';
import type { Draft } from './send-form';

/** What the payment will cost and deliver, shown before it is sent. */
export interface Preview {
  readonly quote?: Quote;
  readonly sendAmount: Money;
  readonly fees: readonly (Money & { kind: string; payee: string })[];
  readonly debitAmount: Money;
  readonly creditAmount: Money;
  readonly expiresAt?: string;
  /**
   * When the quote expires by this browser's clock: the time it arrived plus the validity the
   * server gave it (expiresAt − createdAt, both the server's times). A browser whose clock is
   * minutes off the server's still counts the quote's real remaining time.
   */
  readonly expiresLocally?: number;
}

/** The local deadline of a quote that arrived now: see Preview.expiresLocally. */
export function localDeadline(quote: { createdAt: string; expiresAt: string }): number {
  return Date.now() + (new Date(quote.expiresAt).getTime() - new Date(quote.createdAt).getTime());
}

/** This browser's clock, read again every second. */
function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

function Countdown({ until, left }: { until: string; left: number }) {
  const { locale } = useSession();
  if (left <= 0) {
    return (
      <p class="notice error" role="alert">
        This quote has expired. Refresh it for a new rate and fees.
      </p>
    );
  }
  return (
    <p class="small">
      Firm for {formatDuration(left, locale)} (until {formatDateTime(until, locale)}).
    </p>
  );
}

function PaymentSummary({ draft }: { draft: Draft }) {
  const party = (name: string, account: string): string =>
    account.trim() === '' ? name : `${name} (${account.trim()})`;
  const remittance = draft.remittance.trim() === '' ? '' : ` · ${draft.remittance.trim()}`;
  return (
    <dl class="facts" aria-label="The payment">
      <dt>To</dt>
      <dd>
        <ParticipantName id={draft.creditorAgent} />
      </dd>
      <dt>Beneficiary</dt>
      <dd>{party(draft.creditorName, draft.creditorAccount)}</dd>
      <dt>Payer</dt>
      <dd>{party(draft.debtorName, draft.debtorAccount)}</dd>
      <dt>Settlement</dt>
      <dd>
        {draft.mode === 'instant' ? 'Instant' : 'Two-phase: the receiving bank accepts first'}
      </dd>
      <dt>Purpose</dt>
      <dd>
        {draft.purpose}
        {remittance}
      </dd>
      <dt>End-to-end id</dt>
      <dd class="mono">{draft.endToEndId}</dd>
    </dl>
  );
}

function QuoteRows({ preview, creditorAgent }: { preview: Preview; creditorAgent: string }) {
  const { locale } = useSession();
  const payee = usePayeeName();
  const quote = preview.quote;
  return (
    <dl class="quote">
      <div class="quote-row">
        <dt>You send</dt>
        <dd>
          <Amount money={preview.sendAmount} />
        </dd>
      </div>
      {preview.fees.map((fee, index) => (
        <div key={index} class="quote-row fee">
          <dt>
            {fee.kind === 'scheme' ? 'Scheme fee' : 'FX provider fee'}{' '}
            <span class="muted small">to {payee(fee)}</span>
          </dt>
          <dd>
            + <Amount money={fee} />
          </dd>
        </div>
      ))}
      {preview.fees.length === 0 ? (
        <div class="quote-row fee">
          <dt>Fees</dt>
          <dd>none</dd>
        </div>
      ) : null}
      <div class="quote-row total">
        <dt>Debited from your account</dt>
        <dd>
          <Amount money={preview.debitAmount} strong />
        </dd>
      </div>
      {quote === undefined ? null : (
        <div class="quote-row">
          <dt>Rate</dt>
          <dd>
            1 {quote.sourceCurrency} = <bdi>{formatDecimal(quote.rate, locale)}</bdi>{' '}
            {quote.targetCurrency}
            <span class="muted small">
              {' '}
              (mid <bdi>{formatDecimal(quote.midRate, locale)}</bdi>, spread {quote.spreadBps} bp,
              by <ParticipantName id={quote.fxProvider} />)
            </span>
          </dd>
        </div>
      )}
      <div class="quote-row total">
        <dt>
          Credited to <ParticipantName id={creditorAgent} />
        </dt>
        <dd>
          <Amount money={preview.creditAmount} strong />
        </dd>
      </div>
    </dl>
  );
}

export interface PreviewProps {
  readonly preview: Preview;
  readonly draft: Draft;
  readonly onConfirm: () => void;
  readonly onBack: () => void;
  /** Asks for a new quote for the same payment (when this one has expired). */
  readonly onRefresh: () => void;
  readonly busy: boolean;
  readonly error: ApiError | undefined;
}

export function PreviewPanel({
  preview,
  draft,
  onConfirm,
  onBack,
  onRefresh,
  busy,
  error,
}: PreviewProps) {
  const now = useNow();
  const left =
    preview.expiresLocally ??
    (preview.expiresAt === undefined ? Infinity : new Date(preview.expiresAt).getTime());
  const expired = left - now <= 0;
  const title =
    preview.quote === undefined
      ? 'Before you send: domestic payment'
      : 'Before you send: the quote';
  return (
    <Section title={title} id="quote">
      <div class="preview">
        <QuoteRows preview={preview} creditorAgent={draft.creditorAgent} />
        <PaymentSummary draft={draft} />
      </div>
      {preview.expiresAt === undefined ? null : (
        <Countdown until={preview.expiresAt} left={left - now} />
      )}
      <ErrorNotice error={error} title={expired ? 'No new quote' : 'The payment was refused'} />
      <div class="button-row">
        {expired ? (
          <button type="button" class="primary" disabled={busy} onClick={onRefresh}>
            {busy ? 'Getting a new quote…' : 'Refresh quote'}
          </button>
        ) : null}
        <button
          type="button"
          class={expired ? undefined : 'primary'}
          disabled={busy || expired}
          onClick={onConfirm}
        >
          {busy && !expired ? 'Sending…' : 'Confirm and send'}
        </button>
        <button type="button" class="quiet" onClick={onBack}>
          Change the payment
        </button>
      </div>
    </Section>
  );
}

/** What was sent, as the ledger has it: the id, the amounts, the rate and every fee. */
function SentFacts({ payment }: { payment: Payment }) {
  const { locale } = useSession();
  const payee = usePayeeName();
  return (
    <dl class="facts sent-facts" aria-label="The payment sent">
      <dt>Payment id</dt>
      <dd class="mono">{payment.id}</dd>
      <dt>Status</dt>
      <dd>
        <StatusBadge status={payment.status} />
      </dd>
      <dt>To</dt>
      <dd>
        <ParticipantName id={payment.creditorAgent} /> · {payment.creditor.name}
      </dd>
      <dt>Sent</dt>
      <dd>
        <Amount money={payment.sendAmount} />
      </dd>
      <dt>Fees</dt>
      <dd>
        {payment.fees.length === 0 ? (
          'none'
        ) : (
          <ul class="plain">
            {payment.fees.map((fee, index) => (
              <li key={index}>
                <Amount money={fee} />{' '}
                <span class="muted small">
                  {fee.kind === 'scheme' ? 'scheme fee' : 'FX provider fee'} to {payee(fee)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </dd>
      <dt>Debited from your account</dt>
      <dd>
        <Amount money={payment.debitAmount} strong />
      </dd>
      {payment.rate === undefined ? null : (
        <>
          <dt>Rate</dt>
          <dd>
            1 {payment.sendAmount.currency} = <bdi>{formatDecimal(payment.rate, locale)}</bdi>{' '}
            {payment.creditAmount.currency}
          </dd>
        </>
      )}
      <dt>Credited to the receiving bank</dt>
      <dd>
        <Amount money={payment.creditAmount} strong />
      </dd>
      <dt>UETR</dt>
      <dd class="mono small">{payment.uetr}</dd>
    </dl>
  );
}

export function Tracker({ initial, onAnother }: { initial: Payment; onAnother: () => void }) {
  const { api, locale } = useSession();
  const [payment, setPayment] = useState(initial);
  usePaymentChanges((changes) => {
    if (!changes.some((change) => change.paymentId === initial.networkId)) return;
    api
      .get<Payment>(`/v1/payments/${encodeURIComponent(initial.networkId)}`)
      .then(setPayment, () => undefined);
  });
  const final = payment.status === 'ACCC' || payment.status === 'RJCT';
  return (
    <Section title="Sent: following the payment" id="tracker">
      <p class="tracker-status" role="status" aria-live="polite">
        <StatusBadge status={payment.status} /> {final ? '' : 'Waiting for the next step…'}
        {payment.status === 'BLCK'
          ? ' A party matched a sanctions list: a reviewer will release or reject it.'
          : ''}
      </p>
      <SentFacts payment={payment} />
      <ol class="timeline">
        {payment.events.map((event, index) => (
          <li key={index} class={`step status-${event.status}`}>
            <span class="step-dot" aria-hidden="true" />
            <div>
              {statusLabel(event.status)} <abbr class="code">{event.status}</abbr>
              {event.reason === undefined ? null : <> · {event.reason}</>}
              <p class="small muted">{formatDateTime(event.at, locale)}</p>
            </div>
          </li>
        ))}
      </ol>
      <div class="button-row">
        <a class="button primary" href={href('payments', payment.networkId)}>
          Open payment details
        </a>
        <button type="button" class="quiet" onClick={onAnother}>
          Send another payment
        </button>
      </div>
    </Section>
  );
}
