import { DEMO_MERCHANTS } from '@eos/persistence';

const FETCHES_AT_ONCE = 16;

/**
 * Reads every demo merchant's menu once through the app (GET /v1/merchants/:id/menu goes through
 * the same MenuService cache that checkout prices from), so no measured checkout pays for a cold
 * catalog read.
 */
export async function warmMenuCache(appUrl: string): Promise<void> {
  let next = 1;
  const worker = async (): Promise<void> => {
    while (next <= DEMO_MERCHANTS) {
      const merchantId = next;
      next += 1;
      const response = await fetch(`${appUrl}/v1/merchants/${merchantId}/menu`);
      await response.arrayBuffer();
      if (response.status !== 200) {
        throw new Error(`GET /v1/merchants/${merchantId}/menu answered ${response.status}`);
      }
    }
  };
  await Promise.all(Array.from({ length: FETCHES_AT_ONCE }, worker));
}
