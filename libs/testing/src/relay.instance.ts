import { Test } from '@nestjs/testing';
import { RedisCacheModule } from '@eos/cache';
import { EOS_CONFIG, EosConfigModule, loadConfig, type EosConfig } from '@eos/common';
import { MessagingModule } from '@eos/messaging';
import { ShardPersistenceModule } from '@eos/persistence';

export interface RunningModule {
  get<T>(token: unknown): T;
  close(): Promise<void>;
}

/**
 * An outbox relay in a Nest context of its own, as another instance of an app would run it (its own
 * broker connection and pools), with no consumers. `overrides` change its configuration.
 */
export async function startRelayInstance(overrides: Partial<EosConfig> = {}): Promise<RunningModule> {
  const config: EosConfig = Object.freeze({
    ...loadConfig(),
    OUTBOX_RELAY_ENABLED: true,
    ORDER_EVENT_CONSUMERS_ENABLED: false,
    // Only the relay's own pools do work here; keep the app-side pools small (max_connections).
    PG_POOL_SIZE: 2,
    ...overrides,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [EosConfigModule, RedisCacheModule, ShardPersistenceModule, MessagingModule],
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
