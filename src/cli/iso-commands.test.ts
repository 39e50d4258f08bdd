// Proves `corridor iso submit` and `corridor iso statement` against a running server: the
// answer XML, the --json summary of statuses, an admi.002 as a refusal, and a camt.053.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { closeSchemaValidator } from '../iso20022/schema-validation.js';
import {
  creditTransfer,
  startIsoServer,
  transaction,
  type IsoServer,
} from '../iso20022/corridor/_test-support.js';
import { CORRIDOR_BIN as MAIN } from '../testing/corridor-bin.js';

const directory = mkdtempSync(join(tmpdir(), 'corridor-cli-iso-'));

/** Runs the CLI without blocking this process, which serves its requests. */
function corridor(args: string[], environment: Record<string, string>) {
  return new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [MAIN, ...args],
      { env: { ...process.env, ...environment }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({ status: typeof code === 'number' ? code : 0, stdout, stderr });
      },
    );
  });
}

describe('corridor iso', () => {
  let server: IsoServer;
  let as: (participant: string) => Record<string, string>;
  before(async () => {
    server = await startIsoServer();
    as = (participant) => ({
      CORRIDOR_URL: server.url,
      CORRIDOR_API_KEY: server.keys[participant] ?? '',
    });
  });
  after(async () => {
    await server.close();
    await closeSchemaValidator();
    rmSync(directory, { recursive: true, force: true });
  });

  it('submit prints the pacs.002, or with --json a summary of its statuses', async () => {
    const file = join(directory, 'pacs008.xml');
    writeFileSync(
      file,
      creditTransfer([
        transaction({ endToEndId: 'CLI-1' }),
        transaction({
          endToEndId: 'CLI-2',
          amount: { currency: 'USD', value: 100n },
        }),
      ]),
    );
    const xml = await corridor(['iso', 'submit', file], as('br-bank'));
    assert.equal(xml.status, 0, xml.stderr);
    assert.match(xml.stdout, /<FIToFIPmtStsRpt>/);
    writeFileSync(file, creditTransfer([transaction({ endToEndId: 'CLI-3' })]));
    const json = await corridor(['iso', 'submit', file, '--json'], as('br-bank'));
    assert.equal(json.status, 0, json.stderr);
    const summary = JSON.parse(json.stdout) as {
      httpStatus: number;
      kind: string;
      transactions: { endToEndId: string; status: string }[];
    };
    assert.equal(summary.httpStatus, 200);
    assert.equal(summary.kind, 'pacs.002');
    assert.deepEqual(
      summary.transactions.map((t) => [t.endToEndId, t.status]),
      [['CLI-3', 'ACCC']],
    );
  });

  it('submit of garbage prints the admi.002 and exits 2; an unreadable file exits 1', async () => {
    const file = join(directory, 'garbage.xml');
    writeFileSync(file, 'not xml at all');
    const run = await corridor(['iso', 'submit', file, '--json'], as('br-bank'));
    assert.equal(run.status, 2);
    assert.equal((JSON.parse(run.stdout) as { reason: string }).reason, 'NOT_XML');
    assert.equal(
      (await corridor(['iso', 'submit', join(directory, 'missing.xml')], as('br-bank'))).status,
      1,
    );
  });

  it("statement prints the camt.053; another bank's account is refused with exit 2", async () => {
    const run = await corridor(
      ['iso', 'statement', '--participant', 'br-bank', '--currency', 'BRL', '--date', '2026-11-21'],
      as('br-bank'),
    );
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /camt\.053\.001\.08/);
    assert.match(run.stdout, /<Cd>CLBD<\/Cd>/);
    const refused = await corridor(
      ['iso', 'statement', '--participant', 'br-bank', '--currency', 'BRL', '--date', '2026-11-21'],
      as('br-other'),
    );
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /403 not_authorized/);
  });
});
