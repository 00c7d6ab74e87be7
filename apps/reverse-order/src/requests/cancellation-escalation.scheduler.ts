import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { EOS_CONFIG, EosConfig } from '@eos/common';
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
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly escalation: CancellationEscalation,
    @Inject(EOS_CONFIG) private readonly config: EosConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.REVERSE_WORK_INTERVAL_MS > 0) this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass now; waits for a scheduled pass in flight first, so passes never overlap. */
  async runOnce(): Promise<EscalationReport> {
    await this.running;
    const pass = this.escalation.runOnce();
    this.running = pass.catch(() => undefined);
    return pass;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.pass().finally(() => this.schedule());
    }, this.config.REVERSE_WORK_INTERVAL_MS);
    // The HTTP server keeps the process alive; a pending pass must not.
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    try {
      const report = await this.runOnce();
      if (report.escalated.length > 0 || report.failedDatabases.length > 0) {
        this.logger.log(
          `${report.escalated.length} escalated, ${report.passed} passed` +
            (report.failedDatabases.length ? `, unavailable: ${report.failedDatabases.join(', ')}` : ''),
        );
      }
    } catch (error) {
      this.logger.error(`escalation pass failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
