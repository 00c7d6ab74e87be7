import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/** The pg Pool behind a TypeORM data source (its Postgres driver keeps it as `master`); undefined before initialize(). */
export function pgPoolOf(source: DataSource): Pool | undefined {
  return (source.driver as unknown as { master?: Pool }).master;
}
