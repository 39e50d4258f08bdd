// corridor send: quote, show every cost and the rate, confirm, pay, in one command, so that a
// cross-border payment never needs a quote id copied out of a table within its 60 s.
import type { Command } from 'commander';
import { ApiClient, currencyCode } from './client.js';
import { CliError, EXIT, printRecord, recordText } from './output.js';

type Row = Record<string, unknown>;

interface Money {
  readonly amount: string;
  readonly currency: string;
}

interface Fee extends Money {
  readonly kind: string;
  readonly payee: string;
}

interface QuoteView {
  readonly id: string;
  readonly fxProvider: string;
  readonly sourceCurrency: string;
  readonly targetCurrency: string;
  readonly rate: string;
  readonly midRate: string;
  readonly spreadBps: number;
  readonly sendAmount: Money;
  readonly creditAmount: Money;
  readonly debitAmount: Money;
  readonly fees: readonly Fee[];
  readonly expiresAt: string;
  /** Through a third currency: each hop (docs/payments.md). */
  readonly route?: readonly {
    readonly fxProvider: string;
    readonly rate: string;
    readonly sendAmount: Money;
    readonly creditAmount: Money;
    readonly fee: Money;
  }[];
}

interface Participant {
  readonly id: string;
  readonly name: string;
  readonly country: string;
  readonly currencies: readonly string[];
}

export interface SendFlags {
  url?: string;
  key?: string;
  json?: boolean;
  to: string;
  amount: string;
  from: string;
  toCurrency?: string;
  receive?: boolean;
  debtor?: string;
  creditor?: string;
  purpose?: string;
  remittance?: string;
  endToEndId?: string;
  yes?: boolean;
}

const money = (value: Money): string => `${value.amount} ${value.currency}`;

function feeText(fee: Fee): string {
  return `${fee.amount} ${fee.currency} ${fee.kind} fee (to ${fee.payee})`;
}

/** What a payment did, one field a line: the figures first, the identifiers after. */
export function paymentSummary(payment: Row): Row {
  const legs = (payment['legs'] as Row[] | undefined) ?? [];
  const events = (payment['events'] as Row[] | undefined) ?? [];
  return {
    id: payment['id'],
    status: payment['status'],
    reason: payment['reason'],
    detail: payment['detail'],
    from: `${String(payment['debtorAgent'])} for ${partyName(payment['debtor'])}`,
    to: `${String(payment['creditorAgent'])} for ${partyName(payment['creditor'])}`,
    debited: payment['debitAmount'],
    sent: payment['sendAmount'],
    credited: payment['creditAmount'],
    rate: payment['rate'],
    fxProvider: payment['fxProvider'],
    fees: ((payment['fees'] as Fee[] | undefined) ?? []).map(feeText),
    quoteId: payment['quoteId'],
    endToEndId: payment['endToEndId'],
    uetr: payment['uetr'],
    legs: legs.map((leg) => ({
      role: leg['role'],
      from: leg['debitAccountId'],
      to: leg['creditAccountId'],
      amount: leg['amount'],
      currency: leg['currency'],
    })),
    events: events.map((event) => ({
      at: event['at'],
      status: event['status'],
      reason: event['reason'],
    })),
  };
}

function partyName(party: unknown): string {
  return typeof party === 'object' && party !== null
    ? String((party as { name?: unknown }).name ?? '')
    : '';
}

/** The quote as a person reads it before saying yes: every amount, fee, the rate and expiry. */
export function quoteSummary(quote: QuoteView, creditor: Participant, now: number): Row {
  const seconds = Math.max(0, Math.round((Date.parse(quote.expiresAt) - now) / 1000));
  return {
    to: `${creditor.id} (${creditor.name}, ${creditor.country})`,
    'you send': money(quote.sendAmount),
    fees: quote.fees.length === 0 ? '(none)' : quote.fees.map(feeText),
    'debited from you': money(quote.debitAmount),
    rate:
      `1 ${quote.sourceCurrency} = ${quote.rate} ${quote.targetCurrency} ` +
      `(mid ${quote.midRate}, spread ${quote.spreadBps} bp, by ${quote.fxProvider})`,
    ...(quote.route === undefined
      ? {}
      : {
          route: quote.route.map(
            (hop) =>
              `${money(hop.sendAmount)} → ${money(hop.creditAmount)} at ${hop.rate} ` +
              `by ${hop.fxProvider} (fee ${hop.fee.amount} ${hop.fee.currency})`,
          ),
        }),
    'credited to them': money(quote.creditAmount),
    quote: quote.id,
    'firm until': `${quote.expiresAt} (${seconds} s from now)`,
  };
}

