import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { OrderEventConsumer, OrderEventConsumers } from '@eos/messaging';
import { VirtualFulfilmentService } from './virtual-fulfilment.service';

/**
 * Fulfils virtual orders as their payment is announced (`order.virtual.paid`). Idempotent: the
 * fulfilment is version-guarded, so a redelivered event finds the order FULFILLED and is acked.
 * A failure is retried and then parked; the sweep fulfils whatever is still PAID after a minute.
 */
@Injectable()
export class VirtualFulfilmentConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: OrderEventConsumers,
    private readonly fulfilment: VirtualFulfilmentService,
  ) {}

  onApplicationBootstrap(): void {
    this.consumers.subscribe(OrderEventConsumer.VirtualFulfilment, async (event) => {
      await this.fulfilment.fulfil(event.orderId, 'event');
    });
  }
}
