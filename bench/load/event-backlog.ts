import { setTimeout as sleep } from 'node:timers/promises';
import { consumerQueues, OrderEventConsumer } from '@eos/messaging';
import { OutboxRepository, type SqlRunner } from '@eos/persistence';
import type { ShardRouter } from '@eos/sharding';
import amqp from 'amqplib';
import { Client } from 'pg';

const POLL_MS = 200;

export interface DrainResult {
  readonly drained: boolean;
  readonly waitedMs: number;
}

/**
 * The order events a phase left behind: outbox rows not yet published, and events in the merchant
 * projector's queue not yet taken. Each phase's checkouts cost the relay and the projector as much
 * again after the checkout answered; a phase that starts while the previous one's events are still
 * being worked off pays for them. Waiting for both to be empty before each measured phase gives
 * every phase (app or ceiling) only its own.
 */
export class EventBacklog {
  private readonly outbox = new OutboxRepository();

  constructor(
    private readonly router: ShardRouter,
    private readonly rabbitmqUrl: string,
  ) {}

  /** Waits until nothing is pending, checking every 200 ms, for at most `maxMs`. */
  async waitUntilDrained(maxMs: number): Promise<DrainResult> {
    const startedAt = Date.now();
    const clients = new Map<string, Client>();
    const runnerOn = async (database: string): Promise<SqlRunner> => {
      let client = clients.get(database);
      if (!client) {
        client = new Client({ connectionString: this.router.databaseUrl(database) });
        await client.connect();
        clients.set(database, client);
      }
      const connected = client;
      return { query: async (sql, parameters) => (await connected.query<object>(sql, parameters)).rows };
    };
    const connection = await amqp.connect(this.rabbitmqUrl);
    try {
      const channel = await connection.createChannel();
      const projectorQueue = consumerQueues(OrderEventConsumer.MerchantProjector).main;
      for (;;) {
        let pending = (await channel.checkQueue(projectorQueue)).messageCount > 0;
        for (const [database, routes] of this.router.userRoutesByDatabase()) {
          if (pending) break;
          pending = (await this.outbox.shardsWithUnsent(await runnerOn(database), routes, [])).length > 0;
        }
        const waitedMs = Date.now() - startedAt;
        if (!pending) return { drained: true, waitedMs };
        if (waitedMs >= maxMs) return { drained: false, waitedMs };
        await sleep(POLL_MS);
      }
    } finally {
      await connection.close();
      await Promise.all([...clients.values()].map((client) => client.end()));
    }
  }
}
