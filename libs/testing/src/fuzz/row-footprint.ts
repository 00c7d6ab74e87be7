import { ShardDataSources } from '@eos/persistence';
import { ShardRouter, parseOrderId, schemasOn } from '@eos/sharding';
import { isWireId } from './id.arbitraries';

/** Runs one statement on the catalog database and returns its rows. */
export type CatalogQuery = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** Count and digest of the scoped rows of one table: `<count>:<md5 of the sorted row digests>`. */
export type Footprint = Record<string, string>;

// Columns that background work changes on rows no request touched: the relay stamps published_at
// on outbox rows written while the fixtures were made.
const VOLATILE_COLUMNS = ['published_at'];

interface ScopedTable {
  readonly name: string;
  readonly columns: ReadonlySet<string>;
}

/**
 * A fingerprint of every row a set of users, orders, staff members and partner credentials owns,
 * in every table of their user shards (found from the columns `order_id` and `user_id`, so tables
 * added later are covered) and in the catalog's staff and partner tables. Ids generated during a
 * fuzz run are added as they are sent; a row that appears for one of them shows up as a
 * difference from the footprint taken before, as does any changed, added or removed row of the
 * fixtures. Scoped to those ids so that tests running beside it cannot disturb it.
 */
export class RowFootprint {
  private readonly users = new Set<string>();
  private readonly orders = new Set<string>();
  private readonly staff = new Set<string>();
  private readonly partners = new Set<string>();
  private readonly tables = new Map<string, Promise<ScopedTable[]>>();

  constructor(
    private readonly sources: ShardDataSources,
    private readonly router: ShardRouter,
    private readonly catalog?: CatalogQuery,
  ) {}

  /** Adds a user id to the scope; anything that is not a wire id is ignored (no row can carry it). */
  user(id: string): this {
    if (isWireId(id)) this.users.add(id);
    return this;
  }

  /** Adds an order (or reverse request, refund) id; ignored unless it routes to a shard. */
  order(id: string): this {
    try {
      this.orders.add(parseOrderId(id).toString());
    } catch {
      // Not an order id: nothing can be stored under it.
    }
    return this;
  }

  staffMember(id: string): this {
    if (isWireId(id)) this.staff.add(id);
    return this;
  }

  partner(id: string): this {
    if (isWireId(id)) this.partners.add(id);
    return this;
  }

  /**
   * Adds every string in a generated input (a path's segments, a body's values) that is itself an
   * order id: what a route could have mistaken for an order. No real order has a small or
   * far-future id, so nothing else can disturb the rows of those. User ids are added only
   * explicitly: a stray number could be a user another test is busy with.
   */
  orderIdsIn(value: unknown): this {
    if (typeof value === 'string') {
      for (const part of value.split(/[/?&=-]/)) this.order(decodeURIComponentSafe(part));
    } else if (typeof value === 'number' && Number.isSafeInteger(value)) {
      this.order(String(value));
    } else if (Array.isArray(value)) {
      for (const entry of value) this.orderIdsIn(entry);
    } else if (typeof value === 'object' && value !== null) {
      for (const entry of Object.values(value)) this.orderIdsIn(entry);
    }
    return this;
  }

  async take(): Promise<Footprint> {
    const footprint: Footprint = {};
    const orders = [...this.orders];
    const users = [...this.users];
    const byDatabase = new Map<string, Set<string>>();
    const schemaOf = (route: { database: string; schema: string }) => {
      const schemas = byDatabase.get(route.database) ?? new Set<string>();
      schemas.add(route.schema);
      byDatabase.set(route.database, schemas);
    };
    for (const id of orders) schemaOf(this.router.routeOrder(id));
    for (const id of users) schemaOf(this.router.routeUser(id));
    for (const [database, schemas] of byDatabase) {
      const tables = await this.tablesOn(database);
      const source = this.sources.get(database);
      // One statement per schema, a few at a time: one statement over sixty schemas plans slowly.
      const pending = [...schemas];
      const worker = async () => {
        for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
          const schema = next;
          const parts = tables.flatMap((table) => {
            const where = conditionFor(schema, table);
            return where ? [digestSql(`${schema}.${table.name}`, where)] : [];
          });
          const rows: { place: string; n: number; digest: string }[] = await source.query(
            parts.join('\nUNION ALL\n'),
            [orders, users],
          );
          for (const row of rows) if (row.n > 0) footprint[row.place] = `${row.n}:${row.digest}`;
        }
      };
      await Promise.all([worker(), worker(), worker()]);
    }
    if (this.catalog) {
      const staff = [...this.staff];
      // Audit targets are `staff:<id>` and `staff:<id>/grant:<permission>`.
      const targets = staff.map((id) => `staff:${id}`);
      const grantTargets = staff.map((id) => `staff:${id}/%`);
      const parts = [
        digestSql('staff.members', 'id = ANY($1::bigint[])'),
        digestSql('staff.grants', 'staff_id = ANY($1::bigint[])'),
        digestSql(
          'staff.audit_log',
          'staff_id = ANY($1::bigint[]) OR target = ANY($2::text[]) OR target LIKE ANY($3::text[])',
        ),
        digestSql('partners.credentials', 'id = ANY($4::bigint[])'),
      ];
      const rows = await this.catalog(parts.join('\nUNION ALL\n'), [
        staff,
        targets,
        grantTargets,
        [...this.partners],
      ]);
      for (const row of rows)
        if (Number(row.n) > 0) footprint[String(row.place)] = `${String(row.n)}:${String(row.digest)}`;
    }
    return footprint;
  }

  /** The user-shard tables that hold an order id or a user id, read from one schema of the database. */
  private tablesOn(database: string): Promise<ScopedTable[]> {
    let found = this.tables.get(database);
    if (!found) {
      const sample = schemasOn(this.router.map, database).user[0];
      found = this.sources
        .get(database)
        .query(
          `SELECT table_name AS name, array_agg(column_name::text) AS columns
           FROM information_schema.columns
           WHERE table_schema = $1 AND column_name IN ('order_id', 'user_id')
           GROUP BY table_name ORDER BY table_name`,
          [sample],
        )
        .then((rows: { name: string; columns: string[] }[]) =>
          rows.map((row) => ({ name: row.name, columns: new Set(row.columns) })),
        );
      this.tables.set(database, found);
    }
    return found;
  }
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Rows of the scope in one table: $1 the order ids, $2 the user ids. */
function conditionFor(schema: string, table: ScopedTable): string | null {
  const ownOrders = `SELECT id FROM ${schema}.orders WHERE user_id = ANY($2::bigint[])`;
  if (table.name === 'orders') return 'id = ANY($1::bigint[]) OR user_id = ANY($2::bigint[])';
  const terms: string[] = [];
  if (table.columns.has('order_id')) terms.push(`order_id = ANY($1::bigint[])`, `order_id IN (${ownOrders})`);
  if (table.columns.has('user_id')) terms.push('user_id = ANY($2::bigint[])');
  return terms.length > 0 ? terms.join(' OR ') : null;
}

function digestSql(place: string, where: string): string {
  const volatile = VOLATILE_COLUMNS.map((column) => ` - '${column}'`).join('');
  return `(SELECT '${place}' AS place, count(*)::int AS n,
      md5(coalesce(string_agg(r, ',' ORDER BY r), '')) AS digest
    FROM (SELECT md5((to_jsonb(t)${volatile})::text) AS r FROM ${place} t WHERE ${where}) AS scoped)`;
}
