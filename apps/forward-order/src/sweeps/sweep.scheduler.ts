import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { EOS_CONFIG, EosConfig, PeriodicPass } from '@eos/common';
import { OrderSweeps } from '@eos/ordering';

/**
 * Runs the deadline sweeps (expiry, acceptance, completion) in this instance, one pass every
 * SWEEP_INTERVAL_MS after the previous one ends, so passes never overlap. SWEEP_INTERVAL_MS=0
 * leaves them to other instances. Shutdown waits for the pass in flight.
 */
@Injectable()
export class SweepScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('sweeps');
  private readonly periodic: PeriodicPass;

  constructor(
    private readonly sweeps: OrderSweeps,
    @Inject(EOS_CONFIG) config: EosConfig,
  ) {
    this.periodic = new PeriodicPass('sweeps', config.SWEEP_INTERVAL_MS, () => this.pass());
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
