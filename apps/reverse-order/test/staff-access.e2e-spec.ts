import 'reflect-metadata';
import { REDIS } from '@eos/cache';
import { EOS_CONFIG, EosConfig, mintToken } from '@eos/common';
import { Permission, ROLE_DEFAULT_GRANTS, StaffRole } from '@eos/domain';
import { ShardDataSources, StaffRecord } from '@eos/persistence';
import { RunningApp, createStaff, http, newStaffId, newUserId, staffToken, startHttpApp } from '@eos/testing';
import Redis from 'ioredis';
import { Client } from 'pg';
import { ReverseOrderModule } from '../src/reverse-order.module';

interface StaffBody {
  id: string;
  name: string;
  role: string;
  active: boolean;
  grants: { permission: string; ceilingCents: number | null }[];
  createdAt: string;
}

interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
}

interface AuditRow {
  staff_id: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  reason: string | null;
}

describe('reverse-order staff access and administration (e2e, real Postgres and Redis)', () => {
  let running: RunningApp;
  let config: EosConfig;
  let catalog: Client;
  let redis: Redis;
  let admin: StaffRecord;

  const tokenOf = (staffId: string): string => staffToken(config.JWT_SECRET, staffId);
  const call = <T = StaffBody & ErrorBody>(method: string, path: string, token?: string, body?: unknown) =>
    http<T>(method, `${running.url}${path}`, { token, body });
  const asAdmin = <T = StaffBody & ErrorBody>(method: string, path: string, body?: unknown) =>
    call<T>(method, path, tokenOf(admin.id), body);
  const auditOf = async (target: string): Promise<AuditRow[]> =>
    (
      await catalog.query<AuditRow>(
        `SELECT staff_id::text AS staff_id, action, target, before, after, reason
         FROM staff.audit_log WHERE target = $1 ORDER BY id`,
        [target],
      )
    ).rows;

  beforeAll(async () => {
    running = await startHttpApp(ReverseOrderModule, 'reverse-order');
    config = running.app.get<EosConfig>(EOS_CONFIG);
    redis = running.app.get<Redis>(REDIS);
    catalog = new Client({ connectionString: config.CATALOG_DATABASE_URL });
    await catalog.connect();
    admin = await createStaff(running.app, { role: StaffRole.Admin });
  });

  afterAll(async () => {
    await catalog.end();
    await running.close();
  });

  it("sizes its shard pools with REVERSE_PG_POOL_SIZE, apart from forward-order's", () => {
    for (const [, source] of running.app.get(ShardDataSources).entries()) {
      expect((source.options.extra as { max: number }).max).toBe(config.REVERSE_PG_POOL_SIZE);
    }
  });

  describe('who may call a staff route', () => {
    it('refuses a request without a token with 401', async () => {
      for (const path of ['/v1/cs/staff', '/v1/cs/me']) {
        const response = await call('GET', path);
        expect([response.status, response.body.code]).toEqual([401, 'UNAUTHENTICATED']);
      }
    });

    it('refuses a customer token with 403 FORBIDDEN', async () => {
      const customer = mintToken(config.JWT_SECRET, 'customer', newUserId());
      for (const path of ['/v1/cs/staff', '/v1/cs/me']) {
        const response = await call('GET', path, customer);
        expect([response.status, response.body.code]).toEqual([403, 'FORBIDDEN']);
      }
    });

    it('refuses a valid staff token of an unknown staff member with 403 PERMISSION_DENIED', async () => {
      const response = await call('GET', '/v1/cs/me', tokenOf(newStaffId()));
      expect([response.status, response.body.code]).toEqual([403, 'PERMISSION_DENIED']);
    });

    it('refuses a forged staff token with 401', async () => {
      const forged = mintToken('not-the-secret', 'staff', admin.id);
      const response = await call('GET', '/v1/cs/staff', forged);
      expect([response.status, response.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    });

    it('lets any active staff member read itself, and only staff.admin administer staff', async () => {
      const agent = await createStaff(running.app, { role: StaffRole.Agent });
      const me = await call('GET', '/v1/cs/me', tokenOf(agent.id));
      expect(me.status).toBe(200);
      expect(me.body).toEqual({
        id: agent.id,
        name: agent.name,
        role: 'agent',
        active: true,
        grants: expect.arrayContaining([...ROLE_DEFAULT_GRANTS.agent]) as unknown,
      });
      expect(me.body.grants).toHaveLength(ROLE_DEFAULT_GRANTS.agent.length);

      const list = await call('GET', '/v1/cs/staff', tokenOf(agent.id));
      expect([list.status, list.body.code]).toEqual([403, 'PERMISSION_DENIED']);
      expect(list.body.message).toContain('staff.admin');
    });
  });

  describe('revocation', () => {
    it('takes effect on the very next call, and a new grant on the call after it', async () => {
      const deputy = await createStaff(running.app, { role: StaffRole.Admin });
      const warm = await call('GET', '/v1/cs/staff', tokenOf(deputy.id));
      expect(warm.status).toBe(200);
      // The grants are now cached in Redis.
      expect(await redis.get(`eos:staff:grants:${deputy.id}`)).toContain(Permission.StaffAdmin);
      const again = await call('GET', `/v1/cs/staff/${admin.id}`, tokenOf(deputy.id));
      expect(again.status).toBe(200);

      const revoked = await asAdmin(
        'DELETE',
        `/v1/cs/staff/${deputy.id}/grants/staff.admin?reason=${encodeURIComponent('left the admin team')}`,
      );
      expect(revoked.status).toBe(200);
      expect(revoked.body.grants.map((grant) => grant.permission)).not.toContain(Permission.StaffAdmin);

      const next = await call('GET', '/v1/cs/staff', tokenOf(deputy.id));
      expect([next.status, next.body.code]).toEqual([403, 'PERMISSION_DENIED']);
      // What the deputy still holds keeps working.
      const me = await call('GET', '/v1/cs/me', tokenOf(deputy.id));
      expect(me.status).toBe(200);
      expect(me.body.grants.map((grant) => grant.permission)).not.toContain(Permission.StaffAdmin);

      const regranted = await asAdmin('PUT', `/v1/cs/staff/${deputy.id}/grants/staff.admin`, {
        reason: 'back on the admin team',
      });
      expect(regranted.status).toBe(200);
      const after = await call('GET', '/v1/cs/staff', tokenOf(deputy.id));
      expect(after.status).toBe(200);
    });

    it('records grants, ceiling changes and revocations in the audit log with before, after and reason', async () => {
      const agent = await createStaff(running.app, { role: StaffRole.Agent });
      const target = `staff:${agent.id}/grant:refund.approve`;

      const raised = await asAdmin('PUT', `/v1/cs/staff/${agent.id}/grants/refund.approve`, {
        ceilingCents: 20_000,
        reason: 'senior agent',
      });
      expect(raised.status).toBe(200);
      expect(raised.body.grants).toContainEqual({ permission: 'refund.approve', ceilingCents: 20_000 });

      const unlimited = await asAdmin('PUT', `/v1/cs/staff/${agent.id}/grants/refund.approve`, {
        ceilingCents: null,
        reason: 'trusted',
      });
      expect(unlimited.body.grants).toContainEqual({ permission: 'refund.approve', ceilingCents: null });

      const revoked = await asAdmin('DELETE', `/v1/cs/staff/${agent.id}/grants/refund.approve`, {
        reason: 'too many mistakes',
      });
      expect(revoked.status).toBe(200);

      expect(await auditOf(target)).toEqual([
        {
          staff_id: admin.id,
          action: 'staff.grant',
          target,
          before: { permission: 'refund.approve', ceilingCents: 5000 },
          after: { permission: 'refund.approve', ceilingCents: 20_000 },
          reason: 'senior agent',
        },
        {
          staff_id: admin.id,
          action: 'staff.grant',
          target,
          before: { permission: 'refund.approve', ceilingCents: 20_000 },
          after: { permission: 'refund.approve', ceilingCents: null },
          reason: 'trusted',
        },
        {
          staff_id: admin.id,
          action: 'staff.revoke',
          target,
          before: { permission: 'refund.approve', ceilingCents: null },
          after: null,
          reason: 'too many mistakes',
        },
      ]);
      // Replaced and revoked grants stay as history; one at most is active.
      const grants = await catalog.query<{ ceiling: string | null; active: boolean }>(
        `SELECT ceiling_cents::text AS ceiling, revoked_at IS NULL AS active
         FROM staff.grants WHERE staff_id = $1 AND permission = 'refund.approve' ORDER BY id`,
        [agent.id],
      );
      expect(grants.rows).toEqual([
        { ceiling: '5000', active: false },
        { ceiling: '20000', active: false },
        { ceiling: null, active: false },
      ]);
    });

    it('keeps the audit log append-only: UPDATE, DELETE and TRUNCATE are refused by the database', async () => {
      const before = await catalog.query<{ n: string }>('SELECT count(*)::text AS n FROM staff.audit_log');
      for (const statement of [
        `UPDATE staff.audit_log SET reason = 'rewritten' WHERE staff_id = ${admin.id}`,
        `DELETE FROM staff.audit_log WHERE staff_id = ${admin.id}`,
        'TRUNCATE staff.audit_log',
      ]) {
        await expect(catalog.query(statement)).rejects.toThrow(/append-only/);
      }
      const after = await catalog.query<{ n: string }>('SELECT count(*)::text AS n FROM staff.audit_log');
      expect(Number(after.rows[0].n)).toBeGreaterThanOrEqual(Number(before.rows[0].n));
    });
  });

  describe('administration', () => {
    it('creates a member with the default grants of its role, audited, and refuses the same id again', async () => {
      const id = newStaffId();
      const created = await asAdmin('POST', '/v1/cs/staff', { id, name: 'New Agent', role: 'agent' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ id, name: 'New Agent', role: 'agent', active: true });
      expect(created.body.grants).toHaveLength(ROLE_DEFAULT_GRANTS.agent.length);

      const me = await call('GET', '/v1/cs/me', tokenOf(id));
      expect(me.status).toBe(200);

      const again = await asAdmin('POST', '/v1/cs/staff', { id, name: 'Someone Else', role: 'admin' });
      expect([again.status, again.body.code]).toEqual([409, 'STAFF_ALREADY_EXISTS']);

      const audit = await auditOf(`staff:${id}`);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ staff_id: admin.id, action: 'staff.create', before: null });
      expect(audit[0].after).toMatchObject({ name: 'New Agent', role: 'agent', active: true });
    });

    it('deactivates a member, who is refused from the next call on; nobody deactivates themselves', async () => {
      const agent = await createStaff(running.app, { role: StaffRole.Agent });
      expect((await call('GET', '/v1/cs/me', tokenOf(agent.id))).status).toBe(200);

      const deactivated = await asAdmin('POST', `/v1/cs/staff/${agent.id}/deactivate`, { reason: 'left' });
      expect(deactivated.status).toBe(200);
      expect(deactivated.body.active).toBe(false);
      const next = await call('GET', '/v1/cs/me', tokenOf(agent.id));
      expect([next.status, next.body.code]).toEqual([403, 'PERMISSION_DENIED']);
      expect(await auditOf(`staff:${agent.id}`)).toContainEqual(
        expect.objectContaining({
          action: 'staff.deactivate',
          before: { active: true },
          after: { active: false },
          reason: 'left',
        }),
      );

      const self = await asAdmin('POST', `/v1/cs/staff/${admin.id}/deactivate`, { reason: 'oops' });
      expect([self.status, self.body.code]).toEqual([403, 'PERMISSION_DENIED']);
      const selfRevoke = await asAdmin('DELETE', `/v1/cs/staff/${admin.id}/grants/staff.admin?reason=oops`);
      expect([selfRevoke.status, selfRevoke.body.code]).toEqual([403, 'PERMISSION_DENIED']);
      expect((await asAdmin('GET', '/v1/cs/staff')).status).toBe(200);
    });

    it('reads one member and pages through all of them by id', async () => {
      const one = await asAdmin('GET', `/v1/cs/staff/${admin.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ id: admin.id, role: 'admin', active: true });

      const first = await asAdmin<{ items: StaffBody[]; nextCursor: string | null }>(
        'GET',
        '/v1/cs/staff?limit=2',
      );
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(2);
      expect(first.body.nextCursor).toBe(first.body.items[1].id);
      const second = await asAdmin<{ items: StaffBody[]; nextCursor: string | null }>(
        'GET',
        `/v1/cs/staff?limit=2&cursor=${first.body.nextCursor}`,
      );
      expect(second.status).toBe(200);
      expect(BigInt(second.body.items[0].id)).toBeGreaterThan(BigInt(first.body.items[1].id));
    });

    it('answers bad input with 400 and unknown staff with 404, changing nothing', async () => {
      const agent = await createStaff(running.app, { role: StaffRole.Agent });
      const cases: [string, string, unknown, number, string][] = [
        ['POST', '/v1/cs/staff', { id: newStaffId(), name: 'X', role: 'boss' }, 400, 'VALIDATION_FAILED'],
        [
          'POST',
          '/v1/cs/staff',
          { id: newStaffId(), name: 'X', role: 'agent', extra: 1 },
          400,
          'VALIDATION_FAILED',
        ],
        ['POST', '/v1/cs/staff', { id: '0', name: 'X', role: 'agent' }, 400, 'INVALID_ID'],
        ['POST', '/v1/cs/staff', { id: '99999999999999999999', name: 'X', role: 'agent' }, 400, 'INVALID_ID'],
        ['POST', '/v1/cs/staff', { id: newStaffId(), name: '  ', role: 'agent' }, 400, 'VALIDATION_FAILED'],
        ['GET', '/v1/cs/staff/abc', undefined, 400, 'INVALID_ID'],
        ['GET', '/v1/cs/staff?limit=0', undefined, 400, 'VALIDATION_FAILED'],
        ['GET', `/v1/cs/staff/${newStaffId()}`, undefined, 404, 'STAFF_NOT_FOUND'],
        [
          'PUT',
          `/v1/cs/staff/${agent.id}/grants/refund.everything`,
          { reason: 'x' },
          400,
          'VALIDATION_FAILED',
        ],
        ['PUT', `/v1/cs/staff/${agent.id}/grants/refund.approve`, {}, 400, 'VALIDATION_FAILED'],
        [
          'PUT',
          `/v1/cs/staff/${agent.id}/grants/refund.approve`,
          { reason: 'x', ceilingCents: -1 },
          400,
          'VALIDATION_FAILED',
        ],
        [
          'PUT',
          `/v1/cs/staff/${agent.id}/grants/refund.approve`,
          { reason: 'x', ceilingCents: 1.5 },
          400,
          'VALIDATION_FAILED',
        ],
        ['PUT', `/v1/cs/staff/${newStaffId()}/grants/order.read`, { reason: 'x' }, 404, 'STAFF_NOT_FOUND'],
        ['DELETE', `/v1/cs/staff/${agent.id}/grants/order.read`, undefined, 400, 'VALIDATION_FAILED'],
        [
          'DELETE',
          `/v1/cs/staff/${agent.id}/grants/order.read?reason=a`,
          { reason: 'b' },
          400,
          'VALIDATION_FAILED',
        ],
        [
          'DELETE',
          `/v1/cs/staff/${newStaffId()}/grants/order.read?reason=x`,
          undefined,
          404,
          'STAFF_NOT_FOUND',
        ],
        ['POST', `/v1/cs/staff/${agent.id}/deactivate`, {}, 400, 'VALIDATION_FAILED'],
        ['POST', `/v1/cs/staff/${newStaffId()}/deactivate`, { reason: 'x' }, 404, 'STAFF_NOT_FOUND'],
      ];
      for (const [method, path, body, status, code] of cases) {
        const response = await asAdmin(method, path, body);
        expect([method, path, response.status, response.body.code]).toEqual([method, path, status, code]);
      }
      const unchanged = await asAdmin('GET', `/v1/cs/staff/${agent.id}`);
      expect(unchanged.body).toMatchObject({ active: true, grants: agent.grants });
      expect(await auditOf(`staff:${agent.id}/grant:refund.approve`)).toEqual([]);
    });
  });
});
