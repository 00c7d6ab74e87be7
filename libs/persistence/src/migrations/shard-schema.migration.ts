import { MigrationInterface, QueryRunner } from 'typeorm';
import { dropMerchantShardDdl, merchantShardDdl } from './merchant-shard.ddl';
import { dropUserShardDdl, userShardDdl } from './user-shard.ddl';

export interface SchemaAssignment {
  readonly user: readonly string[];
  readonly merchant: readonly string[];
}

type MigrationClass = new () => MigrationInterface;

/**
 * The first shard migration, bound to the schemas the shard map assigns to one database, so the
 * same code runs whichever shards a database holds. TypeORM records it once per database.
 */
export function shardSchemaMigrations(assignment: SchemaAssignment): MigrationClass[] {
  class InitialShardSchemas1764806400000 implements MigrationInterface {
    name = 'InitialShardSchemas1764806400000';

    async up(queryRunner: QueryRunner): Promise<void> {
      for (const schema of assignment.user) await queryRunner.query(userShardDdl(schema));
      for (const schema of assignment.merchant) await queryRunner.query(merchantShardDdl(schema));
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      for (const schema of assignment.merchant) await queryRunner.query(dropMerchantShardDdl(schema));
      for (const schema of assignment.user) await queryRunner.query(dropUserShardDdl(schema));
    }
  }
  return [InitialShardSchemas1764806400000];
}
