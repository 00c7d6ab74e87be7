/**
 * A lock holder's write was refused because a newer holder has written: this holder's lease
 * ended (it paused, or Redis handed the lock on) and it must stop working under that lock.
 */
export class FencedOutError extends Error {
  constructor(readonly fence: string) {
    super(`fenced out of ${fence}: a newer lock holder has written`);
    this.name = 'FencedOutError';
  }
}
