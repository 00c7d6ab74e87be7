import type { SearchDimension, StaffApi } from './api-client';
import type { OrderSummary } from './api-types';
import { el, whenDone } from './element';
import type { Messages } from './messages';
import { formatCents } from './money';
import { formatTime } from './time';

type SearchBy = 'orderId' | SearchDimension;

const DECIMAL_ID = /^[1-9][0-9]{0,18}$/;

const LABELS: Readonly<Record<SearchBy, string>> = {
  orderId: 'Order id',
  userId: 'User id',
  merchantId: 'Merchant id',
};

/**
 * Search: an order id opens that order's case; a user or merchant id lists their orders, newest
 * first, a page at a time.
 */
export class OrderSearch {
  private readonly by: HTMLSelectElement;
  private readonly value: HTMLInputElement;

  constructor(
    private readonly section: HTMLElement,
    private readonly results: HTMLElement,
    private readonly api: StaffApi,
    private readonly messages: Messages,
    private readonly openOrder: (orderId: string) => Promise<void>,
  ) {
    this.by = el(
      'select',
      { attrs: { id: 'search-by', name: 'by' } },
      ...(Object.keys(LABELS) as SearchBy[]).map((key) =>
        el('option', { text: LABELS[key], attrs: { value: key } }),
      ),
    );
    this.value = el('input', {
      attrs: { id: 'search-value', name: 'value', inputmode: 'numeric', autocomplete: 'off', required: '' },
    });
  }

  render(): void {
    const form = el(
      'form',
      { className: 'search-form', attrs: { role: 'search', 'aria-label': 'Find an order' } },
      el('label', { text: 'Search by', attrs: { for: 'search-by' } }),
      this.by,
      el('label', { text: 'Id', attrs: { for: 'search-value' } }),
      this.value,
      el('button', { text: 'Search', attrs: { type: 'submit' } }),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      whenDone(() => this.search())();
    });
    this.section.replaceChildren(el('h2', { text: 'Find an order', attrs: { id: 'search-title' } }), form);
    this.results.replaceChildren();
  }

  private async search(): Promise<void> {
    const by = this.by.value as SearchBy;
    const value = this.value.value.trim();
    if (!DECIMAL_ID.test(value)) {
      this.messages.error(`${LABELS[by]} is a positive whole number`);
      return;
    }
    this.messages.clear();
    if (by === 'orderId') {
      this.results.replaceChildren();
      await this.openOrder(value);
      return;
    }
    const list = el('ul', { className: 'results', attrs: { 'aria-labelledby': 'results-title' } });
    this.results.replaceChildren(
      el('h2', { text: `Orders of ${LABELS[by].toLowerCase()} ${value}`, attrs: { id: 'results-title' } }),
      list,
    );
    await this.loadPage(by, value, list);
  }

  private async loadPage(
    by: SearchDimension,
    value: string,
    list: HTMLElement,
    cursor?: string,
  ): Promise<void> {
    try {
      const page = await this.api.searchOrders(by, value, cursor);
      if (!cursor && page.items.length === 0)
        list.append(el('li', { className: 'hint', text: 'No orders.' }));
      list.append(...page.items.map((order) => this.resultItem(order)));
      this.results.querySelector('.more')?.remove();
      if (page.nextCursor) {
        const next = page.nextCursor;
        this.results.append(
          el('button', {
            className: 'more',
            text: 'More orders',
            attrs: { type: 'button' },
            onClick: whenDone(() => this.loadPage(by, value, list, next)),
          }),
        );
      }
    } catch (error) {
      this.messages.failure(error);
    }
  }

  private resultItem(order: OrderSummary): HTMLLIElement {
    return el(
      'li',
      { attrs: { 'data-order-id': order.id } },
      el('button', {
        text: `Open order ${order.id}`,
        attrs: { type: 'button' },
        onClick: whenDone(() => this.openOrder(order.id)),
      }),
      el('span', { className: `status status-${order.status.toLowerCase()}`, text: order.status }),
      el('span', { text: formatCents(order.totalCents, order.currency) }),
      el('span', { className: 'hint', text: `user ${order.userId}, merchant ${order.merchantId}` }),
      el('time', { text: formatTime(order.createdAt), attrs: { datetime: order.createdAt } }),
    );
  }
}
