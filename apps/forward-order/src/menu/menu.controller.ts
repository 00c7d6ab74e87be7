import { Controller, Get, Param } from '@nestjs/common';
import { MenuService } from '@eos/catalog';
import { Menu } from '@eos/domain';
import { parseEntityId } from '@eos/sharding';

export interface MenuView {
  merchant: {
    id: string;
    name: string;
    opensAtMinute: number;
    closesAtMinute: number;
    deliveryFeeCents: number;
    discountRule: { thresholdCents: number; discountCents: number } | null;
    currency: string;
  };
  items: {
    itemId: string;
    name: string;
    priceCents: number;
    packagingFeeCents: number;
    available: boolean;
  }[];
  version: number;
}

function presentMenu(menu: Menu): MenuView {
  return {
    merchant: {
      ...menu.merchant,
      discountRule: menu.merchant.discountRule ? { ...menu.merchant.discountRule } : null,
    },
    items: menu.items.map((item) => ({
      itemId: item.id,
      name: item.name,
      priceCents: item.priceCents,
      packagingFeeCents: item.packagingFeeCents,
      available: item.available,
    })),
    version: menu.version,
  };
}

/** The public menu: no token needed to browse. */
@Controller('v1/merchants')
export class MenuController {
  constructor(private readonly menus: MenuService) {}

  @Get(':merchantId/menu')
  async menu(@Param('merchantId') merchantId: string): Promise<MenuView> {
    parseEntityId(merchantId, 'merchantId');
    return presentMenu(await this.menus.getMenu(merchantId));
  }
}
