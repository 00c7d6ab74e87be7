import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { EOS_CONFIG, EosConfig, PeriodicPass } from '@eos/common';
import { VirtualOrderSweeps } from './virtual-order.sweeps';

/**
 * Runs the virtual orders' sweeps on the same cadence as the delivery sweeps (SWEEP_INTERVAL_MS
 * after the previous pass ends; 0 leaves them to other instances). Shutdown waits for the pass.
 */
@Injectable()
export class VirtualSweepScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('sweeps:virtual');
  private readonly periodic: PeriodicPass;

  constructor(
    private readonly sweeps: VirtualOrderSweeps,
    @Inject(EOS_CONFIG) config: EosConfig,
  ) {
    this.periodic = new PeriodicPass('sweeps:virtual', config.SWEEP_INTERVAL_MS, () => this.pass());
  }

  onApplicationBootstrap(): void {
    this.periodic.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.periodic.stop();
  }

  private async pass(): Promise<void> {
    for (const report of await this.sweeps.runOnce()) {
      if (report.applied > 0 || report.failed > 0) {
        this.logger.log(
          `${report.sweep}: ${report.applied} moved, ${report.skipped} skipped, ${report.failed} failed`,
        );
      }
    }
  }
}
