import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { status, type ServerWritableStream } from '@grpc/grpc-js';
import { once } from 'node:events';
import { EOS_CONFIG, EosConfig } from '@eos/common';
import { DomainError, DomainErrorCode } from '@eos/domain';
import { MerchantFeedListener, MerchantFeedRepository, SHARD_MAP, withQueryDeadline } from '@eos/persistence';
import { ShardMap, ShardRouter, schemasOn } from '@eos/sharding';
import { Observable, Subscriber } from 'rxjs';
import { BlinkCallError } from '../grpc/blink-call.error';
import { OrderFeedEvent, WatchOrdersRequest } from '../grpc/blink.messages';
import { feedDelaySeconds, feedStreams } from '../grpc/blink.metrics';
import { callerDeadline } from '../grpc/grpc-call';
import { presentChange } from '../grpc/order.grpc-presenter';
import { feedCursor } from '../grpc/request-fields';
import { PartnerAuthenticator } from '../partners/partner.authenticator';
import { MerchantPrincipal } from '../partners/partner.principal';
import { PartnerStreamLimiter } from '../partners/partner-rate.limiter';
import { actingMerchant } from './acting-merchant';

/** Changes read per query; a stream further behind catches up batch by batch, as the client drains. */
const BATCH = 100;

interface StreamState {
  closed: boolean;
  readonly closedSignal: Promise<void>;
  close(): void;
  wake?: () => void;
}

function streamState(): StreamState {
  let resolveClosed = (): void => undefined;
  const closedSignal = new Promise<void>((resolve) => (resolveClosed = resolve));
  const state: StreamState = {
    closed: false,
    closedSignal,
    close: () => {
      state.closed = true;
      resolveClosed();
      state.wake?.();
    },
  };
  return state;
}

/**
 * The merchant's feed as a server stream: the change log of the merchant dimension read after the
 * caller's cursor, batch by batch, then live. A stream sleeps until a NOTIFY from the merchant's
 * shard wakes it, or until the backstop poll; it reads only what the client has drained, sends a
 * heartbeat when idle, and ends when its credential is revoked (UNAUTHENTICATED).
 */
