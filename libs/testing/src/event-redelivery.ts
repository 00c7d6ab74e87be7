import amqp from 'amqplib';
import { COMMITTED_AT_HEADER, ORDER_EVENTS_EXCHANGE, envelopeOf } from '@eos/messaging';
import type { OutboxRow, ShardDataSources } from '@eos/persistence';
import { shardOfOrderId, type ShardRouter } from '@eos/sharding';

/**
 * Publishes every outbox event of `orderIds` to the exchange again, exactly as the relay did: what
 * a consumer sees when the broker redelivers or a publish is repeated after a lost confirm.
 * Returns how many were sent.
 */
export async function republishEvents(
  url: string,
  sources: ShardDataSources,
  router: ShardRouter,
  orderIds: readonly string[],
): Promise<number> {
  const byShard = new Map<number, string[]>();
  for (const id of orderIds)
    byShard.set(shardOfOrderId(id), [...(byShard.get(shardOfOrderId(id)) ?? []), id]);
  const rows: OutboxRow[] = [];
  for (const [shard, ids] of byShard) {
    const route = router.routeUserShard(shard);
    const found: {
      id: string;
      event_id: string;
      order_id: string;
      event_type: string;
      order_version: number;
      payload: unknown;
      created_at: Date;
    }[] = await sources.get(route.database).query(
      `SELECT id::text AS id, event_id::text AS event_id, order_id::text AS order_id, event_type, order_version,
         payload, created_at FROM ${route.schema}.outbox WHERE order_id = ANY($1::bigint[]) ORDER BY id`,
      [ids],
    );
    for (const row of found) {
      rows.push({
        shard,
        id: row.id,
        eventId: row.event_id,
        orderId: row.order_id,
        eventType: row.event_type,
        orderVersion: row.order_version,
        payload: row.payload,
        createdAt: row.created_at,
      });
    }
  }
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createConfirmChannel();
    for (const row of rows) {
      channel.publish(ORDER_EVENTS_EXCHANGE, row.eventType, Buffer.from(JSON.stringify(envelopeOf(row))), {
        persistent: true,
        messageId: row.eventId,
        type: row.eventType,
        contentType: 'application/json',
        headers: { [COMMITTED_AT_HEADER]: row.createdAt.toISOString() },
      });
    }
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
  return rows.length;
}
