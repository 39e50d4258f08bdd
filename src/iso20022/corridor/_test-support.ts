// Test support for the ISO 20022 gateway: a real server with the ISO routes and two extra
// participants known by BIC, XML over HTTP, pacs.008 builders, and readers of the answers.
// Not part of the build.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { iso20022Plugin } from '../../api/routes/iso20022.js';
import { createKeys } from '../../service/bootstrap.js';
import type { PartyScreener } from '../../service/service.js';
import { startTestServer, type TestServer } from '../../testing/server-fixtures.js';
import type { ParsedMessage } from '../inbound.js';
import { parseMessage } from '../inbound.js';
import type { CurrencyAmount, FinancialInstitution } from '../model.js';
import type { CustomerCreditTransferTransactionInput } from '../pacs008-write.js';
import { generateCustomerCreditTransfer } from '../pacs008-write.js';
import { closeSchemaValidator, validateMessage } from '../schema-validation.js';
import { readXml } from '../xml-reader.js';
import { serializeXml } from '../xml-writer.js';
import type { XmlElement } from '../xml-element.js';
import { CORRIDOR_CLEARING_SYSTEM } from './agents.js';
import { TWO_PHASE_INSTRUMENT } from './transfers.js';

/** Participants added to the test network, known by BIC (one 8-character, one 11). */
export const BIC_PARTICIPANTS = [
  { id: 'br-bic', bic: 'BANZBRSP', currency: 'BRL', issuer: 'bcb', country: 'BR' },
  { id: 'in-bic', bic: 'BANYININXXX', currency: 'INR', issuer: 'rbi', country: 'IN' },
] as const;

export interface XmlAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  readonly headers: Headers;
}

export interface IsoServer extends TestServer {
  post(
    as: string | undefined,
    body: string | Uint8Array,
    headers?: Record<string, string>,
  ): Promise<XmlAnswer>;
  get(as: string, path: string): Promise<XmlAnswer>;
}

/**
 * For a describe block: an ISO server started before its tests and closed after them, with
 * the schema validator's worker. The answer stands for the server (a view of it that is
 * valid from the block's first test on).
 */
export function isoServerPerSuite(options: { screener?: PartyScreener } = {}): IsoServer {
  let started: IsoServer | undefined;
  before(async () => {
    started = await startIsoServer(options);
  });
  after(async () => {
    await started?.close();
    await closeSchemaValidator();
  });
  return new Proxy({} as IsoServer, {
    get: (_target, property) => {
      if (started === undefined) throw new Error('the ISO server starts before the first test');
      return Reflect.get(started, property) as unknown;
    },
  });
}

export async function startIsoServer(
  options: { screener?: PartyScreener } = {},
): Promise<IsoServer> {
  const server = await startTestServer({ ...options, plugins: [iso20022Plugin()] });
  const network = server.network;
  for (const participant of BIC_PARTICIPANTS) {
    const added = await network.addParticipant('operator', {
      id: participant.id,
      name: `Bank ${participant.bic}`,
      kind: 'bank',
      country: participant.country,
      bic: participant.bic,
      currencies: [participant.currency],
    });
    assert.equal(added.code, 'ok', JSON.stringify(added));
    const issued = await network.issue(participant.issuer, {
      participantId: participant.id,
      currency: participant.currency,
      amount: 100_000_000n,
    });
    assert.equal(issued.code, 'ok', JSON.stringify(issued));
  }
  const added = await createKeys(
    network,
    BIC_PARTICIPANTS.map((participant) => participant.id),
  );
  const keys: Record<string, string> = { ...server.keys };
  for (const key of added) keys[key.participantId] = key.key;
  const send = async (
    as: string | undefined,
    method: string,
    path: string,
    body?: string | Uint8Array,
    headers: Record<string, string> = {},
  ): Promise<XmlAnswer> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/xml' }),
        ...(as === undefined ? {} : { authorization: `Bearer ${keys[as] ?? as}` }),
        ...headers,
      },
      ...(body === undefined ? {} : { body }),
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      text: await response.text(),
      headers: response.headers,
    };
  };
  return {
    ...server,
    keys,
    post: (as, body, headers) => send(as, 'POST', '/v1/iso20022/messages', body, headers),
    get: (as, path) => send(as, 'GET', path),
  };
}

/** A participant named by its Corridor member id. */
export function member(id: string): FinancialInstitution {
  return { clearingSystem: { proprietary: CORRIDOR_CLEARING_SYSTEM }, memberId: id };
}

let counter = 0;

