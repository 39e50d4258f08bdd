// Proves the dashboard's Liquidity view in a real browser (headless Chromium) against a real
// server on embedded SQLite: the three-bank gridlock (src/engine/liquidity/_gridlock.ts). The
// operator
// watches the settlement queue fill as two payments wait, then the third resolves the gridlock:
// the queue empties, a gridlock is resolved, 100.00 settles through offsetting in each currency,
// the charts of the queue and of liquidity used against the bounds render, and every figure
// shows its definition. A central bank sees its own currency only; a bank sees its own figures
// and no one else's. No page errors throughout. It saves a screenshot (liquidity-queue.png) into
// test-results/screenshots/ (CORRIDOR_SCREENSHOTS_DIR overrides it).
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildServer } from '../api/server.js';
import { GRIDLOCK_BANKS, gridlockConfig } from '../testing/gridlock.js';
import { createKeys } from '../service/bootstrap.js';
import { openNetwork, type Network } from '../service/service.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import { CHROMIUM_ARGS, requireChromium, skipWithoutChromium } from '../testing/chromium.js';
import { ensureDashboardBuilt } from '../testing/dashboard-build.js';
import { LIQUIDITY_DEFINITIONS, meaning } from './definitions.js';
import { dashboardPlugin } from './plugin.js';

const SHOTS =
  process.env['CORRIDOR_SCREENSHOTS_DIR'] ??
  fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
/** A fixed morning (UTC), moving with real time: no day ends during the test, whatever the date. */
const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);


