/**
 * A model as a worker thread receives it, once, when the thread starts: its text, which the thread
 * loads as `loadModel` does. A PMML model is lowered again in each thread: `PmmlModel` reads its
 * field metadata (display names, intervals, Output) from the XML, which does not cross threads.
 */
import { loadModel, type Model, type ModelLoadOptions } from '../model.js';

/** Load options that can be sent to a thread (no callbacks). */
export type WorkerLoadOptions = Omit<ModelLoadOptions, 'onEmit' | 'onLog'>;

export type WorkerData = { readonly source: string; readonly loadOptions: WorkerLoadOptions };

/** What a thread needs to load the model again from `source`, the text it was loaded from. */
export function workerData(source: string, loadOptions: WorkerLoadOptions = {}): WorkerData {
  return { source, loadOptions };
}

/** The model a thread was sent. */
export function modelFromWorkerData(data: WorkerData): Model {
  return loadModel(data.source, data.loadOptions);
}
