// Central-bank swap lines over HTTP: the issuer sets a line, the holding central bank draws and
// lends on to its FX provider, the provider and then the holder repay with interest; the
// operator and the two central banks see the line, a provider only its own borrowing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../testing/server-fixtures.js';

describe('central-bank swap lines over REST', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('set by the issuer, drawn, lent on and repaid; each party sees what it may', async () => {
    const terms = { holder: 'rbi', currency: 'BRL', limit: '1000000.00', rateBps: 720,
      tenorDays: 90 };
    const foreign = await server.call('rbi', 'PUT', '/v1/swap-lines', terms);
    assert.equal(foreign.status, 403, JSON.stringify(foreign.body));
    assert.equal(foreign.body.error.code, 'not_authorized');
    const set = await server.call('bcb', 'PUT', '/v1/swap-lines', terms);
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.issuer, 'bcb');
    assert.equal(set.body.available, '1000000.00');
    const tooMuch = await server.call('rbi', 'POST', '/v1/swap-lines/BRL/draw',
      { amount: '1000000.01' });
    assert.equal(tooMuch.status, 409, JSON.stringify(tooMuch.body));
    assert.equal(tooMuch.body.error.code, 'swap_line_limit_exceeded');
    const drawn = await server.call('rbi', 'POST', '/v1/swap-lines/BRL/draw',
      { amount: '360000.00' });
    assert.equal(drawn.status, 201, JSON.stringify(drawn.body));
    assert.equal(drawn.body.drawn, '360000.00');
    // One day's interest at least: 360,000.00 × 7.20% / 360 = 72.00.
    assert.equal(drawn.body.interestDue, '72.00');
    const providerBefore = server.network.balance('fx-one', 'BRL')?.posted ?? 0n;
    const lent = await server.call('rbi', 'POST', '/v1/swap-lines/BRL/lend',
      { providerId: 'fx-one', amount: '360000.00' });
    assert.equal(lent.status, 201, JSON.stringify(lent.body));
    assert.equal(lent.body.onLent, '360000.00');
    assert.equal(server.network.balance('fx-one', 'BRL')?.posted, providerBefore + 36_000_000n);

    const seen = async (as: string) =>
      ((await server.call(as, 'GET', '/v1/swap-lines')).body.swapLines as
        { holder: string; drawn: string; borrowers: { providerId: string }[] }[]);
    for (const party of ['operator', 'bcb', 'rbi']) {
      const [line] = await seen(party);
      assert.equal(line?.drawn, '360000.00', party);
    }
    assert.deepEqual(await seen('pboc'), []);
    assert.deepEqual(await seen('fx-two'), []);
    const [own] = await seen('fx-one');
    assert.equal(own?.drawn, '0.00');
    assert.deepEqual(own?.borrowers.map((borrower) => borrower.providerId), ['fx-one']);

    const repayLine = await server.call('rbi', 'POST', '/v1/swap-lines/BRL/repay');
    assert.equal(repayLine.status, 422, JSON.stringify(repayLine.body));
    assert.equal(repayLine.body.error.code, 'insufficient_funds');
    const repaidFunds = await server.call('fx-one', 'POST',
      '/v1/swap-borrowings/rbi/BRL/repay');
    assert.equal(repaidFunds.status, 200, JSON.stringify(repaidFunds.body));
    assert.equal(repaidFunds.body.onLent, '0.00');
    const repaid = await server.call('rbi', 'POST', '/v1/swap-lines/BRL/repay');
    assert.equal(repaid.status, 200, JSON.stringify(repaid.body));
    assert.equal(repaid.body.drawn, '0.00');
    assert.equal(repaid.body.interestPaid, '72.00');
    assert.equal(server.network.balance('rbi', 'BRL')?.posted, 0n);
  });
});
