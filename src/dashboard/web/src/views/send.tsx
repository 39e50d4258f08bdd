// Send a payment: pick the creditor agent and the amount, see the firm quote (rate, every fee,
// the exact amount debited from you and credited to them) BEFORE confirming, then follow the
// payment's status live. A domestic payment needs no quote: its only fee is the currency's
// scheme fee, added exactly (BigInt on minor units).
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { countryName, formatDateTime, formatDuration, statusLabel } from '../format';
import { formatDecimal, fromMinor, toMinor } from '../money';
import { href } from '../router';
import { currencyDecimals, usePayeeName, usePaymentChanges, useSession } from '../session';
import type { Money, Participant, Payment, Quote } from '../types';
import { Amount, ErrorNotice, PageTitle, ParticipantName, Section, StatusBadge } from '../ui';

interface Draft {
  readonly creditorAgent: string;
  readonly amount: string;
  readonly fixed: 'send' | 'receive';
  readonly mode: 'instant' | 'two_phase';
  readonly debtorName: string;
  readonly debtorAccount: string;
  readonly creditorName: string;
  readonly creditorAccount: string;
  readonly purpose: string;
  readonly remittance: string;
  readonly endToEndId: string;
}

/** What the payment will cost and deliver, shown before it is sent. */
interface Preview {
  readonly quote?: Quote;
  readonly sendAmount: Money;
  readonly fees: readonly (Money & { kind: string; payee: string })[];
  readonly debitAmount: Money;
  readonly creditAmount: Money;
  readonly expiresAt?: string;
}

const PURPOSES = [['GDDS', 'Goods'], ['SUPP', 'Supplier payment'], ['TRAD', 'Trade services'],
  ['SCVE', 'Services'], ['INTC', 'Intra-company'], ['OTHR', 'Other']] as const;

/** An idempotency key (crypto.randomUUID needs a secure context; this works over plain HTTP). */
function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `dash-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

function newEndToEndId(): string {
  const stamp = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  return `E2E-${stamp}-${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
}

function emptyDraft(): Draft {
  return { creditorAgent: '', amount: '', fixed: 'send', mode: 'instant', debtorName: '', debtorAccount: '',
    creditorName: '', creditorAccount: '', purpose: 'GDDS', remittance: '', endToEndId: newEndToEndId() };
}

function FieldError({ error, field }: { error: ApiError | undefined; field: string }) {
  if (error?.field !== field) return null;
  return <p id={`${field.replace('.', '-')}-error`} class="field-error">{error.message}</p>;
}

function invalid(error: ApiError | undefined, field: string) {
  return error?.field === field ? { 'aria-invalid': true, 'aria-describedby': `${field.replace('.', '-')}-error` } : {};
}

function domesticPreview(draft: Draft, currency: string, schemeFee: string, decimals: number): Preview {
  const amount = toMinor(draft.amount, decimals);
  const fee = toMinor(schemeFee, decimals) ?? 0n;
  if (amount === undefined || amount <= 0n) {
    throw new ApiError(400, 'invalid_amount', `Write the amount as a positive number with at most ${decimals} decimals.`, 'amount');
  }
  const money = (value: bigint): Money => ({ amount: fromMinor(value, decimals), currency });
  return { sendAmount: money(amount), creditAmount: money(amount), debitAmount: money(amount + fee),
    fees: fee > 0n ? [{ ...money(fee), kind: 'scheme', payee: 'operator' }] : [] };
}

