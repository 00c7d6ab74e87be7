import { Injectable } from '@nestjs/common';
import { MerchantFeedRepository, MerchantOrderRepository } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import { ListMerchantOrdersReply, ListMerchantOrdersRequest } from '../grpc/blink.messages';
import { presentSummary } from '../grpc/order.grpc-presenter';
import { pageLimit, pageToken, statusFilter } from '../grpc/request-fields';
import { MerchantPrincipal } from '../partners/partner.principal';
import { actingMerchant } from './acting-merchant';

/** A merchant's order list, from the merchant dimension, newest first by keyset. */
@Injectable()
export class MerchantOrderListService {
  constructor(
    private readonly merchantOrders: MerchantOrderRepository,
    private readonly feed: MerchantFeedRepository,
    private readonly router: ShardRouter,
  ) {}

  async list(
    partner: MerchantPrincipal,
    request: ListMerchantOrdersRequest,
  ): Promise<ListMerchantOrdersReply> {
    const merchantId = actingMerchant(partner, request.merchantId);
    const limit = pageLimit(request.limit);
    const status = statusFilter(request.status);
    const beforeId = pageToken(request.pageToken);
    // Read before the page: a feed watched from this position misses no change made after the list.
    const feedCursor = await this.feed.head(this.router.routeMerchant(merchantId), merchantId);
    const rows = await this.merchantOrders.listForMerchant(merchantId, {
      status,
      beforeId,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      orders: page.map(presentSummary),
      nextPageToken: rows.length > limit ? page[page.length - 1].orderId : '',
      feedCursor,
    };
  }
}
