// What Corridor sends: message ids, times, pacs.002 statuses of payments and rejections, the
// status version that answers each inbound generation, and the header that frames a reply.
import { randomBytes } from 'node:crypto';
import type { Network } from '../../service/service.js';
import { PAYMENT_REASONS, type Payment, type PaymentReason } from '../../service/domain.js';
import type { BusinessApplicationHeader } from '../business-application-header.js';
import { generateEnvelope } from '../business-application-header.js';
import type { GeneratedMessage, GenerateResult } from '../generate-context.js';
import type { OriginalMessageReference } from '../inbound.js';
import type {
  FinancialInstitution,
  OriginalGroupReference,
  TransactionReferences,
} from '../model.js';
import type {
  PaymentStatusCode,
  PaymentStatusReport,
  StatusCount,
  TransactionStatus,
} from '../pacs002.js';
import type { PaymentStatusReportVersion } from '../pacs002-write.js';
import { compact } from '../parse-context.js';
import type { XmlElement } from '../xml-element.js';
import { corridorAgent } from './agents.js';
import { chargesOf, fxSupplementaryData } from './fx-report.js';
import type { Rejection } from './transfers.js';

/** ISO Max35Text, the bound of every identifier Corridor quotes back. */
export const ISO_IDENTIFIER_LENGTH_MAX = 35;
/** StsRsnInf/AddtlInf is Max105Text. */
const STATUS_INFORMATION_LENGTH_MAX = 105;

let sequence = 0;

/** A fresh message id: "CRD", the time in base 36, a counter and random bits (≤ 35 chars). */
export function newMessageId(prefix = 'CRD'): string {
  sequence = (sequence + 1) % 1_679_616;
  return `${prefix}${Date.now().toString(36)}${sequence.toString(36)}${randomBytes(5).toString('hex')}`;
}

export function isoDateTime(at: number): string {
  return new Date(at).toISOString();
}

