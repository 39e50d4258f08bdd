// Shared by the crash and connection-loss torture tests: a Corridor node run as a user runs it
// (the CLI, as a child process), mixed payment load over HTTP that records what the node
// acknowledged, seeded random choices, and the checks that every acknowledged payment is
// present and whole. The tests: src/cli/crash-torture.test.ts (SQLite) and
// src/storage/postgres/*.torture.ts (PostgreSQL, `npm run test:torture`).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import fc from 'fast-check';
import type { Store } from '../storage/store.js';
import { testNetworkConfig } from './network-fixtures.js';
import { CORRIDOR_BIN as MAIN } from './corridor-bin.js';

/** Bounds every wait of the harness: a node that hangs fails the test instead of stalling it. */
const WAIT_MS_MAX = 60_000;

/** The seed of a torture run: CORRIDOR_TORTURE_SEED to replay one, else a fresh one. */
export function tortureSeed(): number {
  const given = process.env['CORRIDOR_TORTURE_SEED'];
  return given === undefined || given === '' ? Date.now() % 2_147_483_647 : Number(given);
}

/** SIGKILLs per torture run: 30, or CORRIDOR_TORTURE_KILLS (to soak longer, or to debug). */
export function tortureKills(): number {
  const given = Number(process.env['CORRIDOR_TORTURE_KILLS'] ?? '');
  return Number.isInteger(given) && given > 0 ? given : 30;
}

/** `count` integers in [min, max], reproducible from the seed. */
export function seededIntegers(seed: number, count: number, min: number, max: number): number[] {
  return fc.sample(fc.integer({ min, max }), { seed, numRuns: count });
}

export interface NodeProcess {
  readonly child: ChildProcess;
  /** The next JSON line the node prints ({url}, {standby}, or {exited: code} once it ends). */
  next(): Promise<Record<string, unknown>>;
  /** Resolves with the exit code (null after a signal). */
  readonly exited: Promise<number | null>;
}

/** Runs `corridor start` on a data directory (and store), printing JSON lines. */
export function startNode(dataDir: string, store?: string): NodeProcess {
  const child = spawn(process.execPath, [MAIN, 'start', '--data-dir', dataDir,
    ...(store === undefined ? [] : ['--store', store]), '--port', '0', '--host', '127.0.0.1',
    '--log-level', 'fatal', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  // The last of what the node wrote to stderr, kept so that a node that fails to start says why.
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
  });
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    const failed = code !== 0 && code !== null;
    const line = JSON.stringify({ exited: code, ...(failed ? { stderr } : {}) });
    for (const waiter of waiters.splice(0)) waiter(line);
    lines.push(line);
    resolve(code);
  }));
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    const waiter = waiters.shift();
    if (waiter === undefined) lines.push(line);
    else waiter(line);
  });
  return {
    child, exited,
    next: async () => {
      const line = lines.shift() ?? await withTimeout(
        new Promise<string>((resolve) => waiters.push(resolve)), 'the node printed nothing');
      return JSON.parse(line) as Record<string, unknown>;
    },
  };
}

