// Idempotency-Key on POSTs: the first response to a key is kept (24 h, bounded), and a retry
// with the same key and body gets it again; the same key with another body is refused.
// Payments also derive their id from the key, so a retry after a restart is idempotent too.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';

export const IDEMPOTENCY_LIMITS = {
  keyLengthMax: 128,
  entriesMax: 100_000,
  retentionMs: 24 * 60 * 60 * 1000,
} as const;
const KEY = /^[\x21-\x7e]+$/;

interface Entry {
  readonly fingerprint: string;
  readonly storedAt: number;
  status?: number;
  /** The response as sent: serialised once, replayed as it is (never parsed again). */
  body?: unknown;
  contentType?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyId?: string;
    idempotencyEntry?: string;
  }
}

export function registerIdempotency(app: FastifyInstance, clock: () => number = Date.now): void {
  const entries = new Map<string, Entry>();

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers['idempotency-key'];
    if (request.method !== 'POST' || header === undefined || request.caller === undefined) return;
    const key = Array.isArray(header) ? (header[0] ?? '') : header;
    if (key.length === 0 || key.length > IDEMPOTENCY_LIMITS.keyLengthMax || !KEY.test(key)) {
      throw new HttpError(
        400,
        'invalid_idempotency_key',
        'The Idempotency-Key must have 1 to 128 visible ASCII characters.',
      );
    }
    const scope = `${request.caller.participant.id}\n${key}`;
    const fingerprint = createHash('sha256')
      .update(`${request.url}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    request.idempotencyId = `idem-${createHash('sha256').update(scope).digest('hex').slice(0, 40)}`;
    const entry = entries.get(scope);
    if (entry !== undefined && clock() - entry.storedAt < IDEMPOTENCY_LIMITS.retentionMs) {
      if (entry.fingerprint !== fingerprint) {
        throw new HttpError(
          422,
          'idempotency_key_reused',
          'This Idempotency-Key was used with a different request.',
        );
      }
      if (entry.status === undefined) {
        throw new HttpError(
          409,
          'idempotency_request_in_progress',
          'A request with this Idempotency-Key is in progress.',
        );
      }
      if (entry.contentType !== undefined) reply.header('content-type', entry.contentType);
      return reply.code(entry.status).header('idempotent-replayed', 'true').send(entry.body);
    }
    if (entries.size >= IDEMPOTENCY_LIMITS.entriesMax) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) entries.delete(oldest);
    }
    entries.set(scope, { fingerprint, storedAt: clock() });
    request.idempotencyEntry = scope;
    return undefined;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const scope = request.idempotencyEntry;
    if (scope === undefined) return payload;
    const entry = entries.get(scope);
    if (entry === undefined) return payload;
    if (reply.statusCode >= 500) {
      entries.delete(scope);
    } else {
      entry.status = reply.statusCode;
      // A string payload is the serialised response: kept with its content type, it is sent
      // again byte for byte on a retry, with no parse and no second serialisation.
      entry.body = payload;
      const contentType = reply.getHeader('content-type');
      if (typeof contentType === 'string') entry.contentType = contentType;
    }
    return payload;
  });
}
