// Reads that all see one consistent snapshot of the database: one connection, in one
// REPEATABLE READ READ ONLY transaction begun before the first read and held until end(). For
// verify beside a live writer (PostgresStore's `snapshot` option): the journal and the
// projections it compares are then from the same instant. Queries run one at a time, in order.
import pg from 'pg';
import { CLIENT_KEEPALIVE } from './sessions.js';

/** What the store's reads run on: a pool of connections, or one snapshot connection. */
export interface ReadConnections {
  readonly query: pg.Pool['query'];
  end(): Promise<void>;
}

export class SnapshotConnection implements ReadConnections {
  private client: Promise<pg.Client> | undefined;
  private last: Promise<unknown> = Promise.resolve();

  constructor(private readonly connectionString: string) {}

  readonly query = ((text: string | pg.QueryConfig, values?: unknown[]) => {
    const run = this.last.then(async () => {
      const client = await this.connected();
      return typeof text === 'string' ? client.query(text, values) : client.query(text);
    });
    this.last = run.catch(() => undefined);
    return run;
  }) as pg.Pool['query'];

  private connected(): Promise<pg.Client> {
    this.client ??= (async () => {
      const client = new pg.Client({ connectionString: this.connectionString,
        ...CLIENT_KEEPALIVE, application_name: 'corridor-snapshot' });
      client.on('error', () => undefined);
      await client.connect();
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      return client;
    })();
    return this.client;
  }

  async end(): Promise<void> {
    await this.last;
    const client = await this.client?.catch(() => undefined);
    await client?.end().catch(() => undefined);
  }
}
