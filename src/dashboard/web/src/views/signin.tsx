// Signing in with an API key: the key is checked against /v1/status before anything is shown.
import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { ErrorNotice } from '../ui';

export function SignIn({
  message,
  onSubmit,
}: {
  message?: string;
  onSubmit: (key: string) => Promise<void>;
}) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<ApiError | Error | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(key.trim());
    } catch (caught) {
      setError(caught instanceof Error ? caught : new Error(String(caught)));
      setBusy(false);
    }
  };

  return (
    <main id="main" class="signin">
      <div class="signin-card">
        <p class="brand-mark" aria-hidden="true">
          ⟿
        </p>
        <h1>Corridor</h1>
        <p class="lead">
          Cross-border payments in local currencies, settled payment-versus-payment. Sign in to see
          the network as your institution does.
        </p>
        {message === undefined ? null : (
          <p class="notice info" role="status">
            {message}
          </p>
        )}
        <form onSubmit={(event) => void submit(event)} noValidate={false}>
          <label for="api-key">API key</label>
          <input
            id="api-key"
            name="api-key"
            type="password"
            autoComplete="off"
            spellcheck={false}
            required
            pattern="ck_[a-z0-9]+_[A-Za-z0-9_\-]+"
            value={key}
            aria-describedby="api-key-help"
            aria-invalid={error === undefined ? undefined : true}
            onInput={(event) => setKey(event.currentTarget.value)}
          />
          <p id="api-key-help" class="help">
            A key looks like <code>ck_…_…</code>. <code>npm start</code> prints one for every
            participant of the demo network. It is kept for this tab only.
          </p>
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <ErrorNotice error={error} title="Could not sign in" />
      </div>
    </main>
  );
}
