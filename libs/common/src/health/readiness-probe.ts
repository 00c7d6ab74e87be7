/** One dependency that readiness reports on. `check` resolves when the dependency answers. */
export interface ReadinessProbe {
  readonly name: string;
  /**
   * True for a dependency whose loss only degrades the app (Redis: slower checkout; RabbitMQ:
   * events wait in the outbox). Its failure is reported but keeps the app ready, so a load
   * balancer does not pull every instance out of service over an outage the app survives.
   */
  readonly degradesOnly?: boolean;
  check(): Promise<void>;
}

export const READINESS_PROBES = Symbol('READINESS_PROBES');
