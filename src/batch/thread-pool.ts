/**
 * The worker threads of `trajan score --threads`, each with its own copy of the model, sent once
 * as the threads start. A chunk goes to a thread as bytes moved to it (or, for Avro input, as
 * records) and comes back as its output (chunk-score.ts). A row that fails comes back as a failure,
 * like on the calling thread; the chunk itself failing means the thread died (out of memory, a
 * crash in native code) and is a ThreadCrash naming the rows that were lost with it. Built on
 * piscina.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { WorkerData } from '../io/portable-model.js';
import type { ChunkResult, ChunkSetup, ChunkTask } from './chunk-score.js';

export interface ThreadData {
  readonly model: WorkerData;
  readonly setup: ChunkSetup;
}

export class ThreadCrash extends Error {
  constructor(
    readonly first: number,
    readonly last: number,
    readonly reason: string,
  ) {
    super(`a worker thread failed while scoring rows ${first}-${last}: ${reason}`);
  }
}

const ownExtension = extname(fileURLToPath(import.meta.url));
/**
 * Named from the folder above, not `./`: in the bundled build this code sits in a shared chunk of
 * dist/js/, not in dist/batch/ (scripts/build-node.ts).
 */
const SCORE_WORKER = new URL(`../batch/score-worker${ownExtension}`, import.meta.url);

export class ThreadPool {
  private readonly pool: Piscina;
  /**
   * Rejected when a thread fails with no chunk in hand (while it starts: a module that does not
   * import, a model it cannot load). Piscina reports that as an 'error' event, which unheard would
   * end the process, and starts no other thread after threads failed while starting, so the chunks
   * sent after it would wait for ever: each fails with it instead.
   */
  private readonly broken: Promise<never>;

  constructor(
    /** What each thread is sent as it starts: the model and how chunks are read and written. */
    readonly data: ThreadData,
    /** How many worker threads. */
    readonly threads: number,
    worker = SCORE_WORKER,
  ) {
    this.pool = new Piscina({
      filename: worker.href,
      workerData: data,
      minThreads: threads,
      maxThreads: threads,
      // A second chunk is queued in each thread, so that it goes on to it without waiting for the
      // calling thread to hand it over; the thread scores the two in turn (score-worker.ts).
      concurrentTasksPerWorker: 2,
      // Run from TypeScript sources (development, tests), the worker is a .ts file and needs tsx.
      ...(ownExtension === '.ts' ? { execArgv: ['--import', 'tsx'] } : {}),
    });
    this.broken = new Promise((_, reject) => this.pool.on('error', reject));
    this.broken.catch(() => undefined);
  }

  /**
   * The chunk's result; rejects when the thread dies. The chunk's rows are numbered only once the
   * chunks before it are written, so the caller names them in its ThreadCrash.
   */
  score(task: ChunkTask): Promise<ChunkResult> {
    const transferList = task.kind === 'bytes' ? [task.bytes.buffer as ArrayBuffer] : [];
    return Promise.race([this.pool.run(task, { transferList }) as Promise<ChunkResult>, this.broken]);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
