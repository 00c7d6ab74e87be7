import { Injectable } from '@nestjs/common';
import { DomainError, DomainErrorCode } from '@eos/domain';
import {
  AuditLogRepository,
  MerchantOrderRepository,
  OrderRefundRepository,
  OrderTimelineRepository,
  ReverseRequestRepository,
  UserOrderRepository,
} from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import {
  CsOrderView,
  HistoryView,
  OrderSummaryView,
  presentCsOrder,
  presentHistory,
  presentMerchantOrderSummary,
  presentUserOrderSummary,
} from './cs-order.presenter';
import { CsOrdersQuery } from './dto/cs-queries.dto';
import { RefundView, presentRefund } from '../refunds/refund.presenter';
import {
  AuditView,
  StaffReverseRequestView,
  presentOrderAudit,
  presentStaffRequest,
} from './reverse-request.presenter';

export interface CsOrderCase {
  order: CsOrderView;
  history: HistoryView[];
  reverseRequests: StaffReverseRequestView[];
  refunds: RefundView[];
  audit: AuditView[];
}

export interface OrderSearchPage {
  items: OrderSummaryView[];
  nextCursor: string | null;
}

const DEFAULT_PAGE = 20;

/** Customer service's reads: one order with everything that happened to it, and order search. */
@Injectable()
export class CsOrderQueries {
  constructor(
    private readonly timelines: OrderTimelineRepository,
    private readonly requests: ReverseRequestRepository,
    private readonly refunds: OrderRefundRepository,
    private readonly audit: AuditLogRepository,
    private readonly userOrders: UserOrderRepository,
    private readonly merchantOrders: MerchantOrderRepository,
    private readonly router: ShardRouter,
  ) {}

  /** The order, its forward history, reverse requests, refunds and audit trail (all on its user shard). */
  async orderCase(orderId: string): Promise<CsOrderCase> {
    const route = this.router.routeOrder(orderId);
    const [timeline, requests, refunds, audit] = await Promise.all([
      this.timelines.read(route, orderId),
      this.requests.listForOrder(route, orderId),
      this.refunds.listForOrder(route, orderId),
      this.audit.listForOrder(route, orderId),
    ]);
    if (!timeline) throw new DomainError(DomainErrorCode.OrderNotFound, `order ${orderId} not found`);
    return {
      order: presentCsOrder(timeline),
      history: presentHistory(timeline),
      reverseRequests: requests.map(presentStaffRequest),
      refunds: refunds.map(presentRefund),
      audit: audit.map(presentOrderAudit),
    };
  }

  /**
   * A user's orders (their user shard, the source of truth) or a merchant's (the merchant
   * dimension's read model), newest first, by keyset cursor on the time-ordered id.
   */
  async search(query: CsOrdersQuery): Promise<OrderSearchPage> {
    if ((query.userId === undefined) === (query.merchantId === undefined)) {
      throw new DomainError(DomainErrorCode.ValidationFailed, 'give exactly one of userId and merchantId');
    }
    const limit = query.limit ?? DEFAULT_PAGE;
    const page = { beforeId: query.cursor, limit: limit + 1 };
    const rows =
      query.userId !== undefined
        ? (await this.userOrders.listForUser(query.userId, page)).map(presentUserOrderSummary)
        : (await this.merchantOrders.listForMerchant(query.merchantId ?? '', page)).map(
            presentMerchantOrderSummary,
          );
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
  }
}
