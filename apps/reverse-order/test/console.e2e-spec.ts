import 'reflect-metadata';
import { REDIS } from '@eos/cache';
import { EOS_CONFIG, EosConfig, mintToken } from '@eos/common';
import { Order, Permission } from '@eos/domain';
import { ShardDataSources, StaffRecord } from '@eos/persistence';
import { ShardRouter } from '@eos/sharding';
import { ReverseOrderFactory, RunningApp, createStaff, http, staffToken, startHttpApp } from '@eos/testing';
import Redis from 'ioredis';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Locator, Page, chromium } from 'playwright-core';
import { ReverseOrderModule } from '../src/reverse-order.module';

const REPOSITORY = join(__dirname, '..', '..', '..');
const CONSOLE_SOURCES = join(REPOSITORY, 'apps', 'reverse-order', 'console');
const CONSOLE_CONFIG = join(CONSOLE_SOURCES, 'vite.config.ts');
const BUILT_PAGE = join(REPOSITORY, 'dist', 'console', 'index.html');
const ARTIFACTS = join(REPOSITORY, 'test-artifacts', 'console');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const NETWORK_MESSAGE = 'Network problem: nothing was changed by this page; try again';
const CONFLICT_MESSAGE = 'Someone else acted on this first: reloaded';

interface RequestBody {
  id: string;
  status: string;
  amountCents: number;
}

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? newestSourceTime(path) : statSync(path).mtimeMs;
    newest = Math.max(newest, time);
  }
  return newest;
}

/**
 * Builds the console with Vite's build() when dist/console is missing or older than its sources.
 * In a child process: Vite is an ES module, which Jest's CommonJS runtime cannot import.
 */
