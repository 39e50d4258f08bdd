// XSD validation with libxml2 (xmllint-wasm). xmllint-wasm's own API starts a worker and
// compiles the wasm for every call (about 170 ms); here one worker keeps the compiled module,
// schema texts are read once, and concurrent requests for one schema share a single run.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { validateXML } from 'xmllint-wasm';
import { locateMessage, type LocatedMessage } from './envelope.js';
import {
  SCHEMA_VALIDATION_BATCH_BYTES_MAX,
  SCHEMA_VALIDATION_BATCH_DOCUMENTS_MAX,
  SCHEMA_VALIDATION_TIMEOUT_MILLISECONDS,
  SCHEMA_VIOLATIONS_MAX,
  type ReadLimits,
} from './limits.js';
import { identifierOfNamespace } from './message-definition.js';
import { loadSchema } from './schema-registry.js';
import { readXml } from './xml-reader.js';
import { serializeXml } from './xml-writer.js';

export type SchemaValidationCode =
  | 'schema_invalid'
  | 'schema_unavailable'
  | 'validator_failed'
  | 'message_unreadable';

export interface SchemaViolation {
  /** Line in the validated text (for an enveloped message, in its re-serialised Document). */
  readonly line?: number;
  /** Local name of the element the violation is about, when xmllint names one. */
  readonly element?: string;
  readonly message: string;
  readonly part: 'document' | 'header';
}

export type SchemaValidationResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly code: SchemaValidationCode;
      readonly message: string;
      readonly violations: readonly SchemaViolation[];
    };

type RawViolation = Omit<SchemaViolation, 'part'>;
type JobOutcome =
  | { readonly kind: 'valid' }
  | { readonly kind: 'invalid'; readonly violations: readonly RawViolation[] }
  | { readonly kind: 'failed'; readonly message: string };

interface ValidationJob {
  readonly schemaIdentifier: string;
  readonly contents: string;
  readonly resolve: (outcome: JobOutcome) => void;
}

interface InputFile {
  readonly fileName: string;
  readonly contents: string;
}

interface WorkerReply {
  readonly corridorValidation?: boolean;
  readonly id?: number;
  readonly exitCode?: number;
  readonly stderr?: string;
}

interface RunOutput {
  readonly exitCode: number;
  readonly stderr: string;
}

const WASM_PAGES_INITIAL = 256;
// 64 KiB pages: 16 MiB to start, growing to 64 MiB for a full batch of large messages.
const WASM_PAGES_MAXIMUM = 1024;
const SCHEMA_FILE = 'schema.xsd';

