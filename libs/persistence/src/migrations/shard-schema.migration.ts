import { MigrationInterface, QueryRunner } from 'typeorm';
import { dropFeedRetentionDdl, feedRetentionDdl } from './feed-retention.ddl';
import { dropMerchantShardDdl, merchantShardDdl } from './merchant-shard.ddl';
import { dropOrderLifeDdl, orderLifeDdl } from './order-life.ddl';
import { dropOutboxTraceContextDdl, outboxTraceContextDdl } from './outbox-trace-context.ddl';
import { deliveryDdl, dropDeliveryDdl, dropMerchantFeedDdl, merchantFeedDdl } from './partner-bridge.ddl';
import { dropReverseFlowDdl, reverseFlowDdl } from './reverse-flow.ddl';
import { dropUserShardDdl, userShardDdl } from './user-shard.ddl';
import { dropVirtualGoodsDdl, virtualGoodsDdl } from './virtual-goods.ddl';

export interface SchemaAssignment {
  readonly user: readonly string[];
  readonly merchant: readonly string[];
}

export type MigrationClass = new () => MigrationInterface;

/** DDL of one migration step for one user-shard or merchant-shard schema. */
export interface ShardMigrationStep {
  /** TypeORM's migration name: a class-like name ending in a 13-digit timestamp. */
  readonly name: string;
  readonly user?: { up(schema: string): string; down(schema: string): string };
  readonly merchant?: { up(schema: string): string; down(schema: string): string };
}

/**
 * Every shard migration, oldest first. A step is applied to each schema the shard map assigns
 * to a database, so the same code runs whichever shards a database holds. Append new steps at
 * the end; never edit one that has shipped.
 */
export const SHARD_MIGRATION_STEPS: ShardMigrationStep[] = [
  {
    name: 'InitialShardSchemas1764806400000',
    user: { up: userShardDdl, down: dropUserShardDdl },
    merchant: { up: merchantShardDdl, down: dropMerchantShardDdl },
  },
  {
    name: 'OrderLife1764979200003',
    user: { up: orderLifeDdl, down: dropOrderLifeDdl },
  },
  {
    name: 'PartnerBridge1765065600006',
    user: { up: deliveryDdl, down: dropDeliveryDdl },
    merchant: { up: merchantFeedDdl, down: dropMerchantFeedDdl },
  },
  {
    name: 'ReverseFlow1765152000007',
    user: { up: reverseFlowDdl, down: dropReverseFlowDdl },
  },
  {
    name: 'VirtualGoods1765238400009',
    user: { up: virtualGoodsDdl, down: dropVirtualGoodsDdl },
  },
  {
    name: 'OutboxTraceContext1765324800011',
    user: { up: outboxTraceContextDdl, down: dropOutboxTraceContextDdl },
  },
  {
    name: 'FeedRetention1765411200012',
    merchant: { up: feedRetentionDdl, down: dropFeedRetentionDdl },
  },
];

/** The migration classes of one database, bound to the schemas the shard map assigns to it. */
export function shardSchemaMigrations(assignment: SchemaAssignment): MigrationClass[] {
  return SHARD_MIGRATION_STEPS.map((step) => {
    const migration = class implements MigrationInterface {
      name = step.name;

      async up(queryRunner: QueryRunner): Promise<void> {
        if (step.user) for (const schema of assignment.user) await queryRunner.query(step.user.up(schema));
        if (step.merchant)
          for (const schema of assignment.merchant) await queryRunner.query(step.merchant.up(schema));
      }

      async down(queryRunner: QueryRunner): Promise<void> {
        if (step.merchant)
          for (const schema of assignment.merchant) await queryRunner.query(step.merchant.down(schema));
        if (step.user) for (const schema of assignment.user) await queryRunner.query(step.user.down(schema));
      }
    };
    Object.defineProperty(migration, 'name', { value: step.name });
    return migration;
  });
}
