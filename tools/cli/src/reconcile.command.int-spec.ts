import 'reflect-metadata';
import { loadConfig } from '@eos/common';
import { reconcileCommand } from './reconcile.command';
import { UsageError } from './usage.error';

describe('eos reconcile (real Postgres)', () => {
  const config = loadConfig();
  const quiet = jest.spyOn(console, 'log').mockImplementation(() => undefined);

  afterAll(() => quiet.mockRestore());

  it('reports the drift of a range, here an empty one', async () => {
    const report = await reconcileCommand(config, [
      '--from',
      '2024-01-01T00:00:00Z',
      '--to',
      '2024-01-01T00:00:01Z',
    ]);
    expect(report).toMatchObject({
      userOrders: 0,
      merchantOrders: 0,
      missing: 0,
      mismatched: 0,
      orphaned: 0,
    });
    expect(quiet.mock.calls.flat().join('\n')).toContain('drift: 0');
  });

  it('refuses a missing or backwards range', async () => {
    await expect(reconcileCommand(config, ['--from', '2024-01-01T00:00:00Z'])).rejects.toThrow(UsageError);
    await expect(
      reconcileCommand(config, ['--from', 'soon', '--to', '2024-01-01T00:00:00Z']),
    ).rejects.toThrow(/ISO-8601/);
    await expect(
      reconcileCommand(config, ['--from', '2024-01-02T00:00:00Z', '--to', '2024-01-01T00:00:00Z']),
    ).rejects.toThrow(/before/);
  });
});
