#!/usr/bin/env node
// Runs every *.test.ts under src/ with Node's test runner. Node 20's runner does not expand
// glob patterns itself, so the files are listed here. Extra arguments are passed through
// (for example --test-name-pattern).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function testFiles(directory) {
  const found = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') found.push(...testFiles(path));
    } else if (entry.name.endsWith('.test.ts')) {
      found.push(path);
    }
  }
  return found.sort();
}

const files = testFiles('src');
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2',
  ...process.argv.slice(2), ...files], { stdio: 'inherit' });
// The browser tests skip where Chromium is missing (and fail under CI=true): say so last, where
// a newcomer reads the result, so that a green run never hides that no page was tested.
const chromium = process.env.CORRIDOR_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium) && process.env.CI !== 'true') {
  process.stderr.write(`\n*** WARNING: no Chromium at ${chromium}: the browser tests were SKIPPED.\n` +
    "*** Install Debian's chromium (apt-get install chromium) to run them; CI fails without it.\n");
}
process.exit(run.status ?? 1);
