// Commands that talk to a running node over its API, as the participant whose key is given.
import type { Command } from 'commander';
import { ApiClient, currencyCode } from './client.js';
import { printRecord, printTable } from './output.js';
import { paymentSummary, registerSendCommand } from './send-command.js';

interface ClientFlags {
  url?: string;
  key?: string;
  json?: boolean;
}

type Row = Record<string, unknown>;

function client(flags: ClientFlags): ApiClient {
  return new ApiClient({
    ...(flags.url === undefined ? {} : { url: flags.url }),
    ...(flags.key === undefined ? {} : { key: flags.key }),
  });
}

function withClient(command: Command): Command {
  return command
    .option('--url <url>', 'node URL (env CORRIDOR_URL)', undefined)
    .option('--key <key>', 'API key (env CORRIDOR_API_KEY)')
    .option('--json', 'print JSON');
}

const output = (flags: ClientFlags) => (flags.json === true ? { json: true } : {});

function participantCommands(program: Command): void {
  withClient(program.command('participants').description('list the network directory')).action(
    async (flags: ClientFlags) => {
      const body = await client(flags).request<{ participants: Row[] }>('GET', '/v1/participants');
      printTable(
        body.participants,
        ['id', 'name', 'kind', 'country', 'currencies', 'status'],
        output(flags),
      );
    },
  );

  const keys = program.command('keys').description('manage API keys');
  withClient(keys.command('list').description('list your keys (the operator sees all)')).action(
    async (flags: ClientFlags) => {
      const body = await client(flags).request<{ keys: Row[] }>('GET', '/v1/keys');
      printTable(
        body.keys,
        ['keyId', 'participantId', 'label', 'createdAt', 'revokedAt'],
        output(flags),
      );
    },
  );
  withClient(
    keys
      .command('create')
      .description('create a key (rotation; the operator may name a participant)'),
  )
    .option('--participant <id>', 'the participant the key is for')
    .option('--label <label>', 'a label')
    .action(async (flags: ClientFlags & { participant?: string; label?: string }) => {
      const body = await client(flags).request('POST', '/v1/keys', {
        ...(flags.participant === undefined ? {} : { participantId: flags.participant }),
        ...(flags.label === undefined ? {} : { label: flags.label }),
      });
      printRecord(body, output(flags));
    });
  withClient(keys.command('revoke <keyId>').description('revoke a key')).action(
    async (keyId: string, flags: ClientFlags) => {
      printRecord(
        await client(flags).request('DELETE', `/v1/keys/${encodeURIComponent(keyId)}`),
        output(flags),
      );
    },
  );
}

function issueAndQuoteCommands(program: Command): void {
  withClient(
    program
      .command('issue')
      .description('issue settlement money to a participant (issuing central bank)'),
  )
    .requiredOption('--to <participant>')
    .requiredOption('--currency <code>')
    .requiredOption('--amount <decimal>')
    .option('--redeem', 'redeem instead of issue')
    .action(
      async (
        flags: ClientFlags & { to: string; currency: string; amount: string; redeem?: boolean },
      ) => {
        const body = await client(flags).request(
          'POST',
          flags.redeem === true ? '/v1/redemptions' : '/v1/issuances',
          { participantId: flags.to, currency: currencyCode(flags.currency), amount: flags.amount },
        );
        printRecord(body, output(flags));
      },
    );

  withClient(program.command('quote').description('ask for a firm FX quote'))
    .requiredOption('--from <currency>')
    .requiredOption('--to <currency>')
    .requiredOption('--amount <decimal>')
    .option('--receive', 'the amount is what the creditor receives (default: what you send)')
    .action(
      async (
        flags: ClientFlags & { from: string; to: string; amount: string; receive?: boolean },
      ) => {
        const body = await client(flags).request('POST', '/v1/quotes', {
          sourceCurrency: currencyCode(flags.from),
          targetCurrency: currencyCode(flags.to),
          fixed: flags.receive === true ? 'receive' : 'send',
          amount: flags.amount,
        });
        printRecord(body, output(flags));
        if (flags.json !== true) {
          process.stdout.write(
            `\nPay it before it expires: corridor pay --quote ${String(body['id'])} --to AGENT ` +
              '--debtor NAME --creditor NAME\n(or quote and pay in one step: corridor send).\n',
          );
        }
      },
    );

}

