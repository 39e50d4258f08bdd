// The standing facility over HTTP: the issuing central bank sets it, the participant draws and
// repays it, and each party sees only the facilities it is party to.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../testing/server-fixtures.js';

describe('standing facilities over REST', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('set by the issuer, drawn and repaid by the participant, seen by the parties only', async () => {
    const terms = { participantId: 'br-bank', currency: 'BRL', limit: '100000.00', rateBps: 720 };
    const foreign = await server.call('rbi', 'PUT', '/v1/facilities', terms);
    assert.equal(foreign.status, 403, JSON.stringify(foreign.body));
    assert.equal(foreign.body.error.code, 'not_authorized');
    const set = await server.call('bcb', 'PUT', '/v1/facilities', terms);
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.outstanding, '0.00');
    const before = server.network.balance('br-bank', 'BRL')?.posted ?? 0n;
    const tooMuch = await server.call('br-bank', 'POST', '/v1/facilities/BRL/draw',
      { amount: '100000.01' });
    assert.equal(tooMuch.status, 409);
    assert.equal(tooMuch.body.error.code, 'facility_limit_exceeded');
    const drawn = await server.call('br-bank', 'POST', '/v1/facilities/BRL/draw',
      { amount: '50000.00' });
    assert.equal(drawn.status, 201, JSON.stringify(drawn.body));
    assert.equal(drawn.body.outstanding, '50000.00');
    // One day's interest at least: 50,000.00 × 7.20% / 360 = 10.00.
    assert.equal(drawn.body.interestDue, '10.00');
    assert.equal(server.network.balance('br-bank', 'BRL')?.posted, before + 5_000_000n);
    const none = await server.call('br-other', 'POST', '/v1/facilities/BRL/draw',
      { amount: '1.00' });
    assert.equal(none.status, 404);
    const seen = async (as: string) =>
      ((await server.call(as, 'GET', '/v1/facilities')).body.facilities as
        { participantId: string }[]).map((facility) => facility.participantId);
    assert.deepEqual(await seen('br-bank'), ['br-bank']);
    assert.deepEqual(await seen('br-other'), []);
    assert.deepEqual(await seen('bcb'), ['br-bank']);
    assert.deepEqual(await seen('rbi'), []);
    assert.deepEqual(await seen('operator'), ['br-bank']);
    const repaid = await server.call('br-bank', 'POST', '/v1/facilities/BRL/repay');
    assert.equal(repaid.status, 200, JSON.stringify(repaid.body));
    assert.equal(repaid.body.outstanding, '0.00');
    assert.equal(repaid.body.interestPaid, '10.00');
    assert.equal(server.network.balance('br-bank', 'BRL')?.posted, before - 1_000n);
    const again = await server.call('br-bank', 'POST', '/v1/facilities/BRL/repay');
    assert.equal(again.status, 404);
  });
});
