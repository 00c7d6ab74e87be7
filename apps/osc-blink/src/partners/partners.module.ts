import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { EOS_CONFIG, EosConfig, ReadinessProbe } from '@eos/common';
import { PartnerCredentialRepository, createPostgresDataSource } from '@eos/persistence';
import { DataSource } from 'typeorm';
import { PartnerAuthenticator } from './partner.authenticator';
import { PartnerGuard } from './partner.guard';
import { PartnerRateLimiter } from './partner-rate.limiter';

export const PARTNER_DATA_SOURCE = Symbol('PARTNER_DATA_SOURCE');
export const PARTNERS_PROBE = Symbol('PARTNERS_PROBE');

/**
 * Partner credentials (in the catalog database, through a small pool of its own whose queries
 * honour call deadlines), their verification and rate limits, and the guard that applies them.
 */
@Module({
  providers: [
    {
      provide: PARTNER_DATA_SOURCE,
      inject: [EOS_CONFIG],
      useFactory: async (config: EosConfig) => {
        const dataSource = createPostgresDataSource(config.CATALOG_DATABASE_URL, {
          poolSize: 4,
          statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS,
          connectTimeoutMs: config.PG_CONNECT_TIMEOUT_MS,
          applicationName: 'eos-blink:partners',
        });
        await dataSource.initialize();
        return dataSource;
      },
    },
    {
      provide: PartnerCredentialRepository,
      inject: [PARTNER_DATA_SOURCE],
      useFactory: (dataSource: DataSource) => new PartnerCredentialRepository(dataSource),
    },
    {
      provide: PartnerAuthenticator,
      inject: [PartnerCredentialRepository, EOS_CONFIG],
      useFactory: (credentials: PartnerCredentialRepository, config: EosConfig) =>
        new PartnerAuthenticator(credentials, {
          cacheMs: config.BLINK_AUTH_CACHE_MS,
          defaultRatePerSecond: config.BLINK_RATE_PER_SECOND,
          defaultBurst: config.BLINK_RATE_BURST,
        }),
    },
    { provide: PartnerRateLimiter, useFactory: () => new PartnerRateLimiter() },
    {
      provide: PARTNERS_PROBE,
      inject: [PARTNER_DATA_SOURCE],
      useFactory: (dataSource: DataSource): ReadinessProbe => ({
        name: 'postgres:partners',
        check: async () => {
          await dataSource.query('SELECT 1');
        },
      }),
    },
    PartnerGuard,
  ],
  exports: [PartnerAuthenticator, PartnerRateLimiter, PartnerGuard, PARTNERS_PROBE],
})
export class PartnersModule implements OnApplicationShutdown {
  constructor(@Inject(PARTNER_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
