import 'reflect-metadata';
import { DomainErrorCode, Permission } from '@eos/domain';
import { isDecimalId } from './dto/decimal-id.validator';
import { reasonOf } from './dto/staff-admin.dto';
import { staffAccessOf } from './staff-access';

describe('staffAccessOf', () => {
  it('takes the handler declaration over the controller one', () => {
    expect(staffAccessOf({ anyStaff: true }, { permission: Permission.StaffAdmin })).toEqual({
      kind: 'any-staff',
    });
    expect(
      staffAccessOf({ permission: Permission.AuditRead }, { permission: Permission.StaffAdmin }),
    ).toEqual({
      kind: 'permission',
      permission: Permission.AuditRead,
    });
    expect(staffAccessOf({}, { permission: Permission.StaffAdmin })).toEqual({
      kind: 'permission',
      permission: Permission.StaffAdmin,
    });
  });

  it('refuses a route that declares nothing, rather than opening it to all staff', () => {
    expect(staffAccessOf({}, {})).toBeNull();
  });

  it('refuses contradictory or unknown declarations without falling back to the controller', () => {
    expect(
      staffAccessOf({ anyStaff: true, permission: Permission.OrderRead }, { anyStaff: true }),
    ).toBeNull();
    expect(
      staffAccessOf({ permission: 'order.everything' }, { permission: Permission.OrderRead }),
    ).toBeNull();
    expect(staffAccessOf({ anyStaff: 'yes' }, {})).toBeNull();
  });
});

describe('reasonOf', () => {
  it('takes the reason from the body or the query', () => {
    expect(reasonOf({}, { reason: 'in body' })).toBe('in body');
    expect(reasonOf({ reason: 'in query' }, {})).toBe('in query');
    expect(reasonOf({ reason: 'same' }, { reason: 'same' })).toBe('same');
  });

  it('refuses none, or two different ones', () => {
    expect(() => reasonOf({}, {})).toThrow(
      expect.objectContaining({ code: DomainErrorCode.ValidationFailed }),
    );
    expect(() => reasonOf({ reason: 'a' }, { reason: 'b' })).toThrow(
      expect.objectContaining({ code: DomainErrorCode.ValidationFailed }),
    );
  });
});

describe('isDecimalId', () => {
  it.each(['1', '42', '9223372036854775807'])('takes %s', (id) => expect(isDecimalId(id)).toBe(true));
  it.each(['0', '-1', '01', '1.5', 'abc', '9223372036854775808', '99999999999999999999', 7, null])(
    'refuses %p',
    (id) => expect(isDecimalId(id)).toBe(false),
  );
});
