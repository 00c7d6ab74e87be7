import { Logger } from '@nestjs/common';
import { ORDER_EVENT_TYPES } from '../order-event.envelope';
import { emissionEnabled } from '../messaging.metrics';
import { EMISSION_ALL_ON, EmissionFlagStore, type EmissionState } from './emission-flag.store';

/**
 * The relay's view of the emission flags: re-read from Redis every `refreshMs`, so a switch takes
 * effect within about a second without a restart. Reads never block publishing: while Redis is
 * unreachable the last known state stays in force (all on until the first successful read).
 */
export class EmissionFlags {
  private readonly logger = new Logger('emission');
  private state: EmissionState = EMISSION_ALL_ON;
  private readonly listeners: ((state: EmissionState) => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private failing = false;

  constructor(
    private readonly store: EmissionFlagStore,
    private readonly refreshMs: number,
  ) {
    this.publishGauge();
  }

  current(): EmissionState {
    return this.state;
  }

  /** Called after every change, e.g. to wake the relay when emission comes back on. */
  onChange(listener: (state: EmissionState) => void): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  refresh(): Promise<void> {
    this.refreshing ??= this.read().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async read(): Promise<void> {
    let next: EmissionState;
    try {
      next = await this.store.read();
    } catch (error) {
      if (!this.failing) {
        this.logger.warn(
          `cannot read the emission flags (${error instanceof Error ? error.message : String(error)}); keeping the last known state`,
        );
      }
      this.failing = true;
      return;
    }
    this.failing = false;
    if (sameState(next, this.state)) return;
    this.logger.log(
      `emission ${next.global ? 'on' : 'OFF'}${next.heldTypes.length ? `, held types: ${next.heldTypes.join(', ')}` : ''}`,
    );
    this.state = next;
    this.publishGauge();
    for (const listener of this.listeners) listener(next);
  }

  private publishGauge(): void {
    emissionEnabled.set({ scope: 'global' }, this.state.global ? 1 : 0);
    for (const type of ORDER_EVENT_TYPES) {
      emissionEnabled.set({ scope: type }, this.state.heldTypes.includes(type) ? 0 : 1);
    }
  }
}

function sameState(a: EmissionState, b: EmissionState): boolean {
  return a.global === b.global && a.heldTypes.join() === b.heldTypes.join();
}
