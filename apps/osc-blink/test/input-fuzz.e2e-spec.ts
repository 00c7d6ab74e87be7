import 'reflect-metadata';
import { status } from '@grpc/grpc-js';
import fc from 'fast-check';
import { EOS_CONFIG, EosConfig, PartnerCredentials } from '@eos/common';
import { Order } from '@eos/domain';
import {
  BlinkField,
  BlinkMethod,
  GrpcOutcome,
  MetadataEntries,
  RawGrpcClient,
  RowFootprint,
  absentEntityId,
  absentOrderId,
  badGeneOrderId,
  blinkEnumNames,
  blinkMethods,
  createPartner,
  hostileText,
  malformedId,
  newDeliveryPartnerId,
  newMerchantId,
  partnerMetadata,
  protobufGarbage,
  refusedCredentials,
} from '@eos/testing';
import { Client } from 'pg';
import { RunningBlink, startBlink } from './blink.harness';

/** What no input may produce: a bug's status. */
const BUG_STATUSES: readonly status[] = [status.INTERNAL, status.UNKNOWN];
/** Statuses the bridge answers itself (not the transport), each with an `eos-error-code`. */
const APP_STATUSES: readonly status[] = [
  status.INVALID_ARGUMENT,
  status.NOT_FOUND,
  status.PERMISSION_DENIED,
  status.UNAUTHENTICATED,
  status.FAILED_PRECONDITION,
  status.ABORTED,
  status.OUT_OF_RANGE,
  status.UNAVAILABLE,
];

interface GeneratedCall {
  readonly method: BlinkMethod;
  readonly request: Record<string, unknown>;
}

/*
 * Input fuzzing of every osc-blink gRPC method (issue 9), read from the .proto files: requests
 * with hostile values in every field (malformed, absent, other merchants', huge, unknown enum
 * numbers, negative and overflowing numbers, forged cursors and page tokens), bytes that are no
 * valid message at all, and credentials metadata that is missing, garbled, wrong or revoked. No
 * call ends INTERNAL or UNKNOWN, every refusal carries its stable reason, and no row of the
 * orders and partners involved changes: commands reach only orders no command may move.
 */
