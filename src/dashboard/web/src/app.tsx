// The page: sign-in, then a shell whose views follow the participant's role. A bank sees its
// own payments and can send; a central bank sees its currency and reviews held payments; the
// operator sees the whole network and its health.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { formatCount, KIND_LABELS } from './format';
import { href, useRoute, type View } from './router';
import {
  KEY_STORAGE,
  SessionContext,
  signIn,
  startLive,
  useLive,
  useSession,
  type Session,
} from './session';
import type { Kind } from './types';
import { HealthView } from './views/health';
import { LiquidityView } from './views/liquidity';
import { NetworkView } from './views/network';
import { PaymentsView } from './views/payments';
import { ReviewView } from './views/review';
import { SendView } from './views/send';
import { ServiceView } from './views/service';
import { SimulationView } from './views/simulation';
import { SignIn } from './views/signin';

export const VIEWS_BY_KIND: Readonly<Record<Kind, readonly View[]>> = {
  bank: ['network', 'liquidity', 'payments', 'send', 'service'],
  fx_provider: ['network', 'liquidity', 'payments', 'service'],
  central_bank: ['network', 'liquidity', 'payments', 'review', 'health', 'service', 'simulation'],
  operator: ['network', 'liquidity', 'payments', 'review', 'health', 'service', 'simulation'],
};

const VIEW_LABELS: Readonly<Record<View, string>> = {
  network: 'Network',
  liquidity: 'Liquidity',
  payments: 'Payments',
  send: 'Send a payment',
  review: 'Review',
  health: 'Health',
  service: 'Service figures',
  simulation: 'Simulation',
};

const LOCALES = [
  'en-GB',
  'en-US',
  'en-IN',
  'pt-BR',
  'ru-RU',
  'hi-IN',
  'zh-CN',
  'en-ZA',
  'ar-EG',
  'am-ET',
  'fa-IR',
  'ar-AE',
  'de-DE',
  'fr-FR',
];
const LOCALE_STORAGE = 'corridor.locale';

function LiveStatus() {
  const live = useLive();
  const { locale } = useSession();
  const label =
    live.state === 'live'
      ? 'Live'
      : live.state === 'reconnecting'
        ? 'Reconnecting…'
        : 'Connecting…';
  const rate = live.stats?.acceptedPerSecond;
  return (
    <span class={`live live-${live.state}`} role="status" aria-live="polite">
      <span class="live-dot" aria-hidden="true" />
      {label}
      {live.state === 'live' && rate !== undefined ? (
        <span class="muted"> · {formatCount(rate, locale, 1)} payments/s</span>
      ) : null}
    </span>
  );
}

function Content({ view, param }: { view: View; param: string | undefined }) {
  switch (view) {
    case 'network':
      return <NetworkView />;
    case 'liquidity':
      return <LiquidityView />;
    case 'payments':
      return <PaymentsView paymentId={param} />;
    case 'send':
      return <SendView />;
    case 'review':
      return <ReviewView />;
    case 'health':
      return <HealthView />;
    case 'service':
      return <ServiceView />;
    case 'simulation':
      return <SimulationView />;
  }
}

interface ShellProps {
  readonly localeChoice: string;
  readonly onLocale: (locale: string) => void;
  readonly onSignOut: () => void;
}

