// The REST API from the page: JSON with the caller's key as a bearer token. Every failure
// becomes an ApiError carrying the server's { error: { code, message, field } }, so views can
// say what went wrong and point at the field.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

interface ErrorJson {
  readonly error?: {
    readonly code?: unknown;
    readonly message?: unknown;
    readonly field?: unknown;
  };
}

async function failure(response: Response): Promise<ApiError> {
  let body: ErrorJson | undefined;
  try {
    body = (await response.json()) as ErrorJson;
  } catch {
    body = undefined;
  }
  const error = body?.error;
  return new ApiError(
    response.status,
    typeof error?.code === 'string' ? error.code : `http_${response.status}`,
    typeof error?.message === 'string' ? error.message : `The server answered ${response.status}.`,
    typeof error?.field === 'string' ? error.field : undefined,
  );
}

export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
}

export function createApi(key: string, onUnauthenticated: () => void = () => undefined): Api {
  const call = async <T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ApiError(0, 'network_error', 'The server cannot be reached. Check the connection.');
    }
    if (!response.ok) {
      const error = await failure(response);
      if (response.status === 401) onUnauthenticated();
      throw error;
    }
    return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body, headers) => call('POST', path, body ?? {}, headers),
  };
}

/** A query string from the set fields: { status: 'ACCC', cursor: undefined } → "?status=ACCC". */
export function query(fields: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