@Injectable()
export class MerchantFeedService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly watched = new Map<
    string,
    { streams: number; generation: number; waiters: Set<() => void> }
  >();
  private readonly open = new Set<StreamState>();
  private readonly limiter: PartnerStreamLimiter;
  private readonly listener: MerchantFeedListener;
  private readonly pollMs: number;
  private readonly heartbeatMs: number;

  constructor(
    private readonly feed: MerchantFeedRepository,
    private readonly router: ShardRouter,
    private readonly authenticator: PartnerAuthenticator,
    @Inject(SHARD_MAP) map: ShardMap,
    @Inject(EOS_CONFIG) config: EosConfig,
  ) {
    this.limiter = new PartnerStreamLimiter(config.BLINK_MAX_STREAMS_PER_PARTNER);
    this.pollMs = config.BLINK_FEED_POLL_MS;
    this.heartbeatMs = config.BLINK_FEED_HEARTBEAT_MS;
    const merchantDatabases = Object.fromEntries(
      router
        .databases()
        .filter((database) => schemasOn(map, database).merchant.length > 0)
        .map((database) => [database, router.databaseUrl(database)]),
    );
    this.listener = new MerchantFeedListener(
      merchantDatabases,
      (merchantId) => this.wake(merchantId),
      config.PG_CONNECT_TIMEOUT_MS,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const state of this.open) state.close();
    await this.listener.stop();
  }

  /** Checks the request and the partner's stream allowance now, then streams on subscription. */
  watch(
    partner: MerchantPrincipal,
    request: WatchOrdersRequest,
    call: ServerWritableStream<unknown, unknown>,
  ): Observable<OrderFeedEvent> {
    const merchantId = actingMerchant(partner, request.merchantId);
    const cursor = feedCursor(request.cursor);
    const deadline = callerDeadline(call);
    return new Observable<OrderFeedEvent>((subscriber) => {
      const release = this.limiter.acquire(partner.credentialId);
      const state = streamState();
      this.open.add(state);
      const watcher = this.countWatcher(merchantId);
      feedStreams.inc();
      const drained = async (): Promise<void> => {
        while (call.writableNeedDrain && !state.closed)
          await Promise.race([once(call, 'drain'), state.closedSignal]);
      };
      this.stream(partner, merchantId, cursor, deadline, subscriber, state, drained).then(
        () => subscriber.complete(),
        (error: unknown) => subscriber.error(error),
      );
      return () => {
        state.close();
        this.open.delete(state);
        watcher();
        release();
        feedStreams.dec();
      };
    });
  }

  private async stream(
    partner: MerchantPrincipal,
    merchantId: string,
    cursor: string | undefined,
    deadline: number,
    subscriber: Subscriber<OrderFeedEvent>,
    state: StreamState,
    drained: () => Promise<void>,
  ): Promise<void> {
    const route = this.router.routeMerchant(merchantId);
    const bounded = <T>(work: () => Promise<T>): Promise<T> =>
      Number.isFinite(deadline) ? withQueryDeadline(deadline, work) : work();
    const head = await bounded(() => this.feed.head(route, merchantId));
    if (cursor !== undefined && BigInt(cursor) > BigInt(head)) {
      throw new DomainError(
        DomainErrorCode.ValidationFailed,
        `cursor ${cursor} is ahead of merchant ${merchantId}'s feed (at ${head})`,
        { field: 'cursor' },
      );
    }
    let position = cursor ?? head;
    subscriber.next({ cursor: position, change: null });
    let lastWrite = Date.now();
    let nextCredentialCheck = lastWrite + this.pollMs;
    while (!state.closed) {
      const seen = this.generation(merchantId);
      const changes = await bounded(() => this.feed.changesAfter(route, merchantId, position, BATCH));
      if (state.closed) return;
      if (position !== '0' && !continuesFrom(position, head, changes)) {
        throw new BlinkCallError(
          status.OUT_OF_RANGE,
          'CURSOR_EXPIRED',
          `the feed no longer holds the changes after cursor ${position}: list the orders, then watch from feed_cursor`,
        );
      }
      for (const change of changes) {
        subscriber.next({ cursor: change.seq, change: presentChange(change) });
        feedDelaySeconds.observe(Math.max(0, Date.now() - change.changedAt.getTime()) / 1000);
        position = change.seq;
      }
      const now = Date.now();
      if (changes.length > 0) lastWrite = now;
      await drained();
      if (changes.length === BATCH) continue;
      if (now - lastWrite >= this.heartbeatMs) {
        subscriber.next({ cursor: position, change: null });
        lastWrite = now;
      }
      if (now >= nextCredentialCheck) {
        if (!(await bounded(() => this.authenticator.isActive(partner.credentialId)))) {
          throw new DomainError(DomainErrorCode.Unauthenticated, 'the partner credentials were revoked');
        }
        nextCredentialCheck = now + this.pollMs;
      }
      const wait = Math.min(this.pollMs, this.heartbeatMs - (now - lastWrite), deadline - now);
      if (wait <= 0 && now >= deadline) return;
      await this.changeOrTimeout(merchantId, seen, wait, state);
    }
  }

  /** Counts a stream of the merchant in; returns the function that counts it out. */
  private countWatcher(merchantId: string): () => void {
    let entry = this.watched.get(merchantId);
    if (!entry) {
      entry = { streams: 0, generation: 0, waiters: new Set() };
      this.watched.set(merchantId, entry);
    }
    entry.streams += 1;
    const counted = entry;
    return () => {
      counted.streams -= 1;
      if (counted.streams === 0 && this.watched.get(merchantId) === counted) this.watched.delete(merchantId);
    };
  }

  private generation(merchantId: string): number {
    return this.watched.get(merchantId)?.generation ?? 0;
  }

  private wake(merchantId: string): void {
    const entry = this.watched.get(merchantId);
    if (!entry) return;
    entry.generation += 1;
    for (const waiter of [...entry.waiters]) waiter();
  }

  /**
   * Waits for the merchant's next change signal or `ms`. A signal that arrived since `seen` was
   * taken (while the last batch was read) returns at once, so no wake-up falls between read and wait.
   */
  private changeOrTimeout(merchantId: string, seen: number, ms: number, state: StreamState): Promise<void> {
    const entry = this.watched.get(merchantId);
    if (!entry || entry.generation !== seen || ms <= 0 || state.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        entry.waiters.delete(done);
        state.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      entry.waiters.add(done);
      state.wake = done;
    });
  }
}

/**
 * Whether `changes`, read after `position`, carry on from it with nothing missing. Positions are
 * dense, so a hole before the first one, or none at all below the head read when the stream
 * began, means the entries after the cursor are no longer kept (FEED_RETENTION_HOURS). A cursor
 * of "0" asks for whatever is kept and is not checked.
 */
function continuesFrom(position: string, head: string, changes: readonly { seq: string }[]): boolean {
  if (changes.length === 0) return BigInt(position) >= BigInt(head);
  return BigInt(changes[0].seq) === BigInt(position) + 1n;
}