/** The currency the creditor agent settles in, from --to-currency or its only account. */
function targetCurrencyOf(creditor: Participant, flags: SendFlags, source: string): string {
  if (flags.toCurrency !== undefined) return currencyCode(flags.toCurrency);
  if (creditor.currencies.length === 1) return creditor.currencies[0] as string;
  if (creditor.currencies.includes(source)) return source;
  throw new CliError(
    `${creditor.id} settles ${creditor.currencies.join(', ')}: say which with --to-currency.`,
  );
}

/** Asking needs a terminal: without one (a script, a pipe) only --yes sends. */
function refuseWithoutConfirmation(flags: SendFlags): void {
  if (flags.yes !== true && process.stdin.isTTY !== true) {
    throw new CliError(
      'Nothing was sent: there is no terminal to confirm on. Pass --yes to send without asking.',
    );
  }
}

async function confirmed(flags: SendFlags): Promise<boolean> {
  if (flags.yes === true) return true;
  const { createInterface } = await import('node:readline/promises');
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question('Send this payment? [y/N] ');
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}

async function directory(client: ApiClient, to: string): Promise<[Participant, Participant]> {
  const [status, listed] = await Promise.all([
    client.request<{ you?: { id: string } }>('GET', '/v1/status'),
    client.request<{ participants: Participant[] }>('GET', '/v1/participants'),
  ]);
  const creditor = listed.participants.find((participant) => participant.id === to);
  if (creditor === undefined)
    throw new CliError(`No participant ${to}: "corridor participants" lists them.`, EXIT.refused);
  const debtor = listed.participants.find((participant) => participant.id === status.you?.id);
  if (debtor === undefined) throw new CliError('This key belongs to no participant.', EXIT.refused);
  return [debtor, creditor];
}

async function send(flags: SendFlags): Promise<void> {
  refuseWithoutConfirmation(flags);
  const client = new ApiClient(flags);
  const source = currencyCode(flags.from);
  const [debtor, creditor] = await directory(client, flags.to);
  const target = targetCurrencyOf(creditor, flags, source);
  const payment = {
    creditorAgent: creditor.id,
    // A payment between the agents themselves unless the parties are named.
    debtor: { name: flags.debtor ?? debtor.name },
    creditor: { name: flags.creditor ?? creditor.name },
    mode: 'instant',
    endToEndId: flags.endToEndId ?? `CLI-${Date.now().toString(36)}`,
    ...(flags.purpose === undefined ? {} : { purpose: flags.purpose }),
    ...(flags.remittance === undefined ? {} : { remittanceInformation: flags.remittance }),
  };
  let quote: QuoteView | undefined;
  if (target === source) {
    if (flags.json !== true)
      process.stdout.write(
        recordText({ to: `${creditor.id} (${creditor.name})`, 'you send': `${flags.amount} ${source}`,
          fx: 'none: both agents settle in this currency' }),
      );
  } else {
    quote = await client.request<QuoteView>('POST', '/v1/quotes', {
      sourceCurrency: source,
      targetCurrency: target,
      fixed: flags.receive === true ? 'receive' : 'send',
      amount: flags.amount,
    });
    if (flags.json !== true)
      process.stdout.write(recordText(quoteSummary(quote, creditor, Date.now())));
  }
  if (!(await confirmed(flags))) {
    process.stdout.write('Not sent.\n');
    return;
  }
  const body = quote === undefined
    ? { ...payment, currency: source, amount: flags.amount }
    : { ...payment, quoteId: quote.id };
  const paid = await client.request('POST', '/v1/payments', body).catch((error: unknown) => {
    if (error instanceof CliError && error.message.startsWith('quote_expired'))
      throw new CliError(
        'Nothing was sent: the quote expired first. Run the command again.',
        error.exitCode,
      );
    throw error;
  });
  if (flags.json === true) {
    printRecord({ ...(quote === undefined ? {} : { quote }), payment: paid }, { json: true });
    return;
  }
  process.stdout.write('\n');
  printRecord(paymentSummary(paid), {});
}

export function registerSendCommand(program: Command): void {
  program
    .command('send')
    .description('quote, show every cost and the rate, confirm, and pay')
    .requiredOption('--to <creditorAgent>', 'the participant to pay, e.g. in-deccan')
    .requiredOption('--amount <decimal>', 'what you send (with --receive: what they receive)')
    .requiredOption('--from <currency>', 'the currency you pay in, e.g. BRL')
    .option('--to-currency <currency>', 'when the creditor agent settles in several')
    .option('--receive', 'the amount is what the creditor receives')
    .option('--debtor <name>', 'the paying party (default: your institution)')
    .option('--creditor <name>', 'the party paid (default: the creditor agent)')
    .option('--purpose <code>')
    .option('--remittance <text>')
    .option('--end-to-end-id <id>')
    .option('-y, --yes', 'send without asking (needed without a terminal)')
    .option('--url <url>', 'node URL (env CORRIDOR_URL)')
    .option('--key <key>', 'API key (env CORRIDOR_API_KEY)')
    .option('--json', 'print the quote and the payment as JSON')
    .action(send);
}
