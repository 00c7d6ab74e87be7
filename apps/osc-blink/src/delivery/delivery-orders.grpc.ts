import { Controller, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import {
  DeliveryOrderRequest,
  ListAssignedOrdersReply,
  ListAssignedOrdersRequest,
  OrderReply,
  ReportExceptionReply,
  ReportExceptionRequest,
} from '../grpc/blink.messages';
import { CallDeadlineInterceptor } from '../grpc/call-deadline.interceptor';
import { GrpcErrorFilter } from '../grpc/grpc-error.filter';
import { WellFormedRequestGuard } from '../grpc/malformed-request';
import { presentOrder } from '../grpc/order.grpc-presenter';
import { CallingDeliveryPartner, PartnerGuard, ServesPartners } from '../partners/partner.guard';
import { DeliveryPrincipal } from '../partners/partner.principal';
import { DeliveryOrdersService } from './delivery-orders.service';

const SERVICE = 'DeliveryOrders';
const riderView = { withAddress: true };

/** eos.blink.v1.DeliveryOrders: each method hands its request to the service and maps the answer. */
@Controller()
@ServesPartners('DELIVERY')
@UseGuards(PartnerGuard, WellFormedRequestGuard)
@UseInterceptors(CallDeadlineInterceptor)
@UseFilters(GrpcErrorFilter)
export class DeliveryOrdersGrpc {
  constructor(private readonly delivery: DeliveryOrdersService) {}

  @GrpcMethod(SERVICE, 'ListAssignedOrders')
  listAssignedOrders(
    @Payload() request: ListAssignedOrdersRequest,
    @CallingDeliveryPartner() partner: DeliveryPrincipal,
  ): Promise<ListAssignedOrdersReply> {
    return this.delivery.list(partner, request);
  }

  @GrpcMethod(SERVICE, 'PickUpOrder')
  async pickUpOrder(
    @Payload() request: DeliveryOrderRequest,
    @CallingDeliveryPartner() partner: DeliveryPrincipal,
  ): Promise<OrderReply> {
    return { order: presentOrder(await this.delivery.pickUp(partner, request), riderView) };
  }

  @GrpcMethod(SERVICE, 'DeliverOrder')
  async deliverOrder(
    @Payload() request: DeliveryOrderRequest,
    @CallingDeliveryPartner() partner: DeliveryPrincipal,
  ): Promise<OrderReply> {
    return { order: presentOrder(await this.delivery.deliver(partner, request), riderView) };
  }

  @GrpcMethod(SERVICE, 'ReportException')
  reportException(
    @Payload() request: ReportExceptionRequest,
    @CallingDeliveryPartner() partner: DeliveryPrincipal,
  ): Promise<ReportExceptionReply> {
    return this.delivery.reportException(partner, request);
  }
}
