// A real Corridor server on a random port for API tests: the test network, a key for every
// participant, and plain fetch() calls.
import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerOptions } from '../api/server.js';
import { createKeys } from '../service/bootstrap.js';
import type { PartyScreener } from '../service/service.js';
import { openTestNetwork, type TestNetwork } from './network-fixtures.js';

export interface TestServer extends TestNetwork {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly keys: Readonly<Record<string, string>>;
  /** fetch() as a participant: JSON in, { status, body, headers } out. */
  call(
    as: string | undefined,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
    // Responses are arbitrary JSON that tests read with assertions; typing every shape here
    // would duplicate src/api/views.ts.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export async function startTestServer(
  options: { screener?: PartyScreener } & Partial<ServerOptions> = {},
): Promise<TestServer> {
  const test = await openTestNetwork(
    options.screener === undefined ? {} : { screener: options.screener },
  );
  const ids = test.network.participants().map((participant) => participant.id);
  const keys = Object.fromEntries(
    (await createKeys(test.network, ids)).map((key) => [key.participantId, key.key]),
  );
  const { app } = await buildServer({ logLevel: false, ...options, network: test.network });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const call: TestServer['call'] = async (as, method, path, body, headers = {}) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(as === undefined ? {} : { authorization: `Bearer ${keys[as] ?? as}` }),
        ...headers,
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: response.status, body: parsed, headers: response.headers };
  };
  return {
    ...test,
    url,
    app,
    keys,
    call,
    close: async () => {
      await app.close();
      await test.network.close();
    },
  };
}
