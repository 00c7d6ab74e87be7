import type { Grant, Order } from '@eos/domain';
import type { ReverseRequestRecord } from '@eos/persistence';

export interface ReverseSettings {
  /** How long the merchant has to decide a cancellation request before customer service does. */
  readonly cancellationDecisionMs: number;
  /** A payout above this many cents needs two distinct staff approvals. */
  readonly twoPersonThresholdCents: number;
}

/** A staff member acting, with the grants the auth guard loaded for this very request. */
export interface StaffCaller {
  readonly id: string;
  readonly grants: readonly Grant[];
}

/** A reverse request together with its order as the step left it. */
export interface ReverseOutcome {
  readonly request: ReverseRequestRecord;
  readonly order: Order;
}
