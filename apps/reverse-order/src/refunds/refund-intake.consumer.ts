import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { OrderEventType } from '@eos/domain';
import { OrderEventConsumer, OrderEventConsumers } from '@eos/messaging';
import { RefundIntake } from './refund-intake.service';

// Delivery and virtual orders announce a cancellation under their own routing keys.
const CANCELLED: ReadonlySet<string> = new Set([OrderEventType.Cancelled, OrderEventType.VirtualCancelled]);

/**
 * The refund intake's subscription: a cancelled order (merchant reject, acceptance timeout, a
 * cancellation) may owe its payment back; its open refund dues become PENDING refunds now, rather
 * than at the executor's next catch-up pass. Redelivery is harmless: a due is taken once.
 */
@Injectable()
export class RefundIntakeConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: OrderEventConsumers,
    private readonly intake: RefundIntake,
  ) {}

  onApplicationBootstrap(): void {
    this.consumers.subscribe(OrderEventConsumer.RefundIntake, async (event) => {
      if (!CANCELLED.has(event.eventType)) return;
      await this.intake.forOrder(event.orderId);
    });
  }
}