function withTimeout<T>(promise: Promise<T>, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${WAIT_MS_MAX} ms`)), WAIT_MS_MAX);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** SIGKILLs a node and waits until it is gone. */
export async function killNode(node: NodeProcess): Promise<void> {
  if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill('SIGKILL');
  await node.exited;
}

/** Runs a corridor command to completion. */
export function corridor(args: string[]):
  { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [MAIN, ...args],
    { encoding: 'utf8', timeout: WAIT_MS_MAX });
}

/** `corridor init` with the test network; returns the operator's key. */
export function initNetwork(directory: string, store?: string): string {
  mkdirSync(directory, { recursive: true });
  const file = join(directory, 'network.json');
  writeFileSync(file, JSON.stringify(testNetworkConfig()));
  const init = corridor(['init', '--config', file, '--data-dir', join(directory, 'init'),
    ...(store === undefined ? [] : ['--store', store]), '--json']);
  assert.equal(init.status, 0, init.stderr);
  return String((JSON.parse(init.stdout) as { operatorKey: string }).operatorKey);
}

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export async function call(url: string, key: string, method: string, path: string,
  body?: unknown): Promise<Answer> {
  const response = await fetch(`${url}${path}`, { method, headers: {
    authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }),
  }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  signal: AbortSignal.timeout(WAIT_MS_MAX) });
  return { status: response.status, body: await response.json() as Record<string, unknown> };
}

/** Keys of the participants the load uses, created through the operator's key. */
export interface LoadKeys {
  readonly payer: string;
  readonly payee: string;
}

export async function createLoadKeys(url: string, operatorKey: string): Promise<LoadKeys> {
  const key = async (participantId: string): Promise<string> => {
    const created = await call(url, operatorKey, 'POST', '/v1/keys', { participantId });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return String(created.body['key']);
  };
  return { payer: await key('br-bank'), payee: await key('br-other') };
}

export type PaymentKind = 'cross_border' | 'domestic' | 'two_phase';

/** What the node acknowledged for a payment: settled (ACCC) or reserved (ACSP). */
/** Acknowledged payments by network id (`pm:…`), as the operator and the ledger name them. */
export type Acknowledged = Map<string, { kind: PaymentKind; status: 'ACCC' | 'ACSP' }>;

const PARTIES = {
  debtor: { name: 'Soja Exportadora Ltda', account: 'BR1800000000000000000000001' },
  creditor: { name: 'Outra Empresa Ltda', account: 'BR1800000000000000000000002' },
};

/** One payment of the given kind; records it in `acknowledged` once the node says so. */
async function pay(url: string, keys: LoadKeys, kind: PaymentKind, id: string,
  acknowledged: Acknowledged): Promise<void> {
  if (kind === 'cross_border') {
    const quote = await call(url, keys.payer, 'POST', '/v1/quotes', { sourceCurrency: 'BRL',
      targetCurrency: 'INR', fixed: 'send', amount: '10.00' });
    if (quote.status !== 201 && quote.status !== 200) return;
    const paid = await call(url, keys.payer, 'POST', '/v1/payments', { ...PARTIES, id,
      endToEndId: id, quoteId: quote.body['id'], creditorAgent: 'in-bank' });
    if (paid.status === 201 && paid.body['status'] === 'ACCC') {
      acknowledged.set(String(paid.body['networkId']), { kind, status: 'ACCC' });
    }
    return;
  }
  const twoPhase = kind === 'two_phase';
  const paid = await call(url, keys.payer, 'POST', '/v1/payments', { ...PARTIES, id,
    endToEndId: id, creditorAgent: 'br-other', currency: 'BRL', amount: '1.00',
    ...(twoPhase ? { mode: 'two_phase' } : {}) });
  if (paid.status !== 201) return;
  // Others (the payee, the operator) and the ledger's references name it by its network id.
  const networkId = String(paid.body['networkId']);
  if (!twoPhase) {
    if (paid.body['status'] === 'ACCC') acknowledged.set(networkId, { kind, status: 'ACCC' });
    return;
  }
  if (paid.body['status'] !== 'ACSP') return;
  acknowledged.set(networkId, { kind, status: 'ACSP' });
  const accepted = await call(url, keys.payee, 'POST', `/v1/payments/${networkId}/accept`);
  if (accepted.status === 200 && accepted.body['status'] === 'ACCC') {
    acknowledged.set(networkId, { kind, status: 'ACCC' });
  }
}

export interface Load {
  /** Payments attempted (sent at least once), by id. */
  readonly attempted: Set<string>;
  /** Stops the workers (each finishes or loses its request) and waits for them. */
  stop(): Promise<void>;
}

/**
 * Sends payments from `workers` loops until stopped or until the node stops answering; kinds
 * follow the seed. Ids start with `prefix` and are unique across runs of one test.
 */
export function driveLoad(url: string, keys: LoadKeys, options: { workers: number; seed: number;
  prefix: string; acknowledged: Acknowledged }): Load {
  const kinds = fc.sample(fc.constantFrom<PaymentKind>('cross_border', 'domestic', 'two_phase'),
    { seed: options.seed, numRuns: 1_000 });
  const attempted = new Set<string>();
  let running = true;
  let next = 0;
  const loops = Array.from({ length: options.workers }, async () => {
    while (running) {
      const number = next++;
      const id = `${options.prefix}-${number}`;
      attempted.add(id);
      try {
        await pay(url, keys, kinds[number % kinds.length] ?? 'domestic', id, options.acknowledged);
      } catch {
        return; // the node is gone or cut off: this payment's outcome is unknown to the client
      }
    }
  });
  return { attempted, stop: async () => {
    running = false;
    await Promise.all(loops);
  } };
}

/**
 * Reads each acknowledged payment back and checks it is there, in a state it may be in;
 * returns each one's status.
 */
export async function assertAcknowledgedPresent(url: string, key: string,
  acknowledged: Acknowledged, ids: Iterable<string> = acknowledged.keys()):
  Promise<Map<string, string>> {
  const queue = [...ids];
  const statuses = new Map<string, string>();
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
      const expected = acknowledged.get(id);
      const answer = await call(url, key, 'GET', `/v1/payments/${id}`);
      assert.equal(answer.status, 200, `acknowledged payment ${id} was lost`);
      const status = String(answer.body['status']);
      // A reservation may since have been accepted (acknowledged or not) or timed out (AB05).
      const allowed = expected?.status === 'ACSP' ? ['ACSP', 'ACCC', 'RJCT'] : ['ACCC'];
      assert.ok(allowed.includes(status), `payment ${id} was acknowledged ${expected?.status} ` +
        `and is now ${status}`);
      if (status === 'RJCT') assert.equal(answer.body['reason'], 'AB05', `payment ${id}`);
      statuses.set(id, status);
    }
  }));
  return statuses;
}

/** A payment's legs as the ledger holds them: transfer id → state. */
export type LegStates = ReadonlyMap<string, string>;

/**
 * Groups transfers into payments by reference (a payment's legs carry its id), leaving out
 * resolution transfers (the post or void of a reservation is not a leg of its own).
 */
export function legsByPayment(rows: readonly { id: string; reference: string; state: string }[]):
  Map<string, LegStates> {
  const legs = new Map<string, Map<string, string>>();
  for (const row of rows) {
    if (row.state === 'resolution') continue;
    const states = legs.get(row.reference) ?? new Map<string, string>();
    states.set(row.id, row.state);
    legs.set(row.reference, states);
  }
  return legs;
}

/**
 * Checks that every payment is whole: all legs of a payment share one state (all posted, all
 * pending or all voided: never some of them), and each acknowledged payment has the legs its
 * kind has (3 or 4 for a cross-border payment, 2 for a domestic one) in the state its status
 * says. `legs` maps each payment id (the legs' reference) to its legs.
 */
export function assertWhole(legs: ReadonlyMap<string, LegStates>, acknowledged: Acknowledged,
  statuses: ReadonlyMap<string, string>): void {
  for (const [payment, states] of legs) {
    const distinct = new Set(states.values());
    assert.equal(distinct.size, 1, `payment ${payment} is half-applied: ` +
      JSON.stringify([...states]));
  }
  for (const [id, expected] of acknowledged) {
    const states = legs.get(id);
    const status = statuses.get(id);
    assert.ok(states !== undefined, `acknowledged payment ${id} has no legs in the ledger`);
    const count = expected.kind === 'cross_border' ? [3, 4] : [2];
    assert.ok(count.includes(states.size), `payment ${id} has ${states.size} legs`);
    const state = [...states.values()][0];
    // A rejected reservation was voided, or expired (AB05: the creditor agent did not answer).
    const want = status === 'ACSP' ? ['pending'] : status === 'RJCT' ? ['voided', 'expired']
      : ['posted'];
    assert.ok(want.includes(String(state)),
      `payment ${id} is ${String(status)} but its legs are ${String(state)}`);
  }
}

/** Supply per currency in minor units, from the test network's issuance (all exponent 2). */
export function configuredSupply(): Map<string, bigint> {
  const supply = new Map<string, bigint>();
  for (const issued of testNetworkConfig().issuance ?? []) {
    supply.set(issued.currency, (supply.get(issued.currency) ?? 0n) + minorUnits(issued.amount));
  }
  return supply;
}

/** "1234.50" → 123450n (the test network's currencies all have two decimals). */
function minorUnits(amount: string): bigint {
  const [units = '0', fraction = ''] = amount.split('.');
  return BigInt(units) * 100n + BigInt(fraction.padEnd(2, '0'));
}

/** The node's supply per currency (GET /v1/currencies) is what was issued: no money made. */
export async function assertSupply(url: string, key: string): Promise<void> {
  const answer = await call(url, key, 'GET', '/v1/currencies');
  const listed = answer.body['currencies'] as { code: string; supply: string }[];
  for (const [code, issued] of configuredSupply()) {
    const shown = listed.find((currency) => currency.code === code)?.supply ?? '0';
    assert.equal(minorUnits(shown), issued, `the node shows a supply of ${shown} ${code}`);
  }
}

/**
 * Balances and supply per currency, from storage: each issuance account is minus what was
 * issued, and every other account of the currency together holds exactly that.
 */
export async function assertBalancesConsistent(store: Store): Promise<void> {
  const accounts = new Map((await store.accounts()).map((account) => [account.id, account]));
  const issuers = new Map(testNetworkConfig().currencies.map((currency) =>
    [currency.code, currency.issuer]));
  const issued = new Map<string, bigint>();
  const held = new Map<string, bigint>();
  for (const sums of await store.postedSums()) {
    const account = accounts.get(sums.accountId);
    assert.ok(account !== undefined, `posted sums name an unknown account ${sums.accountId}`);
    const net = sums.credits - sums.debits;
    const into = account.owner === issuers.get(account.currency) ? issued : held;
    into.set(account.currency, (into.get(account.currency) ?? 0n) + net);
  }
  for (const [code, supply] of configuredSupply()) {
    assert.equal(-(issued.get(code) ?? 0n), supply, `the ${code} issuance account is off`);
    assert.equal(held.get(code) ?? 0n, supply, `${code} balances do not add up to the supply`);
  }
}
