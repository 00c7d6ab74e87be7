/**
 * What the suite must undo whatever happens: clusters, brokers, proxies and apps it started. Steps
 * run last-in first-out, each once. A step may give a synchronous fallback, run from the process's
 * `exit` event when the asynchronous path never got its chance (an uncaught error, a second signal).
 */
export class Teardown {
  private readonly steps: { name: string; run: () => Promise<void>; sync?: () => void; done: boolean }[] = [];

  add(name: string, run: () => Promise<void>, sync?: () => void): void {
    this.steps.push({ name, run, sync, done: false });
  }

  async run(log: (line: string) => void): Promise<void> {
    for (const step of [...this.steps].reverse()) {
      if (step.done) continue;
      step.done = true;
      try {
        await step.run();
      } catch (error) {
        log(`teardown of ${step.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        try {
          step.sync?.();
        } catch {
          // Best effort: the next step still runs.
        }
      }
    }
  }

  /** For the `exit` event, where nothing asynchronous runs any more. */
  runSync(): void {
    for (const step of [...this.steps].reverse()) {
      if (step.done) continue;
      step.done = true;
      try {
        step.sync?.();
      } catch {
        // Best effort.
      }
    }
  }
}
