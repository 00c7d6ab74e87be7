import type { MethodDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { BLINK_PACKAGE, blinkLoaderOptions, blinkProtoPaths } from '@eos/common';

/** A field of a request message, as the descriptor names it (camelCase, `TYPE_STRING`, `.eos.blink.v1.OrderStatus`). */
export interface BlinkField {
  readonly name: string;
  readonly type: string;
  readonly typeName: string;
}

interface DescribedType {
  readonly type?: { readonly field?: readonly BlinkField[] };
}

/** One method of the partner bridge's contract, with its request fields and encoder. */
export interface BlinkMethod {
  readonly service: string;
  readonly method: string;
  /** The gRPC path, `/eos.blink.v1.<Service>/<Method>`. */
  readonly path: string;
  readonly serverStream: boolean;
  readonly fields: readonly BlinkField[];
  /** Serialises a request object as a generated client would (proto-loader, protobufjs `fromObject`). */
  encode(request: object): Buffer;
  /** Decodes request bytes as the bridge does: what a handler would see. */
  decode(bytes: Buffer): Record<string, unknown>;
}

/**
 * Every method of every `eos.blink.v1` service, read from the .proto files themselves, so that a
 * method added to the contract is fuzzed without a test change.
 */
export function blinkMethods(): BlinkMethod[] {
  const definition = loadSync(blinkProtoPaths(), blinkLoaderOptions());
  const methods: BlinkMethod[] = [];
  for (const [name, service] of Object.entries(definition)) {
    if (!name.startsWith(`${BLINK_PACKAGE}.`) || 'format' in service) continue;
    for (const [method, found] of Object.entries(
      service as Record<string, MethodDefinition<object, unknown> & { requestType?: DescribedType }>,
    )) {
      methods.push({
        service: name.slice(BLINK_PACKAGE.length + 1),
        method,
        path: found.path,
        serverStream: found.responseStream,
        fields: (found.requestType?.type?.field ?? []).map(({ name, type, typeName }) => ({
          name,
          type,
          typeName,
        })),
        encode: (request) => found.requestSerialize(request),
        decode: (bytes) => found.requestDeserialize(bytes) as Record<string, unknown>,
      });
    }
  }
  return methods;
}

/** The value names of an enum of the contract (`OrderStatus` or `.eos.blink.v1.OrderStatus` → ORDER_STATUS_...). */
export function blinkEnumNames(typeName: string): string[] {
  const definition = loadSync(blinkProtoPaths(), blinkLoaderOptions());
  const name = typeName.replace(/^\./, '');
  const found = (definition[name] ?? definition[`${BLINK_PACKAGE}.${name}`]) as
    { type?: { value?: readonly { name: string }[] } } | undefined;
  return (found?.type?.value ?? []).map((value) => value.name);
}
