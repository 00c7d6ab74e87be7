import {
  FailureMode,
  PaidRefund,
  RunningPaymentProvider,
  startPaymentProvider,
} from '../../../tools/payment-provider/src/payment-provider.server';
import { http } from './http.client';

export type { FailureMode, PaidRefund };

/** What the simulated provider says it did for an order. */
export interface ProviderRecord {
  readonly orderId: string;
  readonly calls: number;
  readonly refunds: PaidRefund[];
}

/**
 * The simulated payment provider, in this process on a free port, driven over its own HTTP API
 * (control routes) as a demo would. Point PAYMENT_PROVIDER_URL at `url` before starting the app.
 */
export class PaymentProviderHarness {
  private constructor(private readonly running: RunningPaymentProvider) {}

  static async start(secret: string): Promise<PaymentProviderHarness> {
    return new PaymentProviderHarness(await startPaymentProvider({ port: 0, secret }));
  }

  get url(): string {
    return this.running.url;
  }

  /** The order's next `count` refund calls answer 503 (`error`) or pay and never answer (`timeout`). */
  async failNext(orderId: string, count: number, mode: FailureMode = 'error'): Promise<void> {
    const answer = await http('POST', `${this.url}/control/failures`, { body: { orderId, count, mode } });
    if (answer.status !== 200) throw new Error(`failure injection refused: ${answer.status}`);
  }

  async recordOf(orderId: string): Promise<ProviderRecord> {
    const answer = await http<ProviderRecord>('GET', `${this.url}/control/refunds?orderId=${orderId}`);
    if (answer.status !== 200) throw new Error(`provider record refused: ${answer.status}`);
    return answer.body;
  }

  close(): Promise<void> {
    return this.running.close();
  }
}
