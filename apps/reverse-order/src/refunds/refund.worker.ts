import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { EOS_CONFIG, EosConfig } from '@eos/common';
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
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly executor: RefundExecutor,
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

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pass().finally(() => {
        this.running = undefined;
        this.schedule();
      });
    }, this.config.REVERSE_WORK_INTERVAL_MS);
    // The HTTP server keeps the process alive; a pending pass must not.
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    try {
      const report = await this.executor.runOnce();
      if (report.succeeded + report.failed + report.taken + report.errors > 0) {
        this.logger.log(
          `refunds: ${report.taken} taken, ${report.succeeded} succeeded, ${report.retrying} retrying, ` +
            `${report.failed} failed, ${report.errors} errors`,
        );
      }
    } catch (error) {
      this.logger.error(`refund pass failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
