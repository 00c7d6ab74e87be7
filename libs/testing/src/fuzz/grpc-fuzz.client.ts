import { Client, Metadata, ServiceError, credentials, status } from '@grpc/grpc-js';
import fc from 'fast-check';
import { PARTNER_ID_METADATA, PARTNER_SECRET_METADATA, PartnerCredentials } from '@eos/common';

/** What a call ended with: its status code and the stable reason in `eos-error-code`, if any. */
export interface GrpcOutcome {
  readonly code: status;
  readonly reason: string | undefined;
  readonly details: string;
}

/** Metadata entries as sent: a key may repeat; `-bin` keys carry bytes. */
export type MetadataEntries = readonly (readonly [string, string | Buffer])[];

const OK: GrpcOutcome = { code: status.OK, reason: undefined, details: '' };
const identity = (bytes: Buffer): Buffer => bytes;

function outcomeOf(error: ServiceError): GrpcOutcome {
  const reason = error.metadata?.get('eos-error-code')[0];
  return {
    code: error.code,
    reason: typeof reason === 'string' ? reason : undefined,
    details: error.details,
  };
}

function metadataOf(entries: MetadataEntries): Metadata {
  const metadata = new Metadata();
  for (const [key, value] of entries) metadata.add(key, value);
  return metadata;
}

/**
 * A gRPC client that sends request bytes as given (no serializer between the test and the wire),
 * for fuzzing the bridge with messages no generated client would produce. Streams are read up to
 * their first message or their end, then cancelled.
 */
export class RawGrpcClient {
  private readonly client: Client;

  constructor(address: string) {
    this.client = new Client(address, credentials.createInsecure());
  }

  unary(path: string, request: Buffer, metadata: MetadataEntries, deadlineMs = 10_000): Promise<GrpcOutcome> {
    return new Promise((resolve) => {
      this.client.makeUnaryRequest(
        path,
        identity,
        identity,
        request,
        metadataOf(metadata),
        { deadline: Date.now() + deadlineMs },
        (error) => resolve(error ? outcomeOf(error) : OK),
      );
    });
  }

  /** The outcome of a server stream: OK once it sent a first message (then it is cancelled), or its error. */
  firstOfStream(
    path: string,
    request: Buffer,
    metadata: MetadataEntries,
    deadlineMs = 10_000,
  ): Promise<GrpcOutcome> {
    return new Promise((resolve) => {
      const call = this.client.makeServerStreamRequest(
        path,
        identity,
        identity,
        request,
        metadataOf(metadata),
        {
          deadline: Date.now() + deadlineMs,
        },
      );
      let settled = false;
      const settle = (outcome: GrpcOutcome) => {
        if (settled) return;
        settled = true;
        resolve(outcome);
        call.cancel();
      };
      call.on('data', () => settle(OK));
      call.on('error', (error: ServiceError) => settle(outcomeOf(error)));
      call.on('end', () => settle(OK));
    });
  }

  close(): void {
    this.client.close();
  }
}

/** The metadata of a partner's credentials, as BlinkClient sends them. */
export function partnerMetadata(partner: PartnerCredentials): MetadataEntries {
  return [
    [PARTNER_ID_METADATA, partner.partnerId],
    [PARTNER_SECRET_METADATA, partner.secret],
  ];
}

function flipLast(text: string): string {
  return `${text.slice(0, -1)}${text.endsWith('A') ? 'B' : 'A'}`;
}

/**
 * Credentials metadata the bridge must refuse with UNAUTHENTICATED: none, half, junk, a wrong or
 * swapped secret, an unknown or malformed partner id, repeated entries, bytes under `-bin` keys,
 * and a revoked credential.
 */
export function refusedCredentials(
  good: PartnerCredentials,
  other: PartnerCredentials,
  revoked: PartnerCredentials,
): fc.Arbitrary<MetadataEntries> {
  const printable = (min: number, max: number) =>
    fc.string({ minLength: min, maxLength: max, unit: 'grapheme-ascii' });
  const id = PARTNER_ID_METADATA;
  const secret = PARTNER_SECRET_METADATA;
  return fc.oneof(
    fc.constantFrom<MetadataEntries>(
      [],
      [[id, good.partnerId]],
      [[secret, good.secret]],
      [
        [id, good.partnerId],
        [secret, flipLast(good.secret)],
      ],
      [
        [id, good.partnerId],
        [secret, other.secret],
      ],
      [
        [id, other.partnerId],
        [secret, good.secret],
      ],
      partnerMetadata(revoked),
      [
        [id, good.partnerId],
        [id, good.partnerId],
        [secret, good.secret],
      ],
      [
        [id, good.partnerId],
        [secret, good.secret],
        [secret, good.secret],
      ],
      [
        [`${id}-bin`, Buffer.from(good.partnerId)],
        [`${secret}-bin`, Buffer.from(good.secret)],
      ],
      [
        [id, `0${good.partnerId}`],
        [secret, good.secret],
      ],
      [
        [id, '9223372036854775808'],
        [secret, good.secret],
      ],
      [
        [id, good.partnerId],
        [
          secret,
          good.secret.toLowerCase() === good.secret ? good.secret.toUpperCase() : good.secret.toLowerCase(),
        ],
      ],
    ),
    fc
      .record({ partnerId: printable(0, 40), secret: printable(0, 120) })
      .map(({ partnerId, secret: text }): MetadataEntries => [
        [id, partnerId],
        [secret, text],
      ]),
    fc.record({ secret: printable(0, 4000) }).map(({ secret: text }): MetadataEntries => [
      [id, good.partnerId],
      [secret, text],
    ]),
  );
}
