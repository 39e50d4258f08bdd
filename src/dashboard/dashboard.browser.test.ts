// Proves the dashboard works in a real browser (Debian's headless Chromium, driven by
// playwright-core) against a real node (the BRICS demo network with generated traffic): a bank
// signs in, sees the quote with every fee before it sends a cross-border payment, sees it
// settle and opens its timeline; it cannot see another bank's payment; a payment held by
// screening reaches its central bank's review, is released there, and the bank sees it settle
// live; the central bank sees its currency's liquidity and supply; the operator sees health
// and service figures. It saves a screenshot of each view into test-results/screenshots/
// (CORRIDOR_SCREENSHOTS_DIR overrides it; docs/screenshots/ holds the copies the README shows).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { NODE_DEFAULTS } from '../server/node-config.js';
import { startNode, type RunningNode } from '../server/node.js';
import { formatMoney } from './web/src/money.js';
import { CHROMIUM_ARGS, requireChromium, skipWithoutChromium } from '../testing/chromium.js';

const WEB = fileURLToPath(new URL('./web/', import.meta.url));
const SHOTS =
  process.env['CORRIDOR_SCREENSHOTS_DIR'] ??
  fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
const LOCALE = 'en-US';

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the web app when there is no build, or the sources changed since the last one. */
async function ensureBuilt(): Promise<void> {
  const index = join(WEB, 'dist', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestSource(WEB)) return;
  const { build } = await import('vite');
  await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'error' });
}

interface Session {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught errors in the page: there must be none. */
  readonly errors: string[];
}

async function close(session: Session): Promise<void> {
  await session.context.close();
  assert.deepEqual(session.errors, [], 'errors in the page');
}

