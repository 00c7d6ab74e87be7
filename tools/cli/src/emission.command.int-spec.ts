import 'reflect-metadata';
import { loadConfig } from '@eos/common';
import { OrderEventType } from '@eos/domain';
import { emissionCommand } from './emission.command';
import { UsageError } from './usage.error';

describe('eos emission (real Redis)', () => {
  const config = loadConfig();
  const quiet = jest.spyOn(console, 'log').mockImplementation(() => undefined);

  afterAll(async () => {
    await emissionCommand(config, ['on', '--type', OrderEventType.Ready]);
    quiet.mockRestore();
  });

  it('switches one event type off and on again, and shows the state', async () => {
    const off = await emissionCommand(config, ['off', '--type', OrderEventType.Ready]);
    expect(off.heldTypes).toContain(OrderEventType.Ready);
    const status = await emissionCommand(config, ['status']);
    expect(status.heldTypes).toContain(OrderEventType.Ready);
    expect(quiet.mock.calls.flat().join('\n')).toMatch(/order\.ready\s+OFF/);
    const on = await emissionCommand(config, ['on', '--type', OrderEventType.Ready]);
    expect(on.heldTypes).not.toContain(OrderEventType.Ready);
  });

  it('refuses unknown actions and event types', async () => {
    await expect(emissionCommand(config, ['pause'])).rejects.toThrow(UsageError);
    await expect(emissionCommand(config, ['off', '--type', 'order.lost'])).rejects.toThrow(
      /unknown event type/,
    );
    await expect(emissionCommand(config, ['status', '--type', 'order.paid'])).rejects.toThrow(UsageError);
  });
});
