// The ISO 20022 gateway: a received message in, the ISO answer out. It reads the message
// safely and against its XSD, checks that its sender is the authenticated participant, and
// hands it to the handler of its kind. XSD-invalid, unreadable or duplicate messages change
// nothing; within a readable message each transaction settles or is rejected on its own.
import type { Participant } from '../../service/domain.js';
import type { Arrival, Network } from '../../service/service.js';
import { generateMessageReject } from '../admi002.js';
import type { BusinessApplicationHeader } from '../business-application-header.js';
import { readMessage, type InboundFailure, type ParsedMessage } from '../inbound.js';
import type { MessageKind } from '../message-definition.js';
import type { FinancialInstitution } from '../model.js';
import { generatePaymentStatusReport } from '../pacs002-write.js';
import { classifyCause, relatedReferenceOf, respondToFailure } from '../reject-mapping.js';
import { AgentDirectory, describeAgent } from './agents.js';
import { CancellationDesk } from './cancellation-desk.js';
import { receiveCancellation } from './cancellations.js';
import type { GatewayAnswer, GatewayServices, Inbound } from './context.js';
import { receiveCreditTransfer } from './credit-transfers.js';
import { MessageMemory } from './message-memory.js';
import { expectGenerated, isoDateTime, newMessageId, statusVersionFor } from './outbound.js';
import { PaymentLookup } from './payment-lookup.js';
import { receiveReturn } from './returns.js';

export type { GatewayAnswer } from './context.js';

export interface GatewayOptions {
  /** 'validate' (default) checks every message against its XSD; 'skip' only for trusted input. */
  readonly schemaValidation?: 'validate' | 'skip';
  /** Message ids remembered per sender (default MESSAGE_IDS_PER_SENDER_MAX). */
  readonly messageIdsPerSender?: number;
}

/** admi.002 reasons the gateway adds to the library's. */
const SENDER_MISMATCH = 'SENDER_NOT_AUTHENTICATED';

function identity() {
  return { messageId: newMessageId(), creationDateTime: isoDateTime(Date.now()) };
}

function messageReject(
  reason: string,
  description: string,
  relatedReference: string,
  httpStatus: number,
): GatewayAnswer {
  const xml = expectGenerated(
    generateMessageReject({
      relatedReference,
      rejectingPartyReason: reason,
      rejectionDateTime: isoDateTime(Date.now()),
      reasonDescription: description.slice(0, 350),
    }),
  ).xml;
  return { httpStatus, kind: 'admi.002', xml, description };
}

/** The messages Corridor takes; any other is refused as such, whatever its content. */
const TAKEN: ReadonlySet<MessageKind> = new Set(['pacs.008', 'pacs.009', 'pacs.004', 'camt.056']);

function notTaken(identifier: string, reference: string): GatewayAnswer {
  const decision = classifyCause(
    'message_unexpected',
    `Corridor does not take ${identifier} messages: send pacs.008, pacs.009, pacs.004 or camt.056.`,
  );
  if (decision.response !== 'admi.002') throw new Error('message_unexpected: expected an admi.002');
  return messageReject(decision.reason, decision.description, reference, 400);
}

/** The answer to a message that failed before its content was mapped (or while mapping). */
export function answerFailure(failure: InboundFailure): GatewayAnswer {
  const response = respondToFailure(failure, identity());
  const description = response.decision.description;
  if (response.response === 'none') return { httpStatus: 503, kind: 'none', xml: '', description };
  if (response.response === 'admi.002') {
    const xml = expectGenerated(generateMessageReject(response.reject)).xml;
    const httpStatus = failure.stage === 'read' && failure.code === 'input_too_large' ? 413 : 400;
    return { httpStatus, kind: 'admi.002', xml, description };
  }
  const version = statusVersionFor(
    failure.stage === 'schema' || failure.stage === 'content'
      ? failure.original.messageNameId
      : undefined,
  );
  const xml = expectGenerated(generatePaymentStatusReport(response.report, { version })).xml;
  return { httpStatus: 200, kind: 'pacs.002', xml, description };
}

