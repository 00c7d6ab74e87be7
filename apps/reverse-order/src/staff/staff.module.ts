import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { REDIS } from '@eos/cache';
import { EOS_CONFIG, EosConfig, ReadinessProbe } from '@eos/common';
import { StaffRepository, createPostgresDataSource } from '@eos/persistence';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { MeController } from './me.controller';
import { StaffAdminController } from './staff-admin.controller';
import { StaffAdminService } from './staff-admin.service';
import { StaffAuthGuard } from './staff-auth.guard';
import { StaffDirectory } from './staff.directory';

export const STAFF_DATA_SOURCE = Symbol('STAFF_DATA_SOURCE');
export const STAFF_PROBE = Symbol('STAFF_PROBE');

/**
 * Staff, grants and their administration (in the catalog database, through a small pool of its
 * own), the grants cache, and the guard every staff route uses. Feature modules of reverse-order
 * import this module and put `@UseGuards(StaffAuthGuard) @RequiresPermission(Permission.X)` on
 * their staff routes.
 */
@Module({
  controllers: [StaffAdminController, MeController],
  providers: [
    {
      provide: STAFF_DATA_SOURCE,
      inject: [EOS_CONFIG],
      useFactory: async (config: EosConfig) => {
        const dataSource = createPostgresDataSource(config.CATALOG_DATABASE_URL, {
          poolSize: 4,
          statementTimeoutMs: config.PG_STATEMENT_TIMEOUT_MS,
          connectTimeoutMs: config.PG_CONNECT_TIMEOUT_MS,
          applicationName: 'eos-reverse:staff',
        });
        await dataSource.initialize();
        return dataSource;
      },
    },
    {
      provide: StaffRepository,
      inject: [STAFF_DATA_SOURCE],
      useFactory: (dataSource: DataSource) => new StaffRepository(dataSource),
    },
    {
      provide: StaffDirectory,
      inject: [StaffRepository, REDIS, EOS_CONFIG],
      useFactory: (staff: StaffRepository, redis: Redis, config: EosConfig) =>
        new StaffDirectory(staff, redis, config.STAFF_GRANTS_CACHE_SECONDS),
    },
    {
      provide: STAFF_PROBE,
      inject: [STAFF_DATA_SOURCE],
      useFactory: (dataSource: DataSource): ReadinessProbe => ({
        name: 'postgres:staff',
        check: async () => {
          await dataSource.query('SELECT 1');
        },
      }),
    },
    StaffAuthGuard,
    StaffAdminService,
  ],
  exports: [StaffRepository, StaffDirectory, StaffAuthGuard, STAFF_PROBE],
})
export class StaffModule implements OnApplicationShutdown {
  constructor(@Inject(STAFF_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