describe('the Liquidity view in headless Chromium', { skip: skipWithoutChromium() }, () => {
  let network: Network;
  let app: FastifyInstance;
  let url: string;
  let browser: Browser;
  const keys: Record<string, string> = {};

  before(async () => {
    await ensureDashboardBuilt();
    mkdirSync(SHOTS, { recursive: true });
    const started = Date.now();
    const clock = (): number => T0 + (Date.now() - started);
    network = await openNetwork({
      store: new SqliteStore({ path: ':memory:' }),
      batchDelayMs: 0,
      clock,
    });
    const results = await network.configureFrom(gridlockConfig(true), clock());
    assert.deepEqual(
      results.filter((result) => result.code !== 'ok'),
      [],
    );
    const ids = network.participants().map((participant) => participant.id);
    for (const key of await createKeys(network, ids)) keys[key.participantId] = key.key;
    ({ app } = await buildServer({ logLevel: false, network, plugins: [dashboardPlugin()] }));
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath: requireChromium(),
      args: [...CHROMIUM_ARGS],
    });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await network?.close();
  });

  /** Quotes and sends bank `index`'s 100.00 over HTTP; returns the payment's status. */
  async function pay(index: number): Promise<string> {
    const bank = GRIDLOCK_BANKS[index] as (typeof GRIDLOCK_BANKS)[number];
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${keys[bank.id] ?? ''}`,
        },
        body: JSON.stringify(body),
      });
      const json = (await response.json()) as { status?: string };
      assert.ok(response.status < 300, `${path}: ${response.status} ${JSON.stringify(json)}`);
      return json;
    };
    await post('/v1/quotes', {
      id: `q-${index}`,
      sourceCurrency: bank.currency,
      targetCurrency: bank.target,
      fixed: 'send',
      amount: '100.00',
    });
    const paid = await post('/v1/payments', {
      id: `p-${index}`,
      creditorAgent: bank.pays,
      quoteId: `q-${index}`,
      debtor: { name: 'Importer' },
      creditor: { name: 'Exporter' },
      endToEndId: `e2e-${index}`,
    });
    return paid.status ?? '';
  }

  async function open(participantId: string): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'en-US',
      colorScheme: 'light',
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        errors.push(message.text());
    });
    await page.goto(`${url}/`);
    await page.getByLabel('API key').fill(keys[participantId] ?? '');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.live-live').waitFor();
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link', { name: 'Liquidity' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Liquidity' }).waitFor();
    return { page, errors };
  }

  it('shows the queue fill and empty as a gridlock is queued and resolved, live', async () => {
    const operator = await open('operator');
    const { page } = operator;
    await page.getByRole('heading', { name: 'Settlement queue in BRL' }).waitFor();
    const queueFigures = page.locator('dl[aria-label^="Settlement queue and offsetting"]');
    /** A figure's value (one that reads `text`, when given: wait for it). */
    const value = (label: string, text?: RegExp) =>
      queueFigures
        .locator('.figure', { has: page.locator(`dt:text-is("${label}")`) })
        .locator('.figure-value', text === undefined ? {} : { hasText: text });
    assert.equal(await value('Queued payments').innerText(), '0');

    // Two payments wait: the queue fills (BRL holds br-bank's), live, without a reload.
    assert.equal(await pay(0), 'ACSP');
    assert.equal(await pay(1), 'ACSP');
    await value('Queued payments', /^1$/).waitFor();
    assert.match(await value('Queued value').innerText(), /BRL\s100\.00/);
    // Let the queue chart take a few points at 1 before the gridlock resolves.
    await page.waitForTimeout(2_500);

    // The third closes the cycle: all three settle in one pass, through offsetting.
    assert.equal(await pay(2), 'ACCC');
    await value('Gridlocks resolved', /^1$/).waitFor();
    assert.equal(await value('Queued payments').innerText(), '0');
    assert.match(await value('Settled through offsetting').innerText(), /BRL\s100\.00/);
    assert.match(await value('Settled within 1 hour').innerText(), /^100(\.0)?%$/);
    assert.match(await value('Queue time p50 / p99').innerText(), /\//);

    // Every figure shows its definition beside it.
    const hints = await page.locator('.figure .figure-hint').allInnerTexts();
    for (const definition of [
      LIQUIDITY_DEFINITIONS.queued,
      LIQUIDITY_DEFINITIONS.offset,
      LIQUIDITY_DEFINITIONS.gridlocks,
      LIQUIDITY_DEFINITIONS.peak,
      LIQUIDITY_DEFINITIONS.upper,
      LIQUIDITY_DEFINITIONS.lower,
      LIQUIDITY_DEFINITIONS.saved,
    ]) {
      assert.ok(hints.includes(meaning(definition)), `no definition: ${definition}`);
    }
    const bounds = page.locator('dl[aria-label^="Liquidity used and the day\'s bounds"]');
    for (const label of [
      'Peak liquidity used',
      'Upper bound (gross, no queue)',
      'Lower bound (net at day end)',
    ]) {
      assert.match(
        await bounds
          .locator('.figure', { has: page.locator(`dt:text-is("${label}")`) })
          .innerText(),
        /BRL\s[0-9,]+\.[0-9]{2}/,
      );
    }

    // The charts: the queue (count and value) and liquidity used against the bounds, drawn.
    const titles = await page.locator('figure.chart .chart-title').allInnerTexts();
    for (const title of [
      'Queued payments in BRL over time',
      'Queued value in BRL over time',
      "Liquidity used against the day's bounds in BRL",
    ]) {
      assert.ok(titles.includes(title), `no chart ${title}: ${titles.join(' | ')}`);
    }
    const boundsChart = page.locator('figure.chart', {
      has: page.locator('.chart-title', { hasText: "Liquidity used against the day's bounds" }),
    });
    const legend = await boundsChart.locator('.u-legend .u-series .u-label').allInnerTexts();
    assert.deepEqual(legend.slice(1), ['Used now', 'Peak used', 'Upper bound', 'Lower bound']);
    assert.ok((await boundsChart.locator('canvas').count()) > 0);
    // The legend shows the newest values, not those of the chart's first drawing (all 0.00).
    const upper = await bounds
      .locator('.figure', { has: page.locator('dt:text-is("Upper bound (gross, no queue)")') })
      .locator('.figure-value')
      .innerText();
    assert.notEqual(upper, 'BRL 0.00');
    await boundsChart
      .locator('.u-legend .u-series', { hasText: 'Upper bound' })
      .locator('.u-value', { hasText: upper })
      .waitFor({ timeout: 5_000 });
    // The queue chart saw the queue at 1 and back at 0.
    const seen = await page.evaluate(`(() => {
      const figure = [...document.querySelectorAll('figure.chart')].find((f) => f.querySelector('.chart-title').textContent === 'Queued payments in BRL over time');
      return figure.querySelector('.visually-hidden').textContent;
    })()`);
    assert.match(String(seen), /now 0\./);

    // Per participant: br-bank's row shows its 100.00 offset.
    const row = page
      .locator('section', { has: page.getByRole('heading', { name: 'Per participant in BRL' }) })
      .locator('tbody tr', { hasText: 'BR Bank' });
    assert.match(await row.locator('td[data-label="Offset value"]').innerText(), /BRL\s100\.00/);
    assert.equal(await row.locator('td[data-label="Gridlocks"]').innerText(), '1');

    // Other currencies are a choice away.
    await page.getByLabel('Currency').selectOption('INR');
    await page.getByRole('heading', { name: 'Settlement queue in INR' }).waitFor();
    await page.getByLabel('Currency').selectOption('BRL');
    await page.getByRole('heading', { name: 'Settlement queue in BRL' }).waitFor();
    await page.waitForTimeout(1_200);
    const shot = join(SHOTS, 'liquidity-queue.png');
    // The queue and the bounds: from the top of the page to the end of the bounds section.
    const end = await page
      .locator('section', {
        has: page.getByRole('heading', { name: "Liquidity used against the day's bounds in BRL" }),
      })
      .boundingBox();
    assert.ok(end !== null);
    await page.screenshot({
      path: shot,
      fullPage: true,
      clip: { x: 0, y: 0, width: 1280, height: Math.ceil(end.y + end.height + 16) },
      animations: 'disabled',
    });
    assert.ok(statSync(shot).size > 10_000);
    await page.context().close();
    assert.deepEqual(operator.errors, [], 'errors in the page');
  });

  it('scopes the figures: a central bank its currency, a bank itself', async () => {
    const central = await open('bcb');
    await central.page.getByRole('heading', { name: 'Settlement queue in BRL' }).waitFor();
    assert.equal(await central.page.getByLabel('Currency').count(), 0);
    const banks = await central.page
      .locator('section', {
        has: central.page.getByRole('heading', { name: 'Per participant in BRL' }),
      })
      .locator('tbody th')
      .allInnerTexts();
    assert.ok(banks.some((text) => text.includes('BR Bank')));
    assert.ok(
      banks.every((text) => !text.includes('IN Bank')),
      banks.join(' | '),
    );
    await central.page.context().close();
    assert.deepEqual(central.errors, []);

    const bank = await open('in-bank');
    await bank.page.getByRole('heading', { name: 'Settlement queue in INR' }).waitFor();
    assert.match(
      await bank.page.locator('.figure', { hasText: 'Settled through offsetting' }).innerText(),
      /INR\s100\.00/,
    );
    // No table of other participants for a bank.
    assert.equal(await bank.page.getByRole('heading', { name: /^Per participant/ }).count(), 0);
    await bank.page.context().close();
    assert.deepEqual(bank.errors, []);
  });
});
