// What the gateway's message handlers share: the network and its lookups, the message being
// handled with its authenticated sender, and the answer they give.
import type { Participant } from '../../service/domain.js';
import type { Network } from '../../service/service.js';
import type { GenerateResult } from '../generate-context.js';
import type { ParsedMessageOf } from '../inbound.js';
import type { MessageKind } from '../message-definition.js';
import { agentOf, type AgentDirectory } from './agents.js';
import type { CancellationDesk } from './cancellation-desk.js';
import type { MessageMemory } from './message-memory.js';
import { frame } from './outbound.js';
import type { PaymentLookup } from './payment-lookup.js';

export interface GatewayServices {
  readonly network: Network;
  readonly directory: AgentDirectory;
  readonly memory: MessageMemory;
  readonly lookup: PaymentLookup;
  readonly cancellations: CancellationDesk;
}

export interface Inbound<Kind extends MessageKind> {
  readonly message: ParsedMessageOf<Kind>;
  readonly sender: Participant;
  /** The message as received, for forwarding parts of it. */
  readonly input: string | Uint8Array;
  /** When the message arrived (the network's clock): when the payments it carries arrived. */
  readonly receivedAt?: number;
}

export type AnswerKind = 'pacs.002' | 'camt.029' | 'admi.002';

/** The gateway's answer: an ISO message and the HTTP status it travels with. */
export interface GatewayAnswer {
  readonly httpStatus: number;
  /** 'none' when Corridor could not answer (its validator failed): retry later. */
  readonly kind: AnswerKind | 'none';
  /** The answer message, with an AppHdr when the message came with one; '' for 'none'. */
  readonly xml: string;
  /** Why, for a refused message. */
  readonly description?: string;
}

/** Frames a generated answer for the sender, mirroring whether the message had an AppHdr. */
export function reply(
  services: GatewayServices,
  inbound: Inbound<MessageKind>,
  kind: AnswerKind,
  generated: GenerateResult,
  httpStatus = 200,
): GatewayAnswer {
  const header = inbound.message.header;
  const xml = frame(
    services.network,
    generated,
    header === undefined ? undefined : { to: agentOf(inbound.sender), related: header },
  );
  return { httpStatus, kind, xml };
}
