import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import amqp from 'amqplib';

const run = promisify(execFile);

/** Stops the local broker's application (connections drop, the node stays up): a broker outage. */
export async function stopRabbitMq(): Promise<void> {
  await run('rabbitmqctl', ['stop_app'], { timeout: 60_000 });
}

/** Starts it again and waits until it accepts connections. Safe to call when it is running. */
export async function startRabbitMq(url: string, timeoutMs = 60_000): Promise<void> {
  await run('rabbitmqctl', ['start_app'], { timeout: timeoutMs });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await amqp.connect(url, { timeout: 2000 });
      await connection.close();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** Messages ready in a queue and consumers on it, as the broker reports them. */
export async function queueState(
  url: string,
  queue: string,
): Promise<{ messages: number; consumers: number }> {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    const { messageCount, consumerCount } = await channel.checkQueue(queue);
    return { messages: messageCount, consumers: consumerCount };
  } finally {
    await connection.close();
  }
}

/**
 * Takes the message `messageId` out of a queue (e.g. a parking queue), leaving any other message
 * there; null if it does not arrive within `timeoutMs`.
 */
export async function takeMessage(
  url: string,
  queue: string,
  messageId: string,
  timeoutMs: number,
): Promise<amqp.GetMessage | null> {
  const deadline = Date.now() + timeoutMs;
  const connection = await amqp.connect(url);
  try {
    while (Date.now() < deadline) {
      // A fresh channel per sweep: closing it hands back every other message it held, unacknowledged.
      const channel = await connection.createChannel();
      try {
        for (;;) {
          const message = await channel.get(queue, { noAck: false });
          if (message === false) break;
          if (message.properties.messageId === messageId) {
            channel.ack(message);
            return message;
          }
        }
      } finally {
        await channel.close();
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return null;
  } finally {
    await connection.close();
  }
}

/** Whether `queue` holds the message now, without taking it: every message read is handed back. */
export async function holdsMessage(url: string, queue: string, messageId: string): Promise<boolean> {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    try {
      for (;;) {
        const message = await channel.get(queue, { noAck: false });
        if (message === false) return false;
        if (message.properties.messageId === messageId) return true;
      }
    } finally {
      // Closing the channel returns everything it read, unacknowledged, to the queue.
      await channel.close();
    }
  } finally {
    await connection.close();
  }
}

async function rabbitmqctlRows(args: string[]): Promise<string[][]> {
  const { stdout } = await run('rabbitmqctl', ['-q', '--no-table-headers', ...args], { timeout: 30_000 });
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t'));
}

/**
 * The connection names (`connection_name` client property, e.g. `eos:<pid>`) of the consumers on
 * `queue`: tells whether this very process consumes it, not just anyone.
 */
export async function consumerConnectionNames(queue: string): Promise<string[]> {
  const consumers = await rabbitmqctlRows(['list_consumers', 'queue_name', 'channel_pid']);
  const channels = new Map(
    (await rabbitmqctlRows(['list_channels', 'pid', 'connection'])).map(([pid, conn]) => [pid, conn]),
  );
  const names = new Map(
    (await rabbitmqctlRows(['list_connections', 'pid', 'client_properties'])).map(([pid, properties]) => [
      pid,
      /"connection_name","([^"]*)"/.exec(properties ?? '')?.[1] ?? '',
    ]),
  );
  return consumers
    .filter(([name]) => name === queue)
    .map(([, channel]) => names.get(channels.get(channel) ?? '') ?? '');
}
