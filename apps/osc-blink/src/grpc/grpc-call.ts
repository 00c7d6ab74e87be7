import { ArgumentsHost, ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Metadata, ServerUnaryCall, ServerWritableStream } from '@grpc/grpc-js';

/** What the bridge reads from any gRPC call, unary or streaming. */
export type GrpcCall = ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown>;

/** Nest hands gRPC handlers (request, metadata, call); guards, interceptors and filters see the same. */
export function grpcCallOf(host: ArgumentsHost): GrpcCall {
  return host.getArgByIndex<GrpcCall>(2);
}

export function grpcMetadataOf(host: ArgumentsHost): Metadata {
  return host.getArgByIndex<Metadata>(1);
}

/** The call's deadline in epoch milliseconds; Infinity when the caller set none. */
export function callerDeadline(call: GrpcCall): number {
  const deadline = call.getDeadline();
  return deadline instanceof Date ? deadline.getTime() : deadline;
}

/** The method being served, e.g. "/eos.blink.v1.MerchantOrders/AcceptOrder" -> "MerchantOrders/AcceptOrder". */
export function methodOf(call: GrpcCall): string {
  return call.getPath().replace(/^\/eos\.blink\.v1\./, '');
}

/** The raw gRPC call, for the streaming handler that must watch its flow control. */
export const GrpcStreamCall = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ServerWritableStream<unknown, unknown> =>
    grpcCallOf(context) as ServerWritableStream<unknown, unknown>,
);
