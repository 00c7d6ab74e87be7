import 'reflect-metadata';
import { REDIS } from '@eos/cache';
import { EOS_CONFIG, EosConfig, mintToken } from '@eos/common';
import { Order, orderEventPayload } from '@eos/domain';
import { MerchantCancellationDecisions } from '@eos/ordering';
import { MerchantOrderRepository, ShardDataSources, StaffRecord } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import {
  ReverseOrderFactory,
  RunningApp,
  createStaff,
  http,
  newUserId,
  staffToken,
  startHttpApp,
  trailProblems,
} from '@eos/testing';
import Redis from 'ioredis';
import { CancellationEscalationScheduler } from '../src/requests/cancellation-escalation.scheduler';
import { ReverseOrderModule } from '../src/reverse-order.module';

interface RequestBody {
  id: string;
  orderId: string;
  kind: string;
  status: string;
  reason: string;
  amountCents: number;
  currency: string;
  items: { itemId: string; quantity: number; amountCents: number }[];
  decisionReason: string | null;
  merchantDeadline: string | null;
  requestedBy?: string;
  firstApprover?: string | null;
  decidedBy?: string | null;
  bearer?: string | null;
}

interface StepBody {
  request: RequestBody;
  order: { id: string; status: string; version: number };
  refundId?: string | null;
}

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
}

interface CaseBody {
  order: {
    id: string;
    status: string;
    paidCents: number;
    refundedCents: number;
    openReverseRequests: number;
  };
  history: { version: number; toStatus: string; actor: string }[];
  reverseRequests: RequestBody[];
  refunds: { reverseRequestId: string | null; amountCents: number; bearer: string; status: string }[];
  audit: { action: string; staffId: string; before: unknown; after: unknown; reason: string | null }[];
}

