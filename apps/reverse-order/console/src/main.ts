import { ActionDialog } from './action-dialog';
import { ApiFailure } from './api-failure';
import { StaffApi } from './api-client';
import type { Me } from './api-types';
import { CaseActions } from './case-actions';
import { byId, el, whenDone } from './element';
import { Messages } from './messages';
import { OrderCaseView } from './order-case';
import { OrderSearch } from './search';
import { session } from './session';
import { renderSignIn } from './sign-in';

/**
 * The customer-service console: sign in, find an order, read its case, act on it. A client of the
 * public staff API only; the server decides every permission, the page only hides what it would
 * refuse.
 */
class ConsolePage {
  private readonly api = new StaffApi(() => session.token());
  private readonly messages = new Messages(byId('alert', HTMLElement), byId('notice', HTMLElement));
  private readonly who = byId('who', HTMLElement);
  private readonly signInSection = byId('sign-in', HTMLElement);
  private readonly workspace = byId('workspace', HTMLElement);
  private readonly orderCase = new OrderCaseView(byId('case', HTMLElement), this.api, this.messages, () =>
    this.signOut(),
  );
  private readonly search = new OrderSearch(
    byId('search', HTMLElement),
    byId('results', HTMLElement),
    this.api,
    this.messages,
    (orderId) => this.orderCase.open(orderId),
  );

  constructor() {
    this.orderCase.useActions(
      new CaseActions(this.api, new ActionDialog(document.body), this.messages, {
        reload: () => this.orderCase.reload(),
        signInAgain: () => this.signOut(),
      }),
    );
  }

  async start(): Promise<void> {
    if (session.token()) await this.enter();
    else await this.showSignIn();
  }

  /** Tries the token in the session: /v1/cs/me must accept it (known, active staff). */
  private async enter(): Promise<void> {
    let me: Me;
    try {
      me = await this.api.me();
    } catch (error) {
      this.messages.failure(error);
      // A refused token (bad, expired, or of no active staff member) is of no further use; after a
      // network failure it may still be good.
      if (error instanceof ApiFailure && error.problem.kind === 'refused') session.clear();
      await this.showSignIn();
      return;
    }
    this.messages.clear();
    this.who.replaceChildren(
      el('span', {
        text: `Signed in as ${me.name} (staff ${me.id}, ${me.role})`,
        attrs: { id: 'signed-in-as' },
      }),
      el('button', { text: 'Sign out', attrs: { type: 'button' }, onClick: () => this.signOut() }),
    );
    this.signInSection.hidden = true;
    this.signInSection.replaceChildren();
    this.workspace.hidden = false;
    this.search.render();
    this.orderCase.close();
  }

  private signOut(): void {
    session.clear();
    whenDone(() => this.showSignIn())();
  }

  private async showSignIn(): Promise<void> {
    this.who.replaceChildren();
    this.workspace.hidden = true;
    this.orderCase.close();
    this.signInSection.hidden = false;
    await renderSignIn(this.signInSection, this.api, this.messages, {
      signedIn: async (token) => {
        session.save(token);
        await this.enter();
      },
    });
  }
}

whenDone(() => new ConsolePage().start())();
