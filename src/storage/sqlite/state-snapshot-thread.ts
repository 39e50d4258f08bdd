// The process's snapshot thread (state-snapshots.ts): writes the state snapshots of every
// file-backed SqliteStore, one connection per snapshots database, one transaction per snapshot.
import type Database from 'better-sqlite3';
import { parentPort } from 'node:worker_threads';
import { openConnection } from './connection.js';
import {
  pruneSnapshotRows, writeSnapshotRow, type SnapshotWriteReply, type SnapshotWriteRequest,
} from './state-snapshots.js';

const connections = new Map<string, Database.Database>();

function connectionFor(request: SnapshotWriteRequest): Database.Database {
  let database = connections.get(request.path);
  if (database === undefined) {
    database = openConnection(request.path, { synchronous: request.synchronous });
    connections.set(request.path, database);
  }
  return database;
}

parentPort?.on('message', (request: SnapshotWriteRequest) => {
  let reply: SnapshotWriteReply;
  try {
    if (request.type === 'close') {
      connections.get(request.path)?.close();
      connections.delete(request.path);
      reply = { id: request.id };
    } else if (request.type === 'write' && request.snapshot !== undefined) {
      writeSnapshotRow(connectionFor(request), request.snapshot, request.keep);
      reply = { id: request.id };
    } else {
      reply = { id: request.id, pruned: pruneSnapshotRows(connectionFor(request), request.keep) };
    }
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
});
