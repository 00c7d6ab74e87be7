import 'reflect-metadata';
import { createHttpApp, exitOnStartupFailure, loadConfig } from '@eos/common';
import { ForwardOrderModule } from './forward-order.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createHttpApp(ForwardOrderModule, 'forward-order');
  await app.listen(config.FORWARD_PORT, config.HOST);
}

bootstrap().catch((error: unknown) => exitOnStartupFailure('forward-order', error));
