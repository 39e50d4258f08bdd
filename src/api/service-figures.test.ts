// Proves the service figures end to end over the real HTTP stack: a payment's time to credit
// runs from the REST request's arrival, a payment held by screening and released after two
// hours counts as not credited within the hour (and as open over the hour before), and
// /metrics and the dashboard's frame agree on every figure for the same payments.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createKeys } from '../service/bootstrap.js';
import type { Network, PartyScreener } from '../service/service.js';
import { StatsCollector, viewerOf } from '../dashboard/stats.js';
import type { CorridorStats, StatsMessage } from '../dashboard/protocol.js';
import {
  openTestNetwork,
  testNetworkConfig,
  type TestNetwork,
} from '../testing/network-fixtures.js';
import { buildServer } from './server.js';

const HOUR = 3_600_000;
/** Time the test spends between a payment request's arrival and its handler. */
const HANDLER_DELAY_MS = 40;

const screener: PartyScreener = {
  screenParties: ({ creditor }) =>
    creditor.includes('Sanctioned')
      ? {
          hit: true,
          matches: [
            {
              party: 'creditor',
              source: 'test',
              listId: 't-1',
              matchedName: creditor,
              score: 0.99,
            },
          ],
        }
      : { hit: false, matches: [] },
};

// Responses are arbitrary JSON read with assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function operatorFrame(network: Network, collector: StatsCollector) {
  const operator = network.participant('operator');
  assert.ok(operator !== undefined);
  return collector.frame(viewerOf(network, { participant: operator, keyId: '' }));
}

function brlInr(frame: Omit<StatsMessage, 'liquidity'>): CorridorStats {
  const corridor = frame.corridors.find((c) => c.source === 'BRL' && c.target === 'INR');
  assert.ok(corridor !== undefined, 'the BRL → INR corridor is in the frame');
  return corridor;
}

