import { Injectable } from '@nestjs/common';
import { DomainError, DomainErrorCode } from '@eos/domain';
import { AuditLogRepository, StaffAuditEntry, StaffRepository } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import { AuditQuery } from './dto/cs-queries.dto';
import { AuditView, presentOrderAudit } from './reverse-request.presenter';

const DEFAULT_LIMIT = 50;

function presentStaffAudit(entry: StaffAuditEntry): AuditView {
  return {
    source: 'staff',
    id: entry.id,
    orderId: null,
    staffId: entry.staffId,
    action: entry.action,
    target: entry.target,
    before: entry.before,
    after: entry.after,
    reason: entry.reason,
    at: entry.at.toISOString(),
  };
}

/**
 * The audit trail as customer service reads it: an order's (its user shard's log), or a staff
 * member's, merged from the staff directory's log (grant and staff administration) and every user
 * shard's log (actions on orders), newest first.
 */
@Injectable()
export class CsAuditQueries {
  constructor(
    private readonly orderAudit: AuditLogRepository,
    private readonly staff: StaffRepository,
    private readonly router: ShardRouter,
  ) {}

  async list(query: AuditQuery): Promise<AuditView[]> {
    if ((query.orderId === undefined) === (query.staffId === undefined)) {
      throw new DomainError(DomainErrorCode.ValidationFailed, 'give exactly one of orderId and staffId');
    }
    const limit = query.limit ?? DEFAULT_LIMIT;
    if (query.orderId !== undefined) {
      const orderId = query.orderId;
      const entries = await this.orderAudit.listForOrder(this.router.routeOrder(orderId), orderId);
      return entries.slice(-limit).reverse().map(presentOrderAudit);
    }
    const staffId = query.staffId ?? '';
    const [administration, orders] = await Promise.all([
      this.staff.listAudit({ staffId, limit }),
      this.orderAudit.listForStaff(staffId, limit),
    ]);
    return [...administration.map(presentStaffAudit), ...orders.map(presentOrderAudit)]
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
      .slice(0, limit);
  }
}
