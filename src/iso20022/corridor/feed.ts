// The ISO 20022 feed: a participant's side of the network's event log, as the messages Corridor
// sends. Each status change of a payment the participant may see gives a pacs.002; a settled
// payment gives a camt.054 per account of the participant it moved; a payment rejected (or
// returned) following a cancellation request (reason FOCR) gives its debtor agent a camt.029.
// Everything is derived from the event log, which the journal rebuilds, with message ids made
// from the event sequence: pulling again from an old cursor, even after a restart, gives the
// same messages, and nothing is missed.
import { viewerOf } from '../../service/domain.js';
import { createHash } from 'node:crypto';
import type { Participant } from '../../service/domain.js';
import type { Network } from '../../service/service.js';
import type { PaymentEventRecord } from '../../service/domain.js';
import type { Payment } from '../../service/domain.js';
import type { AccountReport, BankToCustomerDebitCreditNotification } from '../account-report.js';
import { generateBankToCustomerDebitCreditNotification } from '../account-report-write.js';
import type { ResolutionOfInvestigation } from '../camt029.js';
import { generateResolutionOfInvestigation } from '../camt029-write.js';
import type { GeneratedMessage } from '../generate-context.js';
import { generatePaymentStatusReport } from '../pacs002-write.js';
import { compact } from '../parse-context.js';
import { createElement, type XmlAttribute, type XmlElement } from '../xml-element.js';
import { serializeXml } from '../xml-writer.js';
import { agentOf, agentOfId, corridorAgent } from './agents.js';
import { legEntry, reportAccountOf } from './entries.js';
import {
  envelope,
  expectGenerated,
  isoDateTime,
  originalGroupOf,
  paymentStatus,
  quotable,
  statusVersionFor,
} from './outbound.js';

export const FEED_NAMESPACE = 'urn:corridor:iso20022:feed:1';
/** Events per page (each gives one to three messages). */
export const FEED_PAGE_EVENTS_MAX = 200;

export interface FeedPage {
  readonly xml: string;
  /** The cursor to pass next time: the last event sequence looked at. */
  readonly cursor: number;
  readonly messages: number;
  readonly expired: boolean;
}

interface FeedEvent {
  readonly sequence: number;
  readonly event: PaymentEventRecord;
  readonly payment: Payment;
}

/** The same message id for the same event, kind and recipient, whenever it is pulled. */
function feedMessageId(sequence: number, kind: string, recipient: string): string {
  const digest = createHash('sha256').update(recipient).digest('hex').slice(0, 8);
  return `E${sequence}-${kind}-${digest}`;
}

function framed(
  network: Network,
  message: GeneratedMessage,
  to: Participant,
  id: string,
  at: number,
) {
  return envelope(network, message, agentOf(to), undefined, id, isoDateTime(at)).element;
}

function statusMessage(network: Network, item: FeedEvent, to: Participant): XmlElement {
  const { sequence, event, payment } = item;
  const messageId = feedMessageId(sequence, '002', to.id);
  const generated = generatePaymentStatusReport(
    {
      groupHeader: {
        messageId,
        creationDateTime: isoDateTime(event.at),
        instructingAgent: corridorAgent(network),
        instructedAgent: agentOf(to),
      },
      originalGroupStatuses: [],
      transactionStatuses: [
        paymentStatus(payment, {
          status: event,
          withOriginalGroup: true,
          agentOf: (id) => agentOfId(network, id),
        }),
      ],
    },
    { version: statusVersionFor(payment.iso?.messageNameId) },
  );
  return framed(network, expectGenerated(generated), to, messageId, event.at);
}

/** Booked legs on the recipient's own accounts (every account is "own" to nobody else). */
function notificationMessage(
  network: Network,
  item: FeedEvent,
  to: Participant,
): XmlElement | undefined {
  const { sequence, event, payment } = item;
  const byAccount = new Map<string, AccountReport['entries'][number][]>();
  for (const leg of payment.legs) {
    for (const accountId of [leg.debitAccountId, leg.creditAccountId]) {
      if (!accountId.startsWith(`${to.id}:`)) continue;
      const entries = byAccount.get(accountId) ?? [];
      entries.push(legEntry(network, payment, leg, accountId, event.at));
      byAccount.set(accountId, entries);
    }
  }
  if (byAccount.size === 0) return undefined;
  const messageId = feedMessageId(sequence, '054', to.id);
  const notification: BankToCustomerDebitCreditNotification = {
    groupHeader: { messageId, creationDateTime: isoDateTime(event.at) },
    notifications: [...byAccount].map(([accountId, entries], index) => ({
      identification: `${messageId}-${index + 1}`,
      creationDateTime: isoDateTime(event.at),
      account: reportAccountOf(network, accountId),
      entries,
    })),
  };
  const generated = generateBankToCustomerDebitCreditNotification(notification);
  return framed(network, expectGenerated(generated), to, messageId, event.at);
}

