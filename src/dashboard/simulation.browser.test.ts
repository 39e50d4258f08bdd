// The dashboard's Simulation view in headless Chromium: the operator runs a small scenario on
// the node (POST /v1/simulations) and sees the summary and the charts; a central bank, which
// cannot run one, opens a report.json saved by `corridor simulate` and sees the same charts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { NODE_DEFAULTS } from '../server/node-config.js';
import { startNode, type RunningNode } from '../server/node.js';
import { runSimulation } from '../simulate/simulate.js';
import { CHROMIUM_ARGS, requireChromium, skipWithoutChromium } from '../testing/chromium.js';
import { ensureDashboardBuilt } from '../testing/dashboard-build.js';

const CHARTS = [
  'liquidity-corridor_gross',
  'time-to-credit',
  'cost-per-corridor',
  'peak-liquidity',
  'balances',
  'flow-matrix',
];

describe('the Simulation view', { skip: skipWithoutChromium() }, () => {
  let node: RunningNode;
  let browser: Browser;
  let dataDir: string;
  const keys = new Map<string, string>();

  before(async () => {
    await ensureDashboardBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'corridor-simulation-view-'));
    node = await startNode({
      mode: 'demo',
      config: {
        ...NODE_DEFAULTS,
        dataDir,
        port: 0,
        host: '127.0.0.1',
        logLevel: 'silent',
        trafficPerSecond: 0,
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

  async function open(participant: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(30_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        errors.push(message.text());
    });
    await page.goto(`${node.url}/`);
    await page.getByLabel('API key').fill(keys.get(participant) ?? '');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link', { name: 'Simulation' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Simulation' }).waitFor();
    return { page, errors };
  }

  async function chartsShown(page: Page): Promise<void> {
    await page.locator('#sim-flow-matrix svg.chart').waitFor();
    for (const id of CHARTS)
      assert.equal(await page.locator(`#sim-${id} svg.chart`).count(), 1, id);
    assert.equal(await page.locator('[data-testid="simulation-summary"] tbody tr').count(), 4);
  }

  it('runs a small scenario for the operator and draws its charts', async () => {
    const { page, errors } = await open('operator');
    await page.locator('input[name="days"]').fill('1');
    await page.locator('input[name="scale"]').fill('0.01');
    await page.getByRole('button', { name: 'Run the simulation' }).click();
    await chartsShown(page);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('opens a saved report.json for a central bank, and refuses a file that is not one', async () => {
    const report = await runSimulation({ days: 1, scale: 0.01, seed: 2 });
    const file = join(dataDir, 'report.json');
    writeFileSync(file, JSON.stringify(report));
    const wrong = join(dataDir, 'other.json');
    writeFileSync(wrong, '{"hello": 1}');
    const { page, errors } = await open('rbi');
    assert.equal(await page.getByRole('button', { name: 'Run the simulation' }).count(), 0);
    await page.locator('input[name="report"]').setInputFiles(wrong);
    await page.getByText('This file is not a report.json written by corridor simulate.').waitFor();
    await page.locator('input[name="report"]').setInputFiles(file);
    await chartsShown(page);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
