import amqp from 'amqplib';
import Redis from 'ioredis';
import { Client } from 'pg';
import type { EosConfig } from '@eos/common';

export interface DependencyProblem {
  readonly dependency: string;
  readonly message: string;
}

function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length) return reason(error.errors[0]);
  const text = error instanceof Error ? error.message : String(error);
  return text || ((error as { code?: string }).code ?? 'unknown error');
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

async function checkPostgres(url: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function checkRedis(url: string): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // connect() rejects with a bare "Connection is closed"; the error event carries the cause.
  let cause: Error | undefined;
  redis.on('error', (error: Error) => {
    cause = error;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw cause ?? error;
  } finally {
    redis.disconnect();
  }
}

async function checkRabbit(url: string): Promise<void> {
  const connection = await amqp.connect(url, { timeout: 3000 });
  await connection.close();
}

/** Asks each service the platform needs; returns one problem per unreachable service, with the fix. */
export async function checkDependencies(
  config: EosConfig,
  postgresUrls: string[],
): Promise<DependencyProblem[]> {
  const problems: DependencyProblem[] = [];
  const servers = [...new Set(postgresUrls.map((url) => new URL(url).host))];
  for (const host of servers) {
    const url = postgresUrls.find((candidate) => new URL(candidate).host === host) ?? postgresUrls[0];
    await checkPostgres(url).catch((error: unknown) =>
      problems.push({
        dependency: 'postgres',
        message: `cannot reach PostgreSQL at ${redact(url)} (${reason(error)}); start it (pg_ctlcluster <version> main start) or set POSTGRES_URL / EOS_SHARD_MAP`,
      }),
    );
  }
  await checkRedis(config.REDIS_URL).catch((error: unknown) =>
    problems.push({
      dependency: 'redis',
      message: `cannot reach Redis at ${config.REDIS_URL} (${reason(error)}); start redis-server or set REDIS_URL`,
    }),
  );
  await checkRabbit(config.RABBITMQ_URL).catch((error: unknown) =>
    problems.push({
      dependency: 'rabbitmq',
      message: `cannot reach RabbitMQ at ${redact(config.RABBITMQ_URL)} (${reason(error)}); start rabbitmq-server or set RABBITMQ_URL`,
    }),
  );
  return problems;
}
