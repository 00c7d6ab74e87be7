import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { MERCHANT_FEED_CHANNEL } from '../migrations/partner-bridge.ddl';

const RECONNECT_MS = 1000;

/**
 * LISTENs on the merchant-feed channel of each merchant-shard database and reports which merchant's
 * feed grew. A wake-up signal only: notifications sent while disconnected are lost, so readers
 * keep polling as a backstop. One dedicated connection per database, reconnecting on failure.
 */
export class MerchantFeedListener {
  private readonly logger = new Logger('merchant-feed');
  private readonly clients = new Map<string, Client>();
  private stopped = false;

  constructor(
    private readonly databaseUrls: Readonly<Record<string, string>>,
    private readonly onGrew: (merchantId: string) => void,
    private readonly connectTimeoutMs = 2000,
  ) {}

  /** Connects every listener; a database that is down is retried in the background. */
  async start(): Promise<void> {
    await Promise.all(Object.keys(this.databaseUrls).map((database) => this.connect(database)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
  }

  private async connect(database: string): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.databaseUrls[database],
      connectionTimeoutMillis: this.connectTimeoutMs,
      application_name: `eos-blink-feed:${database}`,
    });
    let retried = false;
    const retry = (reason: string): void => {
      if (retried || this.stopped) return;
      retried = true;
      this.clients.delete(database);
      client.end().catch(() => undefined);
      this.logger.warn(`feed listener on ${database} lost (${reason}); reconnecting`);
      setTimeout(() => void this.connect(database), RECONNECT_MS).unref();
    };
    client.on('error', (error: Error) => retry(error.message));
    client.on('end', () => retry('connection ended'));
    client.on('notification', (message) => {
      if (message.channel === MERCHANT_FEED_CHANNEL && message.payload) this.onGrew(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${MERCHANT_FEED_CHANNEL}`);
      this.clients.set(database, client);
    } catch (error) {
      retry(error instanceof Error ? error.message : String(error));
    }
  }
}
