// corridor send shows every hop of a quote through a third currency before the payer confirms.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quoteSummary } from './send-command.js';

const money = (amount: string, currency: string) => ({ amount, currency });

describe('corridor send: the quote summary', () => {
  it('lists each hop of a routed quote, and no route line for a direct one', () => {
    const direct = {
      id: 'q-1', fxProvider: 'fx-a', sourceCurrency: 'ETB', targetCurrency: 'BRL',
      rate: '0.035', midRate: '0.035', spreadBps: 0, sendAmount: money('1000.00', 'ETB'),
      creditAmount: money('34.30', 'BRL'), debitAmount: money('1002.10', 'ETB'), fees: [],
      expiresAt: '2026-06-01T10:01:00.000Z',
    };
    const creditor = { id: 'br-bank', name: 'Banco Teste', country: 'BR', currencies: ['BRL'] };
    const now = Date.parse('2026-06-01T10:00:00.000Z');
    assert.equal(quoteSummary(direct, creditor, now)['route'], undefined);
    const routed = quoteSummary({ ...direct, route: [
      { fxProvider: 'fx-a', rate: '0.05', sendAmount: money('1000.00', 'ETB'),
        creditAmount: money('50.00', 'CNY'), fee: money('2.00', 'ETB') },
      { fxProvider: 'fx-b', rate: '0.7', sendAmount: money('49.00', 'CNY'),
        creditAmount: money('34.30', 'BRL'), fee: money('1.00', 'CNY') },
    ] }, creditor, now);
    assert.deepEqual(routed['route'], [
      '1000.00 ETB → 50.00 CNY at 0.05 by fx-a (fee 2.00 ETB)',
      '49.00 CNY → 34.30 BRL at 0.7 by fx-b (fee 1.00 CNY)',
    ]);
  });
});
