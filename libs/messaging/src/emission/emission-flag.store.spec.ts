import { OrderEventType } from '@eos/domain';
import { emissionOn, emissionStateFrom, isEmissionScope } from './emission-flag.store';

describe('emission flags', () => {
  it('are all on when nothing is set', () => {
    const state = emissionStateFrom({});
    expect(state).toEqual({ global: true, heldTypes: [] });
    expect(emissionOn(state, OrderEventType.Paid)).toBe(true);
  });

  it('read "off" per scope and nothing else', () => {
    const state = emissionStateFrom({ global: 'off', 'type:order.paid': 'off', 'type:order.ready': 'on' });
    expect(state).toEqual({ global: false, heldTypes: [OrderEventType.Paid] });
    expect(emissionOn(state, 'global')).toBe(false);
    expect(emissionOn(state, OrderEventType.Ready)).toBe(true);
  });

  it('know their scopes', () => {
    expect(isEmissionScope('global')).toBe(true);
    expect(isEmissionScope('order.refund.lost')).toBe(false);
  });
});