export function isoDate(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

export function clip(text: string, length = STATUS_INFORMATION_LENGTH_MAX): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

/** An identifier Corridor may quote in a Max35Text element, or nothing. */
export function quotable(text: string | undefined): string | undefined {
  return text !== undefined && text.length <= ISO_IDENTIFIER_LENGTH_MAX ? text : undefined;
}

/**
 * The pacs.002 version answering a message: the one of the same ISO maintenance release
 * (pacs.008.001.08 and pacs.002.001.10 are both of 2019, .10/.12 of 2021, .11/.13 of 2022,
 * .13/.15 of 2024). pacs.002.001.14 (2023, with pacs.008.001.12) is not in the inputs, so .12
 * is answered with .13. Everything else (pacs.009.001.08, pacs.004) gets the default .10.
 */
export function statusVersionFor(messageNameId: string | undefined): PaymentStatusReportVersion {
  const versions: Readonly<Record<string, PaymentStatusReportVersion>> = {
    'pacs.008.001.10': 12,
    'pacs.008.001.11': 13,
    'pacs.008.001.12': 13,
    'pacs.008.001.13': 15,
  };
  return versions[messageNameId ?? ''] ?? 10;
}

function reasonText(reason: PaymentReason, detail: string | undefined): string {
  return clip(
    detail === undefined ? PAYMENT_REASONS[reason] : `${detail}: ${PAYMENT_REASONS[reason]}`,
  );
}

export interface PaymentStatusOptions {
  /** The status to report (an event's), when not the payment's current one. */
  readonly status?: {
    readonly status: Payment['status'];
    readonly reason?: PaymentReason;
    readonly detail?: string;
    readonly at: number;
  };
  /** Quote the original message in the status itself (the feed, where statuses are loose). */
  readonly withOriginalGroup?: boolean;
  readonly references?: TransactionReferences;
  /**
   * How to name a participant as an agent: given, the status reports Corridor's fees
   * (ChrgsInf) and, for a cross-currency payment, the rate and amounts (SplmtryData).
   */
  readonly agentOf?: (participantId: string) => FinancialInstitution;
}

/** Where the FX envelope of a pacs.002 transaction status sits. */
const STATUS_FX_PLACE = '/Document/FIToFIPmtStsRpt/TxInfAndSts';

export function originalGroupOf(payment: Payment): OriginalGroupReference | undefined {
  const iso = payment.iso;
  if (iso === undefined) return undefined;
  return compact({
    messageId: iso.messageId,
    messageNameId: iso.messageNameId,
    creationDateTime: iso.creationDateTime,
  });
}

/** The TxInfAndSts of a recorded payment. */
export function paymentStatus(
  payment: Payment,
  options: PaymentStatusOptions = {},
): TransactionStatus {
  const event = options.status ?? {
    status: payment.status,
    reason: payment.reason,
    detail: payment.detail,
    at: payment.updatedAt,
  };
  const settled = event.status === 'ACCC' || event.status === 'ACSC';
  const references = options.references;
  const fxData =
    options.agentOf === undefined ? undefined : fxSupplementaryData(payment, STATUS_FX_PLACE);
  return compact<TransactionStatus>({
    originalGroup: options.withOriginalGroup === true ? originalGroupOf(payment) : undefined,
    originalInstructionId: references?.instructionId ?? payment.iso?.instructionId,
    originalEndToEndId: references?.endToEndId ?? payment.endToEndId,
    originalTransactionId: references?.transactionId ?? payment.iso?.transactionId,
    originalUetr: references?.uetr ?? payment.uetr,
    status: event.status,
    statusReasons:
      // ACSP carries a reason only while it waits in the settlement queue (AM04, pending).
      event.reason === undefined ||
      (event.status !== 'RJCT' && event.status !== 'BLCK' && event.status !== 'ACSP')
        ? undefined
        : [
            {
              reason: { code: event.reason },
              additionalInformation: [reasonText(event.reason, event.detail)],
            },
          ],
    charges: options.agentOf === undefined ? undefined : chargesOf(payment, options.agentOf),
    acceptanceDateTime: isoDateTime(payment.createdAt),
    effectiveInterbankSettlementDate: settled ? { dateTime: isoDateTime(event.at) } : undefined,
    clearingSystemReference: quotable(payment.id),
    supplementaryData: fxData === undefined ? undefined : [fxData],
  });
}

/** The TxInfAndSts of a transaction rejected before anything was recorded. */
export function rejectionStatus(
  references: TransactionReferences,
  rejection: Rejection,
): TransactionStatus {
  return compact<TransactionStatus>({
    originalInstructionId: references.instructionId,
    originalEndToEndId: references.endToEndId,
    originalTransactionId: references.transactionId,
    originalUetr: references.uetr,
    status: 'RJCT',
    statusReasons: [
      { reason: { code: rejection.reason }, additionalInformation: [clip(rejection.message)] },
    ],
  });
}

function countsOf(statuses: readonly TransactionStatus[]): StatusCount[] {
  const counts = new Map<PaymentStatusCode, number>();
  for (const status of statuses) {
    if (status.status !== undefined)
      counts.set(status.status, (counts.get(status.status) ?? 0) + 1);
  }
  return [...counts].map(([status, numberOfTransactions]) => ({ status, numberOfTransactions }));
}

/** The pacs.002 answering one message: its group with counts per status, then each status. */
export function statusReport(
  network: Network,
  original: OriginalMessageReference,
  statuses: readonly TransactionStatus[],
  recipient: FinancialInstitution,
): PaymentStatusReport {
  return {
    groupHeader: {
      messageId: newMessageId(),
      creationDateTime: isoDateTime(Date.now()),
      instructingAgent: corridorAgent(network),
      instructedAgent: recipient,
    },
    originalGroupStatuses: [
      compact({
        original: compact({
          messageId: original.messageId ?? 'NONREF',
          messageNameId: original.messageNameId,
          creationDateTime: original.creationDateTime,
        }),
        originalNumberOfTransactions: statuses.length,
        statusCounts: countsOf(statuses),
      }),
    ],
    transactionStatuses: statuses,
  };
}

/** Frames a generated Document for its recipient: bare, or with an AppHdr when asked. */
export function frame(
  network: Network,
  generated: GenerateResult,
  header:
    { readonly to: FinancialInstitution; readonly related?: BusinessApplicationHeader } | undefined,
): string {
  const message = expectGenerated(generated);
  if (header === undefined) return message.xml;
  return envelope(network, message, header.to, header.related).xml;
}

/** A Document with its AppHdr from Corridor, under Corridor's BusinessMessage wrapper. */
export function envelope(
  network: Network,
  message: GeneratedMessage,
  to: FinancialInstitution,
  related?: BusinessApplicationHeader,
  messageId = newMessageId('BAH'),
  creationDate = isoDateTime(Date.now()),
): { readonly xml: string; readonly element: XmlElement } {
  const enveloped = generateEnvelope(
    compact({
      from: { financialInstitution: corridorAgent(network) },
      to: { financialInstitution: to },
      businessMessageId: messageId,
      creationDate,
      related:
        related === undefined
          ? undefined
          : [
              compact({
                from: related.from,
                to: related.to,
                businessMessageId: related.businessMessageId,
                messageDefinitionId: related.messageDefinitionId,
                businessService: related.businessService,
                creationDate: related.creationDate,
              }),
            ],
    }),
    message,
  );
  if (!enveloped.ok) throw new Error(`envelope: ${JSON.stringify(enveloped.errors)}`);
  return { xml: enveloped.xml, element: enveloped.element };
}

/** Corridor generates from its own state: a generator refusal is a bug, not an input problem. */
export function expectGenerated(generated: GenerateResult): GeneratedMessage {
  if (!generated.ok)
    throw new Error(`ISO 20022 generation failed: ${JSON.stringify(generated.errors)}`);
  return generated.message;
}
