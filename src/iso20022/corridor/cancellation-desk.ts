// Cancellation requests passed on to creditor agents. Corridor cannot cancel a payment that
// waits for its creditor agent (two-phase ACSP): the creditor agent decides, by rejecting it
// (reason FOCR) or accepting it. Until then the request is open here,
// as a camt.056 from Corridor to the creditor agent (GET /v1/iso20022/cancellation-requests).
// Open requests live in memory: after a restart the debtor agent's PDCR stands and the payment
// resolves as every pending payment does (accept, reject or timeout).
import { createHash } from 'node:crypto';
import type { Network } from '../../service/service.js';
import type { Payment } from '../../service/domain.js';
import type { GeneratedMessage } from '../generate-context.js';
import { definitionOf, type MessageDefinition } from '../message-definition.js';
import type { FinancialInstitution } from '../model.js';
import { createElement, type XmlElement } from '../xml-element.js';
import { serializeXml } from '../xml-writer.js';
import { agentOfId, corridorAgent } from './agents.js';
import { envelope, isoDateTime } from './outbound.js';

/** Open requests kept; the oldest is dropped when a new one would exceed it. */
export const OPEN_CANCELLATION_REQUESTS_MAX = 10_000;

export interface OpenCancellation {
  readonly paymentId: string;
  readonly creditorAgent: string;
  readonly receivedAt: number;
  /** The forwarded camt.056, framed with an AppHdr from Corridor to the creditor agent. */
  readonly message: XmlElement;
}

const PENDING: ReadonlySet<Payment['status']> = new Set(['ACTC', 'ACSP']);

function agentElement(namespace: string, name: string, agent: FinancialInstitution): XmlElement {
  const element = (child: string, children: XmlElement[] = [], text = '') =>
    createElement(namespace, child, children, text);
  const identification: XmlElement[] = [];
  if (agent.bic !== undefined) identification.push(element('BICFI', [], agent.bic));
  if (agent.memberId !== undefined) {
    const system = agent.clearingSystem;
    identification.push(
      element('ClrSysMmbId', [
        ...(system === undefined
          ? []
          : [
              element('ClrSysId', [
                'code' in system
                  ? element('Cd', [], system.code)
                  : element('Prtry', [], system.proprietary),
              ]),
            ]),
        element('MmbId', [], agent.memberId),
      ]),
    );
  }
  return element(name, [element('Agt', [element('FinInstnId', identification)])]);
}

export class CancellationDesk {
  private readonly open = new Map<string, OpenCancellation>();

  constructor(private readonly network: Network) {}

  /**
   * Passes one transaction of a camt.056 on: a camt.056 from Corridor to the creditor agent
   * holding that transaction as received (and the request's case, if any).
   */
  forward(
    payment: Payment,
    transaction: XmlElement,
    requestCase: XmlElement | undefined,
    requestId: string,
  ): void {
    const definition = definitionOf('camt.056', 8) as MessageDefinition;
    const namespace = definition.namespace;
    const now = Date.now();
    const id = `FWD${createHash('sha256').update(`${requestId}\n${payment.id}`).digest('hex').slice(0, 28)}`;
    const element = (name: string, children: XmlElement[] = [], text = '') =>
      createElement(namespace, name, children, text);
    const to = agentOfId(this.network, payment.creditorAgent);
    const document = element('Document', [
      element('FIToFIPmtCxlReq', [
        element('Assgnmt', [
          element('Id', [], id),
          agentElement(namespace, 'Assgnr', corridorAgent(this.network)),
          agentElement(namespace, 'Assgne', to),
          element('CreDtTm', [], isoDateTime(now)),
        ]),
        ...(requestCase === undefined ? [] : [requestCase]),
        element('Undrlyg', [transaction]),
      ]),
    ]);
    const message: GeneratedMessage = { definition, document, xml: serializeXml(document) };
    if (this.open.size >= OPEN_CANCELLATION_REQUESTS_MAX && !this.open.has(payment.id)) {
      const oldest = this.open.keys().next().value;
      if (oldest !== undefined) this.open.delete(oldest);
    }
    this.open.set(payment.id, {
      paymentId: payment.id,
      creditorAgent: payment.creditorAgent,
      receivedAt: now,
      message: envelope(this.network, message, to, undefined, id, isoDateTime(now)).element,
    });
  }

  /** The open requests for a creditor agent (all of them for the operator), oldest first. */
  openFor(participantId: string, operator: boolean): OpenCancellation[] {
    const found: OpenCancellation[] = [];
    for (const [paymentId, request] of this.open) {
      // A payment still pending is live in the engine; one it no longer holds is finished.
      const payment = this.network.livePayment(paymentId);
      if (payment === undefined || !PENDING.has(payment.status)) {
        this.open.delete(paymentId);
        continue;
      }
      if (operator || request.creditorAgent === participantId) found.push(request);
    }
    return found;
  }
}
