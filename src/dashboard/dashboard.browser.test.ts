// Proves the dashboard works in a real browser (Debian's headless Chromium, driven by
// playwright-core) against a real node (the BRICS demo network with generated traffic): a bank
// signs in, sees the quote with every fee before it sends a cross-border payment, refreshes
// the quote when it expires, sees the Sent screen (its pmt_ id, amounts, rate, fees), sees it
// settle and opens its timeline; it cannot see another bank's payment; a payment held by
// screening reaches its central bank's review, is released there, and the bank sees it settle
// live; the central bank sees its currency's liquidity and supply (a chart that names every
// account as the table does); the operator sees the map with its legend and no name on an
// arrow, wide supplies abbreviated with their exact value, health and service figures. It
// saves a screenshot of each view into test-results/screenshots/ (CORRIDOR_SCREENSHOTS_DIR
// overrides it; docs/screenshots/ holds the copies the README shows).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { NODE_DEFAULTS } from '../server/node-config.js';
import { startNode, type RunningNode } from '../server/node.js';
import { formatMoney } from './web/src/money.js';
import { CHROMIUM_ARGS, requireChromium, skipWithoutChromium } from '../testing/chromium.js';
import { ensureDashboardBuilt } from '../testing/dashboard-build.js';

const SHOTS =
  process.env['CORRIDOR_SCREENSHOTS_DIR'] ??
  fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
const LOCALE = 'en-US';


/**
 * Run in the page: every country name on the corridor map, and what it collides with (another
 * name, a dot, an arrow: a point of its path within half its stroke width of the name's box).
 */
const MAP_COLLISIONS = `(() => {
  const svg = document.querySelector('svg.corridor-map');
  const labels = [...svg.querySelectorAll('text.node-label')].map((t) => ({ name: t.textContent, box: t.getBBox() }));
  const dots = [...svg.querySelectorAll('.node circle')].map((c) => c.getBBox());
  const edges = [...svg.querySelectorAll('path.edge')];
  const hit = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  const problems = [];
  labels.forEach((label, i) => {
    labels.forEach((other, j) => { if (i < j && hit(label.box, other.box)) problems.push(label.name + ' on ' + other.name); });
    dots.forEach((dot) => { if (hit(label.box, dot)) problems.push(label.name + ' on a dot'); });
    for (const edge of edges) {
      const half = parseFloat(edge.getAttribute('stroke-width')) / 2;
      const length = edge.getTotalLength();
      for (let at = 0; at <= length; at += 2) {
        const p = edge.getPointAtLength(at);
        const b = label.box;
        if (p.x > b.x - half && p.x < b.x + b.width + half && p.y > b.y - half && p.y < b.y + b.height + half) {
          problems.push(label.name + ' on the arrow ' + edge.querySelector('title').textContent);
          break;
        }
      }
    }
  });
  return { labels: labels.length, edges: edges.length, problems };
})()`;

/** Run in the page: the Liquidity table's accounts as the chart should name them; the legend. */
const CHART_AND_TABLE = `(() => {
  const section = [...document.querySelectorAll('section')].find((s) => /^Accounts in /.test(s.querySelector('h2')?.textContent ?? ''));
  const table = [...section.querySelectorAll('tbody tr')].map((row) => {
    const name = row.querySelector('th .participant').firstChild.textContent.trim();
    const role = row.querySelector('td[data-label="Account"]').textContent.trim();
    return { name, role };
  }).filter((row) => !row.role.startsWith('Issuance')).map((row) => row.role === 'Settlement' ? row.name : row.name + ' · ' + row.role);
  const figure = [...document.querySelectorAll('figure.chart')].find((f) => /^Balances in /.test(f.querySelector('.chart-title').textContent));
  const legend = [...figure.querySelectorAll('.u-legend .u-series')].slice(1).map((row) => row.querySelector('.u-label').textContent.trim());
  const note = figure.parentElement.querySelector('.chart-note')?.textContent ?? '';
  return { table, legend, note };
})()`;

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

