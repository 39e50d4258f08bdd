// Proves the webhook allow list and the snapshot cadence reach a node's configuration from each
// layer (file, environment, flags), with their defaults, and that a bad entry names its source.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadNodeConfig } from './node-config.js';

describe('loadNodeConfig() webhookAllow', () => {
  it('is empty by default: webhooks reach public addresses only', () => {
    assert.deepEqual(loadNodeConfig({ environment: {} }).webhookAllow, []);
  });

  it('reads CORRIDOR_WEBHOOK_ALLOW as a comma-separated list', () => {
    const config = loadNodeConfig({
      environment: { CORRIDOR_WEBHOOK_ALLOW: '127.0.0.1/32, ::1,receiver.test' },
    });
    assert.deepEqual(config.webhookAllow, ['127.0.0.1/32', '::1', 'receiver.test']);
  });

  it('reads an array from the node config file; flags win over the environment', () => {
    const directory = mkdtempSync(join(tmpdir(), 'corridor-node-config-'));
    try {
      const file = join(directory, 'node.json');
      writeFileSync(file, JSON.stringify({ webhookAllow: ['10.0.0.0/8'] }));
      assert.deepEqual(loadNodeConfig({ file, environment: {} }).webhookAllow, ['10.0.0.0/8']);
      const flagged = loadNodeConfig({
        file,
        environment: { CORRIDOR_WEBHOOK_ALLOW: '::1' },
        flags: { webhookAllow: ['192.168.0.0/16'] },
      });
      assert.deepEqual(flagged.webhookAllow, ['192.168.0.0/16']);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('refuses an entry that is not an address, a range or a host name, naming its source', () => {
    assert.throws(
      () => loadNodeConfig({ environment: { CORRIDOR_WEBHOOK_ALLOW: '127.0.0.1/40' } }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /^environment: webhookAllow: .*"127\.0\.0\.1\/40"/.test(error.message),
    );
    assert.throws(
      () => loadNodeConfig({ environment: {}, flags: { webhookAllow: 'not-a-list' } }),
      (error: unknown) => error instanceof ConfigError && /^flags: webhookAllow/.test(error.message),
    );
  });
});

describe('loadNodeConfig() snapshots', () => {
  it('defaults to every 10,000 entries, 10 minutes or 1,000,000 commands, keeping 3', () => {
    const config = loadNodeConfig({ environment: {} });
    assert.deepEqual([config.snapshotEveryEntries, config.snapshotEveryMinutes,
      config.snapshotEveryCommands, config.snapshotKeep], [10_000, 10, 1_000_000, 3]);
  });

  it('reads the environment; flags win; a bad value names its source', () => {
    const config = loadNodeConfig({
      environment: { CORRIDOR_SNAPSHOT_EVERY_ENTRIES: '500', CORRIDOR_SNAPSHOT_EVERY_MINUTES: '2',
        CORRIDOR_SNAPSHOT_EVERY_COMMANDS: '7000', CORRIDOR_SNAPSHOT_KEEP: '5' },
      flags: { snapshotEveryEntries: 0 },
    });
    assert.deepEqual([config.snapshotEveryEntries, config.snapshotEveryMinutes,
      config.snapshotEveryCommands, config.snapshotKeep], [0, 2, 7000, 5]);
    assert.throws(() => loadNodeConfig({ environment: { CORRIDOR_SNAPSHOT_EVERY_COMMANDS: '1.5' } }),
      (error: unknown) => error instanceof ConfigError && /environment: snapshotEveryCommands/.test(error.message));
    assert.throws(() => loadNodeConfig({ environment: {}, flags: { snapshotEveryEntries: -1 } }),
      (error: unknown) => error instanceof ConfigError && /flags: snapshotEveryEntries/.test(error.message));
    assert.throws(() => loadNodeConfig({ environment: { CORRIDOR_SNAPSHOT_KEEP: '0' } }),
      (error: unknown) => error instanceof ConfigError && /environment: snapshotKeep/.test(error.message));
  });
});

describe('loadNodeConfig() screening threads', () => {
  it('leaves the count to the machine by default, reads 0 (in the writer thread), refuses 65', () => {
    assert.equal(loadNodeConfig({ environment: {} }).screeningThreads, undefined);
    assert.equal(loadNodeConfig({ environment: { CORRIDOR_SCREENING_THREADS: '0' } })
      .screeningThreads, 0);
    assert.throws(() => loadNodeConfig({ environment: { CORRIDOR_SCREENING_THREADS: '65' } }),
      (error: unknown) => error instanceof ConfigError &&
        /environment: screeningThreads/.test(error.message));
  });
});
