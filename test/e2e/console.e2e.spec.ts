import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { testToken, waitFor } from '@ledger/testing';
import type { Page } from 'playwright-core';
import { openConsoleBrowser, type ConsoleBrowser } from './support/browser';
import { LedgerClient } from './support/ledger-client';
import { RunningSystem } from './support/system';

// Every run keeps its screenshots under .stack/logs; CONSOLE_SCREENSHOTS_DIR=docs/console refreshes the
// README's (a test run leaves the working tree as it found it).
const SCREENSHOTS =
  process.env.CONSOLE_SCREENSHOTS_DIR ?? join(__dirname, '../../.stack/logs/e2e/screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });

// The operators' console in headless Chromium against the running system: projection lag, a poison event
// redriven from the page, and an account's state as of a moment; keyboard-driven where it matters.
describe('the ops console in a browser', () => {
  let system: RunningSystem;
  let ledger: LedgerClient;
  let browser: ConsoleBrowser;
  let page: Page;
  const accountsProjection = () => `${system.prefix}ledger.projector.accounts`;

  beforeAll(async () => {
    system = await RunningSystem.start({ CONSOLE_POLL_INTERVAL_MS: '500' });
    ledger = new LedgerClient(system);
    browser = await openConsoleBrowser();
    page = browser.page;
    await page.goto(`${system.url('ops-api')}/console/`);
    await page.getByLabel('Bearer token (role admin)').fill(await testToken('operator-1', 'admin'));
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // "Use token", reached with the keyboard
    await page.getByRole('heading', { name: 'Projections' }).waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.browser.close();
    await system?.stop();
  });

  afterEach(() => {
    expect(browser.errors).toEqual([]);
  });

  const lagShown = async () =>
    Number(
      await page
        .locator(`tr[data-projection="${accountsProjection()}"] [data-field="lag-events"]`)
        .textContent(),
    );

  const groupShown = () =>
    page.locator(`tr[data-projection="${accountsProjection()}"] [data-field="group"]`).textContent();

  it("shows a stopped projector's lag rising, and falling back to zero once it runs again", async () => {
    const account = await ledger.openAccount();
    await ledger.read(`/accounts/${account.accountId}`, account.globalPosition);
    await waitFor(async () => (await lagShown()) === 0, {
      timeoutMs: 30_000,
      what: 'the accounts projection caught up on the page',
    });
    await waitFor(async () => /^Stable, 1 member/.test((await groupShown()) ?? ''), {
      what: 'one member in the consumer group on the page',
    });
    await system.stopApp('projector-accounts');
    await waitFor(async () => /0 members/.test((await groupShown()) ?? ''), {
      timeoutMs: 30_000,
      what: 'the consumer group without members on the page',
    });
    for (let i = 1; i <= 5; i++)
      await ledger.command(`/accounts/${account.accountId}/deposits`, { amount: i });
    const first = await waitFor(async () => ((await lagShown()) >= 5 ? lagShown() : undefined), {
      what: 'the first lag on the page',
    });
    for (let i = 1; i <= 5; i++)
      await ledger.command(`/accounts/${account.accountId}/deposits`, { amount: i });
    await waitFor(async () => (await lagShown()) > first, { what: 'the lag rising on the page' });
    await expect(
      page.locator(`tr[data-projection="${accountsProjection()}"] canvas`).count(),
    ).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'projections.png') });
    await system.restartApp('projector-accounts');
    await waitFor(async () => (await lagShown()) === 0, {
      timeoutMs: 30_000,
      what: 'the lag back to zero on the page',
    });
  });

  it("shows a rebuild's progress and outcome, and the projection on the group the rebuild swapped in", async () => {
    const transfers = `${system.prefix}ledger.projector.transfers`;
    const [from, to] = [await ledger.openAccount(), await ledger.openAccount()];
    await ledger.command(`/accounts/${from.accountId}/deposits`, { amount: 500 });
    const transfer = await ledger.command(
      '/transfers',
      { fromAccountId: from.accountId, toAccountId: to.accountId, amount: 200, currency: 'EUR' },
      202,
    );
    await ledger.settledTransfer(transfer.transferId!);
    const rebuilding = system.ops(['projections', 'rebuild', 'transfers', '--keep', '--lag-bound', '0']);
    const row = page.locator('tr[data-rebuild="transfers/2"]');
    await row.waitFor({ timeout: 30_000 });
    await expect(rebuilding).resolves.toContain('swapped: transfers is version 2');
    await page.locator('tr[data-rebuild="transfers/2"][data-state="swapped"]').waitFor({ timeout: 30_000 });
    const applied = (await row.locator('[data-field="applied"]').textContent())?.trim() ?? '';
    expect(applied).toMatch(/^([1-9]\d*)\/\1$/);
    await expect(row.locator('td').last().textContent()).resolves.toBe('kept');
    await page.locator(`tr[data-projection="${transfers}.v2"]`).waitFor({ timeout: 30_000 });
    await page.getByRole('heading', { name: 'Rebuilds' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'rebuild.png') });
  });

  it('lists a poison event in dead letters, shows it decoded, and applies it after a redrive from the page', async () => {
    const poisoned = await ledger.openAccount();
    await ledger.read(`/accounts/${poisoned.accountId}`, poisoned.globalPosition);
    // A read-model defect that refuses one particular movement: the event is fine, the projection is not.
    await system.sql.query(
      'alter table account_statement_entries add constraint refuse_777 check (amount <> 777)',
    );
    await ledger.command(`/accounts/${poisoned.accountId}/deposits`, { amount: 777 });
    await ledger.command(`/accounts/${poisoned.accountId}/deposits`, { amount: 5 });
    const streamId = `account-${poisoned.accountId}`;

    await page.getByRole('link', { name: 'Dead letters' }).click();
    await page.getByLabel('Projection', { exact: true }).selectOption(accountsProjection());
    const row = page.locator(`tr[data-stream="${streamId}"]`);
    await waitFor(
      async () => {
        if ((await row.count()) > 0) return true;
        await page.getByRole('button', { name: 'Refresh' }).click();
        return false;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'the poison event in the dead letters on the page' },
    );
    await expect(row.textContent()).resolves.toContain('refuse_777');
    await row.getByRole('button', { name: /^Show dead letter/ }).click();
    await expect(page.getByLabel('Decoded event').textContent()).resolves.toMatch(/"amount": 777/);
    await page.screenshot({ path: join(SCREENSHOTS, 'dead-letters.png') });

    await system.sql.query('alter table account_statement_entries drop constraint refuse_777');
    await row.getByRole('button', { name: `Redrive ${streamId}` }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await expect(dialog.textContent()).resolves.toContain(
      `Redrive stream ${streamId} of ${accountsProjection()}`,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'dead-letters-confirm.png') });
    await dialog.getByRole('button', { name: 'Confirm redrive' }).click();
    await page.getByText(`Redriven: ${streamId}`).waitFor();
    await waitFor(async () => (await row.count()) === 0, {
      what: 'the redriven dead letter gone from the list without a reload',
    });

    const statement = await waitFor(
      async () => {
        const { body } = await system.query.get(`/accounts/${poisoned.accountId}/statement`).expect(200);
        return body.items.length === 2
          ? (body.items as Array<{ amount: number; balanceAfter: number }>)
          : undefined;
      },
      { timeoutMs: 30_000, what: 'the redriven deposit and the one behind it in the statement' },
    );
    expect(statement.map(({ amount, balanceAfter }) => [amount, balanceAfter])).toEqual([
      [777, 777],
      [5, 782],
    ]);
  });

  it("shows an account's balance as of a moment between two deposits, with the field that changed highlighted", async () => {
    const account = await ledger.openAccount();
    await ledger.command(`/accounts/${account.accountId}/deposits`, { amount: 100 });
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const second = await ledger.command(`/accounts/${account.accountId}/deposits`, { amount: 50 });
    const history = await ledger.read<{ items: Array<{ recordedAt: string }> }>(
      `/accounts/${account.accountId}/history`,
      second.globalPosition,
    );
    const [, firstDeposit, secondDeposit] = history.items.map((item) => Date.parse(item.recordedAt));
    const between = new Date((firstDeposit! + secondDeposit!) / 2).toISOString();

    await page.getByRole('link', { name: 'Stream inspector' }).click();
    await page.getByLabel('Account or transfer id').fill(account.accountId);
    await page.keyboard.press('Enter');
    const events = page.getByRole('table', { name: 'Events' });
    await events.locator('tbody tr').nth(2).waitFor();
    await expect(events.locator('tbody tr').count()).resolves.toBe(3);
    await expect(page.locator('[data-field="balance"]').textContent()).resolves.toContain('150');

    await page.getByLabel('As of', { exact: true }).fill(between);
    await page.keyboard.press('Enter');
    await page.getByText(`as of ${between}: version 2`).waitFor();
    await expect(page.locator('[data-field="balance"] td').textContent()).resolves.toBe('100');
    await expect(page.locator('[data-field="balance"] mark').count()).resolves.toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'inspector.png') });

    await page.getByRole('button', { name: 'Next version' }).click();
    await page.getByText('Version 3 of 3').waitFor();
    await expect(page.locator('[data-field="balance"] td').textContent()).resolves.toBe('150');
  });
});
