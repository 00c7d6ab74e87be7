/** One dependency that readiness reports on. `check` resolves when the dependency answers. */
export interface ReadinessProbe {
  readonly name: string;
  check(): Promise<void>;
}

export const READINESS_PROBES = Symbol('READINESS_PROBES');
