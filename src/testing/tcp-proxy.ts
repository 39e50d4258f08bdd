// A real TCP proxy for network-failure tests: a node connects to the proxy's port instead of
// the server's, and the test cuts the path. partition() models a network partition: bytes in
// both directions are dropped while every socket stays open, so neither end sees a close
// (only its own timeouts can tell). heal() ends the connections the partition cut (as their
// ends would after a real one) and lets new ones through; drop() resets every connection.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

interface Pair {
  readonly client: Socket;
  readonly server: Socket;
}

export class TcpProxy {
  private readonly pairs = new Set<Pair>();
  private partitioned = false;

  private constructor(private readonly listener: Server, readonly port: number) {}

  /** Listens on a free local port and forwards to `host:port`. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const holder: { proxy?: TcpProxy } = {};
    const listener = createServer((client) => holder.proxy?.accept(client, target));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const address = listener.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    holder.proxy = new TcpProxy(listener, port);
    return holder.proxy;
  }

  /** `url` with its host and port replaced by the proxy's. */
  rewrite(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  private accept(client: Socket, target: { host: string; port: number }): void {
    const server = createConnection(target);
    const pair = { client, server };
    this.pairs.add(pair);
    const end = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      server.destroy();
    };
    // While partitioned nothing passes, and neither side's close reaches the other.
    client.on('data', (chunk) => {
      if (!this.partitioned) server.write(chunk);
    });
    server.on('data', (chunk) => {
      if (!this.partitioned) client.write(chunk);
    });
    for (const socket of [client, server]) {
      socket.on('error', () => undefined);
      socket.on('close', () => {
        if (!this.partitioned) end();
      });
    }
  }

  /** From now on every byte is dropped, both ways, on every connection old and new. */
  partition(): void {
    this.partitioned = true;
  }

  /** Ends the connections the partition cut, and forwards again. */
  heal(): void {
    this.drop();
    this.partitioned = false;
  }

  /** Resets every connection now (a clean, immediate failure both ends see). */
  drop(): void {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.server.destroy();
    }
    this.pairs.clear();
  }

  get connections(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    this.drop();
    await new Promise<void>((resolve) => this.listener.close(() => resolve()));
  }
}
