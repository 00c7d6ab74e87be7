import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { RedisCacheModule } from '@eos/cache';
import { EOS_CONFIG, EosConfig, EosConfigModule, loadConfig } from '@eos/common';
import { MessagingModule, OrderEventConsumer, OrderEventConsumers } from '@eos/messaging';
import { MerchantOrderRepository, ShardPersistenceModule } from '@eos/persistence';
import type { RunningModule } from './relay.instance';

/** The merchant-dimension projector as forward-order subscribes it: every order event, applied by version. */
@Injectable()
class MerchantProjectorStandIn implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: OrderEventConsumers,
    private readonly merchantOrders: MerchantOrderRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.consumers.subscribe(OrderEventConsumer.MerchantProjector, async (event) => {
      await this.merchantOrders.applyEvent(event.payload);
    });
  }
}

/**
 * The path an order change takes to the merchant dimension, on the real services: the outbox
 * relay publishes to RabbitMQ, the merchant projector consumes and writes merchant_orders. An app
 * may not import another app, so tests of other apps start this from the libraries rather than
 * forward-order itself (whose projector is this same subscription and repository call).
 */
export async function startOrderEventPipeline(overrides: Partial<EosConfig> = {}): Promise<RunningModule> {
  const config: EosConfig = Object.freeze({
    ...loadConfig(),
    OUTBOX_RELAY_ENABLED: true,
    ORDER_EVENT_CONSUMERS_ENABLED: true,
    OUTBOX_POLL_MS: 50,
    ...overrides,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [EosConfigModule, RedisCacheModule, ShardPersistenceModule, MessagingModule],
    providers: [MerchantProjectorStandIn],
  })
    .overrideProvider(EOS_CONFIG)
    .useValue(config)
    .compile();
  moduleRef.useLogger(['error', 'warn']);
  await moduleRef.init();
  return {
    get: <T>(token: unknown) => moduleRef.get<T>(token as never),
    close: () => moduleRef.close(),
  };
}
