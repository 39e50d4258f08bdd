// The PostgreSQL store's writer thread: it owns the writer connection and writes the prepared
// records it receives, in order, one transaction per group (the records that arrived while
// the previous transaction ran), then reports them durable. On its own event loop, each of a
// transaction's round-trips is answered at once, instead of waiting for the main thread to
// finish applying a batch; the store's thread only applies batches and encodes records.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import pg from 'pg';
import { BatchWriter, FencedError, loadCatalog } from './batch-writer.js';
import type { PreparedRecord } from './copy-rows.js';
import { applySessionSettings, CLIENT_KEEPALIVE, WRITER_SESSION } from './sessions.js';
import type { FromWriter, ToWriter, WriterThreadData } from './writer-protocol.js';

const data = workerData as WriterThreadData;
const parent = parentPort as MessagePort;
const queue: PreparedRecord[] = [];
let writing = false;
let stopped = false;
let closing = false;
let writer: BatchWriter | undefined;

function send(message: FromWriter): void {
  parent.postMessage(message);
}

function stop(error: Error): void {
  if (stopped) return;
  stopped = true;
  queue.length = 0;
  send({ type: 'failed', message: error.message, fenced: error instanceof FencedError });
}

const client = new pg.Client({ connectionString: data.connectionString, ...CLIENT_KEEPALIVE,
  application_name: 'corridor-writer' });
client.on('error', (error) => stop(error));

function kick(writer: BatchWriter): void {
  if (writing || stopped || queue.length === 0) {
    if (closing && !writing) void finish();
    return;
  }
  const group = queue.splice(0, data.recordsPerTransactionMax);
  writing = true;
  writer.write(group, data.fence).then(() => {
    writing = false;
    // A stop that arrived meanwhile does not undo a committed group: report it durable.
    send({ type: 'durable', records: group.length });
    kick(writer);
  }, (error: unknown) => {
    writing = false;
    stop(error instanceof Error ? error : new Error(String(error)));
    if (closing) void finish();
  });
}

async function finish(): Promise<void> {
  closing = false;
  parent.close();
  await client.end().catch(() => undefined);
}

parent.on('message', (message: ToWriter) => {
  if (message.type === 'record') {
    if (!stopped) queue.push(message.record);
  } else if (message.type === 'stop') {
    stopped = true;
    queue.length = 0;
  } else {
    closing = true;
  }
  if (writer !== undefined) kick(writer);
});

try {
  await client.connect();
  // A transaction cut off mid-way ends on the server within seconds, releasing its locks.
  await applySessionSettings(client, WRITER_SESSION);
  writer = new BatchWriter(client, await loadCatalog(client));
  send({ type: 'ready' });
  kick(writer);
} catch (error) {
  stop(error instanceof Error ? error : new Error(String(error)));
  await finish();
}
