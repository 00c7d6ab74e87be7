import 'reflect-metadata';
import fc from 'fast-check';
import { REDIS } from '@eos/cache';
import { EOS_CONFIG, EosConfig, mintToken } from '@eos/common';
import { Order, Permission, StaffRole } from '@eos/domain';
import { ShardDataSources, StaffRecord } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import {
  ABSENT_FIELD,
  AuthorizationCase,
  FuzzBody,
  FuzzRequest,
  ReverseOrderFactory,
  RowFootprint,
  RunningApp,
  absentEntityId,
  absentOrderId,
  asText,
  badGeneOrderId,
  brokenBody,
  brokenPathSegment,
  createStaff,
  edgeNumber,
  hostileText,
  http,
  jsonBody,
  jsonGarbage,
  malformedId,
  newStaffId,
  newUserId,
  notAString,
  notATextOf,
  notAnArrayOf,
  notAnId,
  notAnIntegerIn,
  notOneOf,
  pathSegment,
  rawBody,
  rawBodyGarbage,
  rawBytesGarbage,
  mustBeRefused,
  refusedAuthorization,
  sendWithinContract,
  sometimesLyingContentType,
  staffToken,
  startHttpApp,
} from '@eos/testing';
import Redis from 'ioredis';
import { Client } from 'pg';
import { ReverseOrderModule } from '../src/reverse-order.module';

const PERMISSIONS: string[] = Object.values(Permission);
const ROLES: string[] = Object.values(StaffRole);
const BEARERS = ['MERCHANT', 'PLATFORM', 'DELIVERY_PARTNER'];

/*
 * Input fuzzing of every reverse-order route (issue 9): customer cancellations, refunds and
 * reverse requests, and the customer-service API behind staff permissions, staff administration
 * included. Generated ids, bodies, queries and tokens never get a 5xx, every error has the
 * contract's shape, and no row of the customers, orders, requests and staff involved changes:
 * the targets are orders no reverse step may move (completed, cancelled, another customer's, none)
 * and staff members that only a broken request reaches.
 */
