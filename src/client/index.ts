// corridor/client: a typed client of the Corridor REST API for the banks, FX providers and
// central banks that integrate in TypeScript. Every type comes from the API's own TypeBox
// schemas (src/api/schemas.ts for requests, src/api/contract.ts for answers): the client
// cannot drift from what the server validates and documents.
import type { Static } from '@sinclair/typebox';
import type { ResponseBody, ResponseName } from '../api/contract.js';
import type {
  CreditBody,
  IssuanceBody,
  KeyBody,
  ParticipantBody,
  PaymentBody,
  PaymentQuery,
  QueueOrderBody,
  QueuePriorityBody,
  QuoteBody,
  RateBody,
  RejectBody,
  ReturnBody,
  ReviewBody,
  RulesBody,
} from '../api/schemas.js';
import { query, Transport, type ClientOptions, type RequestOptions } from './http.js';

export { CorridorApiError, retryAfterMs } from './http.js';
export type { ClientOptions, RequestOptions, RetryOptions } from './http.js';
export type * from '../api/contract.js';
export type { ErrorCode } from '../api/errors.js';

export type QuoteRequest = Static<typeof QuoteBody>;
export type PaymentRequest = Static<typeof PaymentBody>;
/** A quote asked for inline with a payment (PaymentRequest "quote"). */
export type InlineQuoteRequest = NonNullable<PaymentRequest['quote']>;
export type PaymentListQuery = Static<typeof PaymentQuery>;
export type RateRequest = Static<typeof RateBody>;
export type RejectRequest = Static<typeof RejectBody>;
export type ReviewRequest = Static<typeof ReviewBody>;
export type ReturnRequest = Static<typeof ReturnBody>;
export type IssuanceRequest = Static<typeof IssuanceBody>;
export type CreditRequest = Static<typeof CreditBody>;
export type RulesRequest = Static<typeof RulesBody>;
export type KeyRequest = Static<typeof KeyBody>;
export type QueueOrderRequest = Static<typeof QueueOrderBody>;
export type QueuePriority = Static<typeof QueuePriorityBody>['priority'];
export type ParticipantRequest = Static<typeof ParticipantBody>;
export interface Page {
  readonly cursor?: string;
  readonly limit?: number;
}

const id = encodeURIComponent;

export class CorridorClient {
  private readonly http: Transport;

  constructor(options: ClientOptions) {
    this.http = new Transport(options);
  }

  /** A GET whose answer is `Responses[kind]` of src/api/contract.ts. */
  private get<K extends ResponseName>(_kind: K, path: string) {
    return this.http.request<ResponseBody<K>>('GET', path);
  }

  private post<K extends ResponseName>(
    _kind: K, path: string, body?: unknown, options?: RequestOptions,
  ) {
    return this.http.request<ResponseBody<K>>('POST', path, body ?? {}, options);
  }

  // The directory and accounts.
  participants() { return this.get('participants', '/v1/participants'); }
  participant(participantId: string) {
    return this.get('participant', `/v1/participants/${id(participantId)}`);
  }
  accounts(participantId: string) {
    return this.get('accounts', `/v1/participants/${id(participantId)}/accounts`);
  }
  statement(participantId: string, currency: string, page: Page = {}) {
    return this.get('statement', `/v1/participants/${id(participantId)}/accounts/` +
      `${id(currency)}/statement${query({ ...page })}`);
  }
  currencies() { return this.get('currencies', '/v1/currencies'); }
  supply(currency: string) { return this.get('supply', `/v1/currencies/${id(currency)}/supply`); }
  status() { return this.get('status', '/v1/status'); }

  // FX.
  rates() { return this.get('rates', '/v1/rates'); }
  publishRate(rate: RateRequest, options?: RequestOptions) {
    return this.post('ratePublished', '/v1/rates', rate, options);
  }
  /** A firm quote; pay with it (quoteId) before it expires. */
  quote(request: QuoteRequest, options?: RequestOptions) {
    return this.post('quote', '/v1/quotes', request, options);
  }
  getQuote(quoteId: string) { return this.get('quote', `/v1/quotes/${id(quoteId)}`); }

