import Redis from 'ioredis';
import { DomainErrorCode, OrderStatus } from '@eos/domain';
import { OrderTransitionRepository } from '@eos/persistence';
import { ShardRoute, systemClock } from '@eos/sharding';
import {
  PartnerOrderFactory,
  newDeliveryPartnerId,
  newMerchantId,
  readOrderTrail,
  testShards,
} from '@eos/testing';
import { OrderTransitions } from './order-transitions';

/**
 * The rider scope of a pickup or delivery is enforced by the write itself, not only by the check
 * before it: a re-assignment that lands between the two moves nothing.
 */
describe('rider-scoped transitions (integration, real Postgres and Redis)', () => {
  const { config, router, sources } = testShards('rider-scope');
  let redis: Redis;
  let orders: PartnerOrderFactory;
  let repository: OrderTransitionRepository;

  beforeAll(async () => {
    await sources.initialize();
    redis = new Redis(config.REDIS_URL, { lazyConnect: true });
    await redis.connect();
    orders = await PartnerOrderFactory.start(redis, sources, router);
    repository = new OrderTransitionRepository(sources);
  });

  afterAll(async () => {
    await orders.close();
    redis.disconnect();
    await sources.destroy();
  });

  it('lets the assigned partner’s rider pick up and deliver', async () => {
    const partner = newDeliveryPartnerId();
    const order = await orders.accepted(newMerchantId());
    await orders.assign(order.id, partner);
    const transitions = new OrderTransitions(repository, router, systemClock);

    await transitions.pickUp(order.id, { deliveryPartnerId: partner });
    const delivered = await transitions.deliver(order.id, { deliveryPartnerId: partner });

    expect(delivered.status).toBe(OrderStatus.Delivered);
  });

  it('refuses another partner’s rider with FORBIDDEN, changing nothing', async () => {
    const order = await orders.accepted(newMerchantId());
    await orders.assign(order.id, newDeliveryPartnerId());
    const transitions = new OrderTransitions(repository, router, systemClock);

    await expect(
      transitions.pickUp(order.id, { deliveryPartnerId: newDeliveryPartnerId() }),
    ).rejects.toMatchObject({ code: DomainErrorCode.Forbidden });
    expect((await readOrderTrail(sources, router, order.id))?.status).toBe(OrderStatus.Accepted);
  });

  it('moves nothing when the order is re-assigned after the check passed, then answers FORBIDDEN', async () => {
    const first = newDeliveryPartnerId();
    const order = await orders.accepted(newMerchantId());
    await orders.assign(order.id, first);
    // The first check sees the old assignment; dispatch re-assigns the order right after it.
    let checks = 0;
    const racing = new (class extends OrderTransitionRepository {
      override async assignedPartner(route: ShardRoute, orderId: string): Promise<string | null> {
        const seen = await super.assignedPartner(route, orderId);
        checks += 1;
        if (checks === 1) await orders.assign(order.id, newDeliveryPartnerId());
        return seen;
      }
    })(sources);
    const transitions = new OrderTransitions(racing, router, systemClock);

    await expect(transitions.pickUp(order.id, { deliveryPartnerId: first })).rejects.toMatchObject({
      code: DomainErrorCode.Forbidden,
    });
    expect(checks).toBe(2);
    const trail = await readOrderTrail(sources, router, order.id);
    expect([trail?.status, trail?.version]).toEqual([OrderStatus.Accepted, order.version]);
  });
});
