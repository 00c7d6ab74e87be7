import { setTimeout as sleep } from 'node:timers/promises';
import { consumerQueues, OrderEventConsumer } from '@eos/messaging';
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
  private constructor(
    private readonly pendingOutboxSql: ReadonlyMap<string, string>,
    private readonly router: ShardRouter,
    private readonly rabbitmqUrl: string,
  ) {}

  static forShards(router: ShardRouter, rabbitmqUrl: string): EventBacklog {
    const schemas = new Map<string, string[]>();
    for (let shard = 0; shard < router.LOGICAL_SHARDS; shard += 1) {
      const { database, schema } = router.routeUserShard(shard);
      schemas.set(database, [...(schemas.get(database) ?? []), schema]);
    }
    const sql = new Map<string, string>();
    for (const [database, names] of schemas) {
      const probes = names.map(
        (schema) => `SELECT EXISTS (SELECT 1 FROM ${schema}.outbox WHERE published_at IS NULL) AS pending`,
      );
      sql.set(
        database,
        `SELECT coalesce(bool_or(pending), false) AS pending FROM (${probes.join(' UNION ALL ')}) p`,
      );
    }
    return new EventBacklog(sql, router, rabbitmqUrl);
  }

  /** Waits until nothing is pending, checking every 200 ms, for at most `maxMs`. */
  async waitUntilDrained(maxMs: number): Promise<DrainResult> {
    const startedAt = Date.now();
    const clients = new Map<string, Client>();
    const connection = await amqp.connect(this.rabbitmqUrl);
    try {
      const channel = await connection.createChannel();
      const projectorQueue = consumerQueues(OrderEventConsumer.MerchantProjector).main;
      for (;;) {
        let pending = (await channel.checkQueue(projectorQueue)).messageCount > 0;
        for (const [database, sql] of this.pendingOutboxSql) {
          if (pending) break;
          let client = clients.get(database);
          if (!client) {
            client = new Client({ connectionString: this.router.databaseUrl(database) });
            await client.connect();
            clients.set(database, client);
          }
          pending = (await client.query<{ pending: boolean }>(sql)).rows[0]?.pending ?? false;
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
