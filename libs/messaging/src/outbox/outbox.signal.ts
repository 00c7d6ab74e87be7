import { Injectable } from '@nestjs/common';

/**
 * Tells this process's outbox relay that a transaction which wrote outbox rows on a user shard has
 * just committed, so the rows leave now instead of at the next backstop poll. Call it after the
 * commit, never before: a relay woken early finds nothing and waits for the poll.
 *
 * A signal is only a hint. It is lost if no relay runs here, and the poll still finds the rows;
 * that is also how rows written by other processes are found. (No NOTIFY trigger on the checkout
 * path: NOTIFY takes a database-wide lock at commit and would serialise every checkout.)
 */
@Injectable()
export class OutboxSignal {
  private listener: ((userShard: number) => void) | undefined;

  notify(userShard: number): void {
    this.listener?.(userShard);
  }

  /** The relay's hook; one listener per process. */
  listen(listener: ((userShard: number) => void) | undefined): void {
    this.listener = listener;
  }
}
