/**
 * The worker threads of `trajan score --threads`, each with its own copy of the model. A row that
 * fails comes back as a failed outcome, like on the calling thread; the chunk itself failing means
 * the thread died (out of memory, a crash in native code) and is a ThreadCrash naming the rows
 * that were lost with it. Built on piscina.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { ModelLoadOptions } from '../model.js';
import type { RowOutcome } from './score-rows.js';

/** Load options that can be sent to a thread (no callbacks). */
export type ThreadLoadOptions = Omit<ModelLoadOptions, 'onEmit' | 'onLog'>;

export interface ThreadData {
  readonly source: string;
  readonly loadOptions: ThreadLoadOptions;
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

export class ThreadPool {
  private readonly pool: Piscina;

  constructor(source: string, threads: number, loadOptions: ThreadLoadOptions = {}, worker = new URL(`./score-worker${ownExtension}`, import.meta.url)) {
    const data: ThreadData = { source, loadOptions };
    this.pool = new Piscina({
      filename: worker.href,
      workerData: data,
      minThreads: threads,
      maxThreads: threads,
      // Run from TypeScript sources (development, tests), the worker is a .ts file and needs tsx.
      ...(ownExtension === '.ts' ? { execArgv: ['--import', 'tsx'] } : {}),
    });
  }

  /** The outcome of each record, in order; rejects with a ThreadCrash when the thread dies. */
  async score(records: readonly unknown[], first: number, last: number): Promise<RowOutcome[]> {
    try {
      return (await this.pool.run(records)) as RowOutcome[];
    } catch (e) {
      throw new ThreadCrash(first, last, e instanceof Error ? e.message : String(e));
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
