import type { ReadinessProbe } from '@eos/common';
import type Redis from 'ioredis';

export function redisProbe(redis: Redis): ReadinessProbe {
  return {
    name: 'redis',
    degradesOnly: true,
    check: async () => {
      await redis.ping();
    },
  };
}