/** camt.029 CNCL: the creditor agent honoured a cancellation request (rejected or returned). */
function resolutionMessage(
  network: Network,
  item: FeedEvent,
  to: Participant,
  payments: ReadonlyMap<string, Payment>,
): XmlElement | undefined {
  const { sequence, event, payment } = item;
  const rejected = event.status === 'RJCT' && event.reason === 'FOCR' && payment.kind === 'payment';
  const returned =
    event.status === 'ACCC' && payment.kind === 'return' && payment.returnReason === 'FOCR';
  const original = returned ? payments.get(payment.returnOf ?? '') : payment;
  if ((!rejected && !returned) || original === undefined || original.debtorAgent !== to.id)
    return undefined;
  const messageId = feedMessageId(sequence, '029', to.id);
  const resolution: ResolutionOfInvestigation = {
    assignment: {
      identification: messageId,
      assigner: { agent: agentOfId(network, original.creditorAgent) },
      assignee: { agent: agentOf(to) },
      creationDateTime: isoDateTime(event.at),
    },
    status: { confirmation: 'CNCL' },
    cancellationDetails: [
      {
        transactions: [
          compact({
            originalGroup: originalGroupOf(original),
            originalInstructionId: original.iso?.instructionId,
            originalEndToEndId: original.endToEndId,
            originalTransactionId: original.iso?.transactionId,
            originalClearingSystemReference: quotable(original.id),
            originalUetr: original.uetr,
            transactionCancellationStatus: 'ACCR' as const,
          }),
        ],
      },
    ],
  };
  const generated = generateResolutionOfInvestigation(resolution);
  return framed(network, expectGenerated(generated), to, messageId, event.at);
}

export function feedElement(
  children: readonly XmlElement[],
  attributes: Record<string, string>,
): XmlElement {
  const list: XmlAttribute[] = Object.entries(attributes).map(([name, value]) => ({
    namespace: '',
    name,
    value,
  }));
  return createElement(FEED_NAMESPACE, 'Feed', children, '', list);
}

/** The messages for `recipient` after `cursor`: the operator gets every payment's pacs.002. */
export async function feedPage(
  network: Network,
  recipient: Participant,
  cursor: number,
  limit: number,
): Promise<FeedPage> {
  const page = await network.reads.events(
    cursor,
    Math.min(limit, FEED_PAGE_EVENTS_MAX),
    viewerOf(recipient, []),
  );
  // The payments as they stand now, and the originals of returns (for camt.029).
  const payments = new Map(await network.reads.paymentsById(
    page.events.map(({ event }) => event.paymentId)));
  const originals = [...payments.values()].flatMap((payment) =>
    (payment.returnOf !== undefined && !payments.has(payment.returnOf) ? [payment.returnOf] : []));
  for (const [id, original] of await network.reads.paymentsById(originals)) {
    payments.set(id, original);
  }
  const messages: XmlElement[] = [];
  for (const { sequence, event } of page.events) {
    const payment = payments.get(event.paymentId);
    if (payment === undefined) continue;
    const item = { sequence, event, payment };
    messages.push(statusMessage(network, item, recipient));
    if (event.status === 'ACCC') {
      const notification = notificationMessage(network, item, recipient);
      if (notification !== undefined) messages.push(notification);
    }
    const resolution = resolutionMessage(network, item, recipient, payments);
    if (resolution !== undefined) messages.push(resolution);
  }
  const root = feedElement(messages, {
    cursor: String(page.cursor),
    messages: String(messages.length),
  });
  return {
    xml: serializeXml(root),
    cursor: page.cursor,
    messages: messages.length,
    expired: false,
  };
}
