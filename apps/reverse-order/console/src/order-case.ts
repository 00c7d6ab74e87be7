import type { StaffApi } from './api-client';
import type { CaseOrder, OrderCase, ReverseRequest } from './api-types';
import type { CaseActions } from './case-actions';
import { el, whenDone } from './element';
import type { Messages } from './messages';
import { formatCents } from './money';
import { type Capabilities, aboveCeiling, capabilitiesOf } from './permissions';
import { formatTime } from './time';
import { caseTimeline } from './timeline';
import { renderTimeline } from './timeline-view';

/** A cancelled or completed order is final: force-cancel would only be refused. */
const FINAL_STATUSES: ReadonlySet<string> = new Set(['CANCELLED', 'COMPLETED']);

/**
 * One order's case: its summary, its lines and one timeline of everything that happened to it,
 * with the actions the signed-in member may take. The member's grants are read again with every
 * load, so a revoked permission takes its buttons away on the next reload.
 */
export class OrderCaseView {
  private orderId: string | null = null;
  private actions: CaseActions | null = null;

  constructor(
    private readonly section: HTMLElement,
    private readonly api: StaffApi,
    private readonly messages: Messages,
    private readonly signInAgain: () => void,
  ) {}

  /** Set once: the actions need this view to reload it, and this view needs them for its buttons. */
  useActions(actions: CaseActions): void {
    this.actions = actions;
  }

  async open(orderId: string): Promise<void> {
    this.orderId = orderId;
    this.messages.clear();
    await this.reload();
  }

  /** Reads the case again; messages already shown stay (they say why it was reloaded). */
  async reload(): Promise<void> {
    const orderId = this.orderId;
    if (!orderId) return;
    this.section.setAttribute('aria-busy', 'true');
    try {
      const [orderCase, me] = await Promise.all([this.api.orderCase(orderId), this.api.me()]);
      if (orderId !== this.orderId) return;
      this.render(orderCase, capabilitiesOf(me.grants));
    } catch (error) {
      const { followUp } = this.messages.failure(error);
      if (followUp === 'sign-in-again') this.signInAgain();
    } finally {
      this.section.removeAttribute('aria-busy');
    }
  }

  close(): void {
    this.orderId = null;
    this.section.replaceChildren();
  }

  private render(orderCase: OrderCase, capabilities: Capabilities): void {
    const { order } = orderCase;
    const actions = this.actions;
    const toolbar = el(
      'div',
      { className: 'case-toolbar' },
      el('button', { text: 'Reload', attrs: { type: 'button' }, onClick: whenDone(() => this.reload()) }),
      capabilities.cancel &&
        !FINAL_STATUSES.has(order.status) &&
        actions &&
        el('button', {
          className: 'danger',
          text: 'Force-cancel',
          attrs: { type: 'button' },
          onClick: whenDone(() => actions.forceCancel(order)),
        }),
    );
    const requestActions = (request: ReverseRequest, describedBy: string): Node[] => {
      if (!actions) return [];
      const described = { type: 'button', 'aria-describedby': describedBy };
      const nodes: Node[] = [];
      if (capabilities.approve) {
        nodes.push(
          el('button', {
            text: 'Approve',
            attrs: described,
            onClick: whenDone(() => actions.approve(request, capabilities)),
          }),
        );
        if (aboveCeiling(capabilities, request.amountCents)) {
          nodes.push(
            el('span', {
              className: 'hint',
              text: `above your approval ceiling of ${formatCents(capabilities.approveCeilingCents ?? 0, request.currency)}`,
            }),
          );
        }
      }
      if (capabilities.reject) {
        nodes.push(
          el('button', {
            text: 'Reject',
            attrs: described,
            onClick: whenDone(() => actions.reject(request)),
          }),
        );
      }
      return nodes;
    };
    this.section.replaceChildren(
      el('h2', { text: `Order ${order.id}`, attrs: { id: 'case-title' } }),
      toolbar,
      summary(order),
      lines(order),
      el('h3', { text: 'Timeline', attrs: { id: 'timeline-title' } }),
      renderTimeline(caseTimeline(orderCase), requestActions),
    );
  }
}

function summary(order: CaseOrder): HTMLDListElement {
  const money = (cents: number) => formatCents(cents, order.currency);
  const rows: [string, string][] = [
    ['Status', order.status],
    ['Kind', order.kind],
    ['Customer (user id)', order.userId],
    ['Merchant', order.merchantId],
    ['Total', money(order.totalCents)],
    ['Paid', money(order.paidCents)],
    ['Refunded or reserved', money(order.refundedCents)],
    ['Open reverse requests', String(order.openReverseRequests)],
    ['Placed', formatTime(order.createdAt)],
    ['Last change', formatTime(order.updatedAt)],
  ];
  if (order.address) rows.push(['Address', `${order.address.line1}, ${order.address.city}`]);
  if (order.note) rows.push(['Note', order.note]);
  return el(
    'dl',
    { className: 'summary', attrs: { 'aria-label': 'Order summary' } },
    ...rows.flatMap(([term, value]) => [
      el('dt', { text: term }),
      el('dd', { text: value, attrs: { 'data-field': term.toLowerCase().replace(/[^a-z]+/g, '-') } }),
    ]),
  );
}

function lines(order: CaseOrder): HTMLTableElement {
  const money = (cents: number) => formatCents(cents, order.currency);
  return el(
    'table',
    { className: 'lines' },
    el('caption', { text: 'Order lines' }),
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        ...['Item', 'Unit price', 'Quantity', 'Line total'].map((text) =>
          el('th', { text, attrs: { scope: 'col' } }),
        ),
      ),
    ),
    el(
      'tbody',
      {},
      ...order.items.map((line) =>
        el(
          'tr',
          {},
          el('td', { text: `${line.name} (${line.itemId})` }),
          el('td', { text: money(line.unitPriceCents) }),
          el('td', { text: String(line.quantity) }),
          el('td', { text: money(line.lineTotalCents) }),
        ),
      ),
    ),
  );
}
