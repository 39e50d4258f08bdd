// A standard pacs.008 or pacs.009, as a bank's payment hub sends it — addressed by BICFI, with
// namespace prefixes, several transactions, no Corridor quote — settles across currencies:
// the gateway reads the currency intent, takes the best quote at arrival, applies ChrgBr to
// Corridor's fees, holds the rate against the sender's tolerance, and its pacs.002 reports
// the charges (ChrgsInf) and the applied rate and amounts (SplmtryData, Corridor's namespace).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formatAmount } from '../../money/amount.js';
import { snapshot } from '../../testing/api-helpers.js';
import { closeSchemaValidator } from '../schema-validation.js';
import { fixtureText, SAMPLES } from '../_test-fixtures.js';
import type { ChargeBearer, CurrencyAmount } from '../model.js';
import type { CustomerCreditTransferTransactionInput } from '../pacs008-write.js';
import { createKeys } from '../../service/bootstrap.js';
import {
  assertValid,
  creditTransfer,
  feedMessages,
  parsed,
  startIsoServer,
  statuses,
  transaction,
  type IsoServer,
} from './_test-support.js';
import { CORRIDOR_FX_ELEMENT, CORRIDOR_FX_NAMESPACE } from './fx-report.js';

const BRAZIL = { bic: 'BANZBRSP' };
const INDIA = { bic: 'BANYININXXX' };
const TIGHT = { bic: 'TIGHBRSPXXX' };

/** A transaction from the Brazilian bank to the Indian one by BIC, with this ChrgBr. */
function crossTransaction(
  bearer: ChargeBearer,
  fields: {
    amount?: CurrencyAmount;
    instructedAmount?: CurrencyAmount;
    exchangeRate?: string;
    from?: { bic: string };
  } = {},
): CustomerCreditTransferTransactionInput {
  return {
    ...transaction({
      from: fields.from ?? BRAZIL,
      to: INDIA,
      amount: fields.amount ?? { currency: 'BRL', value: 100_000n },
      ...(fields.instructedAmount === undefined
        ? {}
        : { instructedAmount: fields.instructedAmount }),
      ...(fields.exchangeRate === undefined ? {} : { exchangeRate: fields.exchangeRate }),
    }),
    chargeBearer: bearer,
    // As a hub sends it: the instructing and instructed agents by BIC too.
    instructingAgent: fields.from ?? BRAZIL,
    instructedAgent: INDIA,
  };
}

/** The message with every element under the prefix `p` instead of the default namespace. */
function prefixed(xml: string): string {
  return xml
    .replace(/xmlns="([^"]+)"/, 'xmlns:p="$1"')
    .replace(
      /<(\/?)([A-Za-z][\w.]*)/g,
      (_all, slash: string, name: string) => `<${slash}p:${name}`,
    );
}

interface FxReport {
  readonly rate?: string;
  readonly amounts: Record<string, string>;
  readonly charges: { amount: string; agent?: string }[];
}

/** The ChrgsInf and Corridor FX envelope of each transaction status of a pacs.002. */
function fxReports(xml: string): FxReport[] {
  const message = parsed(xml);
  assert.equal(message.kind, 'pacs.002');
  if (message.kind !== 'pacs.002') return [];
  return message.document.transactionStatuses.map((status) => {
    const envelope = status.supplementaryData?.find(
      (data) =>
        data.envelope.namespace === CORRIDOR_FX_NAMESPACE &&
        data.envelope.name === CORRIDOR_FX_ELEMENT,
    )?.envelope;
    const amounts: Record<string, string> = {};
    let rate: string | undefined;
    for (const child of envelope?.children ?? []) {
      if (child.name === 'XchgRate') rate = child.text;
      const currency = child.attributes.find((attribute) => attribute.name === 'Ccy')?.value;
      if (currency !== undefined) amounts[child.name] = `${currency} ${child.text}`;
    }
    return {
      ...(rate === undefined ? {} : { rate }),
      amounts,
      charges: (status.charges ?? []).map((charge) => ({
        amount: `${charge.amount.currency} ${formatAmount(charge.amount.value, charge.amount.currency)}`,
        ...(charge.agent.bic === undefined ? {} : { agent: charge.agent.bic }),
      })),
    };
  });
}

/** Balances and payments only: taking a quote that goes unused moves no money. */
function money(server: IsoServer): string {
  const state = JSON.parse(snapshot(server.network)) as { accounts: unknown; payments: unknown };
  return JSON.stringify({ accounts: state.accounts, payments: state.payments });
}

