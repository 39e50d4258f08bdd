// pacs.008 and pacs.009 in: each transaction becomes a payment, all of them in one batch of
// the network, each settling or failing on its own; one pacs.002 answers every transaction.
import { randomBytes } from 'node:crypto';
import type { NetworkCommand, NetworkResult } from '../../service/domain.js';
import type { Participant } from '../../service/domain.js';
import type { OriginalMessageReference } from '../inbound.js';
import type { FinancialInstitution, InvalidTransaction } from '../model.js';
import { generatePaymentStatusReport } from '../pacs002-write.js';
import type { TransactionStatus } from '../pacs002.js';
import { compact } from '../parse-context.js';
import {
  buildGroupRejection,
  buildTransactionRejections,
  classifyCause,
} from '../reject-mapping.js';
import { agentOf, agentOfId } from './agents.js';
import { reply, type GatewayAnswer, type GatewayServices, type Inbound } from './context.js';
import {
  isoDateTime,
  newMessageId,
  rejectionStatus,
  statusReport,
  statusVersionFor,
} from './outbound.js';
import { toleranceRejection } from './currency-intent.js';
import { rejectionOf, resultStatus } from './reasons.js';
import {
  fromCustomerTransfer,
  fromInstitutionTransfer,
  mapTransfer,
  type MappedTransfer,
  type MessageIdentity,
  type TransferFields,
} from './transfers.js';

type CreditTransfer = Inbound<'pacs.008'> | Inbound<'pacs.009'>;

export function originalOf(
  inbound: CreditTransfer | Inbound<'pacs.004'>,
): OriginalMessageReference {
  const header = inbound.message.document.groupHeader;
  return compact({
    messageNameId: inbound.message.definition.identifier,
    messageId: header.messageId,
    creationDateTime: header.creationDateTime,
    businessMessageId: inbound.message.header?.businessMessageId,
  });
}

/** The whole message rejected as a duplicate of one the sender already sent. */
export function duplicateAnswer(
  services: GatewayServices,
  inbound: CreditTransfer | Inbound<'pacs.004'>,
): GatewayAnswer {
  const decision = classifyCause(
    'duplicate_message',
    `The message id ${inbound.message.document.groupHeader.messageId} was already used by ${inbound.sender.id}.`,
    inbound.message.kind,
  );
  if (decision.response !== 'pacs.002') throw new Error('duplicate_message: expected a pacs.002');
  const report = buildGroupRejection(
    decision,
    { messageId: newMessageId(), creationDateTime: isoDateTime(Date.now()) },
    originalOf(inbound),
  );
  return reply(
    services,
    inbound,
    'pacs.002',
    generatePaymentStatusReport(report, {
      version: statusVersionFor(inbound.message.definition.identifier),
    }),
  );
}

function transferFields(inbound: CreditTransfer): TransferFields[] {
  return inbound.message.kind === 'pacs.008'
    ? inbound.message.document.transactions.map(fromCustomerTransfer)
    : inbound.message.document.transactions.map(fromInstitutionTransfer);
}

/** One status per transaction, in message order: unmappable, rejected, refused or recorded. */
function statusesOf(
  agentOf: (participantId: string) => FinancialInstitution,
  original: OriginalMessageReference,
  invalid: readonly InvalidTransaction[],
  fields: readonly TransferFields[],
  mapped: readonly MappedTransfer[],
  results: readonly NetworkResult[],
): TransactionStatus[] {
  const byIndex: [number, TransactionStatus][] = invalid.map((transaction) => [
    transaction.index,
    buildTransactionRejections(original, [transaction])[0] as TransactionStatus,
  ]);
  let next = 0;
  fields.forEach((field, position) => {
    const outcome = mapped[position] as MappedTransfer;
    if (!outcome.ok) {
      byIndex.push([field.index, rejectionStatus(field.references, outcome.rejection)]);
      return;
    }
    const result = results[next++] as NetworkResult;
    const status = resultStatus(result, field.references, agentOf);
    byIndex.push([field.index, status]);
  });
  return byIndex.sort(([a], [b]) => a - b).map(([, status]) => status);
}

