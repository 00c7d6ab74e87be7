import { DataSource } from 'typeorm';

export type PartnerCredentialKind = 'MERCHANT' | 'DELIVERY';

/** A stored credential: what it may act for, and the hash of its secret. */
export interface PartnerCredentialRecord {
  readonly id: string;
  readonly kind: PartnerCredentialKind;
  /** For a merchant credential: the merchants it acts for (decimal ids). */
  readonly merchantIds: readonly string[];
  /** For a delivery credential: the delivery partner whose assigned orders it sees. */
  readonly deliveryPartnerId: string | null;
  readonly secretSha256: Buffer;
  /** Per-credential rate limit; null takes the bridge's default. */
  readonly ratePerSecond: number | null;
  readonly burst: number | null;
  readonly label: string | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

export interface NewPartnerCredential {
  readonly kind: PartnerCredentialKind;
  readonly merchantIds: readonly string[];
  readonly deliveryPartnerId: string | null;
  readonly secretSha256: Buffer;
  readonly ratePerSecond: number | null;
  readonly burst: number | null;
  readonly label: string | null;
}

interface CredentialRow {
  id: string;
  kind: PartnerCredentialKind;
  merchant_ids: string[];
  delivery_partner_id: string | null;
  secret_sha256: Buffer;
  rate_per_second: number | null;
  burst: number | null;
  label: string | null;
  created_at: Date;
  revoked_at: Date | null;
}

const COLUMNS = `id::text AS id, kind, merchant_ids::text[] AS merchant_ids,
  delivery_partner_id::text AS delivery_partner_id, secret_sha256, rate_per_second, burst, label,
  created_at, revoked_at`;

function fromRow(row: CredentialRow): PartnerCredentialRecord {
  return {
    id: row.id,
    kind: row.kind,
    merchantIds: row.merchant_ids,
    deliveryPartnerId: row.delivery_partner_id,
    secretSha256: row.secret_sha256,
    ratePerSecond: row.rate_per_second,
    burst: row.burst,
    label: row.label,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

/** Partner credentials in the catalog database; no decisions, only rows. */
export class PartnerCredentialRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(credential: NewPartnerCredential): Promise<PartnerCredentialRecord> {
    const rows: CredentialRow[] = await this.dataSource.query(
      `INSERT INTO partners.credentials (kind, merchant_ids, delivery_partner_id, secret_sha256, rate_per_second, burst, label)
       VALUES ($1, $2::bigint[], $3::bigint, $4, $5, $6, $7)
       RETURNING ${COLUMNS}`,
      [
        credential.kind,
        credential.merchantIds,
        credential.deliveryPartnerId,
        credential.secretSha256,
        credential.ratePerSecond,
        credential.burst,
        credential.label,
      ],
    );
    return fromRow(rows[0]);
  }

  async find(id: string): Promise<PartnerCredentialRecord | null> {
    const rows: CredentialRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM partners.credentials WHERE id = $1::bigint`,
      [id],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** Revokes a credential; true if it was active. Revoking twice keeps the first time. */
  async revoke(id: string, at: Date): Promise<boolean> {
    const rows: { id: string }[] = await this.dataSource.query(
      `WITH revoked AS (
         UPDATE partners.credentials SET revoked_at = $2 WHERE id = $1::bigint AND revoked_at IS NULL RETURNING id
       ) SELECT id::text AS id FROM revoked`,
      [id, at.toISOString()],
    );
    return rows.length === 1;
  }
}
