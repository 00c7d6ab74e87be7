import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * What the proxy does to the traffic of one dependency:
 * - `pass`: forwards both ways untouched;
 * - `latency`: delays every chunk by `ms` in each direction, order kept (a slow network);
 * - `cut`: destroys every open connection once, then refuses new ones until the mode changes
 *   (a partition: the dependency itself stays up);
 * - `stall`: keeps connections open but forwards nothing, and new connections hang unanswered
 *   (a black hole: only timeouts end a call). Leaving it destroys the stalled connections.
 */
export type ProxyMode =
  | { readonly kind: 'pass' }
  | { readonly kind: 'latency'; readonly ms: number }
  | { readonly kind: 'cut' }
  | { readonly kind: 'stall' };

export const PASS: ProxyMode = { kind: 'pass' };

interface Link {
  readonly client: Socket;
  upstream: Socket | undefined;
}

/**
 * A fault-injecting TCP proxy in front of one dependency (Postgres, Redis, RabbitMQ), on a port of
 * its own: the apps are pointed at it, so a fault reaches them exactly as a network fault would,
 * while the dependency itself (which other people's tests share) is never touched.
 */
export class FaultProxy {
  private mode: ProxyMode = PASS;
  private readonly links = new Set<Link>();

  private readonly server: Server;
  private listeningPort = 0;

  private constructor(
    readonly name: string,
    private readonly target: { readonly host: string; readonly port: number },
  ) {
    this.server = createServer({ noDelay: true }, (client) => this.accept(client));
  }

  /** A proxy to `target` listening on a free loopback port. */
  static async open(name: string, target: { host: string; port: number }): Promise<FaultProxy> {
    const proxy = new FaultProxy(name, target);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = proxy.server.address();
    if (address === null || typeof address === 'string') throw new Error(`${name}: no port`);
    proxy.listeningPort = address.port;
    return proxy;
  }

  get port(): number {
    return this.listeningPort;
  }

  get currentMode(): ProxyMode {
    return this.mode;
  }

  get openConnections(): number {
    return this.links.size;
  }

  setMode(mode: ProxyMode): void {
    const previous = this.mode;
    this.mode = mode;
    // Connections that were cut off from the dependency are useless afterwards: end them.
    if (mode.kind === 'cut' || previous.kind === 'stall') {
      for (const link of [...this.links]) this.drop(link);
    }
  }

  async close(): Promise<void> {
    for (const link of [...this.links]) this.drop(link);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    client.setNoDelay(true);
    client.on('error', () => undefined);
    if (this.mode.kind === 'cut') {
      client.resetAndDestroy();
      return;
    }
    const link: Link = { client, upstream: undefined };
    this.links.add(link);
    client.once('close', () => this.drop(link));
    if (this.mode.kind === 'stall') {
      // Accepted but never answered: the client's connect or handshake timeout ends it.
      client.pause();
      return;
    }
    const upstream = connect({ host: this.target.host, port: this.target.port, noDelay: true });
    link.upstream = upstream;
    upstream.on('error', () => undefined);
    upstream.once('close', () => this.drop(link));
    this.forward(client, upstream);
    this.forward(upstream, client);
  }

  /** Copies `from` to `to`, applying the mode in force when each chunk arrives. */
  private forward(from: Socket, to: Socket): void {
    const delayed = new DelayedWrites(to);
    from.on('data', (chunk: Buffer) => {
      const mode = this.mode;
      switch (mode.kind) {
        case 'pass':
          // Chunks still delayed by a latency that just ended go first.
          delayed.write(chunk, 0);
          return;
        case 'latency':
          delayed.write(chunk, mode.ms);
          return;
        case 'stall':
          return;
        case 'cut':
          from.destroy();
          return;
      }
    });
    from.once('end', () => delayed.end());
  }

  private drop(link: Link): void {
    if (!this.links.delete(link)) return;
    if (!link.client.destroyed) link.client.resetAndDestroy();
    link.upstream?.destroy();
  }
}

/** Writes chunks to a socket, each no earlier than its release time, always in arrival order. */
class DelayedWrites {
  private readonly queue: { chunk: Buffer; at: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private ending = false;

  constructor(private readonly to: Socket) {}

  write(chunk: Buffer, delayMs: number): void {
    const last = this.queue[this.queue.length - 1]?.at ?? 0;
    this.queue.push({ chunk, at: Math.max(last, Date.now() + delayMs) });
    this.flush();
  }

  end(): void {
    this.ending = true;
    this.flush();
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = Date.now();
    while (this.queue.length > 0 && this.queue[0].at <= now) {
      const { chunk } = this.queue.shift() as { chunk: Buffer };
      if (!this.to.destroyed) this.to.write(chunk);
    }
    if (this.queue.length > 0) {
      this.timer = setTimeout(() => this.flush(), this.queue[0].at - now);
      this.timer.unref();
    } else if (this.ending && !this.to.destroyed) {
      this.to.end();
    }
  }
}
