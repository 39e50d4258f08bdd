// A payment from request to settlement: checks that refuse it (nothing changes), checks that
// reject it (recorded RJCT with an ISO reason), then one linked chain of ledger legs, posted
// at once (instant) or reserved for the creditor agent (two-phase) or for review (BLCK).
import type { Quote, QuoteHop } from '../fx/quotes.js';
import type { NetworkCommand, NetworkResult, PaymentRequest } from '../commands.js';
import { feeAccountId, settlementAccountId, type Participant } from '../model.js';
import { ownQuoteAt } from '../quoting.js';
import { refuse, type BatchContext, type NetworkState } from '../state.js';
import { ownPayment, paymentKey, takeUetr, uetrTaken, type IdScheme } from './ids.js';
import { arrivalTime } from './figures.js';
import { createLegs, legFailure, legId } from './legs.js';
import {
  enqueue, mustWait, queueFull, queueOn, settled, submitted, waitTerms, type WaitTerms,
} from '../liquidity/queue.js';
import type { Fee, Payment, PaymentLeg } from './model.js';
import { addOutflow, changeStatus, outflowToday } from './status.js';
import { endToEndIdTaken, requestFingerprint, takeEndToEndId } from './retention.js';
import { fingerprintRequest, validatePaymentRequest } from './validate.js';

type CreatePayment = Extract<NetworkCommand, { type: 'create_payment' }>;

interface Terms {
  readonly source: string;
  readonly target: string;
  readonly sendAmount: bigint;
  readonly creditAmount: bigint;
  readonly fees: readonly Fee[];
  readonly quote?: Quote;
}

function quoteTerms(
  state: NetworkState,
  request: PaymentRequest,
  context: BatchContext,
): Terms | NetworkResult {
  const now = context.now;
  const quote = ownQuoteAt(state, context.ids, request.debtorAgent, request.quoteId ?? '', now);
  if (quote === undefined || quote.debtorAgent !== request.debtorAgent) {
    return {
      ...refuse('quote_not_found', 'No such quote for this debtor agent.', 'quoteId'),
      isoReason: 'AB03',
    };
  }
  if (quote.usedBy !== undefined) {
    return {
      ...refuse('quote_already_used', 'The quote was already used by a payment.', 'quoteId'),
      isoReason: 'DUPL',
    };
  }
  if (quote.expiresAt <= now) {
    return {
      ...refuse('quote_expired', 'The quote has expired; ask for a new one.', 'quoteId'),
      isoReason: 'AB03',
    };
  }
  if (
    (request.currency !== undefined && request.currency !== quote.target) ||
    (request.amount !== undefined && request.amount !== quote.creditAmount)
  ) {
    return {
      ...refuse('quote_mismatch', 'The amount or currency differs from the quote.', 'amount'),
      isoReason: 'AM09',
    };
  }
  return {
    source: quote.source,
    target: quote.target,
    sendAmount: quote.sendAmount,
    creditAmount: quote.creditAmount,
    fees: quote.fees,
    quote,
  };
}

function domesticTerms(state: NetworkState, request: PaymentRequest): Terms | NetworkResult {
  const currency = request.currency ?? '';
  const definition = state.currencies.get(currency);
  if (definition === undefined) {
    return {
      ...refuse('currency_not_in_network', `The network does not settle ${currency}.`, 'currency'),
      isoReason: 'AM03',
    };
  }
  const amount = request.amount ?? 0n;
  const fees: Fee[] =
    definition.rules.schemeFee > 0n
      ? [
          {
            kind: 'scheme',
            amount: definition.rules.schemeFee,
            currency,
            payee: feeAccountId(state.settings.operatorId, currency),
          },
        ]
      : [];
  return { source: currency, target: currency, sendAmount: amount, creditAmount: amount, fees };
}

/**
 * Creditor agents a payment may not go to. The sender itself: the ledger cannot move money
 * from an account to itself, and a conversion between one's own accounts is not a payment.
 * A central bank: it sends no payments, and what it holds in its own currency is money out of
 * circulation, so money paid to it could never move again (redemption is its way back).
 */
