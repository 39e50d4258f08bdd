// The network engine: the pure, deterministic state machine of the whole network. It owns the
// ledger engine, and turns network commands (participants, rates, quotes, payments) into
// ledger transfers within the same batch. Its journal records network commands; replaying
// them rebuilds everything, ledger included.
import { LedgerEngine } from '../ledger/engine.js';
import { newFigures, updateFigures } from './liquidity/figures.js';
import { queueCommand } from './liquidity/commands.js';
import { newQueue, runQueue } from './liquidity/queue.js';
import { InvariantError } from '../ledger/invariants.js';
import {
  acceptPayment,
  expirePayments,
  rejectPayment,
  reviewPayment,
} from './payments/lifecycle.js';
import { pruneUetrs, type IdScheme } from './payments/ids.js';
import { prunePayments, returnWindowMs } from './payments/retention.js';
import { returnPayment } from './payments/returns.js';
import { createPayment } from './payments/settlement.js';
import {
  addParticipant,
  configure,
  grantCredit,
  issueOrRedeem,
  setCurrencyRules,
  setParticipantStatus,
} from './admin.js';
import type { NetworkCommand, NetworkResult } from './commands.js';
import { drawFacility, repayFacility, rollFacilities, setFacility } from './facilities.js';
import {
  drawSwapLine,
  lendSwapFunds,
  repaySwapFunds,
  repaySwapLine,
  setSwapLine,
} from './swap-lines.js';
import { createApiKey, revokeApiKey } from './keys.js';
import { DEFAULT_SETTINGS, issuanceAccountId } from './model.js';
import { createQuote, publishRate, pruneQuotes } from './quoting.js';
import { BatchContext, refuse, type NetworkState } from './state.js';

export interface NetworkBatch {
  readonly now: number;
  readonly results: NetworkResult[];
  /** Commands that changed state: what the journal records. */
  readonly applied: NetworkCommand[];
  readonly context: BatchContext;
}

export class NetworkEngine {
  readonly state: NetworkState = {
    configured: false,
    settings: DEFAULT_SETTINGS,
    currencies: new Map(),
    participants: new Map(),
    rates: new Map(),
    quotes: new Map(),
    payments: new Map(),
    paymentRequests: new Map(),
    finished: new Map(),
    settled: new Map(),
    endToEndIds: new Map(),
    uetrs: new Map(),
    outflows: new Map(),
    apiKeys: new Map(),
    facilities: new Map(),
    ledger: new LedgerEngine(),
    queue: newQueue(),
    liquidity: newFigures(),
  };

  get ledger(): LedgerEngine {
    return this.state.ledger;
  }

  /**
   * @param ids "global" only to replay a journal entry written before ids were scoped
   * (decodeNetworkEntry says which); live batches are always "scoped".
   */
  apply(commands: readonly NetworkCommand[], now: number, ids: IdScheme = 'scoped'): NetworkBatch {
    const context = new BatchContext(now, this.state.ledger, ids);
    // The ledger forgets finished transfers after the return window: a leg is never recorded
    // after its payment finished, so its id leaves memory no later than the payment's own.
    this.state.ledger.setTransferWindow(returnWindowMs(this.state.settings));
    context.applyLedger([]);
    const expiredTransfers = context.ledgerOutcomes[0]?.expired ?? [];
    expirePayments(this.state, expiredTransfers, context);
    rollFacilities(this.state, context);
    pruneQuotes(this.state, now);
    pruneUetrs(this.state, now);
    prunePayments(this.state, now);
    const results: NetworkResult[] = [];
    const applied: NetworkCommand[] = [];
    for (const command of commands) {
      const before = context.ledgerOutcomes.length;
      const changesBefore = countChanges(context);
      const result = this.dispatch(command, context);
      results.push(result);
      // A refusal changes nothing (handlers check before they write, ledger chains are
      // atomic), so the journal records only what succeeded and changed something.
      const changed =
        result.replayed !== true ||
        countChanges(context) > changesBefore ||
        ledgerChanged(context, before);
      if (result.code === 'ok' && changed) applied.push(command);
    }
    if (this.state.settings.queue !== undefined && ids === 'scoped') {
      runQueue(this.state, context);
      updateFigures(this.state, context);
    }
    this.checkSupply(context);
    return { now, results, applied, context };
  }

