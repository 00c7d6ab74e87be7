import { ApiFailure } from './api-failure';
import { type FailureContext, type FailureMessage, describeFailure } from './failure-messages';

/**
 * The page's two message lines: problems in a role=alert region (read out at once), confirmations
 * in a role=status one (read out politely). One message at a time: a new one replaces the last.
 */
export class Messages {
  constructor(
    private readonly alert: HTMLElement,
    private readonly status: HTMLElement,
  ) {}

  error(text: string): void {
    this.status.textContent = '';
    this.alert.textContent = text;
  }

  notice(text: string): void {
    this.alert.textContent = '';
    this.status.textContent = text;
  }

  clear(): void {
    this.alert.textContent = '';
    this.status.textContent = '';
  }

  /** Says what went wrong in words and returns what the page should do next; rethrows bugs. */
  failure(error: unknown, context?: FailureContext): FailureMessage {
    if (!(error instanceof ApiFailure)) {
      this.error('Something went wrong in this page; reload it and try again');
      throw error;
    }
    const message = describeFailure(error.problem, context);
    this.error(message.text);
    return message;
  }
}
