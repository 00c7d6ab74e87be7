import type { StaffApi } from './api-client';
import type { CaseOrder, ReverseRequest } from './api-types';
import type { ActionDialog } from './action-dialog';
import type { Messages } from './messages';
import { formatCents } from './money';
import type { Capabilities } from './permissions';

/** What the case view does once an action is over: reload the case, or send staff to sign in. */
export interface ActionOutcomes {
  readonly reload: () => Promise<void>;
  readonly signInAgain: () => void;
}

/**
 * The three staff actions on a case: approve or reject an open reverse request, force-cancel the
 * order. Each asks for its reason first, posts once, and says in words what happened: done, refused
 * (and why), someone else was first (the case reloads), or the network failed.
 */
export class CaseActions {
  constructor(
    private readonly api: StaffApi,
    private readonly dialog: ActionDialog,
    private readonly messages: Messages,
    private readonly outcomes: ActionOutcomes,
  ) {}

  async approve(request: ReverseRequest, capabilities: Capabilities): Promise<void> {
    const money = formatCents(request.amountCents, request.currency);
    const answer = await this.dialog.ask({
      title: 'Approve reverse request',
      summary: `Approve ${request.kind === 'REFUND' ? 'refund' : 'cancellation'} request ${request.id} of ${money}.`,
      confirmLabel: 'Approve',
      reasonRequired: false,
      asksBearer: true,
    });
    if (!answer) return;
    await this.run(
      async () => {
        const decided = await this.api.approve(request.id, answer);
        if (decided.request.status === 'AWAITING_SECOND_APPROVAL') {
          return `First approval of request ${request.id} recorded: another staff member must approve it too`;
        }
        return `Approved request ${request.id} (${money})${decided.refundId ? `: refund ${decided.refundId} created` : ''}`;
      },
      { approveCeilingCents: capabilities.approveCeilingCents, currency: request.currency },
    );
  }

  async reject(request: ReverseRequest): Promise<void> {
    const answer = await this.dialog.ask({
      title: 'Reject reverse request',
      summary: `Reject request ${request.id} of ${formatCents(request.amountCents, request.currency)}; its reservation is released.`,
      confirmLabel: 'Reject',
      reasonRequired: true,
      asksBearer: false,
    });
    if (!answer?.reason) return;
    const reason = answer.reason;
    await this.run(async () => {
      await this.api.reject(request.id, reason);
      return `Rejected request ${request.id}`;
    });
  }

  async forceCancel(order: CaseOrder): Promise<void> {
    const answer = await this.dialog.ask({
      title: 'Force-cancel order',
      summary: `Cancel order ${order.id} (${order.status}, ${formatCents(order.totalCents, order.currency)}); its open requests are rejected and what was paid is refunded.`,
      confirmLabel: 'Force-cancel',
      reasonRequired: true,
      asksBearer: true,
      danger: true,
    });
    if (!answer?.reason) return;
    const input = { reason: answer.reason, ...(answer.bearer ? { bearer: answer.bearer } : {}) };
    await this.run(async () => {
      const cancelled = await this.api.cancelOrder(order.id, input);
      return `Order ${order.id} is ${cancelled.order.status}`;
    });
  }

  private async run(act: () => Promise<string>, context?: Parameters<Messages['failure']>[1]): Promise<void> {
    let done: string;
    try {
      done = await act();
    } catch (error) {
      const { followUp } = this.messages.failure(error, context);
      if (followUp === 'reload-case') await this.outcomes.reload();
      if (followUp === 'sign-in-again') this.outcomes.signInAgain();
      return;
    }
    this.messages.notice(done);
    await this.outcomes.reload();
  }
}
