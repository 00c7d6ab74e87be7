import { PRIVATE_DATABASE, SHARED_DATABASE, type ChaosStack } from './chaos-stack';
import { PASS, type FaultProxy } from './fault-proxy';

/** One fault: how to cause it, how to end it, and whose requests it may fail. */
export interface ChaosScenario {
  readonly name: string;
  readonly fault: string;
  /**
   * The shard database whose users may see errors while it is down; every other user must be
   * served. Undefined: the fault must not fail anybody (Redis and RabbitMQ only degrade).
   */
  readonly failedDatabase: string | undefined;
  inject(stack: ChaosStack): Promise<void>;
  clear(stack: ChaosStack): Promise<void>;
}

function proxyFault(
  name: string,
  fault: string,
  failedDatabase: string | undefined,
  proxy: (stack: ChaosStack) => FaultProxy,
  mode: Parameters<FaultProxy['setMode']>[0],
): ChaosScenario {
  return {
    name,
    fault,
    failedDatabase,
    inject: async (stack) => proxy(stack).setMode(mode),
    clear: async (stack) => proxy(stack).setMode(PASS),
  };
}

/** Latency injected on a Postgres proxy: slow, but below every timeout. */
export const PG_LATENCY_MS = 150;
/** Latency injected on the Redis proxy: above REDIS_COMMAND_TIMEOUT_MS (300 ms by default). */
export const REDIS_LATENCY_MS = 500;

/** Every scenario, in the order the suite runs them. */
export const CHAOS_SCENARIOS: readonly ChaosScenario[] = [
  {
    name: 'rabbitmq-stop',
    fault: 'RabbitMQ application stopped (rabbitmqctl stop_app), then started',
    failedDatabase: undefined,
    inject: (stack) => stack.rabbitmq.stopApp(),
    clear: (stack) => stack.rabbitmq.startApp(),
  },
  {
    name: 'redis-stop',
    fault: 'redis-server stopped, then started again empty (no persistence)',
    failedDatabase: undefined,
    inject: (stack) => stack.redis.stop(),
    clear: (stack) => stack.redis.start(),
  },
  {
    name: 'shard-db-stop',
    fault: `the private cluster holding ${PRIVATE_DATABASE} stopped (pg_ctl stop -m fast), then started`,
    failedDatabase: PRIVATE_DATABASE,
    inject: (stack) => stack.postgres.stop(),
    clear: (stack) => stack.postgres.start(),
  },
  proxyFault(
    'shard-db-stall',
    `every connection to ${PRIVATE_DATABASE} hangs: nothing forwarded, new connections unanswered`,
    PRIVATE_DATABASE,
    (stack) => stack.proxies.pgPrivate,
    { kind: 'stall' },
  ),
  proxyFault(
    'shard-db-latency',
    `${PG_LATENCY_MS} ms added each way on ${PRIVATE_DATABASE}'s connections`,
    PRIVATE_DATABASE,
    (stack) => stack.proxies.pgPrivate,
    { kind: 'latency', ms: PG_LATENCY_MS },
  ),
  proxyFault(
    'redis-latency',
    `${REDIS_LATENCY_MS} ms added each way on Redis connections`,
    undefined,
    (stack) => stack.proxies.redis,
    { kind: 'latency', ms: REDIS_LATENCY_MS },
  ),
  proxyFault(
    'cut-pg-shared',
    `connections to ${SHARED_DATABASE} (shared server) cut, new ones refused`,
    SHARED_DATABASE,
    (stack) => stack.proxies.pgShared,
    { kind: 'cut' },
  ),
  proxyFault(
    'cut-pg-private',
    `connections to ${PRIVATE_DATABASE} (private cluster) cut, new ones refused`,
    PRIVATE_DATABASE,
    (stack) => stack.proxies.pgPrivate,
    { kind: 'cut' },
  ),
  proxyFault(
    'cut-redis',
    'Redis connections cut, new ones refused',
    undefined,
    (stack) => stack.proxies.redis,
    { kind: 'cut' },
  ),
  proxyFault(
    'cut-rabbitmq',
    'RabbitMQ connections cut, new ones refused',
    undefined,
    (stack) => stack.proxies.rabbitmq,
    { kind: 'cut' },
  ),
];