describe('ISO 20022 gateway: standard cross-currency pacs.008 and pacs.009 without a quote', () => {
  let server: IsoServer;
  before(async () => {
    server = await startIsoServer();
    const network = server.network;
    // A Brazilian bank with a tight FX tolerance (10 bp against the reference rate).
    const added = await network.addParticipant('operator', {
      id: 'br-tight',
      name: 'Banco Exigente',
      kind: 'bank',
      country: 'BR',
      bic: TIGHT.bic,
      fxToleranceBps: 10,
      currencies: ['BRL'],
    });
    assert.equal(added.code, 'ok', JSON.stringify(added));
    const issued = await network.issue('bcb', {
      participantId: 'br-tight',
      currency: 'BRL',
      amount: 100_000_000n,
    });
    assert.equal(issued.code, 'ok');
    const [key] = await createKeys(network, ['br-tight']);
    assert.ok(key !== undefined);
    (server.keys as Record<string, string>)['br-tight'] = key.key;
    // A bank that holds two currencies, neither of them BRL.
    const multi = await network.addParticipant('operator', {
      id: 'multi',
      name: 'Banco Duplo',
      kind: 'bank',
      country: 'IN',
      bic: 'MULTININXXX',
      currencies: ['INR', 'CNY'],
    });
    assert.equal(multi.code, 'ok');
  });
  after(async () => {
    await server.close();
    await closeSchemaValidator();
  });

  async function post(as: string, xml: string) {
    const answer = await server.post(as, xml);
    assert.equal(answer.status, 200, answer.text);
    await assertValid(answer.text);
    return answer.text;
  }

  for (const version of [8, 10, 12, 13] as const) {
    it(`pacs.008.001.${String(version).padStart(2, '0')} by BICFI, prefixed, two transactions: settles BRL → INR, reports rate and charges`, async () => {
      const xml = prefixed(
        creditTransfer(
          [
            crossTransaction('DEBT'),
            crossTransaction('DEBT', { amount: { currency: 'BRL', value: 250_000n } }),
          ],
          { version },
        ),
      );
      assert.match(xml, /<p:FIToFICstmrCdtTrf>/);
      assert.doesNotMatch(xml, /SplmtryData/);
      const text = await post('br-bic', xml);
      const lines = statuses(text);
      assert.deepEqual(
        lines.map((line) => line.status),
        ['ACCC', 'ACCC'],
        text,
      );
      const reports = fxReports(text);
      for (const [index, line] of lines.entries()) {
        const payment = (await server.network.reads.payment(line.reference ?? ''));
        assert.ok(payment !== undefined);
        assert.equal(payment.sourceCurrency, 'BRL');
        assert.equal(payment.targetCurrency, 'INR');
        assert.equal(payment.sendAmount, index === 0 ? 100_000n : 250_000n);
        const report = reports[index] as FxReport;
        assert.equal(report.rate, payment.rate);
        assert.equal(report.amounts.CdtdAmt, `INR ${formatAmount(payment.creditAmount, 'INR')}`);
        assert.equal(report.amounts.DbtdAmt, `BRL ${formatAmount(payment.debitAmount, 'BRL')}`);
        // The BRL scheme fee (0.50) to the operator, and the provider's fee if it has one.
        assert.ok(
          report.charges.some((charge) => charge.amount === 'BRL 0.50'),
          text,
        );
      }
    });
  }

  it('ChrgBr DEBT and SLEV add the fees to the debit; CRED takes them out of the amount; SHAR takes only the provider fee out', async () => {
    const amount = 100_000n;
    const text = await post(
      'br-bic',
      creditTransfer([
        crossTransaction('DEBT'),
        crossTransaction('SLEV'),
        crossTransaction('CRED'),
        crossTransaction('SHAR'),
      ]),
    );
    const payments = await Promise.all(statuses(text).map(async (line) => {
      assert.equal(line.status, 'ACCC', text);
      const payment = (await server.network.reads.payment(line.reference ?? ''));
      assert.ok(payment !== undefined);
      return payment;
    }));
    const [debt, slev, cred, shar] = payments;
    assert.ok(debt && slev && cred && shar);
    const scheme = 50n;
    const feeOf = (kind: string, payment: typeof debt) =>
      payment.fees.filter((fee) => fee.kind === kind).reduce((sum, fee) => sum + fee.amount, 0n);
    for (const bearsNothing of [debt, slev]) {
      assert.equal(bearsNothing.sendAmount, amount);
      assert.equal(bearsNothing.debitAmount, amount + scheme + feeOf('fx_provider', bearsNothing));
    }
    // CRED: the debtor agent is debited exactly the amount; the fees came out of what converts.
    assert.equal(cred.debitAmount, amount);
    assert.equal(cred.sendAmount, amount - scheme - feeOf('fx_provider', cred));
    assert.ok(cred.creditAmount < debt.creditAmount);
    // SHAR: the scheme fee (sender's side) on top, the provider's fee (receiver's side) inside.
    assert.equal(shar.debitAmount, amount + scheme);
    assert.equal(shar.sendAmount, amount - feeOf('fx_provider', shar));
  });

  it("InstdAmt in the creditor agent's currency fixes what is credited (fixed receive)", async () => {
    const text = await post(
      'br-bic',
      creditTransfer([
        crossTransaction('DEBT', {
          amount: { currency: 'BRL', value: 6_500n },
          instructedAmount: { currency: 'INR', value: 100_000n },
        }),
      ]),
    );
    const [line] = statuses(text);
    assert.equal(line?.status, 'ACCC', text);
    const payment = (await server.network.reads.payment(line?.reference ?? ''));
    assert.equal(payment?.creditAmount, 100_000n);
    assert.equal(payment?.targetCurrency, 'INR');
  });

  it('a stated XchgRate the best quote falls short of is rejected AM09, and nothing moves', async () => {
    const before = money(server);
    const text = await post(
      'br-bic',
      creditTransfer([crossTransaction('DEBT', { exchangeRate: '16.5' })]),
    );
    const [line] = statuses(text);
    assert.equal(line?.status, 'RJCT', text);
    assert.equal(line?.reason, 'AM09');
    assert.match(line?.information ?? '', /XchgRate 16\.5/);
    assert.equal(money(server), before);
    // A stated rate the quote meets settles.
    const met = await post(
      'br-bic',
      creditTransfer([crossTransaction('DEBT', { exchangeRate: '15.3' })]),
    );
    assert.equal(statuses(met)[0]?.status, 'ACCC', met);
  });

  it("a participant's fxToleranceBps against the reference rate: past it, AM09 and nothing moves", async () => {
    const before = money(server);
    const text = await post(
      'br-tight',
      creditTransfer([crossTransaction('DEBT', { from: TIGHT })]),
    );
    const [line] = statuses(text);
    assert.equal(line?.status, 'RJCT', text);
    assert.equal(line?.reason, 'AM09');
    assert.match(line?.information ?? '', /more than 10 bp below the reference rate/);
    assert.equal(money(server), before);
  });

  it('an unknown creditor BIC is RC01; a creditor agent with several other currencies is CURR', async () => {
    const before = money(server);
    const text = await post(
      'br-bic',
      creditTransfer([
        { ...crossTransaction('DEBT'), creditorAgent: { bic: 'UNKNINBBXXX' } },
        { ...crossTransaction('DEBT'), creditorAgent: { bic: 'MULTININXXX' } },
      ]),
    );
    assert.deepEqual(
      statuses(text).map((line) => [line.status, line.reason]),
      [
        ['RJCT', 'RC01'],
        ['RJCT', 'CURR'],
      ],
    );
    assert.equal(money(server), before);
    // CdtrAcct/Ccy names the currency: then it settles.
    const named = await post(
      'br-bic',
      creditTransfer([
        {
          ...crossTransaction('DEBT'),
          creditorAgent: { bic: 'MULTININXXX' },
          creditorAccount: {
            identification: { other: { identification: '0001' } },
            currency: 'INR',
          },
        },
      ]),
    );
    assert.equal(statuses(named)[0]?.status, 'ACCC', named);
  });

  it("the creditor agent's camt.054 carries the conversion (AmtDtls/CcyXchg) and the charges, schema-valid", async () => {
    const text = await post('br-bic', creditTransfer([crossTransaction('SHAR')]));
    const payment = (await server.network.reads.payment(statuses(text)[0]?.reference ?? ''));
    assert.ok(payment?.rate !== undefined, text);
    const page = await server.get('in-bic', '/v1/iso20022/events?cursor=0&limit=200');
    assert.equal(page.status, 200, page.text);
    const notifications = feedMessages(page.text)
      .filter((message) => message.includes(payment.endToEndId))
      .filter((message) => parsed(message).kind === 'camt.054');
    assert.equal(notifications.length, 1, page.text);
    const notification = notifications[0] ?? '';
    await assertValid(notification);
    assert.match(notification, /<CcyXchg>\s*<SrcCcy>BRL<\/SrcCcy>\s*<TrgtCcy>INR<\/TrgtCcy>/);
    assert.ok(notification.includes(`<XchgRate>${payment.rate}</XchgRate>`), notification);
    assert.ok(notification.includes(`<CtrctId>${payment.quoteId ?? ''}</CtrctId>`), notification);
    assert.ok(
      notification.includes(`<Amt Ccy="INR">${formatAmount(payment.creditAmount, 'INR')}</Amt>`),
    );
    assert.match(notification, /<Chrgs>\s*<Rcrd>\s*<Amt Ccy="BRL">0\.50<\/Amt>\s*<Br>SHAR<\/Br>/);
  });

  it('a Corridor quote in SplmtryData still works as before', async () => {
    const result = await server.network.quote('br-bic', {
      source: 'BRL',
      target: 'INR',
      fixed: 'send',
      amount: 100_000n,
    });
    const quote = result.quote;
    assert.ok(quote !== undefined, result.code);
    const text = await post(
      'br-bic',
      creditTransfer([
        {
          ...crossTransaction('SHAR', { amount: { currency: 'INR', value: quote.creditAmount } }),
          corridorQuoteId: quote.clientId,
        },
      ]),
    );
    const [line] = statuses(text);
    assert.equal(line?.status, 'ACCC', text);
    assert.equal((await server.network.reads.payment(line?.reference ?? ''))?.debitAmount, quote.debitAmount);
  });

  it('a pacs.008 INR → CNY, which no provider quotes directly, settles through BRL', async () => {
    const xml = creditTransfer([
      {
        ...transaction({
          from: INDIA,
          to: 'cn-bank',
          amount: { currency: 'INR', value: 1_000_000n },
        }),
        chargeBearer: 'DEBT',
      },
    ]);
    const text = await post('in-bic', xml);
    const [line] = statuses(text);
    assert.equal(line?.status, 'ACCC', text);
    const payment = server.network.payment(line?.reference ?? '');
    assert.ok(payment !== undefined);
    assert.equal(payment.sourceCurrency, 'INR');
    assert.equal(payment.targetCurrency, 'CNY');
    assert.deepEqual(payment.route?.map((hop) => `${hop.source}→${hop.target}`), [
      'INR→BRL', 'BRL→CNY',
    ]);
    const report = fxReports(text)[0];
    assert.equal(report?.rate, payment.rate, text);
    assert.equal(report?.amounts.CdtdAmt, `CNY ${formatAmount(payment.creditAmount, 'CNY')}`);
  });

  it('pacs.009 by BICFI without a quote settles BRL → INR', async () => {
    const member = (id: string) =>
      new RegExp(
        `<ClrSysMmbId>\\s*<ClrSysId>\\s*<Cd>USABA</Cd>\\s*</ClrSysId>\\s*<MmbId>${id}</MmbId>\\s*</ClrSysMmbId>`,
        'g',
      );
    const xml = fixtureText(SAMPLES.fednowInstitutionTransfer)
      .replace(/^<\?xml[^>]*\?>\s*/, '')
      .replace(member('021307481'), `<BICFI>${BRAZIL.bic}</BICFI>`)
      .replace(member('231981435'), `<BICFI>${INDIA.bic}</BICFI>`)
      .replace('<IntrBkSttlmAmt Ccy="USD">500000', '<IntrBkSttlmAmt Ccy="BRL">5000')
      .replace('20230713021307481FISc01Step1MsgId', 'CROSS-PACS009-1');
    const text = await post('br-bic', xml);
    const [line] = statuses(text);
    assert.equal(line?.status, 'ACCC', text);
    const payment = (await server.network.reads.payment(line?.reference ?? ''));
    assert.equal(payment?.sourceCurrency, 'BRL');
    assert.equal(payment?.targetCurrency, 'INR');
    assert.equal(payment?.sendAmount, 500_000n);
    assert.ok(fxReports(text)[0]?.rate !== undefined, text);
  });
});
