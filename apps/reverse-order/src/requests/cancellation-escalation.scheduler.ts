import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { EOS_CONFIG, EosConfig, PeriodicPass } from '@eos/common';
import { CancellationEscalation, EscalationReport } from '@eos/ordering';

/**
 * Hands cancellation requests the merchant left undecided past their deadline to customer
 * service, one pass every REVERSE_WORK_INTERVAL_MS after the previous one ends (passes never
 * overlap); 0 turns it off in this instance. Shutdown waits for the pass in flight. Tests call
 * `runOnce` themselves.
 */
@Injectable()
export class CancellationEscalationScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('cancellation-escalation');
  private readonly periodic: PeriodicPass;

  constructor(
    private readonly escalation: CancellationEscalation,
    @Inject(EOS_CONFIG) config: EosConfig,
  ) {
    this.periodic = new PeriodicPass('cancellation-escalation', config.REVERSE_WORK_INTERVAL_MS, () =>
      this.pass(),
    );
  }

  onApplicationBootstrap(): void {
    this.periodic.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.periodic.stop();
  }

  /** One pass now; waits for a scheduled pass in flight first, so passes never overlap. */
  runOnce(): Promise<EscalationReport> {
    return this.periodic.runExclusive(() => this.escalation.runOnce());
  }

  private async pass(): Promise<void> {
    const report = await this.escalation.runOnce();
    if (report.escalated.length > 0 || report.failedDatabases.length > 0) {
      this.logger.log(
        `${report.escalated.length} escalated, ${report.passed} passed` +
          (report.failedDatabases.length ? `, unavailable: ${report.failedDatabases.join(', ')}` : ''),
      );
    }
  }
}
