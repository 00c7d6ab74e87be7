import 'reflect-metadata';
import { randomInt } from 'node:crypto';
import { REDIS } from '@eos/cache';
import { EOS_CONFIG, EosConfig, mintToken } from '@eos/common';
import { Order } from '@eos/domain';
import { ShardDataSources, StaffRecord } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import {
  OrderMoney,
  ReverseOrderFactory,
  RunningApp,
  createStaff,
  http,
  staffToken,
  startHttpApp,
} from '@eos/testing';
import Redis from 'ioredis';
import { ReverseOrderModule } from '../src/reverse-order.module';

interface StepBody {
  request: { id: string; status: string; amountCents: number };
  refundId?: string | null;
  code?: string;
}

const ITEMS = ['9001', '9002', '9003'];

/** What must hold of an order's money whatever ran concurrently on it. */
function expectConsistent(money: OrderMoney): void {
  expect(money.refundedCents).toBeGreaterThanOrEqual(0);
  expect(money.refundedCents).toBeLessThanOrEqual(money.paidCents);
  for (const [quantity, refunded] of Object.values(money.lines)) {
    expect(refunded).toBeGreaterThanOrEqual(0);
    expect(refunded).toBeLessThanOrEqual(quantity);
  }
  // Every cent reserved is held by a request that is open or approved, and no other.
  expect(money.reservedByRequests).toBe(money.refundedCents);
}

describe('reverse requests under concurrency (e2e, real Postgres)', () => {
  let running: RunningApp;
  let config: EosConfig;
  let orders: ReverseOrderFactory;
  let approvers: StaffRecord[];

  const refund = (order: Order, items?: { itemId: string; quantity: number }[]) =>
    http<StepBody>('POST', `${running.url}/v1/orders/${order.id}/refunds`, {
      token: mintToken(config.JWT_SECRET, 'customer', order.userId),
      body: { items, reason: 'concurrent claim' },
    });
  const decide = (requestId: string, verb: 'approve' | 'reject', member: StaffRecord) =>
    http<StepBody>('POST', `${running.url}/v1/cs/reverse-requests/${requestId}/${verb}`, {
      token: staffToken(config.JWT_SECRET, member.id),
      body: { reason: 'concurrent decision' },
    });

  beforeAll(async () => {
    running = await startHttpApp(ReverseOrderModule, 'reverse-order');
    config = running.app.get<EosConfig>(EOS_CONFIG);
    orders = await ReverseOrderFactory.start(
      running.app.get<Redis>(REDIS),
      running.app.get(ShardDataSources),
      running.app.get(ShardRouter),
    );
    approvers = await Promise.all([1, 2, 3, 4, 5].map(() => createStaff(running.app, { role: 'admin' })));
  });

  afterAll(async () => {
    await orders?.close();
    await running?.close();
  });

  it('50 concurrent approvals of one refund request create exactly one refund', async () => {
    const order = await orders.delivered();
    const asked = await refund(order);
    expect(asked.status).toBe(201);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        decide(asked.body.request.id, 'approve', approvers[index % approvers.length]),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status !== 200).every((status) => status === 409)).toBe(true);
    expect(
      new Set(answers.filter((answer) => answer.status === 409).map((answer) => answer.body.code)),
    ).toEqual(new Set(['ILLEGAL_TRANSITION']));
    const money = await orders.money(order.id);
    expect(money).toMatchObject({
      refundRows: 1,
      refundRowsCents: 5650,
      refundedCents: 5650,
      openReverseRequests: 0,
    });
    expectConsistent(money);
    // One audit row: the one approval that happened.
    expect((await orders.auditRows(order.id)).map((row) => row.action)).toEqual(['reverse_request.approve']);
  });

  it('50 concurrent approvals of a refund above the two-person threshold: two distinct approvers, one refund', async () => {
    const order = await orders.delivered({ scale: 10 });
    const asked = await refund(order);
    expect(asked.body.request.amountCents).toBe(56500);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        decide(asked.body.request.id, 'approve', approvers[index % approvers.length]),
      ),
    );
    const succeeded = answers.filter((answer) => answer.status === 200).map((answer) => answer.body.request);
    expect(succeeded.map((request) => request.status).sort()).toEqual([
      'APPROVED',
      'AWAITING_SECOND_APPROVAL',
    ]);
    expect(
      answers
        .filter((answer) => answer.status !== 200)
        .every((answer) =>
          ['ILLEGAL_TRANSITION', 'SECOND_APPROVER_REQUIRED'].includes(answer.body.code ?? ''),
        ),
    ).toBe(true);
    const audit = await orders.auditRows(order.id);
    expect(audit).toHaveLength(2);
    expect(audit[0].staffId).not.toBe(audit[1].staffId);
    expect(await orders.money(order.id)).toMatchObject({
      refundRows: 1,
      refundRowsCents: 56500,
      refundedCents: 56500,
    });
  });

  it('50 concurrent partial refund requests never reserve more than was paid, with decisions racing them', async () => {
    const order = await orders.delivered();
    // Single units of random lines, with a few "everything left" requests among them.
    const first = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        refund(order, index % 10 === 9 ? undefined : [{ itemId: ITEMS[randomInt(0, 3)], quantity: 1 }]),
      ),
    );
    const created = first.filter((answer) => answer.status === 201);
    expect(created.length).toBeGreaterThan(0);
    expect(first.every((answer) => answer.status === 201 || answer.body.code === 'REFUND_EXCEEDS_PAID')).toBe(
      true,
    );
    let money = await orders.money(order.id);
    expectConsistent(money);
    // Six units in all: the requests took them all, and at most all of what was paid.
    expect(Object.values(money.lines).every(([quantity, refunded]) => quantity === refunded)).toBe(true);
    expect(money.refundedCents).toBe(5650);
    expect(money.openReverseRequests).toBe(created.length);

    // Reject some, approve others, while new requests race for what the rejections give back.
    const decisions = created.map((answer, index) =>
      decide(
        answer.body.request.id,
        index % 2 === 0 ? 'reject' : 'approve',
        approvers[index % approvers.length],
      ),
    );
    const second = Array.from({ length: 20 }, () =>
      refund(order, [{ itemId: ITEMS[randomInt(0, 3)], quantity: 1 }]),
    );
    const [decided, again] = await Promise.all([Promise.all(decisions), Promise.all(second)]);
    expect(decided.every((answer) => answer.status === 200)).toBe(true);
    expect(again.every((answer) => answer.status === 201 || answer.body.code === 'REFUND_EXCEEDS_PAID')).toBe(
      true,
    );

    money = await orders.money(order.id);
    expectConsistent(money);
    const approvedCents = decided
      .filter((answer) => answer.body.request.status === 'APPROVED')
      .reduce((sum, answer) => sum + answer.body.request.amountCents, 0);
    expect(money.refundRowsCents).toBe(approvedCents);
    expect(money.openReverseRequests).toBe(again.filter((answer) => answer.status === 201).length);
    // Every decision is in the audit log, with the request before and after it.
    const audit = await orders.auditRows(order.id);
    expect(audit).toHaveLength(decided.length);
    for (const row of audit) {
      expect(row.before).toMatchObject({ status: 'AWAITING_STAFF' });
      expect(row.after).toMatchObject({
        status: row.action === 'reverse_request.reject' ? 'REJECTED' : 'APPROVED',
      });
    }
  });
});
