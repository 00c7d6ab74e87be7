import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const DEV_JWT_SECRET = 'eos-development-jwt-secret-do-not-use-in-production';
const DEV_WEBHOOK_SECRET = 'eos-development-payment-webhook-secret';
const DEV_PROVIDER_SECRET = 'eos-development-payment-provider-secret';

/** Levels of LOG_LEVEL, as pino names them (`silent` writes nothing). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/**
 * The environment, validated once at start. Every field is an environment variable of the same
 * name; defaults serve the local services so that `npm start` works on a fresh machine.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV = 'development';

  @IsString()
  HOST = '0.0.0.0';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  FORWARD_PORT = 3000;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  REVERSE_PORT = 3001;

  /**
   * forward-order: worker processes sharing FORWARD_PORT (node:cluster), to use more than one core.
   * Each worker is a whole app (pools, worker lease, relay, consumers, sweeps), so pools and
   * Postgres connections grow with it; the background loops coordinate through advisory locks.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  FORWARD_ORDER_PROCESSES = 1;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  BLINK_PORT = 50051;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  BLINK_HTTP_PORT = 3002;

  @IsString()
  @MinLength(16)
  JWT_SECRET = DEV_JWT_SECRET;

  @IsString()
  @MinLength(16)
  PAYMENT_WEBHOOK_SECRET = DEV_WEBHOOK_SECRET;

  /** The Postgres server the default shard map and the catalog database live on. */
  @Matches(/^postgres(ql)?:\/\/[^/\s]+\/?$/, {
    message: 'POSTGRES_URL must look like postgres://user@host:port',
  })
  POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+\/\w+$/, {
    message: 'CATALOG_DATABASE_URL must be postgres://user@host:port/db',
  })
  CATALOG_DATABASE_URL?: string;

  /** The legacy single-table order database that `migrate-legacy` moves in from (default: eos_legacy on POSTGRES_URL). */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+\/\w+$/, {
    message: 'LEGACY_DATABASE_URL must be postgres://user@host:port/db',
  })
  LEGACY_DATABASE_URL?: string;

  /** JSON shard map (see README); defaults to two databases on POSTGRES_URL. */
  @IsOptional()
  @IsString()
  EOS_SHARD_MAP?: string;

  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must look like redis://host:port' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Matches(/^amqps?:\/\/\S+$/, { message: 'RABBITMQ_URL must look like amqp://user:pass@host:port' })
  RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  PG_POOL_SIZE = 16;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  PG_STATEMENT_TIMEOUT_MS = 5000;

  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(60_000)
  PG_CONNECT_TIMEOUT_MS = 2000;

  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(60_000)
  REDIS_COMMAND_TIMEOUT_MS = 300;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  PAYMENT_WINDOW_MINUTES = 15;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  CATALOG_CACHE_TTL_SECONDS = 600;

  /** Time a merchant has to accept a paid order before it is rejected automatically. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  ACCEPTANCE_WINDOW_MINUTES = 5;

  /** Time after delivery during which reverse requests may be opened; then the order completes. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(90 * 24)
  AFTER_SALE_WINDOW_HOURS = 24;

  /** Pause between two passes of the deadline sweeps (expiry, acceptance, completion); 0 turns them off. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  SWEEP_INTERVAL_MS = 5000;

  /** Orders a sweep takes from one shard per pass. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  SWEEP_BATCH_SIZE = 100;

  /**
   * forward-order: before listening, prepares the checkout statement of every user schema on every
   * pooled connection (see checkout-warm-up.ts), so the first seconds of traffic after a start do
   * not pay for it. The test suite turns it off: its apps start dozens of times.
   */
  @Transform(({ value }) => booleanFlag(value))
  @IsBoolean({ message: 'PG_WARM_UP must be true or false' })
  PG_WARM_UP = true;

  /** Runs the outbox relay in this process (publishes every user shard's outbox to RabbitMQ). */
  @Transform(({ value }) => booleanFlag(value))
  @IsBoolean({ message: 'OUTBOX_RELAY_ENABLED must be true or false' })
  OUTBOX_RELAY_ENABLED = true;

  /** Runs this app's order-event consumers (forward-order: the merchant-dimension projector). */
  @Transform(({ value }) => booleanFlag(value))
  @IsBoolean({ message: 'ORDER_EVENT_CONSUMERS_ENABLED must be true or false' })
  ORDER_EVENT_CONSUMERS_ENABLED = true;

  /** Backstop poll of each shard database for unsent outbox rows (checkout also wakes the relay). */
  @Type(() => Number)
  @IsInt()
  @Min(20)
  @Max(60_000)
  OUTBOX_POLL_MS = 250;

  /** Outbox rows one relay transaction takes (split over the shards it covers). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  OUTBOX_BATCH_SIZE = 1000;

  /** Relay transactions in flight per shard database; the relay's own pool holds one more connection. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(16)
  OUTBOX_RELAY_CONCURRENCY = 2;

  /**
   * Least time between two relay batches on one database: under load the commits in between share
   * one relay transaction instead of one each; after a quiet spell a commit is published at once.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1000)
  OUTBOX_BATCH_SPACING_MS = 50;

  /** How long published outbox rows are kept before the pruner deletes them. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(90 * 24)
  OUTBOX_RETENTION_HOURS = 24;

  /** Pause between two prune passes; 0 turns pruning off in this process. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(24 * 3_600_000)
  OUTBOX_PRUNE_INTERVAL_MS = 60_000;

  /** A publish not confirmed by the broker within this time fails, and its outbox rows stay unsent. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  RABBITMQ_PUBLISH_TIMEOUT_MS = 5000;

  /**
   * Messages a consumer holds unacknowledged at once, handled concurrently. Each waits on the
   * event loop and the pool it shares with checkout, so throughput is this over that wait: at 32
   * the projector fell seconds behind a saturating checkout load, at 256 it kept up.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  CONSUMER_PREFETCH = 256;

  /** Retries of a failing message before it is parked (so 1 + this many tries in all). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  CONSUMER_MAX_RETRIES = 3;

  /** Delay before each retry (the retry queue's message TTL; see README before changing it). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(24 * 3_600_000)
  CONSUMER_RETRY_DELAY_MS = 2000;

  /** How often the relay re-reads the emission flags from Redis. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  EMISSION_REFRESH_MS = 1000;

  /** osc-blink: calls per second a partner credential may make (unless the credential sets its own). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  BLINK_RATE_PER_SECOND = 50;

  /** osc-blink: calls a partner may make at once beyond its rate (the token bucket's size). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  BLINK_RATE_BURST = 100;

  /** osc-blink: how long a verified credential is trusted before it is read again (bounds revocation). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  BLINK_AUTH_CACHE_MS = 2000;

  /** osc-blink: backstop poll of a watched merchant feed (a change also wakes its streams at once). */
  @Type(() => Number)
  @IsInt()
  @Min(20)
  @Max(60_000)
  BLINK_FEED_POLL_MS = 1000;

  /** osc-blink: an idle feed stream sends a heartbeat this often. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  BLINK_FEED_HEARTBEAT_MS = 15_000;

  /**
   * osc-blink: how long a merchant feed keeps its entries. A partner resuming from an older cursor
   * is answered CURSOR_EXPIRED and lists the merchant's orders to start again from `feed_cursor`.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(90 * 24)
  FEED_RETENTION_HOURS = 168;

  /** osc-blink: pause between two passes pruning the merchant feeds; 0 turns pruning off in this process. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(24 * 3_600_000)
  FEED_PRUNE_INTERVAL_MS = 600_000;

  /** osc-blink: feed streams one partner credential may hold open at once. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  BLINK_MAX_STREAMS_PER_PARTNER = 16;

  /**
   * reverse-order: connections per shard database. Its own pools, separate from forward-order's,
   * so that a flood of reverse work can never take the connections checkout needs (a bulkhead).
   */
  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(200)
  REVERSE_PG_POOL_SIZE = 6;

  /** reverse-order: minutes the merchant has to decide a cancellation request before it escalates. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 60)
  CANCELLATION_DECISION_MINUTES = 5;

  /** reverse-order: a refund above this many cents needs a second staff member's approval. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  TWO_PERSON_THRESHOLD_CENTS = 20_000;

  /** reverse-order: the simulated (or real) payment provider's refund API. */
  @Matches(/^https?:\/\/\S+$/, { message: 'PAYMENT_PROVIDER_URL must be an http(s) URL' })
  PAYMENT_PROVIDER_URL = 'http://127.0.0.1:3003';

  /** reverse-order: the secret that signs calls to the payment provider's refund API. */
  @IsString()
  @MinLength(16)
  PAYMENT_PROVIDER_SECRET = DEV_PROVIDER_SECRET;

  /** The simulated payment provider's port (`npm start` runs it beside the apps). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PAYMENT_PROVIDER_PORT = 3003;

  /** reverse-order: tries of a refund at the provider before it is FAILED and shown to staff. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  REFUND_MAX_ATTEMPTS = 5;

  /** reverse-order: delay before the first retry of a refund; each further retry doubles it. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  REFUND_RETRY_BASE_MS = 1000;

  /** reverse-order: hard timeout of one call to the payment provider. */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(60_000)
  PAYMENT_PROVIDER_TIMEOUT_MS = 3000;

  /** reverse-order: how often refunds and expired merchant decisions are looked for; 0 turns it off. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  REVERSE_WORK_INTERVAL_MS = 1000;

  /** reverse-order: seconds a staff member's grants are cached in Redis (a change invalidates at once). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400)
  STAFF_GRANTS_CACHE_SECONDS = 300;

  /** Lowest level of the JSON logs written to stdout: fatal, error, warn, info, debug or trace. */
  @IsIn([...LOG_LEVELS])
  LOG_LEVEL: LogLevelName = 'info';

  /**
   * Every log line written while serving a request carries the request's ids (`reqId`, `orderId`,
   * `userId`, `staffId`), which takes AsyncLocalStorage. On Node 20 that puts a hook on every
   * promise the process creates: 6 to 12 % of forward-order's CPU per checkout (bench/README.md).
   * `false` leaves the ids on each request's own `request completed` line only.
   */
  @Transform(({ value }) => booleanFlag(value))
  @IsBoolean({ message: 'LOG_REQUEST_SCOPE must be true or false' })
  LOG_REQUEST_SCOPE = true;

  /**
   * OpenTelemetry traces, exported over OTLP/HTTP. Off by default; also on whenever
   * OTEL_EXPORTER_OTLP_ENDPOINT is set.
   */
  @Transform(({ value }) => booleanFlag(value))
  @IsBoolean({ message: 'EOS_TRACING must be true or false' })
  EOS_TRACING = false;

  /** The standard OpenTelemetry variable: the collector's OTLP/HTTP base URL (`/v1/traces` is appended). */
  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
}

