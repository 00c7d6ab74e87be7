import { MembershipPeriodState, membershipPeriodState } from '@eos/domain';
import type { VirtualExtensionRecord } from '@eos/persistence';

export interface VirtualLineView {
  sku: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
  lineTotalCents: number;
  periodDays?: number;
}

/** What a virtual order shows beyond the core order: its line, lines, data and goods. */
export interface VirtualOrderFields {
  businessLine: string;
  items: VirtualLineView[];
  promotions: { kind: string; discountCents: number }[];
  details: Record<string, unknown>;
  detailsSchemaVersion: number;
  /** What the line's handler issued; null until the order is fulfilled. */
  fulfilment: Record<string, unknown> | null;
  fulfilledAt: string | null;
  voucher: { code: string; status: string; redeemedAt: string | null } | null;
  membershipPeriod: {
    plan: string;
    startsAt: string;
    endsAt: string;
    cancelledAt: string | null;
    state: MembershipPeriodState;
  } | null;
}

export function presentVirtualFields(
  record: VirtualExtensionRecord,
  now: Date = new Date(),
): VirtualOrderFields {
  const { extension, voucher, membershipPeriod } = record;
  return {
    businessLine: extension.businessLine,
    items: extension.items.map((line) => ({ ...line })),
    promotions: extension.promotions.map((promotion) => ({ ...promotion })),
    details: { ...extension.details },
    detailsSchemaVersion: extension.schemaVersion,
    fulfilment: record.fulfilment === null ? null : { ...record.fulfilment },
    fulfilledAt: record.fulfilledAt?.toISOString() ?? null,
    voucher: voucher
      ? { code: voucher.code, status: voucher.status, redeemedAt: voucher.redeemedAt?.toISOString() ?? null }
      : null,
    membershipPeriod: membershipPeriod
      ? {
          plan: membershipPeriod.plan,
          startsAt: membershipPeriod.startsAt.toISOString(),
          endsAt: membershipPeriod.endsAt.toISOString(),
          cancelledAt: membershipPeriod.cancelledAt?.toISOString() ?? null,
          state: membershipPeriodState(
            {
              ...membershipPeriod,
              orderId: record.orderId,
              userId: '',
              businessLine: extension.businessLine,
            },
            now,
          ),
        }
      : null,
  };
}
