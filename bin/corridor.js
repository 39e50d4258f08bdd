#!/usr/bin/env node
// The corridor command. Runs the compiled CLI in dist/ (built by `npm install` and
// `npm run build:cli`): it starts in a fraction of the time the TypeScript sources take through
// tsx. In a development checkout a dist/ older than any source it is built from would run stale
// code, so then the sources run through tsx instead (slower, never wrong).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = join(root, 'dist', 'cli', 'main.js');
const sources = join(root, 'src');

/** The newest modification time of the sources dist/ is compiled from (tests and web excluded). */
function newestSourceMs() {
  let newest = 0;
  for (const entry of readdirSync(sources, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath ?? entry.path, entry.name);
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    if (entry.name.startsWith('_test') || path.includes(join('dashboard', 'web'))) continue;
    newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function compiledIsCurrent() {
  if (!existsSync(compiled)) return false;
  // An installed package ships no sources: its dist/ is what there is.
  if (!existsSync(sources)) return true;
  return statSync(compiled).mtimeMs >= newestSourceMs();
}

let cli;
if (compiledIsCurrent()) {
  cli = await import(pathToFileURL(compiled).href);
} else {
  if (existsSync(compiled) && process.stderr.isTTY) {
    process.stderr.write(
      'corridor: dist/ is older than src/, so the sources run through tsx (slow start); ' +
        '"npm run build:cli" makes it fast again.\n',
    );
  }
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(pathToFileURL(join(sources, 'cli', 'main.ts')).href);
}
await cli.main(process.argv);
