import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { EOS_CONFIG, EosConfig } from '@eos/common';
import { VirtualOrderSweeps } from './virtual-order.sweeps';

/**
 * Runs the virtual orders' sweeps on the same cadence as the delivery sweeps (SWEEP_INTERVAL_MS
 * after the previous pass ends; 0 leaves them to other instances). Shutdown waits for the pass.
 */
@Injectable()
export class VirtualSweepScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('sweeps:virtual');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly sweeps: VirtualOrderSweeps,
    @Inject(EOS_CONFIG) private readonly config: EosConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.SWEEP_INTERVAL_MS > 0) this.schedule();
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
    }, this.config.SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    try {
      for (const report of await this.sweeps.runOnce()) {
        if (report.applied > 0 || report.failed > 0) {
          this.logger.log(
            `${report.sweep}: ${report.applied} moved, ${report.skipped} skipped, ${report.failed} failed`,
          );
        }
      }
    } catch (error) {
      this.logger.error(
        `virtual sweep pass failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
