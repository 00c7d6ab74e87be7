import 'reflect-metadata';
import { exitOnStartupFailure, loadConfig } from '@eos/common';
import { startBlinkApp } from './blink-app.factory';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  await startBlinkApp({ host: config.HOST, grpcPort: config.BLINK_PORT, httpPort: config.BLINK_HTTP_PORT });
}

bootstrap().catch((error: unknown) => exitOnStartupFailure('osc-blink', error));