function TopBar({
  localeChoice,
  onLocale,
  onSignOut,
  views,
  view,
}: ShellProps & {
  views: readonly View[];
  view: View;
}) {
  const { me } = useSession();
  return (
    <header class="topbar">
      <div class="topbar-row">
        <a class="brand" href={href(views[0] ?? 'network')}>
          <span class="brand-mark" aria-hidden="true">
            ⟿
          </span>{' '}
          Corridor
        </a>
        <div class="who">
          <span class="who-name">{me.name}</span>
          <span class={`role role-${me.kind}`}>{KIND_LABELS[me.kind]}</span>
          <LiveStatus />
        </div>
        <div class="prefs">
          <label class="locale">
            <span>Number format</span>
            <select value={localeChoice} onChange={(event) => onLocale(event.currentTarget.value)}>
              <option value="">Browser ({navigator.language})</option>
              {LOCALES.map((locale) => (
                <option key={locale} value={locale}>
                  {locale}
                </option>
              ))}
            </select>
          </label>
          <button type="button" class="quiet" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </div>
      <nav aria-label="Views">
        <ul>
          {views.map((name) => (
            <li key={name}>
              <a href={href(name)} aria-current={name === view ? 'page' : undefined}>
                {VIEW_LABELS[name]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}

function Shell(props: ShellProps) {
  const { me } = useSession();
  const route = useRoute();
  const views = VIEWS_BY_KIND[me.kind];
  const home = views[0] ?? 'network';
  const view = route.view ?? home;
  const skip = (event: Event): void => {
    event.preventDefault();
    document.getElementById('main')?.focus();
  };
  return (
    <>
      <a class="skip-link" href="#main" onClick={skip}>
        Skip to content
      </a>
      <TopBar {...props} views={views} view={view} />
      <main id="main" tabIndex={-1}>
        {views.includes(view) ? (
          <Content key={`${view}/${route.param ?? ''}`} view={view} param={route.param} />
        ) : (
          <div class="notice info" role="alert">
            <p>
              The {VIEW_LABELS[view]} view is not available to a{' '}
              {KIND_LABELS[me.kind]?.toLowerCase()}.
            </p>
            <p>
              <a href={href(home)}>Go to {VIEW_LABELS[home]}</a>
            </p>
          </div>
        )}
      </main>
    </>
  );
}

type Phase =
  | { readonly name: 'checking' }
  | { readonly name: 'out'; readonly message?: string }
  | { readonly name: 'in'; readonly session: Omit<Session, 'locale'> };

export function App() {
  const [phase, setPhase] = useState<Phase>({ name: 'checking' });
  const [localeChoice, setLocaleChoice] = useState(
    () => localStorage.getItem(LOCALE_STORAGE) ?? '',
  );
  const locale = localeChoice === '' ? navigator.language : localeChoice;

  const signOut = (message?: string): void => {
    sessionStorage.removeItem(KEY_STORAGE);
    setPhase((current) => {
      if (current.name === 'in') current.session.live.stop();
      return message === undefined ? { name: 'out' } : { name: 'out', message };
    });
  };

  const enter = async (key: string): Promise<void> => {
    // A 401 while signing in is the sign-in's own error; once in, it means the key was revoked.
    let signedInYet = false;
    const signedIn = await signIn(key, () => {
      if (signedInYet) signOut('Your key is no longer accepted: sign in again.');
    });
    signedInYet = true;
    sessionStorage.setItem(KEY_STORAGE, key);
    const live = startLive(signedIn.api, (message) => signOut(`${message} Sign in again.`));
    setPhase({ name: 'in', session: { ...signedIn, live } });
  };

  useEffect(() => {
    const saved = sessionStorage.getItem(KEY_STORAGE);
    if (saved === null) setPhase({ name: 'out' });
    else enter(saved).catch(() => signOut('Your saved key was not accepted: sign in again.'));
  }, []);

  const session = useMemo(
    () => (phase.name === 'in' ? { ...phase.session, locale } : undefined),
    [phase, locale],
  );

  if (phase.name === 'checking')
    return (
      <p class="loading" role="status">
        Loading…
      </p>
    );
  if (phase.name === 'out' || session === undefined) {
    return <SignIn message={phase.name === 'out' ? phase.message : undefined} onSubmit={enter} />;
  }
  return (
    <SessionContext.Provider value={session}>
      <Shell
        localeChoice={localeChoice}
        onSignOut={() => signOut()}
        onLocale={(choice) => {
          localStorage.setItem(LOCALE_STORAGE, choice);
          setLocaleChoice(choice);
        }}
      />
    </SessionContext.Provider>
  );
}
