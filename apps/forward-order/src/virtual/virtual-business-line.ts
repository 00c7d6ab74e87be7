import type { Type } from '@nestjs/common';
import type { Order, SpendAndSaveRule, VirtualOrderExtension, VirtualProduct } from '@eos/domain';
import type { ShardTransaction } from '@eos/persistence';

/** What a line's handler issued, stored with the order and shown to its customer: `{ voucherCode }`. */
export type FulfilmentResult = Readonly<Record<string, unknown>>;

/**
 * Issues a paid virtual order's goods. Called once per order, inside the transaction that moves
 * the order PAID -> FULFILLED: whatever it writes through `tx` commits with the transition or not
 * at all, so a redelivered event or the sweep can never issue the goods twice.
 */
export interface VirtualFulfilmentHandler {
  fulfil(order: Order, extension: VirtualOrderExtension, tx: ShardTransaction): Promise<FulfilmentResult>;
}

/**
 * One virtual business line, as configured: adding a line is one of these in
 * VIRTUAL_BUSINESS_LINE_CONFIG and one handler class, nothing else.
 */
export interface VirtualBusinessLine {
  /** What clients send as `businessLine`: lowercase words joined by "-". */
  readonly id: string;
  readonly currency: string;
  /** Server-side prices: a client's idea of a price is never read. */
  readonly products: readonly VirtualProduct[];
  readonly spendAndSave?: SpendAndSaveRule;
  /**
   * The class-validator class an order's `details` must satisfy (unknown fields refused), and
   * the version stored beside them: bump it when the class changes incompatibly, so stored details
   * can be told apart.
   */
  readonly details: { readonly schema: Type<object>; readonly version: number };
  /** Instantiated with the module's providers injected; see VirtualFulfilmentHandler. */
  readonly handler: Type<VirtualFulfilmentHandler>;
}

/** Injection token of the configured lines; a test may override it to add a line. */
export const VIRTUAL_BUSINESS_LINES = Symbol('VIRTUAL_BUSINESS_LINES');
