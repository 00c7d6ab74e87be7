import { Injectable } from '@nestjs/common';
import {
  DELIVERY_EXCEPTION_KINDS,
  DeliveryExceptionKind,
  DomainError,
  DomainErrorCode,
  Order,
} from '@eos/domain';
import { OrderTransitions } from '@eos/ordering';
import { DeliveryAssignmentRepository } from '@eos/persistence';
import {
  DeliveryOrderRequest,
  ListAssignedOrdersReply,
  ListAssignedOrdersRequest,
  ReportExceptionReply,
  ReportExceptionRequest,
} from '../grpc/blink.messages';
import { presentOrder } from '../grpc/order.grpc-presenter';
import {
  enumField,
  orderIdField,
  pageLimit,
  pageToken,
  statusFilter,
  textField,
} from '../grpc/request-fields';
import { DeliveryPrincipal } from '../partners/partner.principal';

const NOTE_MAX = 500;

function notAssigned(orderId: string, partner: DeliveryPrincipal): DomainError {
  return new DomainError(
    DomainErrorCode.Forbidden,
    `order ${orderId} is not assigned to delivery partner ${partner.deliveryPartnerId}`,
  );
}

/**
 * A delivery partner's reads and commands: only orders assigned to the partner. The moves
 * themselves are the shared order operations', scoped to the partner: the write re-checks the
 * assignment in its own statement, so a re-assignment landing after the check moves nothing.
 */
@Injectable()
export class DeliveryOrdersService {
  constructor(
    private readonly transitions: OrderTransitions,
    private readonly assignments: DeliveryAssignmentRepository,
  ) {}

  async list(
    partner: DeliveryPrincipal,
    request: ListAssignedOrdersRequest,
  ): Promise<ListAssignedOrdersReply> {
    const limit = pageLimit(request.limit);
    const rows = await this.assignments.listForPartner(partner.deliveryPartnerId, {
      status: statusFilter(request.status),
      beforeId: pageToken(request.pageToken),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      orders: page.map((order) => presentOrder(order, { withAddress: true })),
      nextPageToken: rows.length > limit ? page[page.length - 1].id : '',
    };
  }

  pickUp(partner: DeliveryPrincipal, request: DeliveryOrderRequest): Promise<Order> {
    return this.transitions.pickUp(orderIdField(request.orderId), {
      deliveryPartnerId: partner.deliveryPartnerId,
    });
  }

  deliver(partner: DeliveryPrincipal, request: DeliveryOrderRequest): Promise<Order> {
    return this.transitions.deliver(orderIdField(request.orderId), {
      deliveryPartnerId: partner.deliveryPartnerId,
    });
  }

  async reportException(
    partner: DeliveryPrincipal,
    request: ReportExceptionRequest,
  ): Promise<ReportExceptionReply> {
    const orderId = orderIdField(request.orderId);
    const kind = enumField<DeliveryExceptionKind>(
      request.kind,
      'DELIVERY_EXCEPTION_KIND_',
      DELIVERY_EXCEPTION_KINDS,
      'kind',
    );
    const note = textField(request.note, 'note', NOTE_MAX, kind !== 'OTHER');
    await this.assignedOrder(partner, orderId);
    // The insert re-checks the assignment on the row, so a report never lands on another partner's order.
    const recorded = await this.assignments.recordException({
      orderId,
      deliveryPartnerId: partner.deliveryPartnerId,
      kind,
      note,
      at: new Date(),
    });
    if (!recorded) throw notAssigned(orderId, partner);
    return { exceptionId: recorded.id, orderId, reportedAt: recorded.reportedAt.toISOString() };
  }

  /** The order id if the order exists (else NOT_FOUND) and is assigned to the partner (else PERMISSION_DENIED). */
  private async assignedOrder(partner: DeliveryPrincipal, rawOrderId: string): Promise<string> {
    const orderId = orderIdField(rawOrderId);
    const assignment = await this.assignments.lookup(orderId);
    if (!assignment.exists)
      throw new DomainError(DomainErrorCode.OrderNotFound, `order ${orderId} not found`);
    if (assignment.deliveryPartnerId !== partner.deliveryPartnerId) throw notAssigned(orderId, partner);
    return orderId;
  }
}
