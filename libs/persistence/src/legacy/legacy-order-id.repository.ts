import type { SqlClient } from './sql-client';

export interface LegacyOrderIdMapping {
  readonly legacyId: string;
  readonly orderId: string;
  readonly userId: string;
}

interface MappingRow {
  legacy_id: string;
  order_id: string;
  user_id: string;
}

function mappingFrom(row: MappingRow): LegacyOrderIdMapping {
  return { legacyId: row.legacy_id, orderId: row.order_id, userId: row.user_id };
}

/** The old id -> new eos order id mapping (catalog database, table legacy_order_ids). */
export class LegacyOrderIdRepository {
  async find(client: SqlClient, legacyId: string): Promise<LegacyOrderIdMapping | null> {
    const { rows } = await client.query<MappingRow>(
      'SELECT legacy_id::text AS legacy_id, order_id::text AS order_id, user_id::text AS user_id FROM legacy_order_ids WHERE legacy_id = $1',
      [legacyId],
    );
    return rows[0] ? mappingFrom(rows[0]) : null;
  }

  async findMany(client: SqlClient, legacyIds: readonly string[]): Promise<LegacyOrderIdMapping[]> {
    if (legacyIds.length === 0) return [];
    const { rows } = await client.query<MappingRow>(
      `SELECT legacy_id::text AS legacy_id, order_id::text AS order_id, user_id::text AS user_id
         FROM legacy_order_ids WHERE legacy_id = ANY($1::bigint[])`,
      [legacyIds],
    );
    return rows.map(mappingFrom);
  }

  /**
   * Records the proposed mappings whose old id has none yet, and returns the mapping of every given
   * old id as stored: when two copiers race, the first one's new id wins and the loser's proposal
   * is dropped (an unused order id costs nothing).
   */
  async claim(
    client: SqlClient,
    proposals: readonly LegacyOrderIdMapping[],
  ): Promise<LegacyOrderIdMapping[]> {
    if (proposals.length === 0) return [];
    await client.query(
      `INSERT INTO legacy_order_ids (legacy_id, order_id, user_id)
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[])
       ON CONFLICT (legacy_id) DO NOTHING`,
      [proposals.map((p) => p.legacyId), proposals.map((p) => p.orderId), proposals.map((p) => p.userId)],
    );
    return this.findMany(
      client,
      proposals.map((p) => p.legacyId),
    );
  }

  /** Every mapping with an old id above `afterId`, ascending, at most `limit` (for verify). */
  async page(client: SqlClient, afterId: string, limit: number): Promise<LegacyOrderIdMapping[]> {
    const { rows } = await client.query<MappingRow>(
      `SELECT legacy_id::text AS legacy_id, order_id::text AS order_id, user_id::text AS user_id
         FROM legacy_order_ids m WHERE m.legacy_id > $1::bigint ORDER BY m.legacy_id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map(mappingFrom);
  }
}
