import 'reflect-metadata';
import { createHttpApp, loadConfig } from '@eos/common';
import { ForwardOrderModule } from './forward-order.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createHttpApp(ForwardOrderModule, 'forward-order');
  await app.listen(config.FORWARD_PORT, config.HOST);
}

bootstrap().catch((error: unknown) => {
  console.error(`forward-order failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