describe('reverse-order input fuzzing (e2e, real Postgres and Redis)', () => {
  let running: RunningApp;
  let config: EosConfig;
  let orders: ReverseOrderFactory;
  let catalog: Client;
  let footprint: RowFootprint;
  let before: Record<string, string>;
  const customer = newUserId();
  const stranger = newUserId();
  let customerToken: string;
  let completed: Order;
  let cancelled: Order;
  let decidedRequestId: string;
  let strangersAccepted: Order;
  let admin: StaffRecord;
  let agent: StaffRecord;
  let deactivated: StaffRecord;
  let adminToken: string;

  const runs = (numRuns: number) => ({ numRuns });
  const send = (request: FuzzRequest, expect?: Parameters<typeof sendWithinContract>[2]) => {
    footprint.orderIdsIn(request.path).orderIdsIn(request.body);
    return sendWithinContract(running.url, request, expect);
  };
  const asAdmin = (request: Omit<FuzzRequest, 'headers'>, contentType?: string) =>
    send(
      { ...request, headers: { authorization: `Bearer ${adminToken}`, 'content-type': contentType } },
      refusedOrRead(request),
    );
  const asCustomer = (request: Omit<FuzzRequest, 'headers'>, contentType?: string) =>
    send(
      { ...request, headers: { authorization: `Bearer ${customerToken}`, 'content-type': contentType } },
      refusedOrRead(request),
    );
  /** Reads may answer 200; every write here must be refused. */
  const refusedOrRead = (request: Omit<FuzzRequest, 'headers'>) =>
    request.method === 'GET' ? () => null : mustBeRefused;

  /** Orders no reverse step may change, for any caller: completed, cancelled, absent, malformed. */
  const frozenOrderId = () =>
    fc.oneof(malformedId(), badGeneOrderId(), absentOrderId(), fc.constantFrom(completed.id, cancelled.id));
  const anyBody = (): fc.Arbitrary<FuzzBody> =>
    fc.oneof(
      { weight: 2, arbitrary: jsonGarbage().map(jsonBody) },
      { weight: 2, arbitrary: rawBodyGarbage().map(rawBody) },
      rawBytesGarbage().map(rawBody),
    );
  const reasonBreaker = () => notATextOf(1, 500);
  const items = () => [{ itemId: '9001', quantity: 1 }];
  const refundBreakers = {
    items: notAnArrayOf(50, { itemId: '9001', quantity: 1 }).filter((value) => value !== ABSENT_FIELD),
    'items.0': fc.oneof(notAString(), fc.constant(ABSENT_FIELD)),
    'items.0.itemId': notAnId(),
    'items.0.quantity': notAnIntegerIn(1, 99),
    reason: reasonBreaker(),
  };
  /** A reverse-request body of any kind: valid (the targets make it harmless), broken, or garbage. */
  const reverseBody = (valid: object, breakers: Parameters<typeof brokenBody>[1]) =>
    fc.oneof(fc.constant(valid).map(jsonBody), brokenBody(valid, breakers).map(jsonBody), anyBody());

  beforeAll(async () => {
    running = await startHttpApp(ReverseOrderModule, 'reverse-order');
    config = running.app.get<EosConfig>(EOS_CONFIG);
    orders = await ReverseOrderFactory.start(
      running.app.get<Redis>(REDIS),
      running.app.get(ShardDataSources),
      running.app.get(ShardRouter),
    );
    catalog = new Client({ connectionString: config.CATALOG_DATABASE_URL });
    await catalog.connect();
    customerToken = mintToken(config.JWT_SECRET, 'customer', customer);
    completed = await orders.completed({ userId: customer });
    const unpaid = await orders.created({ userId: customer });
    const cancellation = await orders.requestCancellation(unpaid);
    cancelled = cancellation.order;
    decidedRequestId = cancellation.request.id;
    strangersAccepted = await orders.accepted({ userId: stranger });
    admin = await createStaff(running.app, { role: StaffRole.Admin });
    agent = await createStaff(running.app, { role: StaffRole.Agent });
    deactivated = await createStaff(running.app, { role: StaffRole.Supervisor });
    adminToken = staffToken(config.JWT_SECRET, admin.id);
    const deactivation = await http('POST', `${running.url}/v1/cs/staff/${deactivated.id}/deactivate`, {
      token: adminToken,
      body: { reason: 'fuzz fixture' },
    });
    expect(deactivation.status).toBe(200);
    footprint = new RowFootprint(
      running.app.get(ShardDataSources),
      running.app.get(ShardRouter),
      async (sql, params) => (await catalog.query<Record<string, unknown>>(sql, params)).rows,
    );
    footprint.user(customer).user(stranger);
    for (const id of [completed.id, cancelled.id, decidedRequestId, strangersAccepted.id])
      footprint.order(id);
    for (const id of [admin.id, agent.id, deactivated.id]) footprint.staffMember(id);
    before = await footprint.take();
  });

  afterAll(async () => {
    await orders?.close();
    await catalog?.end();
    await running?.close();
  });

  describe('who may call', () => {
    const customerRoutes = (id: string) => [
      {
        method: 'POST',
        path: `/v1/orders/${pathSegment(id)}/cancellation`,
        body: { reason: 'changed my mind' },
      },
      { method: 'POST', path: `/v1/orders/${pathSegment(id)}/refunds`, body: { reason: 'cold' } },
      { method: 'GET', path: `/v1/orders/${pathSegment(id)}/reverse-requests` },
    ];
    const staffRoutes = (id: string) => [
      { method: 'GET', path: `/v1/cs/orders/${pathSegment(id)}` },
      { method: 'GET', path: `/v1/cs/orders?userId=${customer}` },
      {
        method: 'POST',
        path: `/v1/cs/orders/${pathSegment(id)}/refunds`,
        body: { reason: 'cold', items: items() },
      },
      { method: 'POST', path: `/v1/cs/orders/${pathSegment(id)}/cancel`, body: { reason: 'fraud' } },
      { method: 'POST', path: `/v1/cs/reverse-requests/${pathSegment(id)}/approve`, body: { reason: 'ok' } },
      { method: 'POST', path: `/v1/cs/reverse-requests/${pathSegment(id)}/reject`, body: { reason: 'no' } },
      { method: 'GET', path: '/v1/cs/refunds?status=FAILED' },
      { method: 'POST', path: `/v1/cs/refunds/${pathSegment(id)}/retry`, body: { reason: 'again' } },
      { method: 'GET', path: `/v1/cs/audit?orderId=${completed.id}` },
      { method: 'GET', path: '/v1/cs/me' },
      { method: 'GET', path: '/v1/cs/staff' },
      { method: 'GET', path: `/v1/cs/staff/${agent.id}` },
      {
        method: 'POST',
        path: '/v1/cs/staff',
        body: { id: newStaffId(), name: 'Should Not Exist', role: 'agent' },
      },
      { method: 'PUT', path: `/v1/cs/staff/${agent.id}/grants/audit.read`, body: { reason: 'promotion' } },
      { method: 'DELETE', path: `/v1/cs/staff/${agent.id}/grants/order.read?reason=demotion` },
      { method: 'POST', path: `/v1/cs/staff/${agent.id}/deactivate`, body: { reason: 'left' } },
    ];
    // Tokens are made per property so that `refusedAuthorization` sees the app's secret.
    const route = (routes: (id: string) => { method: string; path: string; body?: unknown }[]) =>
      fc.tuple(fc.oneof(absentOrderId(), fc.constant(strangersAccepted.id)), fc.nat()).map(([id, pick]) => {
        const all = routes(id);
        return all[pick % all.length];
      });

    const expectRefusal =
      (authorization: AuthorizationCase) =>
      (answer: { status: number }): string | null =>
        [401, 403].includes(answer.status)
          ? null
          : `expected 401 or 403 (${authorization.label}), got ${answer.status}`;

    it('refuses the customer routes without a valid customer token', async () => {
      await fc.assert(
        fc.asyncProperty(
          route(customerRoutes),
          refusedAuthorization(config.JWT_SECRET, 'customer', stranger),
          async ({ method, path, body }, authorization) => {
            await send(
              {
                method,
                path,
                headers: { authorization: authorization.header },
                body: body === undefined ? undefined : jsonBody(body),
              },
              expectRefusal(authorization),
            );
          },
        ),
        runs(40),
      );
    });

    it('refuses the staff routes without a valid token of an active staff member', async () => {
      const extra: AuthorizationCase[] = [
        { label: 'unknown staff member', header: `Bearer ${staffToken(config.JWT_SECRET, newStaffId())}` },
        {
          label: 'deactivated staff member',
          header: `Bearer ${staffToken(config.JWT_SECRET, deactivated.id)}`,
        },
      ];
      await fc.assert(
        fc.asyncProperty(
          route(staffRoutes),
          refusedAuthorization(config.JWT_SECRET, 'staff', admin.id, extra),
          async ({ method, path, body }, authorization) => {
            await send(
              {
                method,
                path,
                headers: { authorization: authorization.header },
                body: body === undefined ? undefined : jsonBody(body),
              },
              expectRefusal(authorization),
            );
          },
        ),
        runs(60),
      );
    });

    it('refuses an agent every route outside its grants with 403 PERMISSION_DENIED', async () => {
      const agentToken = staffToken(config.JWT_SECRET, agent.id);
      const outside = (id: string) =>
        staffRoutes(id).filter(
          ({ path }) =>
            /\/(cancel|retry)$|\/cs\/(audit|staff)/.test(path) && !path.includes('/reverse-requests/'),
        );
      await fc.assert(
        fc.asyncProperty(route(outside), async ({ method, path, body }) => {
          await send(
            {
              method,
              path,
              headers: { authorization: `Bearer ${agentToken}` },
              body: body === undefined ? undefined : jsonBody(body),
            },
            (answer) => (answer.status === 403 ? null : `expected 403, got ${answer.status}`),
          );
        }),
        runs(25),
      );
    });
  });

  describe('customer routes, with a valid customer token', () => {
    const targets = () => fc.oneof(frozenOrderId(), fc.constant(strangersAccepted.id));

    it('refuses cancellations of orders that cannot be cancelled, with any body', async () => {
      await fc.assert(
        fc.asyncProperty(
          targets(),
          reverseBody({ reason: 'changed my mind' }, { reason: reasonBreaker() }),
          sometimesLyingContentType(),
          async (id, body, contentType) => {
            await asCustomer(
              { method: 'POST', path: `/v1/orders/${pathSegment(id)}/cancellation`, body },
              contentType,
            );
          },
        ),
        runs(40),
      );
    });

    it('refuses refund requests of orders that cannot be refunded, with any body', async () => {
      await fc.assert(
        fc.asyncProperty(
          targets(),
          reverseBody({ items: items(), reason: 'cold food' }, refundBreakers),
          sometimesLyingContentType(),
          async (id, body, contentType) => {
            await asCustomer(
              { method: 'POST', path: `/v1/orders/${pathSegment(id)}/refunds`, body },
              contentType,
            );
          },
        ),
        runs(40),
      );
    });

    it('lists the reverse requests of own orders only, for any id', async () => {
      await fc.assert(
        fc.asyncProperty(targets(), async (id) => {
          const answer = await asCustomer({
            method: 'GET',
            path: `/v1/orders/${pathSegment(id)}/reverse-requests`,
          });
          if (answer.status === 200) expect([completed.id, cancelled.id]).toContain(id);
        }),
        runs(30),
      );
    });
  });

  describe('customer-service routes, with a token of an administrator (every permission)', () => {
    const queryValue = () =>
      fc.oneof(
        malformedId(),
        absentEntityId(),
        absentOrderId(),
        edgeNumber().map(asText),
        hostileText(),
        fc.constantFrom('FAILED', 'PENDING', '', customer),
      );
    const query = (names: string[]) =>
      fc
        .array(fc.tuple(fc.constantFrom(...names, '__proto__', 'constructor', 'extra'), queryValue()), {
          maxLength: 5,
        })
        .map((pairs) => new URLSearchParams(pairs).toString());

    it('answers searches, refund lists, audit trails and staff lists with any query with a page or a 400', async () => {
      const search = fc.oneof(
        query(['userId', 'merchantId', 'limit', 'cursor']).map((q) => `/v1/cs/orders?${q}`),
        query(['status', 'limit']).map((q) => `/v1/cs/refunds?${q}`),
        query(['orderId', 'staffId', 'limit']).map((q) => `/v1/cs/audit?${q}`),
        query(['limit', 'cursor']).map((q) => `/v1/cs/staff?${q}`),
      );
      await fc.assert(
        fc.asyncProperty(search, async (path) => {
          await asAdmin({ method: 'GET', path });
        }),
        runs(60),
      );
    });

    it('reads the case of any order id: the order, 404 or 400', async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(frozenOrderId(), fc.constant(strangersAccepted.id)), async (id) => {
          await asAdmin({ method: 'GET', path: `/v1/cs/orders/${pathSegment(id)}` });
        }),
        runs(30),
      );
    });

    it('refuses refunds filed for the customer and force-cancels of frozen orders, with any body', async () => {
      const filing = fc.oneof(
        fc.tuple(
          frozenOrderId(),
          reverseBody({ items: items(), reason: 'cold food' }, refundBreakers),
          fc.constant('refunds'),
        ),
        fc.tuple(
          frozenOrderId(),
          reverseBody(
            { reason: 'fraud', bearer: 'PLATFORM' },
            { reason: reasonBreaker(), bearer: notOneOf(BEARERS, false) },
          ),
          fc.constant('cancel'),
        ),
      );
      await fc.assert(
        fc.asyncProperty(filing, sometimesLyingContentType(), async ([id, body, action], contentType) => {
          await asAdmin(
            { method: 'POST', path: `/v1/cs/orders/${pathSegment(id)}/${action}`, body },
            contentType,
          );
        }),
        runs(50),
      );
    });

    it('refuses approving or rejecting reverse requests that are malformed, absent or already decided', async () => {
      const requestId = fc.oneof(
        malformedId(),
        badGeneOrderId(),
        absentOrderId(),
        fc.constant(decidedRequestId),
      );
      const decision = fc.oneof(
        fc.tuple(
          fc.constant('approve'),
          reverseBody(
            { reason: 'checked', bearer: 'MERCHANT' },
            { reason: notATextOf(1, 500, { required: false }), bearer: notOneOf(BEARERS, false) },
          ),
        ),
        fc.tuple(
          fc.constant('reject'),
          reverseBody({ reason: 'not justified' }, { reason: reasonBreaker() }),
        ),
      );
      await fc.assert(
        fc.asyncProperty(requestId, decision, async (id, [action, body]) => {
          await asAdmin({
            method: 'POST',
            path: `/v1/cs/reverse-requests/${pathSegment(id)}/${action}`,
            body,
          });
        }),
        runs(40),
      );
    });

    it('refuses retrying refunds that are malformed or absent, with any body', async () => {
      const body = fc.oneof(
        fc.constant({ reason: 'provider is back' }).map(jsonBody),
        brokenBody({ reason: 'x' }, { reason: notATextOf(1, 500, { blankAllowed: true }) }).map(jsonBody),
        anyBody(),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(malformedId(), badGeneOrderId(), absentOrderId()),
          body,
          async (id, payload) => {
            await asAdmin({ method: 'POST', path: `/v1/cs/refunds/${pathSegment(id)}/retry`, body: payload });
          },
        ),
        runs(30),
      );
    });
  });

  describe('staff administration, with a token of an administrator', () => {
    /** Staff ids that reach no member: malformed, or well-formed of nobody. Any request to them is harmless. */
    const nobody = () => fc.oneof(malformedId(), absentEntityId());
    /** Members that exist: only a broken request may reach them here. */
    const somebody = () => fc.constantFrom(admin.id, agent.id);
    const anyPermission = () =>
      fc.oneof(fc.constantFrom(...PERMISSIONS), notOneOf(PERMISSIONS, false).map(asText));
    const brokenReason = () => notATextOf(1, 500).filter((value) => value !== ABSENT_FIELD);
    const grantBreakers = {
      ceilingCents: notAnIntegerIn(0, Number.MAX_SAFE_INTEGER, false).filter((value) => value !== null),
      reason: notATextOf(1, 500),
    };
    const track = (id: string) => footprint.staffMember(id);

    it('reads any staff id: the member, 404 or 400', async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(nobody(), somebody()), async (id) => {
          track(id);
          await asAdmin({ method: 'GET', path: `/v1/cs/staff/${pathSegment(id)}` });
        }),
        runs(25),
      );
    });

    it('refuses creating a member from a broken body (and an existing id from any body)', async () => {
      const valid = { id: newStaffId(), name: 'Fuzz Agent', role: 'agent', reason: 'hiring' };
      const breakers = {
        id: notAnId(),
        name: notATextOf(1, 100),
        role: notOneOf(ROLES),
        reason: notATextOf(1, 500, { required: false }),
      };
      const body = fc.oneof(
        { weight: 3, arbitrary: brokenBody(valid, breakers).map(jsonBody) },
        fc.constant(jsonBody({ ...valid, id: admin.id })),
        anyBody(),
      );
      await fc.assert(
        fc.asyncProperty(body, sometimesLyingContentType(), async (payload, contentType) => {
          const id = 'json' in payload ? (payload.json as { id?: unknown } | null)?.id : undefined;
          if (typeof id === 'string') footprint.staffMember(id);
          await asAdmin({ method: 'POST', path: '/v1/cs/staff', body: payload }, contentType);
        }),
        runs(40),
      );
    });

    it('refuses grants that are malformed, of an unknown permission, or to nobody', async () => {
      const valid = { ceilingCents: 5000, reason: 'promotion' };
      const grant = fc.oneof(
        fc.tuple(nobody(), anyPermission(), reverseBody(valid, grantBreakers)),
        fc.tuple(somebody(), anyPermission(), brokenBody(valid, grantBreakers).map(jsonBody)),
        fc.tuple(somebody(), notOneOf(PERMISSIONS, false).map(asText), reverseBody(valid, grantBreakers)),
      );
      await fc.assert(
        fc.asyncProperty(grant, async ([id, permission, body]) => {
          track(id);
          await asAdmin({
            method: 'PUT',
            path: `/v1/cs/staff/${pathSegment(id)}/grants/${pathSegment(permission)}`,
            body,
          });
        }),
        runs(40),
      );
    });

    it('refuses revocations without one valid reason, of an unknown permission, or of nobody', async () => {
      const queryReason = fc.oneof(
        fc.constant(''),
        fc.constant('?reason='),
        fc.constant('?reason=%20%20'),
        fc.constant(`?reason=${'z'.repeat(501)}`),
        fc.constant('?reason=a&reason=b'),
      );
      const bodyReason = fc.oneof(
        fc.constant(undefined),
        brokenReason().map((reason) => jsonBody({ reason })),
        jsonGarbage()
          .filter((value) => typeof value !== 'object' || value === null || !('reason' in value))
          .map(jsonBody),
      );
      const target = fc.oneof(
        fc.tuple(nobody(), anyPermission(), queryReason, bodyReason),
        fc.tuple(somebody(), anyPermission(), queryReason, bodyReason),
        fc.tuple(
          somebody(),
          notOneOf(PERMISSIONS, false).map(asText),
          fc.constant('?reason=valid'),
          fc.constant(undefined),
        ),
        // The same valid reason twice, differently: refused, nothing revoked.
        fc.tuple(
          somebody(),
          anyPermission(),
          fc.constant('?reason=one'),
          fc.constant(jsonBody({ reason: 'another' })),
        ),
      );
      await fc.assert(
        fc.asyncProperty(target, async ([id, permission, query, body]) => {
          track(id);
          await asAdmin({
            method: 'DELETE',
            path: `/v1/cs/staff/${pathSegment(id)}/grants/${pathSegment(permission)}${query}`,
            body,
          });
        }),
        runs(40),
      );
    });

    it('refuses deactivating nobody, or anybody with a broken reason', async () => {
      const target = fc.oneof(
        fc.tuple(nobody(), reverseBody({ reason: 'left the company' }, { reason: reasonBreaker() })),
        fc.tuple(somebody(), brokenBody({ reason: 'x' }, { reason: reasonBreaker() }).map(jsonBody)),
        fc.tuple(somebody(), anyBody()),
        // Deactivating oneself is refused, whatever the reason.
        fc.tuple(fc.constant(admin.id), fc.constant(jsonBody({ reason: 'burnout' }))),
      );
      await fc.assert(
        fc.asyncProperty(target, async ([id, body]) => {
          track(id);
          await asAdmin({ method: 'POST', path: `/v1/cs/staff/${pathSegment(id)}/deactivate`, body });
        }),
        runs(40),
      );
    });
  });

  it('refuses id segments that are no valid percent-encoding, on every route that takes one', async () => {
    const routes = fc.constantFrom(
      { method: 'POST', path: (segment: string) => `/v1/orders/${segment}/cancellation`, customer: true },
      { method: 'POST', path: (segment: string) => `/v1/orders/${segment}/refunds`, customer: true },
      { method: 'GET', path: (segment: string) => `/v1/orders/${segment}/reverse-requests`, customer: true },
      { method: 'GET', path: (segment: string) => `/v1/cs/orders/${segment}`, customer: false },
      { method: 'POST', path: (segment: string) => `/v1/cs/orders/${segment}/cancel`, customer: false },
      { method: 'POST', path: (segment: string) => `/v1/cs/orders/${segment}/refunds`, customer: false },
      {
        method: 'POST',
        path: (segment: string) => `/v1/cs/reverse-requests/${segment}/approve`,
        customer: false,
      },
      {
        method: 'POST',
        path: (segment: string) => `/v1/cs/reverse-requests/${segment}/reject`,
        customer: false,
      },
      { method: 'POST', path: (segment: string) => `/v1/cs/refunds/${segment}/retry`, customer: false },
      { method: 'GET', path: (segment: string) => `/v1/cs/staff/${segment}`, customer: false },
      {
        method: 'PUT',
        path: (segment: string) => `/v1/cs/staff/${agent.id}/grants/${segment}`,
        customer: false,
      },
      {
        method: 'DELETE',
        path: (segment: string) => `/v1/cs/staff/${segment}/grants/order.read`,
        customer: false,
      },
      { method: 'POST', path: (segment: string) => `/v1/cs/staff/${segment}/deactivate`, customer: false },
    );
    await fc.assert(
      fc.asyncProperty(routes, brokenPathSegment(), async (route, segment) => {
        const request = {
          method: route.method,
          path: route.path(segment),
          body: jsonBody({ reason: 'why not' }),
        };
        if (route.customer) await asCustomer(request);
        else await asAdmin(request);
      }),
      runs(30),
    );
  });

  it('answers unknown routes and methods with the contract error shape', async () => {
    const paths = fc.oneof(
      fc.constantFrom('/v1/cs/orders', `/v1/cs/staff/${agent.id}`, '/v1/cs/me', '/v1/cs/refunds', '/v1/cs'),
      fc.string({ maxLength: 40 }).map((text) => `/v1/cs/${pathSegment(text)}`),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('PUT', 'PATCH', 'DELETE', 'OPTIONS', 'POST'),
        paths,
        anyBody(),
        async (method, path, body) => {
          await asAdmin({ method, path, body: method === 'OPTIONS' ? undefined : body });
        },
      ),
      runs(25),
    );
  });

  describe('hostile text in otherwise valid requests (these may succeed: orders and staff outside the footprint)', () => {
    // Sent around `send`, so that the orders and staff made here stay out of the footprint.
    it('a cancellation reason is stored or refused', async () => {
      await fc.assert(
        fc.asyncProperty(hostileText(), async (reason) => {
          const order = await orders.created();
          await sendWithinContract(running.url, {
            method: 'POST',
            path: `/v1/orders/${order.id}/cancellation`,
            headers: { authorization: `Bearer ${mintToken(config.JWT_SECRET, 'customer', order.userId)}` },
            body: jsonBody({ reason }),
          });
        }),
        runs(15),
      );
    });

    it('a new member’s name and reason, and a revocation reason in the query, are stored or refused', async () => {
      // Another administrator: the audit rows of these changes name their actor.
      const writer = staffToken(
        config.JWT_SECRET,
        (await createStaff(running.app, { role: StaffRole.Admin })).id,
      );
      await fc.assert(
        fc.asyncProperty(hostileText(), hostileText(), hostileText(), async (name, reason, revocation) => {
          const id = newStaffId();
          const created = await sendWithinContract(running.url, {
            method: 'POST',
            path: '/v1/cs/staff',
            headers: { authorization: `Bearer ${writer}` },
            body: jsonBody({ id, name, role: 'agent', reason }),
          });
          if (created.status !== 201) return;
          await sendWithinContract(running.url, {
            method: 'DELETE',
            path: `/v1/cs/staff/${id}/grants/order.read?${new URLSearchParams({ reason: revocation }).toString()}`,
            headers: { authorization: `Bearer ${writer}` },
          });
        }),
        runs(15),
      );
    });
  });

  it('changed no row of the customers, orders, requests and staff the fuzzing touched', async () => {
    expect(await footprint.take()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
