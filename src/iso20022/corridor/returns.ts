// pacs.004 in, from the creditor agent of settled payments: each returned transaction becomes
// a Corridor return of the original payment (network.returnPayment), in one batch, and one
// pacs.002 answers them all.
import type { NetworkCommand, NetworkResult } from '../../service/domain.js';
import { RETURN_REASONS, type IsoOrigin, type ReturnReason } from '../../service/domain.js';
import type { ReasonInformation, TransactionReferences } from '../model.js';
import { generatePaymentStatusReport } from '../pacs002-write.js';
import type { TransactionStatus } from '../pacs002.js';
import type { ReturnTransaction } from '../pacs004.js';
import { compact } from '../parse-context.js';
import { buildTransactionRejections } from '../reject-mapping.js';
import { agentOf, describeAgent } from './agents.js';
import { reply, type GatewayAnswer, type GatewayServices, type Inbound } from './context.js';
import { duplicateAnswer, originalOf } from './credit-transfers.js';
import { rejectionStatus, statusReport, statusVersionFor } from './outbound.js';
import { resultStatus } from './reasons.js';
import { isoPaymentId, quoteIdIn, type Rejection } from './transfers.js';

type Prepared =
  | { readonly ok: true; readonly command: NetworkCommand }
  | { readonly ok: false; readonly rejection: Rejection };

/** What the status quotes: the return's id as the instruction, then the original's ids. */
function referencesOf(transaction: ReturnTransaction): TransactionReferences {
  return compact({
    instructionId: transaction.returnId ?? transaction.originalInstructionId,
    endToEndId: transaction.originalEndToEndId,
    transactionId: transaction.originalTransactionId,
    uetr: transaction.originalUetr,
  });
}

function reasonOf(
  transaction: ReturnTransaction,
  group: readonly ReasonInformation[] | undefined,
): ReturnReason | Rejection {
  const reason = (transaction.returnReasons ?? group)?.[0]?.reason;
  if (reason === undefined || !('code' in reason)) {
    return { reason: 'FF01', message: 'A return needs a reason code (RtrRsnInf/Rsn/Cd).' };
  }
  if (!(reason.code in RETURN_REASONS)) {
    const known = Object.keys(RETURN_REASONS).join(', ');
    return { reason: 'FF01', message: `Return reason ${reason.code} is not one of ${known}.` };
  }
  return reason.code as ReturnReason;
}

function prepare(
  services: GatewayServices,
  inbound: Inbound<'pacs.004'>,
  transaction: ReturnTransaction,
): Prepared {
  const { network, directory, lookup } = services;
  const sender = inbound.sender.id;
  const { groupHeader, originalGroup } = inbound.message.document;
  const instructing = transaction.instructingAgent ?? groupHeader.instructingAgent;
  const resolved = instructing === undefined ? undefined : directory.resolve(instructing);
  if (resolved !== undefined && !(resolved.ok && resolved.participant.id === sender)) {
    const shown = instructing === undefined ? '' : describeAgent(instructing);
    return {
      ok: false,
      rejection: { reason: 'AG01', message: `The instructing agent ${shown} is not ${sender}.` },
    };
  }
  const found = lookup.find(referencesOf(transaction), sender, 'creditor');
  if (!found.ok) {
    const message =
      found.problem === 'ambiguous'
        ? 'Several of your payments match; give the original UETR.'
        : `No payment received by ${sender} matches the original UETR or end-to-end id.`;
    return { ok: false, rejection: { reason: 'NARR', message } };
  }
  const original = found.payment;
  const amount = transaction.returnedInterbankSettlementAmount;
  if (amount.currency !== original.targetCurrency) {
    return {
      ok: false,
      rejection: {
        reason: 'AM03',
        message: `A return of ${original.id} is in ${original.targetCurrency}.`,
      },
    };
  }
  const quoteId = quoteIdIn(transaction.supplementaryData);
  const reason = reasonOf(transaction, originalGroup?.returnReasons);
  if (typeof reason !== 'string') return { ok: false, rejection: reason };
  const iso: IsoOrigin = compact({
    messageId: groupHeader.messageId,
    messageNameId: inbound.message.definition.identifier,
    creationDateTime: groupHeader.creationDateTime,
    instructionId: transaction.returnId ?? transaction.originalInstructionId,
    transactionId: transaction.originalTransactionId,
    chargeBearer: transaction.chargeBearer,
  });
  const command = network.returnCommand(sender, {
    originalPaymentId: original.id,
    amount: amount.value,
    reason,
    returnId: isoPaymentId('isr', sender, groupHeader.messageId, transaction.index),
    // A return travels under the UETR of the payment it returns, as ISO returns do.
    uetr: original.uetr,
    iso,
    // Networks that return at a fresh rate need the quote for it, carried as in a pacs.008.
    ...(quoteId === undefined ? {} : { quoteId }),
    ...(inbound.receivedAt === undefined ? {} : { receivedAt: inbound.receivedAt }),
  });
  return { ok: true, command };
}

export async function receiveReturn(
  services: GatewayServices,
  inbound: Inbound<'pacs.004'>,
): Promise<GatewayAnswer> {
  const { network, memory } = services;
  const { document, definition } = inbound.message;
  const messageId = document.groupHeader.messageId;
  const sender = inbound.sender;
  if (!memory.claim(sender.id, messageId)) return duplicateAnswer(services, inbound);
  let recorded = false;
  try {
    const prepared = document.transactions.map((transaction) =>
      prepare(services, inbound, transaction),
    );
    const commands = prepared.flatMap((item) => (item.ok ? [item.command] : []));
    const results = commands.length === 0 ? [] : await network.submit(commands);
    recorded = results.some((result) => result.code === 'ok' && result.replayed !== true);
    const original = originalOf(inbound);
    const byIndex: [number, TransactionStatus][] = document.invalidTransactions.map((invalid) => [
      invalid.index,
      buildTransactionRejections(original, [invalid])[0] as TransactionStatus,
    ]);
    let next = 0;
    document.transactions.forEach((transaction, position) => {
      const item = prepared[position] as Prepared;
      const references = referencesOf(transaction);
      const status = item.ok
        ? resultStatus(results[next++] as NetworkResult, references)
        : rejectionStatus(references, item.rejection);
      byIndex.push([transaction.index, status]);
    });
    const statuses = byIndex.sort(([a], [b]) => a - b).map(([, status]) => status);
    const report = statusReport(network, original, statuses, agentOf(sender));
    return reply(
      services,
      inbound,
      'pacs.002',
      generatePaymentStatusReport(report, { version: statusVersionFor(definition.identifier) }),
    );
  } finally {
    memory.release(sender.id, messageId, recorded);
  }
}