// Runs inside the worker: compiles the wasm once, then one fresh instance per request.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const createXmllint = require(workerData.factoryPath);
const compiled = new WebAssembly.Module(readFileSync(workerData.wasmPath));
parentPort.on('message', (request) => {
  if (!request || request.corridorValidation !== true) return;
  let stderr = '';
  let settled = false;
  const reply = (exitCode) => {
    if (settled) return;
    settled = true;
    parentPort.postMessage({ corridorValidation: true, id: request.id, exitCode, stderr });
  };
  createXmllint({
    inputFiles: request.files,
    arguments: request.args,
    print() {},
    printErr(line) { stderr += line + '\\n'; },
    onExit: reply,
    onAbort(reason) { stderr += 'abort: ' + reason + '\\n'; reply(-1); },
    wasmMemory: new WebAssembly.Memory({
      initial: request.initialPages,
      maximum: request.maximumPages,
    }),
    instantiateWasm(imports, done) {
      WebAssembly.instantiate(compiled, imports).then(
        (instance) => done(instance, compiled),
        (error) => { stderr += String(error) + '\\n'; reply(-2); },
      );
      return {};
    },
  }).catch((error) => { stderr += String(error) + '\\n'; reply(-3); });
});
`;

const require = createRequire(import.meta.url);

function workerPaths(): { factoryPath: string; wasmPath: string } {
  const factoryPath = require.resolve('xmllint-wasm/xmllint-node.js');
  return { factoryPath, wasmPath: join(dirname(factoryPath), 'xmllint.wasm') };
}

function documentFileName(position: number): string {
  return `document-${position + 1}.xml`;
}

// Namespace URIs in element names ('{urn:iso:...}MsgId'), not pattern quantifiers ('{3,3}').
const NAMESPACE_IN_MESSAGE = /\{[a-z][a-z0-9+.-]*:[^}]*\}/gi;

function toViolation(rest: string): RawViolation {
  const lineMatch = /^(\d+):\s*(.*)$/.exec(rest);
  const text = (lineMatch?.[2] ?? rest)
    .replace(/^element [^:]*:\s*/, '')
    .replace(/^Schemas validity error\s*:\s*/, '')
    .replace(NAMESPACE_IN_MESSAGE, '')
    .trim();
  const element = /Element '(?:\{[^}]*\})?([^']+)'/.exec(lineMatch?.[2] ?? rest)?.[1];
  return {
    ...(lineMatch?.[1] === undefined ? {} : { line: Number(lineMatch[1]) }),
    ...(element === undefined ? {} : { element }),
    message: text.slice(0, 500),
  };
}

/** Splits one xmllint run's stderr into a verdict per document. */
function distribute(jobs: readonly ValidationJob[], output: RunOutput): void {
  const lines = output.stderr.split('\n');
  if (lines.some((line) => line.startsWith(`${SCHEMA_FILE}:`) || line.includes('failed to compile'))) {
    const message = `The schema did not compile: ${output.stderr.slice(0, 300)}`;
    for (const job of jobs) job.resolve({ kind: 'failed', message });
    return;
  }
  jobs.forEach((job, position) => {
    const fileName = documentFileName(position);
    const violations: RawViolation[] = [];
    let verdict: 'valid' | 'invalid' | undefined;
    for (const line of lines) {
      if (line === `${fileName} validates`) verdict = 'valid';
      else if (line === `${fileName} fails to validate`) verdict = 'invalid';
      else if (line.startsWith(`${fileName}:`) && violations.length < SCHEMA_VIOLATIONS_MAX) {
        violations.push(toViolation(line.slice(fileName.length + 1)));
      }
    }
    if (verdict === 'valid' && violations.length === 0) {
      job.resolve({ kind: 'valid' });
    } else if (verdict !== undefined || violations.length > 0) {
      job.resolve({ kind: 'invalid', violations });
    } else {
      job.resolve({ kind: 'failed', message: `xmllint gave no verdict (exit ${output.exitCode}).` });
    }
  });
}

class XmllintEngine {
  private worker: Worker | undefined;
  private readonly queue: ValidationJob[] = [];
  private running = false;
  private nextRequestId = 1;
  private persistentWorkerUsable = true;
  private runsCompleted = 0;

  submit(job: ValidationJob): void {
    this.queue.push(job);
    void this.pump();
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    const closed: JobOutcome = { kind: 'failed', message: 'The validator was closed.' };
    for (const job of this.queue.splice(0)) job.resolve(closed);
    if (worker !== undefined) await worker.terminate();
  }

  private takeBatch(): ValidationJob[] {
    const first = this.queue[0];
    if (first === undefined) return [];
    const batch: ValidationJob[] = [];
    let bytes = 0;
    let index = 0;
    while (index < this.queue.length && batch.length < SCHEMA_VALIDATION_BATCH_DOCUMENTS_MAX) {
      const job = this.queue[index] as ValidationJob;
      const size = bytes + job.contents.length;
      const fits = batch.length === 0 || size <= SCHEMA_VALIDATION_BATCH_BYTES_MAX;
      if (job.schemaIdentifier === first.schemaIdentifier && fits) {
        batch.push(job);
        bytes += job.contents.length;
        this.queue.splice(index, 1);
      } else {
        index += 1;
      }
    }
    return batch;
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    const batch = this.takeBatch();
    const first = batch[0];
    if (first === undefined) {
      this.worker?.unref();
      return;
    }
    this.running = true;
    try {
      const schemaText = await loadSchema(first.schemaIdentifier);
      if (schemaText === undefined) throw new Error(`No schema for ${first.schemaIdentifier}.`);
      const files = [
        { fileName: SCHEMA_FILE, contents: schemaText },
        ...batch.map((job, position) => ({
          fileName: documentFileName(position),
          contents: job.contents,
        })),
      ];
      distribute(batch, await this.execute(files));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      for (const job of batch) {
        job.resolve({
          kind: 'failed',
          message: `XSD validation failed to run: ${message}`,
        });
      }
    } finally {
      this.running = false;
      void this.pump();
    }
  }

  private async execute(files: readonly InputFile[]): Promise<RunOutput> {
    if (this.persistentWorkerUsable) {
      try {
        const output = await this.runInWorker(files);
        this.runsCompleted += 1;
        return output;
      } catch (error) {
        // A worker that never completed a run cannot work here: use the library's own path.
        if (this.runsCompleted > 0) throw error;
        this.persistentWorkerUsable = false;
      }
    }
    return this.runWithLibrary(files);
  }

  private ensureWorker(): Worker {
    if (this.worker !== undefined) return this.worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: workerPaths(),
      // The worker runs plain JavaScript: no need for the parent's loaders (tsx).
      execArgv: [],
    });
    this.worker = worker;
    const forget = () => {
      if (this.worker === worker) this.worker = undefined;
    };
    worker.once('exit', forget);
    worker.once('error', forget);
    return worker;
  }

  private runInWorker(files: readonly InputFile[]): Promise<RunOutput> {
    const worker = this.ensureWorker();
    const id = this.nextRequestId++;
    const documents = files.slice(1).map((file) => file.fileName);
    return new Promise<RunOutput>((resolve, reject) => {
      const cleanUp = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (reply: WorkerReply) => {
        if (reply.corridorValidation !== true || reply.id !== id) return;
        cleanUp();
        resolve({ exitCode: reply.exitCode ?? -1, stderr: reply.stderr ?? '' });
      };
      const onError = (error: Error) => {
        cleanUp();
        reject(error);
      };
      const onExit = (code: number) => {
        cleanUp();
        reject(new Error(`The validation worker exited with code ${code}.`));
      };
      const timer = setTimeout(() => {
        cleanUp();
        if (this.worker === worker) this.worker = undefined;
        void worker.terminate();
        reject(new Error(`XSD validation took longer than ${SCHEMA_VALIDATION_TIMEOUT_MILLISECONDS} ms.`));
      }, SCHEMA_VALIDATION_TIMEOUT_MILLISECONDS);
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.ref();
      worker.postMessage({
        corridorValidation: true,
        id,
        files,
        args: ['--schema', SCHEMA_FILE, '--noout', ...documents],
        initialPages: WASM_PAGES_INITIAL,
        maximumPages: WASM_PAGES_MAXIMUM,
      });
    });
  }

  private async runWithLibrary(files: readonly InputFile[]): Promise<RunOutput> {
    const [schema, ...documents] = files;
    if (schema === undefined) throw new Error('No schema given.');
    const result = await validateXML({ xml: documents, schema: [schema] });
    return { exitCode: result.valid ? 0 : 3, stderr: result.rawOutput };
  }
}

const engine = new XmllintEngine();

function outcomeToResult(
  outcome: JobOutcome,
  part: SchemaViolation['part'],
): SchemaValidationResult {
  if (outcome.kind === 'valid') return { ok: true };
  if (outcome.kind === 'failed') {
    return { ok: false, code: 'validator_failed', message: outcome.message, violations: [] };
  }
  const violations = outcome.violations.map((violation) => ({ ...violation, part }));
  const first = violations[0]?.message ?? 'The document does not match its schema.';
  return { ok: false, code: 'schema_invalid', message: first, violations };
}

/**
 * Validates one standalone XML text (a Document, or an AppHdr) against the XSD of a message
 * identifier such as "pacs.008.001.08".
 */
export function validateXmlText(
  xmlText: string,
  identifier: string,
  part: SchemaViolation['part'] = 'document',
): Promise<SchemaValidationResult> {
  if (loadSchema(identifier) === undefined) {
    return Promise.resolve({
      ok: false,
      code: 'schema_unavailable',
      message: `No XSD is available for ${identifier.slice(0, 40)}.`,
      violations: [],
    });
  }
  return new Promise((resolve) => {
    engine.submit({
      schemaIdentifier: identifier,
      contents: xmlText,
      resolve: (outcome) => resolve(outcomeToResult(outcome, part)),
    });
  });
}

function combine(results: readonly SchemaValidationResult[]): SchemaValidationResult {
  const failures = results.filter((result) => !result.ok);
  const first = failures[0];
  if (first === undefined || first.ok) return { ok: true };
  const violations = failures.flatMap((result) => (result.ok ? [] : result.violations));
  return { ...first, violations };
}

/**
 * Reads a received message safely, finds its Document (and AppHdr) and validates each part
 * against its XSD. A wrapped part is validated as re-serialised from the safe reader's tree.
 */
export async function validateMessage(
  input: string | Uint8Array,
  limits: Partial<ReadLimits> = {},
): Promise<SchemaValidationResult> {
  const read = readXml(input, limits);
  if (!read.ok) return {
    ok: false,
    code: 'message_unreadable',
    message: read.error.message,
    violations: [],
  };
  const located = locateMessage(read.root);
  if (!located.ok) return {
    ok: false,
    code: 'message_unreadable',
    message: located.error.message,
    violations: [],
  };
  return validateLocatedMessage(read.text, located.located);
}

/** Validates a message already read and located; `text` is the text it was read from. */
export async function validateLocatedMessage(
  text: string,
  located: LocatedMessage,
): Promise<SchemaValidationResult> {
  const { definition, document, header, enveloped } = located;
  const documentText = enveloped ? serializeXml(document) : text;
  const checks = [validateXmlText(documentText, definition.identifier, 'document')];
  if (header !== undefined) {
    const headerIdentifier = identifierOfNamespace(header.namespace) ?? '';
    checks.push(validateXmlText(serializeXml(header), headerIdentifier, 'header'));
  }
  return combine(await Promise.all(checks));
}

/** Stops the validation worker (for a clean shutdown); the next validation starts a new one. */
export function closeSchemaValidator(): Promise<void> {
  return engine.close();
}