  private dispatch(command: NetworkCommand, context: BatchContext): NetworkResult {
    const state = this.state;
    if (!state.configured && command.type !== 'configure') {
      return refuse('not_configured', 'The network is not configured yet.');
    }
    switch (command.type) {
      case 'configure':
        return configure(state, command);
      case 'add_participant':
        return addParticipant(state, command, context);
      case 'set_participant_status':
        return setParticipantStatus(state, command, context);
      case 'set_currency_rules':
        return setCurrencyRules(state, command);
      case 'grant_credit':
        return grantCredit(state, command, context);
      case 'set_facility':
        return setFacility(state, command, context);
      case 'draw_facility':
        return drawFacility(state, command, context);
      case 'repay_facility':
        return repayFacility(state, command, context);
      case 'set_swap_line':
        return setSwapLine(state, command, context);
      case 'draw_swap_line':
        return drawSwapLine(state, command, context);
      case 'lend_swap_funds':
        return lendSwapFunds(state, command, context);
      case 'repay_swap_funds':
        return repaySwapFunds(state, command, context);
      case 'repay_swap_line':
        return repaySwapLine(state, command, context);
      case 'issue':
      case 'redeem':
        return issueOrRedeem(state, command, context);
      case 'publish_rate':
        return publishRate(state, command, context);
      case 'create_quote':
        return createQuote(state, command, context);
      case 'create_payment':
        return createPayment(state, command, context);
      case 'accept_payment':
        return acceptPayment(state, command, context);
      case 'reject_payment':
        return rejectPayment(state, command, context);
      case 'review_payment':
        return reviewPayment(state, command, context);
      case 'return_payment':
        return returnPayment(state, command, context);
      case 'create_api_key':
        return createApiKey(state, command, context);
      case 'revoke_api_key':
        return revokeApiKey(state, command, context);
      case 'run_queue':
      case 'cancel_queued':
      case 'reorder_queue':
      case 'set_queue_priority':
      case 'set_queue_settings':
        return queueCommand(state, command, context);
    }
  }

  /** Supply per currency: minus the issuance account's posted balance. */
  supply(currency: string): bigint | undefined {
    const issuer = this.state.currencies.get(currency)?.issuer;
    if (issuer === undefined) return undefined;
    const balance = this.state.ledger.balance(issuanceAccountId(issuer, currency));
    return balance === undefined ? 0n : -balance.posted;
  }

  /** Supply equals the sum of every non-issuer balance, in each currency touched by the batch. */
  private checkSupply(context: BatchContext): void {
    const touched = new Set<string>();
    for (const outcome of context.ledgerOutcomes) {
      for (const transfer of outcome.transfers) touched.add(transfer.currency);
    }
    for (const currency of touched) {
      const totals = this.state.ledger.totalsFor(currency);
      if (totals !== undefined && totals.debitsPosted !== totals.creditsPosted) {
        throw new InvariantError(`invariant: ${currency} supply does not match its balances`);
      }
    }
  }

  checkAllInvariants(): void {
    this.state.ledger.checkAllInvariants();
    const sums = new Map<string, bigint>();
    for (const id of this.state.ledger.accountIds()) {
      const account = this.state.ledger.account(id);
      if (account === undefined || (account.flags & 1) !== 0) continue;
      sums.set(
        account.currency,
        (sums.get(account.currency) ?? 0n) + account.creditsPosted - account.debitsPosted,
      );
    }
    for (const currency of this.state.currencies.keys()) {
      if ((this.supply(currency) ?? 0n) !== (sums.get(currency) ?? 0n)) {
        throw new InvariantError(`invariant: supply of ${currency} differs from its balances`);
      }
    }
  }
}

function ledgerChanged(context: BatchContext, from: number): boolean {
  return context.ledgerOutcomes.slice(from).some((outcome) => outcome.applied.length > 0);
}

function countChanges(context: BatchContext): number {
  const changes = context.changes;
  return (
    changes.participants.size +
    changes.payments.size +
    changes.quotes.size +
    changes.rates.size +
    changes.events.length
  );
}
