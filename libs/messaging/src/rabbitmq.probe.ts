import type { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import type { ReadinessProbe } from '@eos/common';
import type { OrderEventConsumers } from './consumers/order-event.consumers';
import { PROBE_CHANNEL } from './rabbitmq.connection';

/** DI token of this app's RabbitMQ readiness probe (provided by MessagingModule). */
export const RABBITMQ_PROBE = Symbol('RABBITMQ_PROBE');

/**
 * Ready when connected to RabbitMQ and every queue this process consumes has a consumer on the
 * broker: reconnects have lost consumers in the client library's history, and the broker's count
 * is what tells. (Like Redis, a broker outage degrades this app without stopping checkout: events
 * wait in the outbox.)
 */
export function rabbitMqProbe(amqp: AmqpConnection, consumers: OrderEventConsumers): ReadinessProbe {
  return {
    name: 'rabbitmq',
    degradesOnly: true,
    check: async () => {
      if (!amqp.connected) throw new Error('not connected to RabbitMQ');
      const channel = amqp.managedChannels[PROBE_CHANNEL];
      for (const queue of consumers.consumedQueues()) {
        const { consumerCount } = await channel.checkQueue(queue);
        if (consumerCount < 1) throw new Error(`queue ${queue} has no consumer`);
      }
    },
  };
}
