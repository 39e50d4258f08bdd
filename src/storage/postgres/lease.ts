// The writer lease: exactly one node writes to a PostgreSQL store. The lease is a session
// advisory lock held on a dedicated connection, kept alive by a heartbeat; a standby polls
// for it. Losing it (failed heartbeat, dropped connection) is final for this process: check()
// throws from then on, so the pipeline refuses commits at once, and every batch transaction
// re-checks the lock and the fencing epoch in the database (batch-writer.ts), so a writer
// that lost its lease can never commit. The server ends a lease session whose heartbeats stop
// (sessions.ts), so a standby gets the lock within seconds even if the holder's host
// vanished. Design and takeover bound: docs/operations-postgres.md.
import pg from 'pg';
import { FencedError } from './batch-writer.js';
import { LOCK_KEYS } from './migrations.js';
import { applySessionSettings, CLIENT_KEEPALIVE, LEASE_SESSION } from './sessions.js';

export const LEASE_DEFAULTS = { pollMs: 250, heartbeatMs: 500 } as const;

export interface LeaseOptions {
  readonly connectionString: string;
  /** How often a standby tries to take the lock. Default 250 ms. */
  readonly pollMs?: number;
  /** How often the holder proves its connection alive. Default 500 ms. */
  readonly heartbeatMs?: number;
  /** Shown in writer_lease.holder: which node holds the lease. */
  readonly holder?: string;
}

export class PostgresLease {
  private client: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lostError: Error | undefined;
  private readonly lostListeners: ((error: Error) => void)[] = [];
  private backendPid = 0;
  private stopped = false;

  constructor(private readonly options: LeaseOptions) {}

  get holder(): string {
    return this.options.holder ?? `pid ${process.pid}`;
  }

  /** The backend pid of the lease connection (batch transactions check the lock is its). */
  get pid(): number {
    return this.backendPid;
  }

  get held(): boolean {
    return this.client !== undefined && this.lostError === undefined;
  }

  /** Polls until this process holds the lock; `onWaiting` is called once if it must wait. */
  async acquire(onWaiting?: () => void): Promise<void> {
    const pollMs = this.options.pollMs ?? LEASE_DEFAULTS.pollMs;
    let waiting = false;
    while (!this.stopped) {
      if (await this.tryOnce()) return;
      if (!waiting) onWaiting?.();
      waiting = true;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    throw new Error('PostgresLease: released before it was acquired.');
  }

  /** One attempt: true if this process now holds the lock, false if another node does. */
  async tryAcquire(): Promise<boolean> {
    if (this.stopped) throw new Error('PostgresLease: released before it was acquired.');
    return this.client !== undefined || this.tryOnce();
  }

  private async tryOnce(): Promise<boolean> {
    const heartbeatMs = this.options.heartbeatMs ?? LEASE_DEFAULTS.heartbeatMs;
    const client = new pg.Client({ connectionString: this.options.connectionString,
      query_timeout: heartbeatMs * 2, connectionTimeoutMillis: heartbeatMs * 4,
      ...CLIENT_KEEPALIVE, application_name: `corridor-lease ${this.holder}` });
    client.on('error', (error) => this.lose(error));
    try {
      await client.connect();
      const result = await client.query<{ ok: boolean; pid: number }>(
        'SELECT pg_try_advisory_lock($1) AS ok, pg_backend_pid() AS pid',
        [LOCK_KEYS.writer.toString()]);
      const row = result.rows[0];
      if (row?.ok !== true) {
        await client.end();
        return false;
      }
      // The server ends this session, freeing the lock, if the heartbeats stop arriving.
      await applySessionSettings(client, LEASE_SESSION);
      this.client = client;
      this.backendPid = row.pid;
      client.on('end', () => this.lose(new Error('the lease connection ended')));
      this.timer = setInterval(() => this.heartbeat(), heartbeatMs);
      this.timer.unref();
      return true;
    } catch {
      await client.end().catch(() => undefined);
      return false;
    }
  }

  private heartbeat(): void {
    this.client?.query('SELECT 1').catch((error: unknown) =>
      this.lose(error instanceof Error ? error : new Error(String(error))));
  }

  private lose(cause: Error): void {
    if (this.client === undefined || this.lostError !== undefined) return;
    this.lostError = new FencedError(`The writer lease is lost (${cause.message}).`);
    if (this.timer !== undefined) clearInterval(this.timer);
    this.client.end().catch(() => undefined);
    if (this.stopped) return;
    for (const listener of this.lostListeners) listener(this.lostError);
  }

  /** Throws unless this process holds the lease now. */
  check(): void {
    if (this.lostError !== undefined) throw this.lostError;
    if (this.client === undefined) throw new FencedError('This node does not hold the writer lease.');
  }

  /** Called once if the lease is lost (not when released). */
  onLost(listener: (error: Error) => void): void {
    this.lostListeners.push(listener);
  }

  /** Releases the lock (a clean stop): a standby takes over within its poll interval. */
  async release(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    const client = this.client;
    if (client === undefined || this.lostError !== undefined) return;
    this.lostError = new FencedError('The writer lease was released.');
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEYS.writer.toString()])
      .catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
