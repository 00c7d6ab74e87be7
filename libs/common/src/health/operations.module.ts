import { DynamicModule, ModuleMetadata, Module, Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MetricsController } from '../metrics/metrics.controller';
import { HealthController } from './health.controller';

export interface OperationsOptions {
  /** Modules whose providers the probes need. */
  readonly imports?: ModuleMetadata['imports'];
  /** A provider for READINESS_PROBES: the list of dependencies readiness asks. */
  readonly probes: Provider;
}

/** /health/live, /health/ready and /metrics for an app, given the probes it depends on. */
@Module({})
export class OperationsModule {
  static register(options: OperationsOptions): DynamicModule {
    return {
      module: OperationsModule,
      imports: [TerminusModule, ...(options.imports ?? [])],
      controllers: [HealthController, MetricsController],
      providers: [options.probes],
    };
  }
}