/** The agents that stand for the sender of the whole message: AppHdr From and the group's. */
function claimedSenders(
  message: ParsedMessage,
): { role: string; agent: FinancialInstitution | undefined }[] {
  const header: BusinessApplicationHeader | undefined = message.header;
  const from =
    header === undefined
      ? []
      : [
          {
            role: 'AppHdr/Fr',
            agent:
              'financialInstitution' in header.from ? header.from.financialInstitution : undefined,
          },
        ];
  switch (message.kind) {
    case 'pacs.008':
    case 'pacs.009':
    case 'pacs.004': {
      const agent = message.document.groupHeader.instructingAgent;
      return agent === undefined ? from : [...from, { role: 'GrpHdr/InstgAgt', agent }];
    }
    case 'camt.056': {
      const assigner = message.document.assignment.assigner;
      return [
        ...from,
        { role: 'Assgnmt/Assgnr', agent: 'agent' in assigner ? assigner.agent : undefined },
      ];
    }
    default:
      return from;
  }
}

export class IsoGateway {
  private readonly services: GatewayServices;
  private readonly stopMemory: () => void;

  constructor(
    readonly network: Network,
    private readonly options: GatewayOptions = {},
  ) {
    const { memory, stop } = MessageMemory.follow(network, options.messageIdsPerSender);
    this.stopMemory = stop;
    this.services = {
      network,
      directory: new AgentDirectory(network),
      memory,
      lookup: new PaymentLookup(network),
      cancellations: new CancellationDesk(network),
    };
    this.ready = Promise.all([memory.seed(network), this.services.lookup.seed(network)])
      .then(() => undefined);
  }

  /** Resolves once the message ids and the payment lookup hold what storage holds. */
  readonly ready: Promise<void>;

  get cancellations(): CancellationDesk {
    return this.services.cancellations;
  }

  /**
   * Receives one message from `senderId` (the authenticated participant) and answers it. The
   * payments it carries arrived at `options.receivedAt` (the network's clock), else now.
   */
  async receive(
    input: string | Uint8Array,
    senderId: string,
    options: Arrival = {},
  ): Promise<GatewayAnswer> {
    const receivedAt = options.receivedAt ?? this.network.clock();
    const sender = this.network.participant(senderId);
    if (sender === undefined) throw new Error(`receive: no participant ${senderId}`);
    const read = await readMessage(input, {
      schemaValidation: this.options.schemaValidation ?? 'validate',
    });
    if (!read.ok) {
      const failure = read.failure;
      const located =
        failure.stage === 'schema' || failure.stage === 'content' ? failure : undefined;
      return located === undefined || TAKEN.has(located.definition.kind)
        ? answerFailure(failure)
        : notTaken(located.definition.identifier, relatedReferenceOf(located.original));
    }
    const message = read.message;
    const mismatch = this.senderMismatch(message, sender);
    if (mismatch !== undefined) return mismatch;
    switch (message.kind) {
      case 'pacs.008':
        return receiveCreditTransfer(this.services, { message, sender, input, receivedAt });
      case 'pacs.009':
        return receiveCreditTransfer(this.services, { message, sender, input, receivedAt });
      case 'pacs.004':
        return receiveReturn(this.services, { message, sender, input, receivedAt });
      case 'camt.056':
        return receiveCancellation(this.services, {
          message,
          sender,
          input,
          receivedAt,
        } as Inbound<'camt.056'>);
      default:
        return notTaken(message.definition.identifier, referenceOf(message));
    }
  }

  private senderMismatch(message: ParsedMessage, sender: Participant): GatewayAnswer | undefined {
    for (const { role, agent } of claimedSenders(message)) {
      const resolved = this.services.directory.resolve(agent);
      if (resolved.ok && resolved.participant.id === sender.id) continue;
      const named = agent === undefined ? 'no agent' : describeAgent(agent);
      return messageReject(
        SENDER_MISMATCH,
        `${role} names ${named}, not the authenticated participant ${sender.id}.`,
        referenceOf(message),
        403,
      );
    }
    return undefined;
  }

  close(): void {
    this.stopMemory();
    this.services.lookup.close();
  }
}

/** The reference an admi.002 about a read message quotes (see relatedReferenceOf). */
function referenceOf(message: ParsedMessage): string {
  const document = message.document as {
    groupHeader?: { messageId?: string };
    assignment?: { identification?: string };
  };
  return relatedReferenceOf({
    messageNameId: message.definition.identifier,
    messageId: document.groupHeader?.messageId ?? document.assignment?.identification,
    businessMessageId: message.header?.businessMessageId,
  });
}
