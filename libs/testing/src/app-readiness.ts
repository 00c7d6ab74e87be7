import { eventually } from './dimension.rows';
import { http } from './http.client';

interface ReadinessBody {
  readonly info?: Record<string, { status: string; degraded?: boolean } | undefined>;
}

/**
 * Waits until the app at `url` reports RabbitMQ up and not degraded: connected, its topology
 * declared and a consumer on each of its queues. A test that closes the app sooner interrupts that
 * setup halfway (and the broker's client then rejects what it had pending).
 */
export async function untilConsuming(url: string, timeoutMs = 30_000): Promise<void> {
  const consuming = await eventually(
    async () => {
      const ready = await http<ReadinessBody>('GET', `${url}/health/ready`);
      const rabbitmq = ready.body?.info?.rabbitmq;
      return rabbitmq?.status === 'up' && rabbitmq.degraded !== true;
    },
    timeoutMs,
    50,
  );
  if (!consuming) throw new Error(`${url} never reported RabbitMQ up with its consumers`);
}