function checkCreditorAgent(
  request: PaymentRequest,
  creditorAgent: Participant,
): NetworkResult | undefined {
  // The ISO 20022 reason of both is AG01 (src/iso20022/corridor/reasons.ts).
  if (creditorAgent.id === request.debtorAgent) {
    return refuse(
      'creditor_agent_is_sender',
      'A payment cannot go to its own sender: name another creditor agent.',
      'creditorAgent',
    );
  }
  if (creditorAgent.kind === 'central_bank') {
    return refuse(
      'creditor_agent_is_central_bank',
      `${creditorAgent.id} is a central bank: it receives no payments (it redeems instead).`,
      'creditorAgent',
    );
  }
  return undefined;
}

function checkAgents(
  state: NetworkState,
  request: PaymentRequest,
  terms: Terms,
  ids: IdScheme,
): NetworkResult | undefined {
  const debtorAgent = state.participants.get(request.debtorAgent);
  const creditorAgent = state.participants.get(request.creditorAgent);
  if (creditorAgent === undefined || creditorAgent.kind === 'operator') {
    return {
      ...refuse(
        'participant_not_found',
        `No participant ${request.creditorAgent}.`,
        'creditorAgent',
      ),
      isoReason: 'RC01',
    };
  }
  // Entries from before these refusals (global ids) replay as they were accepted.
  const misdirected = ids === 'scoped' ? checkCreditorAgent(request, creditorAgent) : undefined;
  if (misdirected !== undefined) return misdirected;
  if (!debtorAgent?.currencies.includes(terms.source)) {
    return {
      ...refuse(
        'account_not_found',
        `The debtor agent holds no ${terms.source} account.`,
        'debtorAgent',
      ),
      isoReason: 'AC01',
    };
  }
  if (!creditorAgent.currencies.includes(terms.target)) {
    return {
      ...refuse(
        'account_not_found',
        `The creditor agent holds no ${terms.target} account.`,
        'creditorAgent',
      ),
      isoReason: 'AC01',
    };
  }
  return undefined;
}

/** Adds the next leg of payment `paymentId` to `legs` (a plain function: no closure per call). */
function addLeg(
  legs: PaymentLeg[],
  paymentId: string,
  debit: string,
  credit: string,
  amount: bigint,
  currency: string,
  role: PaymentLeg['role'],
): void {
  legs.push({
    transferId: legId(paymentId, legs.length),
    debitAccountId: debit,
    creditAccountId: credit,
    amount,
    currency,
    role,
  });
}

/**
 * A route through a third currency as legs of the same linked chain: the debtor agent pays the
 * first provider in the source currency; the first provider pays the second in the middle
 * currency, and the second provider's fee from it; the second provider pays the creditor agent
 * in the target currency. One provider doing both hops keeps the middle amount (no leg).
 */
function routeLegs(
  route: readonly QuoteHop[],
  debtor: string,
  creditor: string,
  legs: PaymentLeg[],
  paymentId: string,
): void {
  const first = route[0];
  if (first === undefined) return;
  addLeg(legs, paymentId, debtor, settlementAccountId(first.providerId, first.source),
    first.sendAmount, first.source, 'debtor_to_provider');
  let previous = first;
  for (let index = 1; index < route.length; index++) {
    const hop = route[index] as QuoteHop;
    const payer = settlementAccountId(previous.providerId, hop.source);
    if (hop.providerId !== previous.providerId) {
      addLeg(legs, paymentId, payer, settlementAccountId(hop.providerId, hop.source),
        hop.sendAmount, hop.source, 'provider_to_provider');
    }
    if (hop.fee > 0n) {
      addLeg(legs, paymentId, payer, feeAccountId(hop.providerId, hop.source), hop.fee,
        hop.source, 'fee');
    }
    previous = hop;
  }
  addLeg(legs, paymentId, settlementAccountId(previous.providerId, previous.target), creditor,
    previous.creditAmount, previous.target, 'provider_to_creditor');
}

