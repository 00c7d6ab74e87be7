import { MembershipRepository, VirtualGoodsStateReader, VoucherRepository } from '@eos/persistence';

/**
 * The virtual goods tables of the user shards, as the reverse flow sees them: what an order's goods
 * are (read and locked), and the writes that take them back. Every call joins the reverse step's
 * transaction, so goods and order change together or not at all.
 */
export class VirtualGoodsStore {
  constructor(
    readonly state: VirtualGoodsStateReader,
    readonly vouchers: VoucherRepository,
    readonly memberships: MembershipRepository,
  ) {}
}
