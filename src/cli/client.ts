// The CLI's HTTP client: the same API a bank uses, with the key from --key or CORRIDOR_API_KEY.
// Requests go through node:http rather than fetch(): fetch loads undici and compiles its WASM
// HTTP parser on first use, which tripled the CPU time of a one-request command.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { CliError, EXIT } from './output.js';

const REQUEST_TIMEOUT_MS = 30_000;

export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

/** One HTTP request, the whole answer read as UTF-8 text; rejects if no answer comes. */
export function send(
  url: string,
  options: {
    method: string;
    headers: Record<string, string>;
    body?: string | Buffer;
    timeoutMs: number;
  },
): Promise<HttpAnswer> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(target, { method: options.method, headers: options.headers });
    outgoing.setTimeout(options.timeoutMs, () =>
      outgoing.destroy(new Error(`no answer within ${options.timeoutMs / 1000} s`)),
    );
    outgoing.on('error', reject);
    outgoing.on('response', (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', reject);
      incoming.on('end', () =>
        resolve({
          status: incoming.statusCode ?? 0,
          contentType: incoming.headers['content-type'] ?? '',
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    outgoing.end(options.body);
  });
}

/** The node the client commands talk to when neither --url nor CORRIDOR_URL names one. */
export const DEFAULT_URL = 'http://127.0.0.1:8080';

export function nodeUrl(url: string | undefined): string {
  return (url ?? process.env['CORRIDOR_URL'] ?? DEFAULT_URL).replace(/\/+$/, '');
}

/** No answer from the node: say what failed and the two ways out. */
export function unreachable(url: string, error: unknown): CliError {
  const cause =
    error instanceof Error ? (error.cause instanceof Error ? error.cause : error) : undefined;
  return new CliError(
    `Cannot reach a Corridor node at ${url} (${cause?.message ?? String(error)}). ` +
      'Start one with "npm start" (it prints the URL and keys to export), or set ' +
      'CORRIDOR_URL (or pass --url) to the URL of a running node.',
    EXIT.unavailable,
  );
}

/** ISO 4217 codes are upper case; "brl" typed at a prompt means BRL. */
export function currencyCode(text: string): string {
  return text.trim().toUpperCase();
}

export interface ClientOptions {
  readonly url?: string;
  readonly key?: string;
}

export class ApiClient {
  readonly url: string;
  private readonly key: string | undefined;

  constructor(options: ClientOptions) {
    this.url = nodeUrl(options.url);
    this.key = options.key ?? process.env['CORRIDOR_API_KEY'];
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    if (this.key === undefined && !path.startsWith('/health')) {
      throw new CliError('An API key is needed: pass --key or set CORRIDOR_API_KEY.');
    }
    let response: HttpAnswer;
    try {
      response = await send(`${this.url}${path}`, {
        method,
        headers: {
          ...(this.key === undefined ? {} : { authorization: `Bearer ${this.key}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        timeoutMs: REQUEST_TIMEOUT_MS,
      });
    } catch (error) {
      throw unreachable(this.url, error);
    }
    const text = response.text;
    let parsed: Record<string, unknown>;
    try {
      parsed = text.length === 0 ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      throw new CliError(
        `${this.url} answered ${response.status} with something other than JSON: is it a ` +
          'Corridor node?',
        EXIT.unavailable,
      );
    }
    if (response.status >= 400) throw refusal(response.status, parsed['error'], text);
    return parsed as T;
  }
}

/** The server's refusal: its stable code, then its sentence and the field at fault. */
function refusal(status: number, body: unknown, text: string): CliError {
  const error = body as { code?: string; message?: string; field?: string } | undefined;
  const field = error?.field === undefined ? '' : ` (field: ${error.field})`;
  return new CliError(
    `${error?.code ?? `HTTP ${status}`}: ${error?.message ?? text}${field}`,
    status >= 500 ? EXIT.unavailable : EXIT.refused,
  );
}
