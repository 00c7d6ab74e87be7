import type { StaffApi } from './api-client';
import { el, whenDone } from './element';
import type { Messages } from './messages';

export interface SignInHandlers {
  /** A token to try: the page keeps it only if /v1/cs/me accepts it. */
  readonly signedIn: (token: string) => Promise<void>;
}

const STAFF_ID = /^[1-9][0-9]{0,18}$/;

/**
 * The sign-in section: always "paste a staff token"; "sign in as staff id" only where the server
 * offers development sign-in (never in production).
 */
export async function renderSignIn(
  section: HTMLElement,
  api: StaffApi,
  messages: Messages,
  handlers: SignInHandlers,
): Promise<void> {
  section.replaceChildren(el('h2', { text: 'Sign in', attrs: { id: 'sign-in-title' } }));
  let devAvailable = false;
  try {
    devAvailable = await api.devSignInAvailable();
  } catch (error) {
    // Unreachable server: the token form still shows; the message says why nothing works yet.
    messages.failure(error);
  }
  if (devAvailable) section.append(devSignInForm(api, messages, handlers));
  section.append(tokenForm(handlers));
}

function devSignInForm(api: StaffApi, messages: Messages, handlers: SignInHandlers): HTMLFormElement {
  const input = el('input', {
    attrs: {
      id: 'dev-staff-id',
      name: 'staffId',
      inputmode: 'numeric',
      autocomplete: 'off',
      required: '',
      pattern: STAFF_ID.source.slice(1, -1),
    },
  });
  const form = el(
    'form',
    { className: 'card', attrs: { 'aria-labelledby': 'dev-sign-in-title' } },
    el('h3', { text: 'Development sign-in', attrs: { id: 'dev-sign-in-title' } }),
    el('p', { className: 'hint', text: 'Offered outside production only: any active staff member, by id.' }),
    el('label', { text: 'Staff id', attrs: { for: 'dev-staff-id' } }),
    input,
    el('button', { text: 'Sign in as staff id', attrs: { type: 'submit' } }),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    whenDone(async () => {
      const staffId = input.value.trim();
      if (!STAFF_ID.test(staffId)) {
        messages.error('A staff id is a positive whole number, such as 3');
        return;
      }
      try {
        const answer = await api.devSignIn(staffId);
        await handlers.signedIn(answer.token);
      } catch (error) {
        messages.failure(error);
      }
    })();
  });
  return form;
}

function tokenForm(handlers: SignInHandlers): HTMLFormElement {
  const input = el('textarea', {
    attrs: {
      id: 'staff-token',
      name: 'token',
      rows: '3',
      autocomplete: 'off',
      spellcheck: 'false',
      required: '',
    },
  });
  const form = el(
    'form',
    { className: 'card', attrs: { 'aria-labelledby': 'token-sign-in-title' } },
    el('h3', { text: 'Sign in with a staff token', attrs: { id: 'token-sign-in-title' } }),
    el('p', {
      className: 'hint',
      text: 'Paste the staff token (JWT) you were given; it stays in this tab only.',
    }),
    el('label', { text: 'Staff token', attrs: { for: 'staff-token' } }),
    input,
    el('button', { text: 'Use this token', attrs: { type: 'submit' } }),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    // Pasted tokens often carry the "Bearer " prefix or a line break.
    const token = input.value.trim().replace(/^Bearer\s+/i, '');
    if (token) whenDone(() => handlers.signedIn(token))();
  });
  return form;
}
