// Debian's Chromium for the browser tests (never a downloaded browser). Where it is missing,
// a browser test is skipped loudly on a developer's machine, and fails under CI=true: a
// newcomer's green run must not hide that no page was tested, and CI must never pass without
// them. scripts/run-tests.mjs repeats the warning in the closing summary.
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env['CORRIDOR_CHROMIUM'] ?? '/usr/bin/chromium';

/** Flags for headless Chromium on a machine with no network beyond loopback. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The `skip` option for a browser suite: false where Chromium is installed, or under CI=true
 * (where the suite then fails at launch, saying what is missing); elsewhere a reason, which the
 * test runner prints, and a warning on standard error.
 */
export function skipWithoutChromium(
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
): false | string {
  if (exists(CHROMIUM)) return false;
  if (env['CI'] === 'true') return false;
  const reason =
    `SKIPPED: no Chromium at ${CHROMIUM}. Install Debian's chromium ` +
    '(apt-get install chromium) or set CORRIDOR_CHROMIUM; under CI=true this fails.';
  process.stderr.write(`\n*** ${reason}\n\n`);
  return reason;
}

/** Fails with a plain sentence when Chromium is missing (under CI=true, where nothing may skip). */
export function requireChromium(exists: (path: string) => boolean = existsSync): string {
  if (!exists(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: the browser tests cannot run. Install Debian's chromium ` +
        '(apt-get install chromium) or set CORRIDOR_CHROMIUM.',
    );
  }
  return CHROMIUM;
}
