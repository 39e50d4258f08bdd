// Proves that list files are bounded before they are read and that file errors are typed.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SAMPLE_DIRECTORY } from './_test-lists.js';
import { decodeListContent, readListFile } from './list-input.js';
import { loadUnConsolidatedXml } from './un-list.js';

describe('readListFile()', () => {
  it('readListFile() reads a sample list that a loader then accepts', async () => {
    const path = fileURLToPath(new URL('un_consolidated_sample.xml', SAMPLE_DIRECTORY));
    const read = await readListFile(path);
    assert.ok(read.ok);
    assert.equal(loadUnConsolidatedXml(read.bytes).ok, true);
  });

  it('readListFile() refuses a file larger than the bound without reading it', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'corridor-sanctions-'));
    try {
      const path = join(directory, 'big.xml');
      await writeFile(path, 'x'.repeat(4_096));
      const read = await readListFile(path, { bytesMax: 1_024 });
      assert.equal(!read.ok && read.code, 'list_too_large');
      assert.match(!read.ok ? read.message : '', /4096 bytes long, more than the 1024 bytes/);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('readListFile() reports a missing file as file_not_found', async () => {
    const read = await readListFile(join(tmpdir(), 'corridor-no-such-list.xml'));
    assert.equal(!read.ok && read.code, 'file_not_found');
  });

  it('readListFile() reports a directory as file_unreadable', async () => {
    const read = await readListFile(tmpdir());
    assert.equal(!read.ok && read.code, 'file_unreadable');
  });
});

describe('decodeListContent()', () => {
  it('decodeListContent() removes a byte order mark from UTF-8 bytes', () => {
    const decoded = decodeListContent(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]), {});
    assert.deepEqual(decoded, { ok: true, text: 'A' });
  });
});
