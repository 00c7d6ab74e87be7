import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { RedisCacheModule } from '@eos/cache';
import { EOS_CONFIG, EosConfig, EosConfigModule, loadConfig } from '@eos/common';
import { OrderEventType, OrderKind, OrderStatus } from '@eos/domain';
import { ShardPersistenceModule } from '@eos/persistence';
import { connect } from 'amqplib';
import { MessagingModule } from '../messaging.module';
import type { OrderEventEnvelope } from '../order-event.envelope';
import { OrderEventPublisher } from '../order-event.publisher';
import { OrderEventConsumer, consumerQueues } from '../order-events.topology';
import { OrderEventConsumers } from './order-event.consumers';

/** What the handler under test sees, and the switch that lets it finish. */
const probe = {
  eventId: '',
  started: (): void => undefined,
  release: Promise.resolve(),
  finished: false,
};

@Injectable()
class SlowConsumer implements OnApplicationBootstrap {
  constructor(private readonly consumers: OrderEventConsumers) {}

  onApplicationBootstrap(): void {
    this.consumers.subscribe(OrderEventConsumer.MerchantProjector, async (event) => {
      if (event.eventId !== probe.eventId) return;
      probe.started();
      await probe.release;
      probe.finished = true;
    });
  }
}

function envelope(): OrderEventEnvelope {
  const now = new Date().toISOString();
  const orderId = String(9_000_000_000_000 + Math.floor(Math.random() * 1_000_000));
  return {
    eventId: randomUUID(),
    orderId,
    eventType: OrderEventType.Created,
    orderVersion: 1,
    occurredAt: now,
    payload: {
      orderId,
      userId: '77',
      merchantId: '1',
      kind: OrderKind.Delivery,
      status: OrderStatus.Created,
      previousStatus: null,
      version: 1,
      totalCents: 100,
      currency: 'CNY',
      createdAt: now,
      updatedAt: now,
    },
  };
}

/** Every message now in `queue` (looked at and put back: the channel closes without acking). */
async function messageIdsIn(url: string, queue: string): Promise<string[]> {
  const connection = await connect(url);
  try {
    const channel = await connection.createChannel();
    const ids: string[] = [];
    for (;;) {
      const message = await channel.get(queue, { noAck: false });
      if (message === false) break;
      ids.push(String(message.properties.messageId));
    }
    return ids;
  } finally {
    await connection.close();
  }
}

/**
 * The shutdown order the messaging module documents: consumers are cancelled and the messages in
 * hand finish (and are acked) before the connection closes. The client library's close() does
 * this; the test holds it to it, since losing it means every restart redelivers what was in hand.
 */
describe('order event consumers on shutdown (real RabbitMQ, Postgres, Redis)', () => {
  const config: EosConfig = Object.freeze({
    ...loadConfig(),
    OUTBOX_RELAY_ENABLED: false,
    ORDER_EVENT_CONSUMERS_ENABLED: true,
  });
  let moduleRef: TestingModule;

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [EosConfigModule, RedisCacheModule, ShardPersistenceModule, MessagingModule],
      providers: [SlowConsumer],
    })
      .overrideProvider(EOS_CONFIG)
      .useValue(config)
      .compile();
    moduleRef.useLogger(['error', 'warn']);
    await moduleRef.init();
  });

  it('finishes the message in hand and acks it before the connection closes', async () => {
    const event = envelope();
    probe.eventId = event.eventId;
    const started = new Promise<void>((resolve) => (probe.started = resolve));
    let release = (): void => undefined;
    probe.release = new Promise<void>((resolve) => (release = resolve));

    // The subscription starts in the background: publish until the handler has the message.
    await moduleRef.get(OrderEventPublisher).publishEvent(event, new Date());
    await started;

    let closed = false;
    const closing = moduleRef.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(closed).toBe(false); // waiting for the handler, not closing under it
    release();
    await closing;

    expect(probe.finished).toBe(true);
    // Acked: the broker does not hold it for the next consumer.
    const queue = consumerQueues(OrderEventConsumer.MerchantProjector).main;
    expect(await messageIdsIn(config.RABBITMQ_URL, queue)).not.toContain(event.eventId);
  });
});
