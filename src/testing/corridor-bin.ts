// The corridor command as a user runs it, for tests that start it as a child process:
// bin/corridor.js runs the compiled CLI (`npm test` builds dist/ first) and falls back to the
// sources through tsx where dist/ is older than them, so a test never runs stale code.
import { fileURLToPath } from 'node:url';

export const CORRIDOR_BIN = fileURLToPath(new URL('../../bin/corridor.js', import.meta.url));
