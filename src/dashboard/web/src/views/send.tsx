// Send a payment: pick the creditor agent and the amount, see the firm quote (rate, every fee,
// the exact amount debited from you and credited to them) BEFORE confirming, then follow the
// payment's status live. A domestic payment needs no quote: its only fee is the currency's
// scheme fee, added exactly (BigInt on minor units).
import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { fromMinor, toMinor } from '../money';
import { currencyDecimals, useSession } from '../session';
import type { Money, Payment, Quote } from '../types';
import { ErrorNotice, PageTitle } from '../ui';
import { emptyDraft, PaymentForm, type Draft } from './send-form';
import { localDeadline, PreviewPanel, Tracker, type Preview } from './send-preview';

/** 16 random bytes in hex (crypto.randomUUID needs a secure context; this works on plain HTTP). */
function randomHex(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * What makes one confirmation safe to retry: an Idempotency-Key, and the payment's own id in
 * the API's scheme (`pmt_…`, as the server names a payment sent without one). Without an
 * explicit id the server would derive one from the key (`idem-…`); with it, a retry after a
 * restart of the server still names the same payment.
 */
interface Attempt {
  readonly key: string;
  readonly paymentId: string;
}

function newAttempt(): Attempt {
  return { key: `dash-${randomHex()}`, paymentId: `pmt_${randomHex()}` };
}

function domesticPreview(
  draft: Draft,
  currency: string,
  schemeFee: string,
  decimals: number,
): Preview {
  const amount = toMinor(draft.amount, decimals);
  const fee = toMinor(schemeFee, decimals) ?? 0n;
  if (amount === undefined || amount <= 0n) {
    const message = `Write the amount as a positive number with at most ${decimals} decimals.`;
    throw new ApiError(400, 'invalid_amount', message, 'amount');
  }
  const money = (value: bigint): Money => ({ amount: fromMinor(value, decimals), currency });
  return {
    sendAmount: money(amount),
    creditAmount: money(amount),
    debitAmount: money(amount + fee),
    fees: fee > 0n ? [{ ...money(fee), kind: 'scheme', payee: 'operator' }] : [],
  };
}

function paymentBody(draft: Draft, preview: Preview, currency: string, id: string) {
  const party = (name: string, account: string) => ({
    name: name.trim(),
    ...(account.trim() === '' ? {} : { account: account.trim() }),
  });
  return {
    id,
    creditorAgent: draft.creditorAgent,
    mode: draft.mode,
    endToEndId: draft.endToEndId.trim(),
    purpose: draft.purpose,
    debtor: party(draft.debtorName, draft.debtorAccount),
    creditor: party(draft.creditorName, draft.creditorAccount),
    ...(draft.remittance.trim() === '' ? {} : { remittanceInformation: draft.remittance.trim() }),
    ...(preview.quote === undefined
      ? { amount: preview.sendAmount.amount, currency }
      : { quoteId: preview.quote.id }),
  };
}

function asApiError(caught: unknown): ApiError {
  return caught instanceof ApiError ? caught : new ApiError(0, 'error', String(caught));
}

/** The three steps: the form, the preview (quote), the sent payment. */
function useSendFlow() {
  const { api, me, participants, currencies } = useSession();
  const [draft, setDraft] = useState(emptyDraft);
  const [preview, setPreview] = useState<Preview | undefined>(undefined);
  const [sent, setSent] = useState<Payment | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  // One key and payment id per quote: a retried confirmation cannot send the payment twice.
  const [attempt, setAttempt] = useState(newAttempt);
  const source = me.currencies[0] ?? '';
  const run = async (step: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await step();
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };
  const quote = () =>
    run(async () => {
      const target = participants.get(draft.creditorAgent)?.currencies[0];
      if (target === undefined) {
        throw new ApiError(400, 'invalid_request', 'Choose the receiving bank.', 'creditorAgent');
      }
      if (target === source) {
        const rules = currencies.get(source);
        setPreview(
          domesticPreview(draft, source, rules?.schemeFee ?? '0', currencyDecimals(rules)),
        );
      } else {
        const given = await api.post<Quote>('/v1/quotes', {
          sourceCurrency: source,
          targetCurrency: target,
          fixed: draft.fixed,
          amount: draft.amount,
        });
        setPreview({ ...given, quote: given, expiresLocally: localDeadline(given) });
      }
      setAttempt(newAttempt());
    });
  const confirm = () =>
    run(async () => {
      if (preview === undefined) return;
      setSent(
        await api.post<Payment>(
          '/v1/payments',
          paymentBody(draft, preview, source, attempt.paymentId),
          { 'idempotency-key': attempt.key },
        ),
      );
    });
  const edit = (next: Draft): void => {
    setDraft(next);
    setError(undefined);
  };
  const back = (): void => {
    setPreview(undefined);
    setError(undefined);
  };
  const restart = (): void => {
    setDraft(emptyDraft());
    back();
    setSent(undefined);
  };
  return { draft, preview, sent, busy, error, source, quote, confirm, edit, back, restart };
}

export function SendView() {
  const flow = useSendFlow();
  return (
    <>
      <PageTitle
        lead={`From your ${flow.source} account. You see every fee and the exact amounts before anything is sent.`}
      >
        Send a payment
      </PageTitle>
      {flow.sent !== undefined ? (
        <Tracker initial={flow.sent} onAnother={flow.restart} />
      ) : flow.preview !== undefined ? (
        <PreviewPanel
          preview={flow.preview}
          draft={flow.draft}
          busy={flow.busy}
          error={flow.error}
          onConfirm={() => void flow.confirm()}
          onRefresh={() => void flow.quote()}
          onBack={flow.back}
        />
      ) : (
        <>
          <PaymentForm
            draft={flow.draft}
            busy={flow.busy}
            error={flow.error}
            onChange={flow.edit}
            onQuote={() => void flow.quote()}
          />
          <ErrorNotice error={flow.error} title="No quote" />
        </>
      )}
    </>
  );
}
