import { Logger } from '@nestjs/common';

/**
 * Runs a background pass (sweeps, refund execution, escalations) every `intervalMs` after the
 * previous one ends, so passes never overlap; an interval of 0 never starts it (the work is left
 * to other instances, or to tests that run passes themselves). A failed pass is logged and the
 * next one is scheduled as usual. `stop()` stops scheduling and waits for the pass in flight.
 */
export class PeriodicPass {
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly pass: () => Promise<void>,
  ) {
    this.logger = new Logger(name);
  }

  start(): void {
    if (this.intervalMs > 0) this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /**
   * Runs `work` once now, after any pass in flight, so it never overlaps a scheduled pass. Not from
   * inside the pass itself: it would wait for its own end.
   */
  async runExclusive<T>(work: () => Promise<T>): Promise<T> {
    await this.running;
    const result = work();
    this.running = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      // After a pass run on demand (runExclusive) that may still be in flight.
      const previous = this.running;
      this.running = (async () => {
        await previous;
        await this.guarded();
      })().finally(() => {
        this.running = undefined;
        this.schedule();
      });
    }, this.intervalMs);
    // The HTTP server keeps the process alive; a pending pass must not.
    this.timer.unref();
  }

  private async guarded(): Promise<void> {
    try {
      await this.pass();
    } catch (error) {
      this.logger.error(
        `${this.name} pass failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
