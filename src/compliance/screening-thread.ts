// A screening thread (started by ScreeningPool): loads the sanctions lists of a directory
// itself, says it is ready with the list version, then answers each request, a list of names,
// with what screening each gave. It keeps no cache: the pool's, on the writer's thread, answers
// a name it has seen without asking.
import { parentPort, workerData } from 'node:worker_threads';
import { loadSanctionsLists, screenName, type NameScreening } from './party-screener.js';
import type {
  ScreeningThreadData, ScreeningThreadReply, ScreeningThreadRequest,
} from './screening-pool.js';

const port = parentPort;
if (port === null) throw new Error('screening-thread: not started as a worker thread');
const { directory, options } = workerData as ScreeningThreadData;

let loaded: ReturnType<typeof loadSanctionsLists> | undefined;
try {
  loaded = loadSanctionsLists(directory, options);
  port.postMessage({ type: 'ready', entries: loaded.entries,
    listVersion: loaded.listVersion } satisfies ScreeningThreadReply);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  port.postMessage({ type: 'failed', message } satisfies ScreeningThreadReply);
}

if (loaded !== undefined) {
  const { screener, listVersion } = loaded;
  port.on('message', (request: ScreeningThreadRequest) => {
    const results: NameScreening[] = request.names.map((name) => screenName(screener, name));
    port.postMessage({ type: 'screened', id: request.id, listVersion,
      results } satisfies ScreeningThreadReply);
  });
}
