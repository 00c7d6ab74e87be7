import type { Order } from '@eos/domain';
import type { VirtualExtensionRecord } from '@eos/persistence';

/** An order as its customer reads it: the core order, and for a virtual order its extension and goods. */
export interface CustomerOrder {
  readonly order: Order;
  readonly virtual: VirtualExtensionRecord | null;
}