describe('service figures over HTTP', () => {
  let test: TestNetwork;
  let app: FastifyInstance;
  let keys: Record<string, string>;
  let collector: StatsCollector;

  async function call(as: string, method: 'GET' | 'POST', url: string, body?: unknown) {
    const response = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${keys[as] ?? ''}` },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
    const json: Json =
      response.headers['content-type']?.toString().includes('json') === true
        ? response.json()
        : response.body;
    return { status: response.statusCode, body: json };
  }

  async function payTo(creditorName: string, id: string): Promise<Json> {
    const quote = await call('br-bank', 'POST', '/v1/quotes', {
      sourceCurrency: 'BRL',
      targetCurrency: 'INR',
      fixed: 'send',
      amount: '1000.00',
    });
    assert.equal(quote.status, 201);
    const paid = await call('br-bank', 'POST', '/v1/payments', {
      id,
      creditorAgent: 'in-bank',
      quoteId: quote.body.id,
      endToEndId: `E2E-${id}`,
      debtor: { name: 'Soja Exportadora Ltda' },
      creditor: { name: creditorName },
    });
    assert.equal(paid.status, 201, JSON.stringify(paid.body));
    return paid.body;
  }

  async function metric(line: string): Promise<number | undefined> {
    const scraped = await call('operator', 'GET', '/metrics');
    assert.equal(scraped.status, 200);
    const found = (scraped.body as string).split('\n').find((text) => text.startsWith(`${line} `));
    return found === undefined ? undefined : Number(found.slice(line.length + 1));
  }

  before(async () => {
    const config = testNetworkConfig();
    // Long enough for a review two hours later.
    config.settings = { ...config.settings, reviewTimeoutSeconds: 4 * 3_600 };
    test = await openTestNetwork({ config, screener });
    const { network } = test;
    const ids = network.participants().map((participant) => participant.id);
    keys = Object.fromEntries(
      (await createKeys(network, ids)).map((key) => [key.participantId, key.key]),
    );
    collector = new StatsCollector(network);
    await collector.ready;
    ({ app } = await buildServer({
      logLevel: false,
      network,
      plugins: [
        (server) => {
          // Time passes between a payment request's arrival and its batch.
          server.addHook('preHandler', (request, _reply, done) => {
            if (request.method === 'POST' && request.url === '/v1/payments') {
              test.advance(HANDLER_DELAY_MS);
            }
            done();
          });
          return Promise.resolve();
        },
      ],
    }));
  });

  after(async () => {
    collector.close();
    await app.close();
    await test.network.close();
  });

  it("times an instant payment from the REST request's arrival to its crediting", async () => {
    const arrived = test.now();
    const payment = await payTo('Pune Foods Private Limited', 'p-instant');
    assert.equal(payment.status, 'ACCC');
    assert.equal(payment.receivedAt, new Date(arrived).toISOString());
    const credited = payment.events.find((event: Json) => event.status === 'ACCC');
    const ms = Date.parse(credited.at) - Date.parse(payment.receivedAt);
    assert.equal(ms, HANDLER_DELAY_MS);
    const frame = operatorFrame(test.network, collector);
    assert.equal(frame.timeToCreditCrossBorder.max, HANDLER_DELAY_MS);
    assert.equal(
      await metric('corridor_time_to_credit_seconds_sum{source="BRL",target="INR"}'),
      HANDLER_DELAY_MS / 1000,
    );
  });

  it('counts a payment held by screening and released after 2 h as not within 1 h', async () => {
    const held = await payTo('Sanctioned Trading LLC', 'p-held');
    assert.equal(held.status, 'BLCK');
    const open = brlInr(operatorFrame(test.network, collector));
    assert.equal(open.receivedToday, 2);
    assert.equal(open.openUnderHourToday, 1);
    assert.equal(open.withinHourToday, 1);

    test.advance(HOUR + 1);
    const overdue = brlInr(operatorFrame(test.network, collector));
    assert.equal(overdue.openOverHourToday, 1, 'still held an hour later: counted against');
    assert.equal(overdue.openUnderHourToday, 0);
    assert.equal(
      await metric('corridor_payments_open{source="BRL",target="INR",age="over_hour"}'),
      1,
    );
    assert.equal(
      await metric('corridor_credited_within_hour_ratio{source="BRL",target="INR"}'),
      0.5,
    );

    test.advance(HOUR);
    const released = await call('operator', 'POST', `/v1/payments/${held.networkId}/review`, {
      decision: 'release',
    });
    assert.equal(released.status, 200, JSON.stringify(released.body));
    assert.equal(released.body.status, 'ACCC');
    const corridor = brlInr(operatorFrame(test.network, collector));
    assert.equal(corridor.receivedToday, 2);
    assert.equal(corridor.withinHourToday, 1);
    assert.equal(corridor.creditedLateToday, 1);
    assert.equal(corridor.openOverHourToday, 0);
  });

  it('shows the same figures on /metrics and in the dashboard frame', async () => {
    const frame = operatorFrame(test.network, collector);
    const corridor = brlInr(frame);
    const labels = '{source="BRL",target="INR"}';
    const outcome = (name: string) => `{source="BRL",target="INR",outcome="${name}"}`;
    assert.equal(await metric(`corridor_payments_received_total${labels}`), corridor.receivedToday);
    assert.equal(
      await metric(`corridor_payments_finished_total${outcome('within_hour')}`),
      corridor.withinHourToday,
    );
    assert.equal(
      await metric(`corridor_payments_finished_total${outcome('late')}`),
      corridor.creditedLateToday,
    );
    assert.equal(
      await metric(`corridor_payments_finished_total${outcome('rejected')}`),
      corridor.rejectedToday,
    );
    const due = corridor.receivedToday - corridor.openUnderHourToday;
    assert.equal(
      await metric(`corridor_credited_within_hour_ratio${labels}`),
      corridor.withinHourToday / due,
    );
    assert.ok(corridor.costBps !== null && corridor.costBps > 0);
    assert.equal(await metric(`corridor_cost_bps${labels}`), corridor.costBps);
    assert.equal(await metric(`corridor_fee_bps${labels}`), corridor.feeBps);
    // Both payments had the same quote terms: the corridor's cost is each payment's.
    const payment = await call('br-bank', 'GET', '/v1/payments/p-instant');
    assert.equal(payment.body.costBps, corridor.costBps);
    const speed = frame.timeToCreditCrossBorder;
    assert.equal(speed.count, 2);
    assert.equal(await metric(`corridor_time_to_credit_seconds_count${labels}`), speed.count);
    const sumSeconds = await metric(`corridor_time_to_credit_seconds_sum${labels}`);
    assert.equal(Math.round((sumSeconds ?? 0) * 1000), (speed.p50 ?? 0) + (speed.max ?? 0));

    // A dashboard started now (a restart) counts the same from the payments in storage.
    const seeded = new StatsCollector(test.network);
    await seeded.ready;
    try {
      const again = brlInr(operatorFrame(test.network, seeded));
      assert.deepEqual({ ...again, perSecond: 0 }, { ...corridor, perSecond: 0 });
      assert.deepEqual(operatorFrame(test.network, seeded).timeToCreditCrossBorder, speed);
    } finally {
      seeded.close();
    }
  });
});
