import { Type } from '@nestjs/common';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { BLINK_PACKAGE, blinkLoaderOptions, blinkProtoPaths, createHttpApp } from '@eos/common';
import type { PackageDefinition } from '@grpc/proto-loader';
import { tolerateMalformedRequests } from './grpc/malformed-request';
import { OscBlinkModule } from './osc-blink.module';

export interface BlinkListenOptions {
  readonly host: string;
  readonly grpcPort: number;
  readonly httpPort: number;
  /** The app module; tests may pass one that imports OscBlinkModule beside test-only providers. */
  readonly module?: Type<unknown>;
}

/**
 * The hybrid app: the gRPC microservice for partners (package eos.blink.v1, the .proto files of
 * proto/) and HTTP for health and metrics. Used by main.ts and by the end-to-end tests alike.
 */
export async function startBlinkApp(options: BlinkListenOptions): Promise<NestFastifyApplication> {
  const app = await createHttpApp(options.module ?? OscBlinkModule, 'osc-blink');
  app.connectMicroservice<MicroserviceOptions>({
    transport: Transport.GRPC,
    options: {
      package: BLINK_PACKAGE,
      protoPath: blinkProtoPaths(),
      loader: blinkLoaderOptions(),
      url: `${options.host}:${options.grpcPort}`,
      onLoadPackageDefinition: (definition: PackageDefinition) => tolerateMalformedRequests(definition),
    },
  });
  await app.startAllMicroservices();
  await app.listen(options.httpPort, options.host);
  return app;
}
