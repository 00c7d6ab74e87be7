import { CONFLICT_MESSAGE, NETWORK_MESSAGE, describeFailure } from '../src/failure-messages';
import { refusalFrom } from '../src/api-failure';
import { formatCents } from '../src/money';
import { aboveCeiling, capabilitiesOf } from '../src/permissions';

const refused = (status: number, code: string, message = 'refused', details?: Record<string, unknown>) =>
  refusalFrom(status, { statusCode: status, error: 'x', code, message, details }).problem;

describe('formatCents', () => {
  it.each([
    [0, '0.00 CNY'],
    [5, '0.05 CNY'],
    [1695, '16.95 CNY'],
    [5000, '50.00 CNY'],
    [123456789, '1,234,567.89 CNY'],
    [-250, '-2.50 CNY'],
  ])('%i cents is %s', (cents, text) => expect(formatCents(cents, 'CNY')).toBe(text));

  it('leaves the currency out when none is known', () => expect(formatCents(5000)).toBe('50.00'));
});

describe('describeFailure', () => {
  it('names the ceiling of an approval refused above it, from the body or from the grants', () => {
    expect(
      describeFailure(
        refused(403, 'APPROVAL_CEILING_EXCEEDED', 'x', { ceilingCents: 5000, amountCents: 6780 }),
        {
          currency: 'CNY',
        },
      ).text,
    ).toBe('Your role cannot approve refunds above 50.00 CNY: this one is 67.80 CNY. Ask a supervisor.');
    expect(
      describeFailure(refused(403, 'APPROVAL_CEILING_EXCEEDED'), { approveCeilingCents: 5000 }).text,
    ).toBe('Your role cannot approve refunds above 50.00. Ask a supervisor.');
  });

  it('reloads the case after a conflict, and sends a refused token back to sign-in', () => {
    expect(describeFailure(refused(409, 'ILLEGAL_TRANSITION'))).toEqual({
      text: CONFLICT_MESSAGE,
      followUp: 'reload-case',
    });
    expect(describeFailure(refused(401, 'UNAUTHENTICATED')).followUp).toBe('sign-in-again');
  });

  it('says a network failure in words', () => {
    expect(describeFailure({ kind: 'network' })).toEqual({ text: NETWORK_MESSAGE, followUp: 'none' });
  });

  it('passes the reason of a missing permission on', () => {
    expect(
      describeFailure(refused(403, 'PERMISSION_DENIED', 'permission order.cancel is required')).text,
    ).toBe('Your role does not allow this: permission order.cancel is required');
  });

  it('copes with an answer that is not the contract error body', () => {
    expect(refusalFrom(502, '<html>bad gateway</html>').problem).toEqual({
      kind: 'refused',
      status: 502,
      code: 'HTTP_502',
      message: 'the server answered 502',
      details: undefined,
    });
  });
});

describe('capabilitiesOf', () => {
  it('reads the grants as the server does: any grant holds, the widest ceiling counts', () => {
    const agent = capabilitiesOf([
      { permission: 'order.read', ceilingCents: null },
      { permission: 'refund.approve', ceilingCents: 5000 },
      { permission: 'refund.approve', ceilingCents: 2000 },
      { permission: 'reverse.reject', ceilingCents: null },
    ]);
    expect(agent).toEqual({ approve: true, approveCeilingCents: 5000, reject: true, cancel: false });
    expect([aboveCeiling(agent, 5000), aboveCeiling(agent, 5001)]).toEqual([false, true]);
    const admin = capabilitiesOf([
      { permission: 'refund.approve', ceilingCents: null },
      { permission: 'order.cancel', ceilingCents: null },
    ]);
    expect(admin).toEqual({ approve: true, approveCeilingCents: null, reject: false, cancel: true });
    expect(aboveCeiling(admin, 10 ** 9)).toBe(false);
    expect(capabilitiesOf([])).toEqual({
      approve: false,
      approveCeilingCents: null,
      reject: false,
      cancel: false,
    });
  });
});
