// Starts a worker thread on a module beside the caller: its .js file when running compiled,
// or its .ts source under the same TypeScript loader (tsx) when running from sources (tests,
// benchmarks, `npm start`). Used by the storage threads of both stores.
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `base` is the caller's import.meta.url; `name` the module's file name without extension. */
export function startModuleWorker(base: string, name: string, options: WorkerOptions): Worker {
  const source = base.endsWith('.ts');
  const entry = new URL(`./${name}.${source ? 'ts' : 'js'}`, base);
  if (!source) return new Worker(entry, options);
  const loader = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(loader)}).then((api) => { api.register(); ` +
    `return import(${JSON.stringify(entry.href)}); });`, { ...options, eval: true });
}
