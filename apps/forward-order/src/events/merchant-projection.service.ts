import { Injectable } from '@nestjs/common';
import { MerchantOrderRepository, type ProjectionOutcome } from '@eos/persistence';
import type { OrderEventEnvelope } from '@eos/messaging';

/**
 * Keeps the merchant dimension from order events: the order's state as of the event, applied only
 * when the event's version is newer than what the merchant shard holds, so redelivered, duplicated
 * and out-of-order events are harmless.
 */
@Injectable()
export class MerchantProjectionService {
  constructor(private readonly merchantOrders: MerchantOrderRepository) {}

  apply(event: OrderEventEnvelope): Promise<ProjectionOutcome> {
    return this.merchantOrders.applyEvent(event.payload);
  }
}
