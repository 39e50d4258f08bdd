// The CLI's HTTP client: the same API a bank uses, with the key from --key or CORRIDOR_API_KEY.
import { CliError, EXIT } from './output.js';

export interface ClientOptions {
  readonly url?: string;
  readonly key?: string;
}

export class ApiClient {
  readonly url: string;
  private readonly key: string | undefined;

  constructor(options: ClientOptions) {
    this.url = (options.url ?? process.env['CORRIDOR_URL'] ?? 'http://127.0.0.1:8080').replace(
      /\/+$/,
      '',
    );
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
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, {
        method,
        headers: {
          ...(this.key === undefined ? {} : { authorization: `Bearer ${this.key}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new CliError(`Cannot reach ${this.url}: ${(error as Error).message}`, EXIT.unavailable);
    }
    const text = await response.text();
    const parsed = text.length === 0 ? {} : (JSON.parse(text) as Record<string, unknown>);
    if (!response.ok) {
      const error = parsed['error'] as
        { code?: string; message?: string; field?: string } | undefined;
      const field = error?.field === undefined ? '' : ` (field: ${error.field})`;
      throw new CliError(
        `${response.status} ${error?.code ?? 'error'}: ${error?.message ?? text}${field}`,
        response.status >= 500 ? EXIT.unavailable : EXIT.refused,
      );
    }
    return parsed as T;
  }
}
