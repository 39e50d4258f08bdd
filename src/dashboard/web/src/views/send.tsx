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

/** An idempotency key (crypto.randomUUID needs a secure context; this works over plain HTTP). */
function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `dash-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
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

function paymentBody(draft: Draft, preview: Preview, currency: string) {
  const party = (name: string, account: string) => ({
    name: name.trim(),
    ...(account.trim() === '' ? {} : { account: account.trim() }),
  });
  return {
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
  // One key per quote: a retried confirmation cannot send the payment twice.
  const [idempotencyKey, setIdempotencyKey] = useState(randomKey);
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
      setIdempotencyKey(randomKey());
    });
  const confirm = () =>
    run(async () => {
      if (preview === undefined) return;
      setSent(
        await api.post<Payment>('/v1/payments', paymentBody(draft, preview, source), {
          'idempotency-key': idempotencyKey,
        }),
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