function plannedLegs(paymentId: string, request: PaymentRequest, terms: Terms): PaymentLeg[] {
  const legs: PaymentLeg[] = [];
  const debtor = settlementAccountId(request.debtorAgent, terms.source);
  if (terms.quote === undefined) {
    addLeg(legs, paymentId, debtor, settlementAccountId(request.creditorAgent, terms.target),
      terms.sendAmount, terms.source, 'debtor_to_creditor');
  } else if (terms.quote.route !== undefined) {
    const creditor = settlementAccountId(request.creditorAgent, terms.target);
    routeLegs(terms.quote.route, debtor, creditor, legs, paymentId);
  } else {
    const provider = terms.quote.providerId;
    addLeg(legs, paymentId, debtor, settlementAccountId(provider, terms.source),
      terms.sendAmount, terms.source, 'debtor_to_provider');
    addLeg(legs, paymentId, settlementAccountId(provider, terms.target),
      settlementAccountId(request.creditorAgent, terms.target), terms.creditAmount,
      terms.target, 'provider_to_creditor');
  }
  for (const fee of terms.fees) {
    addLeg(legs, paymentId, debtor, fee.payee, fee.amount, fee.currency, 'fee');
  }
  return legs;
}

/** A payment under construction: its fields added in order, optional ones only when set. */
type Building = { -readonly [Field in keyof Payment]?: Payment[Field] };

function newPayment(
  id: string,
  command: CreatePayment,
  terms: Terms,
  now: number,
): Payment {
  const request = command.payment;
  let feeTotal = 0n;
  for (const fee of terms.fees) feeTotal += fee.amount;
  // Built field by field rather than with conditional spreads (each a temporary object and a
  // slow copy): the fields, and their order, are those the spreads gave.
  const payment: Building = {
    id,
    clientId: request.id,
    kind: 'payment',
    mode: request.mode,
    debtorAgent: request.debtorAgent,
    creditorAgent: request.creditorAgent,
    debtor: request.debtor,
    creditor: request.creditor,
    sourceCurrency: terms.source,
    targetCurrency: terms.target,
    sendAmount: terms.sendAmount,
    creditAmount: terms.creditAmount,
    debitAmount: terms.sendAmount + feeTotal,
    fees: terms.fees,
  };
  if (terms.quote !== undefined) {
    payment.quoteId = terms.quote.clientId;
    payment.fxProvider = terms.quote.providerId;
    payment.rate = terms.quote.rate;
    payment.midRate = terms.quote.midRate;
    if (terms.quote.route !== undefined) payment.route = terms.quote.route;
  }
  if (request.purpose !== undefined) payment.purpose = request.purpose;
  if (request.remittanceInformation !== undefined)
    payment.remittanceInformation = request.remittanceInformation;
  payment.endToEndId = request.endToEndId;
  payment.uetr = request.uetr;
  if (request.iso !== undefined) payment.iso = request.iso;
  payment.legs = plannedLegs(id, request, terms);
  payment.returns = [];
  payment.returnedAmount = 0n;
  payment.status = 'ACTC';
  payment.screening = command.screening;
  payment.events = [];
  payment.receivedAt = arrivalTime(command.receivedAt, now);
  payment.createdAt = now;
  payment.updatedAt = now;
  return payment as Payment;
}

