/**
 * The INSERT of a refund event into the order's outbox, for use as a CTE of the statement that
 * changed the refund: one row per row of `refunds` (a CTE holding changed refund rows, as RETURNING
 * gave them). The payload is the order's OrderEventPayload as it stands (its status and version
 * unchanged by a refund, so the merchant projector sees nothing newer and leaves its row be), plus
 * a `refund` object describing the refund. `eventType` and `at` are statement placeholders.
 */
export function refundEventInsert(schema: string, refunds: string, eventType: string, at: string): string {
  const iso = (column: string): string =>
    `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  return `INSERT INTO ${schema}.outbox (order_id, event_type, order_version, payload, created_at)
  SELECT o.id, ${eventType}, o.version, jsonb_build_object(
    'orderId', o.id::text, 'userId', o.user_id::text, 'merchantId', o.merchant_id::text, 'kind', o.kind,
    'status', o.status,
    'previousStatus', (SELECT h.from_status FROM ${schema}.order_status_history h
                       WHERE h.order_id = o.id AND h.version = o.version),
    'totalCents', o.total_cents, 'currency', o.currency, 'version', o.version,
    'createdAt', ${iso('o.created_at')}, 'updatedAt', ${iso('o.updated_at')},
    'refund', jsonb_build_object(
      'refundId', ${refunds}.id::text, 'reverseRequestId', ${refunds}.reverse_request_id::text,
      'amountCents', ${refunds}.amount_cents, 'currency', ${refunds}.currency, 'bearer', ${refunds}.bearer,
      'reason', ${refunds}.reason, 'status', ${refunds}.status, 'attempts', ${refunds}.attempts,
      'providerRefundId', ${refunds}.provider_refund_id, 'lastError', ${refunds}.last_error)
  ), ${at}
  FROM ${refunds} JOIN ${schema}.orders o ON o.id = ${refunds}.order_id`;
}
