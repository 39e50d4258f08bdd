// corridor iso …: send ISO 20022 messages and fetch statements and the feed in XML, through the
// node's ISO 20022 routes, with the same API key as the other client commands.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { ParsedMessage } from '../iso20022/inbound.js';
import { currencyCode, nodeUrl, send, unreachable } from './client.js';
import { CliError, EXIT } from './output.js';

interface IsoFlags {
  url?: string;
  key?: string;
  json?: boolean;
}

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

async function call(flags: IsoFlags, method: string, path: string, body?: Buffer): Promise<Answer> {
  const url = nodeUrl(flags.url);
  const key = flags.key ?? process.env['CORRIDOR_API_KEY'];
  if (key === undefined)
    throw new CliError('An API key is needed: pass --key or set CORRIDOR_API_KEY.');
  let answer: Answer;
  try {
    answer = await send(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/xml' }),
      },
      ...(body === undefined ? {} : { body }),
      timeoutMs: 60_000,
    });
  } catch (error) {
    throw unreachable(url, error);
  }
  if (!answer.contentType.includes('xml')) {
    let error: { code?: string; message?: string } | undefined;
    try {
      error = (JSON.parse(answer.text) as { error?: typeof error }).error;
    } catch {
      error = undefined;
    }
    throw new CliError(
      `${answer.status} ${error?.code ?? 'error'}: ${error?.message ?? answer.text}`,
      answer.status >= 500 ? EXIT.unavailable : EXIT.refused,
    );
  }
  return answer;
}

/** The statuses an answer carries, for --json (the XML library loads only when asked). */
export async function summarize(xml: string): Promise<Record<string, unknown>> {
  const { parseMessage } = await import('../iso20022/inbound.js');
  const parsed = parseMessage(xml);
  if (!parsed.ok) return { kind: 'unreadable', problem: parsed.failure.message };
  const message: ParsedMessage = parsed.message;
  switch (message.kind) {
    case 'pacs.002': {
      const document = message.document;
      const reasonOf = (
        reasons: readonly { reason?: { code: string } | { proprietary: string } }[] | undefined,
      ) => {
        const reason = reasons?.[0]?.reason;
        return reason === undefined
          ? undefined
          : 'code' in reason
            ? reason.code
            : reason.proprietary;
      };
      return {
        kind: 'pacs.002',
        groups: document.originalGroupStatuses.map((group) => ({
          originalMessageId: group.original.messageId,
          originalMessageNameId: group.original.messageNameId,
          groupStatus: group.groupStatus,
          reason: reasonOf(group.statusReasons),
        })),
        transactions: document.transactionStatuses.map((status) => ({
          endToEndId: status.originalEndToEndId,
          uetr: status.originalUetr,
          status: status.status,
          reason: reasonOf(status.statusReasons),
          reference: status.clearingSystemReference,
        })),
      };
    }
    case 'camt.029':
      return {
        kind: 'camt.029',
        status: message.document.status,
        transactions: message.document.cancellationDetails.flatMap((details) =>
          details.transactions.map((status) => ({
            endToEndId: status.originalEndToEndId,
            uetr: status.originalUetr,
            status: status.transactionCancellationStatus,
            reason: status.cancellationStatusReasons?.[0]?.reason,
          })),
        ),
      };
    case 'admi.002':
      return {
        kind: 'admi.002',
        reason: message.document.rejectingPartyReason,
        description: message.document.reasonDescription,
        reference: message.document.relatedReference,
      };
    default:
      return { kind: message.kind };
  }
}

async function print(answer: Answer, flags: IsoFlags, summary: boolean): Promise<void> {
  process.stdout.write(
    summary && flags.json === true
      ? `${JSON.stringify({ httpStatus: answer.status, ...(await summarize(answer.text)) }, null, 2)}\n`
      : answer.text.endsWith('\n')
        ? answer.text
        : `${answer.text}\n`,
  );
  // An XML refusal (admi.002, or a sender that is not you) is still a refusal.
  if (answer.status >= 400)
    process.exitCode = answer.status >= 500 ? EXIT.unavailable : EXIT.refused;
}

function withClient(command: Command): Command {
  return command
    .option('--url <url>', 'node URL (env CORRIDOR_URL)')
    .option('--key <key>', 'API key (env CORRIDOR_API_KEY)');
}

export function registerIsoCommands(program: Command): void {
  const iso = program
    .command('iso')
    .description('ISO 20022: send messages, read statements and the feed');
  withClient(
    iso
      .command('submit <file>')
      .description('send a pacs.008, pacs.009, pacs.004 or camt.056; print the answer'),
  )
    .option('--json', 'print a summary of the statuses instead of the XML')
    .action(async (file: string, flags: IsoFlags) => {
      let body: Buffer;
      try {
        body = readFileSync(file);
      } catch (error) {
        throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
      }
      await print(await call(flags, 'POST', '/v1/iso20022/messages', body), flags, true);
    });
  withClient(iso.command('statement').description('an end-of-day statement (camt.053)'))
    .requiredOption('--participant <id>')
    .requiredOption('--currency <code>')
    .requiredOption('--date <YYYY-MM-DD>', 'the UTC day')
    .option('--page <n>', 'page of 1,000 entries')
    .action(
      async (
        flags: IsoFlags & { participant: string; currency: string; date: string; page?: string },
      ) => {
        const query = new URLSearchParams({
          participant: flags.participant,
          currency: currencyCode(flags.currency),
          date: flags.date,
          ...(flags.page === undefined ? {} : { page: flags.page }),
        });
        await print(await call(flags, 'GET', `/v1/iso20022/statements?${query}`), flags, false);
      },
    );
  withClient(iso.command('events').description('your outgoing ISO 20022 messages after a cursor'))
    .option('--cursor <n>', 'the cursor of the previous page', '0')
    .option('--limit <n>', 'events per page', '50')
    .action(async (flags: IsoFlags & { cursor: string; limit: string }) => {
      const query = new URLSearchParams({ cursor: flags.cursor, limit: flags.limit });
      await print(await call(flags, 'GET', `/v1/iso20022/events?${query}`), flags, false);
    });
}
