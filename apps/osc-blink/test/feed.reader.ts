import type { ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import { BlinkClient } from '@eos/common';

export interface FeedChange {
  orderId: string;
  merchantId: string;
  status: string;
  previousStatus: string;
  version: number;
  changedAt: string;
}

export interface FeedEvent {
  cursor: string;
  change: FeedChange | null;
}

/** A WatchOrders stream whose events are collected, with waits on what has arrived. */
export class FeedReader {
  readonly events: FeedEvent[] = [];
  /** When each event arrived (epoch ms), by index. */
  readonly arrivals: number[] = [];
  error: ServiceError | undefined;
  ended = false;
  private readonly stream: ClientReadableStream<FeedEvent>;
  private readonly listeners = new Set<() => void>();

  constructor(client: BlinkClient, request: { merchantId?: string; cursor?: string }, deadlineMs?: number) {
    this.stream = client.stream<FeedEvent>('MerchantOrders', 'WatchOrders', request, { deadlineMs });
    this.stream.on('data', (event: FeedEvent) => {
      this.events.push(event);
      this.arrivals.push(Date.now());
      this.notify();
    });
    this.stream.on('error', (error: ServiceError) => {
      this.error = error;
      this.notify();
    });
    this.stream.on('end', () => {
      this.ended = true;
      this.notify();
    });
  }

  get changes(): (FeedChange & { cursor: string })[] {
    return this.events.flatMap((event) => (event.change ? [{ ...event.change, cursor: event.cursor }] : []));
  }

  get lastCursor(): string {
    return this.events[this.events.length - 1]?.cursor ?? '';
  }

  /** Resolves once `predicate` holds over what has arrived; rejects on a stream error or after `timeoutMs`. */
  waitFor(predicate: (reader: FeedReader) => boolean, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (predicate(this)) {
          cleanup();
          resolve();
        } else if (this.error || this.ended) {
          cleanup();
          reject(this.error ?? new Error('the feed ended'));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(`feed condition not met within ${timeoutMs} ms; got ${JSON.stringify(this.events)}`),
        );
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Resolves with the stream's error (or rejects if it ends or errs otherwise within the time). */
  failure(timeoutMs = 5_000): Promise<ServiceError> {
    return this.waitFor((reader) => reader.error !== undefined, timeoutMs).then(
      () => this.error as ServiceError,
      () => {
        if (this.error) return this.error;
        throw new Error('the feed did not fail');
      },
    );
  }

  cancel(): void {
    this.stream.cancel();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
