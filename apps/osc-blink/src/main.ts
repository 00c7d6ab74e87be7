import 'reflect-metadata';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { createHttpApp, loadConfig } from '@eos/common';
import { OscBlinkModule } from './osc-blink.module';
import { protoFile } from './proto-path';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createHttpApp(OscBlinkModule, 'osc-blink');
  app.connectMicroservice<MicroserviceOptions>({
    transport: Transport.GRPC,
    options: {
      package: 'eos.blink.v1',
      protoPath: protoFile('eos/blink/v1/blink.proto'),
      url: `${config.HOST}:${config.BLINK_PORT}`,
    },
  });
  await app.startAllMicroservices();
  await app.listen(config.BLINK_HTTP_PORT, config.HOST);
}

bootstrap().catch((error: unknown) => {
  console.error(`osc-blink failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
