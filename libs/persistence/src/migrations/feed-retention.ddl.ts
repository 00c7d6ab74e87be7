/**
 * The merchant feed is pruned by age (FEED_RETENTION_HOURS). A BRIN index on `recorded_at` finds the
 * old entries without scanning the table: entries are appended in time order, so each block range
 * holds a narrow span of times, and the index costs next to nothing on the projector's inserts.
 */
export function feedRetentionDdl(schema: string): string {
  return `CREATE INDEX IF NOT EXISTS merchant_order_changes_recorded_at
  ON ${schema}.merchant_order_changes USING brin (recorded_at);`;
}

export function dropFeedRetentionDdl(schema: string): string {
  return `DROP INDEX IF EXISTS ${schema}.merchant_order_changes_recorded_at;`;
}
