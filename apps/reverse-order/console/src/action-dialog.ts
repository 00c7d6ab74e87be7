import type { RefundBearer } from './api-types';
import { el } from './element';

export interface ActionRequest {
  readonly title: string;
  /** What is at stake, in a sentence (which request or order, how much). */
  readonly summary: string;
  readonly confirmLabel: string;
  /** Reject and force-cancel must say why; approval may. */
  readonly reasonRequired: boolean;
  /** Approval and force-cancel may name who bears the refund. */
  readonly asksBearer: boolean;
  readonly danger?: boolean;
}

export interface ActionAnswer {
  readonly reason?: string;
  readonly bearer?: RefundBearer;
}

const BEARERS: readonly { value: '' | RefundBearer; label: string }[] = [
  { value: '', label: 'Default for this action' },
  { value: 'MERCHANT', label: 'Merchant' },
  { value: 'PLATFORM', label: 'Platform' },
  { value: 'DELIVERY_PARTNER', label: 'Delivery partner' },
];

/**
 * The modal that asks for an action's reason (and who bears the refund) before anything is sent.
 * One dialog, reused; `ask` resolves with the answer, or null when staff step back.
 */
export class ActionDialog {
  private readonly dialog: HTMLDialogElement;
  private readonly heading = el('h2', { attrs: { id: 'action-title' } });
  private readonly summary = el('p', { attrs: { id: 'action-summary' } });
  private readonly reason = el('textarea', {
    attrs: { id: 'action-reason', name: 'reason', rows: '3', maxlength: '500' },
  });
  private readonly reasonLabel = el('label', { attrs: { for: 'action-reason' } });
  private readonly bearer = el(
    'select',
    { attrs: { id: 'action-bearer', name: 'bearer' } },
    ...BEARERS.map((option) => el('option', { text: option.label, attrs: { value: option.value } })),
  );
  private readonly bearerField = el(
    'div',
    { className: 'field' },
    el('label', { text: 'Who bears the refund', attrs: { for: 'action-bearer' } }),
    this.bearer,
  );
  private readonly confirm = el('button', { attrs: { type: 'submit', value: 'confirm' } });
  private settle: ((answer: ActionAnswer | null) => void) | null = null;
  private answer: ActionAnswer | null = null;

  constructor(host: HTMLElement) {
    const form = el(
      'form',
      { attrs: { method: 'dialog' } },
      this.heading,
      this.summary,
      el('div', { className: 'field' }, this.reasonLabel, this.reason),
      this.bearerField,
      el(
        'div',
        { className: 'dialog-buttons' },
        this.confirm,
        el('button', { text: 'Back', attrs: { type: 'button' }, onClick: () => this.dialog.close('back') }),
      ),
    );
    this.dialog = el(
      'dialog',
      {
        attrs: {
          id: 'action-dialog',
          'aria-labelledby': 'action-title',
          'aria-describedby': 'action-summary',
        },
      },
      form,
    );
    form.addEventListener('submit', (event) => {
      const reason = this.reason.value.trim();
      if (this.reason.required && !reason) {
        event.preventDefault();
        this.reason.focus();
        return;
      }
      // method=dialog closes the dialog with the submitter's value: "confirm".
      this.answer = {
        ...(reason ? { reason } : {}),
        ...(this.bearer.value && !this.bearerField.hidden
          ? { bearer: this.bearer.value as RefundBearer }
          : {}),
      };
    });
    this.dialog.addEventListener('close', () => {
      const answer = this.dialog.returnValue === 'confirm' ? this.answer : null;
      this.answer = null;
      this.settle?.(answer);
      this.settle = null;
    });
    host.append(this.dialog);
  }

  ask(request: ActionRequest): Promise<ActionAnswer | null> {
    this.settle?.(null);
    this.heading.textContent = request.title;
    this.summary.textContent = request.summary;
    this.reasonLabel.textContent = request.reasonRequired ? 'Reason (required)' : 'Reason (optional)';
    this.reason.required = request.reasonRequired;
    this.reason.value = '';
    this.bearer.value = '';
    this.bearerField.hidden = !request.asksBearer;
    this.confirm.textContent = request.confirmLabel;
    this.confirm.className = request.danger ? 'danger' : '';
    this.dialog.returnValue = '';
    this.dialog.showModal();
    this.reason.focus();
    return new Promise((resolve) => (this.settle = resolve));
  }
}
