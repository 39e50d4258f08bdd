// The payment form of the Send view: the receiving bank and beneficiary, the amount (what you
// send or what they receive), the payer, purpose and references.
import type { ApiError } from '../api';
import { Radios, SelectField, TextField, type Choice } from '../fields';
import { countryName } from '../format';
import { useSession } from '../session';

export interface Draft {
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

const PURPOSES: readonly Choice[] = [
  { value: 'GDDS', label: 'Goods (GDDS)' },
  { value: 'SUPP', label: 'Supplier payment (SUPP)' },
  { value: 'TRAD', label: 'Trade services (TRAD)' },
  { value: 'SCVE', label: 'Services (SCVE)' },
  { value: 'INTC', label: 'Intra-company (INTC)' },
  { value: 'OTHR', label: 'Other (OTHR)' },
];

function newEndToEndId(): string {
  const stamp = new Date().toISOString().slice(0, 10).replaceAll('-', '');
  return `E2E-${stamp}-${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
}

export function emptyDraft(): Draft {
  return {
    creditorAgent: '',
    amount: '',
    fixed: 'send',
    mode: 'instant',
    debtorName: '',
    debtorAccount: '',
    creditorName: '',
    creditorAccount: '',
    purpose: 'GDDS',
    remittance: '',
    endToEndId: newEndToEndId(),
  };
}

/** Active banks other than the caller, grouped by country and currency. */
function useCounterparties(): Map<string, Choice[]> {
  const { participants, me, locale } = useSession();
  const groups = new Map<string, Choice[]>();
  for (const bank of participants.values()) {
    if (bank.kind !== 'bank' || bank.id === me.id || bank.status !== 'active') continue;
    const label = `${countryName(bank.country, locale)} · ${bank.currencies[0] ?? ''}`;
    groups.set(label, [...(groups.get(label) ?? []), { value: bank.id, label: bank.name }]);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

interface PartProps {
  readonly draft: Draft;
  readonly set: (name: keyof Draft) => (value: string) => void;
  readonly error: ApiError | undefined;
}

function CreditorFields({ draft, set, error }: PartProps) {
  return (
    <fieldset>
      <legend>To whom</legend>
      <SelectField
        id="creditor-agent"
        label="Creditor agent (the receiving bank)"
        required
        value={draft.creditorAgent}
        onValue={set('creditorAgent')}
        placeholder="Choose a bank…"
        choices={useCounterparties()}
        field="creditorAgent"
        error={error}
      />
      <div class="field-pair">
        <TextField
          id="creditor-name"
          label="Creditor (beneficiary) name"
          required
          maxLength={140}
          value={draft.creditorName}
          onValue={set('creditorName')}
          field="creditor.name"
          error={error}
        />
        <TextField
          id="creditor-account"
          label={
            <>
              Creditor account <span class="muted">(optional)</span>
            </>
          }
          maxLength={34}
          value={draft.creditorAccount}
          onValue={set('creditorAccount')}
          field="creditor.account"
          error={error}
        />
      </div>
    </fieldset>
  );
}

function AmountFields({ draft, set, error }: PartProps) {
  const { me, participants } = useSession();
  const source = me.currencies[0] ?? '';
  const target = participants.get(draft.creditorAgent)?.currencies[0];
  const crossBorder = target !== undefined && target !== source;
  const fixedCurrency = draft.fixed === 'receive' && crossBorder ? target : source;
  return (
    <fieldset>
      <legend>How much</legend>
      <TextField
        id="amount"
        label={`Amount in ${fixedCurrency}`}
        required
        inputMode="decimal"
        pattern="[0-9]+([.][0-9]+)?"
        value={draft.amount}
        onValue={set('amount')}
        field="amount"
        error={error}
      />
      {crossBorder ? (
        <Radios
          name="fixed"
          legend="The amount is"
          value={draft.fixed}
          onValue={set('fixed')}
          choices={[
            { value: 'send', label: `what you send (${source})` },
            { value: 'receive', label: `what they receive (${target})` },
          ]}
        />
      ) : null}
      <Radios
        name="mode"
        legend="Settlement"
        value={draft.mode}
        onValue={set('mode')}
        choices={[
          { value: 'instant', label: 'Instant' },
          { value: 'two_phase', label: 'Two-phase (the receiving bank accepts first)' },
        ]}
      />
    </fieldset>
  );
}

function DebtorFields({ draft, set, error }: PartProps) {
  return (
    <fieldset>
      <legend>From whom, and why</legend>
      <div class="field-pair">
        <TextField
          id="debtor-name"
          label="Debtor (payer) name"
          required
          maxLength={140}
          value={draft.debtorName}
          onValue={set('debtorName')}
          field="debtor.name"
          error={error}
        />
        <TextField
          id="debtor-account"
          label={
            <>
              Debtor account <span class="muted">(optional)</span>
            </>
          }
          maxLength={34}
          value={draft.debtorAccount}
          onValue={set('debtorAccount')}
          field="debtor.account"
          error={error}
        />
      </div>
      <div class="field-pair">
        <SelectField
          id="purpose"
          label="Purpose"
          value={draft.purpose}
          onValue={set('purpose')}
          choices={PURPOSES}
          field="purpose"
          error={error}
        />
        <TextField
          id="end-to-end-id"
          label="End-to-end id"
          required
          maxLength={35}
          value={draft.endToEndId}
          onValue={set('endToEndId')}
          field="endToEndId"
          error={error}
        />
      </div>
      <TextField
        id="remittance"
        maxLength={140}
        value={draft.remittance}
        onValue={set('remittance')}
        label={
          <>
            Remittance information <span class="muted">(optional, e.g. the invoice)</span>
          </>
        }
        field="remittanceInformation"
        error={error}
      />
    </fieldset>
  );
}

export interface FormProps {
  readonly draft: Draft;
  readonly onChange: (draft: Draft) => void;
  readonly onQuote: () => void;
  readonly busy: boolean;
  readonly error: ApiError | undefined;
}

export function PaymentForm({ draft, onChange, onQuote, busy, error }: FormProps) {
  const set = (name: keyof Draft) => (value: string) => onChange({ ...draft, [name]: value });
  return (
    <form
      class="send-form"
      aria-label="Payment"
      onSubmit={(event) => {
        event.preventDefault();
        onQuote();
      }}
    >
      <CreditorFields draft={draft} set={set} error={error} />
      <AmountFields draft={draft} set={set} error={error} />
      <DebtorFields draft={draft} set={set} error={error} />
      <div class="button-row">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Getting the quote…' : 'Get quote'}
        </button>
      </div>
    </form>
  );
}
