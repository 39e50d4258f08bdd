// Who is signed in, and what every view needs with it: the API client, the live stream, the
// directory of participants and currencies, and the locale amounts are written in. The key is
// kept in sessionStorage: it survives a reload, not the closing of the tab.
import { createContext } from 'preact';
import { useContext, useEffect, useReducer, useRef } from 'preact/hooks';
import type { PaymentChange } from '../../protocol';
import { createApi, type Api } from './api';
import { Live } from './live';
import type { Currency, Kind, Participant, Status } from './types';

export interface Me {
  readonly id: string;
  readonly name: string;
  readonly kind: Kind;
  readonly country: string;
  readonly currencies: readonly string[];
  /** The currencies a central bank issues. */
  readonly issues: readonly string[];
}

export interface Session {
  readonly api: Api;
  readonly live: Live;
  readonly me: Me;
  readonly participants: ReadonlyMap<string, Participant>;
  readonly currencies: ReadonlyMap<string, Currency>;
  readonly locale: string;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === undefined) throw new Error('useSession outside a signed-in page');
  return session;
}

export const KEY_STORAGE = 'corridor.apiKey';

export interface SignedIn {
  readonly api: Api;
  readonly me: Me;
  readonly participants: ReadonlyMap<string, Participant>;
  readonly currencies: ReadonlyMap<string, Currency>;
}

/** Checks the key and loads the directory (three requests); throws ApiError when refused. */
export async function signIn(key: string, onUnauthenticated: () => void): Promise<SignedIn> {
  const api = createApi(key, onUnauthenticated);
  const status = await api.get<Status>('/v1/status');
  const [self, directory, currencies] = await Promise.all([
    api.get<Participant>(`/v1/participants/${encodeURIComponent(status.you.id)}`),
    api.get<{ participants: Participant[] }>('/v1/participants'),
    api.get<{ currencies: Currency[] }>('/v1/currencies'),
  ]);
  const me: Me = {
    id: self.id,
    name: self.name,
    kind: self.kind,
    country: self.country,
    currencies: self.currencies,
    issues: status.you.issues,
  };
  return {
    api,
    me,
    participants: new Map([self, ...directory.participants].map((p) => [p.id, p])),
    currencies: new Map(currencies.currencies.map((c) => [c.code, c])),
  };
}

export function startLive(api: Api, onRevoked: (message: string) => void): Live {
  const live = new Live(api, onRevoked);
  live.start();
  return live;
}

/** The live stream, re-rendering the caller on every frame (once a second). */
export function useLive(): Live {
  const { live } = useSession();
  const [, tick] = useReducer((count: number) => count + 1, 0);
  useEffect(() => live.onChange(() => tick(undefined)), [live]);
  return live;
}

/** Calls `handle` with every batch of visible payment status changes. */
export function usePaymentChanges(handle: (changes: readonly PaymentChange[]) => void): void {
  const { live } = useSession();
  const latest = useRef(handle);
  latest.current = handle;
  useEffect(() => live.onPayments((changes) => latest.current(changes)), [live]);
}

/** Calls `handle` when the stream could not replay what was missed: reload from the API. */
export function useResync(handle: () => void): void {
  const { live } = useSession();
  const latest = useRef(handle);
  latest.current = handle;
  useEffect(() => live.onResync(() => latest.current()), [live]);
}

/** A participant's display name ("Banco Atlântico (demo)"), or its id if unknown. */
export function useNames(): (id: string) => string {
  const { participants } = useSession();
  return (id) => participants.get(id)?.name ?? id;
}

/** Decimals of a currency, from its rules' amount strings ("10000000.00" → 2). */
export function currencyDecimals(currency: Currency | undefined): number {
  const sample = currency?.paymentAmountMax ?? '0.00';
  const point = sample.indexOf('.');
  return point < 0 ? 0 : sample.length - point - 1;
}

/** Who a fee is paid to: the scheme fee to the operator (not in the directory), others by name. */
export function usePayeeName(): (fee: { kind: string; payee: string }) => string {
  const name = useNames();
  return (fee) =>
    fee.kind === 'scheme' ? 'the network operator' : name(fee.payee.split(':')[0] ?? fee.payee);
}