  // Payments.
  pay(payment: PaymentRequest, options?: RequestOptions) {
    return this.post('payment', '/v1/payments', payment, options);
  }
  /**
   * Asks for a quote and pays with it in one request and one engine batch (POST /v1/payments
   * with "quote"): the payment takes its amount and currency from the quote. If the payment is
   * refused, the quote stays unused until it expires; a retry with the same payment id uses it.
   */
  quoteAndPay(
    quote: InlineQuoteRequest,
    payment: Omit<PaymentRequest, 'quote' | 'quoteId' | 'amount' | 'currency'>,
    options?: RequestOptions,
  ) {
    return this.post('payment', '/v1/payments', { ...payment, quote }, options);
  }
  payBatch(payments: readonly PaymentRequest[], options?: RequestOptions) {
    return this.post('batch', '/v1/payments/batch', { payments }, options);
  }
  payment(paymentId: string) { return this.get('payment', `/v1/payments/${id(paymentId)}`); }
  payments(filter: PaymentListQuery = {}) {
    return this.get('paymentPage', `/v1/payments${query({ ...filter })}`);
  }
  reviews(page: Page = {}) { return this.get('paymentPage', `/v1/reviews${query({ ...page })}`); }
  accept(paymentId: string, options?: RequestOptions) {
    return this.post('payment', `/v1/payments/${id(paymentId)}/accept`, undefined, options);
  }
  reject(paymentId: string, rejection: RejectRequest, options?: RequestOptions) {
    return this.post('payment', `/v1/payments/${id(paymentId)}/reject`, rejection, options);
  }
  review(paymentId: string, decision: ReviewRequest, options?: RequestOptions) {
    return this.post('payment', `/v1/payments/${id(paymentId)}/review`, decision, options);
  }
  /** Your queued payments in order; the operator and central banks also see depth per currency. */
  queue() { return this.get('queue', '/v1/queue'); }
  reorderQueue(order: QueueOrderRequest, options?: RequestOptions) {
    return this.post('queue', '/v1/queue/order', order, options);
  }
  setQueuePriority(paymentId: string, priority: QueuePriority, options?: RequestOptions) {
    return this.post('payment', `/v1/queue/${id(paymentId)}/priority`, { priority }, options);
  }
  cancelQueued(paymentId: string, options?: RequestOptions) {
    return this.post('payment', `/v1/queue/${id(paymentId)}/cancel`, undefined, options);
  }
  /** The day's liquidity figures you may see (docs/liquidity.md). */
  liquidity() { return this.get('liquidity', '/v1/liquidity'); }
  returnPayment(paymentId: string, request: ReturnRequest, options?: RequestOptions) {
    return this.post('payment', `/v1/payments/${id(paymentId)}/return`, request, options);
  }

  // Central banks.
  issue(issuance: IssuanceRequest, options?: RequestOptions) {
    return this.post('issuance', '/v1/issuances', issuance, options);
  }
  redeem(redemption: IssuanceRequest, options?: RequestOptions) {
    return this.post('issuance', '/v1/redemptions', redemption, options);
  }
  grantCredit(credit: CreditRequest, options?: RequestOptions) {
    return this.post('credit', '/v1/credit-limits', credit, options);
  }
  setRules(currency: string, rules: RulesRequest) {
    return this.http.request<ResponseBody<'rules'>>('PUT', `/v1/currencies/${id(currency)}/rules`,
      rules);
  }

  // The operator.
  addParticipant(participant: ParticipantRequest, options?: RequestOptions) {
    return this.post('participant', '/v1/participants', participant, options);
  }
  suspend(participantId: string) {
    return this.post('participant', `/v1/participants/${id(participantId)}/suspend`);
  }
  reactivate(participantId: string) {
    return this.post('participant', `/v1/participants/${id(participantId)}/reactivate`);
  }

  // Keys, events and webhooks.
  keys() { return this.get('keys', '/v1/keys'); }
  createKey(request: KeyRequest = {}, options?: RequestOptions) {
    return this.post('createdKey', '/v1/keys', request, options);
  }
  revokeKey(keyId: string) {
    return this.http.request<ResponseBody<'key'>>('DELETE', `/v1/keys/${id(keyId)}`);
  }
  events(page: Page = {}) { return this.get('events', `/v1/events${query({ ...page })}`); }
  webhooks() { return this.get('webhooks', '/v1/webhooks'); }
  registerWebhook(url: string, options?: RequestOptions) {
    return this.post('webhook', '/v1/webhooks', { url }, options);
  }
  async removeWebhook(webhookId: string): Promise<void> {
    await this.http.request<undefined>('DELETE', `/v1/webhooks/${id(webhookId)}`);
  }
  deadLetters() { return this.get('deadLetters', '/v1/webhooks/dead-letters'); }
}
