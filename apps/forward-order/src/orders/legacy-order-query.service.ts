import { Injectable } from '@nestjs/common';
import { DomainError, DomainErrorCode } from '@eos/domain';
import { LegacyOrderFound, LegacyOrderLookup } from '@eos/persistence';
import { parseEntityId } from '@eos/sharding';

/** A customer's read of one of their orders by its id of the legacy order system. */
@Injectable()
export class LegacyOrderQueryService {
  constructor(private readonly lookup: LegacyOrderLookup) {}

  async get(userId: string, legacyId: string): Promise<LegacyOrderFound> {
    parseEntityId(legacyId, 'legacy order id');
    const found = await this.lookup.find(legacyId, userId);
    if (!found) throw new DomainError(DomainErrorCode.OrderNotFound, `legacy order ${legacyId} not found`);
    return found;
  }
}
