import { Injectable } from '@nestjs/common';
import { status } from '@grpc/grpc-js';
import { DomainError, DomainErrorCode, Order } from '@eos/domain';
import { OrderTransitions } from '@eos/ordering';
import { OrderTransitionRepository, TransitionSubject } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import { BlinkCallError } from '../grpc/blink-call.error';
import { DecideCancellationRequest, MerchantOrderRequest, RejectOrderRequest } from '../grpc/blink.messages';
import { enumField, orderIdField, textField } from '../grpc/request-fields';
import { MerchantPrincipal } from '../partners/partner.principal';
import { actingMerchant } from './acting-merchant';

const REASON_MAX = 200;
const DECISIONS = ['APPROVE', 'REFUSE'] as const;

/**
 * A merchant's reads and commands on one order. Every decision is the shared order operations'
 * (state machine, version guard, history and outbox); this only names the acting merchant.
 */
@Injectable()
export class MerchantCommandsService {
  constructor(
    private readonly transitions: OrderTransitions,
    private readonly orders: OrderTransitionRepository,
    private readonly router: ShardRouter,
  ) {}

  async get(partner: MerchantPrincipal, request: MerchantOrderRequest): Promise<Order> {
    return (await this.load(partner, request)).order;
  }

  accept(partner: MerchantPrincipal, request: MerchantOrderRequest): Promise<Order> {
    const orderId = orderIdField(request.orderId);
    return this.transitions.accept(orderId, { merchantId: actingMerchant(partner, request.merchantId) });
  }

  reject(partner: MerchantPrincipal, request: RejectOrderRequest): Promise<Order> {
    const orderId = orderIdField(request.orderId);
    const reason = textField(request.reason, 'reason', REASON_MAX, false);
    return this.transitions.reject(orderId, reason, {
      merchantId: actingMerchant(partner, request.merchantId),
    });
  }

  markReady(partner: MerchantPrincipal, request: MerchantOrderRequest): Promise<Order> {
    const orderId = orderIdField(request.orderId);
    return this.transitions.markReady(orderId, { merchantId: actingMerchant(partner, request.merchantId) });
  }

  /**
   * Cancellation requests are opened and decided by the reverse flow, which has no operation for
   * a merchant's decision yet: the call is authorised and checked against the order, then
   * answered UNIMPLEMENTED rather than deciding anything here.
   */
  async decideCancellation(partner: MerchantPrincipal, request: DecideCancellationRequest): Promise<Order> {
    enumField(request.decision, 'CANCELLATION_DECISION_', DECISIONS, 'decision');
    textField(request.reason, 'reason', REASON_MAX, true);
    const subject = await this.load(partner, request);
    if (subject.openReverseRequests === 0) {
      throw new DomainError(
        DomainErrorCode.IllegalTransition,
        `order ${subject.order.id} has no open cancellation request`,
        { from: subject.order.status },
      );
    }
    throw new BlinkCallError(
      status.UNIMPLEMENTED,
      'NOT_IMPLEMENTED',
      'deciding cancellation requests is not available yet: the reverse flow does not offer it',
    );
  }

  private async load(
    partner: MerchantPrincipal,
    request: { orderId: string; merchantId: string },
  ): Promise<TransitionSubject> {
    const orderId = orderIdField(request.orderId);
    const merchantId = actingMerchant(partner, request.merchantId);
    const subject = await this.orders.load(this.router.routeOrder(orderId), orderId);
    if (!subject) throw new DomainError(DomainErrorCode.OrderNotFound, `order ${orderId} not found`);
    if (subject.order.merchantId !== merchantId) {
      throw new DomainError(DomainErrorCode.Forbidden, `order ${orderId} belongs to another merchant`);
    }
    return subject;
  }
}
