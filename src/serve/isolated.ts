/**
 * Scoring a model version in its own worker thread (`trajan serve --isolate`). A call that runs
 * long is stopped from outside, by ending the thread at the request's deadline, and a call that
 * allocates without bound exhausts only the thread's heap (`resourceLimits`), not the server's:
 * the engine's budgets no longer have to catch everything, and the server's event loop only ever
 * waits for messages. One thread per version, so a model with state scores in order.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Outcome } from '../io/outcomes.js';
import { workerData, type WorkerLoadOptions } from '../io/portable-model.js';
import type { Model, ModelLoadOptions } from '../model.js';
import { RequestError } from '../io/served-model.js';

const ownExtension = extname(fileURLToPath(import.meta.url));
const WORKER = new URL(`../io/model-worker${ownExtension}`, import.meta.url).href;

/** The load options a thread can be sent: callbacks stay behind. */
function cloneable(options: ModelLoadOptions): WorkerLoadOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => typeof v !== 'function')) as WorkerLoadOptions;
}

export class IsolatedScorer {
  private readonly pool: Piscina;

  /**
   * `model` is the version loaded from `source` on the server's thread: a PMML model goes to the
   * thread lowered, so that the thread (and each one started after a deadline ended the last)
   * only checks and compiles it (io/portable-model.ts).
   */
  constructor(source: string, loadOptions: ModelLoadOptions, memoryMb: number, model: Model) {
    const data = workerData(source, cloneable(loadOptions), model);
    this.pool = new Piscina({
      filename: WORKER,
      name: 'scoreValidated',
      workerData: data,
      minThreads: 1,
      maxThreads: 1,
      resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.max(16, Math.floor(memoryMb / 8)) },
      ...(ownExtension === '.ts' ? { execArgv: ['--import', 'tsx'] } : {}),
    });
  }

  /** Each record's outcome, scored in the thread; the thread is ended if the deadline passes first. */
  async score(inputs: readonly unknown[], deadline: number): Promise<Outcome[]> {
    const signal = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
    try {
      return (await this.pool.run(inputs, { signal })) as Outcome[];
    } catch (e) {
      if (signal.aborted)
        throw new RequestError(422, 'the request ran out of time; its scoring thread was stopped', { code: 'request-timeout' });
      const code = (e as { code?: unknown }).code;
      if (code === 'ERR_WORKER_OUT_OF_MEMORY')
        throw new RequestError(422, 'the model ran out of memory; its scoring thread was stopped', { code: 'memory-limit' });
      throw new RequestError(422, `the model's scoring thread failed: ${(e as Error).message}`, { code: 'worker-failed' });
    }
  }

  /** Stops the thread once the tasks already given to it are done. */
  close(): Promise<void> {
    return this.pool.close();
  }
}
