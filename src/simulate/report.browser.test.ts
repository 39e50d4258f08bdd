// A small scenario end to end as a user runs it: `corridor simulate` (2 days, small scale) →
// report.json, the CSV tables and report.html → the page opened in headless Chromium, with no
// page error and every chart drawn.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, requireChromium, skipWithoutChromium } from '../testing/chromium.js';
import { CORRIDOR_BIN } from '../testing/corridor-bin.js';

const directory = mkdtempSync(join(tmpdir(), 'corridor-simulate-'));
after(() => rmSync(directory, { recursive: true, force: true }));

describe('corridor simulate, end to end', () => {
  const run = spawnSync(
    process.execPath,
    [
      CORRIDOR_BIN,
      'simulate',
      '--days',
      '2',
      '--scale',
      '0.02',
      '--seed',
      '3',
      '--out',
      directory,
      '--json',
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );

  it('writes report.json, the tables and report.html', () => {
    assert.equal(run.status, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as { payments: number; files: string[] };
    assert.ok(summary.payments > 0);
    for (const name of [
      'report.json',
      'report.html',
      'regimes.csv',
      'corridors.csv',
      'liquidity.csv',
      'balances.csv',
      'flows.csv',
      'assumptions.csv',
      'liquidity-saving.csv',
      'swap-lines.csv',
    ]) {
      assert.ok(existsSync(join(directory, name)), name);
    }
    const report = JSON.parse(readFileSync(join(directory, 'report.json'), 'utf8')) as {
      year: number;
      seed: number;
      payments: number;
      regimes: { name: string; corridors: unknown[] }[];
      assumptions: unknown[];
    };
    assert.equal(report.year, 2024);
    assert.equal(report.seed, 3);
    assert.equal(report.payments, summary.payments);
    assert.equal(report.regimes.length, 4);
    assert.ok(report.assumptions.length > 10);
    const html = readFileSync(join(directory, 'report.html'), 'utf8');
    assert.doesNotMatch(html, /<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/, 'self-contained');
  });

  it('refuses an unknown regime with a plain sentence and exit status 1', () => {
    const refused = spawnSync(
      process.execPath,
      [CORRIDOR_BIN, 'simulate', '--days', '1', '--regimes', 'corridor_rtgs', '--out', directory],
      { encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /regime_unknown/);
  });

  it(
    'opens in headless Chromium with no page error and the charts present',
    { skip: skipWithoutChromium() },
    async () => {
      const browser = await chromium.launch({
        executablePath: requireChromium(),
        args: [...CHROMIUM_ARGS],
      });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(String(error)));
        page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
        await page.goto(pathToFileURL(join(directory, 'report.html')).href);
        assert.deepEqual(errors, []);
        for (const id of [
          'liquidity-usd_correspondent',
          'liquidity-bilateral_local',
          'liquidity-corridor_gross',
          'liquidity-corridor_lsm',
          'time-to-credit',
          'cost-per-corridor',
          'peak-liquidity',
          'balances',
          'flow-matrix',
        ]) {
          assert.equal(await page.locator(`#${id} svg.chart`).count(), 1, id);
        }
        assert.ok((await page.locator('#cost-per-corridor rect.bar').count()) > 0);
        assert.ok((await page.locator('#flow-matrix rect.cell').count()) > 0);
        assert.equal(await page.locator('#liquidity-saving table').count(), 1);
        assert.equal(await page.locator('#swap-lines h2').count(), 1);
        assert.match((await page.locator('h1').textContent()) ?? '', /2024/);
      } finally {
        await browser.close();
      }
    },
  );
});