/** Refusals that leave no trace: malformed, unauthorised, unknown or duplicate. */
function refusal(
  state: NetworkState,
  command: CreatePayment,
  context: BatchContext,
  endToEndKey: string,
): Terms | NetworkResult {
  const request = command.payment;
  if (command.actor !== request.debtorAgent)
    return refuse('not_authorized', 'The debtor agent must send its own payments.', 'debtorAgent');
  const invalid = validatePaymentRequest(request);
  if (invalid !== undefined) return invalid;
  const actor = state.participants.get(command.actor);
  if (actor === undefined || (actor.kind !== 'bank' && actor.kind !== 'fx_provider')) {
    return refuse('not_authorized', 'Only a bank or an FX provider sends payments.', 'debtorAgent');
  }
  if (endToEndIdTaken(state, endToEndKey, context.now)) {
    return {
      ...refuse(
        'duplicate_end_to_end_id',
        'This end-to-end id was already used by this agent.',
        'endToEndId',
      ),
      isoReason: 'DUPL',
    };
  }
  // Entries from before UETRs were unique replay as they were accepted (see ids.ts).
  if (context.ids === 'scoped' && uetrTaken(state, request.uetr, context.now)) {
    return {
      ...refuse('duplicate_uetr', 'This UETR was already used by another payment.', 'uetr'),
      isoReason: 'DUPL',
    };
  }
  const terms =
    request.quoteId !== undefined
      ? quoteTerms(state, request, context)
      : domesticTerms(state, request);
  if ('code' in terms) return terms;
  return checkAgents(state, request, terms, context.ids) ?? terms;
}

export function createPayment(
  state: NetworkState,
  command: CreatePayment,
  context: BatchContext,
): NetworkResult {
  const request = command.payment;
  const id = paymentKey(context.ids, command.actor, request.id);
  const existing = ownPayment(state, context.ids, command.actor, request.id, id);
  if (existing !== undefined) {
    // Only what the client sent: the screening verdict (list version, threshold) is the
    // network's, and may differ on a retry of the very same request.
    if (requestFingerprint(state, existing.id) === fingerprintRequest(request)) {
      return { code: 'ok', replayed: true, payment: existing };
    }
    return {
      ...refuse(
        'exists_with_different_fields',
        'A payment with this id exists with different fields.',
        'id',
      ),
      isoReason: 'DUPL',
    };
  }
  // The end-to-end id's key, built once: checked by refusal(), then taken.
  const endToEndKey = `${request.debtorAgent}|${request.endToEndId}`;
  const terms = refusal(state, command, context, endToEndKey);
  if ('code' in terms) return terms;
  let wait: WaitTerms | undefined;
  if (queueOn(state, context) && request.mode === 'instant' && command.screening.hit !== true) {
    const asked = waitTerms(state, request, terms.quote?.expiresAt, context.now);
    if ('code' in asked) return asked;
    wait = asked;
    wait.waits = mustWait(state, { debtorAgent: request.debtorAgent, sourceCurrency: terms.source },
      wait.priority, () => plannedLegs(id, request, terms));
    if (wait.waits && queueFull(state)) {
      return {
        ...refuse('queue_full', 'The settlement queue is full; retry later.'),
        isoReason: 'AM04',
      };
    }
  }
  const payment = newPayment(id, command, terms, context.now);
  state.payments.set(payment.id, payment);
  state.paymentRequests.set(payment.id, request);
  takeEndToEndId(state, endToEndKey, context.now);
  takeUetr(state, request.uetr, context.now);
  changeStatus(state, context, payment, { status: 'ACTC' });
  settle(state, payment, terms, context, wait);
  return { code: 'ok', payment };
}

