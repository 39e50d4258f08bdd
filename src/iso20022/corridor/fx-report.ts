// What Corridor reports of a payment's conversion and fees: ChrgsInf (each of Corridor's fees,
// with the agent it goes to) and, for a cross-currency payment, the applied rate and amounts in
// a SplmtryData envelope under Corridor's namespace (pacs.002 has no XchgRate of its own;
// camt.054 carries the rate in AmtDtls/TxAmt/CcyXchg, see statement.ts).
import type { Payment } from '../../service/domain.js';
import type { AmountDetails, EntryCharge } from '../account-report.js';
import type { Charge, FinancialInstitution, SupplementaryData } from '../model.js';
import { formatAmount } from '../../money/amount.js';
import { createElement, type XmlElement } from '../xml-element.js';
import { carriableRates } from './transfers.js';

export const CORRIDOR_FX_NAMESPACE = 'urn:corridor:iso20022:fx:1';
export const CORRIDOR_FX_ELEMENT = 'CorridorFx';

/** The participant a fee account belongs to ("operator:BRL:fees" → "operator"). */
export function feePayee(accountId: string): string {
  const end = accountId.indexOf(':');
  return end < 0 ? accountId : accountId.slice(0, end);
}

/** Corridor's fees on a payment as ISO charges, each with the agent it is paid to. */
export function chargesOf(
  payment: Payment,
  agentOf: (participantId: string) => FinancialInstitution,
): Charge[] | undefined {
  if (payment.fees.length === 0) return undefined;
  return payment.fees.map((fee) => ({
    amount: { currency: fee.currency, value: fee.amount },
    agent: agentOf(feePayee(fee.payee)),
  }));
}

function leaf(name: string, text: string, currency?: string): XmlElement {
  const attributes =
    currency === undefined ? [] : [{ namespace: '', name: 'Ccy', value: currency }];
  return createElement(CORRIDOR_FX_NAMESPACE, name, [], text, attributes);
}

/**
 * The SplmtryData of a cross-currency payment: XchgRate (target units per source unit, as
 * applied), UnitCcy/QtdCcy, the debited, converted and credited amounts, the FX provider and
 * the quote. Undefined for a domestic payment.
 */
export function fxSupplementaryData(
  payment: Payment,
  placeAndName: string,
): SupplementaryData | undefined {
  if (payment.rate === undefined || payment.sourceCurrency === payment.targetCurrency) {
    return undefined;
  }
  const source = payment.sourceCurrency;
  const target = payment.targetCurrency;
  const amount = (name: string, value: bigint, currency: string) =>
    leaf(name, formatAmount(value, currency), currency);
  const children: XmlElement[] = [
    leaf('XchgRate', payment.rate),
    leaf('UnitCcy', source),
    leaf('QtdCcy', target),
    amount('DbtdAmt', payment.debitAmount, source),
    amount('IntrBkSttlmAmt', payment.sendAmount, source),
    amount('CdtdAmt', payment.creditAmount, target),
    ...(payment.fxProvider === undefined ? [] : [leaf('FXAgt', payment.fxProvider)]),
    ...(payment.quoteId === undefined ? [] : [leaf('QtId', payment.quoteId)]),
  ];
  return {
    placeAndName,
    envelope: createElement(CORRIDOR_FX_NAMESPACE, CORRIDOR_FX_ELEMENT, children),
  };
}

/** The rate as BaseOneRate holds it (at most 11 digits, 10 decimals), cut if it must be. */
export function baseOneRate(rate: string): string {
  return carriableRates(rate)[1] ?? rate;
}

/** camt AmtDtls of a cross-currency payment: what was converted, at what rate, into what. */
export function amountDetailsOf(payment: Payment): AmountDetails | undefined {
  if (payment.rate === undefined || payment.sourceCurrency === payment.targetCurrency) {
    return undefined;
  }
  const quoteId = payment.quoteId;
  return {
    instructedAmount: {
      amount: { currency: payment.sourceCurrency, value: payment.sendAmount },
      currencyExchange: {
        sourceCurrency: payment.sourceCurrency,
        targetCurrency: payment.targetCurrency,
        unitCurrency: payment.sourceCurrency,
        exchangeRate: baseOneRate(payment.rate),
        ...(quoteId === undefined || quoteId.length > 35 ? {} : { contractId: quoteId }),
      },
    },
    transactionAmount: {
      amount: { currency: payment.targetCurrency, value: payment.creditAmount },
    },
  };
}

/** camt Chrgs records of a payment's fees, each with its bearer and the agent paid. */
export function entryChargesOf(
  payment: Payment,
  agentOf: (participantId: string) => FinancialInstitution,
): EntryCharge[] | undefined {
  if (payment.fees.length === 0) return undefined;
  const bearer = payment.iso?.chargeBearer;
  return payment.fees.map((fee) => ({
    amount: { currency: fee.currency, value: fee.amount },
    ...(bearer === undefined ? {} : { bearer }),
    agent: agentOf(feePayee(fee.payee)),
  }));
}
