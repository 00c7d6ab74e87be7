import {
  DomainError,
  DomainErrorCode,
  ForwardAction,
  PaymentNotification,
  decideForwardTransition,
  decidePayment,
} from '@eos/domain';
import { OrderTransitionRepository, PaymentNotificationRepository, PaymentOutcome } from '@eos/persistence';
import { Clock, ShardRouter } from '@eos/sharding';
import { OrderActor } from '../order-actor';
import { orderTransitionRetries, orderTransitions } from '../ordering.metrics';
import { transitionWrite } from '../transition-write';

/** What became of a notification: its recorded outcome, or REPLAYED when it was seen before. */
export type PaymentReceipt = { readonly outcome: PaymentOutcome | 'REPLAYED' };

const MAX_ATTEMPTS = 5;

/**
 * Takes the payment provider's notifications (already authenticated by their signature). The
 * order is found through the shard gene of its id: the provider does not know the user. A new
 * successful payment moves a CREATED order to PAID in one statement that also records the
 * notification; if the order moved first (it expired), the payment is recorded and marked for
 * refund instead. A notification seen before changes nothing.
 */
export class PaymentNotifications {
  constructor(
    private readonly orders: OrderTransitionRepository,
    private readonly payments: PaymentNotificationRepository,
    private readonly router: ShardRouter,
    private readonly clock: Clock,
  ) {}

  async receive(notification: PaymentNotification): Promise<PaymentReceipt> {
    const route = this.router.routeOrder(notification.orderId);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const [seen, subject] = await Promise.all([
        this.payments.isRecorded(route, notification.notificationId),
        this.orders.load(route, notification.orderId),
      ]);
      if (!subject) {
        throw new DomainError(DomainErrorCode.OrderNotFound, `order ${notification.orderId} not found`);
      }
      if (seen) return { outcome: 'REPLAYED' };
      const { order } = subject;
      const decision = decidePayment(order, notification);
      const at = new Date(this.clock.now());
      const record = {
        notificationId: notification.notificationId,
        orderId: order.id,
        amountCents: notification.amountCents,
        status: notification.status,
        paidAt: notification.paidAt,
        receivedAt: at,
      };
      switch (decision.kind) {
        case 'PAY': {
          const transition = decideForwardTransition(order, ForwardAction.Pay, at, subject);
          const result = await this.orders.apply(
            route,
            transitionWrite([transition], OrderActor.PaymentProvider, at, { payment: record }),
          );
          if (result.moved.length === 1) {
            orderTransitions.inc({ action: ForwardAction.Pay, outcome: 'applied' });
            return { outcome: 'APPLIED' };
          }
          // The order moved (expired, or another delivery of this notification paid it): decide again.
          orderTransitionRetries.inc({ action: ForwardAction.Pay });
          break;
        }
        case 'IGNORE_FAILED': {
          const recorded = await this.payments.record(route, { ...record, outcome: 'IGNORED_FAILED' }, null);
          return { outcome: recorded ? 'IGNORED_FAILED' : 'REPLAYED' };
        }
        case 'REFUND': {
          const recorded = await this.payments.record(
            route,
            { ...record, outcome: 'REFUND_DUE' },
            { reason: decision.reason, currency: order.currency },
          );
          return { outcome: recorded ? 'REFUND_DUE' : 'REPLAYED' };
        }
      }
    }
    throw new DomainError(
      DomainErrorCode.VersionConflict,
      `order ${notification.orderId} kept changing; send the notification again`,
    );
  }
}