function rejection(
  state: NetworkState,
  payment: Payment,
  now: number,
): Parameters<typeof changeStatus>[3] | undefined {
  // A suspended FX provider can neither send nor receive: its quotes cannot settle either.
  const parties = [
    payment.debtorAgent,
    payment.creditorAgent,
    ...(payment.fxProvider === undefined ? [] : [payment.fxProvider]),
    ...(payment.route === undefined ? [] : payment.route.slice(1).map((hop) => hop.providerId)),
  ];
  for (const agent of parties) {
    if (state.participants.get(agent)?.status !== 'active')
      return { status: 'RJCT', reason: 'AC06', detail: `${agent}_suspended` };
  }
  const sourceRules = state.currencies.get(payment.sourceCurrency)?.rules;
  const targetRules = state.currencies.get(payment.targetCurrency)?.rules;
  if (
    (sourceRules !== undefined &&
      sourceRules.paymentAmountMax > 0n &&
      payment.sendAmount > sourceRules.paymentAmountMax) ||
    (targetRules !== undefined &&
      targetRules.paymentAmountMax > 0n &&
      payment.creditAmount > targetRules.paymentAmountMax)
  ) {
    return { status: 'RJCT', reason: 'AM02', detail: 'payment_amount_above_maximum' };
  }
  if (
    sourceRules !== undefined &&
    sourceRules.dailyOutflowMax > 0n &&
    outflowToday(state, payment.debtorAgent, payment.sourceCurrency, now) + payment.debitAmount >
      sourceRules.dailyOutflowMax
  ) {
    return { status: 'RJCT', reason: 'AM14', detail: 'daily_outflow_cap_reached' };
  }
  return undefined;
}

function settle(
  state: NetworkState,
  payment: Payment,
  terms: Terms,
  context: BatchContext,
  wait?: WaitTerms,
): void {
  const rejected = rejection(state, payment, context.now);
  if (rejected !== undefined) {
    changeStatus(state, context, payment, rejected);
    return;
  }
  if (wait !== undefined) {
    settleOrQueue(state, payment, terms, context, wait);
    return;
  }
  const held = payment.screening?.hit === true;
  const reserve = held || payment.mode === 'two_phase';
  const timeout = held ? state.settings.reviewTimeoutMs : state.settings.acceptTimeoutMs;
  const results = context.applyLedger(
    createLegs(payment.id, payment.legs, reserve ? 'pending' : 'posted', timeout),
  );
  const failure = legFailure(payment.legs, results);
  if (failure !== undefined) {
    changeStatus(state, context, payment, { status: 'RJCT', ...failure });
    return;
  }
  if (terms.quote !== undefined) {
    terms.quote.usedBy = payment.id;
    context.changes.quotes.set(terms.quote.id, terms.quote);
  }
  addOutflow(state, payment, context.now, 1n);
  if (held)
    changeStatus(state, context, payment, {
      status: 'BLCK',
      reason: 'RR04',
      detail: 'sanctions_screening_hit',
    });
  else if (reserve) changeStatus(state, context, payment, { status: 'ACSP' });
  else {
    changeStatus(state, context, payment, { status: 'ACSC' });
    changeStatus(state, context, payment, { status: 'ACCC' });
  }
}

function useQuote(terms: Terms, payment: Payment, context: BatchContext): void {
  if (terms.quote === undefined) return;
  terms.quote.usedBy = payment.id;
  context.changes.quotes.set(terms.quote.id, terms.quote);
}

/**
 * With the settlement queue on (an instant payment, no screening hit): settle now as a set of
 * one (checked net over its legs), or wait in the queue, keeping its quote.
 */
function settleOrQueue(
  state: NetworkState,
  payment: Payment,
  terms: Terms,
  context: BatchContext,
  wait: WaitTerms,
): void {
  if (wait.priority === 'urgent') payment.priority = 'urgent';
  if (!wait.waits) {
    const results = context.applyLedgerSet(createLegs(payment.id, payment.legs, 'posted', 0));
    const failure = legFailure(payment.legs, results);
    if (failure === undefined) {
      useQuote(terms, payment, context);
      submitted(state.liquidity, payment, context.now);
      addOutflow(state, payment, context.now, 1n);
      settled(state, context, payment, undefined, 'gross');
      return;
    }
    if (failure.reason !== 'AM04' || queueFull(state)) {
      changeStatus(state, context, payment, { status: 'RJCT', ...failure });
      return;
    }
  }
  useQuote(terms, payment, context);
  submitted(state.liquidity, payment, context.now);
  payment.priority = wait.priority;
  payment.latestSettlementAt = wait.latestAt;
  enqueue(state, context, payment, wait.latestAt);
}
