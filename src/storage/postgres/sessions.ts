// How the store's connections notice a dead peer within seconds, on both ends. Client side:
// TCP keepalives on every socket (node-postgres `keepAlive`), and the lease heartbeat's own
// timeout (lease.ts). Server side, set per session by the node itself so that no server
// setting is needed: TCP keepalives and a TCP user timeout (a session whose client vanished is
// ended, and the writer lease it held is freed), and timeouts that end a session that stopped
// talking even where TCP looks alive (a proxy, a hung process): the lease session after
// `leaseIdleMs` without a heartbeat, the writer session after `writerIdleInTransactionMs`
// idle inside a transaction or a statement running `writerStatementMs`. The bounds are in
// docs/operations-postgres.md.
import type pg from 'pg';

export const SESSION_DEFAULTS = {
  /** Client TCP keepalive: first probe after this idle time. */
  keepAliveInitialDelayMs: 5_000,
  /** Server TCP keepalive: idle seconds, seconds between probes, probes. */
  serverKeepAliveIdleSeconds: 5,
  serverKeepAliveIntervalSeconds: 1,
  serverKeepAliveCount: 3,
  /** Server: unacknowledged data older than this ends the session. */
  serverTcpUserTimeoutMs: 10_000,
  /** Server: the lease session ends after this long without a heartbeat (10 heartbeats). */
  leaseIdleMs: 5_000,
  /** Server: the writer session ends after this long idle inside a transaction. */
  writerIdleInTransactionMs: 5_000,
  /** Server: a writer statement (a group's COPY) running longer than this is cancelled. */
  writerStatementMs: 30_000,
} as const;

/** node-postgres options for every connection the store opens. */
export const CLIENT_KEEPALIVE = {
  keepAlive: true,
  keepAliveInitialDelayMillis: SESSION_DEFAULTS.keepAliveInitialDelayMs,
} as const;

const SERVER_KEEPALIVE: Readonly<Record<string, string>> = {
  tcp_keepalives_idle: String(SESSION_DEFAULTS.serverKeepAliveIdleSeconds),
  tcp_keepalives_interval: String(SESSION_DEFAULTS.serverKeepAliveIntervalSeconds),
  tcp_keepalives_count: String(SESSION_DEFAULTS.serverKeepAliveCount),
  tcp_user_timeout: String(SESSION_DEFAULTS.serverTcpUserTimeoutMs),
};

/** Server settings of the lease session. */
export const LEASE_SESSION: Readonly<Record<string, string>> = {
  ...SERVER_KEEPALIVE,
  idle_session_timeout: String(SESSION_DEFAULTS.leaseIdleMs),
};

/** Server settings of the writer session. */
export const WRITER_SESSION: Readonly<Record<string, string>> = {
  ...SERVER_KEEPALIVE,
  idle_in_transaction_session_timeout: String(SESSION_DEFAULTS.writerIdleInTransactionMs),
  statement_timeout: String(SESSION_DEFAULTS.writerStatementMs),
};

/**
 * Sets the settings for this session, skipping any the server does not know (idle_session_timeout
 * is PostgreSQL 14+, tcp_user_timeout 12+), so that older servers still work.
 */
export async function applySessionSettings(client: pg.ClientBase,
  settings: Readonly<Record<string, string>>): Promise<void> {
  const names = Object.keys(settings);
  await client.query('SELECT set_config(s.name, s.value, false) FROM unnest($1::text[], ' +
    '$2::text[]) AS s(name, value) WHERE EXISTS (SELECT 1 FROM pg_settings p ' +
    'WHERE p.name = s.name)', [names, names.map((name) => settings[name])]);
}
