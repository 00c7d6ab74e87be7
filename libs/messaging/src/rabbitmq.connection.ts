import { AmqpConnection, MessageHandlerErrorBehavior } from '@golevelup/nestjs-rabbitmq';
import { Logger } from '@nestjs/common';
import type { Channel } from 'amqplib';
import { rabbitmqConnected } from './messaging.metrics';
import { declareOrderEventTopology, type TopologyOptions } from './order-events.topology';

/** Channel the consumers read on, with its own prefetch; the default channel publishes. */
export const CONSUMER_CHANNEL = 'consumers';
/** Channel of the readiness probe's queue checks, so a failed check can never close the publisher's. */
export const PROBE_CHANNEL = 'probe';

/** A channel closing with its connection is not a channel loss: wait until the manager has noticed. */
const CHANNEL_LOSS_GRACE_MS = 1000;

export interface RabbitMqConnectionOptions {
  readonly url: string;
  /** Connection name in logs and in the broker's connection list. */
  readonly name: string;
  readonly consumerPrefetch: number;
  readonly topology: TopologyOptions;
}

/**
 * One golevelup AmqpConnection per app, built here rather than through RabbitMQModule: that module
 * keeps its connections in a static registry shared by every Nest app in the process and skips
 * handler discovery for all but the first, so two apps in one process (a test beside a relay, two
 * relays) would share one connection or lose their consumers.
 *
 * Configured against the library's hazardous defaults:
 * - `wait: false`: the app boots while the broker is down and connects (and reconnects every
 *   second) in the background; events wait in the outbox meanwhile.
 * - failing messages are nacked without requeue (into the dead-letter exchange), never requeued
 *   in a loop; consumers set their own error handler on top (see OrderEventConsumers).
 * - the topology is declared on each channel before it publishes or consumes, again after every
 *   reconnect.
 */
export async function openRabbitMqConnection(options: RabbitMqConnectionOptions): Promise<AmqpConnection> {
  const logger = new Logger(`rabbitmq:${options.name}`);
  const connection = new AmqpConnection({
    name: options.name,
    uri: options.url,
    prefetchCount: options.consumerPrefetch,
    connectionInitOptions: {
      wait: false,
      reject: false,
      // Reported once per outage below instead of once per reconnect attempt.
      skipConnectionFailedLogging: true,
      skipDisconnectFailedLogging: true,
    },
    connectionManagerOptions: {
      heartbeatIntervalInSeconds: 5,
      reconnectTimeInSeconds: 1,
      // amqplib leaves Nagle's algorithm on: a publish then waits for the broker's delayed ACK
      // of the previous one (~40 ms) before it leaves, which dominated commit-to-consume latency.
      connectionOptions: {
        timeout: 2000,
        noDelay: true,
        clientProperties: { connection_name: options.name },
      },
    },
    registerHandlers: false,
    enableDirectReplyTo: false,
    defaultSubscribeErrorBehavior: MessageHandlerErrorBehavior.NACK,
    channels: { [CONSUMER_CHANNEL]: { prefetchCount: options.consumerPrefetch }, [PROBE_CHANNEL]: {} },
    logger,
  });
  await connection.init();

  let down = false;
  rabbitmqConnected.set(0);
  connection.managedConnection.on('connect', () => {
    rabbitmqConnected.set(1);
    if (down) logger.log('RabbitMQ back; events waiting in the outbox flow again');
    down = false;
  });
  const lost = (reason: string): void => {
    rabbitmqConnected.set(0);
    if (!down) logger.warn(`RabbitMQ unavailable (${reason}); events wait in the outbox`);
    down = true;
  };
  connection.managedConnection.on('disconnect', ({ err }: { err?: Error }) =>
    lost(err?.message ?? 'disconnected'),
  );
  connection.managedConnection.on('connectFailed', ({ err }: { err?: Error }) =>
    lost(err?.message ?? 'connect failed'),
  );
  if (connection.connected) rabbitmqConnected.set(1);

  const declare = async (channel: Channel): Promise<void> => {
    try {
      await declareOrderEventTopology(channel, options.topology);
    } catch (error) {
      // Typically PRECONDITION_FAILED: a queue exists with other arguments. The channel is closed by
      // the broker; publishing fails by timeout and rows stay in the outbox until this is fixed.
      logger.error(
        `declaring the order-event topology failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw error;
    }
  };
  // The library reopens a channel only when the whole connection comes back. A channel the broker
  // closes under a live connection (a channel error) would stay dead: the publisher's confirms
  // would time out forever and the consumers would be lost. Reconnecting re-runs every setup.
  const reconnectIfChannelLost = async (channel: Channel): Promise<void> => {
    const connectionOfChannel = connection.managedConnection.connection;
    channel.once('close', () => {
      setTimeout(() => {
        // Closed with its connection (an outage, or the app shutting down): nothing to do.
        if (!connection.connected || connection.managedConnection.connection !== connectionOfChannel) return;
        logger.warn('a RabbitMQ channel closed while its connection stayed up; reconnecting');
        try {
          connection.managedConnection.reconnect();
        } catch {
          // Closed meanwhile.
        }
      }, CHANNEL_LOSS_GRACE_MS).unref();
    });
  };
  await Promise.all(
    [connection.managedChannel, connection.managedChannels[CONSUMER_CHANNEL]].map(async (channel) => {
      await channel.addSetup(declare).catch(() => undefined);
      await channel.addSetup(reconnectIfChannelLost).catch(() => undefined);
    }),
  );
  return connection;
}
