import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EOS_CONFIG, EosConfig } from '@eos/common';
import { ShardDataSources, warmCheckoutStatements } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';

/**
 * Warms the checkout statement on every pooled connection before the app listens (PG_WARM_UP).
 * A failure is logged and start-up goes on: the statements then prepare on first use, as they
 * would without the warm-up.
 */
@Injectable()
export class CheckoutWarmUp implements OnApplicationBootstrap {
  private readonly logger = new Logger('checkout-warm-up');

  constructor(
    private readonly sources: ShardDataSources,
    private readonly router: ShardRouter,
    @Inject(EOS_CONFIG) private readonly config: EosConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.PG_WARM_UP) return;
    const started = Date.now();
    try {
      const report = await warmCheckoutStatements(this.sources, this.router, this.config.PG_POOL_SIZE);
      this.logger.log(
        `checkout prepared on ${report.connections} connections (${report.statements} statements) in ${Date.now() - started} ms`,
      );
    } catch (error) {
      this.logger.warn(
        `checkout warm-up failed after ${Date.now() - started} ms, statements prepare on first use: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
