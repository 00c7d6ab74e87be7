import 'reflect-metadata';
import { connectRedis, createRedisClient } from '@eos/cache';
import { EosConfig, loadConfig } from '@eos/common';
import { DomainErrorCode, Permission, StaffRole } from '@eos/domain';
import { PROVISIONING_ACTOR, StaffRecord, StaffRepository, createPostgresDataSource } from '@eos/persistence';
import { createStaff } from '@eos/testing';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { StaffDirectory, StaffSource } from './staff.directory';

/** A staff source whose reads can be held after they read the database, as a slow request would be. */
class PausableSource implements StaffSource {
  private gate: Promise<void> | null = null;
  private open: () => void = () => undefined;
  private readStarted: () => void = () => undefined;
  /** Resolves once a held read has read the database. */
  heldRead: Promise<void> = Promise.resolve();

  constructor(private readonly staff: StaffRepository) {}

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
    this.heldRead = new Promise((resolve) => (this.readStarted = resolve));
  }

  release(): void {
    this.gate = null;
    this.open();
  }

  async find(staffId: string): Promise<StaffRecord | null> {
    const gate = this.gate;
    const record = await this.staff.find(staffId);
    if (gate) {
      this.readStarted();
      await gate;
    }
    return record;
  }
}

const permissionsOf = (member: { grants: readonly { permission: string }[] } | null): string[] =>
  (member?.grants ?? []).map((grant) => grant.permission);

describe('StaffDirectory (real Postgres and Redis)', () => {
  let config: EosConfig;
  let dataSource: DataSource;
  let redis: Redis;
  let staff: StaffRepository;

  beforeAll(async () => {
    config = loadConfig();
    dataSource = createPostgresDataSource(config.CATALOG_DATABASE_URL, {
      poolSize: 4,
      statementTimeoutMs: 5000,
      connectTimeoutMs: 2000,
      applicationName: 'eos-test-staff-directory',
    });
    await dataSource.initialize();
    redis = createRedisClient({
      url: config.REDIS_URL,
      commandTimeoutMs: 1000,
      name: 'test-staff-directory',
    });
    expect(await connectRedis(redis)).toBe(true);
    staff = new StaffRepository(dataSource);
  });

  afterAll(async () => {
    redis.disconnect();
    await dataSource.destroy();
  });

  it('never lets a loader that read before a revocation serve or store the revoked grant afterwards', async () => {
    const member = await createStaff(staff, { role: StaffRole.Agent });
    const source = new PausableSource(staff);
    // Two instances of the app: the slow reader's, and the one the administrator's revoke runs on.
    const reader = new StaffDirectory(source, redis, 300);
    const writer = new StaffDirectory(staff, redis, 300);

    source.hold();
    const early = reader.grantsOf(member.id);
    await source.heldRead;

    const revoked = await staff.revoke(member.id, Permission.RefundApprove, {
      actorId: PROVISIONING_ACTOR,
      reason: 'test',
      beforeCommit: (version) => writer.markChanged(member.id, version),
    });
    expect(revoked?.version).toBe(member.version + 1);

    // Asked after the revoke committed, on the slow reader's instance while its load is still held:
    // it must not take the held load's answer.
    const late = reader.grantsOf(member.id);
    source.release();

    // The request that began before the revoke may see the old grants: it overlapped the change.
    expect(permissionsOf(await early)).toContain(Permission.RefundApprove);
    expect(permissionsOf(await late)).not.toContain(Permission.RefundApprove);
    for (const directory of [reader, writer]) {
      expect(permissionsOf(await directory.grantsOf(member.id))).not.toContain(Permission.RefundApprove);
    }
    const cached = await redis.get(`eos:staff:grants:${member.id}`);
    expect(cached?.startsWith(`${member.version + 1}|`)).toBe(true);
    expect(cached).not.toContain(Permission.RefundApprove);
  });

  it('keeps a held loader from storing old grants over the revocation even when nobody asks meanwhile', async () => {
    const member = await createStaff(staff, { role: StaffRole.Supervisor });
    const source = new PausableSource(staff);
    const reader = new StaffDirectory(source, redis, 300);
    const writer = new StaffDirectory(staff, redis, 300);

    source.hold();
    const early = reader.grantsOf(member.id);
    await source.heldRead;
    await staff.revoke(member.id, Permission.OrderCancel, {
      actorId: PROVISIONING_ACTOR,
      reason: 'test',
      beforeCommit: (version) => writer.markChanged(member.id, version),
    });
    source.release();
    expect(permissionsOf(await early)).toContain(Permission.OrderCancel);

    // The held loader's store was refused: Redis holds the revocation's tombstone, not the old grants.
    expect(await redis.get(`eos:staff:grants:${member.id}`)).toBe(`${member.version + 1}|tombstone`);
    expect(permissionsOf(await writer.grantsOf(member.id))).not.toContain(Permission.OrderCancel);
  });

  it('reads the database when Redis is down, and refuses a change it cannot announce to the cache', async () => {
    const member = await createStaff(staff, { role: StaffRole.Agent });
    // A client whose connection is gone: every command fails at once, as in an outage.
    const deadRedis = createRedisClient({ url: config.REDIS_URL, commandTimeoutMs: 200, name: 'test-dead' });
    deadRedis.disconnect();
    try {
      const directory = new StaffDirectory(staff, deadRedis, 300);
      expect(permissionsOf(await directory.grantsOf(member.id))).toEqual(permissionsOf(member));
      expect(await directory.grantsOf('987654321987')).toBeNull();

      await expect(
        staff.revoke(member.id, Permission.OrderRead, {
          actorId: PROVISIONING_ACTOR,
          reason: 'test',
          beforeCommit: (version) => directory.markChanged(member.id, version),
        }),
      ).rejects.toMatchObject({ code: DomainErrorCode.DependencyUnavailable });
      // Rolled back: the grant, the version and the audit log are as they were.
      expect(await staff.find(member.id)).toEqual(member);
      expect(await staff.listAudit({ staffId: PROVISIONING_ACTOR, limit: 50 })).not.toContainEqual(
        expect.objectContaining({ target: `staff:${member.id}/grant:order.read` }),
      );
    } finally {
      deadRedis.disconnect();
    }
  });

  it('lists the audit log newest first with a keyset cursor that keeps microseconds', async () => {
    const member = await createStaff(staff, { role: StaffRole.Agent });
    const actor = await createStaff(staff, { role: StaffRole.Admin });
    for (const ceilingCents of [100, 200, 300]) {
      await staff.grant(
        member.id,
        { permission: Permission.RefundApprove, ceilingCents },
        { actorId: actor.id, reason: `ceiling ${ceilingCents}` },
      );
    }
    const first = await staff.listAudit({ staffId: actor.id, limit: 2 });
    expect(first.map((entry) => entry.reason)).toEqual(['ceiling 300', 'ceiling 200']);
    expect(first[0].position.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const rest = await staff.listAudit({ staffId: actor.id, limit: 2, before: first[1].position });
    expect(rest.map((entry) => entry.reason)).toEqual(['ceiling 100']);
    expect(rest[0]).toMatchObject({
      staffId: actor.id,
      action: 'staff.grant',
      target: `staff:${member.id}/grant:refund.approve`,
      before: { permission: 'refund.approve', ceilingCents: 5000 },
      after: { permission: 'refund.approve', ceilingCents: 100 },
    });
  });
});