/**
 * Takes a quote for every cross-currency transaction that came without one, in one batch of
 * the network (journaled, so replay gives the same quotes), and holds each against the
 * sender's tolerance: a transaction whose quote is refused or out of tolerance is rejected,
 * and its unused quote simply expires. The others go on with their quote, which fixes their
 * amounts and rate: the payment batch that follows settles exactly at it, or not at all.
 */
async function takeQuotes(
  services: GatewayServices,
  sender: Participant,
  mapped: readonly MappedTransfer[],
): Promise<MappedTransfer[]> {
  const { network } = services;
  const wanted = mapped.flatMap((outcome) =>
    outcome.ok && outcome.fx !== undefined ? [{ outcome, fx: outcome.fx }] : [],
  );
  if (wanted.length === 0) return [...mapped];
  const commands: NetworkCommand[] = wanted.map(({ fx }) => ({
    type: 'create_quote',
    actor: sender.id,
    // 28 characters: short enough to be quoted back in camt CtrctId (Max35Text).
    quoteId: `isq_${randomBytes(12).toString('hex')}`,
    source: fx.source,
    target: fx.target,
    fixed: fx.fixed,
    amount: fx.amount,
    ...(fx.feesIncluded === undefined ? {} : { feesIncluded: fx.feesIncluded }),
    // The best offer, through a third member currency when that is better or the only one.
    routing: 'best',
  }));
  const results = await network.submit(commands);
  const quoted = new Map<MappedTransfer, MappedTransfer>();
  wanted.forEach(({ outcome, fx }, position) => {
    const result = results[position] as NetworkResult;
    const quote = result.quote;
    if (result.code !== 'ok' || quote === undefined) {
      quoted.set(outcome, { ok: false, rejection: rejectionOf(result) });
      return;
    }
    const rejection = toleranceRejection(quote, fx, sender);
    if (rejection !== undefined) {
      quoted.set(outcome, { ok: false, rejection });
      return;
    }
    if (!outcome.ok) return;
    quoted.set(outcome, { ok: true, input: { ...outcome.input, quoteId: quote.clientId } });
  });
  return mapped.map((outcome) => quoted.get(outcome) ?? outcome);
}

export async function receiveCreditTransfer(
  services: GatewayServices,
  inbound: CreditTransfer,
): Promise<GatewayAnswer> {
  const { network, memory, directory } = services;
  const { document, definition } = inbound.message;
  const header = document.groupHeader;
  const sender = inbound.sender;
  if (!memory.claim(sender.id, header.messageId)) return duplicateAnswer(services, inbound);
  let recorded = false;
  try {
    const identity: MessageIdentity = {
      sender,
      messageId: header.messageId,
      messageNameId: definition.identifier,
      creationDateTime: header.creationDateTime,
      groupHeader: header,
    };
    const fields = transferFields(inbound);
    const mapped = await takeQuotes(
      services,
      sender,
      fields.map((field) => mapTransfer(network, directory, field, identity)),
    );
    const commands: NetworkCommand[] = await Promise.all(mapped.flatMap((outcome) =>
      outcome.ok
        ? [network.paymentCommand(sender.id, outcome.input, { receivedAt: inbound.receivedAt })]
        : [],
    ));
    const results = commands.length === 0 ? [] : await network.submit(commands);
    recorded = results.some((result) => result.code === 'ok' && result.replayed !== true);
    const original = originalOf(inbound);
    const statuses = statusesOf(
      (id) => agentOfId(network, id),
      original,
      document.invalidTransactions,
      fields,
      mapped,
      results,
    );
    const report = statusReport(network, original, statuses, agentOf(sender));
    return reply(
      services,
      inbound,
      'pacs.002',
      generatePaymentStatusReport(report, { version: statusVersionFor(definition.identifier) }),
    );
  } finally {
    memory.release(sender.id, header.messageId, recorded);
  }
}
