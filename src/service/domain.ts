// What adapters (API, ISO 20022, dashboard, CLI, server, demo) may use of the domain: the
// types of the records the service and its reads hand out, the visibility rules, the figures'
// definitions and the account-id scheme. Adapters import the engine through this module only
// (an eslint rule holds them to it): the engine's state and its internals stay behind the
// service.
export type { ApiKeyRecord } from '../engine/keys.js';
export type { FeesIncluded, NetworkCode, NetworkCommand, NetworkResult } from '../engine/commands.js';
export {
  feeAccountId, issuanceAccountId, settlementAccountId, type Participant,
} from '../engine/model.js';
export type { PaymentEventRecord } from '../engine/state.js';
export type { Quote, QuoteHop } from '../engine/fx/quotes.js';
export { parseRate, type Rate } from '../engine/fx/rate.js';
export {
  PAYMENT_REASONS, RETURN_REASONS, type DeclaredCharge, type IsoOrigin, type Party, type Payment,
  type PaymentLeg, type PaymentReason, type ReturnReason,
} from '../engine/payments/model.js';
export * from '../engine/payments/visibility.js';
export * from '../engine/payments/figures.js';
export { liquidityReport, type LiquidityFigure } from '../engine/liquidity/figures.js';
export { queueOrder } from '../engine/liquidity/queue.js';
export { facilities, interestDue, outstanding, type Facility } from '../engine/facilities.js';
export {
  drawn, onLent, overdue, swapInterest, swapLineKey, type SwapLine, type SwapLoan,
} from '../engine/swap-lines.js';