function ensureConsoleBuilt(): void {
  if (existsSync(BUILT_PAGE) && statSync(BUILT_PAGE).mtimeMs >= newestSourceTime(CONSOLE_SOURCES)) return;
  execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { build } from 'vite'; await build({ configFile: ${JSON.stringify(CONSOLE_CONFIG)}, logLevel: 'warn' });`,
    ],
    { cwd: REPOSITORY, stdio: 'pipe' },
  );
  if (!existsSync(BUILT_PAGE)) throw new Error(`the console build wrote no ${BUILT_PAGE}`);
}

describe('customer-service console in a real browser (e2e: Chromium, real Postgres, Redis and RabbitMQ)', () => {
  let running: RunningApp;
  let config: EosConfig;
  let orders: ReverseOrderFactory;
  let browser: Browser;
  let admin: StaffRecord;
  let agent: StaffRecord;
  let supervisor: StaffRecord;
  const contexts: BrowserContext[] = [];
  /** Uncaught page errors and policy violations: any is a failure of the page. */
  const pageProblems: string[] = [];

  const tokenOf = (member: StaffRecord): string => staffToken(config.JWT_SECRET, member.id);
  const asStaff = <T>(member: StaffRecord, method: string, path: string, body?: unknown) =>
    http<T>(method, `${running.url}${path}`, { token: tokenOf(member), body });
  const customerRefund = async (order: Order, items: { itemId: string; quantity: number }[]) => {
    const answer = await http<{ request: RequestBody }>(
      'POST',
      `${running.url}/v1/orders/${order.id}/refunds`,
      {
        token: mintToken(config.JWT_SECRET, 'customer', order.userId),
        body: { items, reason: 'cold food' },
      },
    );
    expect(answer.status).toBe(201);
    return answer.body.request;
  };
  const requestStatus = async (orderId: string, requestId: string): Promise<string | undefined> => {
    const view = await asStaff<{ reverseRequests: RequestBody[] }>(admin, 'GET', `/v1/cs/orders/${orderId}`);
    return view.body.reverseRequests.find((request) => request.id === requestId)?.status;
  };

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) pageProblems.push(`policy: ${message.text()}`);
    });
    return page;
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  }

  async function signInAsStaffId(page: Page, member: StaffRecord): Promise<void> {
    await page.goto(`${running.url}/console`);
    await page.getByLabel('Staff id').fill(member.id);
    await page.getByRole('button', { name: 'Sign in as staff id' }).click();
    await page.getByText(`Signed in as ${member.name} (staff ${member.id}`).waitFor();
  }

  async function signInWithToken(page: Page, token: string): Promise<void> {
    await page.goto(`${running.url}/console/`);
    await page.getByLabel('Staff token', { exact: true }).fill(`Bearer ${token}`);
    await page.getByRole('button', { name: 'Use this token' }).click();
  }

  async function openOrder(page: Page, orderId: string): Promise<void> {
    await page.getByLabel('Search by').selectOption('orderId');
    await page.getByLabel('Id', { exact: true }).fill(orderId);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: `Order ${orderId}` }).waitFor();
  }

  const openEntry = (page: Page, requestId: string): Locator =>
    page.locator(`li[data-request-id="${requestId}"]`);
  const timeline = (page: Page): Locator => page.locator('ol.timeline');
  const alert = (page: Page, text: string): Promise<void> =>
    page.getByRole('alert').filter({ hasText: text }).waitFor();
  const notice = (page: Page, text: string): Promise<void> =>
    page.getByRole('status').filter({ hasText: text }).waitFor();

  /** Clicks an action, gives its reason in the dialog, and confirms. */
  async function act(page: Page, button: Locator, reason: string, confirm: string): Promise<void> {
    await button.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Reason/).fill(reason);
    await dialog.getByRole('button', { name: confirm, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: the console's browser tests need it. Install Debian's chromium ` +
          '(apt-get install chromium; .ci/run does) or set CHROMIUM_PATH to a Chromium executable.',
      );
    }
    ensureConsoleBuilt();
    mkdirSync(ARTIFACTS, { recursive: true });
    running = await startHttpApp(ReverseOrderModule, 'reverse-order');
    config = running.app.get<EosConfig>(EOS_CONFIG);
    orders = await ReverseOrderFactory.start(
      running.app.get<Redis>(REDIS),
      running.app.get(ShardDataSources),
      running.app.get(ShardRouter),
    );
    admin = await createStaff(running.app, { role: 'admin', name: 'Ada Admin' });
    agent = await createStaff(running.app, { role: 'agent', name: 'Alex Agent' });
    supervisor = await createStaff(running.app, { role: 'supervisor', name: 'Sam Supervisor' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    expect(pageProblems.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await orders?.close();
    await running?.close();
  });

  it('serves the built page under /console with its policy, and development sign-in outside production', async () => {
    const bare = await http('GET', `${running.url}/console`);
    // fetch follows the redirect to /console/.
    expect([bare.status, bare.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(bare.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await http('GET', `${running.url}/console/assets/nothing-here.js`)).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });

    expect(await http('GET', `${running.url}/v1/cs/dev-sign-in`)).toMatchObject({
      status: 200,
      body: { available: true },
    });
    const signedIn = await http<{ token: string; staffId: string }>(
      'POST',
      `${running.url}/v1/cs/dev-sign-in`,
      {
        body: { staffId: agent.id },
      },
    );
    expect([signedIn.status, signedIn.body.staffId]).toEqual([200, agent.id]);
    const me = await http<{ id: string; role: string }>('GET', `${running.url}/v1/cs/me`, {
      token: signedIn.body.token,
    });
    expect([me.status, me.body.id, me.body.role]).toEqual([200, agent.id, 'agent']);

    const gone = await createStaff(running.app, { role: 'agent' });
    expect(
      (await asStaff(admin, 'POST', `/v1/cs/staff/${gone.id}/deactivate`, { reason: 'left' })).status,
    ).toBe(200);
    for (const [staffId, status, code] of [
      ['987654321987654', 404, 'STAFF_NOT_FOUND'],
      [gone.id, 403, 'PERMISSION_DENIED'],
      ['0', 400, 'INVALID_ID'],
    ]) {
      const refused = await http('POST', `${running.url}/v1/cs/dev-sign-in`, { body: { staffId } });
      expect([staffId, refused.status, refused.body]).toEqual([
        staffId,
        status,
        expect.objectContaining({ code }),
      ]);
    }
  });

  it('an agent finds an order, approves a refund within their ceiling, is refused above it, and sees a supervisor act', async () => {
    // Twice the test cart: 11,300 cents paid; lines share it as 6,780 / 1,695 / 2,825.
    const order = await orders.delivered({ scale: 2 });
    const within = await customerRefund(order, [{ itemId: '9002', quantity: 1 }]);
    const above = await customerRefund(order, [{ itemId: '9001', quantity: 2 }]);
    const third = await customerRefund(order, [{ itemId: '9003', quantity: 1 }]);
    expect([within.amountCents, above.amountCents]).toEqual([1695, 6780]);

    const page = await newPage();
    await signInAsStaffId(page, agent);
    await openOrder(page, order.id);
    await timeline(page).getByText('DELIVERING → DELIVERED').waitFor();
    expect(await page.locator('ol.timeline > li[data-kind="status"]').count()).toBe(6);
    expect(await page.locator('ol.timeline > li[data-kind="request"]').count()).toBe(3);
    expect(await page.locator('dd[data-field="paid"]').textContent()).toBe('113.00 CNY');
    // An agent holds neither order.cancel nor an unlimited approval.
    expect(await page.getByRole('button', { name: 'Force-cancel' }).count()).toBe(0);
    await openEntry(page, above.id).getByText('above your approval ceiling of 50.00 CNY').waitFor();
    await screenshot(page, '01-agent-case');

    await act(
      page,
      openEntry(page, within.id).getByRole('button', { name: 'Approve' }),
      'photo shows it',
      'Approve',
    );
    await notice(page, `Approved request ${within.id} (16.95 CNY): refund`);
    await timeline(page).getByText('Refund request 16.95 CNY approved').waitFor();
    await timeline(page).locator('li[data-kind="refund"]').getByText('Refund 16.95 CNY created').waitFor();
    expect(await openEntry(page, within.id).count()).toBe(0);
    expect(await orders.money(order.id)).toMatchObject({ refundRows: 1, refundRowsCents: 1695 });
    await screenshot(page, '02-approved-within-ceiling');

    await act(
      page,
      openEntry(page, above.id).getByRole('button', { name: 'Approve' }),
      'customer insists',
      'Approve',
    );
    await alert(page, 'Your role cannot approve refunds above 50.00 CNY');
    expect(await requestStatus(order.id, above.id)).toBe('AWAITING_STAFF');
    expect(await orders.money(order.id)).toMatchObject({ refundRows: 1, refundRowsCents: 1695 });
    expect((await orders.auditRows(order.id)).map((row) => row.action)).toEqual(['reverse_request.approve']);
    await screenshot(page, '03-refused-above-ceiling');

    // Meanwhile a supervisor rejects the third request through the API; a reload shows it.
    const rejected = await asStaff<{ request: RequestBody }>(
      supervisor,
      'POST',
      `/v1/cs/reverse-requests/${third.id}/reject`,
      { reason: 'duplicate of the first' },
    );
    expect([rejected.status, rejected.body.request.status]).toEqual([200, 'REJECTED']);
    await page.getByRole('button', { name: 'Reload' }).click();
    const decided = page.locator(`li[data-key="request-${third.id}-decided"]`);
    await decided.getByText(`by staff:${supervisor.id}`).waitFor();
    expect(await decided.locator('.entry-title').textContent()).toMatch(/rejected$/);
    expect(await openEntry(page, third.id).count()).toBe(0);
    await openEntry(page, above.id).waitFor();
    await screenshot(page, '04-supervisor-action-after-reload');
  });

  it('says someone else acted first, and reloads the case, when another staff member decided meanwhile', async () => {
    const order = await orders.delivered();
    const asked = await customerRefund(order, [{ itemId: '9002', quantity: 1 }]);
    const page = await newPage();
    await signInAsStaffId(page, agent);
    await openOrder(page, order.id);
    const approve = openEntry(page, asked.id).getByRole('button', { name: 'Approve' });
    await approve.waitFor();

    const first = await asStaff(supervisor, 'POST', `/v1/cs/reverse-requests/${asked.id}/approve`, {
      reason: 'called the customer',
    });
    expect(first.status).toBe(200);

    await act(page, approve, 'photo shows it', 'Approve');
    await alert(page, CONFLICT_MESSAGE);
    await page
      .locator(`li[data-key="request-${asked.id}-decided"]`)
      .getByText(`by staff:${supervisor.id}`)
      .waitFor();
    expect(await openEntry(page, asked.id).count()).toBe(0);
    expect(await orders.money(order.id)).toMatchObject({ refundRows: 1, refundRowsCents: 848 });
    expect((await orders.auditRows(order.id)).map((row) => row.staffId)).toEqual([supervisor.id]);
    await screenshot(page, '05-conflict-reloaded');
  });

  it('says a network failure in words, and nothing changes', async () => {
    const order = await orders.delivered();
    const asked = await customerRefund(order, [{ itemId: '9003', quantity: 1 }]);
    const page = await newPage();
    await signInAsStaffId(page, agent);
    await openOrder(page, order.id);
    await page.route('**/v1/cs/reverse-requests/*/approve', (route) => route.abort('internetdisconnected'));

    await act(
      page,
      openEntry(page, asked.id).getByRole('button', { name: 'Approve' }),
      'photo shows it',
      'Approve',
    );
    await alert(page, NETWORK_MESSAGE);
    expect(await requestStatus(order.id, asked.id)).toBe('AWAITING_STAFF');
    expect(await orders.money(order.id)).toMatchObject({ refundRows: 0, openReverseRequests: 1 });
    await openEntry(page, asked.id).getByRole('button', { name: 'Approve' }).waitFor();
    await screenshot(page, '06-network-failure');
  });

  it('hides what a role may not do, and says so when the server refuses a permission revoked meanwhile', async () => {
    const canceller = await createStaff(running.app, { role: 'supervisor', name: 'Casey Canceller' });
    const reader = await createStaff(running.app, {
      role: 'agent',
      name: 'Robin Reader',
      grants: [{ permission: Permission.OrderRead, ceilingCents: null }],
    });
    const order = await orders.accepted();
    const asked = await customerRefund(order, [{ itemId: '9002', quantity: 1 }]);

    // Read-only staff: the case, and not one action button.
    const readOnly = await newPage();
    await signInWithToken(readOnly, tokenOf(reader));
    await readOnly.getByText(`Signed in as ${reader.name}`).waitFor();
    await openOrder(readOnly, order.id);
    await openEntry(readOnly, asked.id).waitFor();
    for (const name of ['Approve', 'Reject', 'Force-cancel']) {
      expect([name, await readOnly.getByRole('button', { name }).count()]).toEqual([name, 0]);
    }

    // A supervisor signed in with a pasted token sees Force-cancel; it is revoked before the click.
    const page = await newPage();
    await signInWithToken(page, tokenOf(canceller));
    await page.getByText(`Signed in as ${canceller.name}`).waitFor();
    await openOrder(page, order.id);
    const forceCancel = page.getByRole('button', { name: 'Force-cancel' });
    await forceCancel.waitFor();
    const revoked = await http(
      'DELETE',
      `${running.url}/v1/cs/staff/${canceller.id}/grants/order.cancel?reason=${encodeURIComponent('training first')}`,
      { token: tokenOf(admin) },
    );
    expect(revoked.status).toBe(200);
    await act(page, forceCancel, 'customer asked', 'Force-cancel');
    await alert(page, 'Your role does not allow this: permission order.cancel is required');
    expect(
      (
        await http<{ status: string }>('GET', `${running.url}/v1/cs/orders/${order.id}`, {
          token: tokenOf(admin),
        })
      ).body,
    ).toMatchObject({ order: { status: 'ACCEPTED' } });
    await page.getByRole('button', { name: 'Reload' }).click();
    await page.locator('#case:not([aria-busy])').waitFor();
    await openEntry(page, asked.id).getByRole('button', { name: 'Approve' }).waitFor();
    expect(await forceCancel.count()).toBe(0);
    await screenshot(page, '07-permission-revoked');

    // With the grant, force-cancel goes through: the order is cancelled, its open request rejected.
    const supervisorPage = await newPage();
    await signInAsStaffId(supervisorPage, supervisor);
    await openOrder(supervisorPage, order.id);
    await act(
      supervisorPage,
      supervisorPage.getByRole('button', { name: 'Force-cancel' }),
      'merchant closed',
      'Force-cancel',
    );
    await notice(supervisorPage, `Order ${order.id} is CANCELLED`);
    await timeline(supervisorPage).getByText('ACCEPTED → CANCELLED').waitFor();
    expect(await supervisorPage.getByRole('button', { name: 'Force-cancel' }).count()).toBe(0);
    expect(await requestStatus(order.id, asked.id)).toBe('REJECTED');
    await screenshot(supervisorPage, '08-force-cancelled');
  });

  it('refuses a token that is not a staff token, and keeps the visitor on sign-in', async () => {
    const page = await newPage();
    await signInWithToken(page, mintToken(config.JWT_SECRET, 'customer', '42'));
    await alert(page, 'Your role does not allow this');
    await page.getByRole('button', { name: 'Use this token' }).waitFor();
    expect(await page.evaluate('sessionStorage.length')).toBe(0);

    await signInWithToken(page, 'not-a-token');
    await alert(page, 'Your sign-in is no longer valid: sign in again');
    expect(await page.locator('#workspace').isHidden()).toBe(true);
    await screenshot(page, '09-sign-in-refused');
  });
});
