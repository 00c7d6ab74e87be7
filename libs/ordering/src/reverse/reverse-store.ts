import {
  AuditLogRepository,
  OrderRefundRepository,
  ReverseOrderRepository,
  ReverseRequestRepository,
  ShardTransactions,
} from '@eos/persistence';

/**
 * The reverse tables of the user shards, as one unit: a reverse step locks the order, changes its
 * requests, refunds and audit trail, and commits them together in one shard transaction.
 */
export class ReverseStore {
  constructor(
    readonly transactions: ShardTransactions,
    readonly orders: ReverseOrderRepository,
    readonly requests: ReverseRequestRepository,
    readonly refunds: OrderRefundRepository,
    readonly audit: AuditLogRepository,
  ) {}
}
