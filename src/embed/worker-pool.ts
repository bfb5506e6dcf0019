/**
 * A pool of worker threads, each with its own copy of a model, for CPU-heavy models: scoring runs
 * off the main thread (a server stays responsive) and on several cores at once. Built on piscina.
 * The model is loaded once here and sent to the threads once, as they start: a PFA model as its
 * text, a PMML model in its lowered form, so that no thread reads the XML again
 * (io/portable-model.ts). Many outcomes come back as JSON text in one moved buffer
 * (io/outcome-text.ts).
 */
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Piscina } from 'piscina';
import type { AvroType } from '../avro/types.js';
import { loadModel } from '../model.js';
import type { ChunkAnswer } from '../io/model-worker.js';
import { outcomesFromText } from '../io/outcome-text.js';
import type { Outcome } from '../io/outcomes.js';
import { workerData, type WorkerData, type WorkerLoadOptions } from '../io/portable-model.js';
import { wireTypes } from '../io/wire.js';
import { requireOptional } from '../optional-package.js';

export type { WorkerData, WorkerLoadOptions };

export interface WorkerScorerOptions {
  /** Number of threads (default: the number of CPUs). */
  readonly threads?: number;
  readonly loadOptions?: WorkerLoadOptions;
}

/**
 * piscina, loaded by the first pool: importing it cost 50-120 ms and 8-9 MB of RSS, which
 * `import('trajan')` paid even when no pool was made. The constructor is synchronous, so this
 * goes through `require` (piscina's ES module entry wraps the same CommonJS module).
 */
let piscina: typeof import('piscina') | undefined;
// An optional dependency: its absence is a `missing-dependency` error (optional-package.ts).
const loadPiscina = (): typeof import('piscina') =>
  (piscina ??= requireOptional<typeof import('piscina')>('piscina', 'createWorkerScorer'));

// Run from TypeScript sources (development, tests), the worker is a .ts file and needs tsx too.
const ownExtension = extname(fileURLToPath(import.meta.url));
const WORKER = new URL(`../io/model-worker${ownExtension}`, import.meta.url).href;

/** Chunks of a batch per thread (scoreBatch). */
const CHUNKS_PER_THREAD = 4;
/** The fewest outcomes the worker answers as text (io/model-worker.ts's TEXT_FROM, which is not imported: that module is the worker). */
const TEXT_FROM = 64;

export class WorkerScorer {
  readonly threads: number;
  /** The record types of the model's plain JSON input and results (see `wireTypes`). */
  readonly inputType: AvroType;
  readonly outputType: AvroType;
  private readonly pool: Piscina;

  /** Loads the model once here first, so a bad document fails now and not in every thread. */
  constructor(source: string, options: WorkerScorerOptions = {}) {
    const model = loadModel(source, options.loadOptions);
    const wire = wireTypes(model);
    this.inputType = wire.input;
    this.outputType = wire.output;
    this.threads = Math.max(1, options.threads ?? availableParallelism());
    const data: WorkerData = workerData(source, options.loadOptions, model);
    const { Piscina } = loadPiscina();
    this.pool = new Piscina({
      filename: WORKER,
      workerData: data,
      minThreads: this.threads,
      maxThreads: this.threads,
      ...(ownExtension === '.ts' ? { execArgv: ['--import', 'tsx'] } : {}),
    });
  }

  /** Each record's result (Avro JSON) or error message, in order, scored in one thread. */
  async scoreEach(records: readonly unknown[]): Promise<Outcome[]> {
    const answer = (await this.pool.run(records)) as ChunkAnswer;
    return Array.isArray(answer) ? answer : outcomesFromText(answer.text);
  }

  /**
   * Scores records on all threads; rejects with the first record's error if any fails. The batch
   * goes out in a few chunks per thread, as `trajan score --threads` cuts its input: a thread that
   * gets less of a shared core than the others takes fewer chunks instead of holding up the batch.
   * A chunk holds at least TEXT_FROM records, so that its answer comes back as one moved text.
   */
  async scoreBatch(records: readonly unknown[]): Promise<unknown[]> {
    const size =
      Math.max(
        Math.ceil(records.length / (this.threads * CHUNKS_PER_THREAD)),
        Math.min(TEXT_FROM, Math.ceil(records.length / this.threads)),
      ) || 1;
    const chunks: Promise<Outcome[]>[] = [];
    for (let i = 0; i < records.length; i += size) chunks.push(this.scoreEach(records.slice(i, i + size)));
    const outcomes = (await Promise.all(chunks)).flat();
    return outcomes.map((o, i) => {
      if (!o.ok) throw new Error(`record ${i}: ${o.error}`);
      return o.value;
    });
  }

  async score(record: unknown): Promise<unknown> {
    return (await this.scoreBatch([record]))[0];
  }

  /** Stops the threads (waiting for work in progress). */
  close(): Promise<void> {
    return this.pool.close();
  }
}

export function createWorkerScorer(source: string, options?: WorkerScorerOptions): WorkerScorer {
  return new WorkerScorer(source, options);
}