function useCounterparties(): Map<string, Participant[]> {
  const { participants, me, locale } = useSession();
  const groups = new Map<string, Participant[]>();
  for (const participant of participants.values()) {
    if (participant.kind !== 'bank' || participant.id === me.id || participant.status !== 'active') continue;
    const label = `${countryName(participant.country, locale)} · ${participant.currencies[0] ?? ''}`;
    groups.set(label, [...(groups.get(label) ?? []), participant]);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

interface FormProps {
  readonly draft: Draft;
  readonly onChange: (draft: Draft) => void;
  readonly onQuote: () => void;
  readonly busy: boolean;
  readonly error: ApiError | undefined;
}

function PaymentForm({ draft, onChange, onQuote, busy, error }: FormProps) {
  const { me, participants } = useSession();
  const groups = useCounterparties();
  const source = me.currencies[0] ?? '';
  const target = participants.get(draft.creditorAgent)?.currencies[0];
  const set = (name: keyof Draft) => (event: Event): void =>
    onChange({ ...draft, [name]: (event.currentTarget as HTMLInputElement).value });
  return (
    <form class="send-form" aria-label="Payment" onSubmit={(event) => { event.preventDefault(); onQuote(); }}>
      <fieldset>
        <legend>To whom</legend>
        <label for="creditor-agent">Creditor agent (the receiving bank)</label>
        <select id="creditor-agent" required value={draft.creditorAgent} onChange={set('creditorAgent')} {...invalid(error, 'creditorAgent')}>
          <option value="">Choose a bank…</option>
          {[...groups.entries()].map(([label, banks]) => (
            <optgroup key={label} label={label}>
              {banks.map((bank) => <option key={bank.id} value={bank.id}>{bank.name}</option>)}
            </optgroup>
          ))}
        </select>
        <FieldError error={error} field="creditorAgent" />
        <div class="field-pair">
          <div><label for="creditor-name">Creditor (beneficiary) name</label>
            <input id="creditor-name" required maxLength={140} value={draft.creditorName} onInput={set('creditorName')} {...invalid(error, 'creditor.name')} />
            <FieldError error={error} field="creditor.name" /></div>
          <div><label for="creditor-account">Creditor account <span class="muted">(optional)</span></label>
            <input id="creditor-account" maxLength={34} value={draft.creditorAccount} onInput={set('creditorAccount')} /></div>
        </div>
      </fieldset>
      <AmountFields draft={draft} set={set} source={source} target={target} error={error} />
      <fieldset>
        <legend>From whom, and why</legend>
        <div class="field-pair">
          <div><label for="debtor-name">Debtor (payer) name</label>
            <input id="debtor-name" required maxLength={140} value={draft.debtorName} onInput={set('debtorName')} {...invalid(error, 'debtor.name')} />
            <FieldError error={error} field="debtor.name" /></div>
          <div><label for="debtor-account">Debtor account <span class="muted">(optional)</span></label>
            <input id="debtor-account" maxLength={34} value={draft.debtorAccount} onInput={set('debtorAccount')} /></div>
        </div>
        <div class="field-pair">
          <div><label for="purpose">Purpose</label>
            <select id="purpose" value={draft.purpose} onChange={set('purpose')}>
              {PURPOSES.map(([code, label]) => <option key={code} value={code}>{label} ({code})</option>)}
            </select></div>
          <div><label for="end-to-end-id">End-to-end id</label>
            <input id="end-to-end-id" required maxLength={35} value={draft.endToEndId} onInput={set('endToEndId')} {...invalid(error, 'endToEndId')} />
            <FieldError error={error} field="endToEndId" /></div>
        </div>
        <label for="remittance">Remittance information <span class="muted">(optional, e.g. the invoice)</span></label>
        <input id="remittance" maxLength={140} value={draft.remittance} onInput={set('remittance')} />
      </fieldset>
      <div class="button-row">
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Getting the quote…' : 'Get quote'}</button>
      </div>
    </form>
  );
}

function AmountFields({ draft, set, source, target, error }: { draft: Draft; source: string;
  target: string | undefined; error: ApiError | undefined; set: (name: keyof Draft) => (event: Event) => void }) {
  const crossBorder = target !== undefined && target !== source;
  const fixedCurrency = draft.fixed === 'receive' && crossBorder ? target : source;
  return (
    <fieldset>
      <legend>How much</legend>
      <label for="amount">Amount in {fixedCurrency}</label>
      <input id="amount" required inputMode="decimal" autoComplete="off" pattern="[0-9]+([.][0-9]+)?"
        value={draft.amount} onInput={set('amount')} {...invalid(error, 'amount')} />
      <FieldError error={error} field="amount" />
      {crossBorder ? (
        <div class="radios" role="radiogroup" aria-label="The amount is">
          <label><input type="radio" name="fixed" value="send" checked={draft.fixed === 'send'} onChange={set('fixed')} />
            what you send ({source})</label>
          <label><input type="radio" name="fixed" value="receive" checked={draft.fixed === 'receive'} onChange={set('fixed')} />
            what they receive ({target})</label>
        </div>
      ) : null}
      <div class="radios" role="radiogroup" aria-label="Settlement">
        <label><input type="radio" name="mode" value="instant" checked={draft.mode === 'instant'} onChange={set('mode')} />
          Instant</label>
        <label><input type="radio" name="mode" value="two_phase" checked={draft.mode === 'two_phase'} onChange={set('mode')} />
          Two-phase (the receiving bank accepts first)</label>
      </div>
    </fieldset>
  );
}

function Countdown({ until }: { until: string }) {
  const { locale } = useSession();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1_000);
    return () => window.clearInterval(timer);
  }, []);
  const left = new Date(until).getTime() - now;
  if (left <= 0) return <p class="notice error" role="alert">This quote has expired. Get a new one.</p>;
  return <p class="small">Firm for {formatDuration(left, locale)} (until {formatDateTime(until, locale)}).</p>;
}

