import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { READINESS_PROBES, ReadinessProbe } from './readiness-probe';

const PROBE_TIMEOUT_MS = 1500;

/** Liveness says only that the process serves; readiness asks every dependency, each bounded in time. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(READINESS_PROBES) private readonly probes: ReadinessProbe[],
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check(this.probes.map((probe) => () => this.run(probe)));
  }

  private async run(probe: ReadinessProbe) {
    const session = this.indicator.check(probe.name);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        probe.check(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)),
            PROBE_TIMEOUT_MS,
          );
        }),
      ]);
      return session.up();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (probe.degradesOnly) return session.up({ degraded: true, message });
      return session.down({ message });
    } finally {
      clearTimeout(timer);
    }
  }
}