/** A unique identifier for MsgId and EndToEndId. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

export interface TransferOptions {
  readonly from?: string | FinancialInstitution;
  readonly to?: string | FinancialInstitution;
  readonly amount?: CurrencyAmount;
  readonly endToEndId?: string;
  readonly uetr?: string;
  readonly quoteId?: string;
  readonly instructedAmount?: CurrencyAmount;
  readonly exchangeRate?: string;
  readonly twoPhase?: boolean;
  readonly debtorName?: string | null;
  readonly creditorName?: string;
  readonly instructingAgent?: string;
}

function agentOf(value: string | FinancialInstitution): FinancialInstitution {
  return typeof value === 'string' ? member(value) : value;
}

export function transaction(options: TransferOptions = {}): CustomerCreditTransferTransactionInput {
  return {
    endToEndId: options.endToEndId ?? unique('E2E'),
    ...(options.uetr === undefined ? {} : { uetr: options.uetr }),
    ...(options.twoPhase === true
      ? { paymentType: { localInstrument: { proprietary: TWO_PHASE_INSTRUMENT } } }
      : {}),
    interbankSettlementAmount: options.amount ?? { currency: 'BRL', value: 1_000n },
    ...(options.instructedAmount === undefined
      ? {}
      : { instructedAmount: options.instructedAmount }),
    ...(options.exchangeRate === undefined ? {} : { exchangeRate: options.exchangeRate }),
    chargeBearer: 'SLEV',
    ...(options.instructingAgent === undefined
      ? {}
      : { instructingAgent: member(options.instructingAgent) }),
    debtor:
      options.debtorName === null
        ? {}
        : { name: options.debtorName ?? 'Soja Exportadora Ltda', countryOfResidence: 'BR' },
    debtorAccount: { identification: { iban: 'BR1800000000000000000000001' } },
    debtorAgent: agentOf(options.from ?? 'br-bank'),
    creditorAgent: agentOf(options.to ?? 'br-other'),
    creditor: { name: options.creditorName ?? 'Cafe do Sul Ltda' },
    creditorAccount: { identification: { other: { identification: '0001234-5' } } },
    purpose: { code: 'GDDS' },
    remittanceInformation: { unstructured: ['Invoice 2026-0042'] },
    ...(options.quoteId === undefined ? {} : { corridorQuoteId: options.quoteId }),
  };
}

/** A pacs.008 (001.08 unless told) holding these transactions. */
export function creditTransfer(
  transactions: readonly CustomerCreditTransferTransactionInput[],
  options: { messageId?: string; instructingAgent?: string; version?: 8 | 10 | 11 | 12 | 13 } = {},
): string {
  const generated = generateCustomerCreditTransfer(
    {
      groupHeader: {
        messageId: options.messageId ?? unique('MSG'),
        creationDateTime: '2026-11-21T09:00:00Z',
        settlementInformation: { settlementMethod: 'CLRG' },
        ...(options.instructingAgent === undefined
          ? {}
          : { instructingAgent: member(options.instructingAgent) }),
      },
      transactions,
    },
    { version: options.version ?? 8 },
  );
  if (!generated.ok) assert.fail(JSON.stringify(generated.errors));
  return generated.message.xml;
}

export function parsed(xml: string): ParsedMessage {
  const result = parseMessage(xml);
  if (!result.ok) assert.fail(`unreadable answer: ${JSON.stringify(result.failure)}\n${xml}`);
  return result.message;
}

export interface StatusLine {
  readonly endToEndId?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly information?: string;
  readonly reference?: string;
}

/** The transaction statuses of a pacs.002 answer. */
export function statuses(xml: string): StatusLine[] {
  const message = parsed(xml);
  assert.equal(message.kind, 'pacs.002', xml);
  if (message.kind !== 'pacs.002') return [];
  return message.document.transactionStatuses.map((status) => {
    const reason = status.statusReasons?.[0];
    const code = reason?.reason;
    return {
      ...(status.originalEndToEndId === undefined ? {} : { endToEndId: status.originalEndToEndId }),
      ...(status.status === undefined ? {} : { status: status.status }),
      ...(code === undefined ? {} : { reason: 'code' in code ? code.code : code.proprietary }),
      ...(reason?.additionalInformation?.[0] === undefined
        ? {}
        : { information: reason.additionalInformation[0] }),
      ...(status.clearingSystemReference === undefined
        ? {}
        : { reference: status.clearingSystemReference }),
    };
  });
}

/** The group status and reason of a pacs.002 answer rejecting a whole message. */
export function groupStatus(xml: string): { status?: string; reason?: string } {
  const message = parsed(xml);
  assert.equal(message.kind, 'pacs.002', xml);
  if (message.kind !== 'pacs.002') return {};
  const group = message.document.originalGroupStatuses[0];
  const code = group?.statusReasons?.[0]?.reason;
  return {
    ...(group?.groupStatus === undefined ? {} : { status: group.groupStatus }),
    ...(code === undefined ? {} : { reason: 'code' in code ? code.code : code.proprietary }),
  };
}

/** The admi.002 reason of an answer. */
export function rejectReason(xml: string): string {
  const message = parsed(xml);
  assert.equal(message.kind, 'admi.002', xml);
  return message.kind === 'admi.002' ? message.document.rejectingPartyReason : '';
}

/** Every message Corridor sends must pass its XSD (admi.002 has none in the inputs). */
export async function assertValid(xml: string): Promise<void> {
  const result = await validateMessage(xml);
  if (!result.ok && result.code === 'schema_unavailable') return;
  assert.ok(result.ok, `${JSON.stringify(result)}\n${xml}`);
}

/** The BusinessMessages of a feed page, each as a standalone XML text. */
export function feedMessages(xml: string): string[] {
  const read = readXml(xml);
  if (!read.ok) assert.fail(`unreadable feed: ${read.error.message}`);
  return read.root.children.map((child: XmlElement) => serializeXml(child));
}
