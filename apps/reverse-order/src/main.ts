import 'reflect-metadata';
import { createHttpApp, exitOnStartupFailure, loadConfig } from '@eos/common';
import { ReverseOrderModule } from './reverse-order.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createHttpApp(ReverseOrderModule, 'reverse-order');
  await app.listen(config.REVERSE_PORT, config.HOST);
}

bootstrap().catch((error: unknown) => exitOnStartupFailure('reverse-order', error));