describe('reverse requests: cancellations, refund requests and staff decisions (e2e, real Postgres and Redis)', () => {
  let running: RunningApp;
  let config: EosConfig;
  let orders: ReverseOrderFactory;
  let merchantDecisions: MerchantCancellationDecisions;
  let escalation: CancellationEscalationScheduler;
  let agent: StaffRecord;
  let supervisor: StaffRecord;
  let secondSupervisor: StaffRecord;
  let admin: StaffRecord;

  const customer = (userId: string): string => mintToken(config.JWT_SECRET, 'customer', userId);
  const staff = (member: StaffRecord): string => staffToken(config.JWT_SECRET, member.id);
  const post = <T = StepBody & ErrorBody>(path: string, token: string, body?: unknown) =>
    http<T>('POST', `${running.url}${path}`, { token, body });
  const get = <T>(path: string, token: string) => http<T>('GET', `${running.url}${path}`, { token });
  const cancel = (order: Order, reason = 'changed my mind') =>
    post(`/v1/orders/${order.id}/cancellation`, customer(order.userId), { reason });
  const refund = (order: Order, items?: { itemId: string; quantity: number }[], reason = 'cold food') =>
    post(`/v1/orders/${order.id}/refunds`, customer(order.userId), { items, reason });
  const approve = (requestId: string, member: StaffRecord, body: object = { reason: 'checked' }) =>
    post(`/v1/cs/reverse-requests/${requestId}/approve`, staff(member), body);
  const reject = (requestId: string, member: StaffRecord, body: object = { reason: 'not justified' }) =>
    post(`/v1/cs/reverse-requests/${requestId}/reject`, staff(member), body);

  beforeAll(async () => {
    running = await startHttpApp(ReverseOrderModule, 'reverse-order');
    config = running.app.get<EosConfig>(EOS_CONFIG);
    orders = await ReverseOrderFactory.start(
      running.app.get<Redis>(REDIS),
      running.app.get(ShardDataSources),
      running.app.get(ShardRouter),
    );
    merchantDecisions = running.app.get(MerchantCancellationDecisions);
    escalation = running.app.get(CancellationEscalationScheduler);
    agent = await createStaff(running.app, { role: 'agent' });
    supervisor = await createStaff(running.app, { role: 'supervisor' });
    secondSupervisor = await createStaff(running.app, { role: 'supervisor' });
    admin = await createStaff(running.app, { role: 'admin' });
  });

  afterAll(async () => {
    await orders?.close();
    await running?.close();
  });

  describe('customer cancellation before the merchant accepts: immediate', () => {
    it('cancels an unpaid order at once, with nothing to refund', async () => {
      const order = await orders.created();
      const answer = await cancel(order, '  ordered twice ');
      expect(answer.status).toBe(201);
      expect(answer.body.order).toEqual({ id: order.id, status: 'CANCELLED', version: 2 });
      expect(answer.body.request).toMatchObject({
        orderId: order.id,
        kind: 'CANCELLATION',
        status: 'APPROVED',
        reason: 'ordered twice',
        amountCents: 0,
        currency: 'CNY',
      });
      const trail = await orders.trail(order.id);
      expect(trailProblems(trail)).toEqual([]);
      expect(trail.history[1]).toMatchObject({ from: 'CREATED', to: 'CANCELLED', actor: 'customer' });
      expect(await orders.refundsDue(order.id)).toEqual([]);
      expect((await orders.money(order.id)).openReverseRequests).toBe(0);
    });

    it('cancels a paid order at once and marks its whole payment for refund, borne by the platform', async () => {
      const order = await orders.paid();
      const answer = await cancel(order);
      expect([answer.status, answer.body.order.status]).toEqual([201, 'CANCELLED']);
      expect(await orders.refundsDue(order.id)).toEqual([
        { reason: 'CUSTOMER_CANCELLED', amountCents: 5650, bearer: null },
      ]);
      const mine = await get<{ items: RequestBody[] }>(
        `/v1/orders/${order.id}/reverse-requests`,
        customer(order.userId),
      );
      expect(mine.status).toBe(200);
      expect(mine.body.items).toEqual([
        expect.objectContaining({ id: answer.body.request.id, status: 'APPROVED' }),
      ]);
      // Nothing staff-only leaks to the customer.
      expect(mine.body.items[0]).not.toHaveProperty('requestedBy');
      const again = await cancel(order);
      expect([again.status, again.body.code]).toEqual([409, 'REVERSE_NOT_ALLOWED']);
    });
  });

  describe('customer cancellation after acceptance: the merchant decides, else customer service', () => {
    it('opens one request awaiting the merchant, with its deadline; a second is REVERSE_NOT_ALLOWED', async () => {
      const order = await orders.accepted();
      const before = Date.now();
      const answer = await cancel(order);
      expect(answer.status).toBe(201);
      expect(answer.body.order).toEqual({ id: order.id, status: 'ACCEPTED', version: 3 });
      expect(answer.body.request.status).toBe('AWAITING_MERCHANT');
      const deadline = Date.parse(answer.body.request.merchantDeadline ?? '');
      expect(deadline).toBeGreaterThanOrEqual(before + config.CANCELLATION_DECISION_MINUTES * 60_000 - 1000);
      expect((await orders.money(order.id)).openReverseRequests).toBe(1);
      const second = await cancel(order);
      expect([second.status, second.body.code]).toEqual([409, 'REVERSE_NOT_ALLOWED']);
      expect((await orders.money(order.id)).openReverseRequests).toBe(1);
    });

    it('the merchant approves: the order is cancelled and refunded (borne by the merchant) with the request closed', async () => {
      const order = await orders.accepted();
      const opened = await cancel(order);
      await expect(
        merchantDecisions.decide(order.id, 'APPROVE', null, { merchantId: '999999999' }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      const decided = await merchantDecisions.decide(order.id, 'APPROVE', 'fine', {
        merchantId: order.merchantId,
      });
      expect(decided.order.status).toBe('CANCELLED');
      expect(decided.request).toMatchObject({
        id: opened.body.request.id,
        status: 'APPROVED',
        decidedBy: `merchant:${order.merchantId}`,
        decisionReason: 'fine',
        bearer: 'MERCHANT',
      });
      const trail = await orders.trail(order.id);
      expect(trailProblems(trail)).toEqual([]);
      expect(trail.history[3]).toMatchObject({ from: 'ACCEPTED', to: 'CANCELLED', actor: 'merchant' });
      expect(await orders.refundsDue(order.id)).toEqual([
        { reason: 'CANCELLATION_APPROVED', amountCents: 5650, bearer: 'MERCHANT' },
      ]);
      expect((await orders.money(order.id)).openReverseRequests).toBe(0);
      await expect(merchantDecisions.decide(order.id, 'REFUSE', null)).rejects.toMatchObject({
        code: 'ILLEGAL_TRANSITION',
      });
    });

    it('the merchant refuses: the order goes on, the request is closed', async () => {
      const order = await orders.accepted();
      await cancel(order);
      const decided = await merchantDecisions.decide(order.id, 'REFUSE', 'already cooking', {
        merchantId: order.merchantId,
      });
      expect([decided.order.status, decided.request.status]).toEqual(['ACCEPTED', 'REJECTED']);
      expect((await orders.money(order.id)).openReverseRequests).toBe(0);
      expect(await orders.refundsDue(order.id)).toEqual([]);
    });

    it('escalates to customer service when the merchant does not decide in time; staff then decide', async () => {
      const order = await orders.accepted();
      const opened = await cancel(order);
      const requestId = opened.body.request.id;
      // Not yet due: the pass leaves it alone.
      expect((await escalation.runOnce()).escalated.map((request) => request.id)).not.toContain(requestId);
      await orders.expireMerchantDeadline(requestId);
      const report = await escalation.runOnce();
      expect(report.escalated.map((request) => request.id)).toContain(requestId);
      expect((await escalation.runOnce()).escalated.map((request) => request.id)).not.toContain(requestId);

      await expect(merchantDecisions.decide(order.id, 'APPROVE', null)).rejects.toMatchObject({
        code: 'ILLEGAL_TRANSITION',
      });
      const approved = await approve(requestId, supervisor, { reason: 'merchant unreachable' });
      expect(approved.status).toBe(200);
      expect(approved.body.request).toMatchObject({
        status: 'APPROVED',
        decidedBy: `staff:${supervisor.id}`,
        bearer: 'MERCHANT',
      });
      expect(approved.body.order.status).toBe('CANCELLED');
      expect(approved.body.refundId).toBeNull();
      expect(await orders.refundsDue(order.id)).toEqual([
        { reason: 'CANCELLATION_APPROVED', amountCents: 5650, bearer: 'MERCHANT' },
      ]);
      const trail = await orders.trail(order.id);
      expect(trail.history[3]).toMatchObject({ to: 'CANCELLED', actor: `staff:${supervisor.id}` });
      expect(await orders.auditRows(order.id)).toEqual([
        {
          staffId: supervisor.id,
          action: 'reverse_request.approve',
          target: `reverse_request:${requestId}`,
          before: expect.objectContaining({ status: 'AWAITING_STAFF' }),
          after: expect.objectContaining({ status: 'APPROVED', decidedBy: `staff:${supervisor.id}` }),
          reason: 'merchant unreachable',
        },
      ]);
    });

    it('refuses cancelling an order on its way, and a completed one with ORDER_COMPLETED', async () => {
      const delivered = await orders.delivered();
      const late = await cancel(delivered);
      expect([late.status, late.body.code]).toEqual([409, 'REVERSE_NOT_ALLOWED']);
      const completed = await orders.completed();
      const closed = await cancel(completed);
      expect([closed.status, closed.body.code]).toEqual([409, 'ORDER_COMPLETED']);
      const refused = await refund(completed);
      expect([refused.status, refused.body.code]).toEqual([409, 'ORDER_COMPLETED']);
      const trail = await orders.trail(completed.id);
      expect([trail.status, trail.version]).toEqual(['COMPLETED', 7]);
      expect(await orders.money(completed.id)).toMatchObject({ refundedCents: 0, openReverseRequests: 0 });
    });
  });

  describe('refund requests at frozen prices, decided by customer service', () => {
    it('a partial refund reserves its share of what was paid; approval creates the PENDING refund', async () => {
      const order = await orders.delivered();
      // Line 1: 2 x 1800 of a 6000 subtotal; the order paid 5650: its share is 3390, 1695 a unit.
      const asked = await refund(order, [{ itemId: '9001', quantity: 1 }]);
      expect(asked.status).toBe(201);
      expect(asked.body.request).toMatchObject({
        kind: 'REFUND',
        status: 'AWAITING_STAFF',
        amountCents: 1695,
        items: [{ itemId: '9001', quantity: 1, amountCents: 1695 }],
      });
      expect(await orders.money(order.id)).toMatchObject({
        refundedCents: 1695,
        openReverseRequests: 1,
        lines: { 1: [2, 1], 2: [1, 0], 3: [3, 0] },
      });

      const approved = await approve(asked.body.request.id, agent, {
        reason: 'photo shows it',
        bearer: 'PLATFORM',
      });
      expect(approved.status).toBe(200);
      expect(approved.body.request).toMatchObject({ status: 'APPROVED', bearer: 'PLATFORM' });
      expect(approved.body.refundId).toEqual(expect.stringMatching(/^[1-9][0-9]*$/));
      const view = await get<CaseBody>(`/v1/cs/orders/${order.id}`, staff(agent));
      expect(view.status).toBe(200);
      expect(view.body.refunds).toEqual([
        expect.objectContaining({
          reverseRequestId: asked.body.request.id,
          amountCents: 1695,
          bearer: 'PLATFORM',
          status: 'PENDING',
        }),
      ]);
      expect(view.body.order).toMatchObject({ paidCents: 5650, refundedCents: 1695, openReverseRequests: 0 });
      expect(view.body.audit).toEqual([
        expect.objectContaining({
          action: 'reverse_request.approve',
          staffId: agent.id,
          reason: 'photo shows it',
        }),
      ]);
    });

    it('a full refund takes what is still refundable, so partial and full refunds add up to what was paid', async () => {
      const order = await orders.delivered();
      const first = await refund(order, [{ itemId: '9003', quantity: 2 }]);
      const rest = await refund(order);
      expect([first.status, rest.status]).toEqual([201, 201]);
      expect(first.body.request.amountCents + rest.body.request.amountCents).toBe(5650);
      expect(rest.body.request.items.map((item) => [item.itemId, item.quantity])).toEqual([
        ['9001', 2],
        ['9002', 1],
        ['9003', 1],
      ]);
      const nothingLeft = await refund(order);
      expect([nothingLeft.status, nothingLeft.body.code]).toEqual([409, 'REFUND_EXCEEDS_PAID']);
      // The default bearer of a refund request is the merchant; the admin has no ceiling.
      for (const request of [first.body.request, rest.body.request]) {
        const approved = await approve(request.id, admin);
        expect([approved.status, approved.body.request.bearer]).toEqual([200, 'MERCHANT']);
      }
      expect(await orders.money(order.id)).toMatchObject({
        paidCents: 5650,
        refundedCents: 5650,
        refundRowsCents: 5650,
        refundRows: 2,
        openReverseRequests: 0,
      });
    });

    it('a rejection releases the reservation and is audited', async () => {
      const order = await orders.delivered();
      const asked = await refund(order, [{ itemId: '9002', quantity: 1 }]);
      const rejected = await reject(asked.body.request.id, agent, { reason: 'no evidence' });
      expect([rejected.status, rejected.body.request.status]).toEqual([200, 'REJECTED']);
      expect(await orders.money(order.id)).toMatchObject({
        refundedCents: 0,
        openReverseRequests: 0,
        lines: { 1: [2, 0], 2: [1, 0], 3: [3, 0] },
        refundRows: 0,
      });
      const again = await approve(asked.body.request.id, agent);
      expect([again.status, again.body.code]).toEqual([409, 'ILLEGAL_TRANSITION']);
      expect(await orders.auditRows(order.id)).toEqual([
        expect.objectContaining({
          action: 'reverse_request.reject',
          staffId: agent.id,
          before: expect.objectContaining({ status: 'AWAITING_STAFF', amountCents: 848 }),
          after: expect.objectContaining({ status: 'REJECTED', decisionReason: 'no evidence' }),
          reason: 'no evidence',
        }),
      ]);
    });

    it('an agent above their approval ceiling gets 403 APPROVAL_CEILING_EXCEEDED and changes nothing', async () => {
      const order = await orders.delivered();
      const asked = await refund(order);
      expect(asked.body.request.amountCents).toBe(5650);
      const refused = await approve(asked.body.request.id, agent);
      expect([refused.status, refused.body.code]).toEqual([403, 'APPROVAL_CEILING_EXCEEDED']);
      const mine = await get<{ items: RequestBody[] }>(
        `/v1/orders/${order.id}/reverse-requests`,
        customer(order.userId),
      );
      expect(mine.body.items[0].status).toBe('AWAITING_STAFF');
      expect(await orders.auditRows(order.id)).toEqual([]);
    });

    it('two-person rule: a large refund needs two different staff members, and never its maker', async () => {
      const order = await orders.delivered({ scale: 10 });
      // Filed by customer service on the customer's behalf: the supervisor is its maker.
      const filed = await post(`/v1/cs/orders/${order.id}/refunds`, staff(supervisor), {
        items: [{ itemId: '9001', quantity: 2 }],
        reason: 'customer called: noodles missing',
      });
      expect(filed.status).toBe(201);
      expect(filed.body.request).toMatchObject({
        amountCents: 33900,
        requestedBy: `staff:${supervisor.id}`,
        status: 'AWAITING_STAFF',
      });
      const requestId = filed.body.request.id;
      const byMaker = await approve(requestId, supervisor);
      expect([byMaker.status, byMaker.body.code]).toEqual([403, 'SECOND_APPROVER_REQUIRED']);

      const first = await approve(requestId, secondSupervisor, { reason: 'first look' });
      expect(first.status).toBe(200);
      expect(first.body.request).toMatchObject({
        status: 'AWAITING_SECOND_APPROVAL',
        firstApprover: secondSupervisor.id,
      });
      expect(first.body.refundId).toBeNull();
      const sameAgain = await approve(requestId, secondSupervisor);
      expect([sameAgain.status, sameAgain.body.code]).toEqual([403, 'SECOND_APPROVER_REQUIRED']);
      expect((await orders.money(order.id)).refundRows).toBe(0);

      const second = await approve(requestId, admin, { reason: 'second look' });
      expect(second.status).toBe(200);
      expect(second.body.request.status).toBe('APPROVED');
      expect(await orders.money(order.id)).toMatchObject({
        refundedCents: 33900,
        refundRowsCents: 33900,
        refundRows: 1,
        openReverseRequests: 0,
      });
      const audit = await orders.auditRows(order.id);
      expect(audit.map((row) => [row.action, row.staffId])).toEqual([
        ['refund_request.create', supervisor.id],
        ['reverse_request.approve', secondSupervisor.id],
        ['reverse_request.approve', admin.id],
      ]);
      expect(audit[0]).toMatchObject({
        before: null,
        after: expect.objectContaining({ amountCents: 33900 }),
      });
      expect(audit[2]).toMatchObject({
        before: expect.objectContaining({ status: 'AWAITING_SECOND_APPROVAL' }),
        after: expect.objectContaining({ status: 'APPROVED', firstApprover: secondSupervisor.id }),
      });
    });

    it('refuses unknown or repeated items and bad quantities, reserving nothing', async () => {
      const order = await orders.delivered();
      const cases: [object, number, string][] = [
        [{ items: [{ itemId: '424242', quantity: 1 }], reason: 'x' }, 422, 'ITEM_NOT_FOUND'],
        [
          {
            items: [
              { itemId: '9001', quantity: 1 },
              { itemId: '9001', quantity: 1 },
            ],
            reason: 'x',
          },
          400,
          'DUPLICATE_ITEM',
        ],
        [{ items: [{ itemId: '9001', quantity: 3 }], reason: 'x' }, 409, 'REFUND_EXCEEDS_PAID'],
        [{ items: [{ itemId: '9001', quantity: 0 }], reason: 'x' }, 400, 'QUANTITY_OUT_OF_RANGE'],
        [{ items: [{ itemId: 'abc', quantity: 1 }], reason: 'x' }, 400, 'INVALID_ID'],
        [{ items: [], reason: 'x' }, 400, 'VALIDATION_FAILED'],
        [{ reason: '   ' }, 400, 'VALIDATION_FAILED'],
        [{}, 400, 'VALIDATION_FAILED'],
        [{ reason: 'x', extra: true }, 400, 'VALIDATION_FAILED'],
      ];
      for (const [body, status, code] of cases) {
        const answer = await post(`/v1/orders/${order.id}/refunds`, customer(order.userId), body);
        expect([JSON.stringify(body), answer.status, answer.body.code]).toEqual([
          JSON.stringify(body),
          status,
          code,
        ]);
      }
      expect(await orders.money(order.id)).toMatchObject({ refundedCents: 0, openReverseRequests: 0 });
      const paidOnly = await orders.paid();
      const tooEarly = await refund(paidOnly);
      expect([tooEarly.status, tooEarly.body.code]).toEqual([409, 'REVERSE_NOT_ALLOWED']);
    });
  });

  describe('staff force-cancel', () => {
    it('cancels the order, rejects its open requests and releases their reservations, all audited', async () => {
      const order = await orders.accepted();
      const asked = await refund(order, [{ itemId: '9001', quantity: 1 }]);
      const cancelled = await post<
        {
          order: { status: string };
          rejectedRequests: RequestBody[];
        } & ErrorBody
      >(`/v1/cs/orders/${order.id}/cancel`, staff(supervisor), {
        reason: 'merchant closed for the day',
        bearer: 'MERCHANT',
      });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.order.status).toBe('CANCELLED');
      expect(cancelled.body.rejectedRequests).toEqual([
        expect.objectContaining({
          id: asked.body.request.id,
          status: 'REJECTED',
          decidedBy: `staff:${supervisor.id}`,
        }),
      ]);
      expect(await orders.money(order.id)).toMatchObject({ refundedCents: 0, openReverseRequests: 0 });
      expect(await orders.refundsDue(order.id)).toEqual([
        { reason: 'STAFF_CANCELLED', amountCents: 5650, bearer: 'MERCHANT' },
      ]);
      const audit = await orders.auditRows(order.id);
      expect(audit.map((row) => [row.action, row.target])).toEqual([
        ['order.cancel', `order:${order.id}`],
        ['reverse_request.reject', `reverse_request:${asked.body.request.id}`],
      ]);
      expect(audit[0]).toMatchObject({
        before: expect.objectContaining({ status: 'ACCEPTED' }),
        after: expect.objectContaining({ status: 'CANCELLED' }),
        reason: 'merchant closed for the day',
      });
      const again = await post(`/v1/cs/orders/${order.id}/cancel`, staff(supervisor), { reason: 'again' });
      expect([again.status, again.body.code]).toEqual([409, 'ILLEGAL_TRANSITION']);
      const byAgent = await post(`/v1/cs/orders/${order.id}/cancel`, staff(agent), { reason: 'x' });
      expect([byAgent.status, byAgent.body.code]).toEqual([403, 'PERMISSION_DENIED']);
    });
  });

  describe('reads, privacy and bad input', () => {
    it('a customer cannot see or act on another customer’s order (404)', async () => {
      const order = await orders.accepted();
      await cancel(order);
      const stranger = customer(newUserId());
      const sameShardStranger = customer(String(BigInt(order.userId) + 120n));
      for (const token of [stranger, sameShardStranger]) {
        const list = await get<ErrorBody>(`/v1/orders/${order.id}/reverse-requests`, token);
        expect([list.status, list.body.code]).toEqual([404, 'ORDER_NOT_FOUND']);
        const cancelled = await post(`/v1/orders/${order.id}/cancellation`, token, { reason: 'x' });
        expect([cancelled.status, cancelled.body.code]).toEqual([404, 'ORDER_NOT_FOUND']);
        const refunded = await post(`/v1/orders/${order.id}/refunds`, token, { reason: 'x' });
        expect([refunded.status, refunded.body.code]).toEqual([404, 'ORDER_NOT_FOUND']);
      }
      expect((await orders.money(order.id)).openReverseRequests).toBe(1);
    });

    it('shows customer service the whole case of an order, and finds orders by user and by merchant', async () => {
      const order = await orders.delivered();
      const asked = await refund(order, [{ itemId: '9002', quantity: 1 }]);
      const view = await get<CaseBody>(`/v1/cs/orders/${order.id}`, staff(agent));
      expect(view.status).toBe(200);
      expect(view.body.order).toMatchObject({
        id: order.id,
        status: 'DELIVERED',
        paidCents: 5650,
        refundedCents: 848,
      });
      expect(view.body.history.map((entry) => entry.toStatus)).toEqual([
        'CREATED',
        'PAID',
        'ACCEPTED',
        'READY',
        'DELIVERING',
        'DELIVERED',
      ]);
      expect(view.body.reverseRequests).toEqual([
        expect.objectContaining({ id: asked.body.request.id, requestedBy: `customer:${order.userId}` }),
      ]);

      const second = await orders.created({ userId: order.userId, merchantId: order.merchantId });
      const byUser = await get<{ items: { id: string }[]; nextCursor: string | null }>(
        `/v1/cs/orders?userId=${order.userId}&limit=1`,
        staff(agent),
      );
      expect(byUser.status).toBe(200);
      expect(byUser.body.items.map((item) => item.id)).toEqual([second.id]);
      const next = await get<{ items: { id: string }[]; nextCursor: string | null }>(
        `/v1/cs/orders?userId=${order.userId}&limit=1&cursor=${byUser.body.nextCursor}`,
        staff(agent),
      );
      expect([next.body.items.map((item) => item.id), next.body.nextCursor]).toEqual([[order.id], null]);

      // The merchant dimension is a read model the projector keeps; write what it would have.
      await running.app.get(MerchantOrderRepository).applyEvent(orderEventPayload(order, null));
      const byMerchant = await get<{ items: { id: string; status: string }[] }>(
        `/v1/cs/orders?merchantId=${order.merchantId}`,
        staff(agent),
      );
      expect(byMerchant.body.items).toEqual([expect.objectContaining({ id: order.id })]);

      for (const query of ['', `?userId=${order.userId}&merchantId=${order.merchantId}`]) {
        const bad = await get<ErrorBody>(`/v1/cs/orders${query}`, staff(agent));
        expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      }
      const missing = await get<ErrorBody>(`/v1/cs/orders/${BigInt(order.id) + 1n}`, staff(agent));
      expect([missing.status, missing.body.code]).toEqual([404, 'ORDER_NOT_FOUND']);
    });

    it('serves the audit trail by order and by staff member (audit.read)', async () => {
      const order = await orders.delivered();
      const asked = await refund(order, [{ itemId: '9003', quantity: 1 }]);
      await reject(asked.body.request.id, secondSupervisor, { reason: 'duplicate claim' });
      const byOrder = await get<{ items: { action: string; source: string; orderId: string }[] }>(
        `/v1/cs/audit?orderId=${order.id}`,
        staff(supervisor),
      );
      expect(byOrder.status).toBe(200);
      expect(byOrder.body.items).toEqual([
        expect.objectContaining({ source: 'order', action: 'reverse_request.reject', orderId: order.id }),
      ]);
      const byStaff = await get<{ items: { action: string; orderId: string | null; staffId: string }[] }>(
        `/v1/cs/audit?staffId=${secondSupervisor.id}`,
        staff(supervisor),
      );
      expect(byStaff.status).toBe(200);
      expect(byStaff.body.items[0]).toMatchObject({ action: 'reverse_request.reject', orderId: order.id });
      expect(byStaff.body.items.every((item) => item.staffId === secondSupervisor.id)).toBe(true);
      const agentRead = await get<ErrorBody>(`/v1/cs/audit?orderId=${order.id}`, staff(agent));
      expect([agentRead.status, agentRead.body.code]).toEqual([403, 'PERMISSION_DENIED']);
      const neither = await get<ErrorBody>('/v1/cs/audit', staff(supervisor));
      expect([neither.status, neither.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    });

    it('answers malformed input with 400 and a code, unknown ids with 404, never 5xx', async () => {
      const order = await orders.accepted();
      const token = customer(order.userId);
      const cases: [string, string, string | undefined, unknown, number, string][] = [
        ['POST', '/v1/orders/abc/cancellation', token, { reason: 'x' }, 400, 'INVALID_ID'],
        ['POST', '/v1/orders/0/cancellation', token, { reason: 'x' }, 400, 'INVALID_ID'],
        ['POST', '/v1/orders/99999999999999999999/refunds', token, { reason: 'x' }, 400, 'INVALID_ID'],
        ['GET', '/v1/orders/-1/reverse-requests', token, undefined, 400, 'INVALID_ID'],
        ['POST', `/v1/orders/${order.id}/cancellation`, token, {}, 400, 'VALIDATION_FAILED'],
        [
          'POST',
          `/v1/orders/${order.id}/cancellation`,
          token,
          { reason: 'x'.repeat(501) },
          400,
          'VALIDATION_FAILED',
        ],
        ['POST', `/v1/orders/${order.id}/cancellation`, token, { reason: 42 }, 400, 'VALIDATION_FAILED'],
        ['POST', `/v1/orders/${order.id}/cancellation`, undefined, { reason: 'x' }, 401, 'UNAUTHENTICATED'],
        ['POST', `/v1/orders/${order.id}/cancellation`, staff(admin), { reason: 'x' }, 403, 'FORBIDDEN'],
        ['GET', `/v1/cs/orders/${order.id}`, token, undefined, 403, 'FORBIDDEN'],
        ['GET', `/v1/cs/orders/${order.id}`, undefined, undefined, 401, 'UNAUTHENTICATED'],
        ['GET', '/v1/cs/orders/12x', staff(agent), undefined, 400, 'INVALID_ID'],
        ['GET', '/v1/cs/orders?userId=abc', staff(agent), undefined, 400, 'INVALID_ID'],
        ['GET', '/v1/cs/orders?userId=1&limit=0', staff(agent), undefined, 400, 'VALIDATION_FAILED'],
        ['POST', '/v1/cs/reverse-requests/abc/approve', staff(admin), {}, 400, 'INVALID_ID'],
        [
          'POST',
          `/v1/cs/reverse-requests/${order.id}/approve`,
          staff(admin),
          {},
          404,
          'REVERSE_REQUEST_NOT_FOUND',
        ],
        ['POST', `/v1/cs/reverse-requests/${order.id}/reject`, staff(admin), {}, 400, 'VALIDATION_FAILED'],
        [
          'POST',
          `/v1/cs/reverse-requests/${order.id}/approve`,
          staff(admin),
          { bearer: 'NOBODY' },
          400,
          'VALIDATION_FAILED',
        ],
        ['POST', `/v1/cs/orders/${order.id}/cancel`, staff(admin), { reason: '' }, 400, 'VALIDATION_FAILED'],
        [
          'POST',
          `/v1/cs/orders/${BigInt(order.id) + 1n}/cancel`,
          staff(admin),
          { reason: 'x' },
          404,
          'ORDER_NOT_FOUND',
        ],
      ];
      for (const [method, path, auth, body, status, code] of cases) {
        const answer = await http<ErrorBody>(method, `${running.url}${path}`, { token: auth, body });
        expect([method, path, answer.status, answer.body.code]).toEqual([method, path, status, code]);
      }
      const trail = await orders.trail(order.id);
      expect([trail.status, trail.version]).toEqual(['ACCEPTED', 3]);
    });
  });
});