function payCommand(program: Command): void {
  withClient(
    program.command('pay').description('send a payment (cross-border with --quote, or domestic)'),
  )
    .requiredOption('--to <creditorAgent>')
    .requiredOption('--debtor <name>')
    .requiredOption('--creditor <name>')
    .option('--quote <quoteId>')
    .option('--amount <decimal>')
    .option('--currency <code>')
    .option('--two-phase', 'reserve and wait for the creditor agent')
    .option('--purpose <code>')
    .option('--remittance <text>')
    .option('--end-to-end-id <id>')
    .option('--urgent', 'urgent priority if it has to wait in the settlement queue')
    .option('--latest <time>', 'ISO 8601 time by which it must settle if it waits in the queue')
    .action(
      async (
        flags: ClientFlags & {
          urgent?: boolean;
          latest?: string;
          to: string;
          debtor: string;
          creditor: string;
          quote?: string;
          amount?: string;
          currency?: string;
          twoPhase?: boolean;
          purpose?: string;
          remittance?: string;
          endToEndId?: string;
        },
      ) => {
        const body = await client(flags).request('POST', '/v1/payments', {
          creditorAgent: flags.to,
          debtor: { name: flags.debtor },
          creditor: { name: flags.creditor },
          mode: flags.twoPhase === true ? 'two_phase' : 'instant',
          endToEndId: flags.endToEndId ?? `CLI-${Date.now().toString(36)}`,
          ...(flags.quote === undefined ? {} : { quoteId: flags.quote }),
          ...(flags.amount === undefined ? {} : { amount: flags.amount }),
          ...(flags.currency === undefined ? {} : { currency: currencyCode(flags.currency) }),
          ...(flags.purpose === undefined ? {} : { purpose: flags.purpose }),
          ...(flags.remittance === undefined ? {} : { remittanceInformation: flags.remittance }),
          ...(flags.urgent === true ? { priority: 'urgent' } : {}),
          ...(flags.latest === undefined ? {} : { latestSettlementTime: flags.latest }),
        });
        printRecord(flags.json === true ? body : paymentSummary(body), output(flags));
      },
    );
}

function moneyCommands(program: Command): void {
  issueAndQuoteCommands(program);
  payCommand(program);
  registerSendCommand(program);
}

function paymentListCommand(program: Command): void {
  withClient(program.command('payments').description('list payments, newest first'))
    .option('--status <status>')
    .option('--currency <code>')
    .option('--limit <n>', 'page size', '20')
    .option('--cursor <cursor>')
    .action(
      async (
        flags: ClientFlags & { status?: string; currency?: string; limit: string; cursor?: string },
      ) => {
        const query = new URLSearchParams({
          limit: flags.limit,
          ...(flags.status === undefined ? {} : { status: flags.status }),
          ...(flags.currency === undefined ? {} : { currency: currencyCode(flags.currency) }),
          ...(flags.cursor === undefined ? {} : { cursor: flags.cursor }),
        });
        const body = await client(flags).request<{ payments: Row[]; next: string | null }>(
          'GET',
          `/v1/payments?${query}`,
        );
        printTable(
          body.payments,
          [
            'id',
            'status',
            'reason',
            'debtorAgent',
            'creditorAgent',
            'debitAmount',
            'creditAmount',
            'createdAt',
          ],
          output(flags),
        );
        if (flags.json !== true && body.next !== null)
          process.stdout.write(`next page: --cursor ${body.next}\n`);
      },
    );

}

