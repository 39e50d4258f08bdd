// Proves the README's Quick start works as written: its fenced blocks are read from README.md,
// `npm start` is run as package.json defines it, the export line it prints is used for the
// README's export line (the only values substituted: the URL and a key), and every command of
// the last block then runs verbatim in a shell and succeeds.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Start-up of the demo on a loaded machine; a bound, not a timing assertion. */
const START_TIMEOUT_MS = 180_000;
const COMMAND_TIMEOUT_MS = 120_000;

/** The fenced blocks of the README's Quick start section, as lines without trailing comments. */
function quickStartBlocks(): string[][] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Quick start');
  assert.ok(start >= 0, 'README.md has a Quick start section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].map((match) =>
    (match[1] ?? '')
      .split('\n')
      .map((line) => line.replace(/\s+#\s.*$/, '').trim())
      .filter((line) => line !== ''),
  );
}

/** NAME=value pairs of an `export A=… B=…` line. */
function assignments(line: string): Map<string, string> {
  assert.match(line, /^export /);
  return new Map(
    [...line.slice('export '.length).matchAll(/([A-Z_]+)=(\S+)/g)].map((match) => [
      match[1] as string,
      match[2] as string,
    ]),
  );
}

/** Runs the package's start script (what `npm start` runs) with the README's options form. */
function startDemo(dataDir: string): { child: ChildProcess; printout: Promise<string> } {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }).scripts;
  const [program, ...args] = (scripts['start'] ?? '').split(/\s+/);
  assert.equal(program, 'node', 'the start script runs node');
  // "npm start -- --port 0 --data-dir D": a free port (the printout says which) and a fresh demo.
  const child = spawn(process.execPath, [...args, '--port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const printout = new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no printout: ${text}`)), START_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        resolve(text);
      }
    });
    child.on('exit', (code) => reject(new Error(`npm start exited with ${String(code)}: ${text}`)));
  });
  return { child, printout };
}

describe('README Quick start', () => {
  const children: ChildProcess[] = [];
  after(async () => {
    for (const child of children) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('npm start prints a ready-to-paste export line, and the commands that follow it all work', async () => {
    const blocks = quickStartBlocks();
    assert.deepEqual(blocks[0], ['npm install', 'npm start']);
    const template = blocks.find((block) => block.length === 1 && block[0]?.startsWith('export '));
    assert.ok(template?.[0] !== undefined, 'the Quick start shows the export line to paste');
    const commands = blocks.at(-1) ?? [];
    assert.ok(commands.length >= 3 && commands !== template);

    const { child, printout } = startDemo(mkdtempSync(join(tmpdir(), 'corridor-quick-start-')));
    children.push(child);
    const text = await printout;
    const printed = text.split('\n').map((line) => line.trim()).find((line) => line.startsWith('export '));
    assert.ok(printed !== undefined, `the printout has an export line:\n${text}`);
    const values = assignments(printed);
    // The same variables as the README's line: only their values come from the printout.
    assert.deepEqual([...values.keys()], [...assignments(template[0]).keys()]);
    const url = values.get('CORRIDOR_URL') ?? '';
    assert.ok(text.includes(`is running at ${url}\n`), 'the URL is the one the node listens on');
    assert.match(text, /participant\s+role\s+country\s+currencies\s+key/);
    assert.match(text, /br-atlantico\s+bank\s+BR\s+BRL\s+ck_/);

    const environment = { ...process.env, ...Object.fromEntries(values) };
    const outputs: string[] = [];
    for (const command of commands) {
      const run = spawnSync('sh', ['-c', command], {
        cwd: ROOT, env: environment, encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS,
      });
      assert.equal(run.status, 0, `${command}\n${run.stdout}\n${run.stderr}`);
      outputs.push(run.stdout);
    }
    const sent = outputs[commands.findIndex((command) => command.includes(' send '))] ?? '';
    assert.match(sent, /debited from you\s+\d+\.\d{2} BRL/);
    assert.match(sent, /status\s+ACCC/);
    assert.ok(!sent.includes('{'), `no JSON in the send output:\n${sent}`);
  });
});