function PaymentSummary({ draft }: { draft: Draft }) {
  const party = (name: string, account: string): string => (account.trim() === '' ? name : `${name} (${account.trim()})`);
  return (
    <dl class="facts" aria-label="The payment">
      <dt>To</dt><dd><ParticipantName id={draft.creditorAgent} /></dd>
      <dt>Beneficiary</dt><dd>{party(draft.creditorName, draft.creditorAccount)}</dd>
      <dt>Payer</dt><dd>{party(draft.debtorName, draft.debtorAccount)}</dd>
      <dt>Settlement</dt><dd>{draft.mode === 'instant' ? 'Instant' : 'Two-phase: the receiving bank accepts first'}</dd>
      <dt>Purpose</dt><dd>{draft.purpose}{draft.remittance.trim() === '' ? '' : ` · ${draft.remittance.trim()}`}</dd>
      <dt>End-to-end id</dt><dd class="mono">{draft.endToEndId}</dd>
    </dl>
  );
}

function PreviewPanel({ preview, draft, onConfirm, onBack, busy, error }: { preview: Preview; draft: Draft;
  onConfirm: () => void; onBack: () => void; busy: boolean; error: ApiError | undefined }) {
  const { locale } = useSession();
  const payee = usePayeeName();
  const quote = preview.quote;
  const expired = preview.expiresAt !== undefined && new Date(preview.expiresAt).getTime() <= Date.now();
  return (
    <Section title={quote === undefined ? 'Before you send: domestic payment' : 'Before you send: the quote'} id="quote">
      <div class="preview">
      <dl class="quote">
        <div class="quote-row"><dt>You send</dt><dd><Amount money={preview.sendAmount} /></dd></div>
        {preview.fees.map((fee, index) => (
          <div key={index} class="quote-row fee">
            <dt>{fee.kind === 'scheme' ? 'Scheme fee' : 'FX provider fee'} <span class="muted small">to {payee(fee.payee)}</span></dt>
            <dd>+ <Amount money={fee} /></dd>
          </div>
        ))}
        {preview.fees.length === 0 ? <div class="quote-row fee"><dt>Fees</dt><dd>none</dd></div> : null}
        <div class="quote-row total"><dt>Debited from your account</dt><dd><Amount money={preview.debitAmount} strong /></dd></div>
        {quote === undefined ? null : (
          <div class="quote-row"><dt>Rate</dt>
            <dd>1 {quote.sourceCurrency} = <bdi>{formatDecimal(quote.rate, locale)}</bdi> {quote.targetCurrency}
              <span class="muted small"> (mid <bdi>{formatDecimal(quote.midRate, locale)}</bdi>, spread {quote.spreadBps} bp, by <ParticipantName id={quote.fxProvider} />)</span></dd>
          </div>
        )}
        <div class="quote-row total"><dt>Credited to <ParticipantName id={draft.creditorAgent} /></dt>
          <dd><Amount money={preview.creditAmount} strong /></dd></div>
      </dl>
      <PaymentSummary draft={draft} />
      </div>
      {preview.expiresAt === undefined ? null : <Countdown until={preview.expiresAt} />}
      <ErrorNotice error={error} title="The payment was refused" />
      <div class="button-row">
        <button type="button" class="primary" disabled={busy || expired} onClick={onConfirm}>
          {busy ? 'Sending…' : 'Confirm and send'}
        </button>
        <button type="button" class="quiet" onClick={onBack}>Change the payment</button>
      </div>
    </Section>
  );
}