describe(
  'the dashboard in headless Chromium',
  { skip: skipWithoutChromium() },
  () => {
    let node: RunningNode;
    let browser: Browser;
    let dataDir: string;
    const keys = new Map<string, string>();

    before(async () => {
      await ensureBuilt();
      mkdirSync(SHOTS, { recursive: true });
      dataDir = mkdtempSync(join(tmpdir(), 'corridor-dashboard-'));
      node = await startNode({
        mode: 'demo',
        config: {
          ...NODE_DEFAULTS,
          dataDir,
          port: 0,
          host: '127.0.0.1',
          logLevel: 'silent',
          trafficPerSecond: 20,
        },
      });
      for (const key of node.keys) keys.set(key.participantId, key.key);
      browser = await chromium.launch({
        executablePath: requireChromium(),
        args: [...CHROMIUM_ARGS],
      });
    });

    after(async () => {
      await browser?.close();
      await node?.stop();
      if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
    });

    async function signIn(
      participantId: string,
      viewport = { width: 1280, height: 800 },
    ): Promise<Session> {
      const context = await browser.newContext({
        viewport,
        locale: LOCALE,
        colorScheme: 'light',
        reducedMotion: 'reduce',
      });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      // Console errors include Content-Security-Policy violations. (A refused request is logged
      // too: those the tests make on purpose are shown by the page, and checked there.)
      page.on('console', (message) => {
        const text = message.text();
        if (message.type() === 'error' && !text.startsWith('Failed to load resource'))
          errors.push(text);
      });
      await page.goto(`${node.url}/`);
      await page.getByLabel('API key').fill(keys.get(participantId) ?? '');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('navigation', { name: 'Views' }).waitFor();
      await page.locator('.live-live').waitFor();
      return { context, page, errors };
    }

    async function shot(page: Page, name: string): Promise<void> {
      // Let the second's stats frame and the charts settle before the picture.
      await page.waitForTimeout(1_200);
      const path = join(SHOTS, `${name}.png`);
      await page.screenshot({ path, animations: 'disabled' });
      assert.ok(statSync(path).size > 10_000, `${name}.png looks empty`);
    }

    async function navTo(page: Page, label: string): Promise<void> {
      await page
        .getByRole('navigation', { name: 'Views' })
        .getByRole('link', { name: label })
        .click();
      await page.getByRole('heading', { level: 1, name: label }).waitFor();
    }

    it("refuses a wrong key with the server's error", async () => {
      const context = await browser.newContext({ locale: LOCALE });
      const page = await context.newPage();
      await page.goto(`${node.url}/`);
      await page.getByLabel('API key').fill(`ck_0000000000000000_${'A'.repeat(43)}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const alert = page.getByRole('alert');
      await alert.getByText('Could not sign in').waitFor();
      assert.match(await alert.innerText(), /unauthenticated/);
      await shot(page, 'sign-in');
      await context.close();
    });

    it('a bank sends a cross-border payment: the quote and every fee first, then it settles', async () => {
      const session = await signIn('br-atlantico');
      const { page } = session;
      await navTo(page, 'Network');
      await page.locator('table tbody tr').first().waitFor();
      await navTo(page, 'Send a payment');
      await page.getByLabel('Creditor agent (the receiving bank)').selectOption('in-deccan');
      await page.getByLabel('Creditor (beneficiary) name').fill('Pune Foods Private Limited');
      await page.getByLabel('Amount in BRL').fill('25000.00');
      await page.getByLabel('Debtor (payer) name').fill('Soja Exportadora Ltda');
      await page.getByLabel(/Remittance information/).fill('Invoice 2026-0042');
      await page.getByRole('button', { name: 'Get quote' }).click();

      const quote = page.locator('dl.quote');
      await quote.waitFor();
      const rows = await quote.locator('.quote-row').allInnerTexts();
      assert.match(rows[0] ?? '', /You send\s+BRL\s25,000\.00/);
      assert.ok(
        rows.some((row) => /Scheme fee/.test(row)),
        `no scheme fee in ${rows.join(' | ')}`,
      );
      const debited = rows.find((row) => row.startsWith('Debited from your account')) ?? '';
      const credited = rows.find((row) => row.startsWith('Credited to')) ?? '';
      assert.match(debited, /BRL\s[0-9,]+\.[0-9]{2}/);
      assert.match(credited, /INR\s[0-9,]+\.[0-9]{2}/);
      assert.ok(rows.some((row) => /^Rate\s+1 BRL = [0-9.]+ INR/.test(row)));
      await shot(page, 'send-quote');

      await page.getByRole('button', { name: 'Confirm and send' }).click();
      await page.locator('.tracker-status').getByText('Credited').waitFor();
      const link = await page
        .getByRole('link', { name: 'Open payment details' })
        .getAttribute('href');
      const id = decodeURIComponent((link ?? '').replace('#/payments/', ''));
      const payment = node.network.payment(id);
      assert.ok(payment !== undefined, `no payment ${id}`);
      assert.equal(payment.status, 'ACCC');
      // What the page showed before sending is exactly what the ledger did.
      const exact = (minor: bigint, currency: string): string => {
        const text = minor.toString().padStart(3, '0');
        return formatMoney(`${text.slice(0, -2)}.${text.slice(-2)}`, currency, LOCALE);
      };
      assert.ok(
        debited.endsWith(exact(payment.debitAmount, 'BRL')),
        `${debited} vs ${payment.debitAmount}`,
      );
      assert.ok(
        credited.endsWith(exact(payment.creditAmount, 'INR')),
        `${credited} vs ${payment.creditAmount}`,
      );

      await page.getByRole('link', { name: 'Open payment details' }).click();
      await page.getByRole('heading', { name: 'Timeline' }).waitFor();
      const timeline = await page.locator('ol.timeline').innerText();
      for (const status of ['ACTC', 'ACSC', 'ACCC']) assert.match(timeline, new RegExp(status));
      assert.equal(
        await page.locator('section', { hasText: 'Ledger legs' }).locator('tbody tr').count(),
        3,
      );
      assert.match(
        await page.locator('section', { hasText: 'Quote, rate and fees' }).innerText(),
        /Mid rate/,
      );
      await shot(page, 'payment-detail');
      await close(session);
    });

    it("a bank sees only its own payments, and not another bank's even by its id", async () => {
      const session = await signIn('br-atlantico');
      const { page } = session;
      await navTo(page, 'Payments');
      await page.locator('table.payments-table tbody tr').first().waitFor();
      const parties = await page
        .locator('table.payments-table tbody td[data-label="From → to"]')
        .allInnerTexts();
      assert.ok(parties.length > 0);
      for (const text of parties) assert.match(text, /Banco Atlântico \(demo\)/);
      await shot(page, 'payments');

      const others = node.network.listPayments(
        {
          kind: 'payment',
          visibleTo: (p) => ![p.debtorAgent, p.creditorAgent].includes('br-atlantico'),
        },
        { limit: 1 },
      ).payments[0];
      assert.ok(others !== undefined, 'the traffic made no payment between other banks');
      await page.goto(`${node.url}/#/payments/${encodeURIComponent(others.id)}`);
      const alert = page.getByRole('alert');
      await alert.getByText('No such payment for you').waitFor();
      assert.match(await alert.innerText(), /not_found/);
      await close(session);
    });

    it('a payment held by screening is released by its central bank, and the bank sees it settle live', async () => {
      const bank = await signIn('br-atlantico');
      await navTo(bank.page, 'Send a payment');
      await bank.page.getByLabel('Creditor agent (the receiving bank)').selectOption('cn-yangtze');
      await bank.page.getByLabel('Creditor (beneficiary) name').fill('Aviatrans Anstalt');
      await bank.page.getByLabel('Amount in BRL').fill('1000.00');
      await bank.page.getByLabel('Debtor (payer) name').fill('Minas Iron Ore SA');
      await bank.page.getByRole('button', { name: 'Get quote' }).click();
      await bank.page.getByRole('button', { name: 'Confirm and send' }).click();
      await bank.page.locator('.tracker-status').getByText('Held for review').waitFor();
      const link = await bank.page
        .getByRole('link', { name: 'Open payment details' })
        .getAttribute('href');
      const id = decodeURIComponent((link ?? '').replace('#/payments/', ''));

      const central = await signIn('bcb');
      await navTo(central.page, 'Review');
      const card = central.page.locator('article.held', {
        has: central.page.locator(`a[href="${link}"]`),
      });
      await card.waitFor();
      assert.match(await card.innerText(), /matched AVIATRANS ANSTALT/);
      await shot(central.page, 'review');
      await card.getByRole('button', { name: 'Release' }).click();
      await card.getByRole('button', { name: 'Yes, release' }).click();
      await central.page.locator('.notice.ok').getByText('Credited').waitFor();
      assert.equal(node.network.payment(id)?.status, 'ACCC');
      // The bank's page learns it from the stream, without reloading.
      await bank.page.locator('.tracker-status').getByText('Credited').waitFor();
      await close(bank);

      await navTo(central.page, 'Liquidity');
      await central.page.getByRole('heading', { name: 'BRL supply' }).waitFor();
      const holders = await central.page
        .locator('section', { hasText: 'Accounts in BRL' })
        .locator('tbody th')
        .allInnerTexts();
      assert.ok(holders.some((text) => text.includes('Banco Atlântico')));
      assert.ok(
        holders.every((text) => !text.includes('Deccan')),
        'an INR bank in the BRL accounts',
      );
      assert.equal(await central.page.getByLabel('Currency').count(), 0);
      await shot(central.page, 'liquidity');
      await close(central);
    });

    it('the operator sees the whole network, its health and the service figures', async () => {
      const session = await signIn('operator');
      const { page } = session;
      const views = await page
        .getByRole('navigation', { name: 'Views' })
        .getByRole('link')
        .allInnerTexts();
      assert.deepEqual(views, [
        'Network',
        'Liquidity',
        'Payments',
        'Review',
        'Health',
        'Service figures',
      ]);
      await page.locator('table tbody tr').nth(4).waitFor();
      await shot(page, 'network');
      await navTo(page, 'Health');
      assert.match(await page.locator('.figures').first().innerText(), /Queue depth/);
      assert.match(
        await page.locator('section', { hasText: 'Hash chain' }).innerText(),
        /[0-9a-f]{64}/,
      );
      await shot(page, 'health');
      await navTo(page, 'Service figures');
      assert.match(await page.getByText('Credited within 1 hour').locator('..').innerText(), /%/);
      await shot(page, 'service');
      await close(session);
    });

    it('works at phone width', async () => {
      const session = await signIn('br-atlantico', { width: 390, height: 844 });
      const { page } = session;
      await navTo(page, 'Network');
      await page.locator('table tbody tr').first().waitFor();
      await shot(page, 'phone-network');
      await close(session);
    });
  },
);
