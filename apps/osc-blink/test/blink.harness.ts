import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { REDIS } from '@eos/cache';
import { BlinkClient, PartnerCredentials } from '@eos/common';
import { PartnerCredentialRepository, ShardDataSources } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import { PartnerOrderFactory, freePort } from '@eos/testing';
import type Redis from 'ioredis';
import { startBlinkApp } from '../src/blink-app.factory';

/** osc-blink started as main.ts starts it, on free loopback ports, with what its tests need beside it. */
export interface RunningBlink {
  readonly app: NestFastifyApplication;
  readonly address: string;
  readonly orders: PartnerOrderFactory;
  readonly credentials: PartnerCredentialRepository;
  readonly sources: ShardDataSources;
  readonly router: ShardRouter;
  client(partner: PartnerCredentials | null): BlinkClient;
  close(): Promise<void>;
}

/**
 * Runs `start` with some environment variables set, restored afterwards: the app reads its
 * configuration once, while it starts. Tests share one Postgres (100 connections by default)
 * with other suites running beside them, so their pools stay small.
 */
async function withEnvironment<T>(values: Record<string, string>, start: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  Object.assign(process.env, values);
  try {
    return await start();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

export const TEST_POOL_SIZE = 4;

export async function startBlink(): Promise<RunningBlink> {
  const grpcPort = await freePort();
  const app = await withEnvironment(
    { PG_POOL_SIZE: String(TEST_POOL_SIZE), BLINK_AUTH_CACHE_MS: '200', BLINK_FEED_POLL_MS: '200' },
    () => startBlinkApp({ host: '127.0.0.1', grpcPort, httpPort: 0 }),
  );
  app.useLogger(['error', 'warn']);
  const sources = app.get(ShardDataSources);
  const router = app.get(ShardRouter);
  const orders = await PartnerOrderFactory.start(app.get<Redis>(REDIS), sources, router);
  const clients: BlinkClient[] = [];
  const address = `127.0.0.1:${grpcPort}`;
  return {
    app,
    address,
    orders,
    credentials: app.get(PartnerCredentialRepository),
    sources,
    router,
    client: (partner) => {
      const client = new BlinkClient(address, partner);
      clients.push(client);
      return client;
    },
    close: async () => {
      for (const client of clients) client.close();
      await orders.close();
      await app.close();
    },
  };
}
