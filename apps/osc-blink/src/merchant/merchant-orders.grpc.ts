import { Controller, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import type { ServerWritableStream } from '@grpc/grpc-js';
import { Observable } from 'rxjs';
import {
  DecideCancellationRequest,
  ListMerchantOrdersReply,
  ListMerchantOrdersRequest,
  MerchantOrderRequest,
  OrderFeedEvent,
  OrderReply,
  RejectOrderRequest,
  WatchOrdersRequest,
} from '../grpc/blink.messages';
import { CallDeadlineInterceptor } from '../grpc/call-deadline.interceptor';
import { GrpcStreamCall } from '../grpc/grpc-call';
import { GrpcErrorFilter } from '../grpc/grpc-error.filter';
import { WellFormedRequestGuard } from '../grpc/malformed-request';
import { presentOrder } from '../grpc/order.grpc-presenter';
import { CallingMerchant, PartnerGuard, ServesPartners } from '../partners/partner.guard';
import { MerchantPrincipal } from '../partners/partner.principal';
import { MerchantCommandsService } from './merchant-commands.service';
import { MerchantFeedService } from './merchant-feed.service';
import { MerchantOrderListService } from './merchant-order-list.service';

const SERVICE = 'MerchantOrders';
const merchantView = { withAddress: false };

/** eos.blink.v1.MerchantOrders: each method hands its request to one service and maps the answer. */
@Controller()
@ServesPartners('MERCHANT')
@UseGuards(PartnerGuard, WellFormedRequestGuard)
@UseInterceptors(CallDeadlineInterceptor)
@UseFilters(GrpcErrorFilter)
export class MerchantOrdersGrpc {
  constructor(
    private readonly feed: MerchantFeedService,
    private readonly list: MerchantOrderListService,
    private readonly commands: MerchantCommandsService,
  ) {}

  @GrpcMethod(SERVICE, 'WatchOrders')
  watchOrders(
    @Payload() request: WatchOrdersRequest,
    @CallingMerchant() partner: MerchantPrincipal,
    @GrpcStreamCall() call: ServerWritableStream<unknown, unknown>,
  ): Observable<OrderFeedEvent> {
    return this.feed.watch(partner, request, call);
  }

  @GrpcMethod(SERVICE, 'ListOrders')
  listOrders(
    @Payload() request: ListMerchantOrdersRequest,
    @CallingMerchant() partner: MerchantPrincipal,
  ): Promise<ListMerchantOrdersReply> {
    return this.list.list(partner, request);
  }

  @GrpcMethod(SERVICE, 'GetOrder')
  async getOrder(
    @Payload() request: MerchantOrderRequest,
    @CallingMerchant() partner: MerchantPrincipal,
  ): Promise<OrderReply> {
    return { order: presentOrder(await this.commands.get(partner, request), merchantView) };
  }

  @GrpcMethod(SERVICE, 'AcceptOrder')
  async acceptOrder(
    @Payload() request: MerchantOrderRequest,
    @CallingMerchant() partner: MerchantPrincipal,
  ): Promise<OrderReply> {
    return { order: presentOrder(await this.commands.accept(partner, request), merchantView) };
  }

  @GrpcMethod(SERVICE, 'RejectOrder')
  async rejectOrder(
    @Payload() request: RejectOrderRequest,
    @CallingMerchant() partner: MerchantPrincipal,
  ): Promise<OrderReply> {
    return { order: presentOrder(await this.commands.reject(partner, request), merchantView) };
  }

  @GrpcMethod(SERVICE, 'MarkReady')
  async markReady(
    @Payload() request: MerchantOrderRequest,
    @CallingMerchant() partner: MerchantPrincipal,
  ): Promise<OrderReply> {
    return { order: presentOrder(await this.commands.markReady(partner, request), merchantView) };
  }

  @GrpcMethod(SERVICE, 'DecideCancellation')
  async decideCancellation(
    @Payload() request: DecideCancellationRequest,
    @CallingMerchant() partner: MerchantPrincipal,
  ): Promise<OrderReply> {
    return { order: presentOrder(await this.commands.decideCancellation(partner, request), merchantView) };
  }
}
