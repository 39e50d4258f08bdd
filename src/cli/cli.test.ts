// Proves the corridor command end to end as an operator would use it: init from a config
// file (and its field-naming errors), start, drive the network over the API, stop with
// SIGTERM, resume, and verify the data directory.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { testNetworkConfig } from '../testing/network-fixtures.js';
import { CORRIDOR_BIN as MAIN } from '../testing/corridor-bin.js';

const directory = mkdtempSync(join(tmpdir(), 'corridor-cli-'));

function corridor(args: string[], environment: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [MAIN, ...args], {
    encoding: 'utf8', env: { ...process.env, ...environment }, timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

interface Started {
  readonly url: string;
  readonly stop: () => Promise<number | null>;
}

function startNode(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, [MAIN, 'start', '--data-dir', dataDir,
    '--port', '0', '--log-level', 'warn', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`start exited early with ${String(code)}`)));
    lines.once('line', (line) => {
      const { url } = JSON.parse(line) as { url: string };
      resolve({ url, stop: () => new Promise((done) => {
        child.removeAllListeners('exit');
        child.on('exit', (code) => done(code));
        child.kill('SIGTERM');
      }) });
    });
  });
}

describe('corridor CLI', () => {
  const dataDir = join(directory, 'network');
  let operatorKey = '';
  const nodes: Started[] = [];
  after(async () => {
    for (const node of nodes) await node.stop();
  });

  it('init refuses an invalid configuration and names each faulty field', () => {
    const file = join(directory, 'bad.json');
    const config = testNetworkConfig() as unknown as { participants: { country: string }[] };
    (config.participants[3] as { country: string }).country = 'Brazil';
    writeFileSync(file, JSON.stringify(config));
    const run = corridor(['init', '--config', file, '--data-dir', join(directory, 'bad')]);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /\/participants\/3\/country/);
    assert.match(run.stderr, /not a valid network configuration/);
  });

  it('init builds a network from a configuration file and shows the operator key once', () => {
    const file = join(directory, 'network.json');
    writeFileSync(file, JSON.stringify(testNetworkConfig()));
    const run = corridor(['init', '--config', file, '--data-dir', dataDir, '--json']);
    assert.equal(run.status, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as { operatorKey: string; participants: number };
    assert.equal(summary.participants, 9);
    assert.match(summary.operatorKey, /^ck_/);
    operatorKey = summary.operatorKey;
    assert.equal(corridor(['init', '--config', file, '--data-dir', dataDir]).status, 1);
  });

  it('start serves the API; participants, keys, issue, pay, payments, statement and status work', async () => {
    const node = await startNode(dataDir);
    nodes.push(node);
    const as = (key: string) => ({ CORRIDOR_URL: node.url, CORRIDOR_API_KEY: key });
    const participants = corridor(['participants', '--json'], as(operatorKey));
    assert.equal(participants.status, 0, participants.stderr);
    assert.equal((JSON.parse(participants.stdout) as unknown[]).length, 9);
    const created = corridor(['keys', 'create', '--participant', 'bcb', '--json'], as(operatorKey));
    const bcbKey = (JSON.parse(created.stdout) as { key: string }).key;
    const bank = corridor(['keys', 'create', '--participant', 'br-bank', '--json'], as(operatorKey));
    const bankKey = (JSON.parse(bank.stdout) as { key: string }).key;
    assert.equal(corridor(['issue', '--to', 'br-bank', '--currency', 'BRL', '--amount', '100.00'], as(bcbKey)).status, 0);
    const refused = corridor(['issue', '--to', 'br-bank', '--currency', 'BRL', '--amount', '1.001'], as(bcbKey));
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /amount_too_many_decimals/);
    const quote = JSON.parse(corridor(['quote', '--from', 'BRL', '--to', 'INR', '--amount', '10.00', '--json'],
      as(bankKey)).stdout) as { id: string };
    const paid = corridor(['pay', '--to', 'in-bank', '--quote', quote.id, '--debtor', 'Soja Ltda', '--creditor',
      'Pune Foods', '--json'], as(bankKey));
    assert.equal(paid.status, 0, paid.stderr);
    assert.equal((JSON.parse(paid.stdout) as { status: string }).status, 'ACCC');
    const list = corridor(['payments'], as(bankKey));
    assert.match(list.stdout, /ACCC/);
    const statement = corridor(['statement', '--participant', 'br-bank', '--currency', 'BRL', '--json'], as(bankKey));
    assert.equal(statement.status, 0, statement.stderr);
    assert.equal(corridor(['status', '--json'], as(bankKey)).status, 0);
    assert.equal(corridor(['payments'], { CORRIDOR_URL: node.url, CORRIDOR_API_KEY: 'ck_bad' }).status, 2);
    assert.equal(await node.stop(), 0);
    nodes.pop();
  });

  it('a second start resumes the network, and verify finds it intact', async () => {
    const node = await startNode(dataDir);
    nodes.push(node);
    const payments = corridor(['payments', '--json'], { CORRIDOR_URL: node.url, CORRIDOR_API_KEY: operatorKey });
    assert.equal((JSON.parse(payments.stdout) as unknown[]).length, 1);
    assert.equal(await node.stop(), 0);
    nodes.pop();
    const verify = corridor(['verify', '--data-dir', dataDir, '--json']);
    assert.equal(verify.status, 0, verify.stderr);
    const report = JSON.parse(verify.stdout) as { ok: boolean; payments: number };
    assert.equal(report.ok, true);
    assert.equal(report.payments, 1);
  });

  it('send quotes, shows every cost, pays with --yes, and refuses without a terminal or --yes; output holds no JSON', async () => {
    const node = await startNode(dataDir);
    nodes.push(node);
    const as = (key: string) => ({ CORRIDOR_URL: node.url, CORRIDOR_API_KEY: key });
    const bank = corridor(['keys', 'create', '--participant', 'br-bank', '--json'], as(operatorKey));
    const bankKey = (JSON.parse(bank.stdout) as { key: string }).key;
    const paymentsBefore = (JSON.parse(corridor(['payments', '--json'], as(operatorKey)).stdout) as unknown[]).length;
    // spawnSync gives the child a pipe for stdin: no terminal to ask on.
    const refused = corridor(['send', '--to', 'in-bank', '--amount', '10.00', '--from', 'brl'], as(bankKey));
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /Nothing was sent: there is no terminal to confirm on\. Pass --yes/);
    const sent = corridor(['send', '--to', 'in-bank', '--amount', '10.00', '--from', 'brl', '--yes'], as(bankKey));
    assert.equal(sent.status, 0, sent.stderr);
    for (const label of ['you send', 'fees', 'debited from you', 'rate', 'credited to them', 'firm until'])
      assert.match(sent.stdout, new RegExp(`^${label}\\s+\\S`, 'm'), label);
    assert.match(sent.stdout, /^rate\s+1 BRL = [0-9.]+ INR/m);
    assert.match(sent.stdout, /^status\s+ACCC$/m);
    assert.ok(!/[{}]/.test(sent.stdout), sent.stdout);
    const payments = JSON.parse(corridor(['payments', '--json'], as(operatorKey)).stdout) as { id: string }[];
    assert.equal(payments.length, paymentsBefore + 1);
    // One record, one field a line: no JSON and no table hundreds of columns wide.
    const paid = corridor(['pay', '--to', 'br-other', '--currency', 'brl', '--amount', '1.00', '--debtor', 'A',
      '--creditor', 'B'], as(bankKey));
    assert.equal(paid.status, 0, paid.stderr);
    assert.ok(!/[{}]/.test(paid.stdout), paid.stdout);
    assert.ok(Math.max(...paid.stdout.split('\n').map((line) => line.length)) <= 120, paid.stdout);
    const statement = corridor(['statement', '--participant', 'br-bank', '--currency', 'brl'], as(bankKey));
    assert.equal(statement.status, 0, statement.stderr);
    assert.ok(Math.max(...statement.stdout.split('\n').map((line) => line.length)) <= 120, statement.stdout);
    const participants = corridor(['participants'], as(bankKey));
    assert.ok(!/[[\]{}"]/.test(participants.stdout), participants.stdout);
    assert.equal(await node.stop(), 0);
    nodes.pop();
  });

  it('a cross-currency pay without a quote says to get one, naming corridor quote and corridor send', async () => {
    const node = await startNode(dataDir);
    nodes.push(node);
    const bank = corridor(['keys', 'create', '--participant', 'br-bank', '--json'],
      { CORRIDOR_URL: node.url, CORRIDOR_API_KEY: operatorKey });
    const bankKey = (JSON.parse(bank.stdout) as { key: string }).key;
    const run = corridor(['pay', '--to', 'in-bank', '--currency', 'BRL', '--amount', '10.00', '--debtor', 'A',
      '--creditor', 'B'], { CORRIDOR_URL: node.url, CORRIDOR_API_KEY: bankKey });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^corridor: quote_required: in-bank settles INR, not BRL: get a quote first/);
    assert.match(run.stderr, /corridor quote --from BRL --to INR/);
    assert.match(run.stderr, /corridor send --to in-bank --from BRL/);
    assert.equal(await node.stop(), 0);
    nodes.pop();
  });

  it('client commands fail clearly with exit code 3 when no node answers, and say how to start one', () => {
    const run = corridor(['status'], { CORRIDOR_URL: 'http://127.0.0.1:9', CORRIDOR_API_KEY: operatorKey });
    assert.equal(run.status, 3);
    assert.match(run.stderr, /Cannot reach a Corridor node at http:\/\/127\.0\.0\.1:9/);
    assert.match(run.stderr, /npm start/);
    assert.match(run.stderr, /CORRIDOR_URL/);
  });
});
