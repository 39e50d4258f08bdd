// The library API: `import { … } from 'corridor'` embeds a network in a program.
export * from './money/index.js';
export { LedgerEngine, type BatchOutcome } from './ledger/engine.js';
export { RESULT_CODES, type ResultCode, type CommandResult } from './ledger/result-codes.js';
export type { Account, Balance, Command, Transfer, TransferSpec } from './ledger/types.js';
export { openLedger, Ledger } from './pipeline/ledger-service.js';
export { PipelineError, type PipelineOptions, type BatchStats } from './pipeline/commit-pipeline.js';
export { SqliteStore } from './storage/sqlite/sqlite-store.js';
export type { Store, StoredSnapshot, StoredSnapshotInfo } from './storage/store.js';
export { verifyLedger, type VerifyReport } from './journal/verify.js';
export { NetworkEngine } from './engine/engine.js';
export {
  openNetwork, Network, rebuildNetwork, type NetworkOptions, type PaymentInput, type PartyScreener,
} from './service/service.js';
export {
  NetworkReads, type PaymentFilter, type PaymentPage, type EventPage, type FeedEvent,
} from './service/reads.js';
export {
  canSeePayment, canSeeAccount, canSeeEvent, viewerOf, type Viewer,
} from './engine/payments/visibility.js';
export { verifyNetwork } from './service/verify.js';
export {
  recoverNetwork, SNAPSHOT_DEFAULTS, type RecoveryReport, type SnapshotEvent, type SnapshotPolicy,
} from './service/snapshots.js';
export { createKeys } from './service/bootstrap.js';
export { validateNetworkConfig, parseNetworkConfig, configToCommands } from './service/config.js';
export type { NetworkConfigFile } from './service/config-schema.js';
export { demoNetworkConfig } from './service/demo.js';
export { NETWORK_CODES, type NetworkCode, type NetworkCommand, type NetworkResult } from './engine/commands.js';
export type { Participant, ParticipantSpec, NetworkSettings, CurrencyRules } from './engine/model.js';
export { PAYMENT_REASONS, RETURN_REASONS, type Payment, type PaymentStatus, type PaymentReason } from './engine/payments/model.js';
export type { Quote } from './engine/fx/quotes.js';
export { parseRate, formatRate, convert, convertBack, type Rate } from './engine/fx/rate.js';
export { createSanctionsScreener } from './compliance/screener.js';
export { partyScreener, loadScreenerFromDirectory } from './compliance/party-screener.js';
export {
  openScreeningPool, ScreeningPool, type ScreeningPoolOptions,
} from './compliance/screening-pool.js';
export { buildServer, type ServerOptions } from './api/server.js';
export { startNode, type RunningNode } from './server/node.js';
export {
  runSimulation, SimulationError, DEFAULT_OPTIONS as SIMULATION_DEFAULTS, AVAILABLE_REGIMES,
  type SimulationOptions, type SimulationReport, type RegimeReport,
} from './simulate/simulate.js';
export { writeReport, reportHtml, reportTables } from './simulate/output.js';
export type { Regime, RegimeName, RegimeRun } from './simulate/regime.js';
