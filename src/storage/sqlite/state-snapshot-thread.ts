// The thread that writes state snapshots of one SqliteStore (state-snapshots.ts): its own
// connection to the snapshots database, one write transaction per snapshot.
import { parentPort, workerData } from 'node:worker_threads';
import { openConnection, type Synchronous } from './connection.js';
import {
  pruneSnapshotRows, writeSnapshotRow, type SnapshotWriteReply, type SnapshotWriteRequest,
} from './state-snapshots.js';

const { path, synchronous } = workerData as { path: string; synchronous: Synchronous };
const database = openConnection(path, { synchronous });

parentPort?.on('message', (request: SnapshotWriteRequest) => {
  let reply: SnapshotWriteReply;
  try {
    if (request.type === 'write' && request.snapshot !== undefined) {
      writeSnapshotRow(database, request.snapshot, request.keep);
      reply = { id: request.id };
    } else {
      reply = { id: request.id, pruned: pruneSnapshotRows(database, request.keep) };
    }
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});
