import {
  Client,
  ClientReadableStream,
  Metadata,
  MethodDefinition,
  ServiceDefinition,
  ServiceError,
  credentials as channelCredentials,
} from '@grpc/grpc-js';
import { PackageDefinition, loadSync } from '@grpc/proto-loader';
import { PARTNER_ID_METADATA, PARTNER_SECRET_METADATA } from '../auth/partner-credential';
import { BLINK_PACKAGE, blinkLoaderOptions, blinkProtoPaths } from './blink-proto';

export type BlinkService = 'BlinkStatus' | 'MerchantOrders' | 'DeliveryOrders';

/** What `npm run partner -- create` prints and every partner call presents. */
export interface PartnerCredentials {
  readonly partnerId: string;
  readonly secret: string;
}

export interface BlinkCallOptions {
  /** Milliseconds the call may take; none by default. */
  readonly deadlineMs?: number;
  /** Extra metadata entries (for tests that send malformed credentials). */
  readonly metadata?: Readonly<Record<string, string>>;
}

let definition: PackageDefinition | undefined;

function packageDefinition(): PackageDefinition {
  definition ??= loadSync(blinkProtoPaths(), blinkLoaderOptions());
  return definition;
}

export function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'number';
}

/**
 * A client of the partner bridge over @grpc/grpc-js, for the partner CLI, the benchmark and the
 * end-to-end tests: one channel, the partner's credentials in every call's metadata, messages
 * decoded as the server decodes them (int64 as strings, enums by name).
 */
export class BlinkClient {
  private readonly client: Client;

  constructor(
    address: string,
    private readonly partner: PartnerCredentials | null,
  ) {
    this.client = new Client(address, channelCredentials.createInsecure());
  }

  unary<Res>(
    service: BlinkService,
    method: string,
    request: object,
    options: BlinkCallOptions = {},
  ): Promise<Res> {
    const definition = this.method(service, method);
    return new Promise<Res>((resolve, reject) => {
      this.client.makeUnaryRequest<object, Res>(
        definition.path,
        definition.requestSerialize,
        definition.responseDeserialize as (bytes: Buffer) => Res,
        request,
        this.metadata(options),
        this.callOptions(options),
        (error, response) => (error ? reject(error) : resolve(response as Res)),
      );
    });
  }

  stream<Res>(
    service: BlinkService,
    method: string,
    request: object,
    options: BlinkCallOptions = {},
  ): ClientReadableStream<Res> {
    const definition = this.method(service, method);
    return this.client.makeServerStreamRequest<object, Res>(
      definition.path,
      definition.requestSerialize,
      definition.responseDeserialize as (bytes: Buffer) => Res,
      request,
      this.metadata(options),
      this.callOptions(options),
    );
  }

  close(): void {
    this.client.close();
  }

  private method(service: BlinkService, method: string): MethodDefinition<object, unknown> {
    const serviceDefinition = packageDefinition()[`${BLINK_PACKAGE}.${service}`] as
      ServiceDefinition | undefined;
    const found = serviceDefinition?.[method] as MethodDefinition<object, unknown> | undefined;
    if (!found) throw new Error(`${service}.${method} is not in the ${BLINK_PACKAGE} contract`);
    return found;
  }

  private metadata(options: BlinkCallOptions): Metadata {
    const metadata = new Metadata();
    if (this.partner) {
      metadata.set(PARTNER_ID_METADATA, this.partner.partnerId);
      metadata.set(PARTNER_SECRET_METADATA, this.partner.secret);
    }
    for (const [key, value] of Object.entries(options.metadata ?? {})) metadata.set(key, value);
    return metadata;
  }

  private callOptions(options: BlinkCallOptions): { deadline?: number } {
    return options.deadlineMs === undefined ? {} : { deadline: Date.now() + options.deadlineMs };
  }
}