/** "true"/"1" and "false"/"0" from the environment; anything else is left for validation to refuse. */
function booleanFlag(value: unknown): unknown {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return value;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export type EosConfig = Readonly<
  EnvironmentVariables & { CATALOG_DATABASE_URL: string; LEGACY_DATABASE_URL: string }
>;

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): EosConfig {
  const known = Object.keys(new EnvironmentVariables());
  const raw: Record<string, string> = {};
  for (const name of [
    ...known,
    'CATALOG_DATABASE_URL',
    'LEGACY_DATABASE_URL',
    'EOS_SHARD_MAP',
    'OTEL_EXPORTER_OTLP_ENDPOINT',
  ]) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  const config = plainToInstance(EnvironmentVariables, raw, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((error) => {
      const reasons = Object.values(error.constraints ?? {}).join('; ');
      return `${error.property}=${JSON.stringify(raw[error.property] ?? '')}: ${reasons}`;
    });
    throw new ConfigError(`invalid configuration: ${lines.join(' | ')}`);
  }
  if (config.NODE_ENV === 'production') {
    if (config.JWT_SECRET === DEV_JWT_SECRET) {
      throw new ConfigError(
        'JWT_SECRET: set a secret of your own; the development default is refused in production',
      );
    }
    if (config.PAYMENT_WEBHOOK_SECRET === DEV_WEBHOOK_SECRET) {
      throw new ConfigError(
        'PAYMENT_WEBHOOK_SECRET: set a secret of your own; the development default is refused in production',
      );
    }
  }
  if (config.NODE_ENV === 'production' && config.PAYMENT_PROVIDER_SECRET === DEV_PROVIDER_SECRET) {
    throw new ConfigError(
      'PAYMENT_PROVIDER_SECRET: set a secret of your own; the development default is refused in production',
    );
  }
  const base = config.POSTGRES_URL.replace(/\/$/, '');
  return Object.freeze({
    ...config,
    CATALOG_DATABASE_URL: config.CATALOG_DATABASE_URL ?? `${base}/eos_catalog`,
    LEGACY_DATABASE_URL: config.LEGACY_DATABASE_URL ?? `${base}/eos_legacy`,
  });
}
