import 'reflect-metadata';
import { loadConfig } from '@eos/common';
import { startPaymentProvider } from './payment-provider.server';

/**
 * `npm run provider`: the simulated payment provider on PAYMENT_PROVIDER_PORT, checking refund
 * calls against PAYMENT_PROVIDER_SECRET. In memory: a restart forgets every refund it paid.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const provider = await startPaymentProvider({
    port: config.PAYMENT_PROVIDER_PORT,
    secret: config.PAYMENT_PROVIDER_SECRET,
    host: config.HOST,
  });
  console.log(`payment-provider (simulated, in memory) listening on ${provider.url}`);
  const stop = (): void => {
    provider.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(
    `payment-provider failed to start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
