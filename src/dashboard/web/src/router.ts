// Hash routes ("#/payments/pmt_…"): the server serves one page at /, so every view is a
// fragment and a reload or a shared link lands on the same view.
import { useEffect, useState } from 'preact/hooks';

export type View =
  'network' | 'liquidity' | 'payments' | 'send' | 'review' | 'health' | 'service' | 'simulation';

export interface Route {
  readonly view: View | undefined;
  readonly param?: string;
}

const VIEWS: readonly View[] = [
  'network',
  'liquidity',
  'payments',
  'send',
  'review',
  'health',
  'service',
  'simulation',
];

export function parseRoute(hash: string): Route {
  const [name = '', ...rest] = hash.replace(/^#\/?/, '').split('/');
  const view = VIEWS.find((candidate) => candidate === name);
  const param = rest.length > 0 ? decodeURIComponent(rest.join('/')) : undefined;
  return param === undefined || param === '' ? { view } : { view, param };
}

export function href(view: View, param?: string): string {
  return `#/${view}${param === undefined ? '' : `/${encodeURIComponent(param)}`}`;
}

export function navigate(view: View, param?: string): void {
  window.location.hash = href(view, param);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