describe('osc-blink input fuzzing (e2e over gRPC)', () => {
  let blink: RunningBlink;
  let raw: RawGrpcClient;
  let catalog: Client;
  let footprint: RowFootprint;
  let before: Record<string, string>;
  const merchant = newMerchantId();
  const otherMerchant = newMerchantId();
  const rider = newDeliveryPartnerId();
  let merchantPartner: PartnerCredentials;
  let otherPartner: PartnerCredentials;
  let riderPartner: PartnerCredentials;
  let revokedPartner: PartnerCredentials;
  let completed: Order;
  let assignedCompleted: Order;
  let othersPaid: Order;
  const methods = blinkMethods();

  const runs = (numRuns: number) => ({ numRuns });

  /** What is wrong with a call's outcome under the contract, or null. */
  function problemWith(method: BlinkMethod, outcome: GrpcOutcome): string | null {
    if (BUG_STATUSES.includes(outcome.code)) {
      return `${method.path} ended ${status[outcome.code]}: ${outcome.details}`;
    }
    if (APP_STATUSES.includes(outcome.code) && !outcome.reason) {
      return `${method.path} ended ${status[outcome.code]} without an eos-error-code: ${outcome.details}`;
    }
    return null;
  }

  /**
   * Sends the bytes to the method (a stream is read to its first message) and throws, showing
   * `shown` (the request as generated), if the outcome breaks the contract or `expect`.
   */
  async function check(
    method: BlinkMethod,
    shown: unknown,
    bytes: Buffer,
    metadata: MetadataEntries,
    expect?: (outcome: GrpcOutcome) => string | null,
  ): Promise<GrpcOutcome> {
    const outcome = method.serverStream
      ? await raw.firstOfStream(method.path, bytes, metadata)
      : await raw.unary(method.path, bytes, metadata);
    const problem = problemWith(method, outcome) ?? expect?.(outcome) ?? null;
    if (problem) throw new Error(`${problem}\nrequest: ${JSON.stringify(shown)?.slice(0, 600)}`);
    return outcome;
  }

  const huge = () => fc.integer({ min: 1000, max: 200_000 }).map((length) => '9'.repeat(length));

  /** Values for a request field, by name first, then by type: every id, cursor and text the bridge checks. */
  function valueFor(field: BlinkField): fc.Arbitrary<unknown> {
    switch (field.name) {
      case 'orderId':
        return fc.oneof(malformedId(), badGeneOrderId(), absentOrderId(), huge(), {
          weight: 3,
          arbitrary: fc.constantFrom(completed.id, assignedCompleted.id, othersPaid.id),
        });
      case 'merchantId':
        return fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom('', merchant) },
          fc.constant(otherMerchant),
          malformedId(),
          absentEntityId(),
        );
      case 'pageToken':
        return fc.oneof(fc.constant(''), malformedId(), badGeneOrderId(), absentOrderId(), huge());
      case 'cursor':
        return fc.oneof(
          fc.constantFrom('', '0', '1', '9223372036854775807'),
          malformedId(),
          fc.bigInt({ min: 1n, max: 1n << 62n }).map(String),
        );
    }
    switch (field.type) {
      case 'TYPE_ENUM': {
        const names = blinkEnumNames(field.typeName);
        return fc.oneof(
          fc.constantFrom(...names),
          fc.integer({ min: -3, max: 40 }),
          fc.constant(2 ** 31 - 1),
          fc.constantFrom(...names).map((name) => name.toLowerCase()),
        );
      }
      case 'TYPE_INT32':
      case 'TYPE_INT64':
        return fc.oneof(
          fc.integer({ min: -5, max: 120 }),
          fc.constantFrom(2 ** 31 - 1, -(2 ** 31), 2 ** 53, -1, 1.5),
          fc.integer(),
        );
      default:
        return fc.oneof(
          hostileText(),
          fc.constant(''),
          huge(),
          fc.integer({ min: 199, max: 600 }).map((n) => 'r'.repeat(n)),
        );
    }
  }

  /** A value of another type than the field's: the generated serializer coerces what it can. */
  const wrongType = () =>
    fc.oneof(
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.string({ maxLength: 12 }),
      fc.array(fc.integer(), { maxLength: 3 }),
    );

  /** A request of `method` with any subset of its fields set to hostile values. */
  function requestOf(method: BlinkMethod): fc.Arbitrary<GeneratedCall> {
    const fields = Object.fromEntries(
      method.fields.map((field) => [
        field.name,
        fc.oneof({ weight: 5, arbitrary: valueFor(field) }, wrongType()),
      ]),
    );
    return fc.record(fields, { requiredKeys: [] }).map((request) => ({ method, request }));
  }

  /**
   * Requests no valid credential may turn into a change: commands reach only completed orders,
   * another merchant's order or none. A rider's report on its own completed order is recorded by
   * design, so reports to it always carry an invalid kind or note.
   */
  function harmless({ method, request }: GeneratedCall): boolean {
    if (method.method !== 'ReportException') return true;
    // Judged on the request as the bridge decodes it: the serializer coerces numbers to enums and text.
    const seen = method.decode(method.encode(request));
    if (seen.orderId !== assignedCompleted.id) return true;
    const kind = seen.kind;
    const validKind = typeof kind === 'string' && kind !== 'DELIVERY_EXCEPTION_KIND_UNSPECIFIED';
    const note = typeof seen.note === 'string' ? seen.note.trim() : '';
    const validNote =
      [...note].length <= 500 &&
      !note.includes('\u0000') &&
      (note !== '' || kind !== 'DELIVERY_EXCEPTION_KIND_OTHER');
    return !(validKind && validNote);
  }

  const anyCall = () =>
    fc
      .constantFrom(...methods)
      .chain(requestOf)
      .filter(harmless);

  const ownCredentials = (method: BlinkMethod): MetadataEntries => {
    if (method.service === 'MerchantOrders') return partnerMetadata(merchantPartner);
    if (method.service === 'DeliveryOrders') return partnerMetadata(riderPartner);
    return [];
  };

  beforeAll(async () => {
    blink = await startBlink();
    raw = new RawGrpcClient(blink.address);
    const unlimited = { ratePerSecond: 1_000_000, burst: 1_000_000 };
    merchantPartner = await createPartner(blink.credentials, { merchantIds: [merchant] }, unlimited);
    otherPartner = await createPartner(blink.credentials, { merchantIds: [otherMerchant] }, unlimited);
    riderPartner = await createPartner(blink.credentials, { deliveryPartnerId: rider }, unlimited);
    revokedPartner = await createPartner(blink.credentials, { merchantIds: [merchant] }, unlimited);
    await blink.credentials.revoke(revokedPartner.partnerId, new Date());

    const { orders } = blink;
    const complete = async (order: Order, assignTo?: string): Promise<Order> => {
      await orders.transitions.accept(order.id, { merchantId: merchant });
      if (assignTo) await orders.assign(order.id, assignTo);
      await orders.transitions.markReady(order.id);
      await orders.transitions.pickUp(order.id);
      await orders.transitions.deliver(order.id);
      return orders.transitions.confirmReceipt(order.id, order.userId);
    };
    completed = await complete(await orders.paid(merchant));
    assignedCompleted = await complete(await orders.paid(merchant), rider);
    othersPaid = await orders.paid(otherMerchant);

    catalog = new Client({ connectionString: blink.app.get<EosConfig>(EOS_CONFIG).CATALOG_DATABASE_URL });
    await catalog.connect();
    footprint = new RowFootprint(
      blink.sources,
      blink.router,
      async (sql, params) => (await catalog.query<Record<string, unknown>>(sql, params)).rows,
    );
    for (const order of [completed, assignedCompleted, othersPaid])
      footprint.user(order.userId).order(order.id);
    for (const partner of [merchantPartner, otherPartner, riderPartner, revokedPartner]) {
      footprint.partner(partner.partnerId);
    }
    before = await footprint.take();
  });

  afterAll(async () => {
    raw?.close();
    await catalog?.end();
    await blink?.close();
  });

  it('answers every method with hostile field values, under the right credentials, without INTERNAL or UNKNOWN', async () => {
    await fc.assert(
      fc.asyncProperty(anyCall(), async (call) => {
        footprint.orderIdsIn(call.request);
        await check(call.method, call.request, call.method.encode(call.request), ownCredentials(call.method));
      }),
      runs(150),
    );
  });

  it('answers bytes that are no valid message with INVALID_ARGUMENT or an answer, never INTERNAL', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...methods), protobufGarbage(4), async (method, bytes) => {
        await check(method, bytes.toString('hex'), bytes, ownCredentials(method));
      }),
      runs(80),
    );
  });

  it('refuses missing, garbled, wrong and revoked credentials with UNAUTHENTICATED, whatever the request', async () => {
    const partnerMethods = methods.filter((method) => method.service !== 'BlinkStatus');
    const request = fc.oneof(
      fc
        .constantFrom(...partnerMethods)
        .chain(requestOf)
        .map((call) => ({
          method: call.method,
          shown: call.request,
          bytes: call.method.encode(call.request),
        })),
      fc
        .tuple(fc.constantFrom(...partnerMethods), protobufGarbage(4))
        .map(([method, bytes]) => ({ method, shown: bytes.toString('hex'), bytes })),
    );
    await fc.assert(
      fc.asyncProperty(
        request,
        fc.constant(null).chain(() => refusedCredentials(merchantPartner, otherPartner, revokedPartner)),
        async ({ method, shown, bytes }, metadata) => {
          await check(method, shown, bytes, metadata, (outcome) =>
            outcome.code === status.UNAUTHENTICATED
              ? null
              : `expected UNAUTHENTICATED, got ${status[outcome.code]}`,
          );
        },
      ),
      runs(80),
    );
  });

  it('refuses each partner service to the other kind of partner with PERMISSION_DENIED', async () => {
    const crossed = (method: BlinkMethod): MetadataEntries =>
      method.service === 'MerchantOrders' ? partnerMetadata(riderPartner) : partnerMetadata(merchantPartner);
    const partnerMethods = methods.filter((method) => method.service !== 'BlinkStatus');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...partnerMethods).chain(requestOf), async (call) => {
        footprint.orderIdsIn(call.request);
        await check(
          call.method,
          call.request,
          call.method.encode(call.request),
          crossed(call.method),
          (outcome) =>
            outcome.code === status.PERMISSION_DENIED
              ? null
              : `expected PERMISSION_DENIED, got ${status[outcome.code]}`,
        );
      }),
      runs(40),
    );
  });

  describe('hostile text where it is stored (these may succeed: orders outside the footprint)', () => {
    // NUL, lone surrogates, control and bidi characters in a reason or a note: stored or refused
    // with INVALID_ARGUMENT, never INTERNAL.
    const byName = (name: string) => methods.find((method) => method.method === name) as BlinkMethod;

    it('a merchant’s reason for rejecting a paid order', async () => {
      const reject = byName('RejectOrder');
      await fc.assert(
        fc.asyncProperty(hostileText(), async (reason) => {
          const order = await blink.orders.paid(merchant);
          const request = { orderId: order.id, reason };
          await check(reject, request, reject.encode(request), partnerMetadata(merchantPartner));
        }),
        runs(12),
      );
    });

    it('a rider’s note on an exception report', async () => {
      const report = byName('ReportException');
      const order = await blink.orders.accepted(merchant);
      await blink.orders.assign(order.id, rider);
      await fc.assert(
        fc.asyncProperty(hostileText(), async (note) => {
          const request = { orderId: order.id, kind: 'DELIVERY_EXCEPTION_KIND_OTHER', note };
          await check(report, request, report.encode(request), partnerMetadata(riderPartner));
        }),
        runs(12),
      );
    });
  });

  it('changed no row of the orders and partners the fuzzing touched', async () => {
    expect(await footprint.take()).toEqual(before);
  });
});