describe('the dashboard in headless Chromium', { skip: skipWithoutChromium() }, () => {
  let node: RunningNode;
  let browser: Browser;
  let dataDir: string;
  const keys = new Map<string, string>();

  before(async () => {
    await ensureDashboardBuilt();
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
    options: { fakeClock?: boolean } = {},
  ): Promise<Session> {
    const context = await browser.newContext({
      viewport,
      locale: LOCALE,
      colorScheme: 'light',
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    // A clock the test can move forward (it runs as the real one until then).
    if (options.fakeClock === true) await page.clock.install();
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

  it('a bank sends a cross-border payment: the quote and every fee first, a refreshed quote when it expires, then it settles', async () => {
    const session = await signIn('br-atlantico', undefined, { fakeClock: true });
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
    const quoteRows = async () => {
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
      const rate = rows.find((row) => /^Rate\s+1 BRL = [0-9.]+ INR/.test(row)) ?? '';
      assert.ok(rate !== '', rows.join(' | '));
      return { debited, credited, rate };
    };
    await quoteRows();
    await shot(page, 'send-quote');

    // The quote expires (60 s): sending is off, and "Refresh quote" gets a new one.
    const confirm = page.getByRole('button', { name: 'Confirm and send' });
    assert.equal(await page.getByRole('button', { name: 'Refresh quote' }).count(), 0);
    await page.clock.fastForward(61_000);
    await page.getByRole('alert').getByText('This quote has expired').waitFor();
    assert.equal(await confirm.isDisabled(), true);
    await page.getByRole('button', { name: 'Refresh quote' }).click();
    await page.getByText(/^Firm for /).waitFor();
    assert.equal(await confirm.isEnabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Refresh quote' }).count(), 0);
    const { debited, credited, rate } = await quoteRows();

    await confirm.click();
    await page.locator('.tracker-status').getByText('Credited').waitFor();
    const link = await page
      .getByRole('link', { name: 'Open payment details' })
      .getAttribute('href');
    const id = decodeURIComponent((link ?? '').replace('#/payments/', ''));
    const payment = (await node.network.reads.payment(id));
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

    // The confirmation: the payment's id (the API's pmt_ scheme, not idem-…), the amounts,
    // the rate, the fees and the status.
    const sent = page.locator('dl.sent-facts');
    const fact = async (term: string): Promise<string> =>
      sent.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd[1]').innerText();
    const shownId = await fact('Payment id');
    assert.match(shownId, /^pmt_[0-9a-f]{32}$/);
    assert.equal(payment.clientId, shownId);
    assert.ok(
      (await fact('Debited from your account')).endsWith(exact(payment.debitAmount, 'BRL')),
    );
    assert.ok(
      (await fact('Credited to the receiving bank')).endsWith(exact(payment.creditAmount, 'INR')),
    );
    const rateOf = (text: string): string => /1 BRL = [0-9.]+ INR/.exec(text)?.[0] ?? 'none';
    assert.equal(rateOf(await fact('Rate')), rateOf(rate));
    assert.match(await fact('Fees'), /scheme fee to the network operator/);
    assert.match(await fact('Status'), /Credited/);
    await shot(page, 'send-sent');

    await page.getByRole('link', { name: 'Open payment details' }).click();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    const timeline = await page.locator('ol.timeline').innerText();
    for (const status of ['ACTC', 'ACSC', 'ACCC']) assert.match(timeline, new RegExp(status));
    assert.equal(
      await page.locator('section', { hasText: 'Ledger legs' }).locator('tbody tr').count(),
      3,
    );
    // The quote is fetched after the payment renders: wait for it rather than read at once.
    const quoteSection = page.locator('section', { hasText: 'Quote, rate and fees' });
    await quoteSection.getByText('Mid rate').waitFor();
    assert.match(await quoteSection.innerText(), /Mid rate/);
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

    const others = (await node.network.reads.payments({ kind: 'payment' }, { limit: 500 }))
      .payments.find((p) => ![p.debtorAgent, p.creditorAgent].includes('br-atlantico'));
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
    assert.equal((await node.network.reads.payment(id))?.status, 'ACCC');
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
    // The chart names every account of the table as the table does, or says which it left out.
    await central.page.locator('figure.chart .u-legend').first().waitFor();
    const chart = (await central.page.evaluate(CHART_AND_TABLE)) as {
      table: string[];
      legend: string[];
      note: string;
    };
    assert.ok(chart.table.length >= 7, JSON.stringify(chart));
    const hidden = chart.table.filter((label) => !chart.legend.includes(label));
    assert.deepEqual(
      chart.legend,
      chart.table.filter((label) => !hidden.includes(label)),
      'the legend is not the table',
    );
    if (hidden.length === 0) assert.match(chart.note, /^All [0-9]+ accounts shown/);
    for (const label of hidden) assert.ok(chart.note.includes(label), `${label} hidden silently`);
    // The supply is wide: abbreviated, the exact figure its title and what a reader hears.
    const supply = central.page.locator('.figure', { hasText: 'In circulation' }).locator('.money');
    const title = (await supply.getAttribute('title')) ?? '';
    if ((await supply.getAttribute('class'))?.includes('compact') === true) {
      assert.match(
        await supply.locator('[aria-hidden="true"]').innerText(),
        /^BRL\s[0-9.]+[KMBT]$/,
      );
      assert.equal(await supply.locator('.visually-hidden').textContent(), title);
    }
    assert.match(title, /^BRL\s[0-9,]+\.[0-9]{2}$/);
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
      'Simulation',
    ]);
    await page.locator('table tbody tr').nth(4).waitFor();
    // The map says what its marks mean, and no name sits on an arrow, a dot or another name.
    const legend = await page.getByRole('group', { name: 'Map legend' }).innerText();
    assert.match(legend, /Arrow colour: the paying currency/);
    assert.match(legend, /Width: payments settled today/);
    const map = (await page.evaluate(MAP_COLLISIONS)) as {
      labels: number;
      edges: number;
      problems: string[];
    };
    assert.equal(map.labels, 9);
    assert.ok(map.edges >= 5, `only ${map.edges} arrows`);
    assert.deepEqual(map.problems, []);
    // A supply of hundreds of billions of rials (the demo funds by flows) fits its card:
    // abbreviated, exact on hover and when read.
    const irr = page.locator('ul.members li', { hasText: 'IRR' });
    const supply = irr.locator('.member-supply .money');
    assert.match(await supply.locator('[aria-hidden="true"]').innerText(), /^IRR\s[0-9.]+[BT]$/);
    const exactSupply = (await supply.getAttribute('title')) ?? '';
    assert.match(exactSupply, /^IRR\s[0-9]{1,3}(,[0-9]{3}){3,}\.[0-9]{2}$/);
    assert.equal(await supply.locator('.visually-hidden').textContent(), exactSupply);
    const overflowing = await page.evaluate(
      `[...document.querySelectorAll('ul.members li')].filter((card) => card.scrollWidth > card.clientWidth).map((card) => card.textContent)`,
    );
    assert.deepEqual(overflowing, []);
    await shot(page, 'network');
    await navTo(page, 'Health');
    assert.match(await page.locator('.figures').first().innerText(), /Queue depth/);
    assert.match(
      await page.locator('section', { hasText: 'Hash chain' }).innerText(),
      /[0-9a-f]{64}/,
    );
    await shot(page, 'health');
    await navTo(page, 'Service figures');
    assert.match(
      await page.getByText('Credited within 1 hour', { exact: true }).locator('..').innerText(),
      /%/,
    );
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
});
