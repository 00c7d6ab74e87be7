import { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import { BeforeApplicationShutdown, Global, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import { REDIS } from '@eos/cache';
import { EOS_CONFIG, EosConfig } from '@eos/common';
import { ShardMapFollower } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import type Redis from 'ioredis';
import { OrderEventConsumers } from './consumers/order-event.consumers';
import { EmissionFlagStore } from './emission/emission-flag.store';
import { EmissionFlags } from './emission/emission.flags';
import { OrderEventPublisher } from './order-event.publisher';
import { OutboxRelay } from './outbox/outbox.relay';
import { OutboxSignal } from './outbox/outbox.signal';
import { openRabbitMqConnection } from './rabbitmq.connection';
import { RABBITMQ_PROBE, rabbitMqProbe } from './rabbitmq.probe';

/**
 * Order events for an app: the RabbitMQ connection and topology, the outbox relay (when
 * OUTBOX_RELAY_ENABLED), the emission flags and the consumer host. Needs the config, Redis and
 * shard persistence modules. Boots whether or not the broker is up.
 *
 * Shutdown: the relay finishes its batches in flight, then consumers are cancelled and their
 * handlers awaited, then the connection closes; all before the database pools close.
 */
@Global()
@Module({
  providers: [
    {
      provide: AmqpConnection,
      inject: [EOS_CONFIG],
      useFactory: (config: EosConfig) =>
        openRabbitMqConnection({
          url: config.RABBITMQ_URL,
          name: `eos:${process.pid}`,
          consumerPrefetch: config.CONSUMER_PREFETCH,
          topology: { retryDelayMs: config.CONSUMER_RETRY_DELAY_MS },
        }),
    },
    {
      provide: OrderEventPublisher,
      inject: [AmqpConnection, EOS_CONFIG],
      useFactory: (amqp: AmqpConnection, config: EosConfig) =>
        OrderEventPublisher.create(amqp, config.RABBITMQ_PUBLISH_TIMEOUT_MS),
    },
    {
      provide: EmissionFlagStore,
      inject: [REDIS],
      useFactory: (redis: Redis) => new EmissionFlagStore(redis),
    },
    {
      provide: EmissionFlags,
      inject: [EmissionFlagStore, EOS_CONFIG],
      useFactory: (store: EmissionFlagStore, config: EosConfig) =>
        new EmissionFlags(store, config.EMISSION_REFRESH_MS),
    },
    OutboxSignal,
    {
      provide: OutboxRelay,
      inject: [
        EOS_CONFIG,
        ShardRouter,
        OrderEventPublisher,
        EmissionFlags,
        OutboxSignal,
        { token: ShardMapFollower, optional: true },
      ],
      useFactory: (
        config: EosConfig,
        router: ShardRouter,
        publisher: OrderEventPublisher,
        flags: EmissionFlags,
        signal: OutboxSignal,
        follower: ShardMapFollower | undefined,
      ) => new OutboxRelay(config, router, publisher, flags, signal, follower),
    },
    {
      provide: OrderEventConsumers,
      inject: [AmqpConnection, OrderEventPublisher, EOS_CONFIG],
      useFactory: (amqp: AmqpConnection, publisher: OrderEventPublisher, config: EosConfig) =>
        new OrderEventConsumers(amqp, publisher, {
          enabled: config.ORDER_EVENT_CONSUMERS_ENABLED,
          maxRetries: config.CONSUMER_MAX_RETRIES,
        }),
    },
    {
      provide: RABBITMQ_PROBE,
      inject: [AmqpConnection, OrderEventConsumers],
      useFactory: (amqp: AmqpConnection, consumers: OrderEventConsumers) => rabbitMqProbe(amqp, consumers),
    },
  ],
  exports: [
    AmqpConnection,
    OrderEventPublisher,
    EmissionFlagStore,
    EmissionFlags,
    OutboxSignal,
    OutboxRelay,
    OrderEventConsumers,
    RABBITMQ_PROBE,
  ],
})
export class MessagingModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(EOS_CONFIG) private readonly config: EosConfig,
    private readonly amqp: AmqpConnection,
    private readonly flags: EmissionFlags,
    private readonly relay: OutboxRelay,
    private readonly consumers: OrderEventConsumers,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.flags.start();
    if (this.config.OUTBOX_RELAY_ENABLED) await this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    this.flags.stop();
    this.consumers.stop();
    await this.amqp.close();
  }
}
