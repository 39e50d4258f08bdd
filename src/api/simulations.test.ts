// POST /v1/simulations over the real HTTP stack: the operator gets the report of a small
// scenario; anyone else is refused, and so is a request larger than the API's bounds or a
// regime the engine cannot run yet, each with a stable code and nothing run.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../testing/server-fixtures.js';

describe('POST /v1/simulations', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  it('answers the operator with the report of a small scenario', async () => {
    const response = await server.call('operator', 'POST', '/v1/simulations', {
      days: 2,
      scale: 0.01,
      seed: 4,
    });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.year, 2024);
    assert.equal(response.body.seed, 4);
    assert.ok(response.body.payments > 0);
    assert.deepEqual(
      response.body.regimes.map((regime: { name: string }) => regime.name),
      ['usd_correspondent', 'bilateral_local', 'corridor_gross', 'corridor_lsm'],
    );
    for (const regime of response.body.regimes) {
      assert.equal(regime.payments, response.body.payments);
      assert.ok(Array.isArray(regime.corridors) && regime.corridors.length > 0);
    }
    assert.ok(response.body.assumptions.length > 10);
  });

  it('refuses a participant that is not the operator', async () => {
    const response = await server.call('br-bank', 'POST', '/v1/simulations', { days: 1 });
    assert.equal(response.status, 403);
    assert.equal(response.body.error.code, 'not_authorized');
  });

  it('refuses a request over its bounds with simulation_too_large', async () => {
    for (const body of [{ days: 200 }, { scale: 1 }, { days: 31, scale: 0.2 }]) {
      const response = await server.call('operator', 'POST', '/v1/simulations', body);
      assert.equal(response.status, 422, JSON.stringify(body));
      assert.equal(response.body.error.code, 'simulation_too_large');
    }
  });

  it('runs corridor_lsm alone on the engine\'s queue; refuses bad fields with invalid_request', async () => {
    const lsm = await server.call('operator', 'POST', '/v1/simulations', {
      days: 1,
      scale: 0.01,
      regimes: ['corridor_lsm'],
    });
    assert.equal(lsm.status, 200, JSON.stringify(lsm.body));
    assert.deepEqual(lsm.body.regimes.map((regime: { name: string }) => regime.name),
      ['corridor_lsm']);
    for (const body of [
      { days: 0 },
      { regimes: ['swift'] },
      { scale: -1 },
      { days: 1, extra: 1 },
    ]) {
      const response = await server.call('operator', 'POST', '/v1/simulations', body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(response.body.error.code, 'invalid_request');
    }
  });
});
