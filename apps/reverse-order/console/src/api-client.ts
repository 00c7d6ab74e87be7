import { ApiFailure, refusalFrom } from './api-failure';
import type {
  CancelAnswer,
  DecisionAnswer,
  DevSignInAnswer,
  Me,
  OrderCase,
  OrderSearchPage,
  RefundBearer,
} from './api-types';

/** Long enough for a slow shard; past it the page says "network problem" rather than spin forever. */
const CALL_TIMEOUT_MS = 15_000;

export type SearchDimension = 'userId' | 'merchantId';

export interface DecisionInput {
  readonly reason?: string;
  readonly bearer?: RefundBearer;
}

const id = (value: string): string => encodeURIComponent(value);

/**
 * The public staff API of reverse-order, from the browser: same origin, the staff token as
 * `Authorization: Bearer`, JSON in and out. Every failure is an ApiFailure: the server's error body,
 * or "network" when no answer came.
 */
export class StaffApi {
  constructor(private readonly token: () => string | null) {}

  me(): Promise<Me> {
    return this.call('GET', '/v1/cs/me');
  }

  /** Whether sign-in by staff id is offered (development only): a 404 means no. */
  async devSignInAvailable(): Promise<boolean> {
    try {
      const answer = await this.call<{ available?: unknown }>('GET', '/v1/cs/dev-sign-in');
      return answer.available === true;
    } catch (error) {
      if (error instanceof ApiFailure && error.problem.kind === 'refused') return false;
      throw error;
    }
  }

  devSignIn(staffId: string): Promise<DevSignInAnswer> {
    return this.call('POST', '/v1/cs/dev-sign-in', { staffId });
  }

  orderCase(orderId: string): Promise<OrderCase> {
    return this.call('GET', `/v1/cs/orders/${id(orderId)}`);
  }

  searchOrders(dimension: SearchDimension, value: string, cursor?: string): Promise<OrderSearchPage> {
    const query = new URLSearchParams({ [dimension]: value, limit: '20' });
    if (cursor) query.set('cursor', cursor);
    return this.call('GET', `/v1/cs/orders?${query.toString()}`);
  }

  approve(requestId: string, input: DecisionInput): Promise<DecisionAnswer> {
    return this.call('POST', `/v1/cs/reverse-requests/${id(requestId)}/approve`, input);
  }

  reject(requestId: string, reason: string): Promise<DecisionAnswer> {
    return this.call('POST', `/v1/cs/reverse-requests/${id(requestId)}/reject`, { reason });
  }

  cancelOrder(orderId: string, input: { reason: string; bearer?: RefundBearer }): Promise<CancelAnswer> {
    return this.call('POST', `/v1/cs/orders/${id(orderId)}/cancel`, input);
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: object): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
    } catch {
      // No answer at all (offline, refused, cut, timed out): the server's state is unknown to us.
      throw new ApiFailure({ kind: 'network' });
    }
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch {
      if (response.ok) throw new ApiFailure({ kind: 'network' });
      parsed = undefined;
    }
    if (!response.ok) throw refusalFrom(response.status, parsed);
    return parsed as T;
  }
}
