// One webhook POST: resolve the host once, refuse unless every address it resolves to is
// allowed, then connect to those vetted addresses only (the socket's lookup answers from them,
// so a second, rebinding answer is never asked for). Redirects are not followed: a 3xx is a
// failed delivery like any other non-2xx.
import { lookup } from 'node:dns/promises';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { WebhookAddressPolicy } from './webhook-policy.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** Every address a host name resolves to (tests inject one; the default asks the system). */
export type WebhookResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: WebhookResolver = (hostname) =>
  lookup(hostname, { all: true, verbatim: true });

export const DELIVERY_LIMITS = {
  /** What is read of an answer before the connection is dropped (only its status matters). */
  responseBytesMax: 64 * 1024,
  socketsPerHostMax: 64,
  socketsMax: 1_024,
} as const;

/** A failure says what happened (for the log) and whether a later attempt may succeed. */
export type DeliveryOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly problem: string; readonly retry: boolean };

export interface DeliveryContext {
  readonly policy: WebhookAddressPolicy;
  readonly resolve: WebhookResolver;
  readonly timeoutMs: number;
  readonly agents: WebhookAgents;
}

export interface WebhookAgents {
  readonly http: HttpAgent;
  readonly https: HttpsAgent;
  destroy(): void;
}

/** Connection pools for deliveries; their sockets were all opened to vetted addresses. */
export function webhookAgents(): WebhookAgents {
  const bounds = {
    keepAlive: true,
    maxSockets: DELIVERY_LIMITS.socketsPerHostMax,
    maxTotalSockets: DELIVERY_LIMITS.socketsMax,
  };
  const http = new HttpAgent(bounds);
  const https = new HttpsAgent(bounds);
  return { http, https, destroy: () => { http.destroy(); https.destroy(); } };
}

/** Rejects when the signal aborts first, so a slow resolver cannot outlive the timeout. */
function beforeAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(signal.reason as Error);
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => { signal.removeEventListener('abort', abort); resolve(value); },
      (error: unknown) => { signal.removeEventListener('abort', abort); reject(error as Error); },
    );
  });
}

/** The addresses to connect to: the literal host, or every resolved address once vetted. */
async function vettedAddresses(
  host: string,
  context: DeliveryContext,
  signal: AbortSignal,
): Promise<readonly ResolvedAddress[]> {
  const literal = isIP(host);
  if (literal !== 0) return [{ address: host, family: literal }];
  const addresses = await beforeAbort(context.resolve(host), signal);
  if (addresses.length === 0) throw new Error(`${host} resolved to no address`);
  if (context.policy.hostAllowed(host)) return addresses;
  const refused = addresses.find(({ address }) => !context.policy.addressAllowed(address));
  if (refused !== undefined)
    throw new Error(`${host} resolved to ${refused.address}, which is not a public address`);
  return addresses;
}

/** A socket lookup that answers only from the vetted addresses. */
function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
    const usable = addresses.filter((entry) => wanted === undefined || entry.family === wanted);
    const first = usable[0];
    if (first === undefined) {
      callback(new Error('no vetted address of the requested family'), '', 0);
    } else if (options.all === true) {
      callback(null, usable.map(({ address, family }) => ({ address, family })));
    } else {
      callback(null, first.address, first.family);
    }
  };
}

/** POSTs and answers the status; the body is drained up to a bound and otherwise ignored. */
function send(
  target: URL,
  request: { body: string; headers: Record<string, string> },
  connection: { lookup: LookupFunction; signal: AbortSignal; agents: WebhookAgents },
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const secure = target.protocol === 'https:';
    const outgoing = (secure ? httpsRequest : httpRequest)(target, {
      method: 'POST',
      headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
      lookup: connection.lookup,
      signal: connection.signal,
      agent: secure ? connection.agents.https : connection.agents.http,
    }, (response) => {
      resolve(response.statusCode ?? 0);
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > DELIVERY_LIMITS.responseBytesMax) response.destroy();
      });
      response.on('error', () => undefined);
    });
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/** One attempt to deliver `body` to `url`; never throws. */
export async function postWebhook(
  url: string,
  request: { body: string; headers: Record<string, string> },
  context: DeliveryContext,
): Promise<DeliveryOutcome> {
  // Registration checked the URL; it is checked again in case the policy changed since.
  const refusal = context.policy.refusal(url);
  if (refusal !== undefined) return { ok: false, problem: refusal, retry: false };
  const target = new URL(url);
  const host = target.hostname.startsWith('[') ? target.hostname.slice(1, -1) : target.hostname;
  const signal = AbortSignal.timeout(context.timeoutMs);
  try {
    const addresses = await vettedAddresses(host, context, signal);
    const status = await send(target, request,
      { lookup: pinnedLookup(addresses), signal, agents: context.agents });
    if (status >= 200 && status < 300) return { ok: true };
    return { ok: false, problem: `HTTP ${status}`, retry: true };
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    return { ok: false, problem, retry: true };
  }
}
