// camt.056 in, from the debtor agent: each transaction to cancel is answered at once in one
// camt.029, from the payment's state. Corridor settles with finality, so a settled or rejected
// payment cannot be cancelled (RJCR); a payment still waiting for its creditor agent is passed
// on to it, and it decides (PDCR; see cancellation-desk.ts); one held for review waits for its
// reviewer (PDCR). A payment waiting in the settlement queue has moved nothing: the network
// cancels it at once (ACCR, confirmation CNCL; the payment is RJCT DS02).
import type { Payment } from '../../service/domain.js';
import type { CancellationTransactionStatus, ResolutionOfInvestigation } from '../camt029.js';
import { generateResolutionOfInvestigation } from '../camt029-write.js';
import type { CancellationRequestTransaction } from '../camt056.js';
import { locateMessage } from '../envelope.js';
import type { InvalidTransaction } from '../model.js';
import { compact } from '../parse-context.js';
import { childElement, childElements, type XmlElement } from '../xml-element.js';
import { readXml } from '../xml-reader.js';
import { agentOf, corridorAgent } from './agents.js';
import { reply, type GatewayAnswer, type GatewayServices, type Inbound } from './context.js';
import { clip, isoDateTime, newMessageId } from './outbound.js';

/** ExternalPaymentCancellationRejection1Code values Corridor gives, and PDCR's reason. */
interface Decision {
  readonly status: 'RJCR' | 'PDCR' | 'ACCR';
  readonly reason: 'NOOR' | 'ARJR' | 'ARDT' | 'AGNT' | 'PTNA' | 'NARR';
  readonly message: string;
  readonly forward?: Payment;
  /** Waiting in the settlement queue: nothing has moved, so the network cancels it itself. */
  readonly cancelQueued?: Payment;
}

function decide(
  services: GatewayServices,
  sender: string,
  transaction: CancellationRequestTransaction,
): Decision {
  const found = services.lookup.find(
    compact({ uetr: transaction.originalUetr, endToEndId: transaction.originalEndToEndId }),
    sender,
    'debtor',
  );
  if (!found.ok) {
    const message =
      found.problem === 'ambiguous'
        ? 'Several of your payments match; give the original UETR.'
        : `No payment sent by ${sender} matches the original UETR or end-to-end id.`;
    return { status: 'RJCR', reason: 'NOOR', message };
  }
  const payment = found.payment;
  if (payment.status === 'RJCT')
    return {
      status: 'RJCR',
      reason: 'ARJR',
      message: `Payment ${payment.id} was already rejected (${payment.reason ?? ''}).`,
    };
  if (payment.status === 'ACCC') {
    return payment.returnedAmount >= payment.creditAmount
      ? { status: 'RJCR', reason: 'ARDT', message: `Payment ${payment.id} was already returned.` }
      : {
          status: 'RJCR',
          reason: 'AGNT',
          message: `Payment ${payment.id} is already settled (ACCC); only its creditor agent can return it (pacs.004).`,
        };
  }
  if (services.network.engine.state.queue.entries.has(payment.id)) {
    return {
      status: 'ACCR',
      reason: 'NARR',
      message: `Payment ${payment.id} waited in the settlement queue: cancelled, nothing moved.`,
      cancelQueued: payment,
    };
  }
  if (payment.status === 'BLCK') {
    return {
      status: 'PDCR',
      reason: 'NARR',
      message: `Payment ${payment.id} is held for sanctions review: its reviewer decides.`,
    };
  }
  return {
    status: 'PDCR',
    reason: 'PTNA',
    message: `Payment ${payment.id} is ${payment.status}: passed to its creditor agent, who decides.`,
    forward: payment,
  };
}

/** The decision, having cancelled a payment waiting in the settlement queue. */
async function decideAndCancel(
  services: GatewayServices,
  sender: string,
  transaction: CancellationRequestTransaction,
): Promise<Decision> {
  const decision = decide(services, sender, transaction);
  if (decision.cancelQueued === undefined) return decision;
  const result = await services.network.cancelQueued(sender, decision.cancelQueued.id);
  // It may have settled (or reached its deadline) between the look-up and the cancel.
  return result.code === 'ok' ? decision : decide(services, sender, transaction);
}

