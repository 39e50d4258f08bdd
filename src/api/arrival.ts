// When each request arrived, by the network's clock, noted before anything else runs (access
// checks, body parsing, validation): time to credit runs from here
// (src/engine/payments/figures.ts).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Arrival } from '../service/service.js';

declare module 'fastify' {
  interface FastifyRequest {
    receivedAt?: number;
  }
}

export function registerArrival(app: FastifyInstance, clock: () => number): void {
  // A callback hook, not an async one: it runs on every request.
  app.addHook('onRequest', (request, _reply, done) => {
    request.receivedAt = clock();
    done();
  });
}

/** The arrival to record on the commands a request becomes. */
export function arrivalOf(request: FastifyRequest): Arrival {
  return request.receivedAt === undefined ? {} : { receivedAt: request.receivedAt };
}
