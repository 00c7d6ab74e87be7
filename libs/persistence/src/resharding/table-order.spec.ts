import { parentsFirst, type ShardTable } from './table-order';

const table = (name: string, parents: string[] = []): ShardTable => ({
  name,
  key: ['id'],
  columns: ['id'],
  parents,
});

describe('parentsFirst', () => {
  it('puts every referenced table before its referrers, alphabetical otherwise', () => {
    const ordered = parentsFirst([
      table('order_items', ['orders']),
      table('outbox'),
      table('refunds', ['reverse_requests', 'orders']),
      table('reverse_requests', ['orders']),
      table('orders'),
    ]).map((t) => t.name);
    expect(ordered).toEqual(['orders', 'order_items', 'outbox', 'reverse_requests', 'refunds']);
  });

  it('ignores a self reference and refuses a cycle', () => {
    expect(parentsFirst([table('a', ['a'])]).map((t) => t.name)).toEqual(['a']);
    expect(() => parentsFirst([table('a', ['b']), table('b', ['a'])])).toThrow(/cycle: a -> b -> a/);
  });
});
