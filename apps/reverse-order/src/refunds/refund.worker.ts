import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { EOS_CONFIG, EosConfig, PeriodicPass } from '@eos/common';
import { RefundExecutor } from './refund.executor';

/**
 * Runs the refund executor in this instance: a pass every REVERSE_WORK_INTERVAL_MS after the
 * previous one ends, so passes never overlap; 0 leaves refunds to other instances (tests run
 * passes on demand). Shutdown stops scheduling and waits for the pass in flight, whose provider
 * calls are each bounded by PAYMENT_PROVIDER_TIMEOUT_MS, so no call is abandoned half-recorded.
 */
@Injectable()
export class RefundWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('refund-worker');
  private readonly periodic: PeriodicPass;

  constructor(
    private readonly executor: RefundExecutor,
    @Inject(EOS_CONFIG) config: EosConfig,
  ) {
    this.periodic = new PeriodicPass('refund-worker', config.REVERSE_WORK_INTERVAL_MS, () => this.pass());
  }

  onApplicationBootstrap(): void {
    this.periodic.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.periodic.stop();
  }

  private async pass(): Promise<void> {
    const report = await this.executor.runOnce();
    if (report.succeeded + report.failed + report.taken + report.errors > 0) {
      this.logger.log(
        `refunds: ${report.taken} taken, ${report.succeeded} succeeded, ${report.retrying} retrying, ` +
          `${report.failed} failed, ${report.errors} errors`,
      );
    }
  }
}
