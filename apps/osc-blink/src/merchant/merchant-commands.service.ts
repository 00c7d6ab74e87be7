import { Injectable } from '@nestjs/common';
import { DomainError, DomainErrorCode, Order } from '@eos/domain';
import { MerchantCancellationDecisions, OrderTransitions } from '@eos/ordering';
import { OrderTransitionRepository, TransitionSubject } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
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
    private readonly cancellations: MerchantCancellationDecisions,
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
   * Approves or refuses the customer's open cancellation request of the merchant's order, through
   * the reverse flow's shared operation: approving cancels the order (refund marked, borne by the
   * merchant) in the same transaction that closes the request.
   */
  async decideCancellation(partner: MerchantPrincipal, request: DecideCancellationRequest): Promise<Order> {
    const orderId = orderIdField(request.orderId);
    const decision = enumField(request.decision, 'CANCELLATION_DECISION_', DECISIONS, 'decision');
    const reason = textField(request.reason, 'reason', REASON_MAX, true);
    const outcome = await this.cancellations.decide(orderId, decision, reason, {
      merchantId: actingMerchant(partner, request.merchantId),
    });
    return outcome.order;
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
