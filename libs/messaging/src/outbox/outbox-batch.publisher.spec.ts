import type { OutboxRow } from '@eos/persistence';
import { publishInOrderPerOrder } from './outbox-batch.publisher';

const row = (id: number, orderId: string, shard = 1): OutboxRow => ({
  shard,
  id: String(id),
  eventId: `e${id}`,
  orderId,
  eventType: 'order.created',
  orderVersion: id,
  payload: {},
  createdAt: new Date(0),
});

describe('publishInOrderPerOrder', () => {
  it('publishes an order’s rows one after the other, in id order, and orders side by side', async () => {
    const started: string[] = [];
    const pending = new Map<string, () => void>();
    const publish = (r: OutboxRow): Promise<void> =>
      new Promise((resolve) => {
        started.push(r.id);
        pending.set(r.id, resolve);
      });
    const rows = [row(3, 'A'), row(1, 'A'), row(2, 'B'), row(5, 'A')];
    const done = publishInOrderPerOrder(rows, publish);
    await Promise.resolve();
    // A's first row and B's row are in flight together; A's later rows wait for A's first confirm.
    expect(started.sort()).toEqual(['1', '2']);
    pending.get('1')?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toContain('3');
    expect(started).not.toContain('5');
    pending.get('3')?.();
    await new Promise((resolve) => setImmediate(resolve));
    pending.get('5')?.();
    pending.get('2')?.();
    const result = await done;
    expect(result.errors).toEqual([]);
    expect(result.confirmed.map((c) => c.row.id).sort()).toEqual(['1', '2', '3', '5']);
  });

  it('stops an order at its first failure, so no later event overtakes it; other orders go on', async () => {
    const sent: string[] = [];
    const failure = new Error('timeout');
    const result = await publishInOrderPerOrder([row(1, 'A'), row(2, 'A'), row(3, 'B')], async (r) => {
      if (r.id === '1') throw failure;
      sent.push(r.id);
    });
    expect(sent).toEqual(['3']);
    expect(result.errors).toEqual([failure]);
    expect(result.confirmed.map((c) => c.row.id)).toEqual(['3']);
  });
});
