import { BreakfastVoucherHandler } from './lines/breakfast-voucher.handler';
import { BreakfastDetails } from './lines/breakfast.details';
import { MembershipPeriodHandler } from './lines/membership-period.handler';
import { MembershipDetails } from './lines/membership.details';
import { VirtualBusinessLine } from './virtual-business-line';

/**
 * The virtual business lines forward-order sells. To add one: append an entry here (products with
 * their prices, the class its details must satisfy, its handler class) and write the handler.
 */
export const VIRTUAL_BUSINESS_LINE_CONFIG: readonly VirtualBusinessLine[] = [
  {
    id: 'breakfast',
    currency: 'CNY',
    products: [
      { sku: 'breakfast-set-a', name: 'Soy milk and fried dough sticks', unitPriceCents: 650 },
      { sku: 'breakfast-set-b', name: 'Congee, steamed buns and an egg', unitPriceCents: 900 },
      { sku: 'breakfast-coffee', name: 'Coffee and a sandwich', unitPriceCents: 1500 },
    ],
    details: { schema: BreakfastDetails, version: 1 },
    handler: BreakfastVoucherHandler,
  },
  {
    id: 'membership',
    currency: 'CNY',
    products: [
      { sku: 'membership-monthly', name: 'Super member, one month', unitPriceCents: 1500, periodDays: 30 },
      {
        sku: 'membership-quarterly',
        name: 'Super member, three months',
        unitPriceCents: 4000,
        periodDays: 90,
      },
      { sku: 'membership-yearly', name: 'Super member, one year', unitPriceCents: 14800, periodDays: 365 },
    ],
    details: { schema: MembershipDetails, version: 1 },
    handler: MembershipPeriodHandler,
  },
];
