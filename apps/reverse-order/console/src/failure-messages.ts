import type { ApiProblem } from './api-failure';
import { formatCents } from './money';

/** What the page was doing when a call failed, for words that name it. */
export interface FailureContext {
  /** The member's refund.approve ceiling as /v1/cs/me last said, when approving. */
  readonly approveCeilingCents?: number | null;
  /** The currency of the amount at stake. */
  readonly currency?: string;
}

/** What the page does after showing the message. */
export type FailureFollowUp = 'none' | 'reload-case' | 'sign-in-again';

export interface FailureMessage {
  readonly text: string;
  readonly followUp: FailureFollowUp;
}

export const NETWORK_MESSAGE = 'Network problem: nothing was changed by this page; try again';
export const CONFLICT_MESSAGE = 'Someone else acted on this first: reloaded';

function numberIn(details: Readonly<Record<string, unknown>> | undefined, key: string): number | undefined {
  const value = details?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The words staff read for a failed call, and what the page does next. */
export function describeFailure(problem: ApiProblem, context: FailureContext = {}): FailureMessage {
  if (problem.kind === 'network') return { text: NETWORK_MESSAGE, followUp: 'none' };
  const { status, code, message, details } = problem;
  if (code === 'APPROVAL_CEILING_EXCEEDED') {
    // The error body may carry the ceiling; the grants the page read say it too.
    const ceiling = numberIn(details, 'ceilingCents') ?? context.approveCeilingCents ?? null;
    const amount = numberIn(details, 'amountCents');
    if (ceiling === null)
      return { text: `Your role cannot approve a refund this large (${message})`, followUp: 'none' };
    const atStake = amount === undefined ? '' : `: this one is ${formatCents(amount, context.currency)}`;
    return {
      text: `Your role cannot approve refunds above ${formatCents(ceiling, context.currency)}${atStake}. Ask a supervisor.`,
      followUp: 'none',
    };
  }
  if (code === 'SECOND_APPROVER_REQUIRED') {
    return {
      text: `Another staff member must give this approval (not whoever filed it or approved it first): ${message}`,
      followUp: 'none',
    };
  }
  if (status === 409) return { text: CONFLICT_MESSAGE, followUp: 'reload-case' };
  if (status === 401) {
    return { text: 'Your sign-in is no longer valid: sign in again', followUp: 'sign-in-again' };
  }
  if (status === 403) return { text: `Your role does not allow this: ${message}`, followUp: 'none' };
  if (status === 404) return { text: `Not found: ${message}`, followUp: 'none' };
  if (status === 400 || status === 422) return { text: `Refused as entered: ${message}`, followUp: 'none' };
  if (status === 503) {
    return {
      text: `A service the console needs is unavailable (${code}): try again shortly`,
      followUp: 'none',
    };
  }
  return { text: `The server could not do this (${status} ${code}): try again shortly`, followUp: 'none' };
}