function statusOf(
  transaction: CancellationRequestTransaction | InvalidTransaction,
  decision: Pick<Decision, 'status' | 'reason' | 'message'>,
): CancellationTransactionStatus {
  const references =
    'references' in transaction
      ? {
          originalInstructionId: transaction.references.instructionId,
          originalEndToEndId: transaction.references.endToEndId,
          originalTransactionId: transaction.references.transactionId,
          originalUetr: transaction.references.uetr,
        }
      : {
          resolvedCase: transaction.case,
          originalGroup: transaction.originalGroup,
          originalInstructionId: transaction.originalInstructionId,
          originalEndToEndId: transaction.originalEndToEndId,
          originalTransactionId: transaction.originalTransactionId,
          originalUetr: transaction.originalUetr,
        };
  return compact<CancellationTransactionStatus>({
    ...references,
    transactionCancellationStatus: decision.status,
    cancellationStatusReasons: [
      { reason: { code: decision.reason }, additionalInformation: [clip(decision.message)] },
    ],
  });
}

/** The TxInf elements of the request as received, in the model's order, for forwarding. */
function transactionElements(input: string | Uint8Array): {
  transactions: XmlElement[];
  requestCase?: XmlElement;
} {
  const read = readXml(input);
  const located = read.ok ? locateMessage(read.root) : undefined;
  if (located === undefined || !located.ok) return { transactions: [] };
  const message = located.located.messageElement;
  const transactions = childElements(message, 'Undrlyg').flatMap((underlying) =>
    childElements(underlying, 'TxInf'),
  );
  const requestCase = childElement(message, 'Case');
  return requestCase === undefined ? { transactions } : { transactions, requestCase };
}

export async function receiveCancellation(
  services: GatewayServices,
  inbound: Inbound<'camt.056'>,
): Promise<GatewayAnswer> {
  const request = inbound.message.document;
  const sender = inbound.sender.id;
  const located = transactionElements(inbound.input);
  const byIndex: [number, CancellationTransactionStatus][] = request.invalidTransactions.map(
    (invalid) => [
      invalid.index,
      statusOf(invalid, {
        status: 'RJCR',
        reason: 'NARR',
        message: invalid.issues[0]?.message ?? 'Unreadable.',
      }),
    ],
  );
  for (const transaction of request.transactions) {
    const decision = await decideAndCancel(services, sender, transaction);
    const element = located.transactions[transaction.index];
    if (decision.forward !== undefined && element !== undefined) {
      const caseElement =
        childElement(element, 'Case') === undefined ? located.requestCase : undefined;
      services.cancellations.forward(
        decision.forward,
        element,
        caseElement,
        request.assignment.identification,
      );
    }
    byIndex.push([transaction.index, statusOf(transaction, decision)]);
  }
  const transactions = byIndex.sort(([a], [b]) => a - b).map(([, status]) => status);
  const groupOnly = transactions.length === 0 && request.groupCancellations.length > 0;
  const resolution: ResolutionOfInvestigation = compact({
    assignment: {
      identification: newMessageId('C29'),
      assigner: { agent: corridorAgent(services.network) },
      assignee: { agent: agentOf(inbound.sender) },
      creationDateTime: isoDateTime(Date.now()),
    },
    resolvedCase: request.case,
    status: {
      confirmation: transactions.some((status) => status.transactionCancellationStatus === 'PDCR')
        ? 'PDCR'
        : transactions.some((status) => status.transactionCancellationStatus === 'ACCR')
          ? 'CNCL'
          : 'RJCR',
    },
    cancellationDetails: groupOnly
      ? request.groupCancellations.map((group) => ({
          originalGroupStatus: {
            original: group.original,
            groupCancellationStatus: 'RJCR',
            cancellationStatusReasons: [
              {
                reason: { code: 'NARR' },
                additionalInformation: [
                  'Corridor cancels transaction by transaction: list each one in TxInf.',
                ],
              },
            ],
          },
          transactions: [],
        }))
      : [{ transactions }],
  });
  return reply(services, inbound, 'camt.029', generateResolutionOfInvestigation(resolution));
}
