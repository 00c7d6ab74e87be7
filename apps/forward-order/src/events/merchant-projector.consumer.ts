import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { OrderEventConsumer, OrderEventConsumers } from '@eos/messaging';
import { MerchantProjectionService } from './merchant-projection.service';

/** The merchant-dimension projector's subscription: every order event, handed to the projection. */
@Injectable()
export class MerchantProjectorConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: OrderEventConsumers,
    private readonly projection: MerchantProjectionService,
  ) {}

  onApplicationBootstrap(): void {
    this.consumers.subscribe(OrderEventConsumer.MerchantProjector, async (event) => {
      await this.projection.apply(event);
    });
  }
}
