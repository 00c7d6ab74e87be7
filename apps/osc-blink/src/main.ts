import 'reflect-metadata';
import { loadConfig } from '@eos/common';
import { startBlinkApp } from './blink-app.factory';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  await startBlinkApp({ host: config.HOST, grpcPort: config.BLINK_PORT, httpPort: config.BLINK_HTTP_PORT });
}

bootstrap().catch((error: unknown) => {
  console.error(`osc-blink failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
