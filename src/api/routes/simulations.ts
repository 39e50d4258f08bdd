// POST /v1/simulations (operator only): a small `corridor simulate` scenario, answered with the
// report JSON (docs/simulation.md). Bounded in size (days, scale, and the payments they make)
// and in time: one simulation at a time, and the work yields to the event loop between chunks
// so the node keeps answering while it runs.
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { Responses } from '../contract.js';
import { callerOf, requireOperator } from '../context.js';
import { HttpError, routeResponses } from '../errors.js';
import { SimulationBody } from '../schemas.js';
import { AVAILABLE_REGIMES, runSimulation, SimulationError } from '../../simulate/simulate.js';

/** The API's bounds: a month at most, a fifth of the trade at most, 10,000 payments at most. */
export const SIMULATION_LIMITS = { daysMax: 31, scaleMax: 0.2, paymentsMax: 10_000 } as const;
/** Payments a year at scale 1 makes (docs/simulation.md): sizes a request before it runs. */
const PAYMENTS_PER_YEAR_AT_SCALE_1 = 1_140_000;

let running = false;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function simulationRoutes(app: FastifyInstance): void {
  app.post<{ Body: Static<typeof SimulationBody> }>(
    '/v1/simulations',
    {
      schema: {
        tags: ['simulation'],
        summary: 'Run a small simulation of intra-BRICS trade and answer its report (operator)',
        body: SimulationBody,
        response: routeResponses(
          { 200: Responses.simulation },
          ['not_authorized', 'simulation_too_large', 'simulation_busy'],
          'write',
        ),
      },
    },
    async (request) => {
      requireOperator(callerOf(request));
      const body = request.body;
      const days = body.days ?? 2;
      const scale = body.scale ?? 0.01;
      const estimate = (PAYMENTS_PER_YEAR_AT_SCALE_1 * scale * days) / 366;
      if (
        days > SIMULATION_LIMITS.daysMax ||
        scale > SIMULATION_LIMITS.scaleMax ||
        estimate > SIMULATION_LIMITS.paymentsMax
      ) {
        throw new HttpError(
          422,
          'simulation_too_large',
          `The API runs at most ${SIMULATION_LIMITS.daysMax} days, scale ` +
            `${SIMULATION_LIMITS.scaleMax} and about ${SIMULATION_LIMITS.paymentsMax} payments ` +
            `(this request makes about ${Math.round(estimate)}); run \`corridor simulate\` for more.`,
        );
      }
      if (running) {
        throw new HttpError(503, 'simulation_busy', 'A simulation is running; try again shortly.');
      }
      running = true;
      try {
        return await runSimulation({
          year: body.year ?? 2024,
          scale,
          days,
          seed: body.seed ?? 1,
          regimes: body.regimes ?? AVAILABLE_REGIMES,
          onProgress: yieldToEventLoop,
        });
      } catch (error) {
        if (error instanceof SimulationError) {
          throw new HttpError(400, 'invalid_request', error.message);
        }
        throw error;
      } finally {
        running = false;
      }
    },
  );
}