function statusAndStatementCommands(program: Command): void {
  withClient(program.command('status').description('network status')).action(
    async (flags: ClientFlags) => {
      printRecord(await client(flags).request('GET', '/v1/status'), output(flags));
    },
  );

  withClient(program.command('statement').description('an account statement'))
    .requiredOption('--participant <id>')
    .requiredOption('--currency <code>')
    .option('--limit <n>', 'page size', '50')
    .option('--cursor <cursor>')
    .action(
      async (
        flags: ClientFlags & {
          participant: string;
          currency: string;
          limit: string;
          cursor?: string;
        },
      ) => {
        const query = new URLSearchParams({
          limit: flags.limit,
          ...(flags.cursor === undefined ? {} : { cursor: flags.cursor }),
        });
        const body = await client(flags).request<{
          balance: Row;
          transfers: Row[];
          next: string | null;
        }>(
          'GET',
          `/v1/participants/${encodeURIComponent(flags.participant)}/accounts/` +
            `${encodeURIComponent(currencyCode(flags.currency))}/statement?${query}`,
        );
        if (flags.json === true) {
          printRecord(body, output(flags));
          return;
        }
        printRecord(body.balance, {});
        process.stdout.write('\n');
        // One currency per statement: the amount is signed instead of a direction and a
        // currency column, and the time drops its milliseconds.
        printTable(
          body.transfers.map((transfer) => ({
            sequence: transfer['sequence'],
            time: String(transfer['timestamp']).replace(/\.\d{3}Z$/, 'Z'),
            amount: `${transfer['direction'] === 'debit' ? '-' : '+'}${String(transfer['amount'])}`,
            kind: transfer['kind'],
            reference: transfer['reference'],
          })),
          ['sequence', 'time', 'amount', 'kind', 'reference'],
          {},
        );
        if (body.next !== null) process.stdout.write(`next page: --cursor ${body.next}\n`);
      },
    );
}

function readCommands(program: Command): void {
  paymentListCommand(program);
  statusAndStatementCommands(program);
}

interface QueueBody {
  payments: { position: number; payment: Row }[];
  depth: Row[];
}

/** corridor queue list|cancel|priority, and corridor liquidity (docs/liquidity.md). */
function queueCommands(program: Command): void {
  const queue = program.command('queue').description('the settlement queue (docs/liquidity.md)');
  withClient(queue.command('list').description('your queued payments in order; depth per currency'))
    .action(async (flags: ClientFlags) => {
      const body = await client(flags).request<QueueBody>('GET', '/v1/queue');
      if (flags.json === true) {
        printRecord(body, output(flags));
        return;
      }
      printTable(body.payments.map(({ position, payment }) => ({ position, ...payment })),
        ['position', 'id', 'priority', 'detail', 'creditorAgent', 'debitAmount',
          'latestSettlementTime'], output(flags));
      if (body.depth.length > 0) printTable(body.depth, ['currency', 'count', 'value'], output(flags));
    });
  withClient(queue.command('cancel <paymentId>').description('cancel your queued payment'))
    .action(async (paymentId: string, flags: ClientFlags) => {
      const body = await client(flags).request<Row>('POST',
        `/v1/queue/${encodeURIComponent(paymentId)}/cancel`);
      printRecord(flags.json === true ? body : paymentSummary(body), output(flags));
    });
  withClient(queue.command('priority <paymentId> <priority>')
    .description('set your queued payment urgent or normal'))
    .action(async (paymentId: string, priority: string, flags: ClientFlags) => {
      const body = await client(flags).request<Row>('POST',
        `/v1/queue/${encodeURIComponent(paymentId)}/priority`, { priority });
      printRecord(flags.json === true ? body : paymentSummary(body), output(flags));
    });
  withClient(program.command('liquidity').description("the day's liquidity figures"))
    .action(async (flags: ClientFlags) => {
      const body = await client(flags).request<{ currencies: Row[]; participants: Row[] }>(
        'GET', '/v1/liquidity');
      const columns = ['currency', 'participant', 'peakLiquidityUsed', 'upperBound', 'lowerBound',
        'offsetValue', 'queuedCount', 'queueTimeP50Ms', 'queueTimeP99Ms'];
      if (flags.json === true) printRecord(body, output(flags));
      else printTable([...body.currencies, ...body.participants], columns, output(flags));
    });
}

export function registerClientCommands(program: Command): void {
  participantCommands(program);
  moneyCommands(program);
  readCommands(program);
  queueCommands(program);
}