function Tracker({ initial, onAnother }: { initial: Payment; onAnother: () => void }) {
  const { api, locale } = useSession();
  const [payment, setPayment] = useState(initial);
  usePaymentChanges((changes) => {
    if (!changes.some((change) => change.paymentId === initial.id)) return;
    api.get<Payment>(`/v1/payments/${encodeURIComponent(initial.id)}`).then(setPayment, () => undefined);
  });
  const final = payment.status === 'ACCC' || payment.status === 'RJCT';
  return (
    <Section title="Sent: following the payment" id="tracker">
      <p class="tracker-status" role="status" aria-live="polite">
        <StatusBadge status={payment.status} /> {final ? '' : 'Waiting for the next step…'}
        {payment.status === 'BLCK' ? ' A party matched a sanctions list: a reviewer will release or reject it.' : ''}
      </p>
      <ol class="timeline">
        {payment.events.map((event, index) => (
          <li key={index} class={`step status-${event.status}`}>
            <span class="step-dot" aria-hidden="true" />
            <div>{statusLabel(event.status)} <abbr class="code">{event.status}</abbr>
              {event.reason === undefined ? null : <> · {event.reason}</>}
              <p class="small muted">{formatDateTime(event.at, locale)}</p></div>
          </li>
        ))}
      </ol>
      <div class="button-row">
        <a class="button primary" href={href('payments', payment.id)}>Open payment details</a>
        <button type="button" class="quiet" onClick={onAnother}>Send another payment</button>
      </div>
    </Section>
  );
}

export function SendView() {
  const { api, me, participants, currencies } = useSession();
  const [draft, setDraft] = useState(emptyDraft);
  const [preview, setPreview] = useState<Preview | undefined>(undefined);
  const [sent, setSent] = useState<Payment | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [idempotencyKey, setIdempotencyKey] = useState(() => randomKey());
  const source = me.currencies[0] ?? '';
  const target = participants.get(draft.creditorAgent)?.currencies[0] ?? '';

  const quote = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      if (draft.creditorAgent === '') throw new ApiError(400, 'invalid_request', 'Choose the receiving bank.', 'creditorAgent');
      if (target === source) {
        const rules = currencies.get(source);
        setPreview(domesticPreview(draft, source, rules?.schemeFee ?? '0', currencyDecimals(rules)));
      } else {
        const given = await api.post<Quote>('/v1/quotes', { sourceCurrency: source, targetCurrency: target,
          fixed: draft.fixed, amount: draft.amount });
        setPreview({ quote: given, sendAmount: given.sendAmount, fees: given.fees, debitAmount: given.debitAmount,
          creditAmount: given.creditAmount, expiresAt: given.expiresAt });
      }
      setIdempotencyKey(randomKey());
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(0, 'error', String(caught)));
    } finally {
      setBusy(false);
    }
  };

  const confirm = (): void => {
    if (preview === undefined) return;
    setBusy(true);
    setError(undefined);
    const party = (name: string, account: string) => ({ name: name.trim(), ...(account.trim() === '' ? {} : { account: account.trim() }) });
    api.post<Payment>('/v1/payments', {
      creditorAgent: draft.creditorAgent, mode: draft.mode, endToEndId: draft.endToEndId.trim(), purpose: draft.purpose,
      debtor: party(draft.debtorName, draft.debtorAccount), creditor: party(draft.creditorName, draft.creditorAccount),
      ...(draft.remittance.trim() === '' ? {} : { remittanceInformation: draft.remittance.trim() }),
      ...(preview.quote === undefined ? { amount: preview.sendAmount.amount, currency: source } : { quoteId: preview.quote.id }),
    }, { 'idempotency-key': idempotencyKey }).then((payment) => { setSent(payment); setBusy(false); },
      (caught: ApiError) => { setError(caught); setBusy(false); });
  };

  const restart = (): void => {
    setDraft(emptyDraft());
    setPreview(undefined);
    setSent(undefined);
    setError(undefined);
  };

  return (
    <>
      <PageTitle lead={`From your ${source} account. You see every fee and the exact amounts before anything is sent.`}>
        Send a payment
      </PageTitle>
      {sent !== undefined ? <Tracker initial={sent} onAnother={restart} />
        : preview !== undefined ? (
          <PreviewPanel preview={preview} draft={draft} busy={busy} error={error} onConfirm={confirm}
            onBack={() => { setPreview(undefined); setError(undefined); }} />
        ) : (
          <>
            <PaymentForm draft={draft} busy={busy} error={error}
              onChange={(next) => { setDraft(next); setError(undefined); }} onQuote={() => void quote()} />
            <ErrorNotice error={error} title="No quote" />
          </>
        )}
    </>
  );
}
