#!/usr/bin/env node
// Runs every *.test.ts under src/ with Node's test runner. Node 20's runner does not expand
// glob patterns itself, so the files are listed here. Extra arguments are passed through
// (for example --test-name-pattern).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
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
process.exit(run.status ?? 1);
