import { AsyncLocalStorage } from 'node:async_hooks';

/** What a request carries that its log lines name: the request itself, as the guards annotate it. */
export interface LoggedRequest {
  readonly id: string;
  readonly params?: unknown;
  /** Set by CustomerAuthGuard (customers) once the token is verified. */
  readonly principal?: { readonly id: string; readonly role: string };
  /** Set by reverse-order's StaffAuthGuard once the member is loaded. */
  readonly staff?: { readonly id: string };
}

/** The ids a log line written while serving a request carries, when the request has them. */
export interface RequestLogFields {
  readonly reqId: string;
  readonly orderId?: string;
  readonly userId?: string;
  readonly staffId?: string;
}

const DECIMAL_ID = /^[1-9][0-9]{0,18}$/;
const scope = new AsyncLocalStorage<LoggedRequest>();

/**
 * Runs the rest of a request's handling (`next`) with the request in scope, so that every log
 * line written on its behalf, by any code and any logger, names it. The fields are read when a
 * line is written, not copied here: the user or staff member is known only once a guard has run.
 */
export function runInRequestScope<T>(request: LoggedRequest, next: () => T): T {
  return scope.run(request, next);
}

/** The fields of the request being served, if any (the route's order id, its customer or staff member). */
export function requestLogFields(): RequestLogFields | undefined {
  const request = scope.getStore();
  return request ? logFieldsOf(request) : undefined;
}

export function logFieldsOf(request: LoggedRequest): RequestLogFields {
  const fields: { -readonly [K in keyof RequestLogFields]: RequestLogFields[K] } = { reqId: request.id };
  const orderId = (request.params as { orderId?: unknown } | undefined)?.orderId;
  if (typeof orderId === 'string' && DECIMAL_ID.test(orderId)) fields.orderId = orderId;
  const principal = request.principal;
  if (principal?.role === 'customer') fields.userId = principal.id;
  else if (principal?.role === 'staff') fields.staffId = principal.id;
  if (request.staff) fields.staffId = request.staff.id;
  return fields;
}
