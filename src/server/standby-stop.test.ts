// Proves a PostgreSQL standby (waiting for the writer lease) stops gracefully on SIGTERM:
// `corridor start` exits 0 promptly without taking the lease, and the writer carries on.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, it } from 'node:test';
import { testNetworkConfig } from '../testing/network-fixtures.js';
import { freshDatabase, stopPostgres, testPostgres } from '../testing/postgres.js';
import { CORRIDOR_BIN as MAIN } from '../testing/corridor-bin.js';

const directory = mkdtempSync(join(tmpdir(), 'corridor-standby-stop-'));
const children: ChildProcess[] = [];

before(async () => {
  await testPostgres();
});

after(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await stopPostgres();
  rmSync(directory, { recursive: true, force: true });
});

/** A hang guard, not a timing assertion: a node that never exits fails the test instead. */
function bounded<T>(promise: Promise<T>, what: string, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${ms} ms for ${what}`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

function start(store: string, name: string) {
  const child = spawn(process.execPath, [MAIN, 'start', '--store', store,
    '--data-dir', join(directory, name), '--port', '0', '--log-level', 'warn', '--json'],
  { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const firstLine = new Promise<Record<string, unknown>>((resolve) =>
    createInterface({ input: child.stdout }).once('line',
      (line) => resolve(JSON.parse(line) as Record<string, unknown>)));
  return { child, exited, firstLine };
}

it('a standby exits 0 on SIGTERM while it waits for the lease; the writer is untouched',
  async () => {
    const store = await freshDatabase('corridor_standby_stop');
    const file = join(directory, 'network.json');
    writeFileSync(file, JSON.stringify(testNetworkConfig()));
    const init = spawnSync(process.execPath, [MAIN, 'init', '--config', file,
      '--store', store, '--data-dir', join(directory, 'init'), '--json'],
    { encoding: 'utf8', timeout: 60_000 });
    assert.equal(init.status, 0, init.stderr);
    const writer = start(store, 'writer');
    const { url } = await bounded(writer.firstLine, 'the writer to start') as { url: string };
    const standby = start(store, 'standby');
    const line = await bounded(standby.firstLine, 'the standby to start');
    assert.equal(typeof line['standby'], 'string', JSON.stringify(line));

    standby.child.kill('SIGTERM');
    assert.equal(await bounded(standby.exited, 'the standby to stop'), 0);
    // It never took the lease: the writer still answers, as the writer.
    assert.equal((await fetch(`${url}/ready`)).status, 200);
    writer.child.kill('SIGTERM');
    assert.equal(await bounded(writer.exited, 'the writer to stop'), 0);
  });
